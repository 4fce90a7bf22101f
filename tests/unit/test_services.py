"""Model services: the rows, the card's joins, server and GPU detection, the CLI twin."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from mlview import cli
from mlview.analysis import services
from mlview.analysis.services.servers import last_termination, pod_gpus, server_kind
from mlview.sources import demo, snapshot

NOW = datetime(2026, 11, 27, 5, 40, tzinfo=UTC)  # the demos' recorded-at


def view_of(name: str):
    return snapshot.load([demo.scenario_path(name)]).to_store("demo").view()


def pod(image: str = "x", labels: dict | None = None, gpu: object = None) -> dict:
    res = {"limits": {"nvidia.com/gpu": gpu}} if gpu is not None else {}
    return {
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "ns", "labels": labels or {}},
        "spec": {"containers": [{"name": "c", "image": image, "resources": res}]},
    }


@pytest.mark.parametrize(
    "image, labels, expected",
    [
        ("nvcr.io/nvidia/tritonserver:24.05-py3", {}, "Triton"),
        ("vllm/vllm-openai:v0.6.3", {}, "vLLM"),
        ("ghcr.io/huggingface/text-generation-inference:2.4", {}, "TGI"),
        ("pytorch/torchserve:0.12.0-gpu", {}, "TorchServe"),
        ("kserve/sklearnserver:v0.14", {"serving.kserve.io/inferenceservice": "x"}, "KServe"),
        ("vllm/vllm-openai:v0.6", {"serving.kserve.io/inferenceservice": "x"}, "KServe/vLLM"),
        ("seldonio/mlserver:1.6", {"seldon-deployment-id": "x"}, "Seldon/MLServer"),
        ("myregistry/llm-server:1", {}, "?"),
    ],
)
def test_server_kind_from_images_and_labels(image, labels, expected):
    assert server_kind({"metadata": {}}, [pod(image, labels)]) == expected


def test_gpus_and_last_termination():
    assert pod_gpus(pod(gpu=2)) == 2 and pod_gpus(pod(gpu="1")) == 1 and pod_gpus(pod()) == 0
    assert pod_gpus(pod(gpu="lots")) == 0  # a bad quantity is not a crash
    p = pod()
    p["status"] = {
        "containerStatuses": [
            {
                "lastState": {
                    "terminated": {
                        "reason": "OOMKilled",
                        "exitCode": 137,
                        "finishedAt": "2026-11-27T05:30:00Z",
                    }
                }
            }
        ]
    }
    assert last_termination(p) == ("OOMKilled (exit 137)", "2026-11-27T05:30:00Z")


def test_rows_put_the_broken_model_service_first_and_leave_out_the_model_store():
    rows = services.service_rows(view_of("incident-504"), NOW)
    first = rows[0]
    assert first.ref == "ml-serving/llm-generate-svc"
    assert (first.ready, first.pods, first.gpus) == (0, 2, 2)
    assert first.recent_restarts > 0 and first.worst.value == "error"
    assert all(r.is_model for r in rows)
    assert "ml-serving/model-store" not in {r.ref for r in rows}  # storage, not a model API


def test_card_joins_route_prediction_pods_and_events():
    card = services.service_card(view_of("incident-504"), "ml-serving", "llm-generate-svc", NOW)
    (route,) = card.routes
    assert route.predicted_status == 503 and route.deciding_step == "endpoints"
    assert route.latency_budget_s == 120 and route.read_timeout_s == 300
    assert any("CrashLoopBackOff" in p.problem for p in card.pods)
    assert card.workloads[0].kind == "Deployment" and card.workloads[0].ready == 0
    assert any(e.reason == "BackOff" for e in card.events)
    translate = services.service_card(
        view_of("incident-504"), "ml-serving", "translation-model-svc", NOW
    )
    assert translate.routes[0].predicted_status == 504
    assert translate.routes[0].deciding_step == "timeouts"


def test_card_reachability_in_the_lockdown():
    card = services.service_card(
        view_of("netpol-lockdown"), "ml-serving", "translation-model-svc", NOW
    )
    proxy_group, proxy = card.inbound[0]
    assert proxy_group.startswith("proxy Deployment ingress-nginx/")
    assert proxy.allowed is False and "default-deny" in proxy.because
    assert card.row.model_store.allowed is True
    assert "allow-inference-to-store" in card.row.model_store.because
    assert card.row.dns.allowed is False
    # the route's 504 (NetworkPolicy) makes the service and its routes an error
    assert card.row.worst.value == "error" and card.row.routes_worst.value == "error"
    assert card.routes[0].predicted_status == 504


def test_card_storage_names_the_root_cause():
    card = services.service_card(view_of("incident-pending-pvc"), "ml-training", "trainer", NOW)
    (claim,) = card.claims
    assert claim.name == "checkpoint-pvc" and "ReadWriteOnce" in claim.problem


def test_cli_list_card_json_and_unknown(capsys):
    assert cli.main(["service", "--demo", "incident-504"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[:2] == [
        "error",
        "ml-serving/llm-generate-svc",
    ]
    assert (
        cli.main(
            ["service", "ml-serving/llm-generate-svc", "--demo", "incident-504", "--format", "json"]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["service"] == {
        "kind": "Service",
        "namespace": "ml-serving",
        "name": "llm-generate-svc",
    }
    assert {"server", "workloads", "pods", "routes", "claims", "reach", "findings"} <= set(data)
    assert data["reach"]["model_store"]["port"] == 9000
    assert data["routes"][0]["predicted_status"] == 503
    assert cli.main(["service", "ml-serving/llm-gen", "--demo", "incident-504"]) == 2
    assert "did you mean ml-serving/llm-generate-svc" in capsys.readouterr().err


def test_check_json_names_the_services_a_finding_touches(capsys):
    cli.main(["check", "--demo", "incident-504", "--format", "json"])
    found = json.loads(capsys.readouterr().out)["findings"]
    by_code = {f["code"]: f for f in found}
    assert by_code["ingress-backend-no-ready-endpoints"]["services"] == [
        {"kind": "Service", "namespace": "ml-serving", "name": "llm-generate-svc"}
    ]
    assert by_code["storageclass-in-tree-provisioner"]["services"] == []
    cli.main(["check", "--demo", "incident-504", "--by-service"])
    out = capsys.readouterr().out
    assert "ml-serving/llm-generate-svc:\n  error    ingress-backend-no-ready-endpoints" in out


# --- the demos' stories, one per card (tools/scenario_*.py plants them) ----------------------


def test_demo_llm_pod_crash_loops_with_oomkilled_on_the_card():
    card = services.service_card(view_of("incident-504"), "ml-serving", "llm-generate-svc", NOW)
    (crashing,) = [p for p in card.pods if "CrashLoopBackOff" in p.problem]
    assert crashing.last_termination == "OOMKilled (exit 137)" and crashing.gpus == 1
    assert crashing.restarts == 14 and not crashing.ready
    assert card.row.server == "vLLM"
    assert any(e.reason == "BackOff" and e.object.endswith(crashing.name) for e in card.events)


def test_demo_rollout_stuck_at_one_of_three_ready():
    card = services.service_card(view_of("incident-504"), "ml-serving", "summarize-model-svc", NOW)
    (dep,) = card.workloads
    assert (dep.kind, dep.name, dep.desired, dep.updated, dep.ready) == (
        "Deployment",
        "summarize-model",
        3,
        1,
        1,
    )
    assert (card.row.ready, card.row.pods, card.row.server) == (1, 3, "TGI")
    # the new pod cannot pull its image; the old image is still the one serving
    (new,) = [p for p in card.pods if "ImagePullBackOff" in p.problem]
    assert new.image.endswith(":2.4.10")
    ready = [p for p in card.pods if p.ready]
    assert [p.image.rsplit(":", 1)[1] for p in ready] == ["2.4.0"]
    assert {e.reason for e in card.events} >= {"Failed", "BackOff", "Unhealthy"}


def test_demo_model_service_pending_on_its_claim_shows_the_root_cause():
    card = services.service_card(view_of("incident-pending-pvc"), "ml-serving", "llm-chat-svc", NOW)
    assert card.row.is_model and card.row.server == "vLLM"
    (claim,) = card.claims
    assert (claim.name, claim.phase, claim.storage_class) == (
        "llm-weights-cache",
        "Pending",
        "premium-nvme",
    )
    assert "premium-nvme, which does not exist" in claim.problem  # the root cause, not the symptom
    (pod_line,) = card.pods
    assert pod_line.phase == "Pending" and "unbound immediate PersistentVolumeClaims" in (
        pod_line.problem
    )
    codes = {f.code for f in card.row.findings}
    assert {"pvc-storageclass-missing", "pod-waiting-on-pvc"} <= codes
    assert card.routes[0].predicted_status == 503  # chat-api has no endpoints to send to


def test_demo_model_service_denied_the_model_store_names_the_policy():
    view = view_of("netpol-lockdown")
    card = services.service_card(view, "ml-serving", "code-assist-svc", NOW)
    store = card.row.model_store
    assert store.allowed is False and store.pairs == "0 of 2 pods"
    assert "ml-serving/default-deny" in store.because
    # its neighbours with the platform's label are let through by the allow policy
    translate = services.service_card(view, "ml-serving", "translation-model-svc", NOW)
    assert translate.row.model_store.allowed is True


@pytest.mark.parametrize(
    "scenario, service, server",
    [
        ("ml-platform", "ml-serving/translation-model-svc", "Triton"),
        ("ml-platform", "ml-serving/sentiment-model-svc", "TorchServe"),
        ("ml-platform", "ml-serving/embedding-model-svc", "MLServer"),
        ("incident-504", "ml-serving/llm-generate-svc", "vLLM"),
        ("incident-504", "ml-serving/summarize-model-svc", "TGI"),
        ("incident-504", "ml-serving/vision-model-svc", "TF Serving"),
        ("ml-gateway", "ml-research/llm-experimental-svc", "SGLang"),
    ],
)
def test_demo_server_kinds_are_recognised(scenario, service, server):
    rows = {r.ref: r for r in services.service_rows(view_of(scenario), NOW)}
    assert rows[service].server == server


def test_every_demo_serving_namespace_runs_a_recognised_stack():
    # training Services (ml-training) and the MLflow registry are not model servers: "?" is right
    serving = ("ml-serving", "ml-research", "ml-experiments")
    for name in [s.name for s in demo.scenarios()]:
        rows = services.service_rows(view_of(name), NOW)
        unknown = [r.ref for r in rows if r.namespace in serving and r.server == "?"]
        assert unknown == [], name
