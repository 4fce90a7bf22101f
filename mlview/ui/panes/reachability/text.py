"""The Reachability tab's texts, as rich Text: the status summary of an answer, the cell under
the cursor with one pod pair's reasons, and the policies in scope in plain words. No widgets:
the policies text is built in the pane's worker thread (a few hundred policies take a while)."""

from __future__ import annotations

from rich.text import Text

from mlview import theme
from mlview.analysis.reachability import model as m
from mlview.analysis.reachability import parse as netpol_parse
from mlview.analysis.reachability.explain import Explanation, explain, policy_summary
from mlview.analysis.reachability.query import ReachResult
from mlview.analysis.shared.objects import virtual_of
from mlview.store import StoreView
from mlview.ui.panes.reachability.choice import denying_policies
from mlview.ui.panes.reachability.grid import GLYPHS, WORDS
from mlview.ui.widgets import VIRTUAL_SHORT, safe

POLICY_LIMIT = 200  # policies listed in full; narrow with the namespace or the filter


def summary_text(r: ReachResult, room: int | None = None) -> Text:
    """The status line after the port: focus and narrowing as sentences first (the bar wraps
    them rather than cut them), then size and legend; the legend only when it fits in `room`
    columns (the cell explanation names each verdict anyway)."""
    g, q = r.grid, r.query
    out = Text()
    if q.focus:
        what = f"match {q.selector}" if q.selector else f"expose {q.describe()}"
        out.append(f"  focus: destinations that {what}")
    else:
        out.append("  all destinations")
    if q.namespace is not None:
        out.append_text(
            safe(
                f"  namespace {q.namespace}: destinations in it only, sources from all",
                theme.ACCENT,
            )
        )
    if r.note:
        out.append(f"  {r.note}", style=theme.WARNING)
    out.append(f"  {len(g.rows)}×{len(g.cols)}", style=theme.DIM)
    if any(virtual_of(p.obj) for e in g.rows for p in e.pods):  # short: the line is narrow
        out.append("  " + VIRTUAL_SHORT, style=theme.NOTICE)
    legend = Text("  ")
    for verdict in ("allowed", "denied", "mixed", "host-network", "no-ip"):
        legend.append(GLYPHS[verdict], style=theme.REACH_STYLE.get(verdict, theme.NOTICE))
        legend.append(f" {WORDS[verdict].split(' (')[0]}  ", style=theme.DIM)
    legend.rstrip()
    if room is None or out.cell_len + legend.cell_len <= room:
        out.append_text(legend)
    return out


def empty_text(r: ReachResult) -> str:
    """Why the matrix is empty, in terms of what narrowed it."""
    g, q = r.grid, r.query
    if not r.matrix.pods:
        return "no pods to show"
    if not g.rows and q.filter_text:
        return f"no source pod matches the filter {q.filter_text!r}"
    if g.cols:
        return "no pods to show"
    where = f"namespace {q.namespace}" if q.namespace is not None else "the cluster"
    if q.focus and q.selector:
        return f"no pod in {where} matches {q.selector} (destinations; f shows them all)"
    if q.namespace is not None:
        return f"no pod in namespace {q.namespace}: the namespace narrows destinations"
    return "no pods to show"


def cell_text(shown: ReachResult | None, r: int, c: int) -> tuple[Text, Explanation | None]:
    """The cell under the cursor: its verdict, who to whom, and a pair's reasons."""
    out = Text()
    if shown is None or not shown.grid.rows or not shown.grid.cols:
        out.append("Nothing to explain: no source or no destination is shown.")
        return out, None
    g, q = shown.grid, shown.query
    row, col = g.rows[r], g.cols[c]
    verdict = g.cell(r, c)
    out.append(f"{GLYPHS[verdict]} {WORDS[verdict]}\n", style=theme.REACH_STYLE.get(verdict, ""))
    out.append_text(safe(f"from {row.pods[0].ref if row.member else row.label}"))
    out.append("\n")
    out.append_text(safe(f"to   {col.pods[0].ref if col.member else col.label}"))
    out.append("\n")
    grouped = len(row.pods) > 1 or len(col.pods) > 1
    if grouped:
        tally = g.tally(r, c)
        counts = ", ".join(f"{n} {WORDS[v].split(' (')[0]}" for v, n in sorted(tally.items()))
        out.append(f"{counts} (pod pairs)\n", style=theme.DIM)
        if verdict == "mixed":
            out.append(
                "members disagree: space expands the row, x the column\n", style=theme.WARNING
            )
    pair = g.pair(r, c)
    if pair is None:
        return out, None
    ex = explain(shown.view, pair[0].ref, pair[1].ref, q.port, q.protocol)
    out.append("\n")
    out.append_text(explanation_text(ex, grouped=grouped))
    if len({ref for _, ref in denying_policies(ex)}) > 1:
        out.append("\nBoth sides deny: Enter lists the policy of each side.", style=theme.DIM)
    return out, ex


def policies_text(view: StoreView, namespace: str | None, filter_text: str) -> Text:
    """The policies in scope in plain words, with the pods each selects."""
    pols = [
        p
        for p in netpol_parse.policies(view)
        if (namespace is None or p.namespace == namespace)
        and (not filter_text or filter_text in p.ref.lower())
    ]
    selected = _selected_pods(view)
    out = Text()
    if not pols:
        out.append(
            "No NetworkPolicy in scope: every pod accepts every connection.", style=theme.DIM
        )
    for pol in pols[:POLICY_LIMIT]:
        chosen = selected.get(pol.ref, [])
        names = ", ".join(p.name for p in chosen[:3]) + (", …" if len(chosen) > 3 else "")
        out.append_text(safe(pol.ref, theme.STRONG))
        types = "+".join(sorted(pol.types)) if pol.valid else "INVALID"
        out.append(f"  [{types}]  ", style=theme.BAD if not pol.valid else theme.ACCENT)
        out.append_text(safe(f"selects {len(chosen)} pod(s)" + (f": {names}" if names else "")))
        out.append("\n")
        for line in policy_summary(pol)[1:]:
            out.append_text(safe(f"    {line}", theme.BAD if line.startswith("INVALID") else ""))
            out.append("\n")
    if len(pols) > POLICY_LIMIT:
        out.append(
            f"… {len(pols) - POLICY_LIMIT} more: narrow with n (namespace) or / (filter)\n",
            style=theme.DIM,
        )
    return out


def explanation_text(ex: Explanation, grouped: bool = False) -> Text:
    """One pair's reasons, compact for a side panel (the CLI prints Explanation.lines())."""
    out = Text()
    if grouped:
        out.append("for example\n", style=theme.DIM)
    out.append_text(safe(ex.src))
    out.append("\n")
    out.append_text(safe(f"  → {ex.dst}"))
    out.append("\n")
    out.append(f"{ex.protocol} {ex.port}: ", style=theme.DIM)
    out.append(ex.verdict.upper(), style=theme.REACH_STYLE.get(ex.verdict, theme.NOTICE))
    out.append("\n")
    for note in ex.notes:
        out.append_text(safe(f"note: {note}", theme.NOTICE))
        out.append("\n")
    for side, who in ((ex.egress, "source"), (ex.ingress, "destination")):
        if side is None:
            continue
        out.append("\n")
        out.append(f"{side.direction.upper()} of the {who}: ", style=theme.STRONG)
        out.append(
            "allows" if side.allowed else "DENIES", style=theme.OK if side.allowed else theme.ERROR
        )
        out.append("\n")
        isolating = [p for p, iso in side.selecting if iso]
        others = [p for p, iso in side.selecting if not iso]
        if not isolating:
            out.append(
                "  not isolated: no policy selecting it has "
                f"{side.direction.capitalize()} in policyTypes\n",
                style=theme.DIM,
            )
        else:
            out.append_text(safe("  isolated by " + ", ".join(isolating)))
            out.append("\n")
        if others:
            out.append_text(
                safe(f"  also selected by (other direction): {', '.join(others)}", theme.DIM)
            )
            out.append("\n")
        for a in side.admitted_by:
            peer = "any peer" if a.peer_index is None else f"peer {a.peer_index}: {a.peer_text}"
            port = "any port" if a.port_index is None else f"port {a.port_index}: {a.port_text}"
            out.append("  ✓ ", style=theme.OK)
            out.append_text(safe(f"{a.policy} {a.direction}[{a.rule_index}], {peer}, {port}"))
            out.append("\n")
        if side.isolated and not side.allowed:
            out.append("  ✗ no rule of these policies admits it\n", style=theme.BAD)
            for miss in side.near_misses:
                out.append_text(safe(f"  near miss: {miss}", theme.WARNING))
                out.append("\n")
        for pol, why in side.ignored:
            out.append_text(safe(f"  ignored, invalid: {pol}: {why}", theme.BAD))
            out.append("\n")
    return out


def _selected_pods(view: StoreView) -> dict[str, list[m.PodInfo]]:
    def build() -> dict[str, list[m.PodInfo]]:
        by_ns: dict[str, list[m.PodInfo]] = {}
        for p in m.pods(view):
            by_ns.setdefault(p.namespace, []).append(p)
        return {
            pol.ref: [p for p in by_ns.get(pol.namespace, []) if m.selects(pol, p)]
            for pol in netpol_parse.policies(view)
        }

    return view.memo(("netpol", "selected-pods"), build)
