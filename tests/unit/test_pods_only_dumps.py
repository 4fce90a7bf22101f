"""A pods-only dump (`kubectl get pods,svc,ing,netpol,... -A`: no Deployments, ReplicaSets,
DaemonSets) gives the same findings and traces as the full dump: the ingress-nginx controller is
found from its pods (args, image or the chart's labels) and named after its Deployment, and the
Gateway API data plane from its pods' labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlview.analysis import registry
from mlview.analysis.shared.virtual_pods import complete
from mlview.analysis.trace import trace
from mlview.sources import demo, snapshot
from mlview.store import StoreView

WORKLOADS = {"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job"}
LISTED = "mlview.io/listed-kinds"
URLS = {
    "netpol-lockdown": ["https://api.ml.example.com/v1/translate"],
    "incident-504": [
        "https://api.ml.example.com/v1/translate",
        "https://api.ml.example.com/v1/sentiment",
    ],
    "ml-gateway": ["https://llm.ml.example.com/v1/chat/completions"],
}


def load(path: Path) -> StoreView:
    return complete(snapshot.load([path]).to_store("snapshot").view())


def pods_only(scenario: str, tmp_path: Path, edit=None) -> Path:
    data = json.loads(demo.scenario_path(scenario).read_text())
    data["items"] = [i for i in data["items"] if i["kind"] not in WORKLOADS]
    ann = data["metadata"]["annotations"]
    ann[LISTED] = ",".join(k for k in ann[LISTED].split(",") if k not in WORKLOADS)
    for item in data["items"]:
        if edit is not None:
            edit(item)
    out = tmp_path / f"{scenario}.json"
    out.write_text(json.dumps(data))
    return out


def outputs(view: StoreView, scenario: str) -> tuple[list, list]:
    found, errors = registry.run_checked(view)
    assert not errors
    traces = [trace(view, url, "POST", 20_000_000).to_json() for url in URLS[scenario]]
    return [f.to_json() for f in found], traces


@pytest.mark.parametrize("scenario", sorted(URLS))
def test_pods_only_dump_gives_the_full_dumps_findings_and_traces(
    scenario: str, tmp_path: Path
) -> None:
    full = outputs(load(demo.scenario_path(scenario)), scenario)
    assert outputs(load(pods_only(scenario, tmp_path)), scenario) == full


def test_the_lockdown_finding_survives_without_deployments(tmp_path: Path) -> None:
    found, traces = outputs(load(pods_only("netpol-lockdown", tmp_path)), "netpol-lockdown")
    assert any(f["code"] == "ingress-backend-blocked-by-networkpolicy" for f in found)
    assert traces[0]["status"] == 504


def test_controller_found_by_the_charts_labels_alone(tmp_path: Path) -> None:
    """A controller pod with a custom image and an entrypoint that is not in its args."""

    def edit(item: dict) -> None:
        if item["kind"] == "Pod" and item["metadata"]["name"].startswith("ingress-nginx-contr"):
            c = item["spec"]["containers"][0]
            c["image"] = "registry.example.com/edge/proxy:1.0"
            c["args"] = [a for a in c["args"] if a != "/nginx-ingress-controller"]

    view = load(pods_only("netpol-lockdown", tmp_path, edit))
    full = outputs(load(demo.scenario_path("netpol-lockdown")), "netpol-lockdown")
    assert outputs(view, "netpol-lockdown") == full


def test_load_balancer_hop_without_controller_pods_or_workload(tmp_path: Path) -> None:
    """Only the controller's Service is left: the chart's selector still names the hop."""
    path = pods_only("incident-504", tmp_path)
    data = json.loads(path.read_text())
    data["items"] = [
        i
        for i in data["items"]
        if not (i["kind"] == "Pod" and i["metadata"]["namespace"] == "ingress-nginx")
    ]
    path.write_text(json.dumps(data))
    url = "https://api.ml.example.com/v1/translate"
    steps = trace(load(path), url).to_json()["steps"]
    timeouts = next(s for s in steps if s["step"] == "timeouts")
    assert "load balancer (AWS NLB)" in repr(timeouts)
