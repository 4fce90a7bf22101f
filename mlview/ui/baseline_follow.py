"""The app's side of `mlview --baseline OLD`: compare each analysed view with the baseline in
a worker thread (as the analysis runs), keep the latest comparison for the panes' marks, and
open the Changes view. The comparison is the engine's (mlview.ui.baseline runs it)."""

from __future__ import annotations

import time
from typing import Any

from textual import work
from textual.timer import Timer

from mlview.sanitize import clean
from mlview.store import Store
from mlview.ui.messages import ChangesDone

# After a comparison that took S seconds, the next starts no sooner than COMPARE_GAP * S later:
# on a busy live cluster the marks lag a little and the UI stays fluid.
COMPARE_GAP = 2.0


class BaselineFollow:
    """Mixed into MLViewApp (it provides _ctx, _reported, _renarrow, notify, query...)."""

    _ctx: Any
    _reported: set[str]

    def init_baseline(self, baseline: Store | None) -> None:
        self.baseline = baseline
        self._base: Any = None  # the baseline analysed, once (mlview.ui.baseline.BaselineSide)
        self._changes: Any = None  # the latest comparison (mlview.ui.baseline.Changes)
        self._comparing = False
        self._compare_due = 0.0  # time.monotonic() before which no comparison starts
        self._compare_timer: Timer | None = None

    def _compare_if_needed(self) -> None:
        """Compare the view on screen with the baseline, once per view version; one
        comparison at a time (the next analysed view starts the next one)."""
        ctx = self._ctx
        if self.baseline is None or ctx is None or self._comparing:
            return
        ports = self._ports()
        done = self._changes
        if done is not None and done.version == ctx.view.version and done.asked == ports:
            return
        wait = self._compare_due - time.monotonic()
        if wait > 0:  # the last one was slow: the next a little later (one timer at a time)
            if self._compare_timer is None:
                self._compare_timer = self.set_timer(wait, self._compare_later)
            return
        self._comparing = True
        self._compare(ctx.view, ports)

    def _compare_later(self) -> None:
        self._compare_timer = None
        self._compare_if_needed()

    @work(thread=True, exclusive=True, group="baseline")
    def _compare(self, view: Any, ports: tuple[int, ...]) -> None:
        from mlview.ui import baseline

        try:
            if self._base is None:  # the baseline does not change: analysed once
                self._base = baseline.analyse_baseline(self.baseline, self.overrides)
            started = time.monotonic()
            changes = baseline.compare_with(self._base, view, self.overrides, ports)
        except Exception as exc:  # noqa: BLE001 - shown as a notice, never a traceback
            self.post_message(ChangesDone(None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(ChangesDone(changes, seconds=time.monotonic() - started))

    def _ports(self) -> tuple[int, ...]:
        """Ports to compare beyond those that matter: the one the matrix shows."""
        panes = self.query("#reachability-pane")
        port = getattr(panes.first(), "port", None) if panes else None
        return (port,) if isinstance(port, int) else ()

    def compare_port(self) -> None:
        """The matrix shows another port: compare again if the last comparison missed it."""
        self._compare_if_needed()

    def on_changes_done(self, message: ChangesDone) -> None:
        self._comparing = False
        self._compare_due = time.monotonic() + COMPARE_GAP * message.seconds
        if message.changes is None:
            if message.error not in self._reported:
                self._reported.add(message.error)
                self.notify(
                    clean(message.error, single_line=True)[:300],
                    title="Comparison with the baseline failed",
                    severity="error",
                )
            return
        self._changes = message.changes
        self._renarrow()  # same view, now with its marks
        self._compare_if_needed()  # the store moved on meanwhile: compare the newer view

    @property
    def changes(self) -> Any:
        """The latest comparison with the baseline (None: no baseline, or not done yet)."""
        return self._changes

    def action_changes(self) -> None:
        """D (and the palette): what changed since the baseline, as `mlview diff` says it."""
        if self.baseline is None:
            self.notify("No baseline: start with mlview --baseline OLD to compare.")
            return
        if self._changes is None:
            self.notify("Still comparing with the baseline…")
            return
        from mlview.ui.changes_screen import ChangesScreen

        title = f"changes since {clean(self.baseline.source.label, single_line=True)}"
        self.push_screen(ChangesScreen(self._changes.diff, title))
