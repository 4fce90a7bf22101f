"""The reachability engine, one semantic point per case, with the expected pairs written out.

Each case is checked three ways: the class engine, the plain pair-by-pair reference, and the
per-pair explainer must all give exactly the expected pairs.
"""

from __future__ import annotations

import itertools

import pytest

from mlview.analysis.reachability.engine import BadQuery, compute_matrix
from mlview.analysis.reachability.explain import explain
from tests import netpol_reference
from tests.unit.test_netpol_builders import namespace, netpol, pod, view

NS = [namespace("a", {"team": "x"}), namespace("b", {"team": "y"})]
WEB_A = pod("a", "web", {"app": "web"}, ip="10.1.0.5")
DB_A = pod("a", "db", {"app": "db"}, ports=[("s3", 9000)], ip="10.1.0.6")
WEB_B = pod("b", "web", {"app": "web"}, ip="10.1.1.5")
OTHER_B = pod("b", "other", {"app": "other"}, ip="10.2.0.1")
BASE = [*NS, WEB_A, DB_A, WEB_B]
ALL3 = {(s, d) for s in ("a/web", "a/db", "b/web") for d in ("a/web", "a/db", "b/web") if s != d}
TO_DB = {("a/web", "a/db"), ("b/web", "a/db")}


def db_ingress(*rules, name="db", **extra):
    return netpol(
        "a", name, {"podSelector": {"matchLabels": {"app": "db"}}, "ingress": list(rules), **extra}
    )


def pairs_of(objs, port=9000, proto="TCP", namespace=None):
    mx = compute_matrix(view(*objs), port, proto, namespace)
    return {(s.ref, d.ref) for s, d in mx.allowed_pairs()}


def check(objs, expected, port=9000, proto="TCP"):
    """Engine, reference and explainer all agree with the written-out pairs."""
    got = pairs_of(objs, port, proto)
    assert got == expected, "engine"
    assert netpol_reference.allowed_pairs(objs, port, proto) == expected, "reference"
    v = view(*objs)
    mx = compute_matrix(v, port, proto)
    refs = [p.ref for p in mx.pods]
    for s, d in itertools.permutations(refs, 2):
        verdict = explain(v, s, d, port, proto).verdict
        assert (verdict == "allowed") == ((s, d) in expected), f"explain {s}->{d}: {verdict}"
        assert mx.verdict(s, d) == verdict


def test_no_policy_allows_everything():
    check(BASE, ALL3)


# ---------------------------------------------------------------- isolation and policyTypes


def test_ingress_isolation_without_rules_denies_all_ingress():
    check([*BASE, db_ingress()], ALL3 - TO_DB)


def test_egress_only_policy_isolates_egress_not_ingress():
    pol = netpol("a", "no-egress", {"podSelector": {}, "policyTypes": ["Egress"]})
    check([*BASE, pol], {("b/web", "a/web"), ("b/web", "a/db")})


def test_ingress_rules_of_an_egress_only_policy_are_ignored():
    pol = netpol(
        "a", "p", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{}], "ingress": []}
    )
    check([*BASE, pol], ALL3)


def test_policy_types_default_to_egress_when_egress_rules_exist():
    # no policyTypes, one egress rule: Ingress AND Egress isolated for every pod of a
    pol = netpol(
        "a",
        "p",
        {"podSelector": {}, "egress": [{"to": [{"podSelector": {"matchLabels": {"app": "db"}}}]}]},
    )
    check([*BASE, pol], set())  # a/web may only send to a/db, whose ingress is now closed


def test_empty_egress_list_without_policy_types_isolates_ingress_only():
    # API defaulting adds Egress only when len(spec.egress) > 0
    pol = netpol("a", "p", {"podSelector": {}, "egress": []})
    check([*BASE, pol], {("a/web", "b/web"), ("a/db", "b/web")})


def test_explicit_policy_types_order_does_not_matter():
    for types in (["Ingress", "Egress"], ["Egress", "Ingress"]):
        pol = netpol("a", "p", {"podSelector": {}, "policyTypes": types, "egress": [{}]})
        check([*BASE, pol], {("a/web", "b/web"), ("a/db", "b/web")})


def test_empty_pod_selector_selects_its_namespace_only():
    pol = netpol("a", "deny", {"podSelector": {}})
    check([*BASE, pol], {("a/web", "b/web"), ("a/db", "b/web")})


# ---------------------------------------------------------------- selector operators

SEL_PODS = [
    namespace("a"),
    pod("a", "fe", {"tier": "fe"}),
    pod("a", "be", {"tier": "be"}),
    pod("a", "none", {}),
]
SEL_ALL = {(s, d) for s in ("a/fe", "a/be", "a/none") for d in ("a/fe", "a/be", "a/none") if s != d}


@pytest.mark.parametrize(
    ("expr", "isolated"),
    [
        ({"key": "tier", "operator": "In", "values": ["fe"]}, {"a/fe"}),
        ({"key": "tier", "operator": "NotIn", "values": ["fe"]}, {"a/be", "a/none"}),
        ({"key": "tier", "operator": "Exists"}, {"a/fe", "a/be"}),
        ({"key": "tier", "operator": "DoesNotExist"}, {"a/none"}),
    ],
)
def test_match_expressions(expr, isolated):
    pol = netpol("a", "deny", {"podSelector": {"matchExpressions": [expr]}})
    check([*SEL_PODS, pol], {(s, d) for s, d in SEL_ALL if d not in isolated})


def test_match_labels_and_expressions_are_anded():
    pol = netpol(
        "a",
        "deny",
        {
            "podSelector": {
                "matchLabels": {"tier": "fe"},
                "matchExpressions": [{"key": "tier", "operator": "In", "values": ["be"]}],
            }
        },
    )
    check([*SEL_PODS, pol], SEL_ALL)  # selects nobody


def test_empty_string_label_value_is_a_value():
    objs = [namespace("a"), pod("a", "e", {"x": ""}), pod("a", "n", {})]
    pol = netpol("a", "deny", {"podSelector": {"matchLabels": {"x": ""}}})
    check([*objs, pol], {("a/e", "a/n")})
    pol = netpol(
        "a", "deny", {"podSelector": {"matchExpressions": [{"key": "x", "operator": "Exists"}]}}
    )
    check([*objs, pol], {("a/e", "a/n")})


# ---------------------------------------------------------------- peers


def test_pod_selector_peer_is_limited_to_the_policy_namespace():
    rule = {"from": [{"podSelector": {"matchLabels": {"app": "web"}}}]}
    check([*BASE, db_ingress(rule)], ALL3 - {("b/web", "a/db")})


def test_namespace_selector_peer_takes_every_pod_of_matching_namespaces():
    rule = {"from": [{"namespaceSelector": {"matchLabels": {"team": "y"}}}]}
    check([*BASE, db_ingress(rule)], ALL3 - {("a/web", "a/db")})


def test_both_selectors_in_one_peer_are_anded():
    rule = {
        "from": [
            {
                "namespaceSelector": {"matchLabels": {"team": "y"}},
                "podSelector": {"matchLabels": {"app": "web"}},
            }
        ]
    }
    objs = [*BASE, OTHER_B, db_ingress(rule)]
    everyone = ("a/web", "a/db", "b/web", "b/other")
    expected = {(s, d) for s in everyone for d in everyone if s != d and d != "a/db"}
    check(objs, expected | {("b/web", "a/db")})


def test_two_peers_are_ored():
    rule = {
        "from": [
            {"namespaceSelector": {"matchLabels": {"team": "y"}}},
            {"podSelector": {"matchLabels": {"app": "web"}}},
        ]
    }
    objs = [*BASE, OTHER_B, db_ingress(rule)]
    everyone = ("a/web", "a/db", "b/web", "b/other")
    expected = {(s, d) for s in everyone for d in everyone if s != d}
    check(objs, expected)


def test_exists_in_a_peer_with_a_namespace_selector():
    rule = {
        "from": [
            {
                "namespaceSelector": {},
                "podSelector": {
                    "matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]
                },
            }
        ]
    }
    objs = [*BASE, OTHER_B, db_ingress(rule)]
    everyone = ("a/web", "a/db", "b/web", "b/other")
    expected = {(s, d) for s in everyone for d in everyone if s != d and d != "a/db"}
    check(objs, expected | TO_DB)
    rule["from"][0]["podSelector"] = {
        "matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]
    }
    check(objs, expected)  # every pod here has an app label


def test_namespace_name_label_is_always_there():
    rule = {"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "b"}}}]}
    objs = [WEB_A, DB_A, WEB_B, db_ingress(rule)]  # no Namespace objects at all
    check(objs, ALL3 - {("a/web", "a/db")})


def test_ip_block_with_except_matches_pod_ips():
    rule = {"from": [{"ipBlock": {"cidr": "10.1.0.0/16", "except": ["10.1.1.0/24"]}}]}
    objs = [*BASE, OTHER_B, db_ingress(rule)]
    everyone = ("a/web", "a/db", "b/web", "b/other")
    expected = {(s, d) for s in everyone for d in everyone if s != d and d != "a/db"}
    check(objs, expected | {("a/web", "a/db")})  # b/web is in the except, b/other outside


def test_ip_block_never_matches_a_pod_without_a_known_ip():
    rule = {"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}
    manifest = pod("a", "m", {"app": "web"}, status=False)  # plain manifest: IP unknown
    objs = [*NS, DB_A, manifest, db_ingress(rule)]
    check(objs, {("a/db", "a/m")})


def test_missing_and_empty_from_match_every_source():
    for rule in ({}, {"from": []}):
        check([*BASE, db_ingress(rule)], ALL3)


def test_empty_list_of_rules_matches_nothing():
    check([*BASE, db_ingress()], ALL3 - TO_DB)


# ---------------------------------------------------------------- ports


@pytest.mark.parametrize(
    ("ports", "port", "proto", "open_"),
    [
        (None, 9000, "TCP", True),  # missing ports: every port
        ([], 1234, "TCP", True),  # empty ports: every port
        ([{"port": 9000}], 9000, "TCP", True),
        ([{"port": 9000}], 9001, "TCP", False),
        ([{"port": 9000}], 9000, "UDP", False),  # protocol defaults to TCP
        ([{"port": 9000, "protocol": "UDP"}], 9000, "TCP", False),  # UDP does not open TCP
        ([{"port": 9000, "protocol": "UDP"}], 9000, "UDP", True),
        ([{"protocol": "TCP"}], 5, "TCP", True),  # no port number: the whole protocol
        ([{"port": 8000, "endPort": 9000}], 9000, "TCP", True),
        ([{"port": 8000, "endPort": 9000}], 8000, "TCP", True),
        ([{"port": 8000, "endPort": 9000}], 9001, "TCP", False),
        ([{"port": "s3"}], 9000, "TCP", True),  # named: resolved on the destination pod
        ([{"port": "s3"}], 9001, "TCP", False),
        ([{"port": "s3", "protocol": "UDP"}], 9000, "UDP", False),  # the name is TCP
        ([{"port": "http"}], 9000, "TCP", False),  # a name the pod does not define
        ([{"port": 1}, {"port": 9000}], 9000, "TCP", True),  # several entries: OR
    ],
)
def test_ports(ports, port, proto, open_):
    rule = {"from": [{"podSelector": {}}]}
    if ports is not None:
        rule["ports"] = ports
    expected = ALL3 - {("b/web", "a/db")} - (set() if open_ else {("a/web", "a/db")})
    check([*BASE, db_ingress(rule)], expected, port, proto)


def test_named_port_needs_the_name_on_that_destination():
    other_db = pod("a", "db2", {"app": "db"}, ports=[("http", 9000)])
    rule = {"ports": [{"port": "s3"}]}
    objs = [*NS, WEB_A, DB_A, other_db, db_ingress(rule)]
    check(objs, {("a/web", "a/db"), ("a/db2", "a/db"), ("a/db", "a/web"), ("a/db2", "a/web")})


def test_egress_named_port_resolves_on_the_destination():
    pol = netpol(
        "a",
        "eg",
        {
            "podSelector": {"matchLabels": {"app": "web"}},
            "policyTypes": ["Egress"],
            "egress": [{"ports": [{"port": "s3"}]}],
        },
    )
    check([*BASE, pol], ALL3 - {("a/web", "b/web")})


# ---------------------------------------------------------------- union, states, namespace


def test_policies_add_up():
    p1 = db_ingress({"from": [{"podSelector": {"matchLabels": {"app": "web"}}}]}, name="one")
    p2 = db_ingress({"from": [{"namespaceSelector": {"matchLabels": {"team": "y"}}}]}, name="two")
    check([*BASE, p1, p2], ALL3)
    check([*BASE, p1, db_ingress(name="deny")], ALL3 - {("b/web", "a/db")})


def test_both_sides_must_allow():
    eg = netpol(
        "b",
        "eg",
        {
            "podSelector": {},
            "policyTypes": ["Egress"],
            "egress": [{"to": [{"namespaceSelector": {}}], "ports": [{"port": 80}]}],
        },
    )
    ing = db_ingress({"from": [{"namespaceSelector": {}}]})
    check([*BASE, eg, ing], ALL3 - {("b/web", "a/web"), ("b/web", "a/db")})


def test_host_network_and_no_ip_pods_are_marked_and_left_out():
    host = pod("a", "agent", {"app": "web"}, host=True)
    pending = pod("a", "pending", {"app": "web"}, ip=None)
    objs = [*BASE, host, pending]
    check(objs, ALL3)
    mx = compute_matrix(view(*objs), 9000)
    assert mx.marked == {"a/agent": "host-network", "a/pending": "no-ip"}
    assert [p.ref for p in mx.pods] == ["a/agent", "a/db", "a/pending", "a/web", "b/web"]
    assert mx.verdict("a/web", "a/agent") == "host-network"
    assert mx.verdict("a/pending", "a/web") == "no-ip"
    assert mx.allowed_map()["a/agent"] == []


def test_invalid_policy_selects_nothing():
    bad = netpol(
        "a",
        "bad",
        {
            "podSelector": {
                "matchExpressions": [{"key": "app", "operator": "Equals", "values": ["db"]}]
            }
        },
    )
    check([*BASE, bad], ALL3)


def test_namespace_filter_keeps_verdicts():
    objs = [*BASE, db_ingress({"from": [{"podSelector": {"matchLabels": {"app": "web"}}}]})]
    assert pairs_of(objs, namespace="a") == {("a/web", "a/db"), ("a/db", "a/web")}


def test_classes_group_pods_that_policies_cannot_tell_apart():
    pods_ = [pod("a", f"w{i}", {"app": "web", "pod-template-hash": str(i)}) for i in range(20)]
    objs = [
        *NS,
        *pods_,
        DB_A,
        db_ingress({"from": [{"podSelector": {"matchLabels": {"app": "web"}}}]}),
    ]
    mx = compute_matrix(view(*objs), 9000)
    assert len(mx.classes) == 2  # the hash label is in no selector
    assert mx.count_allowed() == 21 * 20 == len(list(mx.allowed_pairs()))


@pytest.mark.parametrize(
    ("port", "proto"), [(0, "TCP"), (70000, "TCP"), ("x", "TCP"), (80, "ICMP")]
)
def test_bad_queries_raise(port, proto):
    with pytest.raises(BadQuery):
        compute_matrix(view(*BASE), port, proto)


def test_pod_ips_parse_as_ipaddress_reads_them():
    """The dotted-quad fast path accepts exactly what ipaddress accepts, with the same value;
    everything else is left to ipaddress (IPv6, junk)."""
    import ipaddress

    from mlview.analysis.reachability.model import _address, _ipv4

    for text in [
        "10.0.0.6", "0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "10.0.0.06",
        "0000.1.1.1", "1.2.3", "1.2.3.4.5", "1..3.4", "a.b.c.d", "\u0661.2.3.4", "1.2.3.4 ",
        "+1.2.3.4", "1.2.3.-4", "1_0.2.3.4", "::1", "fd00::6", "1.2.3.4/8", "",
    ]:  # fmt: skip
        try:
            want = ipaddress.ip_address(text)
        except ValueError:
            want = None
        assert _ipv4(text) == (int(want) if want is not None and want.version == 4 else None)
        assert _address(text) == (None if want is None else (want.version, int(want)))
