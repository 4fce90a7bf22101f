"""The mlview Textual app: header, tabs (Storage, Ingress, Reachability, Findings), footer.

Data flow: the store is written by a source (possibly from other threads); every TICK seconds
the app compares the store's version with the one on screen and, when it changed, takes a
view and runs the analysis in an exclusive thread worker. A burst of updates costs one redraw.
Only the visible pane is refreshed; the others are marked stale and refreshed on activation.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, TabbedContent, TabPane, Tabs
from textual.worker import WorkerCancelled

from mlview.analysis.registry import run_all
from mlview.resources import styles_dir
from mlview.store import Store
from mlview.ui.context import ViewContext
from mlview.ui.header import SourceHeader, header_text
from mlview.ui.pane import Pane
from mlview.ui.panes.findings import FindingsPane
from mlview.ui.panes.ingress import IngressPane
from mlview.ui.panes.reachability import ReachabilityPane
from mlview.ui.panes.storage import StoragePane
from mlview.ui.screens import DetailScreen, HelpScreen, NamespaceScreen

TICK = 0.3  # seconds between store polls: the redraw rate limit
FILTER_DEBOUNCE = 0.25  # seconds of quiet typing before a big table is filtered again
BIG_CLUSTER_PODS = 2000
PANES: list[tuple[str, type[Pane]]] = [
    ("storage", StoragePane),
    ("ingress", IngressPane),
    ("reachability", ReachabilityPane),
    ("findings", FindingsPane),
]


class MLViewApp(App[None]):
    CSS_PATH = [str(p) for p in sorted(styles_dir().glob("*.tcss"))]
    TITLE = "mlview"
    BINDINGS = [
        Binding("1", "show_tab('storage')", "Storage"),
        Binding("2", "show_tab('ingress')", "Ingress"),
        Binding("3", "show_tab('reachability')", "Reach"),
        Binding("4", "show_tab('findings')", "Findings"),
        Binding("n", "pick_namespace", "Namespace"),
        Binding("slash", "filter", "Filter"),
        Binding("d", "detail", "Detail"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self, store: Store, namespace: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.namespace = namespace or None
        self.filter_text = ""
        self._ctx: ViewContext | None = None
        self._shown_version = -1
        self._pending_version = -1
        self._filter_timer: Timer | None = None
        self._stale: set[str] = set()

    # ---- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SourceHeader(id="source-header")
        with TabbedContent(id="tabs"):
            for i, (pane_id, cls) in enumerate(PANES, start=1):
                with TabPane(f"{i} {cls.TITLE}", id=pane_id):
                    yield cls(id=f"{pane_id}-pane")
        yield Input(placeholder="filter the current table (Enter to keep, Esc to clear)",
                    id="filter-input")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter-input").display = False
        self.set_interval(TICK, self._tick)
        self._tick()

    # ---- data ---------------------------------------------------------------------------

    def _tick(self) -> None:
        version = self.store.version
        # One analysis per version: a tick during a slow run must not start it again.
        if version not in (self._shown_version, self._pending_version):
            self._pending_version = version
            self._analyze(version)

    @work(thread=True, exclusive=True, group="analysis")
    def _analyze(self, version: int) -> None:
        view = self.store.view()
        findings = run_all(view)
        self.call_from_thread(self._apply, view, findings)

    def _apply(self, view: Any, findings: list[Any]) -> None:
        if view.version < self._shown_version:  # a superseded run finished late
            return
        self._shown_version = view.version
        self._ctx = ViewContext(view, findings, self.namespace, self.filter_text, self._now())
        self._stale = {pane_id for pane_id, _ in PANES}
        self._refresh_visible()

    def _now(self) -> datetime:
        if self.store.source.mode != "live" and self.store.source.recorded_at:
            try:
                return datetime.fromisoformat(self.store.source.recorded_at.replace("Z", "+00:00"))
            except ValueError:
                pass
        return datetime.now(UTC)

    def _refresh_visible(self) -> None:
        if self._ctx is None:
            return
        self.query_one(SourceHeader).update(
            header_text(self._ctx.view, self.store.source, self.namespace, self.filter_text)
        )
        active = self.query_one(TabbedContent).active
        if active in self._stale:
            self._stale.discard(active)
            self.query_one(f"#{active}-pane", Pane).refresh_context(self._ctx)
            if self.focused is None or isinstance(self.focused, Tabs):
                self._focus_table()

    def _renarrow(self) -> None:
        """Namespace or filter changed: same view, new narrowing, every pane stale."""
        if self._ctx is None:
            return
        self._ctx = ViewContext(self._ctx.view, self._ctx.findings, self.namespace,
                                self.filter_text.lower(), self._ctx.now)
        self._stale = {pane_id for pane_id, _ in PANES}
        self._refresh_visible()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._refresh_visible()
        self._focus_table()

    # ---- actions ------------------------------------------------------------------------

    def action_show_tab(self, pane_id: str) -> None:
        self.query_one(TabbedContent).active = pane_id
        self._refresh_visible()

    def current_pane(self) -> Pane:
        active = self.query_one(TabbedContent).active
        return self.query_one(f"#{active}-pane", Pane)

    def action_pick_namespace(self) -> None:
        names = self._ctx.view.namespaces() if self._ctx else []

        def chosen(choice: str | None) -> None:
            if choice is not None:
                self.namespace = choice or None
                self._renarrow()

        self.push_screen(NamespaceScreen(names, self.namespace), chosen)

    def action_filter(self) -> None:
        box = self.query_one("#filter-input", Input)
        box.display = True
        box.value = self.filter_text
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter-input":
            self.filter_text = event.value.strip().lower()
            if self._filter_timer is not None:
                self._filter_timer.stop()
            # Rebuilding a table of thousands of rows takes a while: on a big cluster wait for
            # a pause in typing, so each keystroke does not pay for a redraw.
            big = self._ctx is not None and self._ctx.view.count("Pod") > BIG_CLUSTER_PODS
            self._filter_timer = self.set_timer(FILTER_DEBOUNCE, self._renarrow) if big else None
            if not big:
                self._renarrow()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter-input":
            event.input.display = bool(self.filter_text)
            self._focus_table()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter-input", Input)
        if self.filter_text or box.display:
            box.value = ""
            box.display = False
            self.filter_text = ""
            self._renarrow()
            self._focus_table()

    def _focus_table(self) -> None:
        """Focus the pane's first shown table, else its first shown focusable widget
        (the reachability matrix has no table)."""
        if self.screen is not self.screen_stack[0]:
            return
        pane = self.current_pane()
        shown = [w for w in pane.query("*") if w.focusable and w.display]
        target = next((w for w in shown if isinstance(w, DataTable)), shown[0] if shown else None)
        if target is not None:
            target.focus()

    def action_detail(self) -> None:
        obj = self.current_pane().selected_object()
        if obj is not None and self._ctx is not None:
            self.push_screen(DetailScreen(obj, self._ctx))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # Enter on a row opens the detail view, unless the pane handles it itself.
        self.action_detail()

    def action_help(self) -> None:
        rows = [(b.key_display or b.key, b.description) for b in self.BINDINGS if b.description]
        rows += [("enter", "Detail of the selected row"), ("esc", "Close a view / clear filter"),
                 ("ctrl+p", "Command palette")]
        for pane_id, cls in PANES:
            for b in getattr(cls, "BINDINGS", []):
                if isinstance(b, Binding) and b.description:
                    rows.append((f"{b.key} ({pane_id})", b.description))
        self.push_screen(HelpScreen(rows))

    def get_system_commands(self, screen: Screen) -> Any:
        yield from super().get_system_commands(screen)
        for i, (pane_id, cls) in enumerate(PANES, start=1):
            yield SystemCommand(f"Show {cls.TITLE}", f"Switch to tab {i}",
                                lambda p=pane_id: self.action_show_tab(p))
        yield SystemCommand("Pick namespace", "Show one namespace or all",
                            self.action_pick_namespace)
        yield SystemCommand("Filter", "Narrow the current table", self.action_filter)
        yield SystemCommand("Detail", "Open the selected object", self.action_detail)
        yield SystemCommand("Help", "List the key bindings", self.action_help)

    # ---- install checks -----------------------------------------------------------------

    def headless_check(self) -> int:
        """Start without a terminal, render the first screen, report, exit (install checks)."""

        async def run() -> int:
            async with self.run_test(size=(120, 40)) as pilot:
                for _ in range(50):  # a superseded exclusive worker is cancelled: wait again
                    try:
                        await self.workers.wait_for_complete()
                        break
                    except WorkerCancelled:
                        continue
                await pilot.pause()
                ok = self._ctx is not None and bool(self.CSS_PATH)
                print(f"mlview: headless check {'ok' if ok else 'FAILED'}: "
                      f"{self._ctx.view.count('Pod') if self._ctx else 0} pods, "
                      f"{len(self._ctx.findings) if self._ctx else 0} findings, "
                      f"{len(self.CSS_PATH)} stylesheets")
                return 0 if ok else 1

        return asyncio.run(run())
