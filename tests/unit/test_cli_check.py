"""`mlview check`: JSON shape, exit codes, severity filters (the mechanism, a fake analyzer)."""

from __future__ import annotations

import json

import pytest

from mlview.analysis import registry
from mlview.analysis.findings import Finding, Severity
from mlview.cli import main


@pytest.fixture
def fake_analyzers(monkeypatch):
    def analyze(view):
        return [
            Finding("demo-error", Severity.ERROR, "Pod", "ml-serving", "a", "broken", "fix it"),
            Finding("demo-info", Severity.INFO, "Pod", "ml-training", "b", "fyi", ""),
        ]

    monkeypatch.setattr(registry, "analyzers", lambda: [("fake", analyze)])


def test_json_shape_and_exit_1_on_error(fake_analyzers, small_snapshot, capsys):
    code = main(["check", "--snapshot", str(small_snapshot), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert out["source"] == "small.yaml"
    assert out["counts"] == {"error": 1, "warning": 0, "info": 1}
    assert set(out["findings"][0]) == {
        "code",
        "severity",
        "kind",
        "namespace",
        "name",
        "message",
        "hint",
        "services",  # the model services it touches (blast radius)
    }
    assert out["findings"][0]["severity"] == "error"  # worst first


def test_min_severity_and_fail_on(fake_analyzers, small_snapshot, capsys):
    code = main(
        ["check", "--snapshot", str(small_snapshot), "--format", "json", "--min-severity", "error"]
    )
    out = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in out["findings"]] == ["demo-error"]
    assert code == 1


def test_namespace_narrows(fake_analyzers, small_snapshot, capsys):
    code = main(
        ["check", "--snapshot", str(small_snapshot), "--format", "json", "-n", "ml-training"]
    )
    out = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in out["findings"]] == ["demo-info"]
    assert code == 0  # the error lives in another namespace


def test_text_output_when_piped(fake_analyzers, small_snapshot, capsys):
    code = main(["check", "--snapshot", str(small_snapshot)])
    out = capsys.readouterr().out
    assert code == 1
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["SEVERITY", "CODE", "OBJECT"]
    assert "demo-error" in out and "hint: fix it" in out
    assert lines[-1] == "1 error, 0 warning, 1 info"


def test_exit_0_without_errors(monkeypatch, small_snapshot, capsys):
    monkeypatch.setattr(registry, "analyzers", lambda: [])
    assert main(["check", "--snapshot", str(small_snapshot), "--format", "json"]) == 0


def test_real_analyzers_run_on_small_snapshot(small_snapshot, capsys):
    code = main(["check", "--snapshot", str(small_snapshot), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    assert isinstance(out["findings"], list)


def test_source_options_before_the_subcommand_are_kept(small_snapshot, capsys):
    # (--snapshot takes several paths, so before a subcommand it would swallow its name)
    code = main(
        ["-n", "ml-training", "check", "--snapshot", str(small_snapshot), "--format", "json"]
    )
    out = json.loads(capsys.readouterr().out)
    assert code in (0, 1) and out["source"] == "small.yaml"
    assert out["findings"] and all(f["namespace"] in ("", "ml-training") for f in out["findings"])


def test_missing_permissions_are_noted_in_check_json(small_snapshot, capsys, monkeypatch):
    from mlview.commands import common
    from mlview.sources.snapshot import load

    class Listed:  # a live source, already listed
        def list_once(self):
            store = load([small_snapshot]).to_store("live", label="ctx")
            store.source.notes = {"Secret": "forbidden: list secrets (see mlview rbac)"}
            return store

    monkeypatch.setattr(common, "open_live", lambda args: Listed())
    main(["check", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert "Secret: forbidden: list secrets (see mlview rbac)" in out["notes"]


def test_the_app_startup_leaves_garbage_collection_on(tmp_path, capsys):
    """run_app pauses the collector while it loads; a load that fails must not leave it off."""
    import gc

    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: [unclosed\n")
    assert main(["--snapshot", str(bad)]) == 2
    assert gc.isenabled()
    assert "bad.yaml" in capsys.readouterr().err
