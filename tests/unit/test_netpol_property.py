"""Property: on random clusters, the class engine agrees with a plain pair-by-pair reading of the
rules (tests.netpol_reference) and with the per-pair explainer."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlview.analysis.reachability.engine import compute_matrix
from mlview.analysis.reachability.explain import explain
from tests import netpol_reference
from tests.unit.test_netpol_builders import namespace, netpol, pod, view

NAMESPACES = ["a", "b", "c"]
LABELS = {"app": ["web", "db", ""], "tier": ["fe", "be"]}
NS_LABELS = {"team": ["x", "y"], "env": ["prod", ""]}
PORTS = [
    ("s3", 9000, "TCP"),
    ("s3", 9000, "UDP"),
    ("http", 8080, "TCP"),
    ("dns", 53, "UDP"),
    ("http", 9000, "TCP"),
]
IPS = ["10.0.0.1", "10.0.0.9", "10.0.1.3", "10.1.0.4", "192.168.0.2"]
CIDRS = ["10.0.0.0/16", "10.0.0.0/24", "10.0.0.8/29", "0.0.0.0/0", "192.168.0.0/16"]


def label_maps(pool):
    return st.fixed_dictionaries({}, optional={k: st.sampled_from(v) for k, v in pool.items()})


def selector(pool, allow_bad=True):
    ops = ["In", "NotIn", "Exists", "DoesNotExist"] + (["Bogus"] if allow_bad else [])

    def expr(key_op):
        key, op = key_op
        if op in ("In", "NotIn", "Bogus"):
            return st.lists(st.sampled_from(pool[key]), min_size=1, max_size=2, unique=True).map(
                lambda vals: {"key": key, "operator": op, "values": vals}
            )
        return st.just({"key": key, "operator": op})

    exprs = st.lists(
        st.tuples(st.sampled_from(sorted(pool)), st.sampled_from(ops)).flatmap(expr), max_size=2
    )
    return st.fixed_dictionaries(
        {}, optional={"matchLabels": label_maps(pool), "matchExpressions": exprs}
    )


peer = st.one_of(
    st.fixed_dictionaries({"podSelector": selector(LABELS)}),
    st.fixed_dictionaries({"namespaceSelector": selector(NS_LABELS)}),
    st.fixed_dictionaries(
        {"podSelector": selector(LABELS), "namespaceSelector": selector(NS_LABELS)}
    ),
    st.builds(
        lambda c, ex: {"ipBlock": {"cidr": c, **({"except": [ex]} if ex else {})}},
        st.sampled_from(CIDRS),
        st.sampled_from([None, "10.0.0.8/30", "10.0.0.0/24"]),
    ),
)
port_entry = st.one_of(
    st.fixed_dictionaries({}, optional={"protocol": st.sampled_from(["TCP", "UDP"])}),
    st.fixed_dictionaries(
        {"port": st.sampled_from([53, 8080, 9000, 9001])},
        optional={"protocol": st.sampled_from(["TCP", "UDP"])},
    ),
    st.fixed_dictionaries(
        {"port": st.sampled_from([53, 8000]), "endPort": st.sampled_from([8080, 9000])}
    ),
    st.fixed_dictionaries(
        {"port": st.sampled_from(["s3", "http", "dns"])},
        optional={"protocol": st.sampled_from(["TCP", "UDP"])},
    ),
)


def rule(peer_key):
    return st.fixed_dictionaries(
        {},
        optional={peer_key: st.lists(peer, max_size=2), "ports": st.lists(port_entry, max_size=2)},
    )


policy_spec = st.fixed_dictionaries(
    {"podSelector": selector(LABELS)},
    optional={
        "policyTypes": st.sampled_from(
            [["Ingress"], ["Egress"], ["Ingress", "Egress"], ["Egress", "Ingress"], []]
        ),
        "ingress": st.lists(rule("from"), max_size=2),
        "egress": st.lists(rule("to"), max_size=2),
    },
)


@st.composite
def clusters(draw):
    nss = [namespace(n, draw(label_maps(NS_LABELS))) for n in NAMESPACES if draw(st.booleans())]
    ns_names = NAMESPACES if not nss else [n["metadata"]["name"] for n in nss]
    pods = []
    for i in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(["ok"] * 6 + ["host", "pending", "manifest"]))
        pods.append(
            pod(
                draw(st.sampled_from(ns_names)),
                f"p{i}",
                draw(label_maps(LABELS)),
                ports=[p for p in PORTS if draw(st.booleans())],
                ip=None if kind == "pending" else draw(st.sampled_from(IPS)),
                host=kind == "host",
                status=kind != "manifest",
            )
        )
    pols = [
        netpol(draw(st.sampled_from(ns_names)), f"np{i}", draw(policy_spec))
        for i in range(draw(st.integers(0, 4)))
    ]
    return nss + pods + pols


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clusters(), st.sampled_from([53, 8080, 9000]), st.sampled_from(["TCP", "UDP"]))
def test_class_engine_agrees_with_pair_by_pair_reading(objs, port, proto):
    v = view(*objs)
    mx = compute_matrix(v, port, proto)
    got = {(s.ref, d.ref) for s, d in mx.allowed_pairs()}
    assert got == netpol_reference.allowed_pairs(objs, port, proto)
    assert mx.count_allowed() == len(got)
    for s, d in itertools.permutations([p.ref for p in mx.pods], 2):
        assert explain(v, s, d, port, proto).verdict == mx.verdict(s, d)
