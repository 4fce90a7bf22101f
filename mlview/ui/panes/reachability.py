"""Reachability tab (issue 5): which pods may connect to which on a port, and why.

A matrix of sources (rows) by destinations (columns), grouped by namespace and workload; a
group shows as one row or column when its members agree and as its members otherwise (space
and x flip a row or column group). Focus mode (f) keeps only the destinations that expose the
chosen port, or match a selector (s), so "who reaches the model store on 9000" fits on one
screen. The cell under the cursor is explained on the right; the policies in scope, in plain
words, are listed below. The namespace (n) narrows destinations and policies; the filter (/)
narrows sources. The analysis is mlview.analysis.netpol*, cached per store view.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Static

from mlview import selectors
from mlview.analysis import netpol_model as m
from mlview.analysis import netpol_parse
from mlview.analysis.netpol import BadQuery, Matrix, check_query, compute_matrix
from mlview.analysis.netpol_explain import Explanation, explain, policy_summary
from mlview.analysis.netpol_groups import Grid, workload_groups
from mlview.analysis.objects import container_ports
from mlview.ui.context import ViewContext
from mlview.ui.pane import Pane
from mlview.ui.panes.reachability_grid import GLYPHS, WORDS, MatrixGrid
from mlview.ui.widgets import safe

VERDICT_STYLE = {"allowed": "bold green", "denied": "bold red", "mixed": "bold yellow"}
POLICY_LIMIT = 200  # policies listed in full; narrow with the namespace or the filter


def parse_selector(text: str) -> dict[str, Any]:
    """`app=x,tier!=y,gpu,!legacy` (kubectl style) as a LabelSelector; ValueError if bad."""
    labels: dict[str, str] = {}
    exprs: list[dict[str, Any]] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if "!=" in part:
            key, value = (s.strip() for s in part.split("!=", 1))
            exprs.append({"key": key, "operator": "NotIn", "values": [value]})
        elif "=" in part:
            key, value = (s.strip() for s in part.split("=", 1))
            labels[key] = value.lstrip("=").strip()  # `==` as kubectl allows
        elif part.startswith("!"):
            key = part[1:].strip()
            exprs.append({"key": key, "operator": "DoesNotExist"})
        else:
            key = part
            exprs.append({"key": key, "operator": "Exists"})
        if not key:
            raise ValueError(f"no label key in {part!r}")
    return {"matchLabels": labels, "matchExpressions": exprs}


class ReachabilityPane(Pane):
    TITLE = "Reachability"
    BINDINGS = [
        Binding("p", "edit_port", "Port"),
        Binding("f", "toggle_focus", "Focus"),
        Binding("s", "edit_selector", "Focus selector"),
        Binding("space", "flip_row", "Expand row"),
        Binding("x", "flip_col", "Expand column"),
        Binding("enter", "detail", "Detail", show=False),
        Binding("escape", "close_input", "Close", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._ctx: ViewContext | None = None
        self.port, self.protocol = 9000, "TCP"
        self.focus = True
        self.selector_text = ""  # empty: the pods exposing the port
        self._row_flips: set[str] = set()
        self._col_flips: set[str] = set()
        self._matrix: Matrix | None = None
        self._grid: Grid | None = None
        self._note = ""
        self._explanation: Explanation | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="reach-bar")
        yield Input(placeholder="port[/protocol], e.g. 9000 or 53/udp (Enter)", id="reach-port")
        yield Input(
            placeholder="destinations: app=model-store,tier!=dev,gpu,!legacy "
            "(empty: pods exposing the port; Enter)",
            id="reach-selector",
        )
        with Horizontal(id="reach-main"):
            yield MatrixGrid(id="reach-matrix")
            with VerticalScroll(id="reach-explain"):
                yield Static(id="reach-explain-text")
        with VerticalScroll(id="reach-policies"):
            yield Static(id="reach-policies-text")

    def on_mount(self) -> None:
        self.query_one("#reach-port").display = False
        self.query_one("#reach-selector").display = False
        self.query_one("#reach-explain").border_title = "why"
        self.query_one("#reach-policies").border_title = "policies"

    # ---- data ---------------------------------------------------------------------------

    def refresh_context(self, ctx: ViewContext) -> None:
        self._ctx = ctx
        self._rebuild()
        self._show_policies()

    def _rebuild(self) -> None:
        ctx = self._ctx
        if ctx is None:
            return
        view = ctx.view
        mx = self._matrix = compute_matrix(view, self.port, self.protocol)
        sources = [p for p in mx.pods if ctx.passes_filter(p.ref)]
        dests = [p for p in mx.pods if ctx.namespace is None or p.namespace == ctx.namespace]
        self._note = ""
        if self.focus:
            dests = self._focused(dests)
        grid_w = self.query_one(MatrixGrid)
        keep = grid_w.cursor_keys()
        self._grid = Grid(
            mx,
            workload_groups(view, sources),
            workload_groups(view, dests),
            self._row_flips,
            self._col_flips,
        )
        grid_w.set_grid(self._grid, keep)
        self._show_bar()

    def _focused(self, dests: list[m.PodInfo]) -> list[m.PodInfo]:
        if self.selector_text:
            sel = parse_selector(self.selector_text)
            return [p for p in dests if selectors.matches(sel, p.labels)]
        exposing = [
            p
            for p in dests
            if any(
                cp.get("containerPort") == self.port
                and (cp.get("protocol") or "TCP") == self.protocol
                for cp in container_ports(p.obj)
            )
        ]
        if not exposing:
            self._note = f"no pod exposes {self.protocol} {self.port}: showing every destination"
            return dests
        return exposing

    # ---- status line, explanation, policies ---------------------------------------------

    def _show_bar(self) -> None:
        g, mx = self._grid, self._matrix
        if g is None or mx is None:
            return
        text = Text()
        text.append(f" {self.protocol} {self.port} ", style="bold reverse")
        if self.focus:
            what = (
                f"match {self.selector_text}"
                if self.selector_text
                else (f"expose {self.protocol} {self.port}")
            )
            text.append(f"  focus: destinations that {what}")
        else:
            text.append("  all destinations")
        text.append(f"  {len(g.rows)}×{len(g.cols)}  ", style="dim")
        for verdict in ("allowed", "denied", "mixed", "host-network", "no-ip"):
            text.append(GLYPHS[verdict], style=VERDICT_STYLE.get(verdict, "magenta"))
            text.append(f" {WORDS[verdict].split(' (')[0]}  ", style="dim")
        if self._note:
            text.append(self._note, style="yellow")
        self.query_one("#reach-bar", Static).update(text)

    def on_matrix_grid_cell_changed(self, event: MatrixGrid.CellChanged) -> None:
        self._show_explanation(event.row, event.col)

    def _show_explanation(self, r: int, c: int) -> None:
        out = Text()
        g, ctx = self._grid, self._ctx
        self._explanation = None
        if g is None or ctx is None or not g.rows or not g.cols:
            out.append("Nothing to explain: no source or no destination is shown.")
            self.query_one("#reach-explain-text", Static).update(out)
            return
        row, col = g.rows[r], g.cols[c]
        verdict = g.cell(r, c)
        out.append(f"{GLYPHS[verdict]} {WORDS[verdict]}\n", style=VERDICT_STYLE.get(verdict, ""))
        out.append_text(safe(f"from {row.pods[0].ref if row.member else row.label}"))
        out.append("\n")
        out.append_text(safe(f"to   {col.pods[0].ref if col.member else col.label}"))
        out.append("\n")
        if len(row.pods) > 1 or len(col.pods) > 1:
            tally = g.tally(r, c)
            counts = ", ".join(f"{n} {WORDS[v].split(' (')[0]}" for v, n in sorted(tally.items()))
            out.append(f"{counts} (pod pairs)\n", style="dim")
            if verdict == "mixed":
                out.append(
                    "members disagree: space expands the row, x the column\n", style="yellow"
                )
        pair = g.pair(r, c)
        if pair is not None:
            ex = self._explanation = explain(
                ctx.view, pair[0].ref, pair[1].ref, self.port, self.protocol
            )
            out.append("\n")
            out.append_text(explanation_text(ex, grouped=len(row.pods) > 1 or len(col.pods) > 1))
        self.query_one("#reach-explain-text", Static).update(out)

    def _show_policies(self) -> None:
        ctx = self._ctx
        if ctx is None:
            return
        pols = [
            p
            for p in netpol_parse.policies(ctx.view)
            if (ctx.namespace is None or p.namespace == ctx.namespace) and ctx.passes_filter(p.ref)
        ]
        selected = _selected_pods(ctx)
        out = Text()
        if not pols:
            out.append(
                "No NetworkPolicy in scope: every pod accepts every connection.", style="dim"
            )
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
        self.query_one("#reach-policies-text", Static).update(out)

    # ---- actions ------------------------------------------------------------------------

    def action_edit_port(self) -> None:
        box = self.query_one("#reach-port", Input)
        box.value = f"{self.port}/{self.protocol.lower()}"
        box.display = True
        box.focus()

    def action_edit_selector(self) -> None:
        box = self.query_one("#reach-selector", Input)
        box.value = self.selector_text
        box.display = True
        box.focus()

    def action_close_input(self) -> None:
        for box in self.query(Input):
            box.display = False
        self.query_one(MatrixGrid).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "reach-port":
            port, _, proto = event.value.strip().partition("/")
            try:
                self.port, self.protocol = check_query(port, proto or "TCP")
            except BadQuery as exc:
                self._note = str(exc)
                self.query_one("#reach-bar", Static).update(Text(f" {exc}", style="bold red"))
                return
        elif event.input.id == "reach-selector":
            try:
                parse_selector(event.value)
            except ValueError as exc:
                self.query_one("#reach-bar", Static).update(Text(f" {exc}", style="bold red"))
                return
            self.selector_text = event.value.strip()
            self.focus = True
        else:
            return
        event.stop()
        self.action_close_input()
        self._rebuild()

    def action_toggle_focus(self) -> None:
        self.focus = not self.focus
        self._rebuild()

    def action_flip_row(self) -> None:
        self._flip(self._row_flips, 0)

    def action_flip_col(self) -> None:
        self._flip(self._col_flips, 1)

    def _flip(self, flips: set[str], axis: int) -> None:
        g = self._grid
        if g is None or not g.rows or not g.cols:
            return
        r, c = self.query_one(MatrixGrid).cursor
        entry = g.rows[r] if axis == 0 else g.cols[c]
        key = entry.group.key
        if len(entry.group.pods) < 2:
            return
        flips.symmetric_difference_update({key})
        self._rebuild()
        grid_w = self.query_one(MatrixGrid)
        entries = self._grid.rows if axis == 0 else self._grid.cols
        at = next(i for i, e in enumerate(entries) if e.key == key)
        grid_w.cursor = (at, grid_w.cursor[1]) if axis == 0 else (grid_w.cursor[0], at)

    def action_detail(self) -> None:
        self.app.action_detail()

    def selected_object(self) -> dict[str, Any] | None:
        """The policy that decides the cell (admits it, or isolates the denying side); else
        the destination pod."""
        ctx, ex = self._ctx, self._explanation
        if ctx is None or ex is None:
            return None
        ref = None
        for side in (ex.ingress, ex.egress):
            if side is None or not side.isolated:
                continue
            if side.admitted_by:
                ref = ref or side.admitted_by[0].policy
            else:
                ref = next(p for p, iso in side.selecting if iso)
                break
        if ref is not None:
            ns, name = ref.split("/", 1)
            return ctx.view.get("NetworkPolicy", ns, name)
        ns, name = ex.dst.split("/", 1)
        return ctx.view.get("Pod", ns, name)


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


def _selected_pods(ctx: ViewContext) -> dict[str, list[m.PodInfo]]:
    def build() -> dict[str, list[m.PodInfo]]:
        by_ns: dict[str, list[m.PodInfo]] = {}
        for p in m.pods(ctx.view):
            by_ns.setdefault(p.namespace, []).append(p)
        return {
            pol.ref: [p for p in by_ns.get(pol.namespace, []) if m.selects(pol, p)]
            for pol in netpol_parse.policies(ctx.view)
        }

    return ctx.view.memo(("netpol", "selected-pods"), build)
