"""The bundled demo scenarios: they load cleanly, look like kubectl output, are internally
consistent (Endpoints follow pod readiness) and regenerate byte for byte."""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from mlview.selectors import matches_map
from mlview.sources.snapshot import Snapshot, load
from mlview.store import StoreView

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo"
GENERATOR = ROOT / "tools" / "gen_demo.py"
SCENARIOS = [
    "ml-platform",
    "incident-504",
    "incident-pending-pvc",
    "netpol-lockdown",
    "ml-gateway",
    "before-upgrade",
    "after-upgrade",
]
RECORDED_AT = "2026-11-27T05:40:00Z"
# The seed's training-pod is a bare pod on purpose.
BARE_PODS = {("ml-training", "training-pod")}


@cache
def snap(name: str) -> Snapshot:
    return load([DEMO / f"{name}.json"])


def view(name: str) -> StoreView:
    return snap(name).to_store().view()


def test_every_scenario_file_is_expected() -> None:
    assert sorted(p.stem for p in DEMO.glob("*.json")) == sorted(SCENARIOS)


@pytest.mark.parametrize("name", SCENARIOS)
def test_loads_without_skipped_kinds(name: str) -> None:
    s = snap(name)
    assert not s.skipped_kinds
    assert not s.invalid
    assert s.recorded_at == RECORDED_AT
    assert s.description and "\n" not in s.description
    assert s.context
    assert s.listed_kinds and "Secret" in s.listed_kinds
    assert {o["kind"] for o in s.objects} <= s.listed_kinds


def test_ml_platform_is_big_and_healthy() -> None:
    v = view("ml-platform")
    pods = v.list("Pod")
    assert len(pods) >= 40
    not_running = [p for p in pods if p["status"]["phase"] != "Running"]
    assert [p["status"]["phase"] for p in not_running] == ["Succeeded"]
    for kind, ns, name in [
        ("Ingress", "ml-serving", "ml-api-ingress"),
        ("IngressClass", "", "nginx"),
        ("ConfigMap", "ingress-nginx", "ingress-nginx-controller"),
        ("NetworkPolicy", "ml-serving", "model-store-access"),
        ("StorageClass", "", "fast-ssd"),
        ("StorageClass", "", "standard-hdd"),
        ("Secret", "ml-serving", "ml-api-tls"),
        ("Pod", "ml-training", "training-pod"),
    ]:
        assert v.get(kind, ns, name) is not None, (kind, ns, name)
    for pvc in v.list("PersistentVolumeClaim"):
        assert pvc["status"]["phase"] == "Bound"
    svc = v.get("Service", "ml-serving", "translation-model-svc")
    assert svc["metadata"]["annotations"]["mlview.io/expected-latency"] == "90s"


@pytest.mark.parametrize("name", SCENARIOS[1:])
def test_incident_scenarios_keep_a_healthy_background(name: str) -> None:
    pods = view(name).list("Pod")
    assert len(pods) >= 20
    assert sum(p["status"]["phase"] == "Running" and _ready(p) for p in pods) >= 20


def test_seed_objects_match_the_seed() -> None:
    v = view("ml-platform")
    ing = v.get("Ingress", "ml-serving", "ml-api-ingress")
    assert ing["metadata"]["annotations"] == {
        "nginx.ingress.kubernetes.io/proxy-body-size": "50m",
        "nginx.ingress.kubernetes.io/proxy-read-timeout": "120",
    }
    assert ing["spec"]["tls"] == [{"hosts": ["api.ml.example.com"], "secretName": "ml-api-tls"}]
    paths = [p["path"] for p in ing["spec"]["rules"][0]["http"]["paths"]]
    assert paths == ["/v1/sentiment", "/v1/translate", "/v1/embeddings"]
    fast = v.get("StorageClass", "", "fast-ssd")
    assert (fast["provisioner"], fast["reclaimPolicy"], fast["volumeBindingMode"]) == (
        "kubernetes.io/aws-ebs",
        "Retain",
        "WaitForFirstConsumer",
    )
    assert fast["parameters"] == {"iopsPerGB": "50", "type": "gp3"}


def _resolve(pod: dict[str, Any], target: Any, protocol: str) -> int | None:
    if isinstance(target, int):
        return target
    for c in pod["spec"]["containers"]:
        for p in c.get("ports") or []:
            if p.get("name") == target and p.get("protocol", "TCP") == protocol:
                return p["containerPort"]
    return None


def _ready(pod: dict[str, Any]) -> bool:
    return any(
        c["type"] == "Ready" and c["status"] == "True"
        for c in pod["status"].get("conditions") or []
    )


@pytest.mark.parametrize("name", SCENARIOS)
def test_endpoints_follow_pod_readiness(name: str) -> None:
    v = view(name)
    for svc in v.list("Service"):
        sel = svc["spec"].get("selector")
        if not sel:
            continue
        ns, svc_name = svc["metadata"]["namespace"], svc["metadata"]["name"]
        pods = [
            p
            for p in v.list("Pod", ns)
            if matches_map(sel, p["metadata"].get("labels"))
            and p["status"].get("podIP")
            and p["status"]["phase"] in ("Running", "Pending")
            and any(_resolve(p, sp["targetPort"], sp["protocol"]) for sp in svc["spec"]["ports"])
        ]
        want_ready = {p["status"]["podIP"] for p in pods if _ready(p)}
        want_not = {p["status"]["podIP"] for p in pods if not _ready(p)}
        ep = v.get("Endpoints", ns, svc_name)
        assert ep is not None, f"{ns}/{svc_name} has no Endpoints"
        subsets = ep.get("subsets") or []
        got_ready = {a["ip"] for s in subsets for a in s.get("addresses") or []}
        got_not = {a["ip"] for s in subsets for a in s.get("notReadyAddresses") or []}
        assert (got_ready, got_not) == (want_ready, want_not), f"{ns}/{svc_name}"
        slices = [
            s
            for s in v.list("EndpointSlice", ns)
            if s["metadata"]["labels"].get("kubernetes.io/service-name") == svc_name
        ]
        assert len(slices) == 1, f"{ns}/{svc_name}"
        conds = {
            e["addresses"][0]: e["conditions"]["ready"] for e in slices[0].get("endpoints") or []
        }
        assert conds == {**dict.fromkeys(want_ready, True), **dict.fromkeys(want_not, False)}


@pytest.mark.parametrize("name", SCENARIOS)
def test_pods_have_owners_nodes_and_ips(name: str) -> None:
    nodes = {n["metadata"]["name"] for n in view(name).list("Node")}
    for pod in view(name).list("Pod"):
        m = pod["metadata"]
        key = (m["namespace"], m["name"])
        owners = m.get("ownerReferences") or []
        if key not in BARE_PODS:
            assert [o["controller"] for o in owners] == [True], key
        status = pod["status"]
        if status["phase"] == "Pending":
            continue
        assert status.get("podIP"), key
        assert pod["spec"]["nodeName"] in nodes, key
        assert status["hostIP"], key


@pytest.mark.parametrize("name", SCENARIOS)
def test_owner_references_resolve(name: str) -> None:
    v = view(name)
    for kind in ("Pod", "ReplicaSet", "EndpointSlice"):
        for obj in v.list(kind):
            for ref in obj["metadata"].get("ownerReferences") or []:
                owner = v.get(ref["kind"], obj["metadata"]["namespace"], ref["name"])
                assert owner is not None, (kind, obj["metadata"]["name"])
                assert owner["metadata"]["uid"] == ref["uid"]


@pytest.mark.parametrize("name", SCENARIOS)
def test_deployment_counts_follow_their_replicasets_pods(name: str) -> None:
    """replicas / updatedReplicas / readyReplicas as the controller counts them: every pod of
    every ReplicaSet, the pods of the newest revision, the ready ones (rollouts included)."""
    v = view(name)
    owned: dict[str, list[dict[str, Any]]] = {}
    for pod in v.list("Pod"):
        for ref in pod["metadata"].get("ownerReferences") or []:
            owned.setdefault(ref["uid"], []).append(pod)
    for dep in v.list("Deployment"):
        m = dep["metadata"]
        sets = [
            rs
            for rs in v.list("ReplicaSet")
            if any(r["uid"] == m["uid"] for r in rs["metadata"].get("ownerReferences") or [])
        ]
        revision = m["annotations"]["deployment.kubernetes.io/revision"]
        pods = [p for rs in sets for p in owned.get(rs["metadata"]["uid"], [])]
        newest = next(
            rs
            for rs in sets
            if rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == revision
        )
        ready = sum(
            any(c["type"] == "Ready" and c["status"] == "True" for c in p["status"]["conditions"])
            for p in pods
        )
        status = dep["status"]
        assert status["replicas"] == len(pods), m["name"]
        assert status["updatedReplicas"] == len(owned.get(newest["metadata"]["uid"], [])), m["name"]
        assert status.get("readyReplicas", 0) == ready, m["name"]


@pytest.mark.parametrize("name", SCENARIOS)
def test_secrets_hold_no_data(name: str) -> None:
    text = (DEMO / f"{name}.json").read_text(encoding="utf-8")
    for secret in view(name).list("Secret"):
        assert not {"data", "stringData"} & set(secret)
    assert "stringData" not in text


@pytest.mark.parametrize("name", SCENARIOS)
def test_bound_claims_and_volumes_agree(name: str) -> None:
    v = view(name)
    for pvc in v.list("PersistentVolumeClaim"):
        if pvc["status"]["phase"] != "Bound":
            continue
        pv = v.get("PersistentVolume", "", pvc["spec"]["volumeName"])
        assert pv is not None, pvc["metadata"]["name"]
        assert pv["spec"]["claimRef"]["uid"] == pvc["metadata"]["uid"]
        assert pv["status"]["phase"] == "Bound"


@pytest.mark.parametrize("name", SCENARIOS)
def test_timestamps_precede_recording(name: str) -> None:
    for obj in view(name).list("Event") + view(name).list("Pod"):
        assert obj["metadata"]["creationTimestamp"] <= RECORDED_AT
        for field in ("firstTimestamp", "lastTimestamp"):
            if field in obj:
                assert obj[field] <= RECORDED_AT


def test_generator_is_deterministic(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(GENERATOR), str(tmp_path)], check=True, capture_output=True)
    for name in SCENARIOS:
        assert (tmp_path / f"{name}.json").read_bytes() == (DEMO / f"{name}.json").read_bytes()


NGINX = "nginx.ingress.kubernetes.io/"


def _events(v: StoreView, kind: str, ns: str, name: str) -> dict[str, str]:
    return {e["reason"]: e["message"] for e in v.events_for(kind, ns, name)}


def _pods(v: StoreView, ns: str, prefix: str) -> list[dict[str, Any]]:
    return [p for p in v.list("Pod", ns) if p["metadata"]["name"].startswith(prefix)]


def test_incident_504_plants() -> None:
    v = view("incident-504")
    ann = lambda name: v.get("Ingress", "ml-serving", name)["metadata"]["annotations"]  # noqa: E731
    assert NGINX + "proxy-read-timeout" not in ann("ml-api-ingress")
    assert (
        "proxy-read-timeout"
        not in v.get("ConfigMap", "ingress-nginx", "ingress-nginx-controller")["data"]
    )
    svc = v.get("Service", "ml-serving", "translation-model-svc")
    assert svc["metadata"]["annotations"]["mlview.io/expected-latency"] == "90s"
    assert ann("vision-api")[NGINX + "proxy-read-timeout"] == "120s"
    assert ann("vision-api")[NGINX + "proxy-body-size"] == "50 MB"
    assert ann("batch-api") == {NGINX + "proxy-read-timout": "300"}
    assert ann("rerank-api") == {"nginx.org/proxy-read-timeout": "300s"}
    llm = v.get("Ingress", "ml-serving", "llm-api")
    assert llm["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] == (
        "llm-generate-svc"
    )
    (subset,) = v.get("Endpoints", "ml-serving", "llm-generate-svc")["subsets"]
    assert "addresses" not in subset and len(subset["notReadyAddresses"]) == 2
    problems = sorted(
        next(iter(cs["state"]))
        for p in _pods(v, "ml-serving", "llm-generate")
        for cs in p["status"]["containerStatuses"]
    )
    assert problems == ["running", "waiting"]


def test_incident_pending_pvc_plants() -> None:
    v = view("incident-pending-pvc")
    ns = "ml-training"
    claim = lambda name: v.get("PersistentVolumeClaim", ns, name)  # noqa: E731
    dataset = claim("imagenet-dataset")
    assert dataset["status"]["phase"] == "Pending"
    assert dataset["spec"]["accessModes"] == ["ReadOnlyMany"]
    assert v.get("StorageClass", "", "fast-ssd")["provisioner"] == "ebs.csi.aws.com"
    assert (
        "MULTI_NODE_READER_ONLY"
        in _events(v, "PersistentVolumeClaim", ns, "imagenet-dataset")["ProvisioningFailed"]
    )
    (pending,) = _pods(v, ns, "resnet-train")
    assert pending["status"]["phase"] == "Pending" and "podIP" not in pending["status"]
    assert (
        "unbound immediate PersistentVolumeClaims"
        in (pending["status"]["conditions"][0]["message"])
    )
    assert claim("feature-cache")["spec"]["storageClassName"] == "premium-nvme"
    assert v.get("StorageClass", "", "premium-nvme") is None
    assert claim("eval-scratch")["status"]["phase"] == "Pending"
    users = [
        p["metadata"]["name"]
        for p in v.list("Pod")
        for vol in p["spec"]["volumes"]
        if (vol.get("persistentVolumeClaim") or {}).get("claimName") == "eval-scratch"
    ]
    assert users == []
    ckpt_users = [
        p
        for p in v.list("Pod", ns)
        for vol in p["spec"]["volumes"]
        if (vol.get("persistentVolumeClaim") or {}).get("claimName") == "checkpoint-pvc"
    ]
    assert len({p["spec"]["nodeName"] for p in ckpt_users}) == 2
    (evalpod,) = _pods(v, ns, "checkpoint-eval")
    msg = _events(v, "Pod", ns, evalpod["metadata"]["name"])["FailedAttachVolume"]
    assert claim("checkpoint-pvc")["spec"]["volumeName"] in msg and "trainer-0" in msg
    released = [pv for pv in v.list("PersistentVolume") if pv["status"]["phase"] == "Released"]
    assert [pv["spec"]["claimRef"]["name"] for pv in released] == ["old-experiment-ckpt"]
    assert claim("old-experiment-ckpt") is None
    (ft,) = _pods(v, ns, "bert-finetune")
    assert {"emptyDir": {}, "name": "checkpoints"} in ft["spec"]["volumes"]


def test_netpol_lockdown_plants() -> None:
    v = view("netpol-lockdown")
    pol = lambda ns, name: v.get("NetworkPolicy", ns, name)["spec"]  # noqa: E731
    for ns, name in [("ml-training", "default-deny-all"), ("ml-serving", "default-deny")]:
        spec = pol(ns, name)
        assert spec["podSelector"] == {} and spec["policyTypes"] == ["Ingress", "Egress"]
        assert "ingress" not in spec and "egress" not in spec
    peers = pol("ml-serving", "trainer-to-store")["ingress"][0]["from"]
    assert [sorted(p) for p in peers] == [["namespaceSelector"], ["podSelector"]]
    assert (
        v.select("Pod", "ml-training", pol("ml-training", "legacy-batch-deny")["podSelector"]) == []
    )
    scrape = pol("ml-serving", "allow-prometheus-scrape")
    assert scrape["ingress"][0]["ports"][0]["port"] == "metrics"
    has_metrics = {
        any(p["name"] == "metrics" for p in c["ports"])
        for pod in v.select("Pod", "ml-serving", scrape["podSelector"])
        for c in pod["spec"]["containers"]
    }
    assert has_metrics == {True, False}
    assert "except" in pol("ml-training", "allow-s3-egress")["egress"][0]["to"][0]["ipBlock"]
    assert any(p["spec"].get("hostNetwork") for p in v.list("Pod", "monitoring"))
    assert [p["status"]["phase"] for p in v.list("Pod") if not p["status"].get("podIP")] == [
        "Pending"
    ]


def test_ml_gateway_plants() -> None:
    v = view("ml-gateway")
    routes = {r["metadata"]["name"]: r for r in v.list("HTTPRoute")}
    accepted = {n: r["status"]["parents"][0]["conditions"][0] for n, r in routes.items()}
    refused = {n for n, c in accepted.items() if c["status"] == "False"}
    assert refused == {"experimental-route"}
    assert accepted["experimental-route"]["reason"] == "NotAllowedByListeners"
    tr = routes["translation-route"]["spec"]["rules"][0]
    assert tr["timeouts"]["request"] == "30s"
    svc = v.get("Service", "ml-serving", tr["backendRefs"][0]["name"])
    assert svc["metadata"]["annotations"]["mlview.io/expected-latency"] == "90s"
    emb = routes["embeddings-route"]["spec"]["rules"][0]["backendRefs"]
    assert [b.get("namespace") for b in emb] == [None, "ml-experiments"]
    assert v.list("ReferenceGrant", "ml-experiments") == []
    assert v.get("ReferenceGrant", "model-registry", "allow-ml-serving-routes") is not None
    assert v.get("Gateway", "gateway-system", "ml-gateway") is not None


@pytest.mark.parametrize("name", SCENARIOS)
def test_zonal_volumes_sit_in_their_pods_zones(name: str) -> None:
    v = view(name)
    zone_of = {
        n["metadata"]["name"]: n["metadata"]["labels"]["topology.kubernetes.io/zone"]
        for n in v.list("Node")
    }
    for pod in v.list("Pod"):
        node = pod["spec"].get("nodeName")
        for vol in pod["spec"]["volumes"]:
            claim_name = (vol.get("persistentVolumeClaim") or {}).get("claimName")
            pvc = claim_name and v.get(
                "PersistentVolumeClaim", pod["metadata"]["namespace"], claim_name
            )
            if not node or not pvc or pvc["status"]["phase"] != "Bound":
                continue
            pv = v.get("PersistentVolume", "", pvc["spec"]["volumeName"])
            affinity = pv["spec"].get("nodeAffinity")
            if affinity:
                (term,) = affinity["required"]["nodeSelectorTerms"]
                assert term["matchExpressions"][0]["values"] == [zone_of[node]], claim_name
