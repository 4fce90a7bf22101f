"""The CLI's one-line errors point where the fix is: the subcommand's help, the right order of
`--demo` and a command, and no offline suggestion to a command that needs a cluster."""

from __future__ import annotations

import pytest

from mlview.cli import main


def err_of(capsys, argv) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    return exc.value.code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "help_of"),
    [
        (["check", "--bogus"], "mlview check --help"),
        (["check", "--fail-on", "bad"], "mlview check --help"),
        (["matrix", "--port"], "mlview matrix --help"),
        (["--bogus"], "mlview --help"),
    ],
)
def test_an_argument_error_points_to_the_subcommands_help(capsys, argv, help_of):
    code, err = err_of(capsys, argv)
    assert code == 2 and err.count("\n") == 1
    assert f"(see {help_of})" in err


@pytest.mark.parametrize(
    ("argv", "meant"),
    [
        (["--demo", "check"], "mlview check --demo"),
        (["--demo", "matrix", "--port", "53/udp"], "mlview matrix --demo --port 53/udp"),
    ],
)
def test_demo_before_a_command_suggests_the_right_order(capsys, argv, meant):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"did you mean `{meant}`?" in err and err.count("\n") == 1


def test_record_without_a_kubeconfig_does_not_suggest_a_snapshot(tmp_path, monkeypatch, capsys):
    pytest.importorskip("kubernetes")
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "missing"))
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    assert main(["record", str(tmp_path / "out.yaml")]) == 2
    err = capsys.readouterr().err
    assert "no kubeconfig" in err and "--snapshot" not in err
    assert main(["check"]) == 2  # check can work offline: it says how
    assert "--snapshot/--demo to work offline" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [["diff", "demo:before-upgrade", "live"], ["--demo", "--baseline", "live", "--headless-check"]],
)
def test_live_as_a_named_source_without_a_kubeconfig_suggests_another_name(
    tmp_path, monkeypatch, capsys, argv
):
    """`live` named as OLD/NEW (diff, --baseline): --snapshot/--demo would not help there."""
    pytest.importorskip("kubernetes")
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "missing"))
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "no kubeconfig" in err and "demo:NAME instead of live" in err
    assert "--snapshot" not in err and err.count("\n") == 1
