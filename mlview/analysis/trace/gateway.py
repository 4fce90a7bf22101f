"""Trace a URL through a Gateway API HTTPRoute: route (analysis/gateway match), TLS on the
listener, the rule's timeouts, backend, endpoints, NetworkPolicy from the data-plane pods.

Status codes follow the Gateway API spec and Envoy: no matching rule -> 404; a backendRef that
does not resolve -> 500 (the spec's rule); no ready endpoint -> 503; a request longer than
`timeouts.request` (or the implementation's default, Envoy's 15 s) -> 504; a connect that
NetworkPolicy drops -> 503 from Envoy (upstream connect error). Gateway API sets no request body
limit, so the body-size step is skipped. A RequestRedirect to https on the plain-http listener is
followed, as for Ingress.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlview.analysis.gateway import explain_url
from mlview.analysis.gateway.match import split, unattached
from mlview.analysis.gateway.model import (
    GatewayRouteRow,
    controller_label,
    default_timeout,
)
from mlview.analysis.shared.hops import Hop, fronting_services, gateway_pods, lb_hop
from mlview.analysis.shared.workloads import latency_budget
from mlview.analysis.trace.backend import Backend, Proxy, backend_step, endpoints_step, netpol_step
from mlview.analysis.trace.model import FAILING, OK, SKIPPED, WARNING, Ref, TraceStep
from mlview.analysis.trace.timeouts import timeouts_step
from mlview.store import StoreView

ENVOY_BLOCKED = "Envoy answers 503 (upstream connect error) once its connect timeout expires"


def route_ref(row: GatewayRouteRow) -> Ref:
    return Ref(row.kind, row.namespace, row.route)


def _rule(view: StoreView, row: GatewayRouteRow) -> Mapping[str, Any]:
    route = view.get(row.kind, row.namespace, row.route) or {}
    rules = (route.get("spec") or {}).get("rules") or []
    return (
        rules[row.rule] if 0 <= row.rule < len(rules) and isinstance(rules[row.rule], dict) else {}
    )


def redirect_of(view: StoreView, row: GatewayRouteRow) -> tuple[str, int] | None:
    """(scheme, status) of the rule's RequestRedirect filter, when it has one."""
    for f in _rule(view, row).get("filters") or []:
        if isinstance(f, Mapping) and f.get("type") == "RequestRedirect":
            red = f.get("requestRedirect") or {}
            return str(red.get("scheme") or ""), int(red.get("statusCode") or 302)
    return None


def route_step(view: StoreView, url: str, scheme: str) -> tuple[TraceStep, GatewayRouteRow | None]:
    m, _detail = explain_url(view, url, scheme)
    if m.row is None:
        _scheme, host, path = split(url)
        idle = unattached(view, host, path)
        if not idle:
            return TraceStep("route", FAILING, m.reason, 404), None
        row, why = idle[0]
        detail = (
            f"{m.reason}; {row.kind} {row.route_ref} rule {row.rule} ({row.path_type} "
            f"{row.path}) would serve it but is not attached: {why}"
        )
        return TraceStep("route", FAILING, detail, 404, (route_ref(row),)), None
    row = m.row
    refs = (route_ref(row), *(Ref("Gateway", p.namespace, p.name) for p in row.parents))
    detail = m.reason
    if m.conditional:
        detail += f"; {len(m.conditional)} rule(s) needing headers/method/query not considered"
    return TraceStep("route", OK, detail, None, refs), row


def _listener_secrets(view: StoreView, row: GatewayRouteRow) -> list[tuple[str, str, bool | None]]:
    """(namespace, name, exists) of the certificateRefs of HTTPS listeners the row uses."""
    out = []
    for p in row.parents:
        gw = view.get("Gateway", p.namespace, p.name) or {}
        names = {li.name for li in p.listeners if li.protocol == "HTTPS"}
        for li in (gw.get("spec") or {}).get("listeners") or []:
            if li.get("name") not in names:
                continue
            for ref in (li.get("tls") or {}).get("certificateRefs") or []:
                ns = str(ref.get("namespace") or p.namespace)
                nm = str(ref.get("name") or "")
                exists = view.get("Secret", ns, nm) is not None
                out.append(
                    (ns, nm, True if exists else (False if view.has_listed("Secret") else None))
                )
    return out


def tls_step(view: StoreView, row: GatewayRouteRow, scheme: str) -> TraceStep:
    if scheme != "https":
        return TraceStep("tls", OK, "plain http listener", None, (route_ref(row),))
    secrets = _listener_secrets(view, row)
    refs = tuple(Ref("Secret", ns, nm) for ns, nm, _ in secrets)
    if not secrets:
        return TraceStep("tls", SKIPPED, "no HTTPS listener certificate found for this route")
    missing = [f"{ns}/{nm}" for ns, nm, ok in secrets if ok is False]
    if missing:
        return TraceStep(
            "tls",
            WARNING,
            f"certificate Secret {', '.join(missing)} does not exist: the listener cannot "
            "terminate TLS (ResolvedRefs False); clients fail the handshake",
            None,
            refs,
        )
    return TraceStep(
        "tls",
        OK,
        "listener certificate " + ", ".join(f"{ns}/{nm}" for ns, nm, _ in secrets),
        None,
        refs,
    )


def settings_step(row: GatewayRouteRow) -> TraceStep:
    ctrl = ", ".join(controller_label(c) for c in row.controllers) or "unknown controller"
    detail = f"Gateway {row.gateway} ({ctrl}); timeouts {row.timeout_text}"
    if row.filters:
        detail += f"; filters {', '.join(row.filters)}"
    return TraceStep("settings", OK, detail, None, (route_ref(row),))


def _backend(row: GatewayRouteRow) -> tuple[Backend | None, list[str]]:
    live = [b for b in row.backends if b.weight > 0]
    if not live:
        return None, []
    main = max(live, key=lambda b: b.weight)
    total = sum(b.weight for b in live)
    others = [
        f"{b.weight * 100 // total}% of requests go to {b.namespace}/{b.name}: {b.problem}"
        for b in live
        if b is not main and b.problem
    ]
    port = str(main.port) if main.port is not None else ""
    b = Backend(
        main.namespace,
        main.name,
        port,
        main.found,
        main.service_port,
        main.port_name,
        main.target_port,
        main.ready,
        main.not_ready,
        main.problem,
    )
    return b, others


def _hops(view: StoreView, row: GatewayRouteRow, pods: list[dict]) -> list[Hop]:
    hops = [lb_hop(view, s) for s in fronting_services(view, pods)[:1]]
    cut = row.cut_seconds
    if cut is not None:
        hops.append(
            Hop(
                f"Gateway route {cut[1]}",
                cut[0],
                f"{row.kind} {row.route_ref}",
                504,
                route_ref(row),
            )
        )
        return hops
    for c in row.controllers:
        secs = default_timeout(c)
        if secs is not None:
            hops.append(
                Hop(
                    f"{controller_label(c)} default request timeout",
                    secs,
                    f"{row.kind} {row.route_ref} sets no timeouts.request",
                    504,
                    route_ref(row),
                )
            )
    return hops


def gateway_steps(
    view: StoreView, url: str, scheme: str, method: str, body: int | None, latency: float | None
) -> list[TraceStep]:
    route, row = route_step(view, url, scheme)
    if row is not None and scheme == "http":
        red = redirect_of(view, row)
        if red is not None and red[0] == "https":
            https_route, https_row = route_step(view, url, "https")
            steps = [
                TraceStep(
                    "route",
                    OK,
                    f"{route.detail}: redirect ({red[1]}) to https; traced as https from here",
                    red[1],
                    route.refs,
                )
            ]
            if https_row is None:
                return [*steps, https_route]
            return steps + _rest(view, https_route, https_row, "https", latency)
    if row is None:
        return [route]
    return [route, *_rest(view, None, row, scheme, latency)]


def _rest(
    view: StoreView,
    route: TraceStep | None,
    row: GatewayRouteRow,
    scheme: str,
    latency: float | None,
) -> list[TraceStep]:
    steps = [route] if route is not None else []
    steps.append(tls_step(view, row, scheme))
    steps.append(settings_step(row))
    steps.append(
        TraceStep("body-size", SKIPPED, "Gateway API sets no request body limit on this path")
    )
    b, others = _backend(row)
    if b is None:
        steps.append(
            TraceStep(
                "backend",
                FAILING,
                "the rule has no backend with weight > 0",
                500,
                (route_ref(row),),
            )
        )
        return steps
    bstep = backend_step(b, missing_status=500)
    if others and bstep.verdict == OK:
        bstep = TraceStep("backend", WARNING, f"{bstep.detail}; {others[0]}", None, bstep.refs)
    steps.append(bstep)
    steps.append(endpoints_step(view, b))
    gw = row.parents[0] if row.parents else None
    pods = gateway_pods(view, gw.namespace, gw.name) if gw is not None else []
    proxy = Proxy(
        f"data plane of Gateway {gw.namespace}/{gw.name}" if gw else "Gateway data plane",
        tuple(pods),
        503,
        ENVOY_BLOCKED,
        f"Gateway {gw.namespace}/{gw.name}" if gw else "",
    )
    steps.append(netpol_step(view, b, proxy))
    svc = view.get("Service", b.namespace, b.service)
    budget = latency_budget(view, svc) if svc is not None else None
    declared = (latency, "--expected-latency") if latency is not None else budget
    steps.append(timeouts_step(_hops(view, row, pods), declared, route_ref(row)))
    return steps
