"""Builders for the demo scenarios: small functions that emit objects shaped like
`kubectl get -o yaml` output.

Everything derived (UIDs, IPs, pod names, Endpoints, EndpointSlices, PVs of bound claims)
comes from a `Cluster` and a fixed clock, so a scenario is consistent by construction and
regenerating it gives identical bytes. Only stdlib; tools/gen_demo.py writes the files.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

Obj = dict[str, Any]

NOW = datetime(2026, 11, 27, 5, 40, tzinfo=UTC)
RECORDED_AT = "2026-11-27T05:40:00Z"
REGION = "eu-west-1"
KUBELET = "v1.31.2-eks-7f9249a"
_ALNUM = "bcdfghjklmnpqrstvwxz2456789"  # the alphabet Kubernetes uses for name suffixes


def ts(minutes_ago: float) -> str:
    """A timestamp `minutes_ago` before the recording time."""
    return (NOW - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def digest(*parts: object) -> bytes:
    return hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()


def suffix(*parts: object, n: int = 5) -> str:
    return "".join(_ALNUM[b % len(_ALNUM)] for b in digest(*parts)[:n])


def hexid(*parts: object, n: int = 16) -> str:
    return digest(*parts).hex()[:n]


@dataclass
class Node:
    name: str
    ip: str
    zone: str
    pool: str  # "cpu" | "gpu"
    index: int
    instance_type: str
    next_ip: int = 10


@dataclass
class Cluster:
    """One scenario under construction: its objects and the counters that keep it consistent."""

    name: str
    objects: list[Obj] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    classes: dict[str, Obj] = field(default_factory=dict)
    _rv: int = 48_211_000
    _rr: dict[str, int] = field(default_factory=dict)
    _svc_ip: int = 40

    def uid(self, kind: str, ns: str | None, name: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"mlview-demo/{self.name}/{kind}/{ns}/{name}"))

    def rv(self) -> str:
        self._rv += 137
        return str(self._rv)

    def add(self, obj: Obj) -> Obj:
        self.objects.append(obj)
        return obj

    def find(self, kind: str, ns: str | None, name: str) -> Obj:
        for o in self.objects:
            m = o["metadata"]
            if o["kind"] == kind and m["name"] == name and m.get("namespace") == ns:
                return o
        raise KeyError(f"{kind} {ns}/{name}")

    def pick(self, pool: str) -> Node:
        """Round-robin placement over a node pool."""
        nodes = [n for n in self.nodes if n.pool == pool]
        i = self._rr.get(pool, 0)
        self._rr[pool] = i + 1
        return nodes[i % len(nodes)]

    def node_named(self, short: str) -> Node:
        return next(n for n in self.nodes if n.name.startswith(short))

    def pod_ip(self, node: Node) -> str:
        node.next_ip += 1
        return f"10.244.{node.index}.{node.next_ip}"

    def cluster_ip(self) -> str:
        self._svc_ip += 7
        return f"172.20.{self._svc_ip // 250}.{self._svc_ip % 250 + 2}"


def metadata(
    cl: Cluster,
    kind: str,
    name: str,
    ns: str | None = None,
    *,
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    age: float = 60 * 24 * 20,
    owner: Obj | None = None,
) -> Obj:
    meta: Obj = {"name": name}
    if ns:
        meta["namespace"] = ns
    if labels:
        meta["labels"] = dict(labels)
    if annotations:
        meta["annotations"] = dict(annotations)
    if owner is not None:
        meta["ownerReferences"] = [owner_ref(owner)]
    meta["creationTimestamp"] = ts(age)
    meta["resourceVersion"] = cl.rv()
    meta["uid"] = cl.uid(kind, ns, name)
    if kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "Ingress"):
        meta["generation"] = 1
    return meta


def owner_ref(owner: Obj) -> Obj:
    return {
        "apiVersion": owner["apiVersion"],
        "blockOwnerDeletion": True,
        "controller": True,
        "kind": owner["kind"],
        "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"],
    }


def obj_ref(o: Obj) -> Obj:
    m = o["metadata"]
    ref = {"apiVersion": o["apiVersion"], "kind": o["kind"], "name": m["name"]}
    if m.get("namespace"):
        ref["namespace"] = m["namespace"]
    ref["resourceVersion"] = m["resourceVersion"]
    ref["uid"] = m["uid"]
    return ref


# --- cluster-scoped basics --------------------------------------------------------------


def namespace(cl: Cluster, name: str, labels: dict[str, str] | None = None) -> Obj:
    lab = {"kubernetes.io/metadata.name": name, **(labels or {})}
    return cl.add(
        {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": metadata(cl, "Namespace", name, labels=lab, age=60 * 24 * 200),
            "spec": {"finalizers": ["kubernetes"]},
            "status": {"phase": "Active"},
        }
    )


def node(cl: Cluster, ip: str, zone: str, pool: str, instance_type: str) -> Node:
    name = f"ip-{ip.replace('.', '-')}.{REGION}.compute.internal"
    info = Node(name, ip, zone, pool, len(cl.nodes), instance_type)
    cl.nodes.append(info)
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/instance-type": instance_type,
        "beta.kubernetes.io/os": "linux",
        "eks.amazonaws.com/nodegroup": f"{pool}-pool",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "node.kubernetes.io/instance-type": instance_type,
        "topology.ebs.csi.aws.com/zone": zone,
        "topology.kubernetes.io/region": REGION,
        "topology.kubernetes.io/zone": zone,
    }
    capacity = {
        "cpu": "8",
        "memory": "32386544Ki",
        "pods": "58",
        "ephemeral-storage": "104845292Ki",
    }
    spec: Obj = {
        "podCIDR": f"10.244.{info.index}.0/24",
        "podCIDRs": [f"10.244.{info.index}.0/24"],
        "providerID": f"aws:///{zone}/i-0{hexid(name, n=16)}",
    }
    if pool == "gpu":
        labels["nvidia.com/gpu.present"] = "true"
        labels["nvidia.com/gpu.product"] = "NVIDIA-A10G"
        capacity = {**capacity, "cpu": "48", "memory": "195784164Ki", "nvidia.com/gpu": "4"}
        spec["taints"] = [{"effect": "NoSchedule", "key": "nvidia.com/gpu", "value": "true"}]
    conds = [
        (
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ]
    cl.add(
        {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": metadata(cl, "Node", name, labels=labels, age=60 * 24 * 9),
            "spec": spec,
            "status": {
                "addresses": [
                    {"address": ip, "type": "InternalIP"},
                    {"address": name, "type": "Hostname"},
                    {"address": name, "type": "InternalDNS"},
                ],
                "allocatable": capacity,
                "capacity": capacity,
                "conditions": [
                    {
                        "lastHeartbeatTime": ts(0.5),
                        "lastTransitionTime": ts(60 * 24 * 9),
                        "message": m,
                        "reason": r,
                        "status": s,
                        "type": t,
                    }
                    for t, s, r, m in conds
                ],
                "nodeInfo": {
                    "architecture": "amd64",
                    "containerRuntimeVersion": "containerd://1.7.23",
                    "kernelVersion": "6.1.115-126.197.amzn2023.x86_64",
                    "kubeProxyVersion": KUBELET,
                    "kubeletVersion": KUBELET,
                    "operatingSystem": "linux",
                    "osImage": "Amazon Linux 2023.6.20241111",
                },
            },
        }
    )
    return info


def attach_volume(cl: Cluster, nd: Node, pv_name: str, handle: str) -> None:
    """Record an attached CSI volume on a Node's status, as the attach/detach controller does."""
    obj = cl.find("Node", None, nd.name)
    entry = f"kubernetes.io/csi/ebs.csi.aws.com^{handle}"
    obj["status"].setdefault("volumesAttached", []).append({"devicePath": "", "name": entry})
    obj["status"].setdefault("volumesInUse", []).append(entry)
