"""The top bar: where the data comes from, when, how much of it, and sync state."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from mlview import theme
from mlview.analysis.shared.objects import virtual_of
from mlview.sanitize import clean
from mlview.store import SourceInfo, StoreView
from mlview.timefmt import absolute
from mlview.ui.words import counted

COUNTED = (
    ("Pod", "pod", "pods"),
    ("PersistentVolumeClaim", "pvc", "pvcs"),
    ("Ingress", "ingress", "ingresses"),
    ("NetworkPolicy", "netpol", "netpols"),
)


def header_text(view: StoreView, source: SourceInfo, namespace: str | None, filt: str) -> Text:
    """Two lines (three when live): source; counts and narrowing; sync state. Each line is
    cut with an ellipsis rather than wrapped, so the header keeps its height at 80 columns.
    """
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(" mlview ", style=theme.BANNER)
    text.append("  ")
    label = source.label or source.context or "(no source)"
    if source.mode == "live" and label == source.context:  # what `:ctx` switches
        text.append("context ", style=theme.DIM)
    text.append(clean(label, single_line=True), style=theme.STRONG)
    if source.recorded_at:
        recorded = absolute(clean(source.recorded_at, single_line=True))
        text.append(f"  recorded {recorded}", style=theme.DIM)
    if source.context and source.context != label:  # last: long ARNs are cut, not wrapped
        text.append(f"  context {clean(source.context, single_line=True)}")
    counts = "  ".join(counted(view.count(kind), one, many) for kind, one, many in COUNTED)
    text.append(f"\n {counts}")
    virtual = virtual_count(view)
    if virtual:  # pods stood for by their workloads' templates: say so next to the counts
        text.append(f"   {virtual} virtual pods (from workload templates)", style=theme.NOTICE)
    text.append(f"   ns: {namespace or 'all'}", style=theme.ACCENT)
    if filt:
        text.append(f"   filter: {clean(filt, single_line=True)}", style=theme.NOTICE)
    skipped = sum(source.skipped_kinds.values())
    if skipped:
        text.append(f"   {skipped} skipped (other kinds)", style=theme.DIM)
    invalid = source.invalid_objects()
    if invalid:
        text.append(f"   {invalid} invalid (see Findings)", style=theme.BAD)
    if source.mode == "live" and source.sync:
        text.append("\n ")
        text.append_text(sync_text(source.sync))
    return text


def virtual_count(view: StoreView) -> int:
    return view.memo(
        ("header", "virtual-pods"),
        lambda: sum(1 for p in view.list("Pod") if virtual_of(p)),
    )


QUIET_STATES = ("not installed", "not served")  # optional kinds: absent, and that is fine
LIVE_STATES = ("live", "listed")


def sync_text(sync: dict[str, str]) -> Text:
    """Per-kind sync in one line: how many kinds are live, then the ones that are not
    (forbidden and failing in red, syncing and reconnecting in yellow), then, dim, the
    optional kinds the cluster does not serve."""
    text = Text()
    live = [k for k, v in sync.items() if v in LIVE_STATES]
    quiet = sorted(k for k, v in sync.items() if v.startswith(QUIET_STATES))
    trouble = {k: v for k, v in sorted(sync.items()) if k not in live and k not in quiet}
    counted = len(sync) - len(quiet)
    text.append(f"sync: {len(live)}/{counted} kinds live", style="" if trouble else theme.OK)
    for kind, state in trouble.items():
        bad = state.startswith(("forbidden", "unauthorized", "failed", "error"))
        text.append(
            f"  {kind}: {clean(state, single_line=True)}", style=theme.BAD if bad else theme.WARNING
        )
    if quiet:
        text.append(f"  not served: {', '.join(quiet)}", style=theme.DIM)
    return text


def pane_notes(source: SourceInfo, tab_id: str) -> Text:
    """Why data this tab needs is missing (403, CRD not installed...), one line per kind."""
    from mlview.domains import DOMAINS

    needed = next((d.kinds for d in DOMAINS if d.name == tab_id), ())
    text = Text(no_wrap=True, overflow="ellipsis")
    for kind, note in sorted(source.notes.items()):
        if kind not in needed:
            continue
        if (source.sync.get(kind) or "").startswith(QUIET_STATES):
            continue  # an optional kind the cluster does not have: the pane says so itself
        if text:
            text.append("\n")
        text.append(f" ! {kind}: ", style=theme.ERROR)
        text.append(clean(note, single_line=True), style=theme.BAD)
    return text


class SourceHeader(Static):
    """The header widget; its text comes from header_text."""
