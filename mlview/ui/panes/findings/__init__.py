"""Findings tab: every finding, worst first; `s` switches the sort. The selected finding's
whole message and hint show below the table (the table cuts long messages)."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from mlview import theme
from mlview.analysis.findings import Finding
from mlview.ui.context import ViewContext
from mlview.ui.pane import Pane
from mlview.ui.widgets import ObjectTable, Row, column_name, safe, severity_text, sort_labels

SORTS = ("severity", "object", "code")
COLUMNS = ("SEVERITY", "CODE", "OBJECT", "MESSAGE")
SORT_COLUMN = {"severity": "SEVERITY", "object": "OBJECT", "code": "CODE"}  # header marked


def catalogue_lines(code: str) -> list[Text]:
    """What the findings catalogue says of a code (as `mlview explain CODE` prints it)."""
    from mlview.analysis.catalogue import CATALOGUE

    entry = CATALOGUE.get(code)
    if entry is None:
        return []
    return [
        Text(),
        Text(entry.title, style=theme.HEADING),
        Text("What it means: ", style=theme.STRONG) + Text(entry.means),
        Text("What you see: ", style=theme.STRONG) + Text(entry.sees),
        Text("How to fix: ", style=theme.STRONG) + Text(entry.fix),
        Text(),
    ]


class FindingsPane(Pane):
    TITLE = "Findings"
    BINDINGS = [Binding("s", "cycle_sort", "Sort")]
    HELP_KEYS = (("enter", "Open the finding's object"), ("click header", "Sort by that column"))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._sort = "severity"
        self._shown: dict[str, Finding] = {}
        self._ctx: ViewContext | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="findings-summary")
        yield ObjectTable(id="findings-table")
        with VerticalScroll(id="findings-detail"):
            yield Static(id="findings-text")

    def refresh_context(self, ctx: ViewContext) -> None:
        self._ctx = ctx
        found = [f for f in ctx.findings if ctx.in_namespace(f.namespace)]
        found = [f for f in found if ctx.passes_filter(f.code, f.ref, f.message, f.hint)]
        if self._sort == "object":
            found.sort(key=lambda f: (f.kind, f.namespace, f.name, -f.severity.rank))
        elif self._sort == "code":
            found.sort(key=lambda f: (f.code, -f.severity.rank, f.ref))
        rows: list[Row] = []
        self._shown = {}
        for i, f in enumerate(found):
            key = f"{f.code}|{f.ref}|{i}"
            self._shown[key] = f
            rows.append((key, [severity_text(f.severity), f.code, safe(f.ref), safe(f.message)]))
        columns = sort_labels(COLUMNS, SORT_COLUMN[self._sort])
        self.query_one(ObjectTable).set_rows(columns, rows)
        counts = {
            s: sum(1 for f in found if f.severity.value == s) for s in ("error", "warning", "info")
        }
        hidden = f"  ·  {ctx.hidden} hidden by {ctx.overrides.source}" if ctx.hidden else ""
        self.query_one("#findings-summary", Static).update(
            Text(
                f"{len(found)} findings: {counts['error']} error, {counts['warning']} warning, "
                f"{counts['info']} info  ·  sorted by {self._sort} (s){hidden}"
            )
        )
        self._show_selected()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        f = self.selected_finding()
        text = self.query_one("#findings-text", Static)
        if f is None:
            text.update(Text("No findings match the namespace and filter.", style=theme.DIM))
            return
        text.update(
            Group(
                severity_text(f.severity)
                + Text("  ")
                + Text(f.code, style=theme.STRONG)
                + Text("  ")
                + safe(f.ref, theme.DIM),
                safe(f.message),
                Text("hint: ", style=theme.HINT) + safe(f.hint) if f.hint else Text(),
                *catalogue_lines(f.code),
                Text("Enter opens the object (YAML, Events, all its findings).", style=theme.DIM),
            )
        )

    def action_cycle_sort(self) -> None:
        self._sort = SORTS[(SORTS.index(self._sort) + 1) % len(SORTS)]
        if self._ctx is not None:
            self.refresh_context(self._ctx)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        sort = {v: k for k, v in SORT_COLUMN.items()}.get(column_name(event.label))
        if sort and self._ctx is not None:
            self._sort = sort
            self.refresh_context(self._ctx)

    def selected_finding(self) -> Finding | None:
        key = self.query_one(ObjectTable).selected_key()
        return self._shown.get(key) if key else None

    def selected_object(self) -> dict[str, Any] | None:
        f = self.selected_finding()
        if f is None or self._ctx is None:
            return None
        return self._ctx.view.get(f.kind, f.namespace, f.name)


PANE = FindingsPane  # the tab's pane (mlview/domains.py)
