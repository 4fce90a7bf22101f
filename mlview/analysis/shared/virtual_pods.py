"""Workloads as the pods they will create, when their pods are not in the snapshot.

A manifest folder (helm template, kustomize, a repo's k8s/) holds Deployments, StatefulSets,
DaemonSets, Jobs and CronJobs, never Pods; a dump may lack a workload's pods. Each such workload's
pod template then stands for its pods, named as the controller would name them (StatefulSet
`name-0`, `name-1`, ...; the others `name-<suffix>`), in its namespace, with the template's
labels, containers, ports and volumes, and no status (an unknown IP and readiness, not "not
ready"). A StatefulSet's volumeClaimTemplates become the claims the controller will create
(`<template>-<sts>-<i>`), mounted by its pods.

Pods that exist win: a workload any pod belongs to (ownerReferences Pod -> ReplicaSet ->
Deployment, Pod -> Job -> CronJob, or the workload's selector) adds none, and a ReplicaSet or Job
whose owner is in the snapshot is left to that owner: nothing is counted twice.

Every derived object carries the annotation `mlview.io/virtual: "<Kind> ns/name"` (see
objects.virtual_of). `complete(view)` returns the view with them added, once per view.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping
from typing import Any

from mlview import selectors
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.objects import VIRTUAL_ANNOTATION
from mlview.store import StoreView

# Outermost first: an owned ReplicaSet or Job is left to its Deployment or CronJob.
WORKLOAD_KINDS = (
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "CronJob",
    "ReplicaSet",
    "ReplicationController",
    "Job",
)
_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # the one Kubernetes uses for random names
MAX_REPLICAS = 1000  # a typo'd replica count must not flood the analysis


def complete(view: StoreView) -> StoreView:
    """The view with the virtual pods and claims added (the view itself when there are none)."""
    if view.memo(("virtual", "is-complete"), lambda: False):
        return view

    def build() -> StoreView:
        pods, claims = derive(view)
        if not pods:
            return view
        extra: dict[str, list[dict[str, Any]]] = {"Pod": pods}
        listed = ["Pod"]
        if claims:
            extra["PersistentVolumeClaim"] = claims
            listed.append("PersistentVolumeClaim")
        full = view.with_objects(extra, listed)
        full.memo(("virtual", "is-complete"), lambda: True)
        full.memo(("virtual", "view"), lambda: full)
        return full

    return view.memo(("virtual", "view"), build)


def virtual_refs(view: StoreView) -> list[str]:
    """ns/name of every virtual pod in a (completed) view, sorted."""
    return sorted(o.ref(p) for p in view.list("Pod") if o.virtual_of(p))


def template_of(kind: str, wl: Mapping[str, Any]) -> Mapping[str, Any]:
    spec = wl.get("spec") or {}
    if kind == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
    tpl = spec.get("template") if isinstance(spec, Mapping) else None
    return tpl if isinstance(tpl, Mapping) else {}


def workload_templates(view: StoreView) -> list[tuple[str, Mapping[str, Any]]]:
    """(kind, workload) of every workload with a pod template, outermost owners only."""

    def build() -> list[tuple[str, Mapping[str, Any]]]:
        out: list[tuple[str, Mapping[str, Any]]] = []
        for kind in WORKLOAD_KINDS:
            for wl in view.list(kind):
                if isinstance(wl, Mapping) and not _owner_present(view, wl):
                    out.append((kind, wl))
        return out

    return view.memo(("virtual", "workloads"), build)


def derive(view: StoreView) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(virtual pods, virtual claims) for the workloads whose pods are not in the view."""
    templates = workload_templates(view)
    if not templates:  # a pods-only dump: nothing to walk
        return [], []
    owned = _owners_with_pods(view)
    pods: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    for kind, wl in templates:
        ns, nm = o.namespace(wl), o.name(wl)
        if not nm or (kind, ns, nm) in owned or _selector_has_pods(view, kind, wl):
            continue
        tpl = template_of(kind, wl)
        for i in range(_replicas(view, kind, wl, tpl)):
            pod_name = f"{nm}-{i}" if kind == "StatefulSet" else f"{nm}-{_suffix(kind, ns, nm, i)}"
            pod = _pod(kind, wl, tpl, pod_name)
            if kind == "StatefulSet":
                claims.extend(_claims(view, wl, pod, i))
            pods.append(pod)
    return pods, claims


def _owner_present(view: StoreView, wl: Mapping[str, Any]) -> bool:
    owners = o.meta(wl).get("ownerReferences") or []
    return any(
        isinstance(r, Mapping)
        and r.get("controller")
        and view.get(str(r.get("kind") or ""), o.namespace(wl), str(r.get("name") or ""))
        is not None
        for r in owners
    )


def _owners_with_pods(view: StoreView) -> set[tuple[str, str, str]]:
    """(kind, ns, name) of every owner on the ownerReferences chain of a pod in the view."""
    found: set[tuple[str, str, str]] = set()
    for pod in view.list("Pod"):
        ns = o.namespace(pod)
        kind, nm = o.owner_workload(view, pod)  # a missing ReplicaSet read as its Deployment
        found.add((kind, ns, nm))
        current: Mapping[str, Any] | None = pod
        for _ in range(5):  # chains are short; bad data may loop
            owners = o.meta(current or {}).get("ownerReferences") or []
            ctrl = next(
                (r for r in owners if isinstance(r, Mapping) and r.get("controller")),
                owners[0] if owners and isinstance(owners[0], Mapping) else None,
            )
            if not ctrl:
                break
            kind, nm = str(ctrl.get("kind") or ""), str(ctrl.get("name") or "")
            found.add((kind, ns, nm))
            current = view.get(kind, ns, nm)
            if current is None:
                break
    return found


def _selector_has_pods(view: StoreView, kind: str, wl: Mapping[str, Any]) -> bool:
    """Pods without ownerReferences (hand-written dumps) still belong to the workload whose
    selector picks them."""
    if not view.count("Pod"):
        return False
    spec = wl.get("spec") or {}
    sel = spec.get("selector") if kind not in ("CronJob", "Job") else None
    if kind == "Job":
        sel = {"matchLabels": {"job-name": o.name(wl)}}
    if kind == "CronJob" or not sel:
        return False
    if kind == "ReplicationController" and isinstance(sel, Mapping):
        sel = {"matchLabels": dict(sel)}
    try:
        return bool(view.select("Pod", o.namespace(wl), sel))
    except (selectors.SelectorError, AttributeError, TypeError):
        return False


def _replicas(view: StoreView, kind: str, wl: Mapping[str, Any], tpl: Mapping[str, Any]) -> int:
    spec = wl.get("spec") or {}
    if kind == "DaemonSet":
        node_sel = (tpl.get("spec") or {}).get("nodeSelector") or {}
        nodes = view.list("Node")
        if not nodes:
            return 1
        if isinstance(node_sel, Mapping) and node_sel:
            return sum(1 for n in nodes if selectors.matches_map(node_sel, o.labels(n)))
        return len(nodes)
    if kind in ("Job", "CronJob"):
        if spec.get("suspend") is True:
            return 0
        if kind == "Job":
            status = wl.get("status") or {}
            if isinstance(status, Mapping) and status.get("completionTime"):
                return 0  # finished: its pods are gone for good
        else:
            spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
        return _count(spec.get("parallelism"))
    return _count(spec.get("replicas"))


def _count(raw: Any) -> int:
    if raw is None:
        return 1
    try:
        return max(0, min(int(raw), MAX_REPLICAS))
    except (TypeError, ValueError):
        return 1


def _suffix(kind: str, ns: str, nm: str, i: int) -> str:
    digest = hashlib.sha1(f"{kind}/{ns}/{nm}/{i}".encode()).digest()
    return "".join(_SUFFIX_ALPHABET[b % len(_SUFFIX_ALPHABET)] for b in digest[:5])


def _pod(kind: str, wl: Mapping[str, Any], tpl: Mapping[str, Any], pod_name: str) -> dict:
    ns = o.namespace(wl)
    tmeta = tpl.get("metadata") or {}
    labels = tmeta.get("labels") if isinstance(tmeta, Mapping) else None
    ann = tmeta.get("annotations") if isinstance(tmeta, Mapping) else None
    spec = tpl.get("spec")
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": pod_name,
            "namespace": ns,
            "labels": dict(labels) if isinstance(labels, Mapping) else {},
            "annotations": {
                **(dict(ann) if isinstance(ann, Mapping) else {}),
                VIRTUAL_ANNOTATION: f"{kind} {ns}/{o.name(wl)}",
            },
            "ownerReferences": [
                {
                    "apiVersion": str(wl.get("apiVersion") or ""),
                    "kind": kind,
                    "name": o.name(wl),
                    "controller": True,
                }
            ],
        },
        # shared with the template (analysis never writes), except a StatefulSet's: its claims
        # are added to the volumes of a copy
        "spec": _spec_for(kind, spec),
    }


def _spec_for(kind: str, spec: Any) -> dict:
    if not isinstance(spec, Mapping):
        return {}
    if kind != "StatefulSet":
        return spec if isinstance(spec, dict) else dict(spec)
    copied = dict(spec)
    volumes = copied.get("volumes")
    copied["volumes"] = list(volumes) if isinstance(volumes, list) else []
    return copied


def _claims(view: StoreView, sts: Mapping[str, Any], pod: dict, i: int) -> list[dict]:
    """The claims of replica i, mounted by its pod; a claim already in the view wins."""
    ns, sts_name = o.namespace(sts), o.name(sts)
    out = []
    volumes = pod["spec"]["volumes"]
    for tpl in (sts.get("spec") or {}).get("volumeClaimTemplates") or []:
        if not isinstance(tpl, Mapping) or not o.name(tpl):
            continue
        claim_name = f"{o.name(tpl)}-{sts_name}-{i}"
        if not any(isinstance(v, Mapping) and v.get("name") == o.name(tpl) for v in volumes):
            claim = {"claimName": claim_name}
            volumes.append({"name": o.name(tpl), "persistentVolumeClaim": claim})
        if view.get("PersistentVolumeClaim", ns, claim_name) is not None:
            continue
        tmeta = tpl.get("metadata") or {}
        labels = tmeta.get("labels") if isinstance(tmeta, Mapping) else None
        out.append(
            {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": {
                    "name": claim_name,
                    "namespace": ns,
                    "labels": dict(labels) if isinstance(labels, Mapping) else {},
                    "annotations": {VIRTUAL_ANNOTATION: f"StatefulSet {ns}/{sts_name}"},
                },
                "spec": copy.deepcopy(dict(tpl.get("spec") or {})),
            }
        )
    return out
