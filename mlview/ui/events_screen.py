"""The events view: every Event of the namespace (or all), newest first, Warnings highlighted.

`/` filters (reason, type, object, message), `s` puts Warnings first (the sort key of every
table; `w` is the table's all-columns key), `b` groups the rows by the
object they are about, Enter opens that object (a pod opens the pod view). The selected event's
whole message is shown below the table. While open, it follows the app's newest store view, so
on a live cluster new Events appear.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Static

from mlview import theme
from mlview.analysis.pods import EventLine, event_lines, group_by_object
from mlview.timefmt import age
from mlview.ui.context import ViewContext, search_text
from mlview.ui.messages import OpenDetail
from mlview.ui.pod_text import literal_block, when
from mlview.ui.widgets import ObjectTable, Row, safe
from mlview.ui.words import counted

COLUMNS = ("LAST", "TYPE", "REASON", "OBJECT", "COUNT", "MESSAGE", "NAMESPACE")
# At 80 columns: what happened to what, when, and the message in what is left (whole below);
# TYPE goes first of the rest: a Warning's REASON is coloured as one (and `w` sorts them first).
PRIORITY = ("REASON", "LAST", "OBJECT", "MESSAGE", "TYPE", "COUNT", "NAMESPACE")
# kubectl's short names, so an object fits a narrow terminal: po/name, deploy/name, pvc/name.
SHORT_KIND = {
    "Pod": "po",
    "Deployment": "deploy",
    "ReplicaSet": "rs",
    "StatefulSet": "sts",
    "DaemonSet": "ds",
    "Service": "svc",
    "Ingress": "ing",
    "PersistentVolumeClaim": "pvc",
    "PersistentVolume": "pv",
    "StorageClass": "sc",
    "NetworkPolicy": "netpol",
    "Node": "no",
    "Namespace": "ns",
    "Endpoints": "ep",
    "ConfigMap": "cm",
    "HorizontalPodAutoscaler": "hpa",
    "CronJob": "cj",
}
REFRESH = 1.0  # seconds between checks for a newer store view (live Events)


def event_cells(e: EventLine, ctx: ViewContext, show_object: bool = True) -> tuple:
    warn = e.warning
    kind = e.object.kind
    obj = f"{SHORT_KIND.get(kind, kind.lower())}/{e.object.name}"
    return (
        Text(age(e.last_seen, ctx.now), style=theme.DIM),
        safe(e.type or "-", theme.WARNING_STRONG if warn else theme.DIM),
        safe(e.reason, theme.WARNING if warn else ""),
        safe(obj, theme.STRONG) if show_object else "",
        Text(str(e.count), style=theme.BAD if warn and e.count > 1 else ""),
        safe(e.message[:200]),
        safe(e.object.namespace or e.namespace, theme.DIM),
    )


def no_events_note(ctx: ViewContext) -> str:
    """Listed, and none: in the snapshot (or cluster) at all, or in the namespace picked."""
    where = "on this cluster" if ctx.view.source.mode == "live" else "in this snapshot"
    if ctx.namespace and ctx.view.count("Event"):
        return f"No Events in namespace {ctx.namespace} (other namespaces have some)."
    return f"No Events {where}."


class EventsScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("slash", "filter", "Filter"),
        Binding("s", "toggle_warnings", "Warnings first"),
        Binding("b", "toggle_group", "By object"),
    ]

    def __init__(self, ctx: ViewContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.warnings_first = True
        self.by_object = False
        self.filter_text = ""
        self._lines: dict[str, EventLine] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="events-box"):
            yield Static(id="events-summary")
            yield Input(placeholder="filter: reason, type, object or message", id="events-filter")
            yield ObjectTable(id="events-table", priority=PRIORITY, keep_ends=("OBJECT",))
            with VerticalScroll(id="events-detail"):
                yield Static(id="events-detail-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#events-filter").display = False
        self.query_one("#events-box").border_title = "Events"
        self._fill()
        self.query_one("#events-table").focus()
        self.set_interval(REFRESH, self._follow)

    def _follow(self) -> None:
        """Pick up the app's newest view (live Events), keeping the cursor on its row."""
        current = getattr(self.app, "current_context", lambda: None)()
        if current is not None and current.view is not self.ctx.view:
            self.ctx = current
            self._fill()

    def _fill(self) -> None:
        ctx = self.ctx
        lines = event_lines(ctx.view, ctx.namespace, self.warnings_first)
        total = len(lines)
        if self.filter_text:
            lines = [e for e in lines if self.filter_text in self._search(e)]
        rows: list[Row] = []
        self._lines = {}
        if self.by_object:
            for group in group_by_object(lines, self.warnings_first):
                for i, e in enumerate(group.lines):
                    rows.append(self._row(e, ctx, show_object=i == 0))
        else:
            rows = [self._row(e, ctx) for e in lines]
        self.query_one("#events-table", ObjectTable).set_rows(COLUMNS, rows)
        self._summary(total, lines)
        self._detail()

    def _row(self, e: EventLine, ctx: ViewContext, show_object: bool = True) -> Row:
        key = f"{e.namespace}/{e.name}"
        self._lines[key] = e
        return key, event_cells(e, ctx, show_object)

    @staticmethod
    def _search(e: EventLine) -> str:
        return search_text(e.type, e.reason, e.object.text, e.message, e.source)

    def _summary(self, total: int, shown: list[EventLine]) -> None:
        ctx = self.ctx
        where = f"namespace {ctx.namespace}" if ctx.namespace else "all namespaces"
        text = Text() + Text(f" {counted(total, 'event')} in ", style=theme.STRONG) + safe(where)
        warnings = sum(1 for e in shown if e.warning)
        if warnings:
            text.append(f"  {counted(warnings, 'warning')}", style=theme.WARNING)
        if self.filter_text:
            text.append("  filter ", style=theme.NOTICE)
            text += safe(self.filter_text, theme.NOTICE)
            text.append(f"  showing {len(shown)}", style=theme.ACCENT)
        order = "warnings first" if self.warnings_first else "newest first"
        text.append(
            f"   {order} (s)  {'by object' if self.by_object else 'flat'} (b)"
            "  /: filter  enter: open its object",
            style=theme.DIM,
        )
        self.query_one("#events-summary", Static).update(text)
        if not total:
            note = (
                no_events_note(ctx)
                if ctx.view.has_listed("Event")
                else "Events were not listed (not in the snapshot, or not readable)."
            )
            self.query_one("#events-detail-text", Static).update(Text(note, style=theme.DIM))

    def selected_line(self) -> EventLine | None:
        key = self.query_one("#events-table", ObjectTable).selected_key()
        return self._lines.get(key) if key else None

    def _detail(self) -> None:
        e = self.selected_line()
        if e is None:
            if self._lines or self.filter_text:
                self.query_one("#events-detail-text", Static).update(
                    Text("No event matches the filter.", style=theme.DIM)
                )
            return
        head = Text() + safe(e.type, theme.WARNING_STRONG if e.warning else theme.DIM) + Text("  ")
        head += safe(e.reason, theme.STRONG) + Text(f"  x{e.count}  on ")
        head += safe(e.object.text, theme.STRONG)
        if e.container:
            head += Text("  container ") + safe(e.container)
        seen = Text() + Text("last ", style=theme.DIM) + when(e.last_seen, self.ctx.now)
        seen += Text("  first ", style=theme.DIM) + when(e.first_seen, self.ctx.now)
        if e.source:
            seen += Text("  from ", style=theme.DIM) + safe(e.source)
        from rich.console import Group

        body = Group(head, seen, *literal_block(e.message))
        self.query_one("#events-detail-text", Static).update(body)

    # ---- actions ------------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_object()

    def open_object(self) -> None:
        """The object the selected event is about (a pod opens the pod view)."""
        e = self.selected_line()
        if e is None:
            return
        obj: dict[str, Any] | None = self.ctx.view.get(
            e.object.kind, e.object.namespace, e.object.name
        )
        if obj is None:
            self.notify(f"{e.object.text} is not in the snapshot", severity="warning")
            return
        self.post_message(OpenDetail(obj, self.ctx))

    def action_filter(self) -> None:
        box = self.query_one("#events-filter", Input)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.filter_text = event.value.strip().lower()
        self._fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.input.display = bool(self.filter_text)
        self.query_one("#events-table").focus()

    def action_close(self) -> None:
        """Esc leaves the filter box first (keeping the filter), then closes."""
        box = self.query_one("#events-filter", Input)
        if box.has_focus:
            box.display = bool(self.filter_text)
            self.query_one("#events-table").focus()
            return
        self.dismiss()

    def action_toggle_warnings(self) -> None:
        self.warnings_first = not self.warnings_first
        self._fill()

    def action_toggle_group(self) -> None:
        self.by_object = not self.by_object
        self._fill()
