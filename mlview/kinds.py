"""The one registry of kinds mlview knows: what to list and how.

Sources (snapshot, live, record), the store and `mlview rbac` all read this table, so a
kind is added in exactly one place. Which tab needs a kind is said by its domain
(mlview/domains.py).
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
    metadata_only: bool = False  # Secrets: never their data
    optional: bool = False  # CRDs that may not be installed

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version


_KINDS = [
    KindInfo("Namespace", "", "v1", "namespaces", False),
    KindInfo("Node", "", "v1", "nodes", False),
    KindInfo("Pod", "", "v1", "pods", True),
    KindInfo("Service", "", "v1", "services", True),
    KindInfo("Endpoints", "", "v1", "endpoints", True),
    KindInfo("ConfigMap", "", "v1", "configmaps", True),
    KindInfo("Secret", "", "v1", "secrets", True, metadata_only=True),
    KindInfo("PersistentVolumeClaim", "", "v1", "persistentvolumeclaims", True),
    KindInfo("PersistentVolume", "", "v1", "persistentvolumes", False),
    KindInfo("Event", "", "v1", "events", True),
    KindInfo("EndpointSlice", "discovery.k8s.io", "v1", "endpointslices", True),
    KindInfo("Ingress", "networking.k8s.io", "v1", "ingresses", True),
    KindInfo("IngressClass", "networking.k8s.io", "v1", "ingressclasses", False),
    KindInfo("NetworkPolicy", "networking.k8s.io", "v1", "networkpolicies", True),
    KindInfo("StorageClass", "storage.k8s.io", "v1", "storageclasses", False),
    KindInfo("CSIDriver", "storage.k8s.io", "v1", "csidrivers", False),
    KindInfo("ReplicaSet", "apps", "v1", "replicasets", True),
    KindInfo("Deployment", "apps", "v1", "deployments", True),
    KindInfo("StatefulSet", "apps", "v1", "statefulsets", True),
    KindInfo("DaemonSet", "apps", "v1", "daemonsets", True),
    KindInfo("ReplicationController", "", "v1", "replicationcontrollers", True),
    KindInfo("Job", "batch", "v1", "jobs", True),
    KindInfo("CronJob", "batch", "v1", "cronjobs", True),
    KindInfo(
        "GatewayClass",
        "gateway.networking.k8s.io",
        "v1",
        "gatewayclasses",
        False,
        optional=True,
    ),
    KindInfo(
        "Gateway",
        "gateway.networking.k8s.io",
        "v1",
        "gateways",
        True,
        optional=True,
    ),
    KindInfo(
        "HTTPRoute",
        "gateway.networking.k8s.io",
        "v1",
        "httproutes",
        True,
        optional=True,
    ),
    KindInfo(
        "GRPCRoute",
        "gateway.networking.k8s.io",
        "v1",
        "grpcroutes",
        True,
        optional=True,
    ),
    KindInfo(
        "ReferenceGrant",
        "gateway.networking.k8s.io",
        "v1beta1",
        "referencegrants",
        True,
        optional=True,
    ),
    KindInfo(
        "BackendConfig",  # GKE: the backend service timeout in front of a Service
        "cloud.google.com",
        "v1",
        "backendconfigs",
        True,
        optional=True,
    ),
    KindInfo(
        "InferenceService",
        "serving.kserve.io",
        "v1beta1",
        "inferenceservices",
        True,
        optional=True,
    ),
]

KINDS: dict[str, KindInfo] = {k.kind: k for k in _KINDS}
