"""Small accessors shared by analyzers: names, labels, owners, pod readiness, volumes."""

# No `from __future__ import annotations` here: it would be shadowed by annotations() below
# (and type checkers would see the __future__ feature at `o.annotations(...)`).
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlview.store import StoreView

Obj = Mapping[str, Any]

# On pods and claims derived from a workload's template (shared/virtual_pods.py): the workload
# that would create them, "Deployment ns/name".
VIRTUAL_ANNOTATION = "mlview.io/virtual"


def meta(obj: Obj) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def name(obj: Obj) -> str:
    return meta(obj).get("name") or ""


def namespace(obj: Obj) -> str:
    return meta(obj).get("namespace") or ""


def labels(obj: Obj) -> Mapping[str, str]:
    return meta(obj).get("labels") or {}


def annotations(obj: Obj) -> Mapping[str, str]:
    return meta(obj).get("annotations") or {}


def virtual_of(obj: Obj) -> str:
    """ "Deployment ns/name" for a pod or claim that does not exist yet but would be created by
    that workload; "" for a real object."""
    ann = annotations(obj)
    return str(ann.get(VIRTUAL_ANNOTATION) or "") if isinstance(ann, Mapping) else ""


def has_ip(pod: Obj) -> bool:
    """A pod that has (or, being virtual, will have) an IP: connections to it can be judged."""
    return bool((pod.get("status") or {}).get("podIP")) or bool(virtual_of(pod))


def ref(obj: Obj) -> str:
    ns = namespace(obj)
    return f"{ns}/{name(obj)}" if ns else name(obj)


def pod_phase(pod: Obj) -> str:
    return (pod.get("status") or {}).get("phase") or "Unknown"


def pod_ready(pod: Obj) -> bool:
    for cond in (pod.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return cond.get("status") == "True"
    return False


def pod_restarts(pod: Obj) -> int:
    return sum(
        int(cs.get("restartCount") or 0)
        for cs in (pod.get("status") or {}).get("containerStatuses") or []
    )


def pod_problem(pod: Obj) -> str:
    """The most telling reason a pod is not ready: waiting reason, condition message, phase."""
    status = pod.get("status") or {}
    for cs in status.get("containerStatuses") or []:
        waiting = (cs.get("state") or {}).get("waiting")
        if waiting and waiting.get("reason"):
            return str(waiting["reason"])
        if not cs.get("ready") and (cs.get("state") or {}).get("running"):
            return "not ready (readiness probe)"
    for cond in status.get("conditions") or []:
        if cond.get("status") == "False" and cond.get("reason"):
            msg = cond.get("message") or ""
            return f"{cond['reason']}: {msg}" if msg else str(cond["reason"])
    return pod_phase(pod)


def pod_containers(pod: Obj) -> list[Mapping[str, Any]]:
    spec = pod.get("spec") or {}
    return list(spec.get("containers") or []) + list(spec.get("initContainers") or [])


def container_ports(pod: Obj) -> list[Mapping[str, Any]]:
    return [p for c in pod_containers(pod) for p in c.get("ports") or []]


def owner_workload(view: StoreView, obj: Obj) -> tuple[str, str]:
    """The top controller of an object: Pod -> ReplicaSet -> Deployment, Pod -> Job, ...

    Falls back to the nearest owner named in ownerReferences when the owner object itself is
    not in the store (a pods-only dump), except that a missing ReplicaSet named
    `<deployment>-<pod-template-hash>` is read as its Deployment, as the Deployment controller
    names it; and to ("Pod", name) for a bare pod.
    """
    kind, nm = obj.get("kind") or "", name(obj)
    ns = namespace(obj)
    current: Obj | None = obj
    for _ in range(5):  # owner chains are short; guard against cycles in bad data
        owners = meta(current or {}).get("ownerReferences") or []
        ctrl = next((o for o in owners if o.get("controller")), owners[0] if owners else None)
        if not ctrl:
            break
        kind, nm = ctrl.get("kind") or kind, ctrl.get("name") or nm
        previous, current = current, view.get(kind, ns, nm)
        if current is None:
            tpl_hash = str(labels(previous or {}).get("pod-template-hash") or "")
            if kind == "ReplicaSet" and tpl_hash and nm.endswith("-" + tpl_hash):
                return "Deployment", nm[: -len(tpl_hash) - 1]
            break
    return kind, nm


@dataclass(frozen=True)
class Ref:
    kind: str
    namespace: str
    name: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "namespace": self.namespace, "name": self.name}

    @property
    def text(self) -> str:
        return (
            f"{self.kind}/{self.namespace}/{self.name}"
            if self.namespace
            else (f"{self.kind}/{self.name}")
        )
