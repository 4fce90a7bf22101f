"""Storage rows, claim detail, the provisioner table and bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mlview.analysis import storage
from mlview.analysis.storage import provisioners as prov
from mlview.analysis.storage.model import parse_quantity
from mlview.store import StoreView
from tests.storage_fixtures import ALL_KINDS, csidriver, event, pod, pv, pvc, sc


def view_of(objs, listed=ALL_KINDS):
    return StoreView.from_objects(objs, listed_kinds=listed)


def row_of(objs, name="data"):
    return next(r for r in storage.claim_rows(view_of(objs)) if r.name == name)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("10Gi", 10 * 2**30),
        ("0.5Ti", 2**39),
        ("500G", 500 * 10**9),
        ("1e3", 1000),
        ("1500m", Decimal("1.5")),
        ("12", 12),
        ("abc", None),
        ("", None),
        (None, None),
        ("10 Gi", None),
    ],
)
def test_parse_quantity(text, value):
    assert parse_quantity(text) == (None if value is None else Decimal(value))


@pytest.mark.parametrize(
    ("claim", "classes", "expect"),
    [
        (pvc("data", "fast"), [sc("fast")], ("fast", "named", True)),
        (pvc("data", "ghost"), [sc("fast")], ("ghost", "named", False)),
        (pvc("data"), [sc("fast", default=True)], ("fast", "default", True)),
        (pvc("data"), [sc("fast")], ("", "none", None)),
        (pvc("data", ""), [sc("fast", default=True)], ("", "static", None)),
    ],
)
def test_class_resolution(claim, classes, expect):
    row = row_of([claim, *classes])
    assert (row.storage_class, row.class_source, row.class_exists) == expect


def test_beta_annotation_wins_over_field():
    claim = pvc("data", "fast")
    claim["metadata"]["annotations"] = {"volume.beta.kubernetes.io/storage-class": "slow"}
    row = row_of([claim, sc("fast"), sc("slow", mode="Immediate")])
    assert (row.storage_class, row.class_source, row.binding_mode) == (
        "slow",
        "annotation",
        "Immediate",
    )


def test_bound_claim_row():
    objs = [
        sc("gp3", reclaim="Delete"),
        pvc(
            "data",
            "gp3",
            phase="Bound",
            volume="pv-1",
            size="100Gi",
            modes=("ReadWriteOnce", "ReadWriteOncePod"),
        ),
        pv(
            "pv-1",
            cls="gp3",
            phase="Bound",
            claim=("ml", "data"),
            reclaim="Retain",
            driver="ebs.csi.aws.com",
        ),
    ]
    row = row_of(objs)
    assert row.phase == "Bound" and row.volume == "pv-1"
    assert (row.requested, row.capacity) == ("100Gi", "100Gi")
    assert row.modes_short == "RWO,RWOP"
    assert (row.provisioner, row.binding_mode) == ("ebs.csi.aws.com", "WaitForFirstConsumer")
    assert (row.reclaim_policy, row.reclaim_from) == ("Retain", "pv")


def test_reclaim_from_class_defaults_to_delete():
    row = row_of([sc("gp3", reclaim=None), pvc("data", "gp3")])
    assert (row.reclaim_policy, row.reclaim_from) == ("Delete", "class")


def test_consumers_with_mounts_nodes_and_readonly():
    p1 = pod("a", [("d", "data", "/data", True)], node="n1")
    p2 = pod("b", [("d", "data", "/data", False)], node="n2", phase="Succeeded")
    # readOnly on the pod's volume source makes every mount read-only
    p3 = pod("c", [("d", "data", "/in", False)], node="n3")
    p3["spec"]["volumes"][0]["persistentVolumeClaim"]["readOnly"] = True
    row = row_of([pvc("data", "x"), p1, p2, p3])
    by_pod = {c.pod: c for c in row.consumers}
    assert set(by_pod) == {"a", "b", "c"}
    assert by_pod["a"].node == "n1" and by_pod["a"].mounts[0].path == "/data"
    assert by_pod["a"].read_only and not by_pod["b"].read_only and by_pod["c"].read_only
    assert {c.pod for c in row.active_consumers} == {"a", "c"}


def test_ephemeral_volume_claim_counts_as_consumer():
    p = pod(
        "train-0",
        extra_volumes=[{"name": "scratch", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}}],
    )
    p["spec"]["containers"][0]["volumeMounts"] = [{"name": "scratch", "mountPath": "/scratch"}]
    row = row_of([pvc("train-0-scratch", "x"), p], name="train-0-scratch")
    (c,) = row.consumers
    assert (c.pod, c.via, c.mounts[0].path) == ("train-0", "ephemeral", "/scratch")


def test_statefulset_template_claim_counts_as_consumer():
    sts = {
        "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "ml"},
        "spec": {"volumeClaimTemplates": [{"metadata": {"name": "ckpt"}}]},
    }
    p = pod("db-0", owner=("StatefulSet", "db"))
    p["spec"]["containers"][0]["volumeMounts"] = [{"name": "ckpt", "mountPath": "/ckpt"}]
    row = row_of([sts, p, pvc("ckpt-db-0", "x")], name="ckpt-db-0")
    (c,) = row.consumers
    assert (c.pod, c.via, c.mounts[0].path) == ("db-0", "statefulset", "/ckpt")


def test_pv_and_class_rows():
    v = view_of(
        [
            sc("gp3", default=True, params={"type": "gp3"}, expand=True),
            sc("old", "kubernetes.io/aws-ebs", reclaim=None, mode=None),
            pvc("data"),
            pv("pv-1", cls="gp3", phase="Released", claim=("ml", "gone"), driver="ebs.csi.aws.com"),
            pv("pv-2"),
        ]
    )
    pvs = {r.name: r for r in storage.pv_rows(v)}
    assert pvs["pv-1"].claim == "ml/gone" and pvs["pv-1"].source == "ebs.csi.aws.com"
    assert pvs["pv-2"].source == "nfs" and pvs["pv-2"].storage_class == ""
    classes = {r.name: r for r in storage.class_rows(v)}
    assert classes["gp3"].is_default and classes["gp3"].allow_expansion
    assert classes["gp3"].parameters == (("type", "gp3"),) and classes["gp3"].claims == 1
    assert (classes["old"].reclaim_policy, classes["old"].binding_mode) == ("Delete", "Immediate")


def test_claim_detail_chain_events_and_findings():
    objs = [
        sc("gp3"),
        pvc("data", "gp3"),
        csidriver("efs.csi.aws.com"),
        pod("train", [("d", "data", "/data", False)], node="", phase="Pending"),
        event(
            "PersistentVolumeClaim",
            "data",
            "ExternalProvisioning",
            "waiting 1",
            time="2026-11-27T04:00:00Z",
            type_="Normal",
        ),
        event(
            "PersistentVolumeClaim",
            "data",
            "ExternalProvisioning",
            "waiting 2",
            time="2026-11-27T05:00:00Z",
            type_="Normal",
        ),
        event("Pod", "train", "FailedScheduling", "unbound immediate PersistentVolumeClaims"),
        event("Pod", "train", "Pulled", "image pulled"),
    ]
    d = storage.claim_detail(view_of(objs), "ml", "data")
    assert [link.kind for link in d.chain] == [
        "PersistentVolumeClaim",
        "StorageClass",
        "Provisioner",
        "PersistentVolume",
    ]
    assert d.chain[2].state == "no CSIDriver" and d.chain[2].ok is False
    assert [e.message for e in d.events][:2] in (
        ["unbound immediate PersistentVolumeClaims", "waiting 2"],
        ["waiting 2", "unbound immediate PersistentVolumeClaims"],
    )
    assert "image pulled" not in {e.message for e in d.events}
    codes = {f.code for f in d.findings}
    assert {"pvc-provisioner-missing", "pod-waiting-on-pvc"} <= codes
    assert storage.claim_detail(view_of(objs), "ml", "nope") is None


@pytest.mark.parametrize(
    ("provisioner", "params", "modes", "volume_mode", "ok"),
    [
        ("ebs.csi.aws.com", {}, ["ReadWriteOnce"], "Filesystem", True),
        ("ebs.csi.aws.com", {}, ["ReadWriteOncePod"], "Filesystem", True),
        ("ebs.csi.aws.com", {}, ["ReadOnlyMany"], "Filesystem", False),
        ("ebs.csi.aws.com", {"type": "io2"}, ["ReadWriteMany"], "Block", True),
        ("ebs.csi.eks.amazonaws.com", {}, ["ReadWriteMany"], "Filesystem", False),
        ("kubernetes.io/gce-pd", {}, ["ReadWriteMany"], "Filesystem", False),
        ("pd.csi.storage.gke.io", {}, ["ReadWriteMany"], "Block", True),
        ("disk.csi.azure.com", {"maxShares": "3"}, ["ReadOnlyMany"], "Filesystem", False),
        ("disk.csi.azure.com", {"maxShares": "3"}, ["ReadOnlyMany"], "Block", True),
        ("filestore.csi.storage.gke.io", {}, ["ReadOnlyMany"], "Filesystem", True),
        ("file.csi.azure.com", {}, ["ReadWriteMany"], "Filesystem", True),
        ("cephfs.csi.ceph.com", {}, ["ReadWriteMany"], "Filesystem", True),
        ("rbd.csi.ceph.com", {}, ["ReadWriteMany"], "Block", True),
        ("nfs.csi.k8s.io", {}, ["ReadOnlyMany"], "Filesystem", True),
        ("driver.longhorn.io", {}, ["ReadWriteMany"], "Filesystem", True),
        ("driver.longhorn.io", {}, ["ReadOnlyMany"], "Filesystem", False),
        ("example.com/unknown", {}, ["ReadWriteMany"], "Filesystem", None),
        ("rancher.io/local-path", {}, ["ReadWriteMany"], "Filesystem", None),  # config unseen
    ],
)
def test_mode_verdicts(provisioner, params, modes, volume_mode, ok):
    assert prov.mode_verdict(provisioner, params, modes, volume_mode).ok is ok


def test_is_csi():
    assert prov.is_csi("ebs.csi.aws.com") is True
    assert prov.is_csi("kubernetes.io/aws-ebs") is True  # migrated: needs the CSI driver
    assert prov.is_csi("rancher.io/local-path") is False
    assert prov.is_csi("kubernetes.io/no-provisioner") is False
    assert prov.is_csi("example.com/magic") is None
    assert prov.is_csi("acme.csi.example.com") is True


@pytest.mark.parametrize(
    "junk",
    [
        {
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "x", "namespace": "ml"},
            "spec": None,
            "status": None,
        },
        {
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "x", "namespace": "ml"},
            "spec": {
                "accessModes": None,
                "resources": {"requests": {"storage": "lots"}},
                "storageClassName": "",
            },
        },
        {"kind": "PersistentVolume", "metadata": {"name": "x"}, "spec": {"capacity": None}},
        {"kind": "StorageClass", "metadata": {"name": "x"}},
        {
            "kind": "Pod",
            "metadata": {"name": "p", "namespace": "ml"},
            "spec": {
                "volumes": [{"name": "v", "persistentVolumeClaim": {}}],
                "containers": [{"name": "c", "volumeMounts": [{"name": "v"}]}],
            },
            "status": {"phase": "Pending"},
        },
    ],
)
def test_bad_input_gives_rows_not_tracebacks(junk):
    v = view_of([junk, pv("pv-ok"), sc("gp3", default=True)])
    storage.claim_rows(v)
    storage.pv_rows(v)
    storage.class_rows(v)
    storage.findings(v)
    for row in storage.claim_rows(v):
        assert storage.claim_detail(v, row.namespace, row.name) is not None


# A static EFS volume bound through a class that names EBS: the PV decides, not the class.
STATIC_EFS = [
    sc("gp2", "kubernetes.io/aws-ebs"),
    pvc("data", "gp2", phase="Bound", modes=("ReadOnlyMany",), volume="efs-pv"),
    pv("efs-pv", cls="gp2", modes=("ReadOnlyMany",), phase="Bound", claim=("ml", "data"),
       driver="efs.csi.aws.com"),
    csidriver("efs.csi.aws.com"),
]  # fmt: skip


def test_a_bound_claim_shows_its_volume_source_not_the_class_provisioner():
    row = row_of(STATIC_EFS)
    assert (row.provisioner, row.provisioner_from) == ("efs.csi.aws.com", "pv")
    d = storage.claim_detail(view_of(STATIC_EFS), "ml", "data")
    link = d.chain[2]
    assert (link.kind, link.name) == ("Provisioner", "efs.csi.aws.com")
    assert "kubernetes.io/aws-ebs" in link.note and "dynamic provisioning" in link.note
    # the class's own finding (in-tree provisioner) is about volumes it makes, not this one
    assert "storageclass-in-tree-provisioner" in {
        f.code for f in storage.findings(view_of(STATIC_EFS))
    }
    assert "storageclass-in-tree-provisioner" not in {f.code for f in d.findings}


@pytest.mark.parametrize(
    ("driver", "shown"),
    [
        ("ebs.csi.aws.com", "kubernetes.io/aws-ebs"),  # the migrated in-tree name agrees
        ("", "nfs"),  # an nfs PV through an EBS class: nfs
    ],
)
def test_the_class_provisioner_stays_while_the_volume_agrees(driver, shown):
    objs = [
        sc("gp2", "kubernetes.io/aws-ebs"),
        pvc("data", "gp2", phase="Bound", volume="v"),
        pv("v", cls="gp2", phase="Bound", claim=("ml", "data"), driver=driver),
    ]
    assert row_of(objs).provisioner == shown


def test_an_unbound_claim_keeps_the_class_provisioner():
    objs = [sc("gp2", "kubernetes.io/aws-ebs"), pvc("data", "gp2")]
    assert (row_of(objs).provisioner, row_of(objs).provisioner_from) == (
        "kubernetes.io/aws-ebs",
        "class",
    )
