"""Messages between the app's parts: a worker hands its result to the UI thread, a pane asks
the app to open an object. Posting a message (instead of calling the receiver) keeps the
sender ignorant of who handles it, and lets tests observe or post the same messages."""

from __future__ import annotations

from typing import Any

from textual.message import Message

from mlview.analysis.findings import Finding
from mlview.store import StoreView
from mlview.ui.context import ViewContext


class AnalysisDone(Message):
    """The whole analysis of one store view (posted by the app's analysis worker)."""

    def __init__(self, view: StoreView, findings: list[Finding], errors: list[str]) -> None:
        super().__init__()
        self.view, self.findings, self.errors = view, findings, errors


class AnalysisFailed(Message):
    """The analysis itself raised (an analyzer that raises is an error line, not this)."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class ChangesDone(Message):
    """The comparison of one store view with the baseline (mlview.ui.baseline.Changes), or
    the one line saying why it failed (posted by the app's comparison worker)."""

    def __init__(self, changes: Any, error: str = "", seconds: float = 0.0) -> None:
        super().__init__()
        self.changes, self.error, self.seconds = changes, error, seconds


class OpenDetail(Message):
    """Open the detail view (YAML, Events, findings) of an object: Enter on a row, a trace step
    or a pod. `ctx` is the view the object was found in; None means the app's current one."""

    def __init__(self, obj: dict[str, Any], ctx: ViewContext | None = None) -> None:
        super().__init__()
        self.obj, self.ctx = obj, ctx
