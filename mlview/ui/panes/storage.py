"""Storage tab: every claim explained (issue 3).

A table of claims (or of PersistentVolumes / StorageClasses, `v`), sortable (`s`, or click a
header) and narrowed by the app's namespace and filter. Below it, the detail of the row under
the cursor: the binding chain claim -> class -> provisioner -> PV, the pods using the claim
(`p` jumps to a pod's object view), findings with hints, checks skipped for want of facts, and
recent events. The analysis is `mlview.analysis.storage`, cached per store view.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from mlview.analysis import storage
from mlview.analysis.findings import Finding, worst
from mlview.analysis.storage_model import ClaimRow, ClassRow, PVRow, parse_quantity
from mlview.analysis.storage_provisioners import SHORT
from mlview.ui.context import ViewContext
from mlview.ui.pane import Pane
from mlview.ui.panes.storage_detail import (
    chain_text,
    class_text,
    consumer_cells,
    events_text,
    findings_text,
    phase_text,
    pv_text,
)
from mlview.ui.widgets import SEVERITY_STYLE, ObjectTable, Row, safe, severity_text

PVC, PV, SC = "PersistentVolumeClaim", "PersistentVolume", "StorageClass"
VIEWS = ("claims", "volumes", "classes")
SORTS = ("worst", "name", "phase", "class", "size")
_PHASE_ORDER = {"Lost": 0, "Failed": 0, "Pending": 1, "Released": 2, "": 3}
_BINDING = {"WaitForFirstConsumer": "WFFC", "Immediate": "Immediate"}

CLAIM_COLUMNS = (
    "WORST",
    "NAMESPACE",
    "NAME",
    "PHASE",
    "SIZE",
    "MODES",
    "CLASS",
    "PODS",
    "RECLAIM",
    "PROVISIONER",
    "BINDING",
    "VOLUME",
)
PV_COLUMNS = ("WORST", "NAME", "PHASE", "CLAIM", "CLASS", "SIZE", "MODES", "RECLAIM", "SOURCE")
CLASS_COLUMNS = (
    "WORST",
    "NAME",
    "DEFAULT",
    "PROVISIONER",
    "RECLAIM",
    "BINDING",
    "EXPANSION",
    "CLAIMS",
    "PARAMETERS",
)
# which sort a header click picks, per column name
_HEADER_SORT = {
    "WORST": "worst",
    "NAME": "name",
    "NAMESPACE": "name",
    "PHASE": "phase",
    "CLASS": "class",
    "SIZE": "size",
}


def _size(text: str) -> Decimal:
    return parse_quantity(text) or Decimal(0)


def _rank(found: list[Finding]) -> int:
    sev = worst(found)
    return sev.rank if sev else 0


class StoragePane(Pane):
    TITLE = "Storage"
    BINDINGS = [
        Binding("v", "cycle_view", "Claims/PVs/Classes"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("p", "pod", "Pod of claim"),
        Binding("escape", "back", "Back to claims", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view_name = "claims"
        self.sort_by = "worst"
        self._ctx: ViewContext | None = None
        self._claim_map: dict[str, ClaimRow] = {}
        self._pv_map: dict[str, PVRow] = {}
        self._class_map: dict[str, ClassRow] = {}
        self._consumer_keys: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id="storage-summary")
        yield ObjectTable(id="storage-claims", classes="storage-table")
        yield ObjectTable(id="storage-pvs", classes="storage-table")
        yield ObjectTable(id="storage-classes", classes="storage-table")
        with VerticalScroll(id="storage-detail"):
            yield Static(id="storage-head")
            yield ObjectTable(id="storage-consumers", zebra_stripes=False)
            yield Static(id="storage-findings")
            yield Static(id="storage-events")

    def on_mount(self) -> None:
        self.query_one("#storage-detail").border_title = "detail"
        self._show_view()

    # ---- data ---------------------------------------------------------------------------

    def refresh_context(self, ctx: ViewContext) -> None:
        self._ctx = ctx
        self._fill()

    def _fill(self) -> None:
        ctx = self._ctx
        if ctx is None:
            return
        filler: dict[str, Callable[[ViewContext], int]] = {
            "claims": self._fill_claims,
            "volumes": self._fill_pvs,
            "classes": self._fill_classes,
        }
        shown = filler[self.view_name](ctx)
        self._summary(ctx, shown)
        self._update_detail()

    def _found(self, ctx: ViewContext, kind: str, ns: str, name: str) -> list[Finding]:
        return ctx.findings_for(kind, ns, name)

    def _fill_claims(self, ctx: ViewContext) -> int:
        rows = []
        for r in storage.claim_rows(ctx.view):
            if not ctx.in_namespace(r.namespace):
                continue
            found = self._found(ctx, PVC, r.namespace, r.name)
            pods = " ".join(c.pod for c in r.consumers)
            if not ctx.passes_filter(
                r.namespace,
                r.name,
                r.phase,
                r.storage_class,
                r.provisioner,
                r.volume,
                r.modes_short,
                pods,
                *(f.code for f in found),
            ):
                continue
            rows.append((r, found))
        keyfn: dict[str, Callable[[tuple[ClaimRow, list[Finding]]], Any]] = {
            "worst": lambda t: (-_rank(t[1]), t[0].namespace, t[0].name),
            "name": lambda t: (t[0].namespace, t[0].name),
            "phase": lambda t: (_PHASE_ORDER.get(t[0].phase, 4), t[0].namespace, t[0].name),
            "class": lambda t: (t[0].storage_class, t[0].namespace, t[0].name),
            "size": lambda t: (-_size(t[0].requested), t[0].namespace, t[0].name),
        }
        rows.sort(key=keyfn[self.sort_by])
        self._claim_map = {f"{r.namespace}/{r.name}": r for r, _ in rows}
        table_rows: list[Row] = [
            (f"{r.namespace}/{r.name}", self._claim_cells(r, found)) for r, found in rows
        ]
        self.query_one("#storage-claims", ObjectTable).set_rows(CLAIM_COLUMNS, table_rows)
        return len(rows)

    def _claim_cells(self, r: ClaimRow, found: list[Finding]) -> list[Text | str]:
        sev = worst(found)
        name_style = SEVERITY_STYLE[sev.value] if sev and sev.rank >= 2 else ""
        if r.class_source == "default":
            cls = safe(f"{r.storage_class} (default)")
        elif r.class_source in ("static", "none"):
            cls = safe('"" static' if r.class_source == "static" else "(none)", "dim")
        else:
            cls = safe(r.storage_class, "bold red" if r.class_exists is False else "")
        active = r.active_consumers
        nodes = {c.node for c in active if c.node}
        pods = f"{len(active)}" + (f" / {len(nodes)} nodes" if len(nodes) > 1 else "")
        return [
            severity_text(sev),
            safe(r.namespace),
            safe(r.name, name_style),
            phase_text(r.phase),
            safe(r.requested or "-"),
            safe(r.modes_short or "-"),
            cls,
            safe(pods if r.consumers else "-"),
            safe(r.reclaim_policy or "-", "yellow" if r.reclaim_policy == "Delete" else ""),
            safe(r.provisioner or "-"),
            safe(_BINDING.get(r.binding_mode, r.binding_mode or "-")),
            safe(r.volume[:20] + ("…" if len(r.volume) > 20 else "") if r.volume else "-"),
        ]

    def _fill_pvs(self, ctx: ViewContext) -> int:
        rows = []
        for r in storage.pv_rows(ctx.view):
            claim_ns = r.claim.split("/", 1)[0] if r.claim else ""
            if not ctx.in_namespace(claim_ns):
                continue
            found = self._found(ctx, PV, "", r.name)
            if not ctx.passes_filter(
                r.name, r.phase, r.claim, r.storage_class, r.source, *(f.code for f in found)
            ):
                continue
            rows.append((r, found))
        keyfn: dict[str, Callable[[tuple[PVRow, list[Finding]]], Any]] = {
            "worst": lambda t: (-_rank(t[1]), t[0].name),
            "name": lambda t: t[0].name,
            "phase": lambda t: (_PHASE_ORDER.get(t[0].phase, 4), t[0].name),
            "class": lambda t: (t[0].storage_class, t[0].name),
            "size": lambda t: (-_size(t[0].capacity), t[0].name),
        }
        rows.sort(key=keyfn[self.sort_by])
        self._pv_map = {r.name: r for r, _ in rows}
        table_rows: list[Row] = [
            (
                r.name,
                [
                    severity_text(worst(found)),
                    safe(r.name),
                    phase_text(r.phase),
                    safe(r.claim or "-"),
                    safe(r.storage_class or '""'),
                    safe(r.capacity or "-"),
                    safe(",".join(SHORT.get(m, m) for m in r.access_modes) or "-"),
                    safe(r.reclaim_policy or "-"),
                    safe(r.source or "-"),
                ],
            )
            for r, found in rows
        ]
        self.query_one("#storage-pvs", ObjectTable).set_rows(PV_COLUMNS, table_rows)
        return len(rows)

    def _fill_classes(self, ctx: ViewContext) -> int:
        rows = []
        for r in storage.class_rows(ctx.view):
            found = self._found(ctx, SC, "", r.name)
            params = ", ".join(f"{k}={v}" for k, v in r.parameters)
            if not ctx.passes_filter(r.name, r.provisioner, params, *(f.code for f in found)):
                continue
            rows.append((r, found, params))
        if self.sort_by == "worst":
            rows.sort(key=lambda t: (-_rank(t[1]), t[0].name))
        else:
            rows.sort(key=lambda t: t[0].name)
        self._class_map = {r.name: r for r, _, _ in rows}
        table_rows: list[Row] = [
            (
                r.name,
                [
                    severity_text(worst(found)),
                    safe(r.name),
                    Text("default", style="cyan") if r.is_default else Text("-", style="dim"),
                    safe(r.provisioner),
                    safe(r.reclaim_policy),
                    safe(r.binding_mode),
                    "yes" if r.allow_expansion else "no",
                    str(r.claims),
                    safe(params or "-"),
                ],
            )
            for r, found, params in rows
        ]
        self.query_one("#storage-classes", ObjectTable).set_rows(CLASS_COLUMNS, table_rows)
        return len(rows)

    def _summary(self, ctx: ViewContext, shown: int) -> None:
        rows = [r for r in storage.claim_rows(ctx.view) if ctx.in_namespace(r.namespace)]
        phases: dict[str, int] = {}
        for r in rows:
            phases[r.phase or "no status"] = phases.get(r.phase or "no status", 0) + 1
        broken = sum(1 for r in rows if _rank(self._found(ctx, PVC, r.namespace, r.name)) == 3)
        text = Text(f" {len(rows)} claims", style="bold")
        if phases:
            text.append(" (" + ", ".join(f"{n} {p}" for p, n in sorted(phases.items())) + ")")
        if broken:
            text.append(f"  {broken} with errors", style="bold red")
        text.append(f"   showing {self.view_name}: {shown}", style="cyan")
        text.append(
            f"   v: claims/volumes/classes   s: sort ({self.sort_by})   p: pod", style="dim"
        )
        self.query_one("#storage-summary", Static).update(text)

    # ---- detail -------------------------------------------------------------------------

    def _active_table(self) -> ObjectTable:
        ids = {
            "claims": "#storage-claims",
            "volumes": "#storage-pvs",
            "classes": "#storage-classes",
        }
        return self.query_one(ids[self.view_name], ObjectTable)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self._active_table():
            self._update_detail()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        sort = _HEADER_SORT.get(str(event.label))
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
        consumers.display = False
        events_w.display = False
        self._consumer_keys = []
        if key is None:
            head.update(Text("Nothing selected: no rows match.", style="dim"))
            found_w.update("")
            return
        if self.view_name == "volumes" and key in self._pv_map:
            head.update(pv_text(self._pv_map[key], self._found(ctx, PV, "", key)))
            found_w.update("")
            return
        if self.view_name == "classes" and key in self._class_map:
            head.update(class_text(self._class_map[key], self._found(ctx, SC, "", key)))
            found_w.update("")
            return
        row = self._claim_map.get(key)
        detail = storage.claim_detail(ctx.view, row.namespace, row.name) if row else None
        if detail is None:
            head.update("")
            found_w.update("")
            return
        head.update(chain_text(detail))
        consumers.display = True
        rows: list[Row] = []
        for c in detail.consumers:
            ckey = f"{c.namespace}/{c.pod}"
            self._consumer_keys.append(ckey)
            rows.append((ckey, consumer_cells(c)))
        if not rows:
            rows = [("-", [Text("no pod uses this claim", style="dim"), "", "", ""])]
        consumers.set_rows(("POD", "NODE", "PHASE", "MOUNTS (container:path)"), rows)
        found_w.update(findings_text(detail.findings, detail.skipped))
        events_w.display = True
        events_w.update(events_text(detail.events, ctx.view.has_listed("Event")))

    # ---- actions ------------------------------------------------------------------------

    def _show_view(self) -> None:
        for name in VIEWS:
            self.query_one(
                {
                    "claims": "#storage-claims",
                    "volumes": "#storage-pvs",
                    "classes": "#storage-classes",
                }[name]
            ).display = name == self.view_name

    def action_cycle_view(self) -> None:
        self.view_name = VIEWS[(VIEWS.index(self.view_name) + 1) % len(VIEWS)]
        self._show_view()
        self._fill()
        self._active_table().focus()

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

    def action_back(self) -> None:
        """Esc in the pod list returns to the table; elsewhere it keeps the app's meaning."""
        if self.query_one("#storage-consumers", ObjectTable).has_focus:
            self._active_table().focus()
        else:
            self.app.action_clear_filter()  # type: ignore[attr-defined]

    def _pod(self, key: str | None) -> dict[str, Any] | None:
        if not key or "/" not in key or self._ctx is None:
            return None
        ns, name = key.split("/", 1)
        return self._ctx.view.get("Pod", ns, name)

    def _open(self, obj: dict[str, Any]) -> None:
        from mlview.ui.screens import DetailScreen

        if self._ctx is not None:
            self.app.push_screen(DetailScreen(obj, self._ctx))

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
