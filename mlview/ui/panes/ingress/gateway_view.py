"""Gateway API routes for the Ingress tab: table cells and the route's chain.

The Ingress tab toggles (`v`) between Ingress routes and HTTPRoute/GRPCRoute rows; the analysis
is `mlview.analysis.gateway`, cached per store view.
"""

from __future__ import annotations

from rich.text import Text

from mlview import theme
from mlview.analysis import gateway
from mlview.analysis.findings import worst
from mlview.analysis.gateway import GatewayRouteDetail, GatewayRouteRow
from mlview.ui.context import ViewContext
from mlview.ui.marks import MARK_COLUMN
from mlview.ui.widgets import Row, mark, ready_text, safe, severity_text

COLUMNS = (
    "WORST",
    "HOST",
    "MATCH",
    "PATH",
    "BACKENDS",
    "READY",
    "TIMEOUT",
    "ROUTE",
    "GATEWAY",
    "NAMESPACE",
)

PRIORITY = (  # narrow terminals: the 504 (timeout) and 503 (ready) columns first
    MARK_COLUMN,  # with --baseline
    "WORST",
    "PATH",
    "TIMEOUT",
    "READY",
    "BACKENDS",
    "HOST",
    "ROUTE",
    "MATCH",
    "GATEWAY",
    "NAMESPACE",
)


def _rank(found: list) -> int:
    sev = worst(found)
    return sev.rank if sev else 0


def rows(ctx: ViewContext, sort_by: str = "worst") -> tuple[list[Row], dict[str, GatewayRouteRow]]:
    """The rows sorted by `sort_by` (worst: errors, then warnings, first; host; namespace)."""
    per_route = ctx.shown_by_key(gateway.route_findings(ctx.view))
    shown: list[Row] = []
    by_key: dict[str, GatewayRouteRow] = {}
    last_host = None
    ordered = sorted(gateway.route_rows(ctx.view), key=lambda r: (r.host, r.path, r.key))
    if sort_by == "worst":
        ordered.sort(key=lambda r: -_rank(per_route.get(r.key, [])))
    elif sort_by == "namespace":
        ordered.sort(key=lambda r: r.namespace)
    for r in ordered:
        if not ctx.in_namespace(r.namespace):
            continue
        found = per_route.get(r.key, [])
        if not ctx.passes_filter(
            r.host, r.path, r.backend, r.route_ref, r.gateway, *(f.code for f in found)
        ):
            continue
        by_key[r.key] = r
        host_cell = safe(r.host or "*", theme.STRONG) if r.host != last_host else ""
        last_host = r.host
        path = safe(r.path or "/") + (safe(f" [{r.conditions}]", theme.DIM) if r.conditions else "")
        accepted = "" if r.accepted is not False else "not accepted"
        shown.append(
            (
                r.key,
                [
                    severity_text(worst(found)),
                    host_cell,
                    safe(r.path_type, theme.DIM),
                    path,
                    safe(r.backend or "-"),
                    _ready(r),
                    safe(r.timeout_text, theme.DIM if r.timeout_text.startswith("default") else ""),
                    safe(f"{r.kind} {r.route}")
                    + (Text(f" {accepted}", style=theme.ERROR) if accepted else Text()),
                    safe(r.gateway or "-", theme.DIM),
                    safe(r.namespace, theme.DIM),
                ],
            )
        )
    return shown, by_key


def _ready(r: GatewayRouteRow) -> Text:
    if r.ready is None:
        return Text("-", style=theme.DIM)
    return ready_text(r.ready, sum((b.ready or 0) + (b.not_ready or 0) for b in r.backends))


def chain_text(detail: GatewayRouteDetail) -> Text:
    """Gateway -> Accepted -> ResolvedRefs -> route -> timeouts -> backends -> endpoints."""
    out = Text()
    for step in detail.chain:
        out += mark(step.ok) + Text(f"{step.label:13}", style=theme.STRONG) + safe(step.text) + "\n"
    out.rstrip()
    return out
