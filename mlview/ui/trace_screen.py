"""TraceScreen: type a URL (or open one from a route), see the predicted status and each step.

Contract for the app: `TraceScreen(ctx: ViewContext, url: str = "")` is a ModalScreen[None].
With a URL it traces at once; the URL box and the method / body size / expected latency boxes
re-run the trace on Enter. The steps are a list: Enter on one opens the app's DetailScreen for the
object it names (a picker first when it names several). Escape closes.
Its styles are styles/trace.tcss (CSS_PATH: Textual parses it when the screen is first pushed,
as a tab's styles are parsed when the tab first mounts). The URL a trace starts from (the route
under the cursor) is mlview.analysis.trace.url's job.
The trace runs in a thread worker (pure analysis of ctx.view); cluster text is shown literally
(widgets.safe).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from mlview import theme
from mlview.analysis.trace import OptionError, Trace, parse_latency, parse_size, trace
from mlview.analysis.trace.model import Ref, TraceStep
from mlview.resources import styles_dir
from mlview.ui.context import ViewContext
from mlview.ui.messages import OpenDetail
from mlview.ui.widgets import safe

HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE")
# The analysis names the CLI's options; the form's boxes are named in words.
FORM_WORDS = (("--body-size", "body size"), ("--expected-latency", "expected latency"))
VERDICT_GLYPH = {"ok": "✔", "warning": "▲", "failing": "✖", "skipped": "·"}
STYLES = [str(styles_dir() / "trace.tcss")]  # both screens' styles, read once


def _words(text: str) -> str:
    for option, words in FORM_WORDS:
        text = text.replace(option, words)
    return text


def in_form_words(t: Trace) -> Trace:
    """The trace as the form shows it: "no body size given", not "no --body-size given"."""
    steps = tuple(
        dataclasses.replace(s, detail=_words(s.detail), lines=tuple(_words(x) for x in s.lines))
        for s in t.steps
    )
    return dataclasses.replace(t, steps=steps)


def summary_text(t: Trace) -> Group:
    """The predicted status, the router, the request, and the one-line reason."""
    head = Text("→ ", style=theme.STRONG) + Text(str(t.status), style=theme.status_style(t.status))
    head += Text(f"  via {t.via}  ", style=theme.DIM) + safe(f"{t.method} {t.url}")
    return Group(head, safe(t.verdict_reason, style=theme.QUOTE))


def step_text(i: int, s: TraceStep, expand: bool = False) -> Text:
    """One step: number, name, verdict, detail, code; its explanation lines for failing and
    warning steps (every step when `expand`)."""
    line = Text(f"{i:>2}. {s.step:<15}")
    line += Text(
        f"{VERDICT_GLYPH.get(s.verdict, '?')} {s.verdict:<8} ",
        style=theme.VERDICT_STYLE.get(s.verdict, ""),
    )
    line += safe(s.detail)
    if s.status:
        line += Text(f"  [{s.status}]", style=theme.STRONG)
    if expand or s.verdict in ("failing", "warning"):
        for extra in s.lines:
            line += Text("\n        ") + safe(extra, style=theme.DIM)
    return line


class RefScreen(ModalScreen["Ref | None"]):
    """Pick one of the objects a step names. Dismisses with the Ref, None on escape."""

    CSS_PATH = STYLES
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, refs: list[Ref]) -> None:
        super().__init__()
        self.refs = refs

    def compose(self) -> ComposeResult:
        yield OptionList(
            *(Option(safe(r.text), id=str(i)) for i, r in enumerate(self.refs)), id="ref-list"
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.refs[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)


class TraceScreen(ModalScreen[None]):
    """Trace a request: URL and options on top, the verdict, then the steps (Enter on a step
    opens the object it names)."""

    class Traced(Message):
        """The worker's result: a Trace, or the error message of a bad option."""

        def __init__(self, result: Trace | str) -> None:
            super().__init__()
            self.result = result

    CSS_PATH = STYLES
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("f2", "toggle_expand", "Details of every step", priority=True),
        Binding("down", "focus_steps", "Steps", show=False),  # from the inputs
    ]

    def __init__(self, ctx: ViewContext, url: str = "") -> None:
        super().__init__()
        self.ctx = ctx
        self.initial_url = url
        self.last: Trace | None = None
        self.expand = False

    def compose(self) -> ComposeResult:
        with Vertical(id="trace-box"):
            yield Static(
                "Trace: Enter runs · ↓ to the steps, Enter opens an object · F2 details",
                id="trace-title",
            )
            yield Input(
                self.initial_url,
                placeholder="https://host/path (http when no scheme)",
                id="trace-url",
            )
            with Horizontal(id="trace-options"):
                yield Input("GET", placeholder="method", id="trace-method")
                yield Input(placeholder="body size: 5MB, 512k", id="trace-body")
                yield Input(placeholder="expected latency: 90s, 2m", id="trace-latency")
            yield Static(Text("Type a URL and press Enter.", style=theme.DIM), id="trace-summary")
            yield OptionList(id="trace-steps")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#trace-url", Input).focus()
        if self.initial_url:
            self.run_trace()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.run_trace()

    def _value(self, wid: str) -> str:
        return self.query_one(f"#{wid}", Input).value.strip()

    def run_trace(self) -> None:
        url = self._value("trace-url")
        if not url:
            self._show(Text("Type a URL first.", style=theme.WARNING))
            return
        try:
            body_text, latency_text = self._value("trace-body"), self._value("trace-latency")
            body = parse_size(body_text) if body_text else None
            latency = parse_latency(latency_text) if latency_text else None
            method = self._value("trace-method").upper() or "GET"
            if method not in HTTP_METHODS:
                raise OptionError(
                    f"method {method!r} is not an HTTP method ({', '.join(HTTP_METHODS)})"
                )
        except OptionError as exc:
            self._show(safe(str(exc), style=theme.ERROR))
            return
        self._show(Text("tracing…", style=theme.DIM))
        self._trace(url, method, body, latency)

    @work(thread=True, exclusive=True, group="trace")
    def _trace(self, url: str, method: str, body: int | None, latency: float | None) -> None:
        try:
            result: Trace | str = trace(self.ctx.view, url, method, body, latency)
        except OptionError as exc:
            result = str(exc)
        self.post_message(self.Traced(result))

    def on_trace_screen_traced(self, message: Traced) -> None:
        result = message.result
        if isinstance(result, str):
            self._show(safe(result, style=theme.ERROR))
            return
        self.last = result = in_form_words(result)
        self._show(summary_text(result), result)

    def action_focus_steps(self) -> None:
        steps = self.query_one("#trace-steps", OptionList)
        if steps.option_count:
            steps.focus()
            if steps.highlighted is None:
                steps.highlighted = 0

    def action_toggle_expand(self) -> None:
        self.expand = not self.expand
        if self.last is not None:
            self._show(summary_text(self.last), self.last)

    def _show(self, summary: Any, result: Trace | None = None) -> None:
        """The summary line(s); the step list is cleared unless a trace is given."""
        self.query_one("#trace-summary", Static).update(summary)
        steps = self.query_one("#trace-steps", OptionList)
        highlighted = steps.highlighted
        steps.clear_options()
        if result is None:
            return
        steps.add_options(
            Option(step_text(i, s, self.expand), id=str(i - 1))
            for i, s in enumerate(result.steps, start=1)
        )
        if highlighted is not None and highlighted < steps.option_count:
            steps.highlighted = highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "trace-steps" or self.last is None:
            return
        event.stop()
        step = self.last.steps[int(event.option.id or 0)]
        refs = [r for r in step.refs if self._object(r) is not None]
        if not refs:
            self.notify("no object of this step is in the snapshot", severity="warning")
        elif len(refs) == 1:
            self._open(refs[0])
        else:
            self.app.push_screen(RefScreen(refs), self._open)

    def _object(self, ref: Ref) -> dict[str, Any] | None:
        return self.ctx.view.get(ref.kind, ref.namespace, ref.name)

    def _open(self, ref: Ref | None) -> None:
        obj = self._object(ref) if ref is not None else None
        if obj is not None:
            self.post_message(OpenDetail(obj, self.ctx))
