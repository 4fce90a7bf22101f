"""Trace a URL through an Ingress (ingress-nginx semantics): route, TLS, settings, body size,
backend, endpoints, NetworkPolicy, timeouts.

Route matching is analysis/ingress_match (Exact, Prefix by path element, longest wins, regex
mode with use-regex or rewrite-target). A plain-http request to a host with TLS is redirected
(308, ssl-redirect true by default); the trace then follows the https request, as curl -L and
most client libraries do. The timeout budget lists every hop we can see and names the one that
cuts first: the cloud load balancer before the controller (trace_hops), proxy-read-timeout with
nginx's retries (trace_settings), and the backend's declared latency.
"""

from __future__ import annotations

from mlview.analysis.ingress.classes import NGINX, resolve_class
from mlview.analysis.ingress.match import match_url
from mlview.analysis.ingress.routes import RouteRow
from mlview.analysis.shared.hops import workload_pods
from mlview.analysis.shared.workloads import latency_budget
from mlview.analysis.trace.backend import (
    Backend,
    Proxy,
    backend_step,
    endpoints_step,
    netpol_step,
)
from mlview.analysis.trace.model import (
    FAILING,
    OK,
    SKIPPED,
    WARNING,
    Ref,
    TraceStep,
)
from mlview.analysis.trace.settings import (
    body_step,
    extra_settings,
    ingress_ref,
    nginx_hops,
    settings_step,
)
from mlview.analysis.trace.timeouts import timeouts_step
from mlview.store import StoreView

NGINX_BLOCKED = (
    "a dropped SYN makes nginx wait proxy-connect-timeout, then answer 504 "
    "(502 at once if the CNI rejects instead of dropping)"
)


def route_step(view: StoreView, url: str) -> tuple[TraceStep, RouteRow | None]:
    m = match_url(view, url)
    if m.row is None:
        broken = _malformed(view)
        if broken:
            ref, why = next(iter(sorted(broken.items())))
            more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
            reason = f"{m.reason}; but Ingress {ref}{more} could not be read ({why}): not traced"
            refs = tuple(Ref("Ingress", *r.split("/", 1)) for r in sorted(broken))
            return TraceStep("route", FAILING, reason, 404, refs), None
        return TraceStep("route", FAILING, m.reason, 404), None
    row = m.row
    where = (
        "default backend"
        if row.default_backend
        else (f"{row.host or '*'} {row.path} ({row.path_type or 'ImplementationSpecific'})")
    )
    ctrl = f", class {row.class_name or '(none)'} -> {row.controller or 'unknown controller'}"
    detail = f"Ingress {row.ingress_ref} {where}: {m.reason}{ctrl}"
    if m.canaries:
        detail += (
            f"; canary Ingress(es) {', '.join(c.ingress_ref for c in m.canaries)} take a share"
        )
    refs = (ingress_ref(row), *(ingress_ref(c) for c in m.canaries))
    if row.controller == "":
        info = resolve_class(view, view.get("Ingress", row.namespace, row.ingress) or {})
        if info.problem:
            return TraceStep("route", FAILING, f"{detail}; {info.problem}", 404, refs), row
    return TraceStep("route", OK, detail, None, refs), row


def _malformed(view: StoreView) -> dict[str, str]:
    """Ingresses the analysis could not read (adapter: older ingress_routes lack it)."""
    try:
        from mlview.analysis.ingress.routes import malformed
    except ImportError:
        return {}
    return dict(malformed(view))


def tls_step(view: StoreView, row: RouteRow, scheme: str) -> TraceStep:
    refs: tuple[Ref, ...] = (ingress_ref(row),)
    redirect = row.settings.get("ssl-redirect")
    if scheme != "https":
        if row.tls and redirect is not None and redirect.value == "true":
            return TraceStep(
                "tls",
                OK,
                "http request: ingress-nginx redirects to https (308, ssl-redirect true); "
                "traced as https from here",
                308,
                refs,
            )
        return TraceStep("tls", OK, "plain http (no TLS redirect for this host)", None, refs)
    if not row.tls:
        return TraceStep(
            "tls",
            WARNING,
            f"no tls entry covers {row.host or 'this host'}: the controller serves its default "
            "self-signed certificate; clients that verify certificates fail the handshake",
            None,
            refs,
        )
    if not row.tls_secret:
        return TraceStep("tls", WARNING, "tls entry without secretName: default certificate")
    refs = refs + (Ref("Secret", row.namespace, row.tls_secret),)
    if view.get("Secret", row.namespace, row.tls_secret) is None:
        if view.has_listed("Secret"):
            return TraceStep(
                "tls",
                WARNING,
                f"Secret {row.namespace}/{row.tls_secret} does not exist: the controller serves "
                "its default self-signed certificate; verifying clients fail the handshake",
                None,
                refs,
            )
        return TraceStep(
            "tls", OK, f"host covered by Secret {row.tls_secret} (Secrets not listed)", None, refs
        )
    return TraceStep(
        "tls", OK, f"host covered by Secret {row.namespace}/{row.tls_secret}", None, refs
    )


def backend_of(row: RouteRow) -> Backend:
    return Backend(
        row.namespace,
        row.service,
        row.port,
        row.service_found,
        row.service_port,
        row.port_name,
        row.target_port,
        row.ready,
        row.not_ready,
    )


def controller_proxy(view: StoreView, row: RouteRow) -> Proxy | None:
    ing = view.get("Ingress", row.namespace, row.ingress) or {}
    info = resolve_class(view, ing)
    if info.kind != NGINX or info.nginx is None:
        return None
    workload = info.nginx.workload
    pods = workload_pods(view, workload) if workload else []
    return Proxy(
        "ingress-nginx controller",
        tuple(pods),
        504,
        NGINX_BLOCKED,
        workload or "controller workload not in the snapshot",
    )


def ingress_steps(
    view: StoreView,
    url: str,
    scheme: str,
    method: str,
    body: int | None,
    latency: float | None,
) -> list[TraceStep]:
    route, row = route_step(view, url)
    steps = [route]
    if row is None or route.verdict == FAILING:
        return steps
    steps.append(tls_step(view, row, scheme))
    extra = extra_settings(view, row)
    steps.append(settings_step(row, extra))
    steps.append(body_step(row, body))
    if row.resource:
        steps.append(TraceStep("backend", SKIPPED, f"resource backend {row.resource}"))
        return steps
    b = backend_of(row)
    proxy = controller_proxy(view, row)
    steps.append(backend_step(b))
    steps.append(endpoints_step(view, b))
    steps.append(netpol_step(view, b, proxy))
    svc = view.get("Service", row.namespace, row.service) if row.service else None
    budget = latency_budget(view, svc) if svc is not None else None
    declared = (latency, "--expected-latency") if latency is not None else budget
    hops = nginx_hops(view, row, extra, method, proxy)
    steps.append(timeouts_step(hops, declared, ingress_ref(row)))
    return steps
