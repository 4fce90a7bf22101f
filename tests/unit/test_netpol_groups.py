"""Matrix rows and columns grouped by workload: collapse when members agree, flip on demand."""

from __future__ import annotations

from mlview.analysis.reachability.engine import compute_matrix
from mlview.analysis.reachability.groups import Grid, workload_groups
from tests.unit.test_netpol_builders import namespace, netpol, pod, view


def owned(ns, name, owner, labels, **kw):
    obj = pod(ns, name, labels, **kw)
    obj["metadata"]["ownerReferences"] = [
        {"kind": "StatefulSet", "name": owner, "controller": True}
    ]
    return obj


STORE = [
    owned("s", f"store-{i}", "store", {"app": "store", "i": str(i)}, ports=[("s3", 9000)])
    for i in range(2)
]
WEB = [owned("w", f"web-{i}", "web", {"app": "web", "i": str(i)}) for i in range(3)]
BASE = [namespace("s"), namespace("w"), *STORE, *WEB]


def grid(objs, row_flips=(), col_flips=()):
    v = view(*objs)
    mx = compute_matrix(v, 9000)
    groups = workload_groups(v, mx.pods)
    return Grid(mx, groups, groups, set(row_flips), set(col_flips))


def test_groups_by_controller_and_collapse_when_members_agree():
    g = grid(BASE)
    assert [e.label for e in g.rows] == ["s/store ×2", "w/web ×3"]
    assert [g.cell(r, c) for r in range(2) for c in range(2)] == ["allowed"] * 4


def test_disagreeing_members_expand_and_the_group_cell_is_mixed():
    # only web-0 may reach the store
    pol = netpol(
        "s",
        "p",
        {
            "podSelector": {},
            "ingress": [
                {
                    "from": [
                        {
                            "namespaceSelector": {},
                            "podSelector": {"matchLabels": {"i": "0", "app": "web"}},
                        }
                    ]
                }
            ],
        },
    )
    g = grid([*BASE, pol])
    labels = [e.label for e in g.rows]
    assert labels == ["s/store ×2", "w/web ×3", "web-0", "web-1", "web-2"]
    assert g.rows[1].expanded and not g.rows[1].uniform
    assert [g.cell(r, 0) for r in range(5)] == ["denied", "mixed", "allowed", "denied", "denied"]
    assert g.tally(1, 0) == {"allowed": 2, "denied": 4}
    # flipping collapses it anyway; the cell stays "mixed"
    g = grid([*BASE, pol], row_flips={"w/StatefulSet/web"})
    assert [e.label for e in g.rows] == ["s/store ×2", "w/web ×3"]
    assert g.cell(1, 0) == "mixed"


def test_flipping_a_uniform_group_expands_it_and_self_cells_are_same_pod():
    g = grid(BASE, col_flips={"w/StatefulSet/web"})
    assert [e.label for e in g.cols] == ["s/store ×2", "w/web ×3", "web-0", "web-1", "web-2"]
    web_row = 1
    assert g.cell(web_row, 2) == "allowed"  # the group row: its other members reach web-0
    g = grid(BASE, row_flips={"w/StatefulSet/web"}, col_flips={"w/StatefulSet/web"})
    assert g.cell(2, 2) == "same-pod" and g.cell(2, 3) == "allowed"


def test_single_pod_groups_and_marked_pods():
    objs = [namespace("a"), pod("a", "solo", {}), pod("a", "host", {}, host=True)]
    g = grid(objs)
    assert [e.label for e in g.rows] == ["a/host", "a/solo"]
    assert g.cell(0, 0) == "same-pod" and g.cell(0, 1) == "host-network"
    assert g.cell(1, 0) == "host-network" and g.pair(1, 0)[1].name == "host"
