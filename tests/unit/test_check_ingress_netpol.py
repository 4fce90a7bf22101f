"""ingress-backend-blocked-by-networkpolicy: fires when no ingress-nginx controller pod may reach
any pod of a route's Service on its targetPort; near misses where it must not."""

from __future__ import annotations

import pytest

from mlview.analysis.registry import ANALYZER_MODULES
from mlview.analysis.trace import blocked as ingress_netpol
from mlview.store import StoreView
from tests.unit.test_trace import ALLOW_NGINX, DENY, cluster, netpol, pod

CODE = "ingress-backend-blocked-by-networkpolicy"


def run(objs, listed=None):
    kinds = {o["kind"] for o in objs} | {"Pod", "Service", "EndpointSlice"}
    view = StoreView.from_objects(objs, listed_kinds=listed if listed is not None else kinds)
    return [f for f in ingress_netpol.findings(view) if f.code == CODE]


def test_registered():
    assert "mlview.analysis.trace.blocked" in ANALYZER_MODULES


def test_fires_on_a_namespace_default_deny():
    (f,) = run(cluster(DENY))
    assert f.severity.value == "error"
    assert (f.kind, f.namespace, f.name) == ("Ingress", "ml", "api")
    assert "ml/default-deny" in f.message and "model-svc:8080" in f.message
    assert "504" in f.message and "Deployment ingress-nginx/ingress-nginx-controller" in f.message
    assert "kubernetes.io/metadata.name=ingress-nginx" in f.hint and "8080" in f.hint


def test_fires_on_egress_isolation_of_the_controller():
    egress_deny = {
        "kind": "NetworkPolicy",
        "metadata": {"name": "lockdown", "namespace": "ingress-nginx"},
        "spec": {"podSelector": {}, "policyTypes": ["Egress"]},
    }
    (f,) = run(cluster(egress_deny))
    assert "ingress-nginx/lockdown" in f.message


def test_one_finding_per_ingress_naming_every_blocked_route():
    paths = (("/v1/translate", "Prefix", "model-svc"), ("/v1/other", "Prefix", "model-svc"))
    (f,) = run(cluster(DENY, paths=paths))
    assert "/v1/translate" in f.message and "/v1/other" in f.message


ALLOW_ON_OTHER_PORT = netpol(
    "allow-nginx-9090",
    {
        "podSelector": {},
        "policyTypes": ["Ingress"],
        "ingress": [
            {
                "from": [{"namespaceSelector": {}}],
                "ports": [{"port": 9090, "protocol": "TCP"}],
            }
        ],
    },
)
ALLOW_BY_NAMED_PORT = netpol(
    "allow-http",
    {
        "podSelector": {"matchLabels": {"app": "model"}},
        "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"namespaceSelector": {}}], "ports": [{"port": "http"}]}],
    },
)


@pytest.mark.parametrize(
    "policies, fires",
    [
        ((), False),
        ((DENY,), True),
        ((DENY, ALLOW_NGINX), False),
        ((DENY, ALLOW_ON_OTHER_PORT), True),  # the rule's port is not the targetPort
        ((DENY, ALLOW_BY_NAMED_PORT), False),  # the named port resolves to 8080
    ],
)
def test_policy_table(policies, fires):
    assert bool(run(cluster(*policies))) is fires


def test_some_backend_pod_reachable_is_not_blocked():
    # model-2 carries a label an allow rule selects: the route still works (partly).
    extra = pod("ml", "model-2", {"app": "model", "tier": "open"})
    allow_open = netpol(
        "allow-open",
        {
            "podSelector": {"matchLabels": {"tier": "open"}},
            "policyTypes": ["Ingress"],
            "ingress": [{}],
        },
    )
    assert run(cluster(DENY, extra, allow_open)) == []


@pytest.mark.parametrize(
    "drop, why",
    [
        (("Pod/ctrl-1",), "controller pods not in the snapshot"),
        (("Deployment/ingress-nginx-controller",), "controller workload unknown"),
        (("Pod/model-1",), "no backend pods"),
        (("Service/model-svc",), "Service missing: another finding's job"),
    ],
)
def test_missing_facts_skip(drop, why):
    assert run(cluster(DENY, drop=drop)) == [], why


def test_pods_not_listed_skip():
    objs = cluster(DENY)
    listed = {o["kind"] for o in objs} - {"Pod"}
    assert run(objs, listed=listed) == []


def test_host_network_controller_gets_no_verdict():
    objs = cluster(DENY)
    ctrl = next(o for o in objs if o["metadata"]["name"] == "ctrl-1")
    ctrl["spec"]["hostNetwork"] = True
    assert run(objs) == []
