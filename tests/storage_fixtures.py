"""Small dict builders for the storage tests: one line per object in each scenario."""

from __future__ import annotations

from typing import Any

UNSET: Any = object()


def sc(
    name: str,
    provisioner: str = "ebs.csi.aws.com",
    *,
    default: bool = False,
    mode: str = "WaitForFirstConsumer",
    reclaim: str | None = "Retain",
    params: dict[str, str] | None = None,
    created: str = "2026-01-01T00:00:00Z",
    expand: bool = False,
) -> dict[str, Any]:
    ann = {"storageclass.kubernetes.io/is-default-class": "true"} if default else {}
    obj: dict[str, Any] = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": name, "annotations": ann, "creationTimestamp": created},
        "provisioner": provisioner,
        "volumeBindingMode": mode,
        "allowVolumeExpansion": expand,
    }
    if reclaim:
        obj["reclaimPolicy"] = reclaim
    if params:
        obj["parameters"] = params
    return obj


def pvc(
    name: str,
    cls: Any = UNSET,
    *,
    ns: str = "ml",
    modes: tuple[str, ...] = ("ReadWriteOnce",),
    size: str = "10Gi",
    phase: str | None = "Pending",
    volume: str = "",
    volume_mode: str | None = None,
    selector: dict[str, Any] | None = None,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "accessModes": list(modes),
        "resources": {"requests": {"storage": size}},
    }
    if cls is not UNSET:
        spec["storageClassName"] = cls
    if volume:
        spec["volumeName"] = volume
    if volume_mode:
        spec["volumeMode"] = volume_mode
    if selector is not None:
        spec["selector"] = selector
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": ns},
        "spec": spec,
    }
    if phase is not None:
        obj["status"] = {"phase": phase}
        if phase == "Bound":
            obj["status"]["capacity"] = {"storage": size}
    return obj


def pv(
    name: str,
    *,
    cls: str = "",
    size: str = "10Gi",
    modes: tuple[str, ...] = ("ReadWriteOnce",),
    phase: str | None = "Available",
    claim: tuple[str, str] | None = None,
    reclaim: str = "Retain",
    labels: dict[str, str] | None = None,
    driver: str = "",
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "capacity": {"storage": size},
        "accessModes": list(modes),
        "persistentVolumeReclaimPolicy": reclaim,
        "storageClassName": cls,
    }
    spec.update({"csi": {"driver": driver, "volumeHandle": name}} if driver else {"nfs": {}})
    if claim:
        spec["claimRef"] = {"namespace": claim[0], "name": claim[1]}
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name, "labels": labels or {}},
        "spec": spec,
    }
    if phase is not None:
        obj["status"] = {"phase": phase}
    return obj


def pod(
    name: str,
    claims: list[tuple[str, str, str, bool]] = (),  # (volume, claim, mountPath, readOnly)
    *,
    ns: str = "ml",
    node: str = "node-a",
    phase: str = "Running",
    empty_dirs: list[tuple[str, str, bool]] = (),  # (volume, mountPath, readOnly)
    owner: tuple[str, str] | None = None,
    extra_volumes: list[dict[str, Any]] = (),
) -> dict[str, Any]:
    mounts = [{"name": v, "mountPath": p, "readOnly": ro} for v, _, p, ro in claims]
    mounts += [{"name": v, "mountPath": p, "readOnly": ro} for v, p, ro in empty_dirs]
    volumes = [{"name": v, "persistentVolumeClaim": {"claimName": c}} for v, c, _, _ in claims]
    volumes += [{"name": v, "emptyDir": {}} for v, _, _ in empty_dirs]
    volumes += list(extra_volumes)
    meta: dict[str, Any] = {"name": name, "namespace": ns}
    if owner:
        meta["ownerReferences"] = [{"kind": owner[0], "name": owner[1], "controller": True}]
    spec: dict[str, Any] = {
        "containers": [{"name": "main", "image": "x", "volumeMounts": mounts}],
        "volumes": volumes,
    }
    if node:
        spec["nodeName"] = node
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": spec,
        "status": {"phase": phase},
    }


def event(
    kind: str,
    name: str,
    reason: str,
    message: str,
    *,
    ns: str = "ml",
    time: str = "2026-11-27T05:00:00Z",
    type_: str = "Warning",
) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{name}.{reason}.{time}", "namespace": ns},
        "involvedObject": {"kind": kind, "namespace": ns, "name": name},
        "reason": reason,
        "message": message,
        "type": type_,
        "lastTimestamp": time,
        "count": 1,
    }


def csidriver(name: str) -> dict[str, Any]:
    return {"apiVersion": "storage.k8s.io/v1", "kind": "CSIDriver", "metadata": {"name": name}}


# Kinds every scenario lists in full, so absence is a fact unless a test says otherwise.
ALL_KINDS = (
    "Pod",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "StorageClass",
    "CSIDriver",
    "Event",
    "ConfigMap",
    "StatefulSet",
)
