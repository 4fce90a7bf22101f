"""Network and config builders for the demo scenarios: Services (with Endpoints and
EndpointSlices derived from pod readiness), Ingresses, NetworkPolicies, ConfigMaps, Secrets
(metadata only) and Events.
"""

from __future__ import annotations

from typing import Any

from demo_kit import Cluster, Obj, hexid, metadata, obj_ref, suffix, ts

LB_HOST = "a3f9c2e1b7d84e0c9a1f2b3c4d5e6f70-1234567890.eu-west-1.elb.amazonaws.com"


def service(
    cl: Cluster,
    ns: str,
    name: str,
    *,
    selector: dict[str, str] | None,
    ports: list[tuple[str, int, int | str] | tuple[str, int, int | str, str]],
    type_: str = "ClusterIP",
    annotations: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    cluster_ip: str | None = None,
    headless: bool = False,
    age: float = 60 * 24 * 30,
) -> Obj:
    """ports: (name, port, targetPort[, protocol]); targetPort may be a container port name."""
    ip = "None" if headless else (cluster_ip or cl.cluster_ip())
    spec: Obj = {
        "clusterIP": ip,
        "clusterIPs": [ip],
        "internalTrafficPolicy": "Cluster",
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
    }
    sports = []
    for i, p in enumerate(ports):
        sp: Obj = {
            "name": p[0],
            "port": p[1],
            "protocol": p[3] if len(p) > 3 else "TCP",
            "targetPort": p[2],
        }
        if type_ == "LoadBalancer":
            sp["nodePort"] = 30080 + i * 363 + len(name)
        sports.append(sp)
    spec["ports"] = sports
    if selector:
        spec["selector"] = dict(selector)
    spec["sessionAffinity"] = "None"
    spec["type"] = type_
    status: Obj = {"loadBalancer": {}}
    if type_ == "LoadBalancer":
        spec["allocateLoadBalancerNodePorts"] = True
        spec["externalTrafficPolicy"] = "Cluster"
        status = {"loadBalancer": {"ingress": [{"hostname": LB_HOST}]}}
    return cl.add(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": metadata(
                cl, "Service", name, ns, labels=labels, annotations=annotations, age=age
            ),
            "spec": spec,
            "status": status,
        }
    )


def _pod_port(pod: Obj, target: int | str, protocol: str) -> int | None:
    if isinstance(target, int):
        return target
    for c in pod["spec"]["containers"]:
        for p in c.get("ports") or []:
            if p.get("name") == target and p.get("protocol", "TCP") == protocol:
                return int(p["containerPort"])
    return None


def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def derive_endpoints(cl: Cluster) -> None:
    """Endpoints and an EndpointSlice for every Service with a selector, from its pods:
    ready pods are addresses, running-but-unready ones notReadyAddresses (ready: false),
    pods without an IP and finished pods are left out, as the controllers do."""
    services = [o for o in cl.objects if o["kind"] == "Service" and o["spec"].get("selector")]
    for svc in services:
        ns = svc["metadata"]["namespace"]
        pods = [
            o
            for o in cl.objects
            if o["kind"] == "Pod"
            and o["metadata"]["namespace"] == ns
            and _matches(svc["spec"]["selector"], o["metadata"].get("labels") or {})
            and o["status"].get("podIP")
            and o["status"]["phase"] not in ("Succeeded", "Failed")
        ]
        _endpoints(cl, svc, pods)
        _slice(cl, svc, pods)


def _ready(pod: Obj) -> bool:
    return any(c["type"] == "Ready" and c["status"] == "True" for c in pod["status"]["conditions"])


def _address(pod: Obj) -> Obj:
    m = pod["metadata"]
    addr: Obj = {"ip": pod["status"]["podIP"]}
    if pod["spec"].get("hostname"):
        addr["hostname"] = pod["spec"]["hostname"]
    addr["nodeName"] = pod["spec"]["nodeName"]
    addr["targetRef"] = {
        "kind": "Pod",
        "name": m["name"],
        "namespace": m["namespace"],
        "uid": m["uid"],
    }
    return addr


def _resolved(svc: Obj, pod: Obj) -> tuple[tuple[str, int, str], ...]:
    out = []
    for sp in svc["spec"]["ports"]:
        port = _pod_port(pod, sp["targetPort"], sp["protocol"])
        if port is not None:
            out.append((sp["name"], port, sp["protocol"]))
    return tuple(out)


def _endpoints(cl: Cluster, svc: Obj, pods: list[Obj]) -> None:
    groups: dict[tuple[Any, ...], list[Obj]] = {}
    for p in pods:
        ports = _resolved(svc, p)
        if ports:
            groups.setdefault(ports, []).append(p)
    subsets = []
    for ports, members in groups.items():
        sub: Obj = {}
        ready = [_address(p) for p in members if _ready(p)]
        not_ready = [_address(p) for p in members if not _ready(p)]
        if ready:
            sub["addresses"] = ready
        if not_ready:
            sub["notReadyAddresses"] = not_ready
        sub["ports"] = [{"name": n, "port": port, "protocol": pr} for n, port, pr in ports]
        subsets.append(sub)
    sm = svc["metadata"]
    meta = metadata(
        cl,
        "Endpoints",
        sm["name"],
        sm["namespace"],
        labels=sm.get("labels"),
        annotations={"endpoints.kubernetes.io/last-change-trigger-time": ts(35)},
        age=60 * 24 * 2,
    )
    ep: Obj = {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta}
    if subsets:
        ep["subsets"] = subsets
    cl.add(ep)


def _slice(cl: Cluster, svc: Obj, pods: list[Obj]) -> None:
    sm = svc["metadata"]
    nodes = {n.name: n for n in cl.nodes}
    endpoints = []
    for p in pods:
        ready = _ready(p)
        e: Obj = {
            "addresses": [p["status"]["podIP"]],
            "conditions": {"ready": ready, "serving": ready, "terminating": False},
        }
        if p["spec"].get("hostname"):
            e["hostname"] = p["spec"]["hostname"]
        e["nodeName"] = p["spec"]["nodeName"]
        e["targetRef"] = {
            "kind": "Pod",
            "name": p["metadata"]["name"],
            "namespace": sm["namespace"],
            "uid": p["metadata"]["uid"],
        }
        e["zone"] = nodes[p["spec"]["nodeName"]].zone
        endpoints.append(e)
    # ports: one per service port; a named targetPort resolves from the first pod defining it
    ports = []
    for sp in svc["spec"]["ports"]:
        port = next(
            (
                x
                for x in (_pod_port(p, sp["targetPort"], sp["protocol"]) for p in pods)
                if x is not None
            ),
            None,
        )
        if port is not None:
            ports.append({"name": sp["name"], "port": port, "protocol": sp["protocol"]})
    labels = {
        **(sm.get("labels") or {}),
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
        "kubernetes.io/service-name": sm["name"],
    }
    name = f"{sm['name']}-{suffix(cl.name, sm['namespace'], sm['name'], 'eps')}"
    meta = metadata(
        cl,
        "EndpointSlice",
        name,
        sm["namespace"],
        labels=labels,
        owner=svc,
        annotations={"endpoints.kubernetes.io/last-change-trigger-time": ts(35)},
        age=60 * 24 * 2,
    )
    meta["generateName"] = f"{sm['name']}-"
    cl.add(
        {
            "addressType": "IPv4",
            "apiVersion": "discovery.k8s.io/v1",
            "endpoints": endpoints or None,
            "kind": "EndpointSlice",
            "metadata": meta,
            "ports": ports or None,
        }
    )


def ingress_class(cl: Cluster, name: str, controller: str, default: bool = False) -> Obj:
    ann = {"ingressclass.kubernetes.io/is-default-class": "true"} if default else None
    labels = {
        "app.kubernetes.io/component": "controller",
        "app.kubernetes.io/instance": name,
        "app.kubernetes.io/name": "ingress-nginx",
    }
    return cl.add(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "IngressClass",
            "metadata": metadata(
                cl, "IngressClass", name, labels=labels, annotations=ann, age=60 * 24 * 150
            ),
            "spec": {"controller": controller},
        }
    )


def ingress(
    cl: Cluster,
    ns: str,
    name: str,
    *,
    rules: list[tuple[str, list[tuple[str, str, int]]]],  # host, [(path, service, port)]
    tls: list[tuple[list[str], str]] = (),  # type: ignore[assignment]
    annotations: dict[str, str] | None = None,
    cls: str = "nginx",
    age: float = 60 * 24 * 14,
) -> Obj:
    spec: Obj = {
        "ingressClassName": cls,
        "rules": [
            {
                "host": host,
                "http": {
                    "paths": [
                        {
                            "backend": {"service": {"name": svc, "port": {"number": port}}},
                            "path": path,
                            "pathType": "Prefix",
                        }
                        for path, svc, port in paths
                    ]
                },
            }
            for host, paths in rules
        ],
    }
    if tls:
        spec["tls"] = [{"hosts": list(h), "secretName": s} for h, s in tls]
    return cl.add(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": metadata(cl, "Ingress", name, ns, annotations=annotations, age=age),
            "spec": spec,
            "status": {"loadBalancer": {"ingress": [{"hostname": LB_HOST}]}},
        }
    )


def netpol(
    cl: Cluster,
    ns: str,
    name: str,
    spec: Obj,
    *,
    annotations: dict[str, str] | None = None,
    age: float = 60 * 24 * 20,
) -> Obj:
    return cl.add(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": metadata(cl, "NetworkPolicy", name, ns, annotations=annotations, age=age),
            "spec": spec,
        }
    )


def configmap(
    cl: Cluster,
    ns: str,
    name: str,
    data: dict[str, str],
    *,
    labels: dict[str, str] | None = None,
    age: float = 60 * 24 * 30,
) -> Obj:
    return cl.add(
        {
            "apiVersion": "v1",
            "data": dict(data),
            "kind": "ConfigMap",
            "metadata": metadata(cl, "ConfigMap", name, ns, labels=labels, age=age),
        }
    )


ROOT_CA = (
    "-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIDEMO0000000000\n-----END CERTIFICATE-----\n"
)


def root_ca(cl: Cluster, ns: str) -> Obj:
    """The kube-root-ca.crt ConfigMap every namespace has."""
    return configmap(cl, ns, "kube-root-ca.crt", {"ca.crt": ROOT_CA}, age=60 * 24 * 200)


def secret(
    cl: Cluster,
    ns: str,
    name: str,
    type_: str,
    *,
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    age: float = 60 * 24 * 40,
) -> Obj:
    """Metadata only: mlview never holds Secret data, and neither do the demos."""
    return cl.add(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": metadata(
                cl, "Secret", name, ns, labels=labels, annotations=annotations, age=age
            ),
            "type": type_,
        }
    )


def event(
    cl: Cluster,
    about: Obj,
    reason: str,
    message: str,
    *,
    type_: str = "Normal",
    count: int = 1,
    first: float = 30,
    last: float | None = None,
    component: str = "",
    host: str | None = None,
    field_path: str | None = None,
) -> Obj:
    """A core/v1 Event about `about`, first/last seen `first`/`last` minutes ago."""
    m = about["metadata"]
    ns = m.get("namespace") or "default"
    name = f"{m['name']}.{hexid(cl.name, m['name'], reason, message, n=16)}"
    involved = obj_ref(about)
    if field_path:
        involved["fieldPath"] = field_path
    if about["kind"] != "Pod" and "namespace" not in involved:
        involved["namespace"] = ns if m.get("namespace") else ""
        if not involved["namespace"]:
            involved.pop("namespace")
    source: Obj = {"component": component}
    if host:
        source["host"] = host
    last = first if last is None else last
    meta = metadata(cl, "Event", name, ns, age=first)
    return cl.add(
        {
            "apiVersion": "v1",
            "count": count,
            "eventTime": None,
            "firstTimestamp": ts(first),
            "involvedObject": involved,
            "kind": "Event",
            "lastTimestamp": ts(last),
            "message": message,
            "metadata": meta,
            "reason": reason,
            "reportingComponent": component,
            "reportingInstance": host or "",
            "source": source,
            "type": type_,
        }
    )
