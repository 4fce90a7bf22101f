"""The load balancer hop of a GKE Service that names a BackendConfig: its timeoutSec, 30 s when
unset; a NodePort Service fronts the pods only when a BackendConfig puts a backend service there."""

from __future__ import annotations

import json

from mlview.analysis.shared.hops import fronting_services, lb_hop
from mlview.store import StoreView

NS = "ingress-nginx"
SEL = {"app.kubernetes.io/name": "ingress-nginx"}
POD = {"kind": "Pod", "metadata": {"name": "ctrl-1", "namespace": NS, "labels": SEL}}


def service(kind: str, backend_config: object | None, name: str = "ctrl") -> dict:
    ann = {}
    if backend_config is not None:
        ann["cloud.google.com/backend-config"] = json.dumps(backend_config)
    return {
        "kind": "Service",
        "metadata": {"name": name, "namespace": NS, "annotations": ann},
        "spec": {"type": kind, "selector": SEL, "ports": [{"port": 80}]},
    }


def backend_config(timeout: int | None) -> dict:
    spec = {} if timeout is None else {"timeoutSec": timeout}
    return {"kind": "BackendConfig", "metadata": {"name": "slow", "namespace": NS}, "spec": spec}


def test_timeout_sec_of_the_named_backend_config() -> None:
    svc = service("NodePort", {"default": "slow"})
    view = StoreView.from_objects([POD, svc, backend_config(600)])
    assert fronting_services(view, [POD]) == [svc]
    hop = lb_hop(view, svc)
    assert (hop.name, hop.seconds) == ("load balancer (GCP backend service)", 600.0)
    assert "BackendConfig ingress-nginx/slow timeoutSec" in hop.source


def test_per_port_form_and_the_default() -> None:
    svc = service("LoadBalancer", {"ports": {"80": "slow"}})
    assert lb_hop(StoreView.from_objects([svc, backend_config(None)]), svc).seconds == 30.0
    view = StoreView.from_objects([svc, backend_config(120)])
    assert lb_hop(view, svc).seconds == 120.0


def test_missing_backend_config_is_said() -> None:
    svc = service("LoadBalancer", {"default": "slow"})
    hop = lb_hop(StoreView.from_objects([svc]), svc)
    assert hop.seconds == 30.0 and "not in the snapshot" in hop.note


def test_a_plain_node_port_is_no_load_balancer() -> None:
    svc = service("NodePort", None)
    assert fronting_services(StoreView.from_objects([POD, svc]), [POD]) == []
