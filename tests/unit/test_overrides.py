"""A team's .mlview.yaml: disabled codes, changed severities, accepted exceptions."""

from __future__ import annotations

import json

import pytest

from mlview import cli
from mlview.analysis import overrides
from mlview.analysis.findings import Finding, Severity


def f(code: str, sev: Severity, ns: str = "ml", name: str = "a", kind: str = "Pod") -> Finding:
    return Finding(code, sev, kind, ns, name, "m", "h")


def test_disable_severity_and_exceptions():
    config = overrides.parse(
        {
            "disable": ["noisy"],
            "severity": {"rated": "info"},
            "exceptions": [
                {"code": "kept", "namespace": "ml", "name": "scratch-*", "reason": "on purpose"}
            ],
        },
        "cfg",
    )
    found = [
        f("noisy", Severity.ERROR),
        f("rated", Severity.ERROR),
        f("kept", Severity.WARNING, name="scratch-1"),
        f("kept", Severity.WARNING, name="data"),  # near miss: the name differs
        f("kept", Severity.WARNING, ns="other", name="scratch-1"),  # near miss: namespace
    ]
    kept, hidden = config.apply(found)
    assert hidden == 2
    assert [(x.code, x.severity, x.namespace, x.name) for x in kept] == [
        ("kept", Severity.WARNING, "ml", "data"),
        ("kept", Severity.WARNING, "other", "scratch-1"),
        ("rated", Severity.INFO, "ml", "a"),
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        ([], "expected a mapping"),
        ({"disabled": []}, "unknown key 'disabled'"),
        ({"disable": "x"}, "disable: expected a list"),
        ({"severity": {"x": "fatal"}}, "'fatal' is not info, warning or error"),
        ({"exceptions": [{"code": "x"}]}, "exceptions[0]: an exception needs a reason"),
        ({"exceptions": [{"reason": "r", "pod": "x"}]}, "exceptions[0]: expected keys"),
    ],
)
def test_bad_config_is_one_clear_line(data, message):
    with pytest.raises(overrides.OverridesError, match=message.replace("[", r"\[")):
        overrides.parse(data, "cfg")


def test_default_file_is_read_from_the_working_directory(tmp_path):
    assert overrides.load(cwd=tmp_path).empty
    (tmp_path / ".mlview.yaml").write_text("disable: [x]\n")
    assert overrides.load(cwd=tmp_path).disable == {"x"}
    (tmp_path / "bad.yaml").write_text("disable: [x\n")
    with pytest.raises(overrides.OverridesError, match=r"bad.yaml:2: malformed YAML"):
        overrides.load(tmp_path / "bad.yaml")


def test_check_applies_the_config_and_says_how_many_it_hid(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--demo", "incident-504", "--format", "json"]) == 1
    before = json.loads(capsys.readouterr().out)
    errors = sorted({x["code"] for x in before["findings"] if x["severity"] == "error"})
    (tmp_path / ".mlview.yaml").write_text(
        "severity:\n" + "".join(f"  {code}: warning\n" for code in errors)
    )
    assert cli.main(["check", "--demo", "incident-504", "--format", "json"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert after["counts"]["error"] == 0
    assert "0 findings hidden by" in after["notes"][-1]
    (tmp_path / "off.yaml").write_text("disable: [" + ", ".join(errors) + "]\n")
    assert cli.main(["check", "--demo", "incident-504", "--config", "off.yaml"]) == 0
    out = capsys.readouterr().out
    assert f"{before['counts']['error']} findings hidden by off.yaml" in out
    assert cli.main(["check", "--demo", "--config", "missing.yaml"]) == 2
    assert "missing.yaml: cannot read" in capsys.readouterr().err
