"""Reachability tab: which pods may connect to which on a port, and why.

A matrix of sources (rows) by destinations (columns), grouped by namespace and workload; a
group shows as one row or column when its members agree and as its members otherwise (space
and x flip a row or column group). Focus mode (f) keeps only the destinations that expose the
chosen port, or match a selector (s), so "who reaches the model store on 9000" fits on one
screen. The cell under the cursor is explained on the right; the policies in scope, in plain
words, are listed below. Narrower than NARROW columns, the explanation goes under the matrix
(which then has the width to itself) and the policies follow it in the same box. The
namespace (n) narrows destinations and policies; the filter (/) narrows sources.

The matrix is computed off the UI thread (a 5,000-pod cluster takes a good fraction of a
second): a thread worker answers mlview.analysis.reachability.query.answer(view, query) and hands
the result back; meanwhile the status line says what is being computed and the keys keep
working. Answers are cached per (view version, query), so going back to a tab, a port or a
focus mode shows at once; an answer overtaken by a newer question is cached, not shown.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Static

from mlview import theme
from mlview.analysis.reachability.engine import BadQuery, check_query
from mlview.analysis.reachability.explain import Explanation
from mlview.analysis.reachability.query import ReachQuery, ReachResult, answer, parse_selector
from mlview.store import StoreView
from mlview.ui.context import ViewContext
from mlview.ui.messages import OpenDetail
from mlview.ui.pane import Pane
from mlview.ui.panes.reachability.choice import PolicyChoiceScreen, denying_policies
from mlview.ui.panes.reachability.flips import flip_text, flipped_cells, not_compared_text
from mlview.ui.panes.reachability.grid import MatrixGrid
from mlview.ui.panes.reachability.text import (
    cell_text,
    empty_text,
    policies_text,
    summary_text,
)
from mlview.ui.widgets import Hanging, safe

__all__ = ["ReachabilityPane", "parse_selector"]

NARROW = 120  # columns: below, the explanation goes under the matrix
CACHE_SIZE = 8  # answers kept: going back to a tab, a port or a focus costs nothing

AnswerKey = tuple[int, ReachQuery]  # (view.version, query)
PoliciesKey = tuple[int, str | None, str]  # (view.version, namespace, filter)


class ReachabilityPane(Pane):
    TITLE = "Reachability"

    class Answered(Message):
        """The worker's answer to a question (None and an error line when it failed)."""

        def __init__(
            self,
            key: AnswerKey,
            result: ReachResult | None,
            policies: Text | None,
            pkey: PoliciesKey,
            error: str,
        ) -> None:
            super().__init__()
            self.key, self.result, self.policies = key, result, policies
            self.pkey, self.error = pkey, error

    BINDINGS = [
        Binding("p", "edit_port", "Port"),
        Binding("f", "toggle_focus", "Focus"),
        Binding("s", "edit_selector", "Focus selector"),
        Binding("space", "flip_row", "Expand row"),
        Binding("x", "flip_col", "Expand column"),
        Binding("enter", "detail", "Open the policy that decides the cell", show=False),
    ]
    HELP_KEYS = (
        ("h / l", "Column left / right (and the arrows)"),
        ("esc", "Close the port or selector box"),
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._ctx: ViewContext | None = None
        self.port, self.protocol = 9000, "TCP"
        self.focus = True
        self.selector_text = ""  # empty: the pods exposing the port
        self._row_flips: set[str] = set()
        self._col_flips: set[str] = set()
        # The answer on screen, the one asked for last, and answers kept for reuse. Answers
        # are computed in a worker thread; one that arrives after a newer request is kept
        # in the cache but not shown.
        self._shown: ReachResult | None = None
        self._wanted: AnswerKey | None = None
        self._computing = ""  # the query being computed, as "TCP 9000" ("" = none)
        self._cursor_to: tuple[int, str] | None = None  # (axis, entry key) once it arrives
        self._answers: OrderedDict[AnswerKey, ReachResult] = OrderedDict()
        self._policies: OrderedDict[PoliciesKey, Text] = OrderedDict()
        self._policies_shown: PoliciesKey | None = None
        self._policies_text: Text | None = None
        self._explanation: Explanation | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="reach-bar")
        yield Input(placeholder="port[/protocol], e.g. 9000 or 53/udp (Enter)", id="reach-port")
        yield Input(
            placeholder="destinations: app=model-store,tier!=dev,env in (a,b),!legacy "
            "(empty: pods exposing the port; Enter)",
            id="reach-selector",
        )
        with Horizontal(id="reach-main"):
            yield MatrixGrid(id="reach-matrix")
            with VerticalScroll(id="reach-explain"):
                yield Static(id="reach-explain-text")
                yield Static(id="reach-narrow-policies")  # narrow: the policies, here
        with VerticalScroll(id="reach-policies"):
            yield Static(id="reach-policies-text")

    def on_mount(self) -> None:
        self.query_one("#reach-port").display = False
        self.query_one("#reach-selector").display = False
        self.query_one("#reach-explain").border_title = "why"
        self.query_one("#reach-policies").border_title = "policies"

    # ---- data: asked on the UI thread, answered by a worker -------------------------------

    def refresh_context(self, ctx: ViewContext) -> None:
        self._ctx = ctx
        # Views only move forward: answers for older ones are never asked for again, and
        # dropping them lets those views be freed.
        version = ctx.view.version
        for cache in (self._answers, self._policies):
            for key in [k for k in cache if k[0] != version]:
                del cache[key]
        self._request()

    @property
    def shown(self) -> ReachResult | None:
        """The answer on screen (None before the first arrives)."""
        return self._shown

    @property
    def asked_version(self) -> int:
        """The view version of the question asked last (-1 before any): an answer for it
        may still be computing."""
        return self._wanted[0] if self._wanted is not None else -1

    def _query(self, ctx: ViewContext) -> ReachQuery:
        return ReachQuery(
            self.port,
            self.protocol,
            self.focus,
            self.selector_text,
            ctx.namespace,
            ctx.filter_text,
            frozenset(self._row_flips),
            frozenset(self._col_flips),
        )

    def _request(self, cursor_to: tuple[int, str] | None = None) -> None:
        """Show the answer to the current question: at once if known, else once computed."""
        ctx = self._ctx
        if ctx is None:
            return
        q = self._query(ctx)
        key = (ctx.view.version, q)
        pkey = (ctx.view.version, q.namespace, q.filter_text)
        self._wanted, self._cursor_to = key, cursor_to
        known, policies = self._answers.get(key), self._policies.get(pkey)
        if known is not None and policies is not None:
            self._answers.move_to_end(key)
            self._show(known, policies, pkey)
            return
        if self._shown is not None and self._shown.query == q:
            # The same question on newer data: refreshed quietly, so that a live cluster's
            # updates do not make the matrix blink.
            self._set_computing("")
        else:
            self._set_computing(q.describe())
        self._compute(ctx.view, q, pkey, policies)

    def _set_computing(self, what: str) -> None:
        """Say what is being computed ("TCP 9000"), and dim the matrix of the previous
        question meanwhile; "" when nothing is."""
        self._computing = what
        grid_w = self.query_one(MatrixGrid)
        grid_w.set_class(bool(what), "-computing")
        if what:
            grid_w.placeholder = f"computing reachability for {what}…"
            if self._shown is None:  # nothing to explain yet: say nothing, not "no pods"
                grid_w.refresh()
                self.query_one("#reach-explain-text", Static).update("")
        self._show_bar()

    @work(thread=True, exclusive=True, group="reachability")
    def _compute(
        self, view: StoreView, q: ReachQuery, pkey: PoliciesKey, policies: Text | None
    ) -> None:
        result: ReachResult | None = None
        error = ""
        try:
            result = answer(view, q)
            if policies is None:
                policies = policies_text(view, q.namespace, q.filter_text)
        except Exception as exc:  # a bug in the analysis: a line on the status bar, no crash
            error = f"reachability for {q.describe()} failed: {type(exc).__name__}: {exc}"
        try:
            self.post_message(self.Answered((view.version, q), result, policies, pkey, error))
        except RuntimeError:  # the app stopped meanwhile: nobody to tell
            pass

    def on_reachability_pane_answered(self, message: Answered) -> None:
        key, result, policies = message.key, message.result, message.policies
        pkey, error = message.pkey, message.error
        if not self.is_mounted:
            return
        current = key == self._wanted
        if result is None or policies is None:
            if current:
                self._set_computing("")
                grid_w = self.query_one(MatrixGrid)
                grid_w.placeholder = error
                grid_w.refresh()
                self.query_one("#reach-bar", Static).update(safe(f" {error}", theme.ERROR))
            return
        if key[0] == (self._ctx.view.version if self._ctx else -1):
            self._answers[key] = result
            self._policies[pkey] = policies
            for cache in (self._answers, self._policies):
                while len(cache) > CACHE_SIZE:
                    cache.popitem(last=False)
        if current:  # else a newer request superseded it: its own answer will follow
            self._show(result, policies, pkey)

    def _show(self, result: ReachResult, policies: Text, pkey: PoliciesKey) -> None:
        self._computing = ""
        grid_w = self.query_one(MatrixGrid)
        grid_w.remove_class("-computing")  # the status line follows below
        if result is not self._shown:
            keep = grid_w.cursor_keys()
            if self._cursor_to is not None:  # a flipped group: stay on its entry
                axis, entry = self._cursor_to
                row, col = keep or ("", "")
                keep = (entry, col) if axis == 0 else (row, entry)
            self._shown = result
            grid_w.empty_text = empty_text(result)
            grid_w.set_grid(result.grid, keep)  # same keys, same cursor: a refresh stays put
        self._cursor_to = None
        self._show_flips(result)
        self._show_bar()
        if pkey != self._policies_shown:
            # A long text: laid out only when it changed, and after the matrix is drawn.
            self._policies_shown = pkey
            self.call_after_refresh(self._show_policies, pkey, policies)

    def _show_flips(self, result: ReachResult) -> None:
        """mlview --baseline: mark the cells whose verdict flipped since the baseline (the
        comparison covers the matrix's port; another port is compared on demand)."""
        changes = self._ctx.changes if self._ctx is not None else None
        grid_w = self.query_one(MatrixGrid)
        if changes is None:
            grid_w.set_flips({})
            return
        q = result.query
        if not changes.compared(q.port, q.protocol):
            grid_w.set_flips({})
            self.app.compare_port()  # type: ignore[attr-defined]
            return
        flipped = flipped_cells(result.grid, changes.flips_at(q.port, q.protocol))
        if flipped != grid_w.flipped:
            grid_w.set_flips(flipped)
            self._show_explanation(*grid_w.cursor)

    def _show_policies(self, pkey: PoliciesKey, policies: Text) -> None:
        # Not if overtaken meanwhile, nor if equal to what is shown (a live update that did
        # not touch any policy): laying out hundreds of lines again is what takes time.
        if pkey == self._policies_shown and policies != self._policies_text:
            self._policies_text = policies
            self.query_one("#reach-policies-text", Static).update(Hanging(policies))
            if self.has_class("-narrow"):
                self._show_narrow_policies()

    # ---- status line, explanation -------------------------------------------------------

    def _show_bar(self) -> None:
        """What the matrix shows; while a new question is computed, that first."""
        r = self._shown
        text = Text()
        if r is not None:
            text.append(f" {r.query.describe()} ", style=theme.BANNER)
        if self._computing:  # before the rest, so that a narrow terminal shows it too
            text.append(
                f" computing reachability for {self._computing}…", style=theme.WARNING_STRONG
            )
        bar = self.query_one("#reach-bar", Static)
        if not self._computing and r is not None:
            width = bar.size.width  # 0 before the first layout: keep the legend
            text.append_text(summary_text(r, width - text.cell_len if width else None))
        bar.update(text)

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self.query_one(MatrixGrid).set_narrow(narrow)
            self._show_narrow_policies()
        self._show_bar()  # the legend shows only where it fits

    def _show_narrow_policies(self) -> None:
        """Narrow: the policies below the explanation (their own box is hidden)."""
        text = self._policies_text if self.has_class("-narrow") else None
        box = self.query_one("#reach-narrow-policies", Static)
        box.update(Hanging(Text("\nPolicies\n", style=theme.HEADING) + text) if text else "")

    def on_matrix_grid_cell_changed(self, event: MatrixGrid.CellChanged) -> None:
        self._show_explanation(event.row, event.col)

    def _show_explanation(self, r: int, c: int) -> None:
        text, self._explanation = cell_text(self._shown, r, c)
        changes = self._ctx.changes if self._ctx is not None else None
        if changes is not None and self._shown is not None:
            q = self._shown.query
            flips = self.query_one(MatrixGrid).flipped.get((r, c))
            if flips:
                text = flip_text(flips) + Text("\n") + text
            elif not changes.compared(q.port, q.protocol):
                text = not_compared_text(q.port, q.protocol) + text
        self.query_one("#reach-explain-text", Static).update(Hanging(text))

    # ---- actions ------------------------------------------------------------------------

    def action_edit_port(self) -> None:
        box = self.query_one("#reach-port", Input)
        box.value = f"{self.port}/{self.protocol.lower()}"
        box.display = True
        box.focus()

    def action_edit_selector(self) -> None:
        box = self.query_one("#reach-selector", Input)
        box.value = self.selector_text
        box.display = True
        box.focus()

    def back(self) -> bool:
        """Esc: close the port or selector box (the app clears the filter next time)."""
        if not any(box.display for box in self.query(Input)):
            return False
        self.action_close_input()
        return True

    def action_close_input(self) -> None:
        for box in self.query(Input):
            box.display = False
        self.query_one(MatrixGrid).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "reach-port":
            port, _, proto = event.value.strip().partition("/")
            try:
                self.port, self.protocol = check_query(port, proto or "TCP")
            except BadQuery as exc:
                self.query_one("#reach-bar", Static).update(Text(f" {exc}", style=theme.ERROR))
                return
        elif event.input.id == "reach-selector":
            try:
                parse_selector(event.value)
            except ValueError as exc:  # the box stays open so the user can fix it
                bar = self.query_one("#reach-bar", Static)
                bar.update(Text(f" focus selector: {exc}", style=theme.ERROR))
                return
            self.selector_text = event.value.strip()
            self.focus = True
        else:
            return
        event.stop()
        self.action_close_input()
        self._request()

    def show_key(self, key: str) -> bool:
        """A jump from another tab: `key` is a selector ("app=translation"), the matrix is
        focused on the destinations it selects, on the port of the question."""
        selector, _, port = key.partition("@")
        try:
            parse_selector(selector)
            if port:
                self.port, self.protocol = check_query(port, "TCP")
        except (ValueError, BadQuery):
            return False
        self.selector_text, self.focus = selector, True
        self._request()
        return True

    def action_toggle_focus(self) -> None:
        self.focus = not self.focus
        self._request()

    def action_flip_row(self) -> None:
        self._flip(self._row_flips, 0)

    def action_flip_col(self) -> None:
        self._flip(self._col_flips, 1)

    def _flip(self, flips: set[str], axis: int) -> None:
        shown = self._shown
        if shown is None or not shown.grid.rows or not shown.grid.cols:
            return
        r, c = self.query_one(MatrixGrid).cursor
        entry = shown.grid.rows[r] if axis == 0 else shown.grid.cols[c]
        key = entry.group.key
        if len(entry.group.pods) < 2:
            return
        flips.symmetric_difference_update({key})
        self._request(cursor_to=(axis, key))

    def action_detail(self) -> None:
        shown, ex = self._shown, self._explanation
        choices = denying_policies(ex) if ex is not None else []
        if shown is None or len({ref for _, ref in choices}) < 2:
            self.open_detail()
            return

        def open_policy(ref: str | None) -> None:
            ns, _, name = (ref or "").partition("/")
            obj = shown.view.get("NetworkPolicy", ns, name) if ref else None
            if obj is not None:
                self.post_message(OpenDetail(obj, self._ctx))

        self.app.push_screen(PolicyChoiceScreen(choices), open_policy)

    def selected_pods(self) -> list[dict[str, Any]]:
        """The pods of the cell's column (destinations) and row (sources), in that order."""
        shown = self._shown
        if shown is None or not shown.grid.rows or not shown.grid.cols:
            return []
        r, c = self.query_one(MatrixGrid).cursor
        entries = [shown.grid.cols[c], shown.grid.rows[r]]
        seen: dict[str, dict[str, Any]] = {}
        for entry in entries:
            for p in entry.pods:
                seen.setdefault(p.ref, p.obj)
        return list(seen.values())

    def selected_object(self) -> dict[str, Any] | None:
        """The policy that decides the cell (admits it, or isolates the denying side); else
        the destination pod."""
        shown, ex = self._shown, self._explanation
        if shown is None or ex is None:
            return None
        ref = None
        for side in (ex.ingress, ex.egress):
            if side is None or not side.isolated:
                continue
            if side.admitted_by:
                ref = ref or side.admitted_by[0].policy
            else:
                ref = next(p for p, iso in side.selecting if iso)
                break
        if ref is not None:
            ns, name = ref.split("/", 1)
            return shown.view.get("NetworkPolicy", ns, name)
        ns, name = ex.dst.split("/", 1)
        return shown.view.get("Pod", ns, name)


PANE = ReachabilityPane  # the tab's pane (mlview/domains.py)
