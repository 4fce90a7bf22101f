"""pvc-volume-node-affinity-conflict: a PV pinned to a zone where the claim's pods cannot run."""

from __future__ import annotations

import pytest

from mlview.analysis import storage
from mlview.store import StoreView
from tests.storage_fixtures import ALL_KINDS, event, pod, pv, pvc, sc

CODE = "pvc-volume-node-affinity-conflict"
ZONE = "topology.kubernetes.io/zone"


def node(name, zone, **extra):
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": {ZONE: zone, **extra}},
    }


def zoned_pv(zones, **kw):
    obj = pv("vol", cls="gp3", phase="Bound", claim=("ml", "data"), driver="ebs.csi.aws.com", **kw)
    obj["spec"]["nodeAffinity"] = {
        "required": {
            "nodeSelectorTerms": [
                {"matchExpressions": [{"key": ZONE, "operator": "In", "values": list(zones)}]}
            ]
        }
    }
    return obj


def pinned_pod(name="train", *, selector=None, affinity_zones=None, node_name=""):
    obj = pod(name, [("d", "data", "/data", False)], node=node_name, phase="Pending")
    if selector:
        obj["spec"]["nodeSelector"] = selector
    if affinity_zones:
        obj["spec"]["affinity"] = {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {"matchExpressions": [
                            {"key": ZONE, "operator": "In", "values": list(affinity_zones)}
                        ]}
                    ]
                }
            }
        }  # fmt: skip
    return obj


NODES = [node("a1", "us-east-1a"), node("b1", "us-east-1b", pool="gpu")]
BASE = [sc("gp3"), pvc("data", "gp3", phase="Bound", volume="vol"), *NODES]


def found(objs, listed=(*ALL_KINDS, "Node")):
    view = StoreView.from_objects(objs, listed_kinds=listed)
    return [f for f in storage.findings(view) if f.code == CODE]


@pytest.mark.parametrize(
    ("the_pod", "fires"),
    [
        (pinned_pod(selector={ZONE: "us-east-1b"}), True),  # nodeSelector on the zone
        (pinned_pod(selector={"pool": "gpu"}), True),  # a node pool that lives in 1b only
        (pinned_pod(affinity_zones=["us-east-1b"]), True),  # required node affinity
        (pinned_pod(node_name="b1"), True),  # already placed on a node of another zone
        (pinned_pod(affinity_zones=["us-east-1a", "us-east-1b"]), False),  # 1a is allowed
        (pinned_pod(), False),  # unconstrained: the scheduler picks a1
        (pinned_pod(selector={"pool": "tpu"}), False),  # fits no node at all: not this problem
    ],
)
def test_conflict_between_the_volume_zone_and_the_pods_nodes(the_pod, fires):
    assert bool(found([*BASE, zoned_pv(["us-east-1a"]), the_pod])) == fires


def test_message_names_both_zones_and_quotes_the_scheduler():
    ev = event(
        "Pod",
        "train",
        "FailedScheduling",
        "0/2 nodes are available: 1 node(s) had volume node affinity conflict",
    )
    [f] = found([*BASE, zoned_pv(["us-east-1a"]), pinned_pod(selector={"pool": "gpu"}), ev])
    assert f.severity == "error" and (f.kind, f.name) == ("PersistentVolumeClaim", "data")
    assert "zone(s) us-east-1a" in f.message and "zone(s) us-east-1b" in f.message
    assert "volume node affinity conflict" in f.message.split("Pending.")[1]


def test_a_claim_to_be_bound_through_volume_name_is_checked_too():
    claim = pvc("data", "gp3", phase="Pending", volume="vol")
    objs = [
        sc("gp3"),
        claim,
        *NODES,
        zoned_pv(["us-east-1a"]),
        pinned_pod(selector={"pool": "gpu"}),
    ]
    assert found(objs)


def test_without_nodes_the_check_is_skipped_and_says_so():
    objs = [*BASE[:2], zoned_pv(["us-east-1a"]), pinned_pod(selector={"pool": "gpu"})]
    view = StoreView.from_objects(objs, listed_kinds=[k for k in ALL_KINDS if k != "Node"])
    assert not [f for f in storage.findings(view) if f.code == CODE]
    d = storage.claim_detail(view, "ml", "data")
    assert any("Nodes not listed" in s for s in d.skipped)
