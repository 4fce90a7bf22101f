"""Shell completion and the kubectl plugin entry: what the shell is offered, what kubectl runs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mlview import cli


def complete(line: str, monkeypatch: pytest.MonkeyPatch, tmp_path) -> list[str]:
    """What the program answers the shell for the words typed so far (`line`), asked the way
    the shell code of `mlview completion` asks (argcomplete's protocol, in a subprocess)."""
    out = tmp_path / "completion.txt"
    env = dict(os.environ)
    env.update(
        _ARGCOMPLETE="1",
        _ARGCOMPLETE_IFS="\v",
        _ARGCOMPLETE_STDOUT_FILENAME=str(out),
        COMP_LINE=line,
        COMP_POINT=str(len(line)),
    )
    subprocess.run([sys.executable, "-m", "mlview"], env=env, check=True, timeout=60)
    words = out.read_text().split("\v")
    out.unlink()
    return sorted(w.strip() for w in words if w.strip())


def test_subcommands_and_options(monkeypatch, tmp_path):
    assert {"check", "trace", "matrix", "record", "rbac", "completion"} <= set(
        complete("mlview ", monkeypatch, tmp_path)
    )
    assert "--fail-on" in complete("mlview check --fa", monkeypatch, tmp_path)


def test_demo_names(monkeypatch, tmp_path):
    assert complete("mlview --demo incident", monkeypatch, tmp_path) == [
        "incident-504",
        "incident-pending-pvc",
    ]


def test_contexts_from_the_kubeconfig(monkeypatch, tmp_path):
    config = tmp_path / "config"
    config.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: staging\ncontexts:\n"
        "- {name: prod-eu-1, context: {cluster: a, user: b}}\n"
        "- {name: staging, context: {cluster: a, user: b}}\n"
    )
    monkeypatch.setenv("KUBECONFIG", str(config))
    assert complete("mlview check --context pr", monkeypatch, tmp_path) == ["prod-eu-1"]
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "missing"))
    assert complete("mlview --context ", monkeypatch, tmp_path) == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_shell_code_for_both_programs(shell, capsys):
    assert cli.main(["completion", shell]) == 0
    code = capsys.readouterr().out
    assert "mlview" in code and "kubectl-mlview" in code and "_ARGCOMPLETE" in code


def test_kubectl_plugin_takes_kubectls_flags(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["kubectl-mlview", "check", "--demo", "-A"])
    assert cli.kubectl_main() == 0
    assert "error" in capsys.readouterr().out
    monkeypatch.setattr(sys, "argv", ["kubectl-mlview", "check", "--demo", "-n", "ml-serving"])
    assert cli.kubectl_main() in (0, 1)
    capsys.readouterr()
    with pytest.raises(SystemExit):
        monkeypatch.setattr(sys, "argv", ["kubectl-mlview", "--help"])
        cli.kubectl_main()
    assert capsys.readouterr().out.startswith("usage: kubectl mlview")
