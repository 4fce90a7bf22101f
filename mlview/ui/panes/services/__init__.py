"""Services tab: one row per model service, its card below (route to GPU to model store).

Model services first, worst first (`s` sorts by name or namespace instead). The card of the
row under the cursor shows its routes with the status `trace` predicts, pods and rollout, GPUs,
claims, who may connect and whether it reaches the model store and DNS, findings and Events.
Enter opens the Service's object view; `t` traces its first route; `i`, `c` and `r` jump to
the same service on the Ingress tab (its first route), the Storage tab (its first claim) and the
Reachability tab (focused on its pods, on its serving port). The analysis is
`mlview.analysis.services`.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from mlview import theme
from mlview.analysis import services
from mlview.ui.context import ViewContext
from mlview.ui.marks import MARK_COLUMN, mark_rows, removed_key
from mlview.ui.pane import Pane
from mlview.ui.panes.services.card_text import COLUMNS, card_text, row_cells
from mlview.ui.widgets import ObjectTable, Row, column_name, sort_labels, update_if_changed
from mlview.ui.words import counted

SORTS = ("worst", "name", "namespace")
SORT_COLUMN = {"worst": "WORST", "name": "SERVICE", "namespace": "NAMESPACE"}  # header marked


class ServicesPane(Pane):
    TITLE = "Services"
    BINDINGS = [
        Binding("s", "cycle_sort", "Sort"),
        Binding("i", "jump('ingress')", "Its route"),
        Binding("c", "jump('storage')", "Its claim"),
        Binding("r", "jump('reachability')", "Who reaches it"),
        Binding("p", "pods", "Its pods"),
    ]
    HELP_KEYS = (("t", "Trace the service's first route"), ("enter", "Open the Service"))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._ctx: ViewContext | None = None
        self._rows: dict[str, services.ServiceRow] = {}
        self._card: services.ServiceCard | None = None
        self.sort_by = "worst"

    def compose(self) -> ComposeResult:
        yield Static(id="services-summary")
        # COLUMNS are in order of importance; the --baseline mark column goes before them all
        yield ObjectTable(id="services-table", priority=(MARK_COLUMN, *COLUMNS))
        with VerticalScroll(id="services-card") as card:
            card.border_title = "service"
            yield Static(id="services-card-text")

    def refresh_context(self, ctx: ViewContext) -> None:
        self._ctx = ctx
        rows = self._sorted_rows(ctx)
        self._rows = {r.ref: r for r in rows}
        table_rows: list[Row] = [(r.ref, row_cells(r)) for r in rows]
        columns: tuple[str, ...] = sort_labels(COLUMNS, SORT_COLUMN[self.sort_by])
        changes = ctx.changes
        if changes is not None:  # mlview --baseline: marks, and the services gone since
            old_ctx = changes.old_context(ctx)
            now_keys = {r.ref for r in services.service_rows(ctx.view, ctx.now)}
            old_rows = [
                (r.ref, row_cells(r)) for r in self._sorted_rows(old_ctx) if r.ref not in now_keys
            ]
            old_keys = {r.ref for r in services.service_rows(old_ctx.view, old_ctx.now)}

            def status(key: str) -> str | None:
                ns, _, name = key.partition("/")
                found = changes.object_status("Service", ns, name)
                if key not in old_keys and found is None:
                    return "added"
                row = self._rows.get(key)
                routes = row.routes if row is not None and found is None else ()
                # its Service unchanged, but what one of its URLs reaches did (routes section)
                return "changed" if any(changes.route_status(r.key) for r in routes) else found

            columns, table_rows = mark_rows(columns, table_rows, old_rows, status, lambda k: True)
        self.query_one(ObjectTable).set_rows(columns, table_rows)
        models = sum(1 for r in rows if r.is_model)
        broken = sum(1 for r in rows if r.worst is not None and r.worst.value == "error")
        summary = Text(counted(models, "model service"))
        if len(rows) > models:
            summary.append(f" + {counted(len(rows) - models, 'other routed service')}")
        if broken:
            summary.append(f"  {broken} with errors", style=theme.ERROR)
        summary.append(f"  ·  sorted by {self.sort_by} (s)  t: trace its route", style=theme.DIM)
        update_if_changed(self.query_one("#services-summary", Static), summary)
        self._show_card()

    def _sorted_rows(self, ctx: ViewContext) -> list[services.ServiceRow]:
        rows = [
            r
            for r in services.service_rows(ctx.view, ctx.now)
            if ctx.in_namespace(r.namespace)
            and ctx.passes_filter(r.name, r.namespace, r.server, *(x.host for x in r.routes))
        ]
        if self.sort_by == "name":
            rows.sort(key=lambda r: (not r.is_model, r.name, r.namespace))
        elif self.sort_by == "namespace":
            rows.sort(key=lambda r: (not r.is_model, r.namespace, r.name))
        return rows

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_card()

    def _show_card(self) -> None:
        ctx, row = self._ctx, self.selected_row()
        text = self.query_one("#services-card-text", Static)
        if removed_key(self.query_one(ObjectTable).selected_key()):
            text.update(Text("Removed since the baseline (D lists the changes).", theme.DIM))
            return
        if ctx is None or row is None:
            empty = "No model service in this snapshot." if not self._rows else ""
            text.update(
                Text(empty or "No service matches the namespace or filter.", style=theme.DIM)
            )
            return
        card = self._card = services.service_card(ctx.view, row.namespace, row.name, ctx.now)
        self.query_one("#services-card", VerticalScroll).border_title = row.ref
        text.update(card_text(card, ctx.shown(list(card.findings))))

    async def action_jump(self, tab_id: str) -> None:
        """The same service on another tab, the cursor on it."""
        row, ctx = self.selected_row(), self._ctx
        if row is None or ctx is None:
            return
        key = ""
        if tab_id == "ingress" and row.routes:
            route = row.routes[0]
            key = route.key
        elif tab_id == "storage" and row.claims:
            key = row.claims[0]
        elif tab_id == "reachability":
            svc = ctx.view.get("Service", row.namespace, row.name) or {}
            selector = (svc.get("spec") or {}).get("selector") or {}
            port = self._card.port if self._card is not None else None
            if isinstance(selector, dict) and selector:
                key = ",".join(f"{k}={v}" for k, v in selector.items())
                key += f"@{port}" if port else ""
        if not key:
            what = {"ingress": "route", "storage": "claim", "reachability": "selector"}[tab_id]
            self.app.notify(f"{row.ref} has no {what} to show there", severity="warning")
            return
        await self.app.show_object(tab_id, key)  # type: ignore[attr-defined]

    def action_cycle_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        if self._ctx is not None:
            self.refresh_context(self._ctx)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        sort = {v: k for k, v in SORT_COLUMN.items()}.get(column_name(event.label))
        if sort and self._ctx is not None:
            self.sort_by = sort
            self.refresh_context(self._ctx)

    def selected_row(self) -> services.ServiceRow | None:
        key = self.query_one(ObjectTable).selected_key()
        return self._rows.get(key) if key else None

    def selected_object(self) -> dict[str, Any] | None:
        row = self.selected_row()
        if row is None or self._ctx is None:
            return None
        return self._ctx.view.get("Service", row.namespace, row.name)

    def selected_pods(self) -> list[dict[str, Any]]:
        card, row = self._card, self.selected_row()
        if card is None or row is None or card.row.ref != row.ref:
            return []
        return self.pods_by_key(self._ctx, [f"{row.namespace}/{p.name}" for p in card.pods])

    def action_pods(self) -> None:
        """The pod view of the service's pod; with several, a list of them, not ready first."""
        if not self.selected_pods():
            row = self.selected_row()
            self.app.notify(f"{row.ref if row else 'this service'} has no pods", severity="warning")
            return
        self.app.action_show_pod()  # type: ignore[attr-defined]

    def trace_url(self) -> str:
        row = self.selected_row()
        if row is None:
            return ""
        return next((x.url for x in row.routes if x.url), "")


PANE = ServicesPane  # the tab's pane (mlview/domains.py)
