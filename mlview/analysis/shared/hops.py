"""The hops in front of a backend: the proxy's pods and the load balancer before them.

Proxy pods: an ingress-nginx controller's pods come from its workload's selector; a Gateway's
data-plane pods carry the labels its implementation puts on them (Envoy Gateway:
`gateway.envoyproxy.io/owning-gateway-name`/`-namespace`; Istio, NGINX Gateway Fabric and the
Gateway API convention: `gateway.networking.k8s.io/gateway-name`).

Load balancer idle timeouts, from the Service of type LoadBalancer that selects those pods:

- AWS Classic ELB (the in-tree default when no type annotation says otherwise):
  `service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout`, default 60 s. This is
  the hop that cuts a 90 s request even after proxy-read-timeout was raised.
- AWS NLB (`aws-load-balancer-type: nlb|external|nlb-ip`): the connection-idle-timeout annotation
  applies to Classic ELBs only; an NLB's TCP idle timeout is 350 s unless the AWS Load Balancer
  Controller's `aws-load-balancer-listener-attributes.TCP-<port>: tcp.idle_timeout.seconds=N` sets
  it.
- Azure: `service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout` in minutes, default 4.
- GCP: a Service (LoadBalancer, or the NodePort a GKE Ingress sends to) naming a BackendConfig in
  `cloud.google.com/backend-config` (`{"default": name}` or `{"ports": {port: name}}`) sits
  behind a backend service whose timeout is the BackendConfig's `timeoutSec`, 30 s when unset.
- Anything else: the hop is listed with an unknown timeout (we do not guess a cloud's default).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlview import selectors
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.objects import Ref
from mlview.store import StoreView

AWS = "service.beta.kubernetes.io/aws-load-balancer-"
AWS_IDLE = AWS + "connection-idle-timeout"
AWS_TYPE = AWS + "type"
AWS_LISTENER_ATTRS = AWS + "listener-attributes."
AZURE_IDLE = "service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout"
ENVOY_OWNER = "gateway.envoyproxy.io/owning-gateway-name"
ENVOY_OWNER_NS = "gateway.envoyproxy.io/owning-gateway-namespace"
GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name"
GCP_BACKEND_CONFIG = ("cloud.google.com/backend-config", "beta.cloud.google.com/backend-config")
GCP_DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class Hop:
    """One hop that may cut a slow request."""

    name: str  # "load balancer", "proxy-read-timeout", "timeouts.request", ...
    seconds: float | None  # a request slower than this fails here; None: unknown
    source: str  # where the value comes from
    status: int = 504  # what the client sees when this hop cuts
    ref: Ref | None = None
    note: str = ""
    answers_after: float | None = None  # when the client hears (retries: attempts x seconds)

    @property
    def fires_at(self) -> float | None:
        return self.answers_after if self.answers_after is not None else self.seconds


def workload_pods(view: StoreView, workload: str) -> list[dict]:
    """Pods of "Deployment ns/name" (or DaemonSet, ...), from its selector; when the workload is
    not in the snapshot (a pods-only dump), the pods whose owners lead to it."""
    kind, _, ref = workload.partition(" ")
    ns, _, name = ref.partition("/")
    wl = view.get(kind, ns, name)
    if wl is None:
        return sorted(
            (p for p in view.list("Pod", ns) if o.owner_workload(view, p) == (kind, name)),
            key=o.name,
        )
    if kind == "Pod":  # a bare controller pod
        return [dict(wl)]
    sel = (wl.get("spec") or {}).get("selector")
    if not sel:
        return []
    try:
        return sorted(view.select("Pod", ns, sel), key=o.name)
    except (selectors.SelectorError, AttributeError, TypeError):  # a malformed selector
        return []


def gateway_pods(view: StoreView, gw_ns: str, gw_name: str) -> list[dict]:
    """The data-plane pods of one Gateway, by the labels implementations put on them."""
    out = []
    for pod in view.list("Pod"):
        lab = o.labels(pod)
        if lab.get(ENVOY_OWNER) == gw_name and lab.get(ENVOY_OWNER_NS, gw_ns) == gw_ns:
            out.append(pod)
        elif lab.get(GATEWAY_NAME_LABEL) == gw_name and o.namespace(pod) == gw_ns:
            out.append(pod)
    return sorted(out, key=o.ref)


def _backend_config_name(svc: Mapping[str, Any]) -> str | None:
    """The BackendConfig a Service names (default, else its first port's), None when none."""
    ann = o.annotations(svc)
    raw = next((ann[k] for k in GCP_BACKEND_CONFIG if k in ann), None)
    if raw is None:
        return None
    try:
        data = json.loads(str(raw))
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    if data.get("default"):
        return str(data["default"])
    ports = data.get("ports")
    if isinstance(ports, dict) and ports:
        return str(next(iter(ports.values())))
    return ""


def fronting_services(view: StoreView, pods: list[dict]) -> list[dict]:
    """Services of type LoadBalancer (or NodePort with a GKE BackendConfig) whose selector
    picks one of these pods."""
    out = []
    namespaces = {o.namespace(p) for p in pods}
    for ns in sorted(namespaces):
        for svc in view.list("Service", ns):
            spec = svc.get("spec") or {}
            sel = spec.get("selector") or {}
            lb = spec.get("type") == "LoadBalancer" or (
                spec.get("type") == "NodePort" and _backend_config_name(svc) is not None
            )
            if not lb or not sel or not isinstance(sel, dict):
                continue
            if any(o.namespace(p) == ns and selectors.matches_map(sel, o.labels(p)) for p in pods):
                out.append(svc)
    return sorted(out, key=o.name)


CHART_CONTROLLER_LABELS = {
    "app.kubernetes.io/name": "ingress-nginx",
    "app.kubernetes.io/component": "controller",
}


def chart_services(view: StoreView) -> list[dict]:
    """Services of type LoadBalancer selecting the ingress-nginx chart's controller labels: the
    controller's front door even when neither its pods nor its workload are in the snapshot."""
    out = []
    for svc in view.list("Service"):
        spec = svc.get("spec") or {}
        sel = spec.get("selector")
        if (
            spec.get("type") == "LoadBalancer"
            and isinstance(sel, dict)
            and all(sel.get(k) == v for k, v in CHART_CONTROLLER_LABELS.items())
        ):
            out.append(svc)
    return sorted(out, key=o.ref)


def _cloud(view: StoreView, ann: Mapping[str, Any]) -> str:
    if any(k.startswith(AWS) for k in ann):
        return "aws"
    if any(k.startswith("service.beta.kubernetes.io/azure-") for k in ann):
        return "azure"
    for node in view.list("Node")[:3]:
        pid = str((node.get("spec") or {}).get("providerID") or "")
        if pid.startswith("aws://"):
            return "aws"
        if pid.startswith("azure://"):
            return "azure"
    return ""


_NLB_IDLE = re.compile(r"tcp\.idle_timeout\.seconds=(\d+)")


def lb_hop(view: StoreView, svc: Mapping[str, Any]) -> Hop:
    """The idle timeout of the cloud load balancer a Service of type LoadBalancer creates."""
    ann = o.annotations(svc)
    ref = Ref("Service", o.namespace(svc), o.name(svc))
    where = f"Service {o.ref(svc)}"
    backend_config = _backend_config_name(svc)
    if backend_config is not None:
        return _gcp_hop(view, svc, backend_config, ref, where)
    cloud = _cloud(view, ann)
    if cloud == "aws":
        lb_type = str(ann.get(AWS_TYPE, "")).strip().lower()
        if lb_type in ("nlb", "external", "nlb-ip"):
            for key, value in ann.items():
                m = _NLB_IDLE.search(str(value)) if key.startswith(AWS_LISTENER_ATTRS) else None
                if m:
                    return Hop(
                        "load balancer (AWS NLB)", float(m.group(1)), f"{where} {key}", ref=ref
                    )
            note = (
                f"{AWS_IDLE} applies to Classic ELBs only; this NLB ignores it"
                if AWS_IDLE in ann
                else ""
            )
            return Hop(
                "load balancer (AWS NLB)",
                350.0,
                f"{where}: an NLB's TCP idle timeout (350 s default)",
                ref=ref,
                note=note,
            )
        raw = ann.get(AWS_IDLE)
        if raw is not None and str(raw).strip().isdigit():
            return Hop(
                "load balancer (AWS Classic ELB)", float(raw), f"{where} {AWS_IDLE}", ref=ref
            )
        note = f'{AWS_IDLE}: "{raw}" is not a number; the default applies' if raw else ""
        return Hop(
            "load balancer (AWS Classic ELB)",
            60.0,
            f"{where}: Classic ELB idle timeout default (60 s, {AWS_IDLE} unset)",
            ref=ref,
            note=note,
        )
    if cloud == "azure":
        raw = ann.get(AZURE_IDLE)
        if raw is not None and str(raw).strip().isdigit():
            return Hop("load balancer (Azure)", float(raw) * 60, f"{where} {AZURE_IDLE}", ref=ref)
        return Hop(
            "load balancer (Azure)", 240.0, f"{where}: Azure LB idle default (4 min)", ref=ref
        )
    return Hop("load balancer", None, f"{where}: idle timeout unknown for this cloud", ref=ref)


def _gcp_hop(view: StoreView, svc: Mapping[str, Any], name: str, ref: Ref, where: str) -> Hop:
    label = "load balancer (GCP backend service)"
    bc = view.get("BackendConfig", o.namespace(svc), name) if name else None
    raw = ((bc or {}).get("spec") or {}).get("timeoutSec")
    if bc is not None and isinstance(raw, int) and raw > 0:
        return Hop(
            label, float(raw), f"BackendConfig {o.namespace(svc)}/{name} timeoutSec", ref=ref
        )
    if bc is None and name and not view.has_listed("BackendConfig"):
        note = f"BackendConfig {o.namespace(svc)}/{name} is not in the snapshot"
    else:
        note = ""
    return Hop(
        label,
        GCP_DEFAULT_TIMEOUT,
        f"{where}: GCP backend service timeout default (30 s, timeoutSec unset)",
        ref=ref,
        note=note,
    )
