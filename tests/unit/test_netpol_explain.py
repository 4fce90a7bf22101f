"""Explanations: both sides, the admitting rule's coordinates, denials, near misses, notes."""

from __future__ import annotations

from mlview.analysis.reachability import model as m
from mlview.analysis.reachability import parse as netpol_parse
from mlview.analysis.reachability.explain import explain, policy_summary
from tests.unit.test_netpol_builders import namespace, netpol, pod, view

NS = [namespace("ml", {"team": "ml"}), namespace("store")]
TRAINER = pod("ml", "trainer", {"app": "trainer"})
API = pod("ml", "api", {"app": "api"})
MINIO = pod("store", "minio", {"app": "minio"}, ports=[("s3", 9000)])
DENY = netpol("store", "deny", {"podSelector": {}})
ALLOW = netpol(
    "store",
    "allow-api",
    {
        "podSelector": {"matchLabels": {"app": "minio"}},
        "ingress": [
            {"from": [{"podSelector": {"matchLabels": {"app": "x"}}}]},
            {
                "from": [
                    {"ipBlock": {"cidr": "192.168.0.0/16"}},
                    {
                        "namespaceSelector": {"matchLabels": {"team": "ml"}},
                        "podSelector": {"matchLabels": {"app": "api"}},
                    },
                ],
                "ports": [{"port": 80}, {"port": "s3"}],
            },
        ],
    },
)
EGRESS = netpol(
    "ml",
    "trainer-out",
    {
        "podSelector": {"matchLabels": {"app": "trainer"}},
        "policyTypes": ["Egress"],
        "egress": [{"to": [{"namespaceSelector": {}}], "ports": [{"port": 8080}]}],
    },
)
V = view(*NS, TRAINER, API, MINIO, DENY, ALLOW, EGRESS)


def test_allowed_names_rule_peer_and_port_indexes():
    ex = explain(V, "ml/api", "store/minio", 9000)
    assert ex.verdict == "allowed"
    assert not ex.egress.isolated and ex.egress.allowed and ex.egress.selecting == ()
    ing = ex.ingress
    assert ing.isolated and ing.selecting == (("store/allow-api", True), ("store/deny", True))
    a = ing.admitted_by[0]
    assert (a.policy, a.direction, a.rule_index, a.peer_index, a.port_index) == (
        "store/allow-api",
        "ingress",
        1,
        1,
        1,
    )
    assert a.peer_text == "pods app=api in namespaces team=ml"
    assert a.port_text == "TCP s3"


def test_denied_on_both_sides_with_near_misses():
    ex = explain(V, "ml/trainer", "store/minio", 9000)
    assert ex.verdict == "denied"
    assert ex.egress.isolated and not ex.egress.allowed
    assert ex.egress.selecting == (("ml/trainer-out", True),)
    assert ex.egress.near_misses == (
        "ml/trainer-out egress rule 0 matches store/minio but allows only TCP 8080",
    )
    assert not ex.ingress.allowed and ex.ingress.admitted_by == ()
    assert (
        ex.ingress.reason
        == "isolated, and no ingress rule of store/allow-api, store/deny admits it"
    )
    assert any("allows TCP 9000 but only from" in n for n in ex.ingress.near_misses)
    text = "\n".join(ex.lines())
    assert "egress side of ml/trainer: DENIES" in text
    assert "ingress side of store/minio: DENIES" in text


def test_selecting_policy_for_the_other_direction_is_listed_but_does_not_isolate():
    ex = explain(V, "store/minio", "ml/trainer", 9000)
    assert ex.ingress.selecting == (("ml/trainer-out", False),)
    assert not ex.ingress.isolated and ex.ingress.allowed
    assert ex.verdict == "allowed"


def test_invalid_policy_is_listed_as_ignored():
    bad = netpol(
        "store", "bad", {"podSelector": {"matchExpressions": [{"key": "app", "operator": "Like"}]}}
    )
    ex = explain(view(*NS, API, MINIO, bad), "ml/api", "store/minio", 9000)
    assert ex.verdict == "allowed"
    assert ex.ingress.ignored[0][0] == "store/bad"
    assert "unknown operator 'Like'" in ex.ingress.ignored[0][1]
    assert any("ignored (invalid): store/bad" in line for line in ex.lines())


def test_marked_pods_and_same_pod():
    host = pod("ml", "agent", {}, host=True)
    v = view(*NS, API, host)
    ex = explain(v, "ml/agent", "ml/api", 9000)
    assert ex.verdict == m.HOST_NETWORK and "host network" in ex.notes[0]
    assert explain(v, "ml/api", "ml/api", 9000).verdict == "same-pod"


def test_policy_summary_in_plain_words():
    lines = policy_summary(netpol_parse.parse_policy(ALLOW))
    assert lines == [
        "selects pods app=minio in store",
        "Ingress rule 0: allow from pods app=x in namespace store on any port",
        "Ingress rule 1: allow from ipBlock 192.168.0.0/16; pods app=api in namespaces team=ml "
        "on TCP 80, TCP s3",
    ]
    assert policy_summary(netpol_parse.parse_policy(DENY))[1] == "Ingress: deny all"
