"""Hostile input never raises: demo objects with one field at a time replaced by a value of the
wrong type go through the loader, the store, every analyzer, the reachability matrix, a trace
and the record writer, in process. A mutated object the API server would reject is left out,
and the findings about every other object stay exactly what they were without it.

Deterministic in CI (derandomized, bounded). A longer run for developers:

    MLVIEW_FUZZ_EXAMPLES=5000 python -m pytest -q -p no:cacheprovider tests/unit/test_fuzz_inputs.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlview.analysis.reachability.engine import compute_matrix
from mlview.analysis.registry import run_checked
from mlview.analysis.trace import trace
from mlview.sources import demo, snapshot

EXAMPLES = int(os.environ.get("MLVIEW_FUZZ_EXAMPLES", "200"))
SCENARIOS = ("ml-platform", "ml-gateway", "netpol-lockdown", "incident-504")
URLS = (
    "https://api.ml.example.com/v1/translate",
    "https://llm.ml.example.com/v1/chat/completions",
)
# One of each JSON type, and values that are the right type but surprising.
VALUES = (None, "x", "", [], ["x"], [1], {}, {"a": 1}, True, False, 1.5, 10**30, -1, 0, 70000)
INPUT_CODES = ("object-invalid", "object-duplicate")


@cache
def scenario_text(name: str) -> str:
    return demo.scenario_path(name).read_text(encoding="utf-8")


def items(name: str) -> list[dict[str, Any]]:
    return json.loads(scenario_text(name))["items"]


@cache
def paths_of(name: str, index: int) -> tuple[tuple[Any, ...], ...]:
    """Every path into one object (map keys and list positions), the object itself excluded."""
    out: list[tuple[Any, ...]] = []

    def walk(value: Any, path: tuple[Any, ...]) -> None:
        if path:
            out.append(path)
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(sub, (*path, key))
        elif isinstance(value, list):
            for i, sub in enumerate(value):
                walk(sub, (*path, i))

    walk(items(name)[index], ())
    return tuple(out)


def replace(obj: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        obj = obj[step]
    obj[path[-1]] = value


def analyse(objs: list[dict[str, Any]], tmp: Path, name: str) -> tuple[Any, list[str]]:
    """Everything a user can run, in process; returns the store's view and analyzer errors."""
    # The scenario's own List metadata: its listed kinds say which absences are facts.
    doc = {**json.loads(scenario_text(name)), "items": objs}
    file = tmp / "input.json"
    file.write_text(json.dumps(doc), encoding="utf-8")
    try:
        store = snapshot.load([file]).to_store()
    except snapshot.SnapshotError:
        return None, []  # one clear line for the user: fine
    view = store.view()
    _, errors = run_checked(view)
    compute_matrix(view, 8080, "TCP")
    compute_matrix(view, 53, "UDP")
    for url in URLS:
        trace(view, url, "POST", 20_000_000, None)
    listed = [o for kind in view.kinds() for o in view.list(kind)]
    json.dumps(snapshot.snapshot_list(listed))
    return view, errors


def others(view: Any) -> list[Any]:
    found, _ = run_checked(view)
    return [f for f in found if f.code not in INPUT_CODES]


@cache
def baseline_without(name: str, index: int, tmp: Path) -> list[Any]:
    objs = items(name)
    del objs[index]
    view, _ = analyse(objs, tmp, name)
    return others(view)


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_one_field_of_the_wrong_type_never_raises(data, tmp_path_factory):
    tmp = tmp_path_factory.getbasetemp()
    name = data.draw(st.sampled_from(SCENARIOS), label="scenario")
    objs = items(name)
    index = data.draw(st.integers(0, len(objs) - 1), label="object")
    path = data.draw(st.sampled_from(paths_of(name, index)), label="path")
    value = data.draw(st.sampled_from(VALUES), label="value")
    target = objs[index]
    replace(target, path, value)
    meta = target.get("metadata") if isinstance(target.get("metadata"), dict) else {}
    view, errors = analyse(objs, tmp, name)
    assert errors == [], f"{name} {target.get('kind')} {path} = {value!r}: {errors}"
    if view is None:
        return
    dropped = [p for p in view.source.invalid if p.dropped]
    if dropped and dropped[0].name == meta.get("name") and dropped[0].kind == target.get("kind"):
        # The invalid object is left out; everything else is analysed as if it were absent.
        assert others(view) == baseline_without(name, index, tmp)


HOSTILE: dict[str, str] = {
    "kind-int.yaml": "kind: 123\nmetadata: {name: a}\n",
    "kind-list.yaml": "kind: [Pod]\nmetadata: {name: a}\n",
    "name-list.yaml": "kind: Pod\nmetadata: {name: [a], namespace: x}\n",
    "name-int.yaml": "kind: Service\nmetadata: {name: 5, namespace: x}\n",
    "spec-int.yaml": "kind: Pod\nmetadata: {name: a, namespace: x}\nspec: 3\n",
    "items-int.yaml": "kind: List\nitems: 3\n",
    "items-mixed.yaml": "kind: List\nitems: [3, {kind: Namespace, metadata: {name: a}}]\n",
    "list-meta.yaml": (
        "kind: List\nmetadata: [1]\nitems: [{kind: Namespace, metadata: {name: a}}]\n"
    ),
    "timestamp.yaml": (
        "kind: Event\nmetadata: {name: e, namespace: x}\n"
        "involvedObject: {kind: Pod, name: p, namespace: x}\n"
        "lastTimestamp: 2026-01-01T00:00:00Z\nreason: Failed\nmessage: m\n"
    ),
    "status-string.yaml": "kind: Pod\nmetadata: {name: a, namespace: x}\nstatus: Running\n",
    "port-70000.yaml": (
        "kind: Service\nmetadata: {name: s, namespace: x}\n"
        "spec: {selector: {app: a}, ports: [{port: 70000, targetPort: 70000}]}\n"
        "---\nkind: Pod\nmetadata: {name: p, namespace: x, labels: {app: a}}\n"
        "spec: {containers: [{name: c, ports: [{containerPort: 70000}]}]}\n"
        "status: {phase: Running, podIP: 10.0.0.1}\n"
    ),
    "netpol-odd.yaml": (
        "kind: NetworkPolicy\nmetadata: {name: n, namespace: x}\n"
        "spec:\n  podSelector: {matchExpressions: [{key: a, operator: Near, values: [b]}]}\n"
        "  ingress:\n  - from: [{ipBlock: {cidr: 'not-a-cidr'}}, {ipBlock: {cidr: 'fd00::/8',"
        " except: ['10.0.0.0/33']}}]\n    ports: [{port: 70000, endPort: -3}, {port: named}]\n"
        "  policyTypes: [Ingress, Sideways]\n"
        "---\nkind: Pod\nmetadata: {name: p, namespace: x, labels: {a: b}}\n"
        "spec: {containers: [{name: c}]}\nstatus: {phase: Running, podIP: 'zz'}\n"
    ),
    "negative-replicas.yaml": (
        "kind: Deployment\nmetadata: {name: d, namespace: x}\n"
        "spec: {replicas: -4, selector: {matchLabels: {app: a}}}\n"
        "status: {replicas: -1, readyReplicas: 99}\n"
    ),
    "duplicate.yaml": (
        "kind: Namespace\nmetadata: {name: a}\n---\nkind: Namespace\nmetadata: {name: a}\n"
    ),
}


@pytest.mark.parametrize("file", sorted(HOSTILE))
def test_hand_written_hostile_shapes_never_raise(file, tmp_path):
    # Beside a whole demo, so every analyzer has something to read around the hostile object.
    path = tmp_path / file
    path.write_text(HOSTILE[file], encoding="utf-8")
    demo_file = tmp_path / "demo.json"
    demo_file.write_text(scenario_text("ml-platform"), encoding="utf-8")
    try:
        store = snapshot.load([demo_file, path]).to_store()
    except snapshot.SnapshotError as exc:  # the whole file is unreadable: one clear line
        assert "\n" not in str(exc)
        return
    view = store.view()
    found, errors = run_checked(view)
    assert errors == []
    compute_matrix(view, 8080, "TCP")
    for url in URLS:
        trace(view, url)
    json.dumps(snapshot.snapshot_list([o for k in view.kinds() for o in view.list(k)]))


def test_invalid_objects_are_findings_naming_file_and_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "kind: Pod\nmetadata: {name: a, namespace: x}\nspec: {containers: oops}\n"
        "---\nkind: Namespace\nmetadata: {name: a}\n---\nkind: Namespace\nmetadata: {name: a}\n",
        encoding="utf-8",
    )
    view = snapshot.load([path]).to_store().view()
    found, _ = run_checked(view)
    invalid = [f for f in found if f.code == "object-invalid"]
    assert [(f.severity.value, f.ref) for f in invalid] == [("error", "Pod/x/a")]
    assert "bad.yaml:1: spec.containers: expected a list, got a string" in invalid[0].message
    dup = [f for f in found if f.code == "object-duplicate"]
    assert [(f.severity.value, f.ref) for f in dup] == [("warning", "Namespace/a")]
    assert view.get("Pod", "x", "a") is None


CLI_CASES = {
    # file text -> expected exit status of `mlview check`
    "kind: Pod\nmetadata: {name: a, namespace: x}\nspec: {containers: 1}\n": 1,  # object-invalid
    "kind: Namespace\nmetadata: {name: a}\n": 0,
    "kind: List\nitems: 3\n": 2,
    "[[[[": 2,
}


@pytest.mark.parametrize("text", sorted(CLI_CASES))
def test_cli_exit_status_and_no_traceback(text, tmp_path):
    path = tmp_path / "in.yaml"
    path.write_text(text, encoding="utf-8")
    for cmd in (
        ["check", "--snapshot", str(path)],
        ["matrix", "--snapshot", str(path), "--port", "80"],
        ["trace", URLS[0], "--snapshot", str(path)],
    ):
        out = subprocess.run(
            [sys.executable, "-m", "mlview", *cmd], capture_output=True, text=True, timeout=60
        )
        assert "Traceback" not in out.stderr + out.stdout
        assert out.returncode in (0, 1, 2)
        if out.returncode == 2:
            assert len(out.stderr.strip().splitlines()) == 1, out.stderr
        if cmd[0] == "check":
            assert out.returncode == CLI_CASES[text], out.stdout + out.stderr
