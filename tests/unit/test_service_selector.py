"""Finding `service-selector-matches-nothing`: a Service whose selector picks no pod and no
workload template in its namespace."""

from __future__ import annotations

from mlview.analysis import registry
from mlview.store import StoreView
from tests.unit.test_virtual_pods import NS, pod, workload

CODE = "service-selector-matches-nothing"


def service(selector: dict | None, name: str = "api", **spec: object) -> dict:
    body: dict = {"ports": [{"port": 80}], **spec}
    if selector is not None:
        body["selector"] = selector
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": NS},
        "spec": body,
    }


def codes(objs: list[dict]) -> list:
    found, errors = registry.run_checked(StoreView.from_objects(objs))
    assert not errors
    return [f for f in found if f.code == CODE]


def test_a_typo_in_the_selector_fires_and_the_hint_names_the_label() -> None:
    dep = workload("Deployment", "api", 2)
    dep["spec"]["template"]["metadata"]["labels"] = {"app": "api", "tier": "web"}
    hits = codes([dep, service({"app": "api", "tier": "wbe"})])
    assert [(f.namespace, f.name, f.severity.value) for f in hits] == [(NS, "api", "warning")]
    assert "tier=wbe" in hits[0].message and "connection refused" in hits[0].message
    assert "Deployment ml/api" in hits[0].hint
    assert "tier=wbe (the template has tier=web)" in hits[0].hint
    assert "app=" not in hits[0].hint.split("differs on", 1)[1]  # only the label that differs


def test_a_label_missing_from_the_template_is_named() -> None:
    hits = codes([workload("Deployment", "api", 1), service({"app": "api", "track": "stable"})])
    assert "track=stable (the template has no label track)" in hits[0].hint


def test_near_misses_stay_silent() -> None:
    dep = workload("Deployment", "api", 0)  # no pod, real or virtual: the template still counts
    assert codes([dep, service({"app": "api"})]) == []
    assert codes([dep, service(None)]) == []  # managed by hand or by EndpointSlices
    assert codes([dep, service({"app": "x"}, type="ExternalName")]) == []
    assert codes([pod("bare", {"app": "x"}), service({"app": "x"})]) == []
    # another namespace's workload does not count
    other = workload("Deployment", "api", 1)
    other["metadata"]["namespace"] = "elsewhere"
    assert len(codes([other, service({"app": "api"})])) == 1


def test_silent_when_the_input_holds_neither_pods_nor_workloads() -> None:
    assert codes([service({"app": "api"})]) == []


def test_check_on_a_folder_says_what_was_virtual(tmp_path, capsys) -> None:
    """`mlview check` on manifests: the dangling Service fires, and a note names the workloads
    whose pods were analysed before they exist."""
    import json

    import yaml

    from mlview.cli import main

    dep = workload("Deployment", "api", 2)
    (tmp_path / "k8s.yaml").write_text(
        yaml.safe_dump_all([dep, service({"app": "apii"})]), encoding="utf-8"
    )
    assert main(["check", "--snapshot", str(tmp_path), "--format", "json"]) == 0  # a warning
    data = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in data["findings"]] == [CODE]
    assert any(
        "2 pod(s) not in the snapshot were analysed as their workloads would create them "
        "(virtual): Deployment ml/api" in n
        for n in data["notes"]
    )
