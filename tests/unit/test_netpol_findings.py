"""NetworkPolicy findings: each fires on its case and stays quiet on a near miss."""

from __future__ import annotations

import pytest

from mlview.analysis.reachability import findings as netpol_findings
from mlview.store import StoreView
from tests.unit.test_netpol_builders import namespace, netpol, pod, view

NS = [namespace("ml"), namespace("store")]
MINIO = pod("store", "minio", {"app": "minio"}, ports=[("s3", 9000)])
TRAINER = pod("ml", "trainer", {"app": "trainer"})
DNS = pod("kube-system", "coredns", {"k8s-app": "kube-dns"}, ports=[("dns", 53, "UDP")])
GUARD = netpol("ml", "guard", {"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}]}]})
BASE = [*NS, MINIO, TRAINER, GUARD]


def codes(*objs, listed=None) -> dict[str, list[str]]:
    v = view(*objs) if listed is None else StoreView.from_objects(list(objs), listed)
    out: dict[str, list[str]] = {}
    for f in netpol_findings.findings(v):
        out.setdefault(f.code, []).append(f"{f.namespace}/{f.name}")
    return out


def minio_pol(**spec):
    return netpol("store", "minio", {"podSelector": {"matchLabels": {"app": "minio"}}, **spec})


@pytest.mark.parametrize(
    ("pol", "fires"),
    [
        (netpol("store", "p", {"podSelector": {"matchLabels": {"app": "mini0"}}}), True),
        (minio_pol(), False),
    ],
)
def test_selects_no_pods(pol, fires):
    assert ("netpol-selects-no-pods" in codes(*BASE, pol)) == fires


def test_selects_no_pods_is_skipped_without_the_pod_list():
    pol = netpol("store", "p", {"podSelector": {"matchLabels": {"app": "mini0"}}})
    assert "netpol-selects-no-pods" not in codes(*NS, pol, listed={"NetworkPolicy", "Namespace"})


@pytest.mark.parametrize(
    ("ports", "fires"),
    [
        ([{"port": "s4"}], True),  # typo
        ([{"port": "s3", "protocol": "UDP"}], True),  # the name exists, for TCP only
        ([{"port": "s3"}], False),
        ([{"port": 9000}], False),
    ],
)
def test_named_port_unresolved_ingress(ports, fires):
    pol = minio_pol(ingress=[{"ports": ports}])
    assert ("netpol-named-port-unresolved" in codes(*BASE, pol)) == fires


@pytest.mark.parametrize(("port", "fires"), [("s4", True), ("s3", False)])
def test_named_port_unresolved_egress_checks_the_peer_pods(port, fires):
    pol = netpol(
        "ml",
        "eg",
        {
            "podSelector": {},
            "policyTypes": ["Egress"],
            "egress": [
                {
                    "to": [
                        {"namespaceSelector": {}, "podSelector": {"matchLabels": {"app": "minio"}}}
                    ],
                    "ports": [{"port": port}],
                }
            ],
        },
    )
    assert ("netpol-named-port-unresolved" in codes(*BASE, pol)) == fires


DNS_RULE = {
    "to": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
    "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
}
S3_RULE = {"to": [{"namespaceSelector": {}}], "ports": [{"port": 9000}]}


@pytest.mark.parametrize(
    ("rules", "with_dns_pod", "fires"),
    [
        ([S3_RULE], True, True),
        ([S3_RULE, DNS_RULE], True, False),
        ([S3_RULE, {**DNS_RULE, "ports": [{"port": 53, "protocol": "TCP"}]}], True, True),
        # a rule to the wrong pods on 53: the engine sees the DNS pod is not reached
        ([{"to": [{"podSelector": {}}], "ports": [{"port": 53, "protocol": "UDP"}]}], True, True),
        # without the DNS pods in the data, only the ports can be checked
        ([S3_RULE], False, True),
        ([{"to": [{"podSelector": {}}], "ports": [{"port": 53, "protocol": "UDP"}]}], False, False),
    ],
)
def test_egress_blocks_dns(rules, with_dns_pod, fires):
    pol = netpol("ml", "eg", {"podSelector": {}, "policyTypes": ["Egress"], "egress": rules})
    objs = [*BASE, pol] + ([DNS] if with_dns_pod else [])
    found = codes(*objs)
    assert ("netpol-egress-blocks-dns" in found) == fires
    if fires:
        assert found["netpol-egress-blocks-dns"] == ["ml/eg"]


def test_egress_blocks_dns_counts_other_policies_of_the_pod():
    eg = netpol("ml", "eg", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [S3_RULE]})
    dns = netpol("ml", "dns", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [DNS_RULE]})
    assert "netpol-egress-blocks-dns" not in codes(*BASE, DNS, eg, dns)


@pytest.mark.parametrize(
    ("ingress", "fires"),
    [
        ([{"ports": [{"port": 9000}]}], True),
        ([{"from": [], "ports": [{"port": 9000}]}], True),  # empty from: every source too
        ([{"from": [{"podSelector": {}}]}], False),
        ([], False),
    ],
)
def test_allows_all_sources(ingress, fires):
    assert ("netpol-allows-all-sources" in codes(*BASE, minio_pol(ingress=ingress))) == fires


def test_allows_all_sources_ignores_egress_only_policies():
    pol = minio_pol(policyTypes=["Egress"], ingress=[{}])
    assert "netpol-allows-all-sources" not in codes(*BASE, pol)


def test_namespace_unprotected():
    found = codes(*BASE)
    assert found["netpol-namespace-unprotected"] == ["/store"]  # ml has its guard policy
    assert "netpol-namespace-unprotected" not in codes(*BASE, minio_pol())


def test_namespace_unprotected_needs_the_policy_list():
    assert "netpol-namespace-unprotected" not in codes(*NS, MINIO, listed={"Pod", "Namespace"})


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        (
            {"podSelector": {"matchExpressions": [{"key": "a", "operator": "Equals"}]}},
            "netpol-selector-invalid",
        ),
        (
            {
                "podSelector": {},
                "ingress": [
                    {
                        "from": [
                            {
                                "namespaceSelector": {
                                    "matchExpressions": [{"key": "a", "operator": "In"}]
                                }
                            }
                        ]
                    }
                ],
            },
            "netpol-selector-invalid",
        ),
        (
            {
                "podSelector": {},
                "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}, "podSelector": {}}]}],
            },
            "netpol-policy-invalid",
        ),
        (
            {"podSelector": {}, "ingress": [{"ports": [{"port": "s3", "endPort": 9001}]}]},
            "netpol-policy-invalid",
        ),
        (
            {"podSelector": {}, "ingress": [{"ports": [{"protocol": "ICMP"}]}]},
            "netpol-policy-invalid",
        ),
        (
            {"podSelector": {}, "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0/8"}}]}]},
            "netpol-policy-invalid",
        ),
    ],
)
def test_invalid_policies(spec, code):
    found = codes(*BASE, netpol("store", "bad", spec))
    assert found[code] == ["store/bad"]
    # treated as selecting nothing: store stays unprotected
    assert "/store" in found["netpol-namespace-unprotected"]


def test_valid_policy_is_not_invalid():
    found = codes(*BASE, minio_pol(ingress=[{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]}]))
    assert "netpol-policy-invalid" not in found and "netpol-selector-invalid" not in found


TEAM_NS = [namespace("ml", {"team": "ml"}), namespace("store", {"team": "ml"}), namespace("web")]


@pytest.mark.parametrize(
    ("peers", "fires"),
    [
        # the trap: two items, one dash too many
        ([{"namespaceSelector": {"matchLabels": {"team": "ml"}}},
          {"podSelector": {"matchLabels": {"app": "trainer"}}}], True),
        # one item with both selectors: AND, as meant
        ([{"namespaceSelector": {"matchLabels": {"team": "ml"}},
           "podSelector": {"matchLabels": {"app": "trainer"}}}], False),
        # the namespace peer names the policy's own namespace: the split is deliberate
        ([{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "store"}}},
          {"podSelector": {"matchLabels": {"app": "trainer"}}}], False),
        # the pod peer is all of the own namespace: "my namespace and the ml ones"
        ([{"namespaceSelector": {"matchLabels": {"team": "ml"}}}, {"podSelector": {}}], False),
        # only namespace peers
        ([{"namespaceSelector": {"matchLabels": {"team": "ml"}}},
          {"namespaceSelector": {"matchLabels": {"team": "web"}}}], False),
    ],
)  # fmt: skip
def test_and_or_peers(peers, fires):
    pol = minio_pol(ingress=[{"from": peers, "ports": [{"port": 9000}]}])
    assert ("netpol-and-or-peers" in codes(*TEAM_NS, MINIO, TRAINER, pol)) == fires


def test_and_or_peers_spells_out_both_readings_for_egress():
    pol = netpol("ml", "out", {
        "podSelector": {},
        "egress": [{"to": [{"namespaceSelector": {"matchLabels": {"team": "ml"}}},
                           {"podSelector": {"matchLabels": {"app": "minio"}}}]}],
    })  # fmt: skip
    found = netpol_findings.findings(view(*TEAM_NS, pol))
    [f] = [f for f in found if f.code == "netpol-and-or-peers"]
    assert f.severity == "warning"
    assert "egress rule 0" in f.message
    assert "every pod in namespaces team=ml, plus pods app=minio in ml" in f.message
    assert "only pods app=minio in namespaces team=ml" in f.message
