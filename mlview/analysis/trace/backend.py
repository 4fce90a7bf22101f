"""Trace steps behind the proxy, shared by Ingress and Gateway API: Service and port, ready
endpoints, and whether NetworkPolicy lets the proxy's pods reach the backend pods.

Status codes: a missing Service or port, or no ready endpoint, is a 503 from both ingress-nginx
and Envoy. A NetworkPolicy that drops the proxy's connection: most CNIs drop the SYN silently,
so the proxy waits for its connect timeout. ingress-nginx then answers 504 Gateway Timeout after
proxy-connect-timeout (5 s by default; tries the next endpoint first when there is one); a CNI
that rejects instead (RST or ICMP unreachable) makes it 502 Bad Gateway at once. We predict
504 for ingress-nginx because a drop is what the common CNIs (Calico, Cilium by default, the
AWS VPC CNI's policy agent) do. Envoy answers a failed upstream connect, timeout or reset,
with 503 ("upstream connect error or disconnect/reset before headers").
"""

from __future__ import annotations

from dataclasses import dataclass

from mlview.analysis import storage
from mlview.analysis.reachability.explain import Explanation, explain
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.services import service_pods
from mlview.analysis.trace.model import FAILING, OK, SKIPPED, WARNING, Ref, TraceStep
from mlview.store import StoreView

MAX_PROXY_PODS, MAX_BACKEND_PODS = 5, 10  # enough pairs to tell "all" from "some"


@dataclass(frozen=True)
class Backend:
    """A Service backend as both route kinds describe it."""

    namespace: str
    service: str
    port: str  # as written: "80" or "http"
    found: bool | None  # None: Services not listed
    service_port: int | None
    port_name: str
    target_port: str  # "8080", "http->8080", ...
    ready: int | None
    not_ready: int | None
    problem: str = ""  # e.g. a cross-namespace ref without a ReferenceGrant

    @property
    def ref(self) -> Ref:
        return Ref("Service", self.namespace, self.service)


@dataclass(frozen=True)
class Proxy:
    """Who connects to the backend pods: the controller or data plane, and how it fails."""

    label: str  # "ingress-nginx controller", "Envoy data plane of Gateway ns/name"
    pods: tuple[dict, ...]
    blocked_status: int  # 504 (nginx: connect timeout) or 503 (Envoy)
    blocked_text: str
    where: str = ""  # the workload or Gateway, for messages when no pod is known


def backend_step(b: Backend, missing_status: int = 503) -> TraceStep:
    """ingress-nginx answers 503 for a missing Service or port; the Gateway API spec says 500
    for a backendRef that does not resolve (callers pass `missing_status`)."""
    refs = (b.ref,)
    if b.problem:
        return TraceStep("backend", FAILING, b.problem, missing_status, refs)
    if b.found is None:
        return TraceStep(
            "backend",
            SKIPPED,
            f"Service {b.namespace}/{b.service}: Services not listed",
            None,
            refs,
        )
    if not b.found:
        return TraceStep(
            "backend",
            FAILING,
            f"Service {b.namespace}/{b.service} does not exist",
            missing_status,
            refs,
        )
    if b.service_port is None:
        return TraceStep(
            "backend",
            FAILING,
            f"Service {b.namespace}/{b.service} has no port {b.port or '(none given)'}",
            missing_status,
            refs,
        )
    name = f" ({b.port_name})" if b.port_name else ""
    return TraceStep(
        "backend",
        OK,
        f"Service {b.namespace}/{b.service} port {b.service_port}{name} -> targetPort "
        f"{b.target_port or '?'}",
        None,
        refs,
    )


def _pod_lines(view: StoreView, pods: list[dict]) -> tuple[list[str], list[Ref]]:
    waiting = {
        (f.namespace, f.name): f
        for f in storage.findings(view)
        if f.code == "pod-waiting-on-pvc" and f.kind == "Pod"
    }
    lines, refs = [], []
    for pod in pods:
        if o.pod_ready(pod):
            continue
        ns, nm = o.namespace(pod), o.name(pod)
        restarts = o.pod_restarts(pod)
        extra = f", {restarts} restarts" if restarts else ""
        lines.append(f"Pod {ns}/{nm}: {o.pod_phase(pod)}, {o.pod_problem(pod)}{extra}")
        refs.append(Ref("Pod", ns, nm))
        warnings = [e for e in view.events_for("Pod", ns, nm) if e.get("type") == "Warning"]
        if warnings:  # the kubelet's own words: probe output, back-off, mount failures
            ev = warnings[-1]
            msg = str(ev.get("message") or ev.get("note") or "").splitlines()[0:1]
            lines.append(f"  last event: {ev.get('reason', '')}: {msg[0] if msg else ''}")
        f = waiting.get((ns, nm))
        if f is not None:
            lines.append(f"  storage finding {f.code} on Pod {ns}/{nm}: {f.message}")
    return lines, refs


def endpoints_step(view: StoreView, b: Backend) -> TraceStep:
    if b.found is not True or b.service_port is None:
        return TraceStep("endpoints", SKIPPED, "no Service port to look behind", None, (b.ref,))
    if b.ready is None:
        svc = view.get("Service", b.namespace, b.service) or {}
        virtual = sorted({o.virtual_of(p) for p in service_pods(view, svc)} - {""})
        if virtual:  # pods not created yet: they will be endpoints, readiness unknown
            n = sum(1 for p in service_pods(view, svc) if o.virtual_of(p))
            return TraceStep(
                "endpoints",
                SKIPPED,
                f"{n} would-be endpoint(s), pods that {', '.join(virtual)} would create: "
                "readiness unknown",
                None,
                (b.ref,),
            )
        return TraceStep(
            "endpoints",
            SKIPPED,
            "no endpoint data (EndpointSlices and Endpoints not listed, or ExternalName)",
            None,
            (b.ref,),
        )
    svc = view.get("Service", b.namespace, b.service) or {}
    pods = sorted(service_pods(view, svc), key=o.name)
    total = b.ready + (b.not_ready or 0)
    if b.ready > 0:
        verdict = WARNING if b.not_ready else OK
        return TraceStep(
            "endpoints", verdict, f"{b.ready} of {total} endpoints ready", None, (b.ref,)
        )
    lines, refs = _pod_lines(view, pods)
    if not pods:
        sel = (svc.get("spec") or {}).get("selector") or {}
        why = (
            "the Service has no selector and no endpoints"
            if not sel
            else "no pod matches the selector " + ",".join(f"{k}={v}" for k, v in sel.items())
        )
    else:
        why = f"{len(pods)} pod(s), none ready"
    return TraceStep(
        "endpoints",
        FAILING,
        f"no ready endpoint behind Service {b.namespace}/{b.service} ({why})",
        503,
        (b.ref, *refs),
        tuple(lines),
    )


def target_number(pod: dict, target: str) -> int | None:
    """The container port a Service targetPort ("8080", "http->8080", "http") means in a pod."""
    name = target.split("->")[0].split(" ")[0]
    if name.isdigit():
        return int(name)
    for p in o.container_ports(pod):
        if p.get("name") == name and isinstance(p.get("containerPort"), int):
            return int(p["containerPort"])
    return None


def netpol_step(view: StoreView, b: Backend, proxy: Proxy | None) -> TraceStep:
    refs: tuple[Ref, ...] = (b.ref,)
    if proxy is None:
        return TraceStep(
            "network-policy", SKIPPED, "no proxy pods known for this route", None, refs
        )
    if not proxy.pods:
        where = f" ({proxy.where})" if proxy.where else ""
        return TraceStep(
            "network-policy",
            SKIPPED,
            f"the {proxy.label}'s pods are not in the snapshot{where}: cannot check",
            None,
            refs,
        )
    if b.found is not True or b.service_port is None:
        return TraceStep("network-policy", SKIPPED, "no backend pods to reach", None, refs)
    svc = view.get("Service", b.namespace, b.service) or {}
    backends = [p for p in service_pods(view, svc) if o.has_ip(p)]
    ready = [p for p in backends if o.pod_ready(p)] or backends
    srcs = [p for p in proxy.pods if o.has_ip(p) or ((p.get("spec") or {}).get("hostNetwork"))][
        :MAX_PROXY_PODS
    ]
    if not ready or not srcs:
        missing = "backend pods with an IP" if not ready else f"{proxy.label} pods with an IP"
        return TraceStep("network-policy", SKIPPED, f"no {missing}", None, refs)
    results: list[Explanation] = []
    for dst in ready[:MAX_BACKEND_PODS]:
        port = target_number(dst, b.target_port)
        if port is None:
            continue
        for src in srcs:
            try:
                results.append(explain(view, o.ref(src), o.ref(dst), port, "TCP"))
            except (KeyError, ValueError):
                continue
    if not results:
        return TraceStep(
            "network-policy", SKIPPED, f"targetPort {b.target_port} resolves in no pod", None, refs
        )
    pols = sorted(
        {p for r in results for side in (r.egress, r.ingress) if side for p, _ in side.selecting}
    )
    refs = refs + tuple(Ref("NetworkPolicy", *p.split("/", 1)) for p in pols)
    denied = [r for r in results if r.verdict == "denied"]
    allowed = [r for r in results if r.verdict == "allowed"]
    port = results[0].port
    pair = f"{proxy.label} -> Service {b.namespace}/{b.service} pods on TCP {port}"
    if not denied and not allowed:
        return TraceStep(
            "network-policy",
            SKIPPED,
            f"{pair}: no verdict ({results[0].verdict})",
            None,
            refs,
            tuple(results[0].lines()),
        )
    if denied and not allowed:
        return TraceStep(
            "network-policy",
            FAILING,
            f"NetworkPolicy blocks {pair} ({len(denied)} of {len(results)} pairs denied): "
            f"{proxy.blocked_text}",
            proxy.blocked_status,
            refs,
            tuple(denied[0].lines()),
        )
    if denied:
        return TraceStep(
            "network-policy",
            WARNING,
            f"{pair}: {len(denied)} of {len(results)} pod pairs denied; requests to those pods "
            "stall until the connect timeout, then go to the next endpoint",
            None,
            refs,
            tuple(denied[0].lines()),
        )
    return TraceStep(
        "network-policy",
        OK,
        f"{pair}: allowed ({len(allowed)} pod pairs checked)",
        None,
        refs,
        tuple(allowed[0].lines()),
    )
