"""`mlview matrix --to/--from`: the headline question by workload; "did you mean" for --explain."""

from __future__ import annotations

import json

import pytest

from mlview.analysis.reachability.engine import compute_matrix
from mlview.analysis.reachability.headline import by_workload
from mlview.cli import main
from tests.unit.test_netpol_builders import namespace, netpol, pod, view


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["matrix", "--demo", "netpol-lockdown", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_to_answers_who_may_connect_by_workload(capsys):
    code, out, _ = run(capsys, "--to", "app=model-store")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "TCP 9000: from every pod (39 pods) to app=model-store (2 pods)"
    assert lines[1] == "ml-serving/model-store (StatefulSet, 2 pods) may be reached from:"
    verdicts = {line.split()[1]: line.split()[0] for line in lines[2:]}
    assert verdicts["ml-serving/embedding-model"] == "allowed"
    assert verdicts["ml-training/notebook"] == "denied"
    assert verdicts["monitoring/node-exporter"] == "host-network"
    # allowed workloads come first
    assert [line.split()[0] for line in lines[2:5]] == ["allowed"] * 3


def test_from_and_to_together_and_json(capsys):
    _, out, _ = run(capsys, "--from", "app=trainer", "--to", "role=model-store", "--format", "json")
    data = json.loads(out)
    asked = (data["direction"], data["from"], data["to"])
    assert asked == ("inbound", "app=trainer", "role=model-store")
    [w] = data["workloads"]
    assert w["workload"] == "ml-serving/StatefulSet/model-store"
    assert [(p["workload"], p["verdict"]) for p in w["peers"]] == [
        ("ml-training/Job/resnet-train", "allowed")
    ]


def test_a_bad_selector_is_one_line(capsys):
    code, _, err = run(capsys, "--to", "app in (a")
    assert code == 2 and "--to 'app in (a': unclosed '('" in err


@pytest.mark.parametrize(
    ("given", "suggested"),
    [
        ("model-store-0", "ml-serving/model-store-0"),  # namespace left out
        ("ml-serving/model-stor", "ml-serving/model-store-0"),  # cut short
        ("ml-serving/model-stroe-1", "ml-serving/model-store-1"),  # typo
    ],
)
def test_explain_suggests_the_pod_meant(capsys, given, suggested):
    code, _, err = run(capsys, "--explain", given, "ml-serving/model-store-1")
    assert code == 2 and "did you mean" in err and suggested in err


def owned(obj, kind, name):
    obj["metadata"]["ownerReferences"] = [{"kind": kind, "name": name, "controller": True}]
    return obj


def test_a_workload_pair_is_mixed_when_its_pods_disagree():
    objs = [
        namespace("a"),
        owned(pod("a", "web-1", {"app": "web", "tier": "x"}), "StatefulSet", "web"),
        owned(pod("a", "web-2", {"app": "web"}), "StatefulSet", "web"),
        pod("a", "db", {"app": "db"}),
        netpol("a", "db-only-x", {
            "podSelector": {"matchLabels": {"app": "db"}},
            "ingress": [{"from": [{"podSelector": {"matchLabels": {"tier": "x"}}}]}],
        }),
    ]  # fmt: skip
    v = view(*objs)
    mx = compute_matrix(v, 5432, "TCP")
    db = [p for p in mx.pods if p.name == "db"]
    [answer] = by_workload(v, mx, list(mx.pods), db, inbound=True)
    verdicts = {(p.peer.name, p.verdict, p.allowed, p.pairs) for p in answer.peers}
    assert ("web", "mixed", 1, 2) in verdicts
