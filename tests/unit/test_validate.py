"""The store's door: objects the API server would reject are reported and left out (or, for a
wrong status field, kept without it); the schema file is what the generator makes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from mlview.store import SourceInfo, Store
from mlview.validate import check_object

ROOT = Path(__file__).resolve().parents[2]


def pod(**spec_and_more):
    obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "ns", "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "c", "ports": [{"containerPort": 80}]}]},
        "status": {"phase": "Running", "podIP": "10.0.0.1"},
    }
    obj.update(spec_and_more)
    return obj


def test_a_valid_object_passes_unchanged():
    obj = pod()
    before = repr(obj)
    assert check_object(obj) == (True, [])
    assert repr(obj) == before


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"spec": {"containers": "oops"}}, "spec.containers", "expected a list, got a string"),
        ({"spec": 3}, "spec", "expected a map, got an integer"),
        (
            {"spec": {"containers": [{"name": "c", "ports": "80"}]}},
            "spec.containers[0].ports",
            "expected a list, got a string",
        ),
        (
            {"spec": {"containers": [{"name": 5}]}},
            "spec.containers[0].name",
            "expected a string, got an integer",
        ),
        (
            {"spec": {"containers": [{"name": "c", "ports": [{"containerPort": 10**30}]}]}},
            "spec.containers[0].ports[0].containerPort",
            "integer out of range (int64)",
        ),
        (
            {"spec": {"containers": [{"name": "c", "ports": [{"containerPort": True}]}]}},
            "spec.containers[0].ports[0].containerPort",
            "expected an integer, got a boolean",
        ),
        ({"metadata": {"name": ["p"]}}, "metadata.name", "expected a string, got a list"),
        ({"metadata": {"name": ""}}, "metadata.name", "Required value: name is required"),
        (
            {"metadata": {"name": "p", "labels": {"app": ["x"]}}},
            "metadata.labels.app",
            "expected a string, got a list",
        ),
        (
            {"metadata": {"name": "p", "labels": {"app": "has space"}}},
            "metadata.labels.app",
            "invalid label value",
        ),
        (
            {"metadata": {"name": "p", "labels": {"bad key!": "x"}}},
            "metadata.labels.bad key!",
            "invalid label key",
        ),
        ({"kind": 123}, "kind", "expected a string, got an integer"),
    ],
)
def test_a_wrong_type_leaves_the_object_out_with_path_and_message(change, path, message):
    keep, problems = check_object(pod(**change), "f.yaml")
    assert keep is False
    assert [(p.path, p.origin, p.dropped) for p in problems] == [(path, "f.yaml", True)]
    assert message in problems[0].message


def test_a_wrong_status_field_is_left_out_and_the_object_kept():
    obj = pod(status={"phase": "Running", "podIP": 5, "conditions": "x"})
    keep, problems = check_object(obj)
    assert keep is True
    assert sorted(p.path for p in problems) == ["status.conditions", "status.podIP"]
    assert obj["status"] == {"phase": "Running"}
    obj = pod(status="Running")
    assert check_object(obj)[0] is True
    assert "status" not in obj


def test_quantities_and_int_or_string_accept_both_forms():
    obj = pod(spec={"containers": [{"name": "c", "resources": {"limits": {"cpu": 0.5}}}]})
    assert check_object(obj) == (True, [])
    svc = {
        "kind": "Service",
        "metadata": {"name": "s", "namespace": "ns"},
        "spec": {"ports": [{"port": 80, "targetPort": "http"}, {"port": 81, "targetPort": 8081}]},
    }
    assert check_object(svc) == (True, [])
    svc["spec"]["ports"][0]["targetPort"] = [1]
    assert check_object(svc)[1][0].message == "expected an integer or a string, got a list"


def test_null_is_unset_and_a_yaml_timestamp_becomes_a_string():
    obj = pod(spec=None)
    obj["metadata"]["creationTimestamp"] = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    obj["metadata"]["annotations"] = None
    assert check_object(obj) == (True, [])
    assert "spec" not in obj and "annotations" not in obj["metadata"]
    assert obj["metadata"]["creationTimestamp"] == "2026-01-01T00:00:00Z"


def test_crd_fields_mlview_reads_are_checked():
    gw = {
        "kind": "Gateway",
        "metadata": {"name": "g", "namespace": "ns"},
        "spec": {"gatewayClassName": "c", "listeners": [{"name": "l", "port": "80"}]},
    }
    keep, problems = check_object(gw)
    assert not keep and problems[0].path == "spec.listeners[0].port"
    gw["spec"]["listeners"][0]["port"] = 80
    gw["status"] = {"listeners": "ready"}
    keep, problems = check_object(gw)
    assert keep and problems[0].path == "status.listeners" and "status" in gw


def test_unknown_kinds_and_fields_are_not_checked():
    assert check_object({"kind": "Widget", "metadata": {"name": 5}}) == (True, [])
    assert check_object(pod(spec={"containers": [], "futureField": [1, {"x": None}]})) == (
        True,
        [],
    )


def test_the_store_reports_invalid_and_duplicate_objects_and_the_later_copy_wins():
    store = Store(SourceInfo())
    first = {"kind": "Namespace", "metadata": {"name": "a", "labels": {"v": "1"}}}
    second = {"kind": "Namespace", "metadata": {"name": "a", "labels": {"v": "2"}}}
    store.put_many([first, pod(spec=3), second], origin=lambda o: "in.yaml")
    view = store.view()
    assert view.get("Pod", "ns", "p") is None
    assert view.get("Namespace", "", "a")["metadata"]["labels"] == {"v": "2"}
    assert store.source.duplicates == [("Namespace", "", "a", "in.yaml")]
    assert store.source.invalid_objects() == 1


def test_a_live_update_that_fixes_an_object_clears_its_report():
    store = Store(SourceInfo(mode="live"))
    store.put(pod(spec=3))
    assert store.source.invalid_objects() == 1
    store.put(pod())
    assert store.source.invalid == []
    assert store.view().get("Pod", "ns", "p") is not None
    store.replace_kind("Pod", [pod(spec="x")])
    assert store.view().count("Pod") == 0 and store.source.invalid_objects() == 1


def test_the_schema_file_is_what_the_generator_makes():
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_schema.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr


def test_header_counts_invalid_objects_only_when_there_are_some():
    from mlview.ui.header import header_text

    store = Store(SourceInfo(label="x"))
    store.put_many([pod()])
    assert "invalid" not in header_text(store.view(), store.source, None, "").plain
    store.put_many([pod(spec=3)])
    assert "1 invalid" in header_text(store.view(), store.source, None, "").plain
