"""The mlview Textual app: header, tabs (Storage, Ingress, Reachability, Findings), footer.

Data flow: the store is written by a source (possibly from other threads); every TICK seconds
the app compares the store's version with the one on screen and, when it changed, takes a
view and runs the analysis in an exclusive thread worker. A burst of updates costs one redraw.
Only the visible pane is refreshed; the others are marked stale and refreshed on activation.
With `--baseline OLD`, each analysed view is then compared with the baseline in another worker
(BaselineFollow) and the panes mark what changed.
"""

from __future__ import annotations

import asyncio
import gc
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static, TabbedContent, TabPane, Tabs
from textual.worker import WorkerCancelled

from mlview.analysis.overrides import NO_OVERRIDES, Overrides
from mlview.analysis.registry import run_checked
from mlview.analysis.shared.virtual_pods import complete
from mlview.resources import styles_dir
from mlview.sanitize import clean
from mlview.sources.logs import PreviousLogs
from mlview.store import Feed, Store
from mlview.ui.baseline_follow import BaselineFollow
from mlview.ui.command_mode import COMMANDS, CommandBar, CommandError, parse
from mlview.ui.context import ViewContext
from mlview.ui.footer import KeyFooter
from mlview.ui.header import SourceHeader, header_text, pane_notes
from mlview.ui.messages import AnalysisDone, AnalysisFailed, OpenDetail
from mlview.ui.pane import Pane
from mlview.ui.safety import SafeApp
from mlview.ui.screens import DetailScreen, HelpScreen, NamespaceScreen, PickScreen
from mlview.ui.tabs import TAB_IDS, TABS, Tab
from mlview.ui.widgets import NAV_KEYS, update_if_changed

TICK = 0.3  # seconds between store polls: the redraw rate limit
FILTER_DEBOUNCE = 0.25  # seconds of quiet typing before a big table is filtered again
BIG_CLUSTER_PODS = 2000


# Keys that only do something with `mlview --baseline OLD` (the help screen says so).
BASELINE_ACTIONS = ("changes", "cycle_show")


def _described(binding: Binding) -> str:
    if binding.action in BASELINE_ACTIONS:
        return f"{binding.description} (with --baseline)"
    return binding.description


class MLViewApp(BaselineFollow, SafeApp, App[None]):
    # The shell's styles; a tab's own (styles/<domain>.tcss) load with its pane (_make_pane).
    CSS_PATH = [str(styles_dir() / "app.tcss")]
    TITLE = "mlview"
    BINDINGS = [
        # The tab bar already reads "1 Storage 2 Ingress ...": the footer keeps its room (80
        # columns) for the keys it alone shows, and fewer keys make it cheaper to rebuild.
        Binding("1", "show_tab('storage')", "Storage", show=False),
        Binding("2", "show_tab('ingress')", "Ingress", show=False),
        Binding("3", "show_tab('reachability')", "Reachability", show=False),
        Binding("4", "show_tab('findings')", "Findings", show=False),
        Binding("5", "show_tab('services')", "Services", show=False),
        Binding("n", "pick_namespace", "Namespace"),
        Binding("slash", "filter", "Filter"),
        Binding("colon", "command_mode", "Command", show=False),  # k9s: `:pv`, `:ns NAME`, `:q`
        Binding("d", "detail", "Detail", show=False),  # Enter on a row does the same
        Binding("t", "trace", "Trace URL"),
        # Not in the footer: at 80 columns it drops keys already; help and palette list it.
        Binding("e", "show_events", "Events", show=False),
        Binding("o", "show_pod", "Pods", show=False),  # of the row, else of the namespace
        Binding("D", "changes", "Changes since baseline", show=False),  # with --baseline
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(
        self,
        store: Store,
        namespace: str | None = None,
        feed: Feed | None = None,
        overrides: Overrides = NO_OVERRIDES,
        logs: PreviousLogs | None = None,
        baseline: Store | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.store = store
        # `mlview --logs`: reads a container's previous log for the pod view (live only);
        # None: off. Logs are shown, never put in the store (so never recorded).
        self.logs = logs
        # mlview --baseline: compared with each analysed view in a worker (BaselineFollow)
        self.init_baseline(baseline)
        self.overrides = overrides  # .mlview.yaml: codes off, severities, accepted exceptions
        self.feed = feed  # writes into store (live cluster): started on mount, stopped on unmount
        self.namespace = namespace or None
        self.filter_text = ""
        self._ctx: ViewContext | None = None
        self._shown_version = -1
        self._analyzing = False
        self._reported: set[str] = set()  # analyzer failures already shown
        self._first_paint: Any = None  # headless check: called when the first screen is drawn
        self._filter_timer: Timer | None = None
        self._stale: set[str] = set()

    # ---- layout -------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        screen = super().get_default_screen()
        # The first table has the focus from the start: focusing anything else first (Textual
        # picks the first focusable widget) and moving it later costs a style and layout pass.
        screen.AUTO_FOCUS = "DataTable"
        return screen

    def compose(self) -> ComposeResult:
        yield SourceHeader(id="source-header")
        yield Static(id="pane-notes")
        with TabbedContent(id="tabs", initial=TABS[0].id):
            for i, tab in enumerate(TABS, start=1):
                with TabPane(f"{i} {tab.title}", id=tab.id):
                    if i == 1:  # the others mount when first shown (see _ensure_pane)
                        yield self._make_pane(tab)
        yield KeyFooter()  # the filter box mounts above it on first use (see action_filter)

    def on_mount(self) -> None:
        self.query_one("#pane-notes").display = False
        if self.feed is not None:
            self.feed.start()
        self._first_analysis()
        self.set_interval(TICK, self._tick)

    def on_unmount(self) -> None:
        if self.feed is not None:
            self.feed.stop()

    def _first_analysis(self) -> None:
        """Draw the first tab with data in the very first frame: its own analyzers run here,
        on the UI thread (milliseconds for a demo, a fraction of the load time for a big
        snapshot, nothing yet for a live cluster still syncing); the rest of the analysis
        follows in the worker once that frame is drawn."""
        self._analyzing = True
        try:
            view = complete(self.store.view())
            findings, errors = run_checked(view, self._active_tab().analyzers)
        except Exception as exc:  # noqa: BLE001 - shown as a notice, never a traceback
            self._analysis_failed(f"{type(exc).__name__}: {exc}")
            self.call_after_refresh(self._startup_done)
            return
        self._apply(view, findings, errors, False)

    # ---- data ---------------------------------------------------------------------------

    def _tick(self) -> None:
        # One analysis at a time: on a busy live cluster the store changes during a run; the
        # next tick after it ends picks up the latest version (threads cannot be cancelled,
        # so starting another run would only pile them up).
        if self._analyzing or self.store.version == self._shown_version:
            return
        self._analyzing = True
        self._analyze()

    def _active_tab(self) -> Tab:
        active = self.query_one(TabbedContent).active
        return next((t for t in TABS if t.id == active), TABS[0])

    @work(thread=True, exclusive=True, group="analysis")
    def _analyze(self) -> None:
        try:
            view = complete(self.store.view())
            findings, errors = run_checked(view)
        except Exception as exc:  # noqa: BLE001 - shown as a notice, never a traceback
            self.post_message(AnalysisFailed(f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(AnalysisDone(view, findings, errors))

    def on_analysis_done(self, message: AnalysisDone) -> None:
        if message.view.source is not self.store.source:  # the cluster before a context switch
            self._analyzing = False
            return
        self._apply(message.view, message.findings, message.errors)

    def on_analysis_failed(self, message: AnalysisFailed) -> None:
        self._analysis_failed(message.error)

    def apply_store_now(self) -> None:
        """Pick up the store's latest version now instead of at the next tick (for tests and
        callers that just wrote the store); no-op while an analysis runs or nothing changed."""
        self._tick()

    def _analysis_failed(self, message: str) -> None:
        self._analyzing = False
        self.notify(
            clean(message, single_line=True)[:300], title="Analysis failed", severity="error"
        )

    def _apply(
        self, view: Any, findings: list[Any], errors: list[str] = (), complete: bool = True
    ) -> None:
        if complete:
            self._analyzing = False
        else:  # the rest of the analysis, once the first screen is drawn (it holds the GIL)
            self.call_after_refresh(self._startup_done)
            self.call_after_refresh(self._analyze)
        for error in errors:
            if error not in self._reported:
                self._reported.add(error)
                self.notify(error, title="Some checks are missing", severity="error", timeout=10)
        self._shown_version = view.version if complete else self._shown_version
        findings, hidden = self.overrides.apply(findings)
        self._ctx = ViewContext(
            view,
            findings,
            self.namespace,
            self.filter_text,
            self._now(),
            self.overrides,
            hidden,
            self._changes,
        )
        self._stale = set(TAB_IDS)
        self._refresh_visible()
        if complete:
            self._compare_if_needed()

    def _startup_done(self) -> None:
        """The first screen is drawn: resume garbage collection if the CLI paused it for the
        startup (see cli.run_app), and tell the headless check."""
        if not gc.isenabled():
            gc.freeze()  # the widgets built so far live as long as the app
            gc.enable()
        if self._first_paint is not None:
            self._first_paint()
            self._first_paint = None

    def _now(self) -> datetime:
        return self.store.source.clock()

    def _refresh_visible(self) -> None:
        if self._ctx is None:
            return
        update_if_changed(
            self.query_one(SourceHeader),
            header_text(self._ctx.view, self.store.source, self.namespace, self.filter_text),
        )
        active = self.query_one(TabbedContent).active
        notes = pane_notes(self.store.source, active)
        if self.baseline is not None:  # the marks' legend, on every tab
            from mlview.ui.marks import baseline_note

            legend = baseline_note(active, self.baseline.source.label, self._changes)
            notes = legend + Text("\n") + notes if notes else legend
        notes_widget = self.query_one("#pane-notes", Static)
        update_if_changed(notes_widget, notes)
        notes_widget.display = bool(notes)
        panes = self.query(f"#{active}-pane")
        if active in self._stale and panes:  # not mounted yet: refreshed once it is
            self._stale.discard(active)
            panes.first(Pane).refresh_context(self._ctx)
            if self.focused is None or isinstance(self.focused, Tabs):
                self._focus_table()

    def narrow(self, namespace: str | None, filter_text: str = "") -> None:
        """Show one namespace (None: all) and rows matching filter_text, as the namespace
        picker and the filter box do."""
        self.namespace = namespace or None
        self.filter_text = filter_text.strip().lower()
        self._renarrow()

    def _renarrow(self) -> None:
        """Namespace or filter changed: same view, new narrowing, every pane stale."""
        if self._ctx is None:
            return
        self._ctx = ViewContext(
            self._ctx.view,
            self._ctx.findings,
            self.namespace,
            self.filter_text.lower(),
            self._ctx.now,
            self._ctx.overrides,
            self._ctx.hidden,
            self._changes,
        )
        self._stale = set(TAB_IDS)
        self._refresh_visible()

    async def _ensure_pane(self, tab_id: str) -> None:
        """Mount a tab's pane the first time the tab is shown."""
        if self.query(f"#{tab_id}-pane"):
            return
        tab = next(t for t in TABS if t.id == tab_id)
        await self.query_one(f"TabPane#{tab_id}", TabPane).mount(self._make_pane(tab))

    def _make_pane(self, tab: Tab) -> Pane:
        """A tab's pane, its stylesheet added first: parsing every tab's styles up front
        would delay the first screen for tabs not shown yet."""
        styles = styles_dir() / tab.domain.stylesheet
        if styles.is_file():
            self.stylesheet.read(styles)
        return tab.make_pane()

    async def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        await self._ensure_pane(self.query_one(TabbedContent).active)  # a click on a tab
        self._refresh_visible()
        self._focus_table()

    # ---- actions ------------------------------------------------------------------------

    async def action_show_tab(self, pane_id: str) -> None:
        # Mount first: focus left in the old tab would otherwise pull the tabs back to it.
        await self._ensure_pane(pane_id)
        self.query_one(TabbedContent).active = pane_id
        self._refresh_visible()
        self._focus_table()

    async def show_object(self, tab_id: str, key: str) -> bool:
        """Show a tab with the cursor on the row of `key` (a jump from the Services card)."""
        await self.action_show_tab(tab_id)
        pane = self.active_pane()
        if pane is None:
            return False
        await asyncio.sleep(0)  # let a newly mounted pane draw its rows first
        shown = pane.show_key(key)
        if not shown:
            self.notify(f"not on the {tab_id} tab with the current namespace or filter: {key}")
        return shown

    def current_pane(self) -> Pane:
        pane = self.active_pane()
        if pane is None:
            raise LookupError("the active tab's pane is not mounted yet")
        return pane

    def active_pane(self) -> Pane | None:
        """The visible tab's pane; None in the moment before a tab's first mount."""
        panes = self.query(f"#{self.query_one(TabbedContent).active}-pane")
        return panes.first(Pane) if panes else None

    def action_pick_namespace(self) -> None:
        names = self._ctx.view.namespaces() if self._ctx else []

        def chosen(choice: str | None) -> None:
            if choice is not None:
                self.narrow(choice, self.filter_text)

        self.push_screen(NamespaceScreen(names, self.namespace), chosen)

    async def action_filter(self) -> None:
        box = self._filter_box()
        if box is None:
            box = Input(
                placeholder="filter the current table (Enter to keep, Esc to clear)",
                id="filter-input",
            )
            main = self.screen_stack[0]
            await main.mount(box, before=main.query_one(Footer))
        box.display = True
        box.value = self.filter_text
        box.focus()

    def _filter_box(self) -> Input | None:
        boxes = self.screen_stack[0].query("#filter-input")
        return boxes.first(Input) if boxes else None

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

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter-input":
            event.input.display = bool(self.filter_text)
            self._focus_table()
        elif event.input.id == "command-input":
            self.query_one("#command-bar").display = False
            line, event.input.value = event.value, ""
            self._focus_table()
            await self.run_command(line)

    def action_clear_filter(self) -> None:
        box = self._filter_box()
        if not self.filter_text and (box is None or not box.display):
            return
        if box is not None:
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
        pane = self.active_pane()
        if pane is None:
            return
        shown = [w for w in pane.query("*") if w.focusable and w.display]
        target = next((w for w in shown if isinstance(w, DataTable)), shown[0] if shown else None)
        if target is not None:
            # Focus now, not deferred like Widget.focus(): a deferred focus landing after the
            # next tab key would pull TabbedContent back to this tab.
            self.screen.set_focus(target)

    def refocus_table(self) -> None:
        """Focus the visible tab's table again (after a prompt closes)."""
        self._focus_table()

    async def action_back(self) -> None:
        """Esc, one level at a time: the pane's own box or sub-list, then the filter, then the
        pane's secondary view (volumes or classes back to claims). The command prompt and the
        modal screens close themselves."""
        pane = self.active_pane()
        if pane is not None and pane.back():
            return
        box = self._filter_box()
        if self.filter_text or (box is not None and box.display):
            self.action_clear_filter()
            return
        if pane is not None:
            went = pane.back_view()
            if not isinstance(went, bool):
                went = await went
            if went:
                self._focus_table()

    # ---- command mode (`:`) ---------------------------------------------------------------

    async def action_command_mode(self) -> None:
        if self.screen is not self.screen_stack[0]:  # a modal view is open: its keys first
            return
        main = self.screen_stack[0]
        bars = main.query("#command-bar")
        if bars:
            bar = bars.first(CommandBar)
        else:
            bar = CommandBar(self._command_arguments, id="command-bar")
            await main.mount(bar, before=main.query_one(Footer))
        bar.display = True
        bar.prompt.value = ""
        bar.prompt.focus()

    def _command_arguments(self, what: str) -> list[str]:
        """What `:ns`, `:ctx` and `:pod` complete: namespaces, the kubeconfig's contexts, pods."""
        if what == "namespace":
            return (self._ctx.view.namespaces() if self._ctx else []) + ["all"]
        if what == "context":
            try:
                return list(self.feed.contexts()) if hasattr(self.feed, "contexts") else []
            except Exception:  # noqa: BLE001 - completion only: an unreadable kubeconfig is no hint
                return []
        if what == "pod" and self._ctx is not None:  # in the namespace shown: its names
            ns = self.namespace
            pods = self._ctx.view.list("Pod", ns)
            meta = [p.get("metadata") or {} for p in pods]
            return sorted(
                str(m.get("name", "")) if ns else f"{m.get('namespace', '')}/{m.get('name', '')}"
                for m in meta
            )
        return []

    async def run_command(self, line: str) -> bool:
        """Run one command-mode line (`pv`, `ns ml-serving`, `q`); a line naming nothing, or an
        action this build lacks, is one notice, never a traceback. True when it ran."""
        try:
            command, arg = parse(line)
        except CommandError as exc:
            self.notify(clean(str(exc), single_line=True), severity="warning")
            return False
        name = command.action.partition("(")[0]
        if not hasattr(self, f"action_{name}"):  # a table entry without its action: say so
            self.notify(f":{command.name}: not available in this version", severity="warning")
            return False
        await self.run_action(command.action_with(arg) if command.arg else command.action)
        return True

    async def action_show_kind(self, tab_id: str, view: str = "") -> None:
        """The tab and view that list a kind (`:pv` -> Storage, volumes)."""
        await self.action_show_tab(tab_id)
        pane = self.active_pane()
        if pane is None or not view:
            return
        shown = pane.show_view(view)
        if not isinstance(shown, bool):
            shown = await shown
        if not shown:
            self.notify(f"the {tab_id} tab has no {view} view", severity="warning")
        self._focus_table()

    def action_set_namespace(self, name: str = "") -> None:
        """`:ns NAME` (`:ns all`: every namespace); with no name, the picker."""
        if not name:
            self.action_pick_namespace()
            return
        if name in ("all", "-A", "*"):
            self.narrow(None, self.filter_text)
            return
        known = self._ctx.view.namespaces() if self._ctx else []
        if name not in known:
            self.notify(
                f"no namespace {clean(name, single_line=True)!r} in view", severity="warning"
            )
            return
        self.narrow(name, self.filter_text)

    # ---- live context switch (`:ctx`) -----------------------------------------------------

    def action_switch_context(self, name: str = "") -> None:
        """`:ctx NAME`: watch another context of the kubeconfig instead (live only); with no
        name, a picker of the kubeconfig's contexts."""
        feed = self.feed
        if feed is None or not hasattr(feed, "for_context"):
            mode = self.store.source.mode
            self.notify(
                f"not live ({mode}): there is no cluster context to switch", severity="warning"
            )
            return
        try:
            names = list(feed.contexts())
        except Exception as exc:  # noqa: BLE001 - one line, no traceback
            self.notify(clean(str(exc), single_line=True), severity="warning")
            return
        if not name:

            def chosen(choice: str | None) -> None:
                if choice:
                    self.action_switch_context(choice)

            self.push_screen(PickScreen(names, self.store.source.context, title="context"), chosen)
            return
        if name not in names:
            listed = ", ".join(names) or "none"
            self.notify(
                clean(
                    f"no context {name!r} in the kubeconfig (contexts: {listed})", single_line=True
                )[:300],
                severity="warning",
            )
            return
        if name == self.store.source.context:
            self.notify(f"already on context {clean(name, single_line=True)}")
            return
        self.notify(f"connecting to context {clean(name, single_line=True)}…")
        self._connect_context(name)

    @work(thread=True, exclusive=True, group="context")
    def _connect_context(self, name: str) -> None:
        """Build and probe the new context's source off the UI thread (a dead server takes
        seconds to say so); the old one keeps running until the new one answers."""
        try:
            source = self.feed.for_context(name)
            source.probe()
        except Exception as exc:  # noqa: BLE001 - ConfigError, UsageError: one line
            self.call_from_thread(
                self.notify,
                clean(f"context {name}: {exc}", single_line=True)[:300],
                severity="error",
            )
            return
        self.call_from_thread(self._switch_feed, source)

    async def _switch_feed(self, source: Any) -> None:
        """Watch `source` instead of the current feed: its store, fresh panes, the header."""
        old = self.feed
        self.feed, self.store = source, source.store
        source.start()
        if old is not None:
            self._stop_feed(old)
        self._ctx, self._shown_version, self._reported = None, -1, set()
        self._analyzing = False
        # Panes keep caches keyed by view version: a new store starts its versions over.
        for pane in self.query(Pane):
            await pane.remove()
        await self._ensure_pane(self.query_one(TabbedContent).active)
        self._focus_table()
        self._tick()
        self.notify(f"context {clean(source.store.source.context, single_line=True)}")

    @work(thread=True, group="context-stop")
    def _stop_feed(self, feed: Feed) -> None:
        feed.stop()  # joins its watch threads: not on the UI thread

    def action_detail(self) -> None:
        """d (and the palette): the pane posts OpenDetail for the object under its cursor."""
        pane = self.active_pane()
        if pane is not None:
            pane.open_detail()

    def on_open_detail(self, message: OpenDetail) -> None:
        ctx = message.ctx or self._ctx
        if ctx is None:
            return
        if message.obj.get("kind") == "Pod":  # every pod, wherever it is opened from
            from mlview.ui.pod_screen import PodScreen

            self.push_screen(PodScreen(message.obj, ctx, self.logs))
            return
        self.push_screen(DetailScreen(message.obj, ctx))

    def current_context(self) -> ViewContext | None:
        """The newest view, findings and narrowing on screen (views that follow live data)."""
        return self._ctx

    def action_show_events(self) -> None:
        """e, `:events`: every Event of the namespace (all namespaces when none is picked)."""
        if self._ctx is None:
            return
        from mlview.ui.events_screen import EventsScreen

        self.push_screen(EventsScreen(self._ctx))

    def action_show_pod(self, name: str = "") -> None:
        """o, `:pod [NAME]`: the pod view of a pod named (ns/name, or a name in the namespace),
        else of the pod(s) under the cursor, else a list of the namespace's pods."""
        ctx = self._ctx
        if ctx is None:
            return
        from mlview.ui.pods_screen import PodsScreen

        if name:
            pod = self._find_pod(name)
            if pod is None:
                self.notify(f"no pod {name!r} here", severity="warning")
                return
            pods = [pod]
        else:
            pane = self.active_pane()
            pods = pane.selected_pods() if pane is not None else []
        if len(pods) == 1:
            self.post_message(OpenDetail(pods[0], ctx))
            return
        if pods:
            self.push_screen(PodsScreen(pods, ctx, "pods of the selected row"))
            return
        where = f"namespace {ctx.namespace}" if ctx.namespace else "all namespaces"
        pods = ctx.view.list("Pod", ctx.namespace)
        self.push_screen(PodsScreen(pods, ctx, f"pods in {where}"))

    def _find_pod(self, name: str) -> dict[str, Any] | None:
        ctx = self._ctx
        if ctx is None:
            return None
        ns, _, short = name.rpartition("/")
        if ns:
            return ctx.view.get("Pod", ns, short)
        found = [
            p for p in ctx.view.list("Pod", ctx.namespace) if p["metadata"].get("name") == short
        ]
        return found[0] if len(found) == 1 else None

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Palette -> Screenshot: saved where it says (see ui/screenshot.py)."""
        from mlview.ui import screenshot

        saved = screenshot.save(self, filename)
        return str(saved) if saved is not None else None

    def action_trace(self) -> None:
        """Trace a request: from the route under the cursor, or a URL typed in the prompt."""
        pane = self.active_pane()
        self.open_trace(pane.trace_url() if pane is not None else "")

    def open_trace(self, url: str = "") -> None:
        """The trace screen on the current view, tracing `url` at once when given."""
        if self._ctx is None:
            return
        from mlview.ui.trace_screen import TraceScreen  # its analysis loads on first use

        self.push_screen(TraceScreen(self._ctx, url))

    def help_rows(self) -> list[tuple[str, str]]:
        """Every key, per tab: (key, what it does); a row with no key is a heading."""
        rows = [(self.get_key_display(b), _described(b)) for b in self.BINDINGS if b.description]
        rows = [r for r in rows if r[0] not in ("esc", ":")]  # listed below, with what they do
        rows += [
            ("enter", "Detail of the selected row"),
            ("w", "A table's columns: all (scroll sideways) / those that fit"),
            ("esc", "Back one level: a box, the filter, a view"),
            (":", "Command mode (below)"),
            ("ctrl+p", "Command palette: the current tab's actions"),
            ("", "Moving in tables and the matrix"),
            *NAV_KEYS,
            ("", "Command mode: type after :, tab completes"),
        ]
        for command in COMMANDS:
            names = " ".join(f":{n}" for n in command.names[:2])
            arg = " NAME" if command.arg else ""
            rows.append((names + arg, command.what))
        from mlview.ui.events_screen import EventsScreen
        from mlview.ui.pod_screen import PodScreen

        for title, screen in (("Events view (e)", EventsScreen), ("Pod view", PodScreen)):
            rows.append(("", title))
            rows += [
                (
                    "/".join(self.get_key_display(Binding(k, b.action)) for k in b.key.split(",")),
                    b.description,
                )
                for b in screen.BINDINGS
                if isinstance(b, Binding) and b.description
            ]
        rows.append(("", "Pods"))
        rows.append(("o", "Pods of the row (one: its pod view), else of the namespace"))
        rows.append(("enter", "On a pod row: the pod view (containers, last exit, probes)"))
        for tab in TABS:
            pane_class = tab.pane_class()
            keys = [
                (self.get_key_display(b), b.description)
                for b in getattr(pane_class, "BINDINGS", [])
                if isinstance(b, Binding) and b.description
            ]
            keys += list(pane_class.HELP_KEYS)
            if keys:
                rows.append(("", f"{tab.title} tab"))  # a heading
                rows += keys
        return rows

    def action_help(self) -> None:
        # On a pane with a selected finding (the Findings tab), its catalogue entry shows first.
        pane = self.active_pane()
        selected = getattr(pane, "selected_finding", None)
        finding = selected() if callable(selected) else None
        self.push_screen(HelpScreen(self.help_rows(), code=finding.code if finding else ""))

    def get_system_commands(self, screen: Screen) -> Any:
        # The model services first: where an on-call page ("translation returns 504") starts.
        numbered = list(enumerate(TABS, start=1))
        numbered.sort(key=lambda it: it[1].id != "services")
        for i, tab in numbered:
            yield SystemCommand(
                f"Show {tab.title} ({i})",
                f"Switch to tab {i}",
                lambda p=tab.id: self.action_show_tab(p),
            )
        yield from self._pane_commands()
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Pick namespace (n)", "Show one namespace or all", self.action_pick_namespace
        )
        yield SystemCommand("Filter (/)", "Narrow the current table", self.action_filter)
        yield SystemCommand("Detail (enter)", "Open the selected object", self.action_detail)
        yield SystemCommand(
            "Trace a URL (t)",
            "Predict the status code of a request, step by step",
            self.action_trace,
        )
        yield SystemCommand(
            "Events (e)", "Every Event of the namespace, Warnings first", self.action_show_events
        )
        yield SystemCommand(
            "Pods (o)",
            "The pod view: containers, last termination, probe failures",
            self.action_show_pod,
        )
        if self.baseline is not None:
            yield SystemCommand(
                "Changes since baseline (D)",
                "What changed since --baseline: findings, reachability, routes, storage, objects",
                self.action_changes,
            )
        yield SystemCommand(
            "Command mode (:)", "Jump to a kind: pv, ing, netpol...", self.action_command_mode
        )
        for command in COMMANDS:  # the kinds `:` jumps to, for those who do not type it
            action = command.action.partition("(")[0]
            if action in ("show_events", "show_pod"):
                continue  # offered above, with their keys
            if action.startswith("show_") and hasattr(self, f"action_{action}"):
                yield SystemCommand(
                    f"Go to {command.what} (:{command.name})",
                    f"Command mode :{command.name}",
                    lambda name=command.name: self.run_command(name),
                )
        if self.feed is not None and hasattr(self.feed, "for_context"):
            yield SystemCommand(
                "Switch context (:ctx)",
                "Watch another kubeconfig context",
                self.action_switch_context,
            )
        yield SystemCommand("Help (?)", "List the key bindings", self.action_help)

    def _pane_commands(self) -> Any:
        """Every action of the visible tab, titled by the tab, with its key."""
        pane = self.active_pane()
        if pane is None:
            return
        tab = self._active_tab()
        for b in pane.BINDINGS:
            if not isinstance(b, Binding) or not b.description:
                continue

            async def run(action: str = b.action, target: Pane = pane) -> None:
                await self.run_action(action, target)

            yield SystemCommand(
                f"{tab.title}: {b.description} ({self.get_key_display(b)})",
                f"The {tab.title} tab's key {self.get_key_display(b)}",
                run,
            )

    # ---- install checks -----------------------------------------------------------------

    def headless_check(self) -> int:
        """Start without a terminal, render the first screen, report, exit (install checks).

        Prints `first screen drawn` (flushed) when the first screen with data is rendered:
        bench/bench_startup.py times that line.
        """
        self._first_paint = lambda: print("mlview: first screen drawn", flush=True)

        async def run() -> int:
            async with self.run_test(size=(120, 40)) as pilot:
                for _ in range(600):  # until the full analysis is shown (at most ~60 s)
                    try:
                        await self.workers.wait_for_complete()
                    except WorkerCancelled:  # superseded by a newer run: wait for that one
                        continue
                    await pilot.pause(0.1)
                    if self._ctx is not None and not self._analyzing:
                        break
                sheets = sorted(styles_dir().glob("*.tcss"))
                ok = self._ctx is not None and len(sheets) > 1  # the shell's and the tabs' styles
                print(
                    f"mlview: headless check {'ok' if ok else 'FAILED'}: "
                    f"{self._ctx.view.count('Pod') if self._ctx else 0} pods, "
                    f"{len(self._ctx.findings) if self._ctx else 0} findings, "
                    f"{len(sheets)} stylesheets"
                )
                return 0 if ok else 1

        return asyncio.run(run())
