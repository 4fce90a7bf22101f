"""Cases where network-config-analyzer (np-guard, the benchmark's peer) answers differently
from the Kubernetes API semantics. The API reference decides; each case pins mlview's answer.

`CASES` is also run through the peer by `python bench/bench_netpol.py --deviations`, which
prints both answers side by side (the peer is not a test dependency).
"""

from __future__ import annotations

import pytest

from mlview.analysis.reachability.engine import compute_matrix
from tests import netpol_reference
from tests.unit.test_netpol_builders import namespace, netpol, pod, view

NS = [namespace("a", {"team": "x", "tier": ""}), namespace("b", {"team": "y"})]
PODS = [
    pod("a", "web", {"app": "web"}, ip="10.1.0.5"),
    pod("a", "db", {"app": "db"}, ip="10.1.0.6"),
    pod("b", "web", {"app": "web"}, ip="10.2.0.5"),
]
DB = {"matchLabels": {"app": "db"}}
EVERY = {(s, d) for s in ("a/web", "a/db", "b/web") for d in ("a/web", "a/db", "b/web") if s != d}


def _into_db_from(*peers):
    return netpol("a", "p", {"podSelector": DB, "ingress": [{"from": list(peers)}]})


# (name, policy, expected pairs under the API, what the peer (nca 2.1.0) does)
CASES = [
    (
        "policy-types-order",
        netpol("a", "p", {"podSelector": {}, "policyTypes": ["Egress", "Ingress"], "egress": [{}]}),
        {("a/web", "b/web"), ("a/db", "b/web")},
        "rejects the policy ('policyTypes has invalid value') and prints no connectivity; "
        "the API accepts either order",
    ),
    (
        "empty-egress-without-policy-types",
        netpol("a", "p", {"podSelector": {}, "egress": []}),
        {("a/web", "b/web"), ("a/db", "b/web")},
        "isolates egress too, so a/* reach nothing; the API defaults policyTypes to Egress "
        "only when len(spec.egress) != 0",
    ),
    (
        "exists-in-peer-with-namespace-selector",
        _into_db_from(
            {
                "namespaceSelector": {"matchLabels": {"team": "y"}},
                "podSelector": {"matchExpressions": [{"key": "app", "operator": "Exists"}]},
            }
        ),
        EVERY - {("a/web", "a/db")},
        "denies b/web -> a/db: Exists (and DoesNotExist) in a peer that also has a "
        "namespaceSelector are not matched against pods of the selected namespaces",
    ),
    (
        "empty-string-namespace-label",
        _into_db_from({"namespaceSelector": {"matchLabels": {"tier": ""}}}),
        EVERY - {("b/web", "a/db")},
        "lets b/web in: tier='' matches namespace b, which has no tier label; an empty string "
        "is a value, and a missing label does not equal it",
    ),
    (
        "ip-block-matches-pod-ips",
        _into_db_from({"ipBlock": {"cidr": "10.1.0.0/16"}}),
        EVERY - {("b/web", "a/db")},
        "never matches ipBlocks against pod IPs, so a/web -> a/db is denied; mlview matches "
        "pod IPs (a documented choice: the API leaves in-cluster ipBlock traffic to the "
        "implementation)",
    ),
]


def objects(policy):
    return [*NS, *PODS, policy]


@pytest.mark.parametrize(("name", "policy", "expected", "peer"), CASES, ids=[c[0] for c in CASES])
def test_api_semantics_where_the_peer_deviates(name, policy, expected, peer):
    objs = objects(policy)
    mx = compute_matrix(view(*objs), 9000)
    assert {(s.ref, d.ref) for s, d in mx.allowed_pairs()} == expected
    assert netpol_reference.allowed_pairs(objs, 9000) == expected
