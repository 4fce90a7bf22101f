"""Workloads as the pods they will create (analysis/shared/virtual_pods.py): names, counts,
templates, claims, and "pods that exist win"."""

from __future__ import annotations

from typing import Any

from mlview.analysis import registry
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.virtual_pods import complete, virtual_refs
from mlview.store import StoreView

NS = "ml"


def tpl(labels: dict[str, str], **spec: Any) -> dict:
    spec.setdefault("containers", [{"name": "c", "image": "x"}])
    return {"metadata": {"labels": labels}, "spec": spec}


def workload(kind: str, name: str, replicas: int | None = 1, **extra: Any) -> dict:
    labels = {"app": name}
    spec: dict[str, Any] = {"selector": {"matchLabels": labels}, "template": tpl(labels)}
    if replicas is not None:
        spec["replicas"] = replicas
    spec.update(extra)
    group = "batch/v1" if kind in ("Job", "CronJob") else "apps/v1"
    return {
        "apiVersion": group,
        "kind": kind,
        "metadata": {"name": name, "namespace": NS},
        "spec": spec,
    }


def pod(name: str, labels: dict[str, str], owner: tuple[str, str] | None = None) -> dict:
    meta: dict[str, Any] = {"name": name, "namespace": NS, "labels": labels}
    if owner:
        meta["ownerReferences"] = [{"kind": owner[0], "name": owner[1], "controller": True}]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {"containers": []}}


def virtual(objs: list[dict]) -> list[dict]:
    view = complete(StoreView.from_objects(objs))
    return sorted((p for p in view.list("Pod") if o.virtual_of(p)), key=o.name)


def test_deployment_replicas_become_named_pods_with_the_template() -> None:
    dep = workload("Deployment", "api", 3)
    dep["spec"]["template"]["spec"]["containers"] = [
        {"name": "c", "ports": [{"name": "http", "containerPort": 8080}]}
    ]
    pods = virtual([dep])
    assert len(pods) == 3
    assert len({o.name(p) for p in pods}) == 3
    for p in pods:
        assert o.name(p).startswith("api-") and len(o.name(p)) == len("api-") + 5
        assert o.namespace(p) == NS
        assert o.labels(p) == {"app": "api"}
        assert o.virtual_of(p) == "Deployment ml/api"
        assert o.container_ports(p) == [{"name": "http", "containerPort": 8080}]
        assert "status" not in p  # unknown, not failing
    assert [o.name(p) for p in pods] == [o.name(p) for p in virtual([dep])]  # deterministic


def test_replicas_default_to_one_and_zero_means_none() -> None:
    assert len(virtual([workload("Deployment", "a", None)])) == 1
    assert virtual([workload("Deployment", "a", 0)]) == []


def test_statefulset_pods_and_their_claims() -> None:
    sts = workload(
        "StatefulSet",
        "db",
        2,
        volumeClaimTemplates=[
            {"metadata": {"name": "data"}, "spec": {"storageClassName": "fast"}},
        ],
    )
    existing = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "data-db-1", "namespace": NS},
        "spec": {"storageClassName": "other"},
    }
    view = complete(StoreView.from_objects([sts, existing]))
    names = sorted(o.name(p) for p in view.list("Pod"))
    assert names == ["db-0", "db-1"]
    vols = (view.get("Pod", NS, "db-0") or {})["spec"]["volumes"]
    assert vols == [{"name": "data", "persistentVolumeClaim": {"claimName": "data-db-0"}}]
    claim0 = view.get("PersistentVolumeClaim", NS, "data-db-0") or {}
    assert o.virtual_of(claim0) == "StatefulSet ml/db"
    assert claim0["spec"] == {"storageClassName": "fast"}
    claim1 = view.get("PersistentVolumeClaim", NS, "data-db-1") or {}
    assert not o.virtual_of(claim1)  # the claim that exists wins
    assert "volumes" not in sts["spec"]["template"]["spec"]  # the template is not touched


def test_pods_that_exist_win_through_owner_references() -> None:
    dep = workload("Deployment", "api", 2)
    rs = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": "api-7d9f",
            "namespace": NS,
            "ownerReferences": [{"kind": "Deployment", "name": "api", "controller": True}],
        },
        "spec": {"replicas": 2, "template": tpl({"app": "api"})},
    }
    running = pod("api-7d9f-x1", {"app": "other"}, ("ReplicaSet", "api-7d9f"))
    assert virtual([dep, rs, running]) == []
    # without the pod: the Deployment's pods, not the ReplicaSet's as well
    assert [o.virtual_of(p) for p in virtual([dep, rs])] == ["Deployment ml/api"] * 2
    # a pods-only chain: the ReplicaSet is missing, its name says which Deployment
    named = pod("api-7d9f-x1", {"pod-template-hash": "7d9f"}, ("ReplicaSet", "api-7d9f"))
    assert virtual([dep, named]) == []


def test_job_and_cronjob_chains() -> None:
    cj = workload("CronJob", "nightly", None)
    cj["spec"] = {"jobTemplate": {"spec": {"template": tpl({"app": "nightly"})}}}
    pods = virtual([cj])
    assert [o.virtual_of(p) for p in pods] == ["CronJob ml/nightly"]
    assert o.labels(pods[0]) == {"app": "nightly"}
    job = workload("Job", "nightly-2901", None)
    job["metadata"]["ownerReferences"] = [{"kind": "CronJob", "name": "nightly", "controller": 1}]
    running = pod("nightly-2901-abc", {"app": "nightly"}, ("Job", "nightly-2901"))
    assert virtual([cj, job, running]) == []
    assert len(virtual([cj, job])) == 1  # the Job is left to its CronJob
    cj["spec"]["suspend"] = True
    assert virtual([cj]) == []
    done = workload("Job", "once", None)
    done["status"] = {"completionTime": "2026-01-01T00:00:00Z"}
    assert virtual([done]) == []


def test_pods_without_owner_references_match_by_selector() -> None:
    assert virtual([workload("Deployment", "api", 2), pod("hand-made", {"app": "api"})]) == []


def test_daemonset_one_pod_per_matching_node() -> None:
    ds = workload("DaemonSet", "agent", None)
    assert len(virtual([ds])) == 1  # no node known
    nodes = [
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": f"n{i}", "labels": lab}}
        for i, lab in enumerate([{"gpu": "yes"}, {}, {"gpu": "yes"}])
    ]
    assert len(virtual([ds, *nodes])) == 3
    ds["spec"]["template"]["spec"]["nodeSelector"] = {"gpu": "yes"}
    assert len(virtual([ds, *nodes])) == 2


def test_replication_controller_selector_is_a_map() -> None:
    rc = workload("ReplicationController", "legacy", 1)
    rc["apiVersion"] = "v1"
    rc["spec"]["selector"] = {"app": "legacy"}
    assert len(virtual([rc])) == 1
    assert virtual([rc, pod("legacy-x", {"app": "legacy"})]) == []


def test_complete_is_idempotent_and_a_no_op_without_virtual_pods() -> None:
    base = StoreView.from_objects([pod("p", {"app": "x"})])
    assert complete(base) is base
    full = complete(StoreView.from_objects([workload("Deployment", "a", 1)]))
    assert complete(full) is full
    assert virtual_refs(full) == [o.ref(full.list("Pod")[0])]
    assert full.has_listed("Pod")


def test_findings_on_virtual_objects_say_who_would_create_them() -> None:
    sts = workload(
        "StatefulSet",
        "db",
        1,
        volumeClaimTemplates=[
            {
                "metadata": {"name": "data"},
                "spec": {
                    "storageClassName": "nosuch",
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Gi"}},
                },
            }
        ],
    )
    sc = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": "standard"},
        "provisioner": "ebs.csi.aws.com",
    }
    found, errors = registry.run_checked(StoreView.from_objects([sts, sc]))
    assert not errors
    missing = [f for f in found if f.code == "pvc-storageclass-missing"]
    assert [(f.namespace, f.name) for f in missing] == [(NS, "data-db-0")]
    assert missing[0].message.endswith(
        "(virtual PersistentVolumeClaim: would be created by StatefulSet ml/db)"
    )
