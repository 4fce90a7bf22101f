"""Storage tab: every claim explained.

A table of claims (or of PersistentVolumes / StorageClasses, `v`), sortable (`s`, or click a
header) and narrowed by the app's namespace and filter. Below it, the detail of the row under
the cursor: the binding chain claim -> class -> provisioner -> PV, the pods using the claim
(`p` jumps to a pod's object view), findings with hints, checks skipped for want of facts, and
recent events. The analysis is `mlview.analysis.storage`, cached per store view.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from mlview import theme
from mlview.analysis import storage
from mlview.analysis.storage.model import ClaimRow, ClassRow, PVRow
from mlview.ui.context import ViewContext
from mlview.ui.marks import mark_rows, removed_key
from mlview.ui.messages import OpenDetail
from mlview.ui.pane import Pane
from mlview.ui.panes.storage.detail import (
    chain_text,
    class_text,
    consumer_cells,
    events_text,
    findings_text,
    pv_text,
)
from mlview.ui.panes.storage.tables import (
    HEADER_SORT,
    PRIORITY,
    PV,
    PVC,
    SC,
    SORTS,
    VIEWS,
    claim_table,
    class_table,
    pv_table,
    summary_text,
)
from mlview.ui.widgets import (
    VIRTUAL_LEGEND,
    Hanging,
    ObjectTable,
    Row,
    column_name,
    sort_labels,
)

TABLE_IDS = {"claims": "storage-claims", "volumes": "storage-pvs", "classes": "storage-classes"}
ROW_KIND = {"claims": PVC, "volumes": PV, "classes": SC}
# the header marked for each sort (the classes table sorts by name unless by worst)
SORT_COLUMN = {"worst": "WORST", "name": "NAME", "phase": "PHASE", "class": "CLASS", "size": "SIZE"}


def row_ref(view_name: str, key: str) -> tuple[str, str, str]:
    """The object a row of a storage table stands for: (kind, namespace, name)."""
    if view_name == "claims":
        ns, _, name = key.partition("/")
        return PVC, ns, name
    return ROW_KIND[view_name], "", key


class StoragePane(Pane):
    TITLE = "Storage"
    BINDINGS = [
        Binding("v", "cycle_view", "Claims/PVs/Classes"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("p", "pod", "Pod of claim"),
    ]
    HELP_KEYS = (
        ("enter", "Detail; in the pod list, the pod"),
        ("esc", "Pod list -> table; volumes/classes -> claims"),
        ("click header", "Sort by that column"),
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view_name = "claims"
        self.sort_by = "worst"
        self._ctx: ViewContext | None = None
        self._objects: dict[str, Any] = {}  # row key -> ClaimRow / PVRow / ClassRow
        self._consumer_keys: list[str] = []
        self._detail_of: tuple[Any, ...] | None = None  # (context, view, row key) shown below

    def compose(self) -> ComposeResult:
        yield Static(id="storage-summary")
        yield ObjectTable(  # PVs/classes: on `v`
            id="storage-claims", classes="storage-table", priority=PRIORITY["claims"]
        )
        with VerticalScroll(id="storage-detail"):
            yield Static(id="storage-head")
            yield ObjectTable(id="storage-consumers", zebra_stripes=False)
            yield Static(id="storage-findings")
            yield Static(id="storage-events")

    def on_mount(self) -> None:
        self.query_one("#storage-detail").border_title = "detail"

    # ---- data ---------------------------------------------------------------------------

    def refresh_context(self, ctx: ViewContext) -> None:
        self._ctx = ctx
        self._fill()

    def _fill(self) -> None:
        ctx = self._ctx
        if ctx is None:
            return
        build = {"claims": claim_table, "volumes": pv_table, "classes": class_table}
        data = build[self.view_name](ctx, self.sort_by)
        self._objects = data.objects
        marked = SORT_COLUMN[self.sort_by]
        if marked not in data.columns:
            marked = "NAME"
        columns, rows = sort_labels(data.columns, marked), data.rows
        changes = ctx.changes
        if changes is not None:  # mlview --baseline: marks, and the rows removed since
            old = build[self.view_name](changes.old_context(ctx), self.sort_by)

            def status(key: str) -> str | None:
                return changes.object_status(*row_ref(self.view_name, key))

            def gone(key: str) -> bool:
                return changes.object_status(*row_ref(self.view_name, key)) == "removed"

            columns, rows = mark_rows(columns, rows, old.rows, status, gone)
        self._active_table().set_rows(columns, rows)
        self.query_one("#storage-summary", Static).update(
            summary_text(ctx, self.view_name, len(data.rows), self.sort_by)
        )
        self._update_detail()

    def _active_table(self) -> ObjectTable:
        return self.query_one(f"#{TABLE_IDS[self.view_name]}", ObjectTable)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Filling the table already drew this row's detail: the event it posts then is skipped
        # (redrawing costs a layout pass, and the first screen waits for the layout to settle).
        table = self._active_table()
        shown = (self._ctx, self.view_name, table.selected_key())
        if event.data_table is table and self._detail_of != shown:
            self._update_detail()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        sort = HEADER_SORT.get(column_name(event.label))
        if sort and event.data_table is self._active_table():
            self.sort_by = sort
            self._fill()

    def _update_detail(self) -> None:
        ctx = self._ctx
        if ctx is None:
            return
        head = self.query_one("#storage-head", Static)
        consumers = self.query_one("#storage-consumers", ObjectTable)
        found_w = self.query_one("#storage-findings", Static)
        events_w = self.query_one("#storage-events", Static)
        key = self._active_table().selected_key()
        self._detail_of = (ctx, self.view_name, key)
        consumers.display = False
        events_w.display = False
        self._consumer_keys = []
        if key is None:
            head.update(Text("Nothing selected: no rows match.", style=theme.DIM))
            found_w.update("")
            return
        if removed_key(key) is not None:
            head.update(Text("Removed since the baseline (D lists the changes).", style=theme.DIM))
            found_w.update("")
            return
        obj = self._objects.get(key)
        if isinstance(obj, PVRow):
            head.update(pv_text(obj, ctx.findings_for(PV, "", key)))
            found_w.update("")
            return
        if isinstance(obj, ClassRow):
            head.update(class_text(obj, ctx.findings_for(SC, "", key)))
            found_w.update("")
            return
        row = obj if isinstance(obj, ClaimRow) else None
        detail = storage.claim_detail(ctx.view, row.namespace, row.name) if row else None
        if detail is None:
            head.update("")
            found_w.update("")
            return
        head.update(Hanging(chain_text(detail)))
        consumers.display = True
        rows: list[Row] = []
        for c in detail.consumers:
            ckey = f"{c.namespace}/{c.pod}"
            self._consumer_keys.append(ckey)
            rows.append((ckey, consumer_cells(c)))
        if not rows:
            rows = [("-", [Text("no pod uses this claim", style=theme.DIM), "", "", ""])]
        elif any(c.virtual for c in detail.consumers):
            rows.append(("legend", [Text(VIRTUAL_LEGEND, style=theme.NOTICE), "", "", ""]))
        consumers.set_rows(("POD", "NODE", "PHASE", "MOUNTS (container:path)"), rows)
        found_w.update(findings_text(ctx.shown(list(detail.findings)), detail.skipped))
        events_w.display = True
        events_w.update(events_text(detail.events, ctx.view.has_listed("Event"), ctx.now))

    # ---- actions ------------------------------------------------------------------------

    async def action_cycle_view(self) -> None:
        await self.show_view(VIEWS[(VIEWS.index(self.view_name) + 1) % len(VIEWS)])

    async def show_view(self, view: str) -> bool:
        """Claims, volumes or classes (`v`; `:pvc`, `:pv`, `:sc` in command mode)."""
        if view not in VIEWS:
            return False
        self.view_name = view
        wanted = TABLE_IDS[self.view_name]
        if not self.query(f"#{wanted}"):  # made on first use: the first screen has one table
            table = ObjectTable(
                id=wanted, classes="storage-table", priority=PRIORITY[self.view_name]
            )
            await self.mount(table, before="#storage-detail")
        for table in self.query(".storage-table"):
            table.display = table.id == wanted
        self._fill()
        self._active_table().focus()
        return True

    def action_cycle_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        self._fill()

    def action_pod(self) -> None:
        """Open the object view of the claim's pod; with several pods, pick one first."""
        if self.view_name != "claims" or not self._consumer_keys:
            self.app.notify("No pod uses the selected claim.", severity="warning")
            return
        consumers = self.query_one("#storage-consumers", ObjectTable)
        if len(self._consumer_keys) == 1 or consumers.has_focus:
            pod = self._pod(
                consumers.selected_key() if consumers.has_focus else self._consumer_keys[0]
            )
            if pod is not None:
                self._open(pod)
            return
        consumers.focus()
        self.app.notify("Pick a pod and press Enter (Esc goes back).")

    def selected_pods(self) -> list[dict[str, Any]]:
        """The pod under the cursor of the claim's pods, else every pod using the claim."""
        if self.query_one("#storage-consumers", ObjectTable).has_focus:
            return super().selected_pods()
        return (
            self.pods_by_key(self._ctx, self._consumer_keys) if self.view_name == "claims" else []
        )

    def back(self) -> bool:
        """Esc in the pod list returns to the table."""
        if self.query_one("#storage-consumers", ObjectTable).has_focus:
            self._active_table().focus()
            return True
        return False

    async def back_view(self) -> bool:
        """Esc on the volumes or classes view (no filter left to clear): back to the claims."""
        if self.view_name == "claims":
            return False
        return await self.show_view("claims")

    def _pod(self, key: str | None) -> dict[str, Any] | None:
        if not key or "/" not in key or self._ctx is None:
            return None
        ns, name = key.split("/", 1)
        return self._ctx.view.get("Pod", ns, name)

    def _open(self, obj: dict[str, Any]) -> None:
        self.post_message(OpenDetail(obj, self._ctx))

    def selected_object(self) -> dict[str, Any] | None:
        ctx = self._ctx
        if ctx is None:
            return None
        consumers = self.query_one("#storage-consumers", ObjectTable)
        if consumers.has_focus:
            return self._pod(consumers.selected_key())
        key = self._active_table().selected_key()
        if key is None:
            return None
        if self.view_name == "volumes":
            return ctx.view.get(PV, "", key)
        if self.view_name == "classes":
            return ctx.view.get(SC, "", key)
        ns, _, name = key.partition("/")
        return ctx.view.get(PVC, ns, name)


PANE = StoragePane  # the tab's pane (mlview/domains.py)
