"""mlview.analysis.diff, reachability: flips found class to class, grouped, with their cause."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlview.analysis.diff import compare, compare_reachability, ports_that_matter
from mlview.analysis.shared.virtual_pods import complete
from tests import netpol_reference
from tests.unit import test_netpol_property as prop  # its strategies (not its tests)
from tests.unit.test_netpol_builders import namespace, netpol, pod, view

NS = [namespace("ml"), namespace("ingress-nginx")]
API = [pod("ml", f"api-{i}", {"app": "api"}, ports=[("http", 8080)]) for i in range(2)]
CTRL = pod("ingress-nginx", "ctrl", {"app": "nginx"})
OTHER = pod("ml", "job", {"app": "job"})
ALLOW_NGINX = {
    "podSelector": {"matchLabels": {"app": "api"}},
    "ingress": [
        {
            "from": [
                {
                    "namespaceSelector": {
                        "matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}
                    }
                }
            ],
            "ports": [{"port": "http"}],
        }
    ],
}


def edited(spec, ns_name):
    import copy

    out = copy.deepcopy(spec)
    out["ingress"][0]["from"][0]["namespaceSelector"]["matchLabels"][
        "kubernetes.io/metadata.name"
    ] = ns_name
    return out


def test_a_policy_edit_flips_cells_and_is_named_as_the_cause():
    old = view(*NS, *API, CTRL, OTHER, netpol("ml", "allow-nginx", ALLOW_NGINX))
    new = view(*NS, *API, CTRL, OTHER, netpol("ml", "allow-nginx", edited(ALLOW_NGINX, "x")))
    flips = compare(old, new).reachability
    assert len(flips) == 1
    f = flips[0]
    assert (f.port, f.protocol, f.old, f.new) == (8080, "TCP", True, False)
    assert f.sources == ("ingress-nginx/ctrl",)
    assert f.destinations == ("ml/api-0", "ml/api-1")
    assert f.pairs == 2
    assert [(c.kind, c.namespace, c.name, c.change) for c in f.because] == [
        ("NetworkPolicy", "ml", "allow-nginx", "edited")
    ]
    assert "ingress rule 0" in f.because[0].detail
    assert "no longer admits" in f.because[0].detail


def test_a_default_deny_added_isolates_and_says_so():
    deny = netpol("ml", "default-deny", {"podSelector": {}, "policyTypes": ["Ingress"]})
    old = view(*NS, *API, CTRL, OTHER)
    new = view(*NS, *API, CTRL, OTHER, deny)
    flips = compare(old, new, ports=[5000]).reachability
    assert flips, "every pod of ml is now isolated"
    assert all(not f.new and f.old for f in flips)
    assert {c.change for f in flips for c in f.because} == {"added"}
    assert all("now isolates the ingress" in c.detail for f in flips for c in f.because)
    on_5000 = [f for f in flips if f.port == 5000]
    # every source (4 pods) to every ml pod (3): grouped into one entry, pairs minus self
    assert len(on_5000) == 1
    assert set(on_5000[0].destinations) == {"ml/api-0", "ml/api-1", "ml/job"}
    assert on_5000[0].pairs == 4 * 3 - 3


def test_a_policy_removed_reopens():
    old = view(*NS, *API, CTRL, netpol("ml", "allow-nginx", ALLOW_NGINX))
    new = view(*NS, *API, CTRL)
    flips = compare(old, new).reachability
    assert flips and all(f.new and not f.old for f in flips)
    assert {c.change for f in flips for c in f.because} == {"removed"}


def test_a_label_change_under_an_unchanged_policy_names_the_pod():
    pol = netpol("ml", "allow-nginx", ALLOW_NGINX)
    moved = pod("ml", "api-1", {"app": "other"}, ports=[("http", 8080)])
    old = view(*NS, *API, CTRL, pol)
    new = view(*NS, API[0], moved, CTRL, pol)
    flips = [f for f in compare(old, new).reachability if f.port == 8080]
    assert flips
    causes = {(c.kind, c.name) for f in flips for c in f.because}
    assert ("Pod", "api-1") in causes


def test_a_pod_that_lost_its_ip_is_named_with_the_ip_as_the_cause():
    """A snapshot against manifests: the destination is a pod not created yet (no status, no IP),
    so an ipBlock egress rule cannot match it; the cause says so, not only that labels moved."""
    egress = {
        "podSelector": {"matchLabels": {"app": "job"}},
        "policyTypes": ["Egress"],
        "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}], "ports": [{"port": 8080}]}],
    }
    pol = netpol("ml", "job-egress", egress)
    planned = pod("ml", "api-0", {"app": "api"}, ports=[("http", 8080)], ip=None, status=False)
    old = view(*NS, *API, OTHER, pol)
    new = view(*NS, planned, API[1], OTHER, pol)
    flips = [f for f in compare(old, new).reachability if f.port == 8080 and "ml/job" in f.sources]
    assert [(f.old, f.new, f.destinations) for f in flips] == [(True, False, ("ml/api-0",))]
    (cause,) = flips[0].because
    assert (cause.kind, cause.name) == ("Pod", "api-0")
    assert "IP changed" in cause.detail and "ipBlock peers cannot match it" in cause.detail
    assert "labels" not in cause.detail  # the labels are the same


def test_identical_and_reordered_inputs_give_no_flips():
    objs = [*NS, *API, CTRL, OTHER, netpol("ml", "allow-nginx", ALLOW_NGINX)]
    shuffled = list(objs)
    random.Random(3).shuffle(shuffled)
    assert compare(view(*objs), view(*shuffled)).reachability == ()


def test_replaced_pods_are_matched_with_their_replacements():
    """A rollout (new pod names) and a policy edit in one diff: the flip is still found, named
    by the new pods."""

    def owned(p, rs):
        p["metadata"]["ownerReferences"] = [{"kind": "ReplicaSet", "name": rs, "controller": True}]
        p["metadata"]["labels"]["pod-template-hash"] = rs.rsplit("-", 1)[1]
        return p

    old_api = [
        owned(pod("ml", f"api-aaa-{i}", {"app": "api"}, ports=[("http", 8080)]), "api-aaa")
        for i in range(2)
    ]
    new_api = [
        owned(pod("ml", f"api-bbb-{i}", {"app": "api"}, ports=[("http", 8080)]), "api-bbb")
        for i in range(2)
    ]
    old = view(*NS, *old_api, CTRL, netpol("ml", "allow-nginx", ALLOW_NGINX))
    new = view(*NS, *new_api, CTRL, netpol("ml", "allow-nginx", edited(ALLOW_NGINX, "x")))
    d = compare(old, new)
    flips = [f for f in d.reachability if f.port == 8080]
    assert len(flips) == 1
    assert flips[0].destinations == ("ml/api-bbb-0", "ml/api-bbb-1")
    assert flips[0].destination_groups == ("ml/Deployment/api",)
    assert [p.text for p in d.objects.pods] == ["replaced 2 pods"]


def test_ports_that_matter():
    svc = {
        "kind": "Service",
        "metadata": {"namespace": "ml", "name": "api"},
        "spec": {
            "ports": [
                {"port": 80, "targetPort": 8081},
                {"port": 53, "protocol": "UDP"},
                {"port": 81, "targetPort": "http"},
            ]
        },
    }
    old = view(*NS, *API, svc)
    new = view(*NS, pod("ml", "x", {}, ports=[("grpc", 9001)]))
    assert ports_that_matter(old, new, [7000]) == [
        (7000, "TCP"),
        (8080, "TCP"),
        (8081, "TCP"),
        (9001, "TCP"),
        (53, "UDP"),
    ]


EXTRA_PORTS = [53, 8080, 8500, 9000, 9001]


@st.composite
def pairs(draw):
    """An old cluster and a new one: policies edited, dropped or added, a pod relabelled."""
    old = draw(prop.clusters())
    new = []
    for obj in old:
        if obj["kind"] == "NetworkPolicy":
            action = draw(st.sampled_from(["keep", "keep", "edit", "drop"]))
            if action == "drop":
                continue
            if action == "edit":
                obj = {**obj, "spec": draw(prop.policy_spec)}
        elif obj["kind"] == "Pod" and draw(st.integers(0, 4)) == 0:
            obj = {
                **obj,
                "metadata": {**obj["metadata"], "labels": draw(prop.label_maps(prop.LABELS))},
            }
        new.append(obj)
    if draw(st.booleans()):
        ns = next((o["metadata"]["namespace"] for o in old if o["kind"] == "Pod"), "a")
        new.append(netpol(ns, "added", draw(prop.policy_spec)))
    return old, new


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs())
def test_class_to_class_flips_are_exactly_the_pair_by_pair_differences(pair):
    old_objs, new_objs = pair
    old, new = complete(view(*old_objs)), complete(view(*new_objs))
    ports = ports_that_matter(old, new, EXTRA_PORTS)
    got = {
        (f.port, f.protocol, s, d, f.new)
        for f in compare_reachability(old, new, ports)
        for s in f.sources
        for d in f.destinations
        if s != d
    }
    old_pods = {o["metadata"]["name"]: o for o in old_objs if o["kind"] == "Pod"}
    new_pods = {o["metadata"]["name"]: o for o in new_objs if o["kind"] == "Pod"}
    judged = [
        f"{p['metadata']['namespace']}/{n}"
        for n, p in new_pods.items()
        if n in old_pods and all(_judged(x) for x in (p, old_pods[n]))
    ]
    want = set()
    for port, proto in ports:
        before = netpol_reference.allowed_pairs(old_objs, port, proto)
        after = netpol_reference.allowed_pairs(new_objs, port, proto)
        for s in judged:
            for d in judged:
                if s != d and ((s, d) in before) != ((s, d) in after):
                    want.add((port, proto, s, d, (s, d) in after))
    assert got == want


def _judged(p):
    """A pod that gets a verdict: not host network, and an IP (or no status at all)."""
    if p["spec"].get("hostNetwork"):
        return False
    status = p.get("status")
    return not status or bool(status.get("podIP"))


def test_nothing_a_verdict_depends_on_changed_means_no_matrix_at_all():
    objs = [*NS, *API, CTRL, OTHER, netpol("ml", "allow-nginx", ALLOW_NGINX)]
    old, new = view(*objs), view(*objs)
    assert compare_reachability(old, new, [(8080, "TCP"), (9000, "TCP")]) == []
    computed = [k for v in (old, new) for k in v._cache if k[:2] == ("netpol", "matrix")]
    assert computed == []


def test_only_the_direction_a_policy_change_touches_is_looked_at():
    """An egress-only edit: no destination is a candidate, the flips are whole rows."""
    from mlview.analysis.diff.reachability import candidates, matched_pods, policy_changes

    egress = {"podSelector": {"matchLabels": {"app": "job"}}, "policyTypes": ["Egress"]}
    old = view(*NS, *API, CTRL, OTHER)
    new = view(*NS, *API, CTRL, OTHER, netpol("ml", "job-egress", egress))
    sources, destinations = candidates(old, new, matched_pods(old, new), policy_changes(old, new))
    assert (sources, destinations) == ({"ml/job"}, set())
    flips = compare_reachability(old, new, [(8080, "TCP")])
    assert [(f.sources, f.old, f.new) for f in flips] == [(("ml/job",), True, False)]
    assert set(flips[0].destinations) == {"ml/api-0", "ml/api-1", "ingress-nginx/ctrl"}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prop.clusters())
def test_matrices_of_one_view_share_classes_without_changing_a_verdict(objs):
    """The engine reuses one partition for the ports no named port resolves to (what makes a
    diff over many ports affordable): each port's pairs equal those of a fresh view."""
    from mlview.analysis.reachability.engine import compute_matrix

    shared = view(*objs)
    for port, proto in [(53, "UDP"), (8080, "TCP"), (8500, "TCP"), (9000, "TCP"), (53, "TCP")]:
        got = {(s.ref, d.ref) for s, d in compute_matrix(shared, port, proto).allowed_pairs()}
        fresh = compute_matrix(view(*objs), port, proto)
        assert got == {(s.ref, d.ref) for s, d in fresh.allowed_pairs()}
        assert got == netpol_reference.allowed_pairs(objs, port, proto)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prop.clusters())
def test_rows_of_a_few_sources_equal_the_transposed_matrix(objs):
    """The rows of candidate sources read from the ingress source sets (when they are few),
    or from the whole transposition (when many): each equals the engine's row."""
    from mlview.analysis.diff.reachability import _Rows
    from mlview.analysis.reachability.engine import compute_matrix

    v = complete(view(*objs))
    for port, proto in [(8080, "TCP"), (9000, "TCP"), (53, "UDP")]:
        mx = compute_matrix(v, port, proto)
        few, many = _Rows(mx, 1), _Rows(mx, 1)
        few.whole, many.whole = False, True  # both ways, whichever the cost would pick
        for s in range(len(mx.classes)):
            assert few.row(s) == mx.row(s)
            assert many.row(s) == mx.row(s)


def test_a_row_leaves_out_destinations_that_admit_other_sources_only():
    """job is not isolated for egress; api admits only the controller: job's row (read from
    the ingress source sets) must not hold api, while the controller's does."""
    from mlview.analysis.diff.reachability import _Rows
    from mlview.analysis.reachability.engine import compute_matrix

    v = view(*NS, *API, CTRL, OTHER, netpol("ml", "allow-nginx", ALLOW_NGINX))
    mx = compute_matrix(v, 8080, "TCP")
    rows = _Rows(mx, 1)
    assert not rows.whole
    api = mx.class_of["ml/api-0"]
    assert not (rows.row(mx.class_of["ml/job"]) >> api) & 1
    assert (rows.row(mx.class_of["ingress-nginx/ctrl"]) >> api) & 1
