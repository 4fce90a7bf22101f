"""The one registry of kinds mlview knows: what to list, how to key it, who cares.

Sources (snapshot, live, record), the store and `mlview rbac` all read this table, so a
kind is added in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindInfo:
    kind: str
    group: str  # "" for the core group
    version: str
    plural: str
    namespaced: bool
    panes: tuple[str, ...] = ()
    metadata_only: bool = False  # Secrets: never their data
    optional: bool = False  # CRDs that may not be installed

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version


_KINDS = [
    KindInfo("Namespace", "", "v1", "namespaces", False, ("netpol",)),
    KindInfo("Node", "", "v1", "nodes", False, ("storage",)),
    KindInfo("Pod", "", "v1", "pods", True, ("storage", "ingress", "netpol")),
    KindInfo("Service", "", "v1", "services", True, ("ingress",)),
    KindInfo("Endpoints", "", "v1", "endpoints", True, ("ingress",)),
    KindInfo("ConfigMap", "", "v1", "configmaps", True, ("ingress",)),
    KindInfo("Secret", "", "v1", "secrets", True, ("ingress",), metadata_only=True),
    KindInfo("PersistentVolumeClaim", "", "v1", "persistentvolumeclaims", True, ("storage",)),
    KindInfo("PersistentVolume", "", "v1", "persistentvolumes", False, ("storage",)),
    KindInfo("Event", "", "v1", "events", True, ("storage", "ingress")),
    KindInfo("EndpointSlice", "discovery.k8s.io", "v1", "endpointslices", True, ("ingress",)),
    KindInfo("Ingress", "networking.k8s.io", "v1", "ingresses", True, ("ingress",)),
    KindInfo("IngressClass", "networking.k8s.io", "v1", "ingressclasses", False, ("ingress",)),
    KindInfo("NetworkPolicy", "networking.k8s.io", "v1", "networkpolicies", True, ("netpol",)),
    KindInfo("StorageClass", "storage.k8s.io", "v1", "storageclasses", False, ("storage",)),
    KindInfo("CSIDriver", "storage.k8s.io", "v1", "csidrivers", False, ("storage",)),
    KindInfo("ReplicaSet", "apps", "v1", "replicasets", True),
    KindInfo("Deployment", "apps", "v1", "deployments", True),
    KindInfo("StatefulSet", "apps", "v1", "statefulsets", True),
    KindInfo("DaemonSet", "apps", "v1", "daemonsets", True),
    KindInfo("Job", "batch", "v1", "jobs", True),
    KindInfo(
        "GatewayClass",
        "gateway.networking.k8s.io",
        "v1",
        "gatewayclasses",
        False,
        ("ingress",),
        optional=True,
    ),
    KindInfo(
        "Gateway",
        "gateway.networking.k8s.io",
        "v1",
        "gateways",
        True,
        ("ingress",),
        optional=True,
    ),
    KindInfo(
        "HTTPRoute",
        "gateway.networking.k8s.io",
        "v1",
        "httproutes",
        True,
        ("ingress",),
        optional=True,
    ),
    KindInfo(
        "GRPCRoute",
        "gateway.networking.k8s.io",
        "v1",
        "grpcroutes",
        True,
        ("ingress",),
        optional=True,
    ),
    KindInfo(
        "ReferenceGrant",
        "gateway.networking.k8s.io",
        "v1beta1",
        "referencegrants",
        True,
        ("ingress",),
        optional=True,
    ),
    KindInfo(
        "InferenceService",
        "serving.kserve.io",
        "v1beta1",
        "inferenceservices",
        True,
        ("ingress",),
        optional=True,
    ),
]

KINDS: dict[str, KindInfo] = {k.kind: k for k in _KINDS}


def kind_info(kind: str) -> KindInfo | None:
    return KINDS.get(kind)


def is_known(kind: str) -> bool:
    return kind in KINDS
