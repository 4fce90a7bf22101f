"""mlview.analysis.diff: findings, routes, storage and objects, one semantic point per test."""

from __future__ import annotations

import copy

from mlview.analysis.diff import (
    ADDED,
    CHANGED,
    NEW,
    REMOVED,
    RESOLVED,
    baseline_filter,
    compare,
    compare_findings,
    compare_objects,
    compare_routes,
    compare_storage,
)
from mlview.analysis.findings import Finding, Severity
from mlview.store import StoreView
from tests import ingress_fixtures as ing
from tests import storage_fixtures as sf


def view(objs, listed=None):
    return StoreView.from_objects(copy.deepcopy(list(objs)), listed)


# ---------------------------------------------------------------- findings


def f(code, name, message="m", severity=Severity.ERROR):
    return Finding(code, severity, "Ingress", "ml", name, message, "")


def test_a_finding_appears_and_one_resolves():
    old = [f("a", "x"), f("b", "y")]
    new = [f("b", "y"), f("c", "z", severity=Severity.WARNING)]
    changes = compare_findings(old, new)
    assert [(c.change, c.finding.code) for c in changes] == [(NEW, "c"), (RESOLVED, "a")]


def test_findings_are_matched_by_code_and_object_not_by_message():
    # a message that changed (a count, a value) is neither new nor resolved
    assert compare_findings([f("a", "x", "3 pods")], [f("a", "x", "4 pods")]) == []
    # two of one code on one object, one goes: one resolved, matched message by message
    changes = compare_findings(
        [f("a", "x", "port 80"), f("a", "x", "port 81")], [f("a", "x", "port 81")]
    )
    assert [(c.change, c.finding.message) for c in changes] == [(RESOLVED, "port 80")]


def test_baseline_filter_keeps_only_what_the_baseline_lacks():
    kept, hidden = baseline_filter([f("a", "x"), f("c", "z")], [f("a", "x"), f("b", "y")])
    assert [k.code for k in kept] == ["c"] and hidden == 1


def test_a_finding_appears_end_to_end():
    old = ing.platform(ing.ingress("api", [ing.path("/", "svc")]), *ing.backend_set("svc", ready=2))
    new = ing.platform(ing.ingress("api", [ing.path("/", "svc")]), *ing.backend_set("svc", ready=0))
    d = compare(view(old), view(new))
    assert "ingress-backend-no-ready-endpoints" in {x.code for x in d.new_findings}
    back = compare(view(new), view(old))
    assert "ingress-backend-no-ready-endpoints" in {x.code for x in back.resolved_findings}


# ---------------------------------------------------------------- routes

P = ing.P


def test_a_routes_backend_and_effective_timeout_change_with_their_sources():
    old = ing.platform(
        ing.ingress(
            "api", [ing.path("/v1", "svc-a")], annotations={P + "proxy-read-timeout": "300"}
        ),
        *ing.backend_set("svc-a", ready=2),
        *ing.backend_set("svc-b", ready=1),
    )
    new = copy.deepcopy(old)
    new[3] = ing.ingress("api", [ing.path("/v1", "svc-b")])
    new[2] = ing.configmap({"proxy-read-timeout": "120"})
    (change,) = compare_routes(view(old), view(new))
    assert (change.kind, change.namespace, change.name, change.change) == (
        "Ingress",
        "ml",
        "api",
        CHANGED,
    )
    assert change.url == "api.example.com/v1"
    fields = {c.path: (c.old, c.new) for c in change.fields}
    assert fields["backend"] == ("svc-a:80", "svc-b:80")
    assert fields["readyEndpoints"] == (2, 1)
    old_t, new_t = fields["proxy-read-timeout"]
    assert old_t == f"300 (annotation {P}proxy-read-timeout)"
    assert new_t.startswith("120 (") and "ConfigMap ingress-nginx/ingress-nginx-controller" in new_t


def test_routes_added_and_removed_and_a_rule_inserted_above_changes_nothing_else():
    old = ing.platform(ing.ingress("api", [ing.path("/a", "svc")]), *ing.backend_set("svc"))
    new = ing.platform(
        ing.ingress("api", [ing.path("/new", "svc"), ing.path("/a", "svc")]),
        *ing.backend_set("svc"),
    )
    changes = compare_routes(view(old), view(new))
    assert [(c.change, c.url) for c in changes] == [(ADDED, "api.example.com/new")]
    gone = compare_routes(view(new), view(old))
    assert [(c.change, c.url) for c in gone] == [(REMOVED, "api.example.com/new")]


# ---------------------------------------------------------------- storage


def test_a_claims_class_changes():
    classes = [sf.sc("wffc"), sf.sc("immediate", mode="Immediate")]
    old = [*classes, sf.pvc("data", "wffc", phase="Bound", volume="pv-1")]
    new = [*classes, sf.pvc("data", "immediate", phase="Pending")]
    changes = compare_storage(view(old), view(new))
    (claim,) = [c for c in changes if c.kind == "PersistentVolumeClaim"]
    assert (claim.namespace, claim.name, claim.change) == ("ml", "data", CHANGED)
    fields = {c.path: (c.old, c.new) for c in claim.fields}
    assert fields["storageClass"] == ("wffc", "immediate")
    assert fields["bindingMode"] == ("WaitForFirstConsumer", "Immediate")
    assert fields["phase"] == ("Bound", "Pending")
    assert fields["volume"] == ("pv-1", "")


def test_a_volume_released_and_a_reclaim_policy_changed():
    old = [sf.pv("pv-1", phase="Bound", claim=("ml", "data"), reclaim="Delete")]
    new = [sf.pv("pv-1", phase="Released", claim=("ml", "data"), reclaim="Retain")]
    (change,) = compare_storage(view(old), view(new))
    assert {c.path: (c.old, c.new) for c in change.fields} == {
        "phase": ("Bound", "Released"),
        "reclaimPolicy": ("Delete", "Retain"),
    }


# ---------------------------------------------------------------- objects


def deployment(image="app:v1", **meta):
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "api", "namespace": "ml", "labels": {"app": "api"}, **meta},
        "spec": {
            "replicas": 2,
            "template": {"spec": {"containers": [{"name": "main", "image": image}]}},
        },
        "status": {"replicas": 2, "conditions": [{"type": "Available", "lastUpdateTime": "t1"}]},
    }


def rs_pod(name, rs="api-aaa"):
    return {
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": "ml",
            "labels": {"app": "api", "pod-template-hash": rs.rsplit("-", 1)[1]},
            "ownerReferences": [{"kind": "ReplicaSet", "name": rs, "controller": True}],
        },
        "spec": {"containers": [{"name": "main", "image": "app:v1"}]},
        "status": {"phase": "Running", "podIP": "10.0.0.1"},
    }


def test_noise_only_changes_give_an_empty_diff():
    node = {
        "kind": "Node",
        "metadata": {"name": "n1", "resourceVersion": "1", "uid": "u1"},
        "spec": {},
        "status": {"conditions": [{"type": "Ready", "lastHeartbeatTime": "10:00"}]},
    }
    old = [deployment(resourceVersion="1", uid="a", generation=1, creationTimestamp="t0"), node]
    noisy_dep = deployment(
        resourceVersion="2",
        uid="b",
        generation=2,
        creationTimestamp="t1",
        managedFields=[{"manager": "kubectl"}],
        annotations={
            "kubectl.kubernetes.io/last-applied-configuration": '{"x": 1}',
            "deployment.kubernetes.io/revision": "2",
        },
    )
    noisy_dep["status"]["conditions"][0]["lastUpdateTime"] = "t2"
    noisy_node = copy.deepcopy(node)
    noisy_node["metadata"]["resourceVersion"] = "2"
    noisy_node["status"]["conditions"][0]["lastHeartbeatTime"] = "10:01"
    d = compare(view(old), view([noisy_dep, noisy_node]))
    assert d.empty
    assert (d.findings, d.reachability, d.routes, d.storage) == ((), (), (), ())
    assert d.objects.added == d.objects.removed == d.objects.changed == d.objects.pods == ()


def test_field_level_changes_of_spec_labels_and_annotations():
    old = deployment()
    new = deployment(image="app:v2", annotations={"team": "ml"})
    new["metadata"]["labels"]["app.kubernetes.io/version"] = "2"
    (changed,) = compare_objects(view([old]), view([new])).changed
    assert [(c.path, c.old, c.new) for c in changed.fields] == [
        ("labels[app.kubernetes.io/version]", None, "2"),
        ("annotations.team", None, "ml"),
        ("spec.template.spec.containers[main].image", "app:v1", "app:v2"),
    ]


def test_a_rollout_is_one_line():
    old = [deployment(), *[rs_pod(f"api-aaa-{i}") for i in range(12)]]
    new = [deployment(image="app:v2"), *[rs_pod(f"api-bbb-{i}", "api-bbb") for i in range(12)]]
    objs = compare_objects(view(old), view(new))
    assert [(p.workload.text, p.text) for p in objs.pods] == [
        ("Deployment/ml/api", "replaced 12 pods")
    ]
    assert not objs.added and not objs.removed  # pods are never listed one by one
    assert [c.ref.text for c in objs.changed] == ["Deployment/ml/api"]


def test_scaling_is_said_per_workload():
    old = [deployment(), rs_pod("api-aaa-0"), rs_pod("api-aaa-1")]
    new = [deployment(), rs_pod("api-aaa-0"), rs_pod("api-aaa-1"), rs_pod("api-aaa-2")]
    (summary,) = compare_objects(view(old), view(new)).pods
    assert summary.text == "1 pod added"


def test_secret_values_never_show():
    def secret(value):
        return {
            "kind": "Secret",
            "metadata": {"name": "s", "namespace": "ml"},
            "data": {"k": value},
        }

    (changed,) = compare_objects(view([secret("c2VjcmV0")]), view([secret("b3RoZXI=")])).changed
    assert [(c.path, c.old, c.new) for c in changed.fields] == [("data.k", "(hidden)", "(changed)")]


def test_a_manifest_against_a_recorded_object_compares_only_what_the_manifest_sets():
    recorded = {
        "kind": "Service",
        "metadata": {"name": "svc", "namespace": "ml", "uid": "u", "resourceVersion": "9"},
        "spec": {"clusterIP": "10.96.0.7", "type": "ClusterIP", "ports": [{"port": 80}]},
    }
    manifest = {
        "kind": "Service",
        "metadata": {"name": "svc", "namespace": "ml"},
        "spec": {"ports": [{"port": 80}]},
    }
    assert compare_objects(view([recorded]), view([manifest])).changed == ()
    manifest["spec"]["ports"][0]["port"] = 81
    (changed,) = compare_objects(view([recorded]), view([manifest])).changed
    assert [(c.path, c.old, c.new) for c in changed.fields] == [("spec.ports[0].port", 80, 81)]


def test_objects_added_and_removed():
    a = {"kind": "ConfigMap", "metadata": {"name": "a", "namespace": "ml"}, "data": {}}
    b = {"kind": "StorageClass", "metadata": {"name": "b"}, "provisioner": "x"}
    objs = compare_objects(view([a]), view([b]))
    assert [r.text for r in objs.added] == ["StorageClass/b"]
    assert [r.text for r in objs.removed] == ["ConfigMap/ml/a"]


def test_a_pod_changed_in_place_is_counted_and_its_noise_is_not():
    """Equal pods are skipped as read; a pod differing only in noise (status, resourceVersion,
    last-applied) is not counted; one whose spec changed is."""
    old = [deployment(), rs_pod("api-aaa-0"), rs_pod("api-aaa-1"), rs_pod("api-aaa-2")]
    new = copy.deepcopy(old)
    noisy = new[1]
    noisy["metadata"]["resourceVersion"] = "9"
    noisy["metadata"]["annotations"] = {"kubectl.kubernetes.io/last-applied-configuration": "{}"}
    noisy["status"]["podIP"] = "10.0.0.9"
    new[2]["spec"]["containers"][0]["image"] = "app:v2"
    (summary,) = compare_objects(view(old), view(new)).pods
    assert (summary.workload.text, summary.text) == ("Deployment/ml/api", "1 pod changed")


def test_the_collector_is_paused_for_a_comparison_and_restored_after(monkeypatch):
    """compare() runs with the cyclic GC off (its full passes would walk both snapshots for
    nothing) and leaves it as it found it, also when the comparison raises."""
    import gc

    from mlview.analysis import diff

    seen = []

    def spy(old, new):
        seen.append(gc.isenabled())
        return compare_objects(old, new)

    monkeypatch.setattr(diff, "compare_objects", spy)
    was = gc.isenabled()
    try:
        gc.enable()
        compare(view([deployment()]), view([deployment()]))
        assert seen == [False] and gc.isenabled()
        gc.disable()
        compare(view([deployment()]), view([deployment()]))
        assert seen == [False, False] and not gc.isenabled()
        gc.enable()

        def boom(old, new):
            raise RuntimeError("bad input")

        monkeypatch.setattr(diff, "compare_objects", boom)
        try:
            compare(view([deployment()]), view([deployment()]))
        except RuntimeError:
            pass
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
