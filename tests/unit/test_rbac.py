"""`mlview rbac`: get/list/watch only, on exactly the kinds the live source lists."""

from __future__ import annotations

import yaml

from mlview.cli import main
from mlview.commands.rbac import cluster_role, render
from mlview.sources.live import watched_kinds


def granted(role: dict) -> set[tuple[str, str]]:
    return {(g, r) for rule in role["rules"] for g in rule["apiGroups"] for r in rule["resources"]}


def test_role_covers_every_kind_the_source_lists_and_nothing_else():
    role = yaml.safe_load(render())
    assert role["kind"] == "ClusterRole" and role["metadata"]["name"] == "mlview-viewer"
    assert granted(role) == {(k.group, k.plural) for k in watched_kinds()}


def test_only_read_verbs_and_no_wildcards():
    role = cluster_role()
    for rule in role["rules"]:
        assert rule["verbs"] == ["get", "list", "watch"]
        assert "*" not in rule["apiGroups"] and "*" not in rule["resources"]
        assert set(rule) == {"apiGroups", "resources", "verbs"}  # no resourceNames, no URLs


def test_one_rule_per_group_core_first():
    groups = [rule["apiGroups"][0] for rule in cluster_role()["rules"]]
    assert groups[0] == "" and len(groups) == len(set(groups))


def test_no_secrets_option_leaves_secrets_out_and_says_what_it_costs(capsys):
    assert main(["rbac", "--no-secrets"]) == 0
    out = capsys.readouterr().out
    role = yaml.safe_load(out)
    assert ("", "secrets") not in granted(role)
    assert granted(role) == {(k.group, k.plural) for k in watched_kinds() if k.plural != "secrets"}
    assert "ingress TLS checks give no verdict" in out


def test_comments_explain_why_secrets_list_is_needed(capsys):
    assert main(["rbac", "--name", "oncall-view"]) == 0
    out = capsys.readouterr().out
    assert "PartialObjectMetadataList" in out and "never reads their data" in out
    assert yaml.safe_load(out)["metadata"]["name"] == "oncall-view"


def test_pods_log_is_granted_only_with_the_logs_flag_and_only_get(capsys):
    assert ("", "pods/log") not in granted(cluster_role())
    assert main(["rbac"]) == 0
    plain = capsys.readouterr().out
    assert "pods/log" not in plain
    assert main(["rbac", "--logs"]) == 0
    out = capsys.readouterr().out
    role = yaml.safe_load(out)
    [rule] = [r for r in role["rules"] if "pods/log" in r["resources"]]
    assert rule == {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]}
    # everything else is unchanged: the same read-only rules as without the flag
    assert [r for r in role["rules"] if r is not rule] == cluster_role()["rules"]
    assert "never writes logs into a recording" in out
