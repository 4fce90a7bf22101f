"""Finding `ingress-backend-blocked-by-networkpolicy`: an Ingress route whose controller pods may
not connect to any pod of the backend Service on its targetPort.

This links routes to NetworkPolicies, which nothing else does: after a namespace lockdown
(a default-deny without an allow rule for the ingress controller) every request on the route
ends in a 504 (nginx waits proxy-connect-timeout for a SYN the CNI drops; see trace_backend).

Facts needed, else the route is skipped: an ingress-nginx controller whose workload is in the
input, the backend Service and its pods with IPs (or, in a manifest folder, the pods a workload's
template stands for: shared/virtual_pods.py), and a targetPort that resolves in those pods.
Verdicts come from the reachability engine's matrix (one per port, shared with the Reachability
pane); one pair is explained for the message. Pods on the host network get no verdict
(NetworkPolicy is implementation- defined there), so they never fire.
"""

from __future__ import annotations

from mlview.analysis.findings import Finding, finding
from mlview.analysis.ingress.classes import NGINX, resolve_class
from mlview.analysis.ingress.routes import RouteRow, route_rows
from mlview.analysis.reachability.engine import BadQuery, compute_matrix
from mlview.analysis.reachability.explain import explain
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.hops import workload_pods
from mlview.analysis.shared.services import service_pods
from mlview.analysis.trace.backend import target_number
from mlview.store import StoreView

CODE = "ingress-backend-blocked-by-networkpolicy"


def _controller(view: StoreView, row: RouteRow) -> tuple[str, list[dict]]:
    ing = view.get("Ingress", row.namespace, row.ingress) or {}
    info = resolve_class(view, ing)
    if info.kind != NGINX or info.nginx is None or not info.nginx.workload:
        return "", []
    wl = info.nginx.workload
    pods = view.memo(("ingress-netpol", "pods", wl), lambda: workload_pods(view, wl))
    return wl, [p for p in pods if o.has_ip(p)]


def blocked(
    view: StoreView, controller: list[dict], svc: dict, target: str
) -> tuple[int, list[str]] | None:
    """(port, explanation lines) when no controller pod may reach any backend pod; None when
    some pair is allowed or the snapshot cannot tell."""
    dsts = [p for p in service_pods(view, svc) if o.has_ip(p)]
    ready = [p for p in dsts if o.pod_ready(p)] or dsts
    pairs: list[tuple[dict, dict, int]] = []
    for dst in ready:
        port = target_number(dst, target)
        if port is not None:
            pairs.extend((src, dst, port) for src in controller)
    if not pairs:
        return None
    verdicts = []
    for src, dst, port in pairs:
        try:
            mx = compute_matrix(view, port, "TCP")
            verdicts.append(mx.verdict(o.ref(src), o.ref(dst)))
        except (BadQuery, KeyError):
            return None
    if any(v != "denied" for v in verdicts):
        return None
    src, dst, port = pairs[0]
    return port, explain(view, o.ref(src), o.ref(dst), port, "TCP").lines()


def _isolating(lines: list[str]) -> str:
    for line in lines:
        if line.strip().startswith("isolated, and no ingress rule of"):
            return (
                line.strip().removeprefix("isolated, and no ingress rule of ").split(" admits")[0]
            )
        if line.strip().startswith("isolated, and no egress rule of"):
            return line.strip().removeprefix("isolated, and no egress rule of ").split(" admits")[0]
    return "a NetworkPolicy"


def findings(view: StoreView) -> list[Finding]:
    if not view.has_listed("Pod"):
        return []
    return view.memo(("ingress-netpol", "findings"), lambda: _build(view))[0]


def by_service(view: StoreView) -> dict[tuple[str, str], list[Finding]]:
    """The findings that block routes to each backend Service, by (namespace, Service)."""
    if not view.has_listed("Pod"):
        return {}
    return view.memo(("ingress-netpol", "findings"), lambda: _build(view))[1]


def _build(view: StoreView) -> tuple[list[Finding], dict[tuple[str, str], list[Finding]]]:
    """One finding per Ingress and controller, naming every blocked path and Service; and
    which Services those findings block."""
    cache: dict[tuple[str, str, str, str], tuple[int, list[str]] | None] = {}
    hits: dict[tuple[str, str, str], list[tuple[RouteRow, int, list[str]]]] = {}
    for row in route_rows(view):
        if not row.service or not row.service_found or row.service_port is None:
            continue
        wl, controller = _controller(view, row)
        if not controller:
            continue
        key = (wl, row.namespace, row.service, row.target_port)
        if key not in cache:
            svc = view.get("Service", row.namespace, row.service) or {}
            cache[key] = blocked(view, controller, svc, row.target_port)
        verdict = cache[key]
        if verdict is not None:
            hits.setdefault((row.namespace, row.ingress, wl), []).append((row, *verdict))
    out = []
    services: dict[tuple[str, str], list[Finding]] = {}
    for (ns, ing, wl), rows in sorted(hits.items()):
        routes = sorted(
            {
                f"{r.host or '*'}{r.path or ' (default backend)'} -> {r.service}:{port}"
                for r, port, _ in rows
            }
        )
        ports = sorted({port for _, port, _ in rows})
        policies = _isolating(rows[0][2])
        ctrl_ns = wl.split(" ", 1)[1].split("/")[0]
        out.append(
            finding(
                CODE,
                "error",
                ("Ingress", ns, ing),
                f"Ingress {ns}/{ing}: NetworkPolicy denies the ingress-nginx controller ({wl}) "
                f"every connection to the backend pods of {', '.join(routes)} ({policies}): "
                "requests end in 504 after proxy-connect-timeout.",
                f"Allow it: a NetworkPolicy in {ns} selecting those pods with an ingress rule "
                f"from namespaceSelector kubernetes.io/metadata.name={ctrl_ns} (and the "
                f"controller's pod labels) on TCP {', '.join(str(p) for p in ports)}. "
                "`mlview trace URL` shows the path and the policies.",
            )
        )
        for backend in sorted({r.service for r, _, _ in rows}):
            services.setdefault((ns, backend), []).append(out[-1])
    return out, services
