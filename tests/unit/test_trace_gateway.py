"""trace through Gateway API (the ml-gateway demo, edited per case) and the load balancer hops."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import pytest

from mlview.analysis.shared.hops import lb_hop
from mlview.analysis.trace import trace
from mlview.sources.snapshot import load
from mlview.store import StoreView

DEMO = Path(__file__).resolve().parents[2] / "demo"
URL = "https://api.ml.example.com/v1/translate"
AWS = "service.beta.kubernetes.io/aws-load-balancer-"


@cache
def _snap(name: str):
    return load([DEMO / f"{name}.json"])


def objects(name: str = "ml-gateway") -> list[dict]:
    return copy.deepcopy(_snap(name).objects)


def view_of(objs: list[dict], name: str = "ml-gateway") -> StoreView:
    return StoreView.from_objects(objs, listed_kinds=_snap(name).listed_kinds)


def step(t, name):
    return next(s for s in t.steps if s.step == name)


def test_demo_path_names_the_gateway_hops():
    t = trace(view_of(objects()), URL, latency=20)
    assert t.via == "gateway" and t.status == 200
    hops = "\n".join(step(t, "timeouts").lines)
    assert "timeouts.request: 30s" in hops and "AWS NLB" in hops
    np = step(t, "network-policy")
    assert np.verdict == "ok" and "data plane of Gateway gateway-system/ml-gateway" in np.detail


def test_default_deny_blocks_the_envoy_data_plane_with_503():
    deny = {
        "kind": "NetworkPolicy",
        "metadata": {"name": "default-deny", "namespace": "ml-serving"},
        "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
    }
    t = trace(view_of([*objects(), deny]), URL, latency=5)
    assert t.status == 503 and t.deciding.step == "network-policy"
    assert "Envoy" in t.deciding.detail


def test_a_missing_backend_service_is_500():
    objs = [
        o
        for o in objects()
        if not (o["kind"] == "Service" and o["metadata"]["name"] == "translation-model-svc")
    ]
    t = trace(view_of(objs), URL, latency=5)
    assert t.status == 500 and t.deciding.step == "backend"


def test_no_ready_endpoint_is_503():
    objs = objects()
    for o in objs:
        labels = o["metadata"].get("labels") or {}
        if (
            o["kind"] == "EndpointSlice"
            and labels.get("kubernetes.io/service-name") == "translation-model-svc"
        ):
            for ep in o.get("endpoints") or []:
                ep["conditions"]["ready"] = False
    t = trace(view_of(objs), URL, latency=5)
    assert t.status == 503 and t.deciding.step == "endpoints"


def test_no_rule_on_a_served_host_is_404():
    t = trace(view_of(objects()), "https://api.ml.example.com/v9/none")
    assert t.status == 404 and t.steps[0].step == "route"

    assert "not attached" not in t.steps[0].detail  # no route would serve /v9


EXPERIMENTAL = "https://api.ml.example.com/v1/experimental/x"


def test_a_404_names_the_route_that_would_serve_it_if_it_were_attached():
    t = trace(view_of(objects()), EXPERIMENTAL)
    route = t.steps[0]
    assert t.status == 404 and route.step == "route"
    assert "HTTPRoute ml-research/experimental-route rule 0" in route.detail
    assert "not attached" in route.detail and "NotAllowedByListeners" in route.detail
    assert "ml-research does not match" in route.detail  # the listener rule that refuses it
    assert [(r.kind, r.name) for r in route.refs] == [("HTTPRoute", "experimental-route")]


def test_a_hostname_mismatch_is_named_without_controller_status():
    objs = objects()
    for o in objs:
        if o["kind"] == "HTTPRoute" and o["metadata"]["name"] == "experimental-route":
            o["metadata"]["namespace"] = "ml-serving"  # allowed by the https listener...
            o["spec"]["hostnames"] = ["api.ml.example.org"]  # ...but its hostname does not fit
            o["spec"]["parentRefs"][0]["sectionName"] = "https"
            o.pop("status")
    t = trace(view_of(objs), "https://api.ml.example.org/v1/experimental/x", via="gateway")
    assert t.status == 404
    assert "experimental-route" in t.steps[0].detail
    assert "NoMatchingListenerHostname" in t.steps[0].detail


@pytest.mark.parametrize(
    "scenario, via, status",
    [("ml-gateway", "ingress", 404), ("ml-platform", "gateway", 404), ("ml-platform", "auto", 200)],
)
def test_via_forces_a_router(scenario, via, status):
    t = trace(view_of(objects(scenario), scenario), URL, via=via, latency=5)
    assert t.status == status and t.via in (via, "ingress")


# ---- load balancer idle timeouts ---------------------------------------------------------


def lb(ann: dict, provider: str = "aws:///eu-1a/i-1") -> StoreView:
    node = {"kind": "Node", "metadata": {"name": "n"}, "spec": {"providerID": provider}}
    svc = {
        "kind": "Service",
        "metadata": {"name": "lb", "namespace": "x", "annotations": ann},
        "spec": {"type": "LoadBalancer"},
    }
    return StoreView.from_objects([node, svc])


@pytest.mark.parametrize(
    "ann, provider, seconds, name",
    [
        ({}, "aws:///eu-1a/i-1", 60, "Classic ELB"),
        ({AWS + "connection-idle-timeout": "400"}, "aws:///eu-1a/i-1", 400, "Classic ELB"),
        ({AWS + "connection-idle-timeout": "soon"}, "aws:///eu-1a/i-1", 60, "Classic ELB"),
        ({AWS + "type": "nlb"}, "aws:///eu-1a/i-1", 350, "NLB"),
        ({AWS + "type": "nlb", AWS + "connection-idle-timeout": "60"}, "", 350, "NLB"),
        (
            {
                AWS + "type": "external",
                AWS + "listener-attributes.TCP-443": "tcp.idle_timeout.seconds=900",
            },
            "",
            900,
            "NLB",
        ),
        ({}, "azure:///subscriptions/x", 240, "Azure"),
        (
            {"service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout": "30"},
            "",
            1800,
            "Azure",
        ),
        ({}, "gce://project/zone/n", None, "load balancer"),
    ],
)
def test_lb_hop(ann, provider, seconds, name):
    v = lb(ann, provider)
    hop = lb_hop(v, v.get("Service", "x", "lb"))
    assert hop.seconds == seconds and name in hop.name
