"""TraceScreen: type a URL (or open one from a route), see the predicted status and each step.

Contract for the app: `TraceScreen(ctx: ViewContext, url: str = "")` is a ModalScreen[None].
With a URL it traces at once; the URL box and the method / body size / expected latency boxes
re-run the trace on Enter. The steps are a list: Enter on one opens the app's DetailScreen for the
object it names (a picker first when it names several). Escape closes.
`url_for(obj)` builds a URL for the object under the cursor (an Ingress's or HTTPRoute's first
host and path), `url_for_row(row)` for a route row of the Ingress pane (RouteRow or
GatewayRouteRow); both give "" when there is no concrete host.
The trace runs in a thread worker (pure analysis of ctx.view); cluster text is shown literally
(widgets.safe).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from mlview.analysis.trace import OptionError, Trace, parse_latency, parse_size, trace
from mlview.analysis.trace.model import Ref, TraceStep
from mlview.ui.context import ViewContext
from mlview.ui.screens import DetailScreen
from mlview.ui.widgets import safe

HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE")
# The analysis names the CLI's options; the form's boxes are named in words.
FORM_WORDS = (("--body-size", "body size"), ("--expected-latency", "expected latency"))

VERDICT_STYLE = {"ok": "green", "warning": "yellow", "failing": "bold red", "skipped": "dim"}
VERDICT_GLYPH = {"ok": "✔", "warning": "▲", "failing": "✖", "skipped": "·"}


def url_for(obj: Mapping[str, Any] | None) -> str:
    """A URL for an Ingress or HTTPRoute: its first host and path ("" when it has none)."""
    if not obj:
        return ""
    spec = obj.get("spec") or {}
    if obj.get("kind") == "Ingress":
        tls_hosts = {h for t in spec.get("tls") or [] for h in t.get("hosts") or []}
        for rule in spec.get("rules") or []:
            host = rule.get("host")
            if not host or "*" in host:
                continue
            paths = (rule.get("http") or {}).get("paths") or [{}]
            scheme = "https" if host in tls_hosts else "http"
            return f"{scheme}://{host}{paths[0].get('path') or '/'}"
    if obj.get("kind") == "HTTPRoute":
        hosts = [h for h in spec.get("hostnames") or [] if "*" not in h]
        if hosts:
            rules = spec.get("rules") or [{}]
            matches = (rules[0] or {}).get("matches") or [{}]
            path = ((matches[0] or {}).get("path") or {}).get("value") or "/"
            return f"https://{hosts[0]}{path}"
    return ""


def url_for_row(row: Any) -> str:
    """A URL for a route row of the Ingress pane: an ingress RouteRow (host, path, TLS) or a
    GatewayRouteRow (first concrete hostname, path of an Exact/PathPrefix match); "" if none."""
    if row is None:
        return ""
    if hasattr(row, "tls_secret"):  # ingress RouteRow
        if not row.host or "*" in row.host:
            return ""
        return f"{'https' if row.tls else 'http'}://{row.host}{row.path or '/'}"
    hosts = [h for h in (*row.hostnames, *row.effective_hosts) if h and "*" not in h]
    if not hosts:
        return ""
    path = row.path if row.path_type in ("Exact", "PathPrefix") else "/"
    return f"https://{hosts[0]}{path}"


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
    code_style = "bold red" if t.status >= 400 else "bold green"
    head = Text("→ ", style="bold") + Text(str(t.status), style=code_style)
    head += Text(f"  via {t.via}  ", style="dim") + safe(f"{t.method} {t.url}")
    return Group(head, safe(t.verdict_reason, style="italic"))


def step_text(i: int, s: TraceStep, expand: bool = False) -> Text:
    """One step: number, name, verdict, detail, code; its explanation lines for failing and
    warning steps (every step when `expand`)."""
    line = Text(f"{i:>2}. {s.step:<15}")
    line += Text(
        f"{VERDICT_GLYPH.get(s.verdict, '?')} {s.verdict:<8} ",
        style=VERDICT_STYLE.get(s.verdict, ""),
    )
    line += safe(s.detail)
    if s.status:
        line += Text(f"  [{s.status}]", style="bold")
    if expand or s.verdict in ("failing", "warning"):
        for extra in s.lines:
            line += Text("\n        ") + safe(extra, style="dim")
    return line


def render_trace(t: Trace, expand: bool = False) -> Group:
    """The whole trace as one renderable (summary, then every step)."""
    steps = [step_text(i, s, expand) for i, s in enumerate(t.steps, start=1)]
    return Group(summary_text(t), Text(""), *steps)


class RefScreen(ModalScreen["Ref | None"]):
    """Pick one of the objects a step names. Dismisses with the Ref, None on escape."""

    DEFAULT_CSS = """
    RefScreen { align: center middle; background: $background 60%; }
    #ref-list { width: 80%; height: auto; max-height: 80%; border: tall $accent; }
    """
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

    DEFAULT_CSS = """
    TraceScreen { align: center middle; background: $background 60%; }
    #trace-box { width: 95%; height: 90%; background: $surface; border: tall $accent;
                 padding: 0 1; }
    #trace-title { height: 1; text-style: bold; }
    /* one-line inputs: the steps need the rows on a small terminal */
    #trace-box Input { border: none; height: 1; padding: 0 1; background: $boost; }
    #trace-box Input:focus { background: $accent 30%; }
    #trace-url { width: 1fr; margin-bottom: 1; }
    #trace-options { height: 1; margin-bottom: 1; }
    #trace-options Input { width: 1fr; margin-right: 1; }
    #trace-method { max-width: 12; }
    #trace-summary { height: auto; max-height: 4; margin-bottom: 1; }
    #trace-steps { height: 1fr; border: none; padding: 0; }
    """
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
            yield Static(Text("Type a URL and press Enter.", style="dim"), id="trace-summary")
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
            self._show(Text("Type a URL first.", style="yellow"))
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
            self._show(safe(str(exc), style="bold red"))
            return
        self._show(Text("tracing…", style="dim"))
        self._trace(url, method, body, latency)

    @work(thread=True, exclusive=True, group="trace")
    def _trace(self, url: str, method: str, body: int | None, latency: float | None) -> None:
        try:
            result: Trace | str = trace(self.ctx.view, url, method, body, latency)
        except OptionError as exc:
            result = str(exc)
        self.app.call_from_thread(self._done, result)

    def _done(self, result: Trace | str) -> None:
        if isinstance(result, str):
            self._show(safe(result, style="bold red"))
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
            self.app.push_screen(DetailScreen(obj, self.ctx))
