"""The top bar: where the data comes from, when, how much of it, and sync state."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from mlview.sanitize import clean
from mlview.store import SourceInfo, StoreView

COUNTED = (("Pod", "pods"), ("PersistentVolumeClaim", "pvcs"), ("Ingress", "ingresses"),
           ("NetworkPolicy", "netpols"))


def header_text(view: StoreView, source: SourceInfo, namespace: str | None, filt: str) -> Text:
    """Two lines (three when live): source; counts and narrowing; sync state. Each line is
    cut with an ellipsis rather than wrapped, so the header keeps its height at 80 columns.
    """
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(" mlview ", style="bold reverse")
    text.append("  ")
    label = source.label or source.context or "(no source)"
    text.append(clean(label, single_line=True), style="bold")
    if source.recorded_at:
        text.append(f"  recorded {clean(source.recorded_at, single_line=True)}", style="dim")
    if source.context and source.context != label:  # last: long ARNs are cut, not wrapped
        text.append(f"  context {clean(source.context, single_line=True)}")
    counts = "  ".join(f"{view.count(kind)} {word}" for kind, word in COUNTED)
    text.append(f"\n {counts}")
    text.append(f"   ns: {namespace or 'all'}", style="cyan")
    if filt:
        text.append(f"   filter: {clean(filt, single_line=True)}", style="magenta")
    skipped = sum(source.skipped_kinds.values())
    if skipped:
        text.append(f"   {skipped} skipped (other kinds)", style="dim")
    if source.mode == "live" and source.sync:
        text.append("\n ")
        text.append_text(sync_text(source.sync))
    return text


def sync_text(sync: dict[str, str]) -> Text:
    """Summarise per-kind sync: all live in one word, otherwise the kinds that are not."""
    text = Text()
    not_live = {k: v for k, v in sorted(sync.items()) if v != "live"}
    live = len(sync) - len(not_live)
    text.append(f"sync: {live}/{len(sync)} kinds live", style="green" if not not_live else "")
    for kind, state in not_live.items():
        style = "red" if state.startswith(("forbidden", "error")) else "yellow"
        if state.startswith("not installed"):
            style = "dim"
        text.append(f"  {kind}: {clean(state, single_line=True)}", style=style)
    return text


class SourceHeader(Static):
    pass
