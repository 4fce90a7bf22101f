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
            "disable": ["ingress-body-size-default"],
            "severity": {"pvc-reclaim-delete": "info"},
            "exceptions": [
                {
                    "code": "pv-released",
                    "namespace": "ml",
                    "name": "scratch-*",
                    "reason": "on purpose",
                }
            ],
        },
        "cfg",
    )
    found = [
        f("ingress-body-size-default", Severity.ERROR),
        f("pvc-reclaim-delete", Severity.ERROR),
        f("pv-released", Severity.WARNING, name="scratch-1"),
        f("pv-released", Severity.WARNING, name="data"),  # near miss: the name differs
        f("pv-released", Severity.WARNING, ns="other", name="scratch-1"),  # near miss: namespace
    ]
    kept, hidden = config.apply(found)
    assert hidden == 2
    assert [(x.code, x.severity, x.namespace, x.name) for x in kept] == [
        ("pv-released", Severity.WARNING, "ml", "data"),
        ("pv-released", Severity.WARNING, "other", "scratch-1"),
        ("pvc-reclaim-delete", Severity.INFO, "ml", "a"),
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
    (tmp_path / ".mlview.yaml").write_text("disable: [pv-released]\n")
    assert overrides.load(cwd=tmp_path).disable == {"pv-released"}
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


def test_unknown_codes_are_named_with_the_closest(tmp_path):
    with pytest.raises(overrides.OverridesError, match="did you mean pvc-storageclass-missing"):
        overrides.parse({"disable": ["pvc-storageclass-mising"]}, "cfg")
    with pytest.raises(overrides.OverridesError, match="unknown finding code 'nope'"):
        overrides.parse({"severity": {"nope": "info"}}, "cfg")


def test_checks_and_explain(capsys):
    assert cli.main(["checks", "--format", "json"]) == 0
    codes = [c["code"] for c in json.loads(capsys.readouterr().out)["checks"]]
    assert "pvc-storageclass-missing" in codes and len(codes) == len(set(codes))
    assert cli.main(["explain", "ingress-timeout-below-latency"]) == 0
    out = capsys.readouterr().out
    # the example comes from the first demo (by name) that has the finding: after-upgrade now
    assert "How to fix" in out and "Example (mlview check --demo " in out
    assert cli.main(["explain", "ingress-timeout-below"]) == 2
    assert "did you mean ingress-timeout-below-latency" in capsys.readouterr().err


async def test_the_app_applies_the_overrides_and_says_how_many_it_hid(tmp_path):
    from mlview.analysis.overrides import parse
    from mlview.ui.app import MLViewApp
    from tests.uitext import make_app, screen_text, settle

    config = parse({"disable": ["pvc-reclaim-delete"]}, ".mlview.yaml")
    base = make_app("incident-504")
    app = MLViewApp(base.store, overrides=config)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        text = screen_text(app)
        assert "pvc-reclaim-delete" not in text
        assert "3 hidden by .mlview.yaml" in text
