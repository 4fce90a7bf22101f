"""A list of pods to pick from, the ones not serving first (`o`, `:pod`, a service's pods).
Enter opens the pod view."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from mlview import theme
from mlview.analysis.pods import PodReport, report_of
from mlview.analysis.shared import objects as o
from mlview.timefmt import age
from mlview.ui.context import ViewContext
from mlview.ui.messages import OpenDetail
from mlview.ui.widgets import ObjectTable, Row, safe
from mlview.ui.words import counted

COLUMNS = ("POD", "READY", "STATUS", "RESTARTS", "LAST TERMINATION", "AGE", "NODE", "NAMESPACE")
# At 80 columns: which pod and what is wrong with it first (STATUS, wide, is cut to fit after
# the narrow READY and RESTARTS), where it runs last
PRIORITY = ("POD", "READY", "RESTARTS", "STATUS", "LAST TERMINATION", "AGE", "NAMESPACE", "NODE")


def pod_cells(r: PodReport, ctx: ViewContext) -> tuple:
    ready = sum(1 for c in r.containers if c.ready and not c.init)
    total = sum(1 for c in r.containers if not c.init)
    last = r.last_termination
    status = r.virtual and "virtual" or (r.phase if r.ready else r.problem)
    return (
        safe(r.name, theme.STRONG),
        Text(f"{ready}/{total}", style=theme.OK if r.ready else theme.ERROR),
        safe(status, theme.NOTICE if r.virtual else (theme.OK if r.ready else theme.ERROR)),
        Text(str(r.restarts), style=theme.BAD if r.restarts else ""),
        safe(f"{last[1].summary} {age(last[1].finished_at, ctx.now)} ago", theme.BAD)
        if last
        else Text("-", style=theme.DIM),
        Text(age(r.started, ctx.now), style=theme.DIM),
        safe(r.node or "-", theme.DIM),
        safe(r.namespace, theme.DIM),
    )


def worst_first(reports: list[PodReport]) -> list[PodReport]:
    """Not ready first, then the most restarts, then by name."""
    return sorted(reports, key=lambda r: (r.ready, -r.restarts, r.namespace, r.name))


class PodsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "dismiss", "Close")]

    def __init__(self, pods: list[dict[str, Any]], ctx: ViewContext, title: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.title_text = title
        self.reports = worst_first([report_of(ctx.view, p) for p in pods])
        self._objects = {f"{o.namespace(p)}/{o.name(p)}": p for p in pods}

    def compose(self) -> ComposeResult:
        with Vertical(id="pods-box"):
            yield Static(id="pods-summary")
            yield ObjectTable(id="pods-table", priority=PRIORITY, keep_ends=("POD",))
        yield Footer()

    def on_mount(self) -> None:
        box = self.query_one("#pods-box")
        box.border_title = self.title_text
        rows: list[Row] = [
            (f"{r.namespace}/{r.name}", pod_cells(r, self.ctx)) for r in self.reports
        ]
        self.query_one("#pods-table", ObjectTable).set_rows(COLUMNS, rows)
        failing = sum(1 for r in self.reports if not r.ready)
        text = Text() + Text(f" {counted(len(rows), 'pod')}", style=theme.STRONG)
        if failing:
            text.append(f"  {failing} not ready", style=theme.ERROR)
        text.append("   not ready first  enter: pod view  esc: close", style=theme.DIM)
        if not rows:
            text = Text(" No pods here.", style=theme.DIM)
        self.query_one("#pods-summary", Static).update(text)
        self.query_one("#pods-table").focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = self.query_one("#pods-table", ObjectTable).selected_key()
        pod = self._objects.get(key or "")
        if pod is not None:
            self.post_message(OpenDetail(pod, self.ctx))
