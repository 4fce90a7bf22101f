"""`mlview matrix` on big inputs: the grouped form (the engine's equivalence classes), --pairs,
output written as a stream, and the `virtual` list for pods stood for by workload templates."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from mlview.analysis.reachability.engine import compute_matrix
from mlview.cli import main
from mlview.commands import matrix
from mlview.store import StoreView
from tests.unit.test_netpol_builders import namespace, netpol, pod


def objects(n: int) -> list[dict]:
    """n pods in two namespaces, three label sets, one policy: a few classes."""
    objs = [namespace("a"), namespace("b")]
    for i in range(n):
        ns = "a" if i % 2 else "b"
        objs.append(pod(ns, f"p{i:04d}", {"app": ["web", "db", "job"][i % 3]}))
    objs.append(
        netpol(
            "a",
            "db",
            {
                "podSelector": {"matchLabels": {"app": "db"}},
                "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}]}],
            },
        )
    )
    return objs


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], objs: list[dict], *extra: str) -> str:
    snap = tmp_path / "snap.yaml"
    snap.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": objs}))
    assert main(["matrix", "--snapshot", str(snap), "--port", "80", *extra]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("held", [matrix.ROWS_HELD, 50])  # 50: the row cache is evicted
def test_streamed_pairs_are_what_json_dumps_prints(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch, held: int
) -> None:
    monkeypatch.setattr(matrix, "ROWS_HELD", held)
    objs = objects(80)  # above the indented size: one line, streamed
    out = run(tmp_path, capsys, objs, "--format", "json")
    mx = compute_matrix(StoreView.from_objects(objs), 80)
    assert out == json.dumps(matrix.to_json(mx)) + "\n"


def test_grouped_json_gives_the_same_pairs(tmp_path: Path, capsys) -> None:
    objs = objects(60)
    data = json.loads(run(tmp_path, capsys, objs, "--format", "json", "--grouped"))
    assert data["pods"] == 60 and data["virtual"] == []
    members = {g["id"]: g["pods"] for g in data["groups"]}
    assert len(members) < 10  # classes, not pods
    pairs = {
        (s, d)
        for g, targets in data["allowed"].items()
        for t in targets
        for s in members[g]
        for d in members[t]
        if s != d
    }
    full = json.loads(run(tmp_path, capsys, objs, "--format", "json", "--pairs"))
    assert pairs == {(s, d) for s, dsts in full["allowed"].items() for d in dsts}
    assert data["allowed_pairs"] == len(pairs)


def test_grouped_is_the_default_above_the_size(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matrix, "GROUPED_ABOVE", 10)
    objs = objects(12)
    assert "groups" in json.loads(run(tmp_path, capsys, objs, "--format", "json"))
    assert "groups" not in json.loads(run(tmp_path, capsys, objs, "--format", "json", "--pairs"))
    text = run(tmp_path, capsys, objs)
    assert text.startswith("TCP 80: 12 pods in ") and "\ng0 -> " in text
    full = json.loads(run(tmp_path, capsys, objs, "--format", "json", "--pairs"))
    total = sum(len(v) for v in full["allowed"].values())
    assert text.endswith(f"\n{total} allowed ordered pairs\n")
    assert "a/p0001" in text


def test_writers_never_build_the_whole_output() -> None:
    """Each write is one pod's (or group's) row, not the document."""
    mx = compute_matrix(StoreView.from_objects(objects(300)), 80)

    class Counting(io.StringIO):
        largest = 0

        def write(self, s: str) -> int:
            Counting.largest = max(Counting.largest, len(s))
            return super().write(s)

    out = Counting()
    matrix.write_pairs_json(mx, [], out)
    whole = len(out.getvalue())
    assert Counting.largest < whole / 10
    json.loads(out.getvalue())


def test_virtual_pods_are_listed_and_marked(tmp_path: Path, capsys) -> None:
    dep = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "api", "namespace": "a"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "api"}},
            "template": {"metadata": {"labels": {"app": "api"}}, "spec": {"containers": []}},
        },
    }
    objs = [namespace("a"), pod("a", "real", {"app": "x"}), dep]
    data = json.loads(run(tmp_path, capsys, objs, "--format", "json"))
    assert len(data["virtual"]) == 2 and all(v.startswith("a/api-") for v in data["virtual"])
    assert "a/real" not in data["virtual"] and len(data["pods"]) == 3
    assert data["allowed"]["a/real"] == sorted(data["virtual"])
    text = run(tmp_path, capsys, objs)
    assert matrix.VIRTUAL_LEGEND in text
    assert f"{data['virtual'][0]}*" in text and "a/real*" not in text
    # without virtual pods the JSON has no such key (demo outputs stay as they were)
    plain = json.loads(run(tmp_path, capsys, objs[:2], "--format", "json"))
    assert "virtual" not in plain
