"""The pod view: why a pod is not serving. Its containers (ready, restarts, waiting reason,
running since), how the previous run ended (OOMKilled, exit code, signal, message), probe and
scheduling failures from its Events, findings, Events, and, with `mlview --logs` on a live
cluster, the last lines of the previous container's log. Its YAML last (`y` hides it).

Opened wherever a pod is opened (Enter on a pod row, a trace step, the Reachability cell of a
pod, `o`): the app routes every Pod to this screen instead of the generic detail view.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Static

from mlview import theme
from mlview.analysis.pods import PodReport, report_of
from mlview.sanitize import clean
from mlview.sources.logs import LogTail, PreviousLogs
from mlview.ui.context import ViewContext
from mlview.ui.pod_text import events_text, log_text, pod_text
from mlview.ui.screens import DetailScreen, object_yaml
from mlview.ui.widgets import safe

LOGS_OFF = "off: `mlview --logs` reads it from a live cluster (needs get on pods/log)"


def log_container(r: PodReport) -> str:
    """The container whose previous run is worth reading: the last one to end, else one
    crash-looping, else one that restarted; "" when none has a previous run."""
    last = r.last_termination
    if last is not None:
        return last[0].name
    for c in r.containers:
        if c.crash_looping or c.restarts:
            return c.name
    return ""


class PodScreen(DetailScreen):
    """A pod's status explained; the generic detail's findings and YAML below it."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close"),
        Binding("y", "toggle_yaml", "YAML on/off"),
    ]

    class LogRead(Message):
        def __init__(self, tail: LogTail) -> None:
            super().__init__()
            self.tail = tail

    def __init__(
        self, obj: dict[str, Any], ctx: ViewContext, logs: PreviousLogs | None = None
    ) -> None:
        super().__init__(obj, ctx)
        self.logs = logs
        self.report = report_of(ctx.view, obj)

    def compose(self) -> ComposeResult:
        from rich.syntax import Syntax  # pulls in pygments: only when a view opens

        r = self.report
        title = (
            Text()
            + Text("Pod ", style=theme.STRONG)
            + safe(f"{r.namespace}/{r.name}", theme.STRONG)
        )
        if r.virtual:  # derived from a workload's template: it does not exist yet
            title += Text("  (virtual) ", style=theme.NOTICE)
            title += safe(f"would be created by {r.virtual}", theme.NOTICE)
        title += Text("   y: YAML  esc: close", style=theme.DIM)
        with VerticalScroll(id="detail-body"):
            yield Static(title, id="detail-title")
            yield Static(pod_text(r, self.ctx.now), id="pod-status")
            if not r.virtual:
                yield Static(self._first_log_text(), id="pod-log")
            yield Static(self._findings("Pod", r.namespace, r.name), id="detail-findings")
            yield Static(events_text(r, self.ctx.now), id="pod-events")
            yield Static(  # last: the explanation first, the raw object below it
                Syntax(object_yaml(self.obj), "yaml", theme=theme.YAML_SYNTAX, word_wrap=True),
                id="detail-yaml",
            )
        yield Footer()

    def _first_log_text(self) -> Any:
        if self.logs is None:
            return log_text(None, LOGS_OFF)
        container = log_container(self.report)
        if not container:
            return log_text(None, "none: no container has a previous run")
        return log_text(None, f"reading the last lines of {clean(container, single_line=True)}…")

    def on_mount(self) -> None:
        container = log_container(self.report)
        if self.logs is not None and container and not self.report.virtual:
            self._read_log(container)

    @work(thread=True, exclusive=True, group="pod-log")
    def _read_log(self, container: str) -> None:
        assert self.logs is not None
        r = self.report
        try:
            tail = self.logs(r.namespace, r.name, container)
        except Exception as exc:  # noqa: BLE001 - a line in the view, never a traceback
            tail = LogTail(container, error=f"could not read the log: {type(exc).__name__}: {exc}")
        self.post_message(self.LogRead(tail))

    def on_pod_screen_log_read(self, message: LogRead) -> None:
        self.query_one("#pod-log", Static).update(log_text(message.tail))
