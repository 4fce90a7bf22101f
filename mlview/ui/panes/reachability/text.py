"""The Reachability tab's texts, as rich Text: the status summary of an answer, the cell under
the cursor with one pod pair's reasons, and the policies in scope in plain words. No widgets:
the policies text is built in the pane's worker thread (a few hundred policies take a while)."""

from __future__ import annotations

from rich.text import Text

from mlview.analysis.reachability import model as m
from mlview.analysis.reachability import parse as netpol_parse
from mlview.analysis.reachability.explain import Explanation, explain, policy_summary
from mlview.analysis.reachability.query import ReachResult
from mlview.analysis.shared.objects import virtual_of
from mlview.store import StoreView
from mlview.ui.panes.reachability.grid import GLYPHS, WORDS
from mlview.ui.widgets import VIRTUAL_SHORT, safe

VERDICT_STYLE = {"allowed": "bold green", "denied": "bold red", "mixed": "bold yellow"}
POLICY_LIMIT = 200  # policies listed in full; narrow with the namespace or the filter


def summary_text(r: ReachResult) -> Text:
    """The status line after the port: focus, size, legend, and the answer's note."""
    g, q = r.grid, r.query
    out = Text()
    if q.focus:
        what = f"match {q.selector}" if q.selector else f"expose {q.describe()}"
        out.append(f"  focus: destinations that {what}")
    else:
        out.append("  all destinations")
    out.append(f"  {len(g.rows)}×{len(g.cols)}  ", style="dim")
    if any(virtual_of(p.obj) for e in g.rows for p in e.pods):  # short: the line is narrow
        out.append(VIRTUAL_SHORT + "  ", style="magenta")
    for verdict in ("allowed", "denied", "mixed", "host-network", "no-ip"):
        out.append(GLYPHS[verdict], style=VERDICT_STYLE.get(verdict, "magenta"))
        out.append(f" {WORDS[verdict].split(' (')[0]}  ", style="dim")
    if r.note:
        out.append(r.note, style="yellow")
    return out


def cell_text(shown: ReachResult | None, r: int, c: int) -> tuple[Text, Explanation | None]:
    """The cell under the cursor: its verdict, who to whom, and a pair's reasons."""
    out = Text()
    if shown is None or not shown.grid.rows or not shown.grid.cols:
        out.append("Nothing to explain: no source or no destination is shown.")
        return out, None
    g, q = shown.grid, shown.query
    row, col = g.rows[r], g.cols[c]
    verdict = g.cell(r, c)
    out.append(f"{GLYPHS[verdict]} {WORDS[verdict]}\n", style=VERDICT_STYLE.get(verdict, ""))
    out.append_text(safe(f"from {row.pods[0].ref if row.member else row.label}"))
    out.append("\n")
    out.append_text(safe(f"to   {col.pods[0].ref if col.member else col.label}"))
    out.append("\n")
    grouped = len(row.pods) > 1 or len(col.pods) > 1
    if grouped:
        tally = g.tally(r, c)
        counts = ", ".join(f"{n} {WORDS[v].split(' (')[0]}" for v, n in sorted(tally.items()))
        out.append(f"{counts} (pod pairs)\n", style="dim")
        if verdict == "mixed":
            out.append("members disagree: space expands the row, x the column\n", style="yellow")
    pair = g.pair(r, c)
    if pair is None:
        return out, None
    ex = explain(shown.view, pair[0].ref, pair[1].ref, q.port, q.protocol)
    out.append("\n")
    out.append_text(explanation_text(ex, grouped=grouped))
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
        out.append("No NetworkPolicy in scope: every pod accepts every connection.", style="dim")
    for pol in pols[:POLICY_LIMIT]:
        chosen = selected.get(pol.ref, [])
        names = ", ".join(p.name for p in chosen[:3]) + (", …" if len(chosen) > 3 else "")
        out.append_text(safe(pol.ref, "bold"))
        types = "+".join(sorted(pol.types)) if pol.valid else "INVALID"
        out.append(f"  [{types}]  ", style="red" if not pol.valid else "cyan")
        out.append_text(safe(f"selects {len(chosen)} pod(s)" + (f": {names}" if names else "")))
        out.append("\n")
        for line in policy_summary(pol)[1:]:
            out.append_text(safe(f"    {line}", "red" if line.startswith("INVALID") else ""))
            out.append("\n")
    if len(pols) > POLICY_LIMIT:
        out.append(
            f"… {len(pols) - POLICY_LIMIT} more: narrow with n (namespace) or / (filter)\n",
            style="dim",
        )
    return out


def explanation_text(ex: Explanation, grouped: bool = False) -> Text:
    """One pair's reasons, compact for a side panel (the CLI prints Explanation.lines())."""
    out = Text()
    if grouped:
        out.append("for example\n", style="dim")
    out.append_text(safe(ex.src))
    out.append("\n")
    out.append_text(safe(f"  → {ex.dst}"))
    out.append("\n")
    out.append(f"{ex.protocol} {ex.port}: ", style="dim")
    out.append(ex.verdict.upper(), style=VERDICT_STYLE.get(ex.verdict, "magenta"))
    out.append("\n")
    for note in ex.notes:
        out.append_text(safe(f"note: {note}", "magenta"))
        out.append("\n")
    for side, who in ((ex.egress, "source"), (ex.ingress, "destination")):
        if side is None:
            continue
        out.append("\n")
        out.append(f"{side.direction.upper()} of the {who}: ", style="bold")
        out.append(
            "allows" if side.allowed else "DENIES", style="green" if side.allowed else "bold red"
        )
        out.append("\n")
        isolating = [p for p, iso in side.selecting if iso]
        others = [p for p, iso in side.selecting if not iso]
        if not isolating:
            out.append(
                "  not isolated: no policy selecting it has "
                f"{side.direction.capitalize()} in policyTypes\n",
                style="dim",
            )
        else:
            out.append_text(safe("  isolated by " + ", ".join(isolating)))
            out.append("\n")
        if others:
            out.append_text(
                safe(f"  also selected by (other direction): {', '.join(others)}", "dim")
            )
            out.append("\n")
        for a in side.admitted_by:
            peer = "any peer" if a.peer_index is None else f"peer {a.peer_index}: {a.peer_text}"
            port = "any port" if a.port_index is None else f"port {a.port_index}: {a.port_text}"
            out.append("  ✓ ", style="green")
            out.append_text(safe(f"{a.policy} {a.direction}[{a.rule_index}], {peer}, {port}"))
            out.append("\n")
        if side.isolated and not side.allowed:
            out.append("  ✗ no rule of these policies admits it\n", style="red")
            for miss in side.near_misses:
                out.append_text(safe(f"  near miss: {miss}", "yellow"))
                out.append("\n")
        for pol, why in side.ignored:
            out.append_text(safe(f"  ignored, invalid: {pol}: {why}", "red"))
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
