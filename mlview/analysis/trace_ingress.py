"""Trace a URL through an Ingress (ingress-nginx semantics): route, TLS, settings, body size,
backend, endpoints, NetworkPolicy, timeouts.

Route matching is analysis/ingress_match (Exact, Prefix by path element, longest wins, regex
mode with use-regex or rewrite-target). A plain-http request to a host with TLS is redirected
(308, ssl-redirect true by default); the trace then follows the https request, as curl -L and
most client libraries do. The timeout budget lists every hop we can see and names the one that
cuts first: the cloud load balancer before the controller (trace_hops), proxy-read-timeout times
the attempts nginx makes (proxy-next-upstream retries a timed-out GET on the next endpoint, up to
proxy-next-upstream-tries, within proxy-next-upstream-timeout; POST, PATCH and LOCK are not retried
unless proxy-next-upstream lists non_idempotent), and the backend's declared latency.
"""

from __future__ import annotations

from collections.abc import Mapping

from mlview.analysis import objects as o
from mlview.analysis.ingress_classes import NGINX, resolve_class
from mlview.analysis.ingress_match import match_url
from mlview.analysis.ingress_routes import RouteRow
from mlview.analysis.ingress_settings import SETTINGS, Setting
from mlview.analysis.ingress_workloads import latency_budget
from mlview.analysis.nginx_annotations import CATALOGUE, is_int, size_bytes, validate
from mlview.analysis.trace_backend import (
    Backend,
    Proxy,
    backend_step,
    endpoints_step,
    netpol_step,
)
from mlview.analysis.trace_hops import Hop, fronting_services, lb_hop, workload_pods
from mlview.analysis.trace_model import (
    FAILING,
    OK,
    SKIPPED,
    WARNING,
    Ref,
    TraceStep,
    fmt_bytes,
    fmt_secs,
)
from mlview.analysis.trace_timeouts import timeouts_step
from mlview.store import StoreView

NON_IDEMPOTENT = ("POST", "PATCH", "LOCK")
RETRY_SETTINGS = ("proxy-next-upstream", "proxy-next-upstream-tries", "proxy-next-upstream-timeout")
NGINX_BLOCKED = (
    "a dropped SYN makes nginx wait proxy-connect-timeout, then answer 504 "
    "(502 at once if the CNI rejects instead of dropping)"
)


def ingress_ref(row: RouteRow) -> Ref:
    return Ref("Ingress", row.namespace, row.ingress)


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
        from mlview.analysis.ingress_routes import malformed
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


def extra_settings(view: StoreView, row: RouteRow) -> dict[str, Setting]:
    """The retry settings the ingress analysis does not expose, resolved the same way:
    a valid annotation, else the controller ConfigMap, else the built-in default.
    (Adapter: ingress_settings.SETTINGS does not list them.)"""
    ing = view.get("Ingress", row.namespace, row.ingress) or {}
    info = resolve_class(view, ing)
    if info.kind != NGINX or info.nginx is None:
        return {}
    data: Mapping[str, object] = {}
    where = ""
    if info.nginx.configmap is not None:
        cm = view.get("ConfigMap", *info.nginx.configmap)
        data = (cm or {}).get("data") or {}
        where = "ConfigMap {}/{}".format(*info.nginx.configmap)
    anns = o.annotations(ing)
    out = {}
    for name in RETRY_SETTINGS:
        key = info.nginx.prefix + name
        raw = anns.get(key)
        if raw is not None and not row.canary and not validate(name, raw):
            out[name] = Setting(str(raw).strip(), "annotation", key)
            continue
        cm_raw = data.get(name)
        if cm_raw is not None and (CATALOGUE[name].type != "int" or is_int(str(cm_raw))):
            out[name] = Setting(str(cm_raw).strip(), "configmap", where)
            continue
        out[name] = Setting(CATALOGUE[name].default, "default", "built-in default")
    return out


def settings_step(row: RouteRow, extra: dict[str, Setting]) -> TraceStep:
    if not row.settings:
        return TraceStep(
            "settings",
            SKIPPED,
            f"controller {row.controller or 'unknown'}: mlview reads ingress-nginx settings only",
            None,
            (ingress_ref(row),),
        )
    every = {**{n: row.settings[n] for n in SETTINGS if n in row.settings}, **extra}
    lines = []
    notes = []
    for name, s in every.items():
        where = s.detail if s.source != "default" else "built-in default"
        lines.append(f"{name} = {s.value or '(unset)'}  ({s.source}: {where})")
        if s.note:
            notes.append(s.note)
            lines.append(f"  note: {s.note}")

    def short(name: str, unit: str = "") -> str:
        s = every.get(name)
        return f"{s.value}{unit} ({s.source})" if s else "?"

    detail = (
        f"read {short('proxy-read-timeout', 's')}, send {short('proxy-send-timeout', 's')}, "
        f"connect {short('proxy-connect-timeout', 's')}, body {short('proxy-body-size')}, "
        f"tries {short('proxy-next-upstream-tries')}"
    )
    if notes:
        return TraceStep(
            "settings",
            WARNING,
            f"{len(notes)} annotation(s) ignored: {notes[0]}",
            None,
            (ingress_ref(row),),
            tuple([detail, *lines]),
        )
    return TraceStep("settings", OK, detail, None, (ingress_ref(row),), tuple(lines))


def body_step(row: RouteRow, body: int | None) -> TraceStep:
    s = row.settings.get("proxy-body-size")
    if s is None:
        return TraceStep("body-size", SKIPPED, "no ingress-nginx body limit known for this route")
    limit = size_bytes(s.value)
    where = f"proxy-body-size {s.value} ({s.source}: {s.detail})"
    if limit is None:
        return TraceStep("body-size", SKIPPED, f"{where} is not a size we can read")
    if body is None:
        return TraceStep("body-size", SKIPPED, f"no --body-size given; the limit is {where}")
    if limit == 0:
        return TraceStep("body-size", OK, f"{fmt_bytes(body)}: no limit ({where})")
    if body > limit:
        return TraceStep(
            "body-size",
            FAILING,
            f"a {fmt_bytes(body)} body exceeds {where} = {fmt_bytes(limit)}: nginx answers 413",
            413,
            (ingress_ref(row),),
        )
    return TraceStep("body-size", OK, f"{fmt_bytes(body)} fits {where} = {fmt_bytes(limit)}")


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


def nginx_hops(
    view: StoreView, row: RouteRow, extra: dict[str, Setting], method: str, proxy: Proxy | None
) -> list[Hop]:
    hops: list[Hop] = []
    if proxy is not None:
        svcs = fronting_services(view, list(proxy.pods))
        if not svcs and proxy.where and " " in proxy.where:
            ns = proxy.where.split(" ", 1)[1].split("/")[0]
            svcs = [
                s
                for s in view.list("Service", ns)
                if (s.get("spec") or {}).get("type") == "LoadBalancer"
            ]
        hops.extend(lb_hop(view, s) for s in svcs[:1])
    read = row.settings.get("proxy-read-timeout")
    if read is None or not is_int(read.value):
        return hops
    secs = float(read.value)
    where = f"proxy-read-timeout {read.value} ({read.source}: {read.detail})"
    attempts, why = _attempts(row, extra, method)
    cap = extra.get("proxy-next-upstream-timeout")
    answer = secs * attempts
    if cap is not None and is_int(cap.value) and int(cap.value) > 0:
        answer = max(secs, min(answer, float(cap.value)))
    note = why
    if attempts > 1:
        note = (
            f"{why}: every attempt times out alike, so nginx answers 504 after "
            f"{fmt_secs(answer)} and the backend may run the request {attempts} times"
        )
    hops.append(
        Hop("ingress-nginx proxy-read-timeout", secs, where, 504, ingress_ref(row), note, answer)
    )
    return hops


def _attempts(row: RouteRow, extra: dict[str, Setting], method: str) -> tuple[int, str]:
    nxt = extra.get("proxy-next-upstream")
    tries = extra.get("proxy-next-upstream-tries")
    conds = (nxt.value if nxt else "error timeout").split()
    if "timeout" not in conds or "off" in conds:
        return 1, "proxy-next-upstream does not retry on timeout"
    if method.upper() in NON_IDEMPOTENT and "non_idempotent" not in conds:
        return 1, f"{method.upper()} is not retried (proxy-next-upstream lacks non_idempotent)"
    n = int(tries.value) if tries and is_int(tries.value) else 3
    endpoints = row.ready or 1
    attempts = min(n, endpoints) if n > 0 else endpoints
    return max(attempts, 1), (
        f"a timed-out {method.upper()} is retried on the next endpoint: "
        f"proxy-next-upstream-tries {n}, {endpoints} ready endpoint(s)"
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
