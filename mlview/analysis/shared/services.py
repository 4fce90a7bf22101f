"""What stands behind a route's backend (Ingress, Gateway API, trace): Service, port, targetPort,
endpoints and pods, and the chain/pod lines the detail views show.

Endpoints come from EndpointSlices (label `kubernetes.io/service-name`), falling back to the
Endpoints object on old clusters. An endpoint whose `conditions.ready` is unset counts as ready, as
the API documents. A named targetPort resolves per pod through its containerPorts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from mlview import selectors
from mlview.analysis.shared import objects as o
from mlview.store import StoreView

SERVICE_NAME_LABEL = "kubernetes.io/service-name"


@dataclass(frozen=True)
class EndpointCount:
    ready: int
    not_ready: int


@dataclass(frozen=True)
class ServiceBackend:
    """A backend Service resolved: found, its port, the targetPort as the pods see it, endpoints."""

    found: bool | None  # None: Services not listed (or no Service backend at all)
    port: int | None  # the Service port number, None when the Service has no such port
    port_name: str
    target: str  # "8080", "http->8080", "http->8080|9090" (differs per pod), "http (no pod...)"
    ready: int | None  # None: the snapshot cannot tell
    not_ready: int | None


NO_SERVICE = ServiceBackend(None, None, "", "", None, None)


def resolve_service(view: StoreView, ns: str, name: str, port: Mapping[str, Any]) -> ServiceBackend:
    """Service ns/name -> its port (`number` or `name`) -> targetPort -> endpoint counts."""
    svc = view.get("Service", ns, name)
    if svc is None:
        return replace(NO_SERVICE, found=False if view.has_listed("Service") else None)
    sp = service_port(svc, port)
    count = endpoint_count(view, svc, sp) if sp is not None else None
    return ServiceBackend(
        True,
        sp.get("port") if sp else None,
        str((sp or {}).get("name") or ""),
        resolve_target(view, svc, sp) if sp else "",
        count.ready if count else None,
        count.not_ready if count else None,
    )


def service_port(svc: Mapping[str, Any], port: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The Service port an Ingress backend port (`number` or `name`) refers to."""
    ports = (svc.get("spec") or {}).get("ports") or []
    if port.get("number") is not None:
        return next((p for p in ports if p.get("port") == port.get("number")), None)
    if port.get("name"):
        return next((p for p in ports if p.get("name") == port.get("name")), None)
    return None


def _pod_index(view: StoreView) -> dict[tuple[str, str, str], list[dict]]:
    """(namespace, label key, value) -> pods, so selection does not scan every pod."""

    def build() -> dict[tuple[str, str, str], list[dict]]:
        index: dict[tuple[str, str, str], list[dict]] = {}
        for pod in view.list("Pod"):
            ns = o.namespace(pod)
            for k, v in o.labels(pod).items():
                index.setdefault((ns, k, v), []).append(pod)
        return index

    return view.memo(("ingress", "pod-index"), build)


def service_pods(view: StoreView, svc: Mapping[str, Any]) -> list[dict]:
    selector = (svc.get("spec") or {}).get("selector") or {}
    if not selector:
        return []
    index = _pod_index(view)
    ns = o.namespace(svc)
    lists = [index.get((ns, k, str(v)), []) for k, v in selector.items()]
    smallest = min(lists, key=len)
    return [p for p in smallest if selectors.matches_map(selector, o.labels(p))]


def _slices(view: StoreView) -> dict[tuple[str, str], list[dict]]:
    def build() -> dict[tuple[str, str], list[dict]]:
        index: dict[tuple[str, str], list[dict]] = {}
        for sl in view.list("EndpointSlice"):
            svc = o.labels(sl).get(SERVICE_NAME_LABEL)
            if svc:
                index.setdefault((o.namespace(sl), svc), []).append(sl)
        return index

    return view.memo(("ingress", "slices"), build)


def resolve_target(view: StoreView, svc: Mapping[str, Any], sp: Mapping[str, Any]) -> str:
    target = sp.get("targetPort")
    if target is None or target == "":
        return str(sp.get("port"))
    if isinstance(target, int) or str(target).isdigit():
        return str(target)
    numbers = sorted(
        {
            int(cp["containerPort"])
            for pod in service_pods(view, svc)
            for cp in o.container_ports(pod)
            if cp.get("name") == target and cp.get("containerPort") is not None
        }
    )
    if numbers:
        return f"{target}->" + "|".join(str(n) for n in numbers)
    # EndpointSlices carry the resolved number even when the pods are not in the snapshot.
    for sl in _slices(view).get((o.namespace(svc), o.name(svc)), []):
        for p in sl.get("ports") or []:
            if (p.get("name") or "") == (sp.get("name") or "") and p.get("port"):
                return f"{target}->{p['port']}"
    if service_pods(view, svc):
        return f"{target} (no pod declares it)"
    return str(target)


def endpoint_count(
    view: StoreView, svc: Mapping[str, Any], sp: Mapping[str, Any] | None
) -> EndpointCount | None:
    """Ready / not-ready endpoints of a Service port; None when the snapshot cannot tell."""
    if (svc.get("spec") or {}).get("type") == "ExternalName":
        return None
    ns, name = o.namespace(svc), o.name(svc)
    port_name = (sp or {}).get("name") or ""
    slices = _slices(view).get((ns, name))
    if slices:
        return _count_slices(slices, port_name)
    eps = view.get("Endpoints", ns, name)
    if eps is not None:
        return _count_endpoints(eps, port_name)
    if view.has_listed("EndpointSlice") or view.has_listed("Endpoints"):
        return EndpointCount(0, 0)
    return None


def _count_slices(slices: list[dict], port_name: str) -> EndpointCount:
    ready: set[str] = set()
    not_ready: set[str] = set()
    for sl in slices:
        ports = sl.get("ports")
        if ports and not any((p.get("name") or "") == port_name for p in ports):
            continue
        for ep in sl.get("endpoints") or []:
            ident = (ep.get("targetRef") or {}).get("name") or ",".join(ep.get("addresses") or [])
            cond = (ep.get("conditions") or {}).get("ready")
            (not_ready if cond is False else ready).add(ident)
    return EndpointCount(len(ready), len(not_ready - ready))


def _count_endpoints(eps: Mapping[str, Any], port_name: str) -> EndpointCount:
    ready = not_ready = 0
    for subset in eps.get("subsets") or []:
        ports = subset.get("ports") or []
        if ports and not any((p.get("name") or "") == port_name for p in ports):
            continue
        ready += len(subset.get("addresses") or [])
        not_ready += len(subset.get("notReadyAddresses") or [])
    return EndpointCount(ready, not_ready)


@dataclass(frozen=True)
class Step:
    """One link of the chain. ok: True fine, False broken, None unknown."""

    label: str
    text: str
    ok: bool | None = True


@dataclass(frozen=True)
class PodLine:
    name: str
    phase: str
    ready: bool
    restarts: int
    problem: str
    virtual: str = ""  # "Deployment ns/name" that would create it; "" for a real pod

    @classmethod
    def of(cls, pod: dict) -> PodLine:
        """A backend pod as the detail lists it; its problem only when it is not ready. A
        virtual pod's phase and readiness are unknown, not failing."""
        creator = o.virtual_of(pod)
        if creator:
            return cls(o.name(pod), "", False, 0, f"would be created by {creator}", creator)
        ready = o.pod_ready(pod)
        return cls(
            o.name(pod),
            o.pod_phase(pod),
            ready,
            o.pod_restarts(pod),
            "" if ready else o.pod_problem(pod),
        )
