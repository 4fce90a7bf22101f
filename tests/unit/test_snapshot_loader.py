"""Every accepted snapshot format, and every error path of the loader."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from mlview.cli import main
from mlview.sources.snapshot import SnapshotError, load, snapshot_list

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "ns"}}
SVC = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "ns"}}


def write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_v1_list_yaml_with_metadata(small_snapshot):
    snap = load([small_snapshot])
    kinds = sorted({o["kind"] for o in snap.objects})
    assert "Pod" in kinds and "Ingress" in kinds
    assert snap.recorded_at == "2026-11-27T05:40:00Z"
    assert snap.context == "test-cluster"
    assert snap.skipped_kinds == {"ControllerRevision": 1}


def test_json_list_and_typed_list_infers_kind(tmp_path):
    doc = {
        "apiVersion": "v1",
        "kind": "PodList",
        "items": [
            {"metadata": {"name": "p1", "namespace": "a"}},
            {"metadata": {"name": "p2", "namespace": "a"}},
        ],
    }
    snap = load([write(tmp_path, "pods.json", json.dumps(doc))])
    assert [o["kind"] for o in snap.objects] == ["Pod", "Pod"]
    assert snap.objects[0]["apiVersion"] == "v1"


def test_multi_document_yaml_and_plain_manifest(tmp_path):
    text = yaml.safe_dump(POD) + "---\n" + yaml.safe_dump(SVC) + "---\n"
    snap = load([write(tmp_path, "m.yaml", text)])
    assert sorted(o["kind"] for o in snap.objects) == ["Pod", "Service"]


def test_directory_is_read_recursively(tmp_path):
    write(tmp_path, "a/pod.yaml", yaml.safe_dump(POD))
    write(tmp_path, "a/b/svc.yml", yaml.safe_dump(SVC))
    write(tmp_path, "a/b/notes.txt", "not a manifest")
    snap = load([tmp_path / "a"])
    assert sorted(o["kind"] for o in snap.objects) == ["Pod", "Service"]
    assert len(snap.files) == 2


def test_json_array_of_objects(tmp_path):
    snap = load([write(tmp_path, "x.json", json.dumps([POD, SVC]))])
    assert len(snap.objects) == 2


def test_unknown_kinds_are_counted_and_skipped(tmp_path):
    text = yaml.safe_dump_all(
        [
            POD,
            {"kind": "Widget", "metadata": {"name": "w"}},
            {"kind": "Widget", "metadata": {"name": "w2"}},
        ]
    )
    snap = load([write(tmp_path, "m.yaml", text)])
    assert snap.skipped_kinds == {"Widget": 2}
    assert len(snap.objects) == 1


def test_objects_without_name_or_kind_are_skipped_not_fatal(tmp_path):
    text = yaml.safe_dump_all([POD, {"kind": "Pod", "metadata": {}}, {"metadata": {"name": "x"}}])
    snap = load([write(tmp_path, "m.yaml", text)])
    assert len(snap.objects) == 1
    assert len(snap.invalid) == 2


def test_secret_data_is_dropped(tmp_path):
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {
            "name": "s",
            "namespace": "a",
            "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": '{"data":{"k":"c2VjcmV0"}}'
            },
        },
        "data": {"k": "c2VjcmV0"},
        "stringData": {"k": "secret"},
    }
    snap = load([write(tmp_path, "s.yaml", yaml.safe_dump(secret))])
    obj = snap.objects[0]
    assert "data" not in obj and "stringData" not in obj
    assert "c2VjcmV0" not in json.dumps(obj)


def test_managed_fields_are_stripped(tmp_path):
    pod = {**POD, "metadata": {**POD["metadata"], "managedFields": [{"manager": "kubectl"}]}}
    snap = load([write(tmp_path, "p.yaml", yaml.safe_dump(pod))])
    assert "managedFields" not in snap.objects[0]["metadata"]


def test_malformed_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, "bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n")
    with pytest.raises(SnapshotError) as err:
        load([path])
    msg = str(err.value)
    assert msg.startswith(f"{path}:") and "malformed YAML" in msg
    line = int(msg.split(":")[1])
    assert 4 <= line <= 5
    assert "\n" not in msg


def test_malformed_json_names_file_and_line(tmp_path):
    path = write(tmp_path, "bad.json", '{\n  "kind": "Pod",\n  "metadata": {\n}\n,}')
    with pytest.raises(SnapshotError, match=r"bad\.json:\d+: malformed JSON"):
        load([path])


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("just a string\n", "expected a Kubernetes object"),
        ("- 1\n- 2\n", "expected a Kubernetes object"),
        (yaml.safe_dump({"kind": "Widget", "metadata": {"name": "w"}}), "no Kubernetes objects"),
        ("", "no Kubernetes objects"),
    ],
)
def test_unusable_input(tmp_path, text, pattern):
    with pytest.raises(SnapshotError, match=pattern):
        load([write(tmp_path, "x.yaml", text)])


def test_missing_path_and_empty_dir(tmp_path):
    with pytest.raises(SnapshotError, match="no such file"):
        load([tmp_path / "nope.yaml"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(SnapshotError, match="holds no"):
        load([tmp_path / "empty"])


def test_binary_file(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(SnapshotError, match="not UTF-8"):
        load([path])


def test_snapshot_list_round_trip(tmp_path):
    doc = snapshot_list(
        [dict(POD), dict(SVC)],
        recorded_at="2026-11-27T00:00:00Z",
        context="prod",
        listed_kinds=["Pod", "Service", "Secret"],
    )
    snap = load([write(tmp_path, "r.yaml", yaml.safe_dump(doc))])
    assert snap.context == "prod" and snap.recorded_at == "2026-11-27T00:00:00Z"
    assert snap.listed_kinds == {"Pod", "Service", "Secret"}
    view = snap.to_store().view()
    assert view.has_listed("Secret")  # listed, and none found: absence is a fact
    assert not view.has_listed("Ingress")


def test_cli_reports_malformed_input_in_one_line_exit_2(tmp_path, capsys):
    path = write(tmp_path, "bad.yaml", "kind: Pod\nmetadata: {name: [\n")
    assert main(["check", "--snapshot", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("mlview: ") and str(path) in err and "\n" not in err
    assert "Traceback" not in err


def test_cli_usage_error_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "xml"])
    assert exc.value.code == 2


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: (os.mkfifo(d / "fifo"), d / "fifo")[1], "not a regular file or directory"),
        (lambda d: Path("/dev/null"), "not a regular file or directory"),
        (
            lambda d: ((d / "l.yaml").symlink_to(d / "gone.yaml"), d / "l.yaml")[1],
            "which does not exist",
        ),
        (
            lambda d: ((d / "deep.json").write_text("[" * 5000 + "]" * 5000), d / "deep.json")[1],
            "nested too deeply",
        ),
        (
            lambda d: ((d / "deep.yaml").write_text("[" * 5000 + "]" * 5000), d / "deep.yaml")[1],
            "nested too deeply",
        ),
        (
            lambda d: (
                (d / "int.json").write_text('{"kind": "Pod", "spec": {"x": ' + "9" * 5000 + "}}"),
                d / "int.json",
            )[1],
            "thousands of digits",
        ),
    ],
)
def test_hostile_paths_and_shapes_get_one_clear_line(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(SnapshotError, match=message):
        load([path])
