"""Ingress tab: every route, what stands behind it, and which setting is wrong.

A routes table grouped by host (host, path, pathType, service:port, ready/total endpoints, read
timeout and body size marked `*` when the route keeps the controller's value and `!` when its
annotation is invalid, worst finding). Below it, the selected route: the chain Ingress -> rule ->
Service -> port -> targetPort -> endpoints, the pods behind it, the effective settings with their
source, and the route's findings with hints. `u` finds the route ingress-nginx picks for a URL.
`v` switches to Gateway API routes (HTTPRoute, GRPCRoute) with their own chain (as `v` cycles the
Storage tab's views). Routes are worst first (errors, then warnings); `s` sorts by host or
namespace instead, and the sorted column's header is marked.
The analysis is `mlview.analysis.ingress` and `mlview.analysis.gateway`, cached per store view.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import RowDoesNotExist

from mlview import theme
from mlview.analysis import gateway, ingress
from mlview.analysis.findings import worst
from mlview.analysis.ingress import RouteRow
from mlview.ui.context import ViewContext, search_text
from mlview.ui.marks import MARK_COLUMN, mark_rows, removed_key
from mlview.ui.pane import Pane
from mlview.ui.panes.ingress import gateway_view
from mlview.ui.panes.ingress.detail import (
    chain_text,
    endpoints_cell,
    findings_text,
    path_cell,
    pod_rows,
    setting_cell,
    settings_text,
)
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

COLUMNS = (
    "WORST",
    "HOST",
    "PATH",
    "TYPE",
    "SERVICE:PORT",
    "READY",
    "READ",
    "BODY",
    "INGRESS",
    "NAMESPACE",
)
# Narrow terminals: what decides a 504 or a 413 first, the namespace last (`w`: every column).
PRIORITY = (
    MARK_COLUMN,  # with --baseline
    "WORST",
    "PATH",
    "READY",
    "READ",
    "BODY",
    "SERVICE:PORT",
    "HOST",
    "TYPE",
    "INGRESS",
    "NAMESPACE",
)
SHORT_TYPE = {"ImplementationSpecific": "Impl"}
POD_COLUMNS = ("POD", "PHASE", "READY", "RESTARTS", "PROBLEM")
SORTS = ("worst", "host", "namespace")
SORT_COLUMN = {"worst": "WORST", "host": "HOST", "namespace": "NAMESPACE"}  # header marked
_NO_TOTALS: tuple[Any, tuple[int, int, int]] = (object(), (0, 0, 0))
# A filter's table rows, its routes by key, and (search text, route) of those routes.
Filtered = tuple[list[Row], dict[str, RouteRow], list[tuple[str, RouteRow]]]
FILTERS_KEPT = 8  # filters whose rows the pane keeps, per view (a word typed and deleted)


class IngressPane(Pane):
    TITLE = "Ingress"
    BINDINGS = [
        Binding("u", "find_url", "Route for a URL"),
        Binding("p", "pods", "Pods of route"),
        Binding("v", "toggle_gateway", "Ingress/Gateway API"),
        Binding("s", "cycle_sort", "Sort"),
    ]
    HELP_KEYS = (
        ("t", "Trace the route under the cursor"),
        ("esc", "Close the URL box; pods list -> routes"),
        ("click header", "Sort by WORST, HOST or NAMESPACE"),
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._ctx: ViewContext | None = None
        self._rows: dict[str, RouteRow] = {}
        self._cells_cache: dict[str, tuple[Row, Row]] = {}  # without / with the host
        self._hosts_cache: dict[str, Text] = {}
        self._search_cache: dict[str, str] = {}  # per route: what the filter searches
        self._totals_cache: tuple[Any, tuple[int, int, int]] = _NO_TOTALS  # per namespace
        # The table rows (and routes) per (namespace, filter), for the view: typing a filter and
        # deleting it again hands the table the very lists it showed, which it swaps back whole.
        self._filtered: dict[tuple[str | None, str, str], Filtered] = {}  # (ns, filter, sort)
        self._gateway_mode: bool | None = None  # None: pick by what the cluster has
        self._gw_rows: dict[str, Any] = {}
        self._found_url = ("", "")  # (row key, URL) of the last route found with u
        # mlview --baseline: marked rows per key, reused while the comparison is the same
        self._marks_of: Any = None
        self._marks_cache: dict[str, Any] = {}
        self._removed_cells: dict[str, tuple] = {}  # rows gone since the baseline, by key
        self.sort_by = "worst"  # on call, the broken routes first
        self._order_cache: dict[str, list[RouteRow]] = {}  # per sort, for this view

    def compose(self) -> ComposeResult:
        yield Static(id="ingress-summary")
        yield Input(
            placeholder="URL, e.g. https://api.example.com/v1/translate (Enter)", id="ingress-url"
        )
        yield ObjectTable(id="ingress-routes", priority=PRIORITY)
        yield ObjectTable(id="gateway-routes", priority=gateway_view.PRIORITY)
        with VerticalScroll(id="ingress-detail"):
            yield Static(id="ingress-chain")
            yield Static(id="ingress-findings")
            yield Static(id="ingress-settings")
            yield ObjectTable(id="ingress-pods", zebra_stripes=False)

    def on_mount(self) -> None:
        self.query_one("#ingress-detail").border_title = "route"
        self.query_one("#ingress-url").display = False

    # ---- data ---------------------------------------------------------------------------

    def refresh_context(self, ctx: ViewContext) -> None:
        if self._ctx is None or ctx.view is not self._ctx.view:
            # Cells depend on the view only: a filter keystroke reuses them (10,000 routes).
            self._cells_cache = {}
            self._hosts_cache = {}
            self._search_cache = {}
            self._totals_cache = _NO_TOTALS
            self._filtered = {}
            self._order_cache = {}
        self._ctx = ctx
        if self._gateway_mode is None and gateway.route_rows(ctx.view):
            # Start on Gateway API routes when the cluster has them and no Ingress.
            self._gateway_mode = not ingress.route_rows(ctx.view)
        gw_mode = bool(self._gateway_mode)
        self.query_one("#ingress-routes").display = not gw_mode
        self.query_one("#gateway-routes").display = gw_mode
        if gw_mode:
            self._refresh_gateway(ctx)
            return
        shown, self._rows = self._filtered_rows(ctx)
        columns = sort_labels(COLUMNS, SORT_COLUMN[self.sort_by])
        table_rows = shown
        if ctx.changes is not None:  # mlview --baseline: marks, and the routes removed since
            columns, table_rows = self._marked(ctx, columns, shown)
        self.query_one("#ingress-routes", ObjectTable).set_rows(columns, table_rows)
        self._summary(ctx, len(shown))
        self._update_detail()

    def _filtered_rows(self, ctx: ViewContext) -> tuple[list[Row], dict[str, RouteRow]]:
        """The table's rows and their routes for the namespace and filter, memoised per view
        (a few filters: the lists are only references to cached cells)."""
        memo_key = (ctx.namespace, ctx.filter_text, self.sort_by)
        hit = self._filtered.pop(memo_key, None)
        if hit is None:
            hit = self._filter(ctx)
        self._filtered[memo_key] = hit  # the most recent last
        while len(self._filtered) > FILTERS_KEPT:
            del self._filtered[next(iter(self._filtered))]
        return hit[0], hit[1]

    def _filter(self, ctx: ViewContext) -> Filtered:
        text = ctx.filter_text
        # A filter that extends a kept one matches a subset of its routes (in the same order).
        narrower = [
            kept[2]
            for (ns, kept_text, sort), kept in self._filtered.items()
            if ns == ctx.namespace and sort == self.sort_by and kept_text in text
        ]
        base = min(narrower, key=len) if narrower else self._searchable(ctx)
        matched = [pair for pair in base if text in pair[0]] if text else base
        per_route = ctx.shown_by_key(ingress.route_findings(ctx.view))
        shown: list[Row] = []
        routes: dict[str, RouteRow] = {}
        last_host = None
        for _, r in matched:
            routes[r.key] = r
            host = r.host or "*"
            # The row as the table gets it, with or without its host: the same objects on
            # every keystroke, so the table compares them by identity and nothing is allocated.
            variants = self._cells_cache.get(r.key)
            if variants is None:
                cells = self._cells(r, per_route.get(r.key, []))
                variants = self._cells_cache[r.key] = (
                    (r.key, (cells[0], "", *cells[1:])),
                    (r.key, (cells[0], self._host_cell(host), *cells[1:])),
                )
            shown.append(variants[host != last_host])
            last_host = host
        return shown, routes, matched

    def _searchable(self, ctx: ViewContext) -> list[tuple[str, RouteRow]]:
        """(what the filter searches, route) for the namespace's routes, in order."""
        per_route = ctx.shown_by_key(ingress.route_findings(ctx.view))
        out = []
        for r in self._ordered(ctx, per_route):
            if not ctx.in_namespace(r.namespace):
                continue
            searched = self._search_cache.get(r.key)
            if searched is None:
                searched = self._search_cache[r.key] = search_text(
                    r.host or "*",
                    r.path,
                    r.backend,
                    r.ingress_ref,
                    r.class_name,
                    *(f.code for f in per_route.get(r.key, [])),
                )
            out.append((searched, r))
        return out

    def _marked(
        self, ctx: ViewContext, columns: tuple[str, ...], shown: list[Row]
    ) -> tuple[tuple[str, ...], list[Row]]:
        """Route rows marked as the comparison found them (what a URL reaches, its effective
        settings); the routes gone since are shown as removed, from the baseline's view."""
        changes = ctx.changes
        old_ctx = changes.old_context(ctx)
        if self._marks_of is not changes:  # marked rows are reused while the marks hold
            self._marks_of, self._marks_cache, self._removed_cells = changes, {}, {}
        old_found = old_ctx.shown_by_key(ingress.route_findings(old_ctx.view))
        old_rows: list[Row] = []
        by_key = old_ctx.view.memo(
            ("ui", "route-rows-by-key"),
            lambda: {r.key: r for r in ingress.route_rows(old_ctx.view)},
        )
        gone = [by_key[k] for k in changes.removed_routes if k in by_key]
        for r in sorted(gone, key=lambda r: (r.host, r.path, r.key)):
            if not old_ctx.in_namespace(r.namespace):
                continue
            if not old_ctx.passes_filter(r.host or "*", r.path, r.backend, r.ingress_ref):
                continue
            row = self._removed_cells.get(r.key)
            if row is None:  # the same cells object on each keystroke: compared by identity
                cells = self._cells(r, old_found.get(r.key, []))
                row = self._removed_cells[r.key] = (cells[0], safe(r.host or "*"), *cells[1:])
            old_rows.append((r.key, row))
        return mark_rows(
            columns, shown, old_rows, changes.route_status, lambda key: True, self._marks_cache
        )

    def _ordered(self, ctx: ViewContext, per_route: dict[str, list]) -> list[RouteRow]:
        """Every route in the sort's order, kept per view (a filter keystroke reuses it). The
        analysis lists routes by host: a stable sort keeps each host's routes together."""
        order = self._order_cache.get(self.sort_by)
        if order is None:
            rows = list(ingress.route_rows(ctx.view))
            if self.sort_by == "worst":
                rows.sort(key=lambda r: -_rank(per_route.get(r.key, [])))
            elif self.sort_by == "namespace":
                rows.sort(key=lambda r: r.namespace)
            order = self._order_cache[self.sort_by] = rows
        return order

    def _refresh_gateway(self, ctx: ViewContext) -> None:
        shown, self._gw_rows = gateway_view.rows(ctx, self.sort_by)
        columns = sort_labels(gateway_view.COLUMNS, SORT_COLUMN[self.sort_by])
        table_rows = shown
        changes = ctx.changes
        if changes is not None:  # mlview --baseline: marks, and the routes removed since
            old_shown, _ = gateway_view.rows(changes.old_context(ctx), self.sort_by)
            columns, table_rows = mark_rows(
                columns, shown, old_shown, changes.route_status, changes.route_removed
            )
        self.query_one("#gateway-routes", ObjectTable).set_rows(columns, table_rows)
        total = len(gateway.route_rows(ctx.view))
        where = "this cluster" if ctx.view.source.mode == "live" else "this snapshot"
        text = Text(
            f" {counted(total, 'Gateway API route row')}"
            if total
            else f" no Gateway API routes in {where}",
            style=theme.STRONG,
        )
        if len(shown) != total:
            text.append(f"  showing {len(shown)}", style=theme.ACCENT)
        note = gateway.crd_note(ctx.view)
        if note:
            text.append(f"   {note}", style=theme.WARNING)
        text.append(f"   v: Ingress routes  p: pods  s: sort ({self.sort_by})", style=theme.DIM)
        self.query_one("#ingress-summary", Static).update(text)
        self._update_detail()

    def _host_cell(self, host: str) -> Text:
        cell = self._hosts_cache.get(host)
        if cell is None:
            cell = self._hosts_cache[host] = safe(host, theme.STRONG)
        return cell

    def _cells(self, r: RouteRow, found: list) -> list[Text | str]:
        """Every cell but HOST (blank inside a host group); cached per store view."""
        sev = worst(found)
        ing = safe(r.ingress) + (Text(" canary", style=theme.NOTICE) if r.canary else Text())
        return [
            severity_text(sev),
            path_cell(r),
            safe(SHORT_TYPE.get(r.path_type, r.path_type) or "-", theme.DIM),
            safe(r.backend or "-", theme.ERROR if r.service_found is False else ""),
            endpoints_cell(r),
            setting_cell(r, "proxy-read-timeout", "s"),
            setting_cell(r, "proxy-body-size"),
            ing,
            safe(r.namespace, theme.DIM),
        ]

    def _summary(self, ctx: ViewContext, shown: int) -> None:
        if self._totals_cache[0] != ctx.namespace:  # a filter keystroke reuses the totals
            self._totals_cache = (ctx.namespace, self._totals(ctx))
        routes, hosts, broken = self._totals_cache[1]
        text = Text(f" {counted(routes, 'route')} on {counted(hosts, 'host')}", style=theme.STRONG)
        if broken:
            text.append(f"  {broken} with errors", style=theme.ERROR)
        if shown != routes:
            text.append(f"  showing {shown}", style=theme.ACCENT)
        text.append(
            "   * controller value  ! invalid annotation   u: route for a URL  p: pods"
            f"  v: Gateway API  s: sort ({self.sort_by})",
            style=theme.DIM,
        )
        self.query_one("#ingress-summary", Static).update(text)

    @staticmethod
    def _totals(ctx: ViewContext) -> tuple[int, int, int]:
        """Routes, hosts and routes with errors in the namespace, whatever the filter."""
        rows = [r for r in ingress.route_rows(ctx.view) if ctx.in_namespace(r.namespace)]
        per_route = ctx.shown_by_key(ingress.route_findings(ctx.view))
        broken = sum(
            1
            for r in rows
            if (worst(per_route.get(r.key, [])) or None) is not None
            and worst(per_route[r.key]).rank == 3
        )
        return len(rows), len({r.host for r in rows}), broken

    # ---- detail -------------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id in ("ingress-routes", "gateway-routes"):
            self._update_detail()

    def _selected(self) -> RouteRow | None:
        key = self.query_one("#ingress-routes", ObjectTable).selected_key()
        return self._rows.get(key) if key else None

    def _update_detail(self) -> None:
        ctx = self._ctx
        if ctx is None:
            return
        chain = self.query_one("#ingress-chain", Static)
        pods = self.query_one("#ingress-pods", ObjectTable)
        settings = self.query_one("#ingress-settings", Static)
        found = self.query_one("#ingress-findings", Static)
        if self._gateway_mode:
            self._update_gateway_detail(ctx, chain, pods, settings, found)
            return
        row = self._selected()
        if row is None:
            if removed_key(self.query_one("#ingress-routes", ObjectTable).selected_key()):
                why = "Removed since the baseline (D lists the changes)."
            elif ingress.route_rows(ctx.view):
                why = "Nothing selected: no routes match the namespace or filter."
            elif ctx.view.has_listed("Ingress"):
                why = "No Ingress objects in this cluster or snapshot."
            else:
                why = "Ingresses were not listed (not in the snapshot, or not readable)."
            chain.update(Text(why, style=theme.DIM))
            pods.display = False
            settings.update("")
            found.update("")
            return
        detail = ingress.route_detail(ctx.view, row)
        chain.update(Hanging(chain_text(detail)))
        pods.display = bool(row.service)
        rows: list[Row] = pod_rows(row.namespace, detail.pods, "no pods behind this Service")
        pods.set_rows(POD_COLUMNS, rows)
        settings.update(settings_text(detail.settings))
        found.update(findings_text(ctx.shown(list(detail.findings))))

    def _selected_gateway_row(self) -> Any:
        key = self.query_one("#gateway-routes", ObjectTable).selected_key()
        return self._gw_rows.get(key) if key else None

    def _update_gateway_detail(
        self, ctx: ViewContext, chain: Static, pods: ObjectTable, settings: Static, found: Static
    ) -> None:
        row = self._selected_gateway_row()
        settings.update("")
        if row is None and removed_key(
            self.query_one("#gateway-routes", ObjectTable).selected_key()
        ):
            chain.update(Text("Removed since the baseline (D lists the changes).", theme.DIM))
            pods.display = False
            found.update("")
            return
        if row is None:
            note = gateway.crd_note(ctx.view) or (
                "No Gateway API routes match the namespace or filter."
                if gateway.route_rows(ctx.view)
                else "No Gateway API routes in this snapshot."
                if ctx.view.source.mode != "live"
                else "No Gateway API routes in this cluster."
            )
            chain.update(Text(note, style=theme.DIM))
            pods.display = False
            found.update("")
            return
        detail = gateway.route_detail(ctx.view, row)
        chain.update(Hanging(gateway_view.chain_text(detail)))
        rows: list[Row] = pod_rows(row.namespace, detail.pods, "no pods behind these backends")
        pods.display = True
        pods.set_rows(POD_COLUMNS, rows)
        found.update(findings_text(ctx.shown(list(detail.findings))))

    def action_cycle_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        if self._ctx is not None:
            self.refresh_context(self._ctx)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        sort = {v: k for k, v in SORT_COLUMN.items()}.get(column_name(event.label))
        if sort and self._ctx is not None:
            self.sort_by = sort
            self.refresh_context(self._ctx)

    def show_view(self, view: str) -> bool:
        """`:ing` / `:httproute` in command mode: Ingress routes or Gateway API routes."""
        want_gateway = view == "gateway"
        if want_gateway != bool(self._gateway_mode):
            self.action_toggle_gateway()
        return True

    def back(self) -> bool:
        """Esc: close the URL box, or leave the pods list for the routes table."""
        box = self.query_one("#ingress-url", Input)
        pods = self.query_one("#ingress-pods", ObjectTable)
        if box.display or pods.has_focus:
            box.display = False
            self.query_one("#gateway-routes" if self._gateway_mode else "#ingress-routes").focus()
            return True
        return False

    def back_view(self) -> bool:
        """Esc on the Gateway API routes (no filter left) returns to the Ingress routes, when
        there are any (a cluster with Gateway API routes only starts, and stays, on those)."""
        if not self._gateway_mode or self._ctx is None or not ingress.route_rows(self._ctx.view):
            return False
        self.action_toggle_gateway()
        return True

    def action_toggle_gateway(self) -> None:
        self._gateway_mode = not self._gateway_mode
        if self._ctx is not None:
            self.refresh_context(self._ctx)
        table_id = "#gateway-routes" if self._gateway_mode else "#ingress-routes"
        self.query_one(table_id).focus()

    # ---- actions ------------------------------------------------------------------------

    def action_find_url(self) -> None:
        box = self.query_one("#ingress-url", Input)
        box.display = True
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "ingress-url":
            return
        event.stop()
        if self._ctx is None or not event.value.strip():
            return
        match = ingress.match_url(self._ctx.view, event.value)
        event.input.display = False
        table = self.query_one("#ingress-routes", ObjectTable)
        table.focus()
        if match.row is None:
            self.app.notify(match.reason, title="No route", severity="warning")
            return
        self._found_url = (match.row.key, event.value.strip())  # t traces this very URL
        try:
            table.move_cursor(row=table.get_row_index(match.row.key))
        except RowDoesNotExist:
            self.app.notify(
                f"{match.reason} (hidden by the namespace or filter)",
                title=f"Route {match.row.ingress_ref}",
                severity="warning",
            )
            return
        extra = f"; {len(match.canaries)} canary" if match.canaries else ""
        self.app.notify(match.reason + extra, title=f"Route {match.row.ingress_ref}")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "ingress-url":
            event.stop()

    def action_pods(self) -> None:
        pods = self.query_one("#ingress-pods", ObjectTable)
        if not pods.display or pods.selected_key() in (None, "-", "legend"):
            self.app.notify("No pods behind the selected route.", severity="warning")
            return
        pods.focus()
        self.app.notify("Pick a pod and press Enter (Esc goes back).")

    def selected_pods(self) -> list[dict[str, Any]]:
        """The pod under the cursor of the pods table, else every pod behind the route."""
        pods = self.query_one("#ingress-pods", ObjectTable)
        if pods.has_focus:
            return super().selected_pods()
        return self.pods_by_key(self._ctx, pods.row_keys()) if pods.display else []

    def show_key(self, key: str) -> bool:
        """A route row by key; a Gateway API route's key switches to those routes first."""
        gateway_key = key.startswith(("HTTPRoute/", "GRPCRoute/"))
        if gateway_key != bool(self._gateway_mode):
            self.action_toggle_gateway()
        return super().show_key(key)

    def trace_url(self) -> str:
        from mlview.analysis.trace.url import url_for_row

        row = self._selected_gateway_row() if self._gateway_mode else self._selected()
        if row is None:
            return ""
        found_key, found_url = self._found_url
        if not self._gateway_mode and row.key == found_key:
            return found_url  # the URL typed to find this route: its host and whole path
        return url_for_row(row)

    def selected_object(self) -> dict[str, Any] | None:
        ctx = self._ctx
        if ctx is None:
            return None
        pods = self.query_one("#ingress-pods", ObjectTable)
        if pods.has_focus:
            key = pods.selected_key()
            if key and "/" in key:
                ns, name = key.split("/", 1)
                return ctx.view.get("Pod", ns, name)
            return None
        if self._gateway_mode:
            gw = self._selected_gateway_row()
            return ctx.view.get(gw.kind, gw.namespace, gw.route) if gw else None
        row = self._selected()
        return ctx.view.get("Ingress", row.namespace, row.ingress) if row else None


def _rank(found: list) -> int:
    sev = worst(found)
    return sev.rank if sev else 0


PANE = IngressPane  # the tab's pane (mlview/domains.py)
