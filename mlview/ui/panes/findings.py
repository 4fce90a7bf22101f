"""Findings tab: every finding, worst first; `s` switches the sort."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from mlview.analysis.findings import Finding
from mlview.ui.context import ViewContext
from mlview.ui.pane import Pane
from mlview.ui.widgets import ObjectTable, Row, safe, severity_text

SORTS = ("severity", "object", "code")


class FindingsPane(Pane):
    TITLE = "Findings"
    BINDINGS = [Binding("s", "cycle_sort", "Sort")]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._sort = "severity"
        self._shown: dict[str, Finding] = {}
        self._ctx: ViewContext | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="findings-summary")
        yield ObjectTable(id="findings-table")

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
        self.query_one(ObjectTable).set_rows(["SEVERITY", "CODE", "OBJECT", "MESSAGE"], rows)
        counts = {s: sum(1 for f in found if f.severity.value == s)
                  for s in ("error", "warning", "info")}
        self.query_one("#findings-summary", Static).update(
            f"{len(found)} findings: {counts['error']} error, {counts['warning']} warning, "
            f"{counts['info']} info  ·  sorted by {self._sort} (s)"
        )

    def action_cycle_sort(self) -> None:
        self._sort = SORTS[(SORTS.index(self._sort) + 1) % len(SORTS)]
        if self._ctx is not None:
            self.refresh_context(self._ctx)

    def selected_finding(self) -> Finding | None:
        key = self.query_one(ObjectTable).selected_key()
        return self._shown.get(key) if key else None

    def selected_object(self) -> dict[str, Any] | None:
        f = self.selected_finding()
        if f is None or self._ctx is None:
            return None
        return self._ctx.view.get(f.kind, f.namespace, f.name)
