"""Every storage finding: a scenario where it fires and a near miss where it must not."""

from __future__ import annotations

import pytest

from mlview.analysis import storage
from mlview.store import StoreView
from tests.storage_fixtures import ALL_KINDS, csidriver, event, pod, pv, pvc, sc

RWO, ROX, RWX, RWOP = "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"
EBS = csidriver("ebs.csi.aws.com")


def run(objs, listed=ALL_KINDS):
    view = StoreView.from_objects(objs, listed_kinds=listed)
    return storage.findings(view)


def hits(objs, code, listed=ALL_KINDS):
    return [f for f in run(objs, listed) if f.code == code]


# (id, code, objects, fires, object name the finding must be on)
CASES = [
    # --- pvc-storageclass-missing
    (
        "class-missing",
        "pvc-storageclass-missing",
        [sc("gp3"), pvc("data", "fast-ssd"), EBS],
        True,
        "data",
    ),
    (
        "class-present",
        "pvc-storageclass-missing",
        [sc("fast-ssd"), pvc("data", "fast-ssd"), EBS],
        False,
        None,
    ),
    # a class name with no StorageClass still binds to a PV carrying that class name
    (
        "class-missing-but-pv-carries-it",
        "pvc-storageclass-missing",
        [sc("gp3"), pvc("data", "manual"), pv("pv1", cls="manual")],
        False,
        None,
    ),
    (
        "class-missing-bound",
        "pvc-storageclass-missing",
        [
            sc("gp3"),
            pvc("data", "old", phase="Bound", volume="pv1"),
            pv("pv1", cls="old", phase="Bound", claim=("ml", "data")),
        ],
        False,
        None,
    ),
    # --- pvc-no-default-storageclass
    ("no-default", "pvc-no-default-storageclass", [sc("gp3"), pvc("data"), EBS], True, "data"),
    (
        "has-default",
        "pvc-no-default-storageclass",
        [sc("gp3", default=True), pvc("data"), EBS],
        False,
        None,
    ),
    (
        "no-default-but-classless-pv",
        "pvc-no-default-storageclass",
        [sc("gp3"), pvc("data"), pv("pv1")],
        False,
        None,
    ),
    # --- pvc-multiple-default-storageclasses (on each default class)
    (
        "two-defaults",
        "pvc-multiple-default-storageclasses",
        [
            sc("gp2", default=True, created="2025-01-01T00:00:00Z"),
            sc("gp3", default=True, created="2026-01-01T00:00:00Z"),
        ],
        True,
        "gp2",
    ),
    (
        "one-default",
        "pvc-multiple-default-storageclasses",
        [sc("gp2", default=True), sc("gp3")],
        False,
        None,
    ),
    # --- pvc-waiting-for-first-consumer
    (
        "wffc-no-pod",
        "pvc-waiting-for-first-consumer",
        [sc("gp3", default=True), pvc("data", "gp3"), EBS],
        True,
        "data",
    ),
    (
        "wffc-with-pod",
        "pvc-waiting-for-first-consumer",
        [
            sc("gp3"),
            pvc("data", "gp3"),
            EBS,
            pod("train", [("d", "data", "/data", False)], node="", phase="Pending"),
        ],
        False,
        None,
    ),
    (
        "immediate-no-pod",
        "pvc-waiting-for-first-consumer",
        [sc("gp3", mode="Immediate"), pvc("data", "gp3"), EBS],
        False,
        None,
    ),
    # --- pvc-provisioning-failed
    (
        "prov-failed",
        "pvc-provisioning-failed",
        [
            sc("gp3"),
            pvc("data", "gp3"),
            EBS,
            event(
                "PersistentVolumeClaim",
                "data",
                "ProvisioningFailed",
                "old",
                time="2026-11-27T04:00:00Z",
            ),
            event("PersistentVolumeClaim", "data", "ProvisioningFailed", "quota exceeded"),
        ],
        True,
        "data",
    ),
    (
        "failed-binding",
        "pvc-provisioning-failed",
        [
            pvc("data", ""),
            pv("pv1", size="1Gi"),
            event(
                "PersistentVolumeClaim", "data", "FailedBinding", "no persistent volumes available"
            ),
        ],
        True,
        "data",
    ),
    (
        "prov-failed-but-bound-now",
        "pvc-provisioning-failed",
        [
            sc("gp3"),
            pvc("data", "gp3", phase="Bound", volume="pv1"),
            pv("pv1", cls="gp3", phase="Bound", claim=("ml", "data")),
            EBS,
            event("PersistentVolumeClaim", "data", "ProvisioningFailed", "quota exceeded"),
        ],
        False,
        None,
    ),
    # --- pvc-access-mode-unsupported
    (
        "ebs-rwx",
        "pvc-access-mode-unsupported",
        [sc("gp3"), pvc("data", "gp3", modes=(RWX,)), EBS],
        True,
        "data",
    ),
    (
        "ebs-rwo",
        "pvc-access-mode-unsupported",
        [sc("gp3"), pvc("data", "gp3", modes=(RWO,)), EBS],
        False,
        None,
    ),
    (
        "ebs-io2-block-rwx",
        "pvc-access-mode-unsupported",
        [
            sc("io2", params={"type": "io2"}),
            pvc("data", "io2", modes=(RWX,), volume_mode="Block"),
            EBS,
        ],
        False,
        None,
    ),
    (
        "ebs-gp3-block-rwx",
        "pvc-access-mode-unsupported",
        [
            sc("gp3", params={"type": "gp3"}),
            pvc("data", "gp3", modes=(RWX,), volume_mode="Block"),
            EBS,
        ],
        True,
        "data",
    ),
    (
        "intree-ebs-rox",
        "pvc-access-mode-unsupported",
        [sc("old", "kubernetes.io/aws-ebs"), pvc("data", "old", modes=(ROX,)), EBS],
        True,
        "data",
    ),
    (
        "efs-rox",
        "pvc-access-mode-unsupported",
        [
            sc("efs", "efs.csi.aws.com"),
            pvc("data", "efs", modes=(ROX,)),
            csidriver("efs.csi.aws.com"),
        ],
        True,
        "data",
    ),
    (
        "efs-rwx",
        "pvc-access-mode-unsupported",
        [
            sc("efs", "efs.csi.aws.com"),
            pvc("data", "efs", modes=(RWX,)),
            csidriver("efs.csi.aws.com"),
        ],
        False,
        None,
    ),
    (
        "azure-disk-rwx-block-maxshares",
        "pvc-access-mode-unsupported",
        [
            sc("shared", "disk.csi.azure.com", params={"maxShares": "2"}),
            pvc("data", "shared", modes=(RWX,), volume_mode="Block"),
            csidriver("disk.csi.azure.com"),
        ],
        False,
        None,
    ),
    (
        "azure-disk-rwx-block-no-maxshares",
        "pvc-access-mode-unsupported",
        [
            sc("shared", "disk.csi.azure.com"),
            pvc("data", "shared", modes=(RWX,), volume_mode="Block"),
            csidriver("disk.csi.azure.com"),
        ],
        True,
        "data",
    ),
    (
        "pd-rox-filesystem",
        "pvc-access-mode-unsupported",
        [
            sc("pd", "pd.csi.storage.gke.io"),
            pvc("data", "pd", modes=(ROX,)),
            csidriver("pd.csi.storage.gke.io"),
        ],
        False,
        None,
    ),
    (
        "rook-rbd-rwx-fs",
        "pvc-access-mode-unsupported",
        [
            sc("rbd", "rook-ceph.rbd.csi.ceph.com"),
            pvc("data", "rbd", modes=(RWX,)),
            csidriver("rook-ceph.rbd.csi.ceph.com"),
        ],
        True,
        "data",
    ),
    (
        "unknown-provisioner",
        "pvc-access-mode-unsupported",
        [sc("x", "example.com/magic"), pvc("data", "x", modes=(RWX,))],
        False,
        None,
    ),
    (
        "local-path-rwx",
        "pvc-access-mode-unsupported",
        [
            sc("lp", "rancher.io/local-path"),
            pvc("data", "lp", modes=(RWX,)),
            {
                "kind": "ConfigMap",
                "metadata": {"name": "local-path-config", "namespace": "lps"},
                "data": {"config.json": '{"nodePathMap": []}'},
            },
        ],
        True,
        "data",
    ),
    (
        "local-path-rwx-shared",
        "pvc-access-mode-unsupported",
        [
            sc("lp", "rancher.io/local-path"),
            pvc("data", "lp", modes=(RWX,)),
            {
                "kind": "ConfigMap",
                "metadata": {"name": "local-path-config", "namespace": "lps"},
                "data": {"config.json": '{"sharedFileSystemPath": "/mnt/nfs"}'},
            },
        ],
        False,
        None,
    ),
    # --- pvc-provisioner-missing
    (
        "no-ebs-driver",
        "pvc-provisioner-missing",
        [
            sc("gp3"),
            pvc("data", "gp3"),
            csidriver("efs.csi.aws.com"),
            event(
                "PersistentVolumeClaim",
                "data",
                "ExternalProvisioning",
                "waiting for a volume to be created, either by external provisioner "
                '"ebs.csi.aws.com" or manually created by system administrator',
                type_="Normal",
            ),
        ],
        True,
        "data",
    ),
    (
        "intree-no-csi-driver",
        "pvc-provisioner-missing",
        [sc("gp2", "kubernetes.io/aws-ebs"), pvc("data", "gp2"), csidriver("efs.csi.aws.com")],
        True,
        "data",
    ),
    (
        "ebs-driver-installed",
        "pvc-provisioner-missing",
        [sc("gp3"), pvc("data", "gp3"), EBS],
        False,
        None,
    ),
    (
        "non-csi-local-path",
        "pvc-provisioner-missing",
        [sc("lp", "rancher.io/local-path"), pvc("data", "lp"), EBS],
        False,
        None,
    ),
    # --- pvc-no-matching-pv
    (
        "static-too-small",
        "pvc-no-matching-pv",
        [pvc("data", "", size="100Gi"), pv("pv1", size="50Gi")],
        True,
        "data",
    ),
    (
        "static-fits",
        "pvc-no-matching-pv",
        [pvc("data", "", size="100Gi"), pv("pv1", size="0.5Ti")],
        False,
        None,
    ),
    (
        "static-wrong-mode",
        "pvc-no-matching-pv",
        [pvc("data", "", modes=(RWX,)), pv("pv1", modes=(RWO,))],
        True,
        "data",
    ),
    (
        "static-class-mismatch",
        "pvc-no-matching-pv",
        [pvc("data", ""), pv("pv1", cls="gp3")],
        True,
        "data",
    ),
    (
        "static-selector-miss",
        "pvc-no-matching-pv",
        [
            pvc("data", "", selector={"matchLabels": {"set": "imagenet"}}),
            pv("pv1", labels={"set": "coco"}),
        ],
        True,
        "data",
    ),
    (
        "static-selector-hit",
        "pvc-no-matching-pv",
        [
            pvc("data", "", selector={"matchLabels": {"set": "imagenet"}}),
            pv("pv1", labels={"set": "imagenet"}),
        ],
        False,
        None,
    ),
    (
        "no-provisioner-class",
        "pvc-no-matching-pv",
        [sc("local", "kubernetes.io/no-provisioner"), pvc("data", "local"), pv("pv1", cls="other")],
        True,
        "data",
    ),
    (
        "static-pv-taken",
        "pvc-no-matching-pv",
        [pvc("data", ""), pv("pv1", phase="Bound", claim=("ml", "other"))],
        True,
        "data",
    ),
    # --- pvc-lost
    (
        "lost",
        "pvc-lost",
        [pvc("data", "gp3", phase="Lost", volume="gone"), sc("gp3")],
        True,
        "data",
    ),
    (
        "bound-not-lost",
        "pvc-lost",
        [
            pvc("data", "gp3", phase="Bound", volume="pv1"),
            sc("gp3"),
            pv("pv1", cls="gp3", phase="Bound", claim=("ml", "data")),
        ],
        False,
        None,
    ),
    # --- pvc-rwo-multi-node
    (
        "rwo-two-nodes",
        "pvc-rwo-multi-node",
        [
            pvc("ckpt", "gp3", phase="Bound", volume="pv1"),
            sc("gp3"),
            pv("pv1", cls="gp3", phase="Bound", claim=("ml", "ckpt")),
            pod("a", [("c", "ckpt", "/ckpt", False)], node="n1"),
            pod("b", [("c", "ckpt", "/ckpt", False)], node="n2", phase="Pending"),
            event(
                "Pod",
                "b",
                "FailedAttachVolume",
                'Multi-Attach error for volume "pv1" Volume is already used by pod(s) a',
            ),
        ],
        True,
        "ckpt",
    ),
    (
        "rwo-same-node",
        "pvc-rwo-multi-node",
        [
            pvc("ckpt", "gp3", phase="Bound"),
            sc("gp3"),
            pod("a", [("c", "ckpt", "/ckpt", False)], node="n1"),
            pod("b", [("c", "ckpt", "/ckpt", False)], node="n1"),
        ],
        False,
        None,
    ),
    (
        "rwo-other-pod-finished",
        "pvc-rwo-multi-node",
        [
            pvc("ckpt", "gp3", phase="Bound"),
            sc("gp3"),
            pod("a", [("c", "ckpt", "/ckpt", False)], node="n1"),
            pod("b", [("c", "ckpt", "/ckpt", False)], node="n2", phase="Succeeded"),
        ],
        False,
        None,
    ),
    (
        "rwx-two-nodes",
        "pvc-rwo-multi-node",
        [
            pvc("ckpt", "efs", phase="Bound", modes=(RWX,)),
            sc("efs", "efs.csi.aws.com"),
            pod("a", [("c", "ckpt", "/ckpt", False)], node="n1"),
            pod("b", [("c", "ckpt", "/ckpt", False)], node="n2"),
        ],
        False,
        None,
    ),
    # --- pvc-rwop-multi-pod
    (
        "rwop-two-pods",
        "pvc-rwop-multi-pod",
        [
            pvc("db", "gp3", phase="Bound", modes=(RWOP,)),
            sc("gp3"),
            pod("a", [("c", "db", "/db", False)], node="n1"),
            pod("b", [("c", "db", "/db", False)], node="", phase="Pending"),
        ],
        True,
        "db",
    ),
    (
        "rwop-one-pod",
        "pvc-rwop-multi-pod",
        [
            pvc("db", "gp3", phase="Bound", modes=(RWOP,)),
            sc("gp3"),
            pod("a", [("c", "db", "/db", False)], node="n1"),
        ],
        False,
        None,
    ),
    # --- pvc-readonly-claim-mounted-rw
    (
        "rox-mounted-rw",
        "pvc-readonly-claim-mounted-rw",
        [
            pvc("ds", "fs", phase="Bound", modes=(ROX,)),
            sc("fs", "file.csi.azure.com"),
            pod("a", [("d", "ds", "/data", False)]),
        ],
        True,
        "ds",
    ),
    (
        "rox-mounted-ro",
        "pvc-readonly-claim-mounted-rw",
        [
            pvc("ds", "fs", phase="Bound", modes=(ROX,)),
            sc("fs", "file.csi.azure.com"),
            pod("a", [("d", "ds", "/data", True)]),
        ],
        False,
        None,
    ),
    # --- pvc-rwx-only-read
    (
        "rwx-all-read",
        "pvc-rwx-only-read",
        [
            pvc("ds", "efs", phase="Bound", modes=(RWX,)),
            sc("efs", "efs.csi.aws.com"),
            pod("a", [("d", "ds", "/data", True)], node="n1"),
            pod("b", [("d", "ds", "/data", True)], node="n2"),
        ],
        True,
        "ds",
    ),
    (
        "rwx-one-writer",
        "pvc-rwx-only-read",
        [
            pvc("ds", "efs", phase="Bound", modes=(RWX,)),
            sc("efs", "efs.csi.aws.com"),
            pod("a", [("d", "ds", "/data", True)], node="n1"),
            pod("b", [("d", "ds", "/data", False)], node="n2"),
        ],
        False,
        None,
    ),
    # --- pvc-reclaim-delete
    (
        "reclaim-delete-class",
        "pvc-reclaim-delete",
        [pvc("ckpt", "gp3"), sc("gp3", reclaim=None), EBS],
        True,
        "ckpt",
    ),
    (
        "reclaim-pv-retain-wins",
        "pvc-reclaim-delete",
        [
            pvc("ckpt", "gp3", phase="Bound", volume="pv1"),
            sc("gp3", reclaim="Delete"),
            pv("pv1", cls="gp3", phase="Bound", claim=("ml", "ckpt"), reclaim="Retain"),
        ],
        False,
        None,
    ),
    # --- pv-released / pv-failed
    ("released", "pv-released", [pv("pv1", phase="Released", claim=("ml", "old"))], True, "pv1"),
    ("available", "pv-released", [pv("pv1", phase="Available")], False, None),
    ("failed", "pv-failed", [pv("pv1", phase="Failed", reclaim="Delete")], True, "pv1"),
    ("not-failed", "pv-failed", [pv("pv1", phase="Bound", claim=("ml", "x"))], False, None),
    # --- pv-recycle-deprecated
    ("recycle", "pv-recycle-deprecated", [pv("pv1", reclaim="Recycle")], True, "pv1"),
    ("retain", "pv-recycle-deprecated", [pv("pv1", reclaim="Retain")], False, None),
    # --- storageclass-in-tree-provisioner
    (
        "in-tree",
        "storageclass-in-tree-provisioner",
        [sc("gp2", "kubernetes.io/aws-ebs")],
        True,
        "gp2",
    ),
    ("csi", "storageclass-in-tree-provisioner", [sc("gp3", "ebs.csi.aws.com")], False, None),
    (
        "no-provisioner-is-not-in-tree-plugin",
        "storageclass-in-tree-provisioner",
        [sc("local", "kubernetes.io/no-provisioner")],
        False,
        None,
    ),
    # --- pod-waiting-on-pvc
    (
        "pod-on-pending-claim",
        "pod-waiting-on-pvc",
        [
            sc("gp3"),
            pvc("data", "gp3"),
            pod("train", [("d", "data", "/d", False)], node="", phase="Pending"),
        ],
        True,
        "train",
    ),
    (
        "pod-on-missing-claim",
        "pod-waiting-on-pvc",
        [pod("train", [("d", "nope", "/d", False)], node="", phase="Pending")],
        True,
        "train",
    ),
    (
        "pod-on-bound-claim",
        "pod-waiting-on-pvc",
        [
            sc("gp3"),
            pvc("data", "gp3", phase="Bound"),
            pod("train", [("d", "data", "/d", False)], phase="Pending"),
        ],
        False,
        None,
    ),
    (
        "running-pod",
        "pod-waiting-on-pvc",
        [sc("gp3"), pvc("data", "gp3"), pod("train", [("d", "data", "/d", False)])],
        False,
        None,
    ),
    # a healthy WaitForFirstConsumer claim waits for the pod, not the other way round
    (
        "pod-pending-for-cpu-on-wffc-claim",
        "pod-waiting-on-pvc",
        [
            sc("gp3"),
            pvc("data", "gp3"),
            EBS,
            pod("train", [("d", "data", "/d", False)], node="", phase="Pending"),
            event(
                "Pod", "train", "FailedScheduling", "0/3 nodes are available: 3 Insufficient cpu."
            ),
        ],
        False,
        None,
    ),
    (
        "pod-pending-on-wffc-volume-binding",
        "pod-waiting-on-pvc",
        [
            sc("gp3"),
            pvc("data", "gp3"),
            EBS,
            pod("train", [("d", "data", "/d", False)], node="", phase="Pending"),
            event(
                "Pod",
                "train",
                "FailedScheduling",
                "0/3 nodes are available: 3 node(s) didn't find available persistent volumes "
                "to bind.",
            ),
        ],
        True,
        "train",
    ),
    # --- pod-ephemeral-checkpoints
    (
        "emptydir-checkpoints",
        "pod-ephemeral-checkpoints",
        [pod("train", empty_dirs=[("scratch-vol", "/checkpoints", False)])],
        True,
        "train",
    ),
    (
        "emptydir-logs-by-name",
        "pod-ephemeral-checkpoints",
        [pod("train", empty_dirs=[("logs", "/var/out", False)])],
        True,
        "train",
    ),
    (
        "emptydir-cache",
        "pod-ephemeral-checkpoints",
        [pod("serve", empty_dirs=[("model-cache", "/root/.cache/huggingface", False)])],
        False,
        None,
    ),
    (
        "emptydir-readonly-model",
        "pod-ephemeral-checkpoints",
        [pod("serve", empty_dirs=[("kserve-provision-location", "/mnt/models", True)])],
        False,
        None,
    ),
    (
        "emptydir-shm",
        "pod-ephemeral-checkpoints",
        [pod("train", empty_dirs=[("dshm", "/dev/shm", False)])],
        False,
        None,
    ),
]


@pytest.mark.parametrize(
    ("code", "objs", "fires", "on"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_finding(code, objs, fires, on):
    found = hits(objs, code)
    if fires:
        assert found, f"{code} did not fire"
        assert on in {f.name for f in found}
        for f in found:
            assert f.message and f.hint
            assert f.severity.value in ("error", "warning", "info")
    else:
        assert not found, [f.message for f in found]


def test_every_code_has_a_case_both_ways():
    fired = {c[1] for c in CASES if c[3]}
    missed = {c[1] for c in CASES if not c[3]}
    assert fired == missed
    assert len(fired) == 20


def test_provisioning_failed_quotes_latest_event():
    objs = [
        sc("gp3"),
        pvc("data", "gp3"),
        EBS,
        event(
            "PersistentVolumeClaim",
            "data",
            "ProvisioningFailed",
            "old reason",
            time="2026-11-27T04:00:00Z",
        ),
        event("PersistentVolumeClaim", "data", "ProvisioningFailed", "quota exceeded"),
    ]
    (f,) = hits(objs, "pvc-provisioning-failed")
    assert "quota exceeded" in f.message and "old reason" not in f.message


def test_multiple_defaults_names_newest():
    objs = [
        sc("gp2", default=True, created="2025-01-01T00:00:00Z"),
        sc("gp3", default=True, created="2026-01-01T00:00:00Z"),
    ]
    found = hits(objs, "pvc-multiple-default-storageclasses")
    assert {f.name for f in found} == {"gp2", "gp3"}
    assert all("gets gp3" in f.message for f in found)
    # and the class-less claim resolves to it
    view = StoreView.from_objects(objs + [pvc("data")])
    (row,) = storage.claim_rows(view)
    assert (row.storage_class, row.class_source) == ("gp3", "default")


def test_rwo_multi_node_quotes_multi_attach_event():
    objs = CASES[[c[0] for c in CASES].index("rwo-two-nodes")][2]
    (f,) = hits(objs, "pvc-rwo-multi-node")
    assert "Multi-Attach error" in f.message and "n1" in f.message and "n2" in f.message


def test_provisioner_missing_names_driver_and_event():
    objs = CASES[[c[0] for c in CASES].index("no-ebs-driver")][2]
    (f,) = hits(objs, "pvc-provisioner-missing")
    assert "ebs.csi.aws.com" in f.message and "waiting for a volume" in f.message
    assert "add-on" in f.hint


@pytest.mark.parametrize(
    ("unlisted", "code"),
    [
        ("CSIDriver", "pvc-provisioner-missing"),
        ("Event", "pvc-provisioning-failed"),
        ("StorageClass", "pvc-storageclass-missing"),
        ("PersistentVolume", "pvc-no-matching-pv"),
        ("Pod", "pvc-waiting-for-first-consumer"),
    ],
)
def test_missing_fact_skips_check_and_says_so(unlisted, code):
    objs = [
        sc("gp3"),
        pvc("a", "gp3"),
        pvc("b", "nope"),
        pvc("c", ""),
        pvc("d", "gp3"),
        EBS,
        event("PersistentVolumeClaim", "a", "ProvisioningFailed", "x"),
    ]
    listed = [k for k in ALL_KINDS if k != unlisted]
    assert not hits(objs, code, listed)
    view = StoreView.from_objects(objs, listed_kinds=listed)
    skipped = [s for r in "abcd" for s in storage.claim_detail(view, "ml", r).skipped]
    assert any(unlisted.lower() in s.lower() or "events" in s.lower() for s in skipped), skipped


def test_manifest_without_status_skips_phase_checks():
    view = StoreView.from_objects(
        [sc("gp3"), pvc("data", "gp3", phase=None), EBS], listed_kinds=ALL_KINDS
    )
    codes = {f.code for f in storage.findings(view)}
    assert "pvc-waiting-for-first-consumer" not in codes
    detail = storage.claim_detail(view, "ml", "data")
    assert any("no status" in s for s in detail.skipped)


def test_released_with_delete_policy_says_deletion_is_stuck():
    (f,) = hits([pv("pv1", phase="Released", claim=("ml", "old"), reclaim="Delete")], "pv-released")
    assert "deletion is failing" in f.message


def test_claim_findings_put_the_root_cause_first():
    objs = [
        sc("gp3"),
        pvc("data", "gp3", modes=(RWX,)),
        EBS,
        event("PersistentVolumeClaim", "data", "ProvisioningFailed", "Volume capabilities ..."),
    ]
    view = StoreView.from_objects(objs, listed_kinds=ALL_KINDS)
    codes = [f.code for f in storage.claim_findings(view)[("ml", "data")]]
    assert codes[:2] == ["pvc-access-mode-unsupported", "pvc-provisioning-failed"]


def test_ephemeral_checkpoints_in_a_workload_template_without_pods():
    job = {
        "kind": "Job",
        "metadata": {"name": "finetune", "namespace": "ml"},
        "spec": {
            "template": {
                "spec": {
                    "containers": [
                        {"name": "t", "volumeMounts": [{"name": "ck", "mountPath": "/ckpt"}]}
                    ],
                    "volumes": [{"name": "ck", "emptyDir": {}}],
                }
            }
        },
    }
    (f,) = hits([job], "pod-ephemeral-checkpoints")
    assert (f.kind, f.name) == ("Job", "finetune")
    # the same workload seen through its pod and its template gives one finding
    p = pod("finetune-x", empty_dirs=[("ck", "/ckpt", False)], owner=("Job", "finetune"))
    assert len(hits([job, p], "pod-ephemeral-checkpoints")) == 1
