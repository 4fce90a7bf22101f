"""TraceScreen: type a URL (or open one from a route), see the predicted status and each step.

Contract for the app: `TraceScreen(ctx: ViewContext, url: str = "")` is a ModalScreen[None].
With a URL it traces at once; the URL box and the method / body size / expected latency boxes
re-run the trace on Enter. Escape closes. `url_for(obj)` builds a URL for the object under the
cursor (an Ingress's or HTTPRoute's first host and path), `url_for_row(row)` for a route row of
the Ingress pane (RouteRow or GatewayRouteRow); both give "" when there is no concrete host.
The trace runs in a thread worker (pure analysis of ctx.view); cluster text is shown literally
(widgets.safe).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from mlview.analysis.trace import OptionError, Trace, parse_latency, parse_size, trace
from mlview.ui.context import ViewContext
from mlview.ui.widgets import safe

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


def render_trace(t: Trace, expand: bool = False) -> Group:
    """The trace as rich renderables: a status line, the reason, one line per step. A step's
    explanation lines show for failing and warning steps (all steps when `expand`)."""
    code_style = "bold red" if t.status >= 400 else "bold green"
    head = Text("→ ", style="bold") + Text(str(t.status), style=code_style)
    head += Text(f"  via {t.via}  ", style="dim") + safe(f"{t.method} {t.url}")
    parts: list[Text] = [head, safe(t.verdict_reason, style="italic"), Text("")]
    for i, s in enumerate(t.steps, start=1):
        line = Text(f"{i:>2}. {s.step:<15}")
        line += Text(
            f"{VERDICT_GLYPH.get(s.verdict, '?')} {s.verdict:<8} ",
            style=VERDICT_STYLE.get(s.verdict, ""),
        )
        line += safe(s.detail)
        if s.status:
            line += Text(f"  [{s.status}]", style="bold")
        parts.append(line)
        if not expand and s.verdict not in ("failing", "warning"):
            continue
        for extra in s.lines:
            parts.append(Text("        ") + safe(extra, style="dim"))
    return Group(*parts)


class TraceScreen(ModalScreen[None]):
    """Trace a request: URL and options on top, the steps below."""

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
    #trace-result { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("f2", "toggle_expand", "Details of every step", priority=True),
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
                "Trace a request (Enter runs it, F2 details of every step, Esc closes)",
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
            with VerticalScroll(id="trace-result"):
                yield Static(Text("Type a URL and press Enter.", style="dim"), id="trace-steps")
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
            if not method.isalpha():
                raise OptionError(f"method {method!r} is not an HTTP method")
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
        self.last = result
        self._show(render_trace(result, self.expand))

    def action_toggle_expand(self) -> None:
        self.expand = not self.expand
        if self.last is not None:
            self._show(render_trace(self.last, self.expand))

    def _show(self, renderable: Any) -> None:
        self.query_one("#trace-steps", Static).update(renderable)
