"""Findings tab: every finding, worst first; `s` switches the sort. The selected finding's
whole message and hint show below the table (the table cuts long messages).

With `mlview --baseline OLD`, a mark column says which findings are new since the baseline
(+), and the ones it had that are resolved now are listed struck through (-); `b` shows all,
only new, only resolved or only unchanged ones."""

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
from mlview.ui.catalogue_view import catalogue_lines
from mlview.ui.context import ViewContext
from mlview.ui.marks import MARK_COLUMN, mark_cell, struck
from mlview.ui.pane import Pane
from mlview.ui.widgets import (
    Hanging,
    ObjectTable,
    Row,
    column_name,
    safe,
    severity_text,
    sort_labels,
)
from mlview.ui.words import counted

SORTS = ("severity", "object", "code")
COLUMNS = ("SEVERITY", "CODE", "OBJECT", "MESSAGE")
# SEVERITY, CODE and OBJECT whole; MESSAGE gets what is left (the whole of it shows below)
# (the baseline's mark column, when there is one, first of all)
PRIORITY = (MARK_COLUMN, "SEVERITY", "CODE", "OBJECT", "MESSAGE")
SORT_COLUMN = {"severity": "SEVERITY", "object": "OBJECT", "code": "CODE"}  # header marked
# With a baseline: which findings the table shows (b cycles)
SHOWS = ("all", "new", "resolved", "unchanged")
_MARK_OF = {"new": "added", "resolved": "removed", "unchanged": None}


class FindingsPane(Pane):
    TITLE = "Findings"
    BINDINGS = [
        Binding("s", "cycle_sort", "Sort"),
        Binding("b", "cycle_show", "New/resolved/unchanged"),  # with --baseline only
    ]
    HELP_KEYS = (("enter", "Open the finding's object"), ("click header", "Sort by that column"))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._sort = "severity"
        self.show = "all"  # with a baseline: all, new, resolved or unchanged findings
        self._shown: dict[str, Finding] = {}
        self._status: dict[str, str] = {}  # row key -> new, resolved, unchanged (baseline)
        self._ctx: ViewContext | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="findings-summary")
        yield ObjectTable(id="findings-table", priority=PRIORITY)
        with VerticalScroll(id="findings-detail"):
            yield Static(id="findings-text")

    def refresh_context(self, ctx: ViewContext) -> None:
        self._ctx = ctx
        changes = ctx.changes
        status: dict[int, str] = {}  # id(finding) -> new, resolved, unchanged
        found = list(ctx.findings)
        if changes is not None:
            status = {id(f): changes.finding_status(f) for f in found}
            status.update((id(f), "resolved") for f in changes.resolved)
            found += changes.resolved
            if self.show != "all":
                found = [f for f in found if status[id(f)] == self.show]
        found = [f for f in found if ctx.in_namespace(f.namespace)]
        found = [f for f in found if ctx.passes_filter(f.code, f.ref, f.message, f.hint)]
        if self._sort == "object":
            found.sort(key=lambda f: (f.kind, f.namespace, f.name, -f.severity.rank))
        elif self._sort == "code":
            found.sort(key=lambda f: (f.code, -f.severity.rank, f.ref))
        rows: list[Row] = []
        self._shown, self._status = {}, {}
        columns = list(sort_labels(COLUMNS, SORT_COLUMN[self._sort]))
        for i, f in enumerate(found):
            key = f"{f.code}|{f.ref}|{i}"
            self._shown[key] = f
            cells: list[Any] = [severity_text(f.severity), f.code, safe(f.ref), safe(f.message)]
            if changes is not None:
                self._status[key] = st = status[id(f)]
                cells = [mark_cell(_MARK_OF[st]), *(struck(cells) if st == "resolved" else cells)]
            rows.append((key, cells))
        if changes is not None:
            columns.insert(0, MARK_COLUMN)
        self.query_one(ObjectTable).set_rows(columns, rows)
        current = [f for f in found if status.get(id(f)) != "resolved"]
        counts = {
            s: sum(1 for f in current if f.severity.value == s)
            for s in ("error", "warning", "info")
        }
        hidden = f"  ·  {ctx.hidden} hidden by {ctx.overrides.source}" if ctx.hidden else ""
        summary = Text(
            f"{counted(len(current), 'finding')}: {counted(counts['error'], 'error')}, "
            f"{counted(counts['warning'], 'warning')}, {counts['info']} info"
            f"  ·  sorted by {self._sort} (s){hidden}"
        )
        if changes is not None:  # first: the line is cut at the right on a narrow terminal
            new = sum(1 for f in found if status[id(f)] == "new")
            head = Text()  # styled per part: a Text's own style would colour the whole line
            head.append(f"+{new} new", style=theme.ERROR if new else theme.OK_STRONG)
            head.append(f"  -{len(found) - len(current)} resolved", style=theme.OK_STRONG)
            head.append(f" (b: {self.show})  ·  ", style=theme.DIM)
            summary = head + summary
        self.query_one("#findings-summary", Static).update(summary)
        self._show_selected()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        f = self.selected_finding()
        text = self.query_one("#findings-text", Static)
        if f is None:
            text.update(Text("No findings match the namespace and filter.", style=theme.DIM))
            return
        state = self._status.get(self.query_one(ObjectTable).selected_key() or "")
        notes = {
            "new": [Text("New since the baseline.", style=theme.WARNING_STRONG)],
            "resolved": [Text("Resolved: the baseline had it, the cluster has not.", theme.OK)],
        }.get(state or "", [])
        text.update(
            Group(
                *notes,
                severity_text(f.severity)
                + Text("  ")
                + Text(f.code, style=theme.STRONG)
                + Text("  ")
                + safe(f.ref, theme.DIM),
                Hanging(safe(f.message)),
                Hanging(Text("hint: ", style=theme.HINT) + safe(f.hint)) if f.hint else Text(),
                *(Hanging(line) for line in catalogue_lines(f.code)),
                Text("Enter opens the object (YAML, Events, all its findings).", style=theme.DIM),
            )
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cycle_show":  # without a baseline: off, and not in the footer
            return getattr(self.app, "baseline", None) is not None
        return True

    def action_cycle_show(self) -> None:
        if self._ctx is None or self._ctx.changes is None:
            self.app.notify("Still comparing with the baseline…")
            return
        self.show = SHOWS[(SHOWS.index(self.show) + 1) % len(SHOWS)]
        self.refresh_context(self._ctx)

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
        key = self.query_one(ObjectTable).selected_key() or ""
        if self._status.get(key) == "resolved":  # the object as the baseline had it
            return self._ctx.changes.base.view.get(f.kind, f.namespace, f.name)
        return self._ctx.view.get(f.kind, f.namespace, f.name)


PANE = FindingsPane  # the tab's pane (mlview/domains.py)
