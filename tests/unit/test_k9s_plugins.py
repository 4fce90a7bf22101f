"""docs/k9s/plugins.yaml: valid k9s plugin entries whose commands exist and take those args."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

from mlview import cli

PLUGINS = Path(__file__).resolve().parents[2] / "docs" / "k9s" / "plugins.yaml"
REQUIRED = {"shortCut", "description", "scopes", "command"}  # k9s's plugins.json schema
ALLOWED = REQUIRED | {"args", "background", "confirm", "dangerous", "override", "inputs"}
K9S_VARS = {"$CONTEXT": "prod", "$NAMESPACE": "ml-serving", "$NAME": "ml-api-ingress"}


def mlview_argv(plugin: dict) -> list[str]:
    """The mlview command line a plugin runs, with k9s's variables filled in."""
    args = [str(a) for a in plugin.get("args") or []]
    if plugin["command"] == "mlview":
        words = args
    else:
        assert plugin["command"] == "sh" and args[0] == "-c", plugin
        words = shlex.split(args[1].split("|")[0])
        assert words[0] == "mlview", words
        words = words[1:]
    return [K9S_VARS.get(w, w) for w in words]


def plugins() -> dict[str, dict]:
    return yaml.safe_load(PLUGINS.read_text())["plugins"]


def test_entries_follow_k9s_schema():
    entries = plugins()
    assert {"mlview", "mlview-trace"} <= set(entries)
    keys = [p["shortCut"] for p in entries.values()]
    assert len(keys) == len(set(keys))
    for name, plugin in entries.items():
        assert REQUIRED <= set(plugin) <= ALLOWED, name
        assert isinstance(plugin["scopes"], list) and plugin["scopes"]


@pytest.mark.parametrize("name", sorted(plugins()))
def test_each_plugin_runs_a_valid_mlview_command(name):
    argv = mlview_argv(plugins()[name])
    args = cli.build_parser().parse_args(argv)  # exits 2 on an unknown option
    assert args.context == "prod"


def test_the_trace_plugin_traces_the_ingress_under_the_cursor(capsys):
    argv = mlview_argv(plugins()["mlview-trace"])
    argv = [a for a in argv if a not in ("--context", "prod")] + ["--demo", "incident-504"]
    assert cli.main(argv) == 1  # /v1/translate: 504
    assert "https://api.ml.example.com/v1/translate  ->  504" in capsys.readouterr().out
