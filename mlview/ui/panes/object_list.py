"""A plain table of one kind's objects: the simplest pane, and a base for richer ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult

from mlview.analysis.findings import worst
from mlview.analysis.objects import name, namespace
from mlview.ui.context import ViewContext
from mlview.ui.pane import Pane
from mlview.ui.widgets import ObjectTable, Row, safe, severity_text

Column = tuple[str, Callable[[dict[str, Any]], object]]


class ObjectListPane(Pane):
    KIND: ClassVar[str] = ""
    COLUMNS: ClassVar[list[Column]] = []

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._objects: dict[str, dict[str, Any]] = {}

    def compose(self) -> ComposeResult:
        yield ObjectTable(id=f"{self.id or 'pane'}-table")

    def refresh_context(self, ctx: ViewContext) -> None:
        rows: list[Row] = []
        self._objects = {}
        objs = sorted(ctx.view.list(self.KIND), key=lambda o: (namespace(o), name(o)))
        for obj in objs:
            ns, nm = namespace(obj), name(obj)
            if not ctx.in_namespace(ns):
                continue
            values = [str(get(obj)) for _, get in self.COLUMNS]
            if not ctx.passes_filter(ns, nm, *values):
                continue
            key = f"{ns}/{nm}"
            self._objects[key] = obj
            sev = worst(ctx.findings_for(self.KIND, ns, nm))
            rows.append((key, [safe(ns), safe(nm), *[safe(v) for v in values], severity_text(sev)]))
        columns = ["NAMESPACE", "NAME", *[c for c, _ in self.COLUMNS], "WORST"]
        self.query_one(ObjectTable).set_rows(columns, rows)

    def selected_object(self) -> dict[str, Any] | None:
        key = self.query_one(ObjectTable).selected_key()
        return self._objects.get(key) if key else None
