"""`mlview check` on every demo scenario: the planted problems appear, exit codes follow
--fail-on, JSON parses and keeps the foundation's field names, text works when piped."""

from __future__ import annotations

import json
import re

import pytest

from mlview.analysis import registry
from mlview.analysis.findings import Finding, Severity
from mlview.cli import main

FIELDS = {"code", "severity", "kind", "namespace", "name", "message", "hint", "services"}
BLOCKED = "ingress-backend-blocked-by-networkpolicy"

# scenario -> (codes that must appear, exit status with the default --fail-on error)
EXPECTED = {
    "ml-platform": (set(), 0),
    "incident-504": (
        {
            "ingress-timeout-below-latency",
            "ingress-annotation-invalid-value",
            "ingress-annotation-unknown",
            "ingress-annotation-wrong-controller",
            "ingress-backend-no-ready-endpoints",
        },
        1,
    ),
    "incident-pending-pvc": (
        {
            "pvc-storageclass-missing",
            "pod-waiting-on-pvc",
            "pvc-rwo-multi-node",
            "pv-released",
            "pod-ephemeral-checkpoints",
        },
        1,
    ),
    "netpol-lockdown": (
        {BLOCKED, "netpol-egress-blocks-dns", "netpol-selects-no-pods", "netpol-and-or-peers"},
        1,
    ),
    "ml-gateway": (
        {"httproute-not-accepted", "httproute-refs-unresolved", "httproute-timeout-below-latency"},
        1,
    ),
}


def check(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_every_scenario_json(capsys, scenario):
    want, status = EXPECTED[scenario]
    code, out, err = check(capsys, "--demo", scenario, "--format", "json")
    data = json.loads(out)
    assert code == status, err
    assert {"source", "findings", "counts"} <= set(data)
    assert data["mode"] == "demo"
    for f in data["findings"]:
        assert set(f) == FIELDS
        assert f["severity"] in ("error", "warning", "info")
    codes = {f["code"] for f in data["findings"]}
    assert want <= codes, want - codes
    assert data["counts"] == {
        sev: sum(1 for f in data["findings"] if f["severity"] == sev)
        for sev in ("error", "warning", "info")
    }
    ranks = [Severity(f["severity"]).rank for f in data["findings"]]
    assert ranks == sorted(ranks, reverse=True)  # worst first


@pytest.mark.parametrize("scenario", sorted(set(EXPECTED) - {"netpol-lockdown"}))
def test_blocked_route_is_specific_to_the_lockdown(capsys, scenario):
    _, out, _ = check(capsys, "--demo", scenario, "--format", "json")
    assert BLOCKED not in {f["code"] for f in json.loads(out)["findings"]}


def test_lockdown_names_the_ingress_and_the_policy(capsys):
    _, out, _ = check(capsys, "--demo", "netpol-lockdown", "--format", "json")
    (f,) = [f for f in json.loads(out)["findings"] if f["code"] == BLOCKED]
    assert (f["kind"], f["namespace"], f["name"]) == ("Ingress", "ml-serving", "ml-api-ingress")
    assert f["severity"] == "error"
    assert "ml-serving/default-deny" in f["message"] and "504" in f["message"]
    for svc in ("sentiment-model-svc", "translation-model-svc", "embedding-model-svc"):
        assert svc in f["message"]
    assert "ingress-nginx" in f["hint"]


@pytest.mark.parametrize(
    "argv, status",
    [
        ([], 0),  # warnings only
        (["--fail-on", "warning"], 1),
        (["--fail-on", "info"], 1),
        # hidden findings still count for the exit status
        (["--min-severity", "error", "--fail-on", "warning"], 1),
    ],
)
def test_fail_on(capsys, argv, status):
    code, _, _ = check(capsys, "--demo", "ml-platform", "--format", "json", *argv)
    assert code == status


def test_lockdown_flags_the_and_or_peer_trap(capsys):
    _, out, _ = check(capsys, "--demo", "netpol-lockdown", "--format", "json")
    refs = [
        (f["namespace"], f["name"])
        for f in json.loads(out)["findings"]
        if f["code"] == "netpol-and-or-peers"
    ]
    assert refs == [("ml-serving", "trainer-to-store")]


def test_min_severity_hides(capsys):
    _, out, _ = check(
        capsys, "--demo", "incident-504", "--format", "json", "--min-severity", "error"
    )
    data = json.loads(out)
    assert {f["severity"] for f in data["findings"]} == {"error"}
    assert data["counts"]["warning"] == 0 and data["counts"]["info"] == 0


def test_namespace_keeps_its_namespace_findings_only(capsys):
    _, out, _ = check(capsys, "--demo", "netpol-lockdown", "--format", "json", "-n", "ml-serving")
    for f in json.loads(out)["findings"]:
        if f["kind"] == "Namespace":
            assert f["name"] == "ml-serving"
        else:
            assert f["namespace"] in ("", "ml-serving")


def test_text_when_piped(capsys):
    code, out, _ = check(capsys, "--demo", "netpol-lockdown")
    lines = out.splitlines()
    assert code == 1
    assert lines[0].split()[:4] == ["SEVERITY", "CODE", "OBJECT", "MESSAGE"]
    assert re.fullmatch(r"[1-9]\d* error, \d+ warning, \d+ info", lines[-1])
    assert any(line.startswith("error") and BLOCKED in line for line in lines)
    assert "\x1b" not in out
    # columns line up: every finding line has its code at the same offset
    offset = lines[0].index("CODE")
    for line in lines[1:-1]:
        if line[:1] in ("e", "w", "i"):
            assert line[offset - 2 : offset] == "  " and line[offset] != " "


def test_text_on_a_terminal_is_a_table(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "250")
    code, out, _ = check(capsys, "--demo", "ml-gateway")
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert code == 1
    assert "mlview check: demo: ml-gateway" in plain and "httproute-not-accepted" in plain
    assert "┏" in plain  # a table, not columns
    assert re.fullmatch(r"\d+ error, \d+ warning, \d+ info", plain.rstrip().splitlines()[-1])


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--snapshot", "no/such/file.yaml"], "no such file"),
        (["--demo", "nope"], "no demo scenario"),
        (["--format", "xml", "--demo"], "invalid choice"),
        (["--fail-on", "never", "--demo"], "invalid choice"),
    ],
)
def test_usage_and_input_errors_exit_2_with_one_line(capsys, argv, words):
    try:
        code = main(["check", *argv])
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and words in err


def test_malformed_snapshot_exits_2(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: [\n", encoding="utf-8")
    code, out, err = check(capsys, "--snapshot", str(bad))
    assert code == 2 and out == "" and "bad.yaml:2" in err


def test_a_crashing_analyzer_exits_2_and_keeps_the_others(capsys, monkeypatch):
    def broken(view):
        raise KeyError("spec")

    def fine(view):
        return [Finding("demo-warning", Severity.WARNING, "Pod", "ml", "p", "m", "h")]

    monkeypatch.setattr(registry, "analyzers", lambda: [("broken", broken), ("fine", fine)])
    code, out, err = check(capsys, "--demo", "ml-platform", "--format", "json")
    data = json.loads(out)
    assert code == 2
    assert [f["code"] for f in data["findings"]] == ["demo-warning"]
    assert "analyzer broken failed" in err and len(err.strip().splitlines()) == 1
    assert any("broken" in n for n in data["notes"])
