"""The reachability engine: which pods may open a connection to which, on one port and protocol,
under Kubernetes NetworkPolicy (networking.k8s.io/v1) semantics. Pure; no UI imports.

It decides by equivalence classes, not pod pairs. Two pods are indistinguishable to every
policy when they share, for the query at hand:

- the namespace (policies are namespaced; namespace labels follow from it),
- their labels restricted to the label keys some podSelector mentions (others cannot matter),
- the named container ports that policies mention and that resolve to the queried
  port/protocol,
- the pod state (normal, host-network, no-ip), and
- when any policy has ipBlock peers: one bit per distinct ipBlock, "the pod IP is inside the
  cidr and outside every except". This is how ipBlocks interact with classes: pods whose IPs
  fall in the same blocks stay together, the rest split.

Sets of classes are Python ints used as bitsets. Every selector is evaluated once, over all
classes at a time, from inverted indexes (label -> classes, namespace -> classes); each policy
is visited once. The result keeps, per destination class, the source classes its ingress side
admits, and per source class, the destination classes its egress side admits; a cell is
allowed when both bits are set. Pair-level reasons come from netpol_explain.explain().
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from mlview.analysis.reachability import model as m
from mlview.analysis.reachability import parse as netpol_parse
from mlview.analysis.reachability.bits import bit_list
from mlview.analysis.reachability.classes import Classes, PodClass
from mlview.analysis.reachability.model import PodInfo, PolicyInfo
from mlview.store import StoreView


class BadQuery(ValueError):
    """A port or protocol the engine cannot answer for."""


def check_query(port: Any, protocol: str) -> tuple[int, str]:
    try:
        num = int(port)
    except (TypeError, ValueError):
        raise BadQuery(f"port {port!r} is not a number") from None
    if not 1 <= num <= 65535:
        raise BadQuery(f"port {num} is out of range 1-65535")
    proto = str(protocol).upper()
    if proto not in m.PROTOCOLS:
        raise BadQuery(f"protocol {protocol!r} is not one of TCP, UDP, SCTP")
    return num, proto


class Matrix:
    """Verdicts for every ordered pair of pods, held per class. Cheap cell lookups."""

    def __init__(
        self,
        port: int,
        protocol: str,
        pods: list[PodInfo],
        classes: list[PodClass],
        egress_dst: list[int],
        ingress_src: list[int],
        isolated: dict[str, int] | None = None,
        class_of: dict[str, int] | None = None,
    ) -> None:
        self.port, self.protocol = port, protocol
        self.pods = pods  # every pod considered, sorted by namespace/name
        self.classes = classes  # normal pods only; marked pods are in `marked`
        self.egress_dst = egress_dst  # source class -> bitset of destination classes
        self.ingress_src = ingress_src  # destination class -> bitset of source classes
        # "Ingress"/"Egress" -> bitset of classes some policy isolates for that direction
        self.isolated = isolated or {"Ingress": 0, "Egress": 0}
        self.marked = {p.ref: p.state for p in pods if p.state != m.OK}
        if class_of is None:
            class_of = {p.ref: c.index for c in classes for p in c.members}
        self.class_of = class_of
        self._rows: list[int] | None = None

    def class_allowed(self, s: int, d: int) -> bool:
        return bool((self.egress_dst[s] >> d) & 1 and (self.ingress_src[d] >> s) & 1)

    def verdict(self, src: str, dst: str) -> str:
        """allowed | denied | same-pod | host-network | no-ip (the marked pod's state)."""
        if src == dst:
            return "same-pod"
        for ref in (src, dst):
            if ref in self.marked:
                return self.marked[ref]
        if src not in self.class_of or dst not in self.class_of:
            raise KeyError(f"unknown pod {src if src not in self.class_of else dst}")
        return "allowed" if self.class_allowed(self.class_of[src], self.class_of[dst]) else "denied"

    def row(self, s: int) -> int:
        """Bitset of destination classes class `s` may reach (both sides agree)."""
        if self._rows is None:
            self._rows = self._transpose_ingress()
        return self.egress_dst[s] & self._rows[s]

    def _transpose_ingress(self) -> list[int]:
        # Destinations sharing one ingress source set are transposed together, so the cost
        # is (distinct source sets x their sizes), not classes squared.
        groups: dict[int, int] = {}
        for d, srcs in enumerate(self.ingress_src):
            groups[srcs] = groups.get(srcs, 0) | (1 << d)
        rows = [0] * len(self.classes)
        for srcs, dsts in groups.items():
            for s in bit_list(srcs):
                rows[s] |= dsts
        return rows

    def allowed_pairs(self) -> Iterator[tuple[PodInfo, PodInfo]]:
        """Every allowed ordered pair of distinct pods."""
        for c in self.classes:
            for d in bit_list(self.row(c.index)):
                targets = self.classes[d].members
                for src in c.members:
                    for dst in targets:
                        if src is not dst:
                            yield src, dst

    def allowed_map(self) -> dict[str, list[str]]:
        """{"ns/src": ["ns/dst", ...]} for every pod, sorted; marked pods reach nothing."""
        out: dict[str, list[str]] = {p.ref: [] for p in self.pods}
        for c in self.classes:
            dsts = sorted(
                p.ref for d in bit_list(self.row(c.index)) for p in self.classes[d].members
            )
            for src in c.members:
                out[src.ref] = [r for r in dsts if r != src.ref]
        return out

    def count_allowed(self) -> int:
        sizes = [len(c.members) for c in self.classes]
        total = 0
        for c in self.classes:
            row = self.row(c.index)
            n = sum(sizes[d] for d in bit_list(row))
            total += len(c.members) * n - (len(c.members) if (row >> c.index) & 1 else 0)
        return total


def compute_matrix(
    view: StoreView, port: int, protocol: str = "TCP", namespace: str | None = None
) -> Matrix:
    """The matrix for one port and protocol, over every pod (or the pods of `namespace`:
    verdicts never depend on which other pods are shown)."""
    port, protocol = check_query(port, protocol)
    key = ("netpol", "matrix", port, protocol, namespace)
    return view.memo(key, lambda: _compute(view, port, protocol, namespace))


def _compute(view: StoreView, port: int, protocol: str, namespace: str | None) -> Matrix:
    pods = m.pods(view, namespace)
    valid = [p for p in netpol_parse.policies(view) if p.valid]
    ctx = _classes(view, pods, valid, port, protocol, namespace)
    n = len(ctx.classes)
    everyone = (1 << n) - 1
    ingress_src, iso_in = _side(ctx, valid, "Ingress", everyone, n)
    egress_dst, iso_eg = _side(ctx, valid, "Egress", everyone, n)
    isolated = {"Ingress": iso_in, "Egress": iso_eg}
    return Matrix(
        port, protocol, pods, ctx.classes, egress_dst, ingress_src, isolated, ctx.class_of
    )


def _classes(
    view: StoreView,
    pods: list[PodInfo],
    valid: list[PolicyInfo],
    port: int,
    protocol: str,
    namespace: str | None,
) -> Classes:
    """The classes for one query. A port only matters to the partition through the named
    ports policies mention that resolve to it: every port no such name resolves to gets the
    same partition, built once per view and reused with the port swapped in (the selectors'
    bitsets do not depend on the port either)."""
    # the port-independent half of each pod's class key, shared by this view's matrices
    bases = view.memo(("netpol", "class-bases", namespace), dict)
    labels = m.namespace_labels(view)
    named = view.memo(("netpol", "named-ports", namespace), lambda: _named_ports(pods, valid))
    if (port, protocol) in named:
        return Classes(pods, valid, port, protocol, labels, bases)
    shared: Classes = view.memo(
        ("netpol", "classes-unnamed", namespace),
        lambda: Classes(pods, valid, port, protocol, labels, bases),
    )
    if (shared.port, shared.protocol) == (port, protocol):
        return shared
    _ = shared.class_of  # built before the copy, so that the copies share it
    ctx = copy.copy(shared)
    ctx.port, ctx.protocol = port, protocol
    return ctx


def _named_ports(pods: list[PodInfo], valid: list[PolicyInfo]) -> frozenset[tuple[int, str]]:
    """(number, protocol) of every container port whose name some policy rule uses."""
    names = {
        e.port
        for p in valid
        for rule in p.ingress + p.egress
        for e in rule.ports or ()
        if isinstance(e.port, str)
    }
    return frozenset((num, pr) for pod in pods for n, pr, num in pod.ports if n in names)


def _side(
    ctx: Classes, valid: list[PolicyInfo], direction: str, everyone: int, n: int
) -> tuple[list[int], int]:
    """For each class on the policy's side, the bitset of classes admitted on the other side.

    Ingress: destination class -> source classes. Egress: source class -> destination classes.
    Unisolated classes admit everyone; isolated ones only what some rule admits.
    """
    holders = [(p, ctx.selected(p)) for p in valid if direction in p.types]
    isolated = 0
    for _, sel in holders:
        isolated |= sel
    out = [0 if (isolated >> i) & 1 else everyone for i in range(n)]
    for pol, sel in holders:
        if not sel:
            continue
        for rule in pol.rules(direction):
            peers = ctx.peer_bits(rule, pol.namespace)
            ports = ctx.port_bits(rule)
            if direction == "Ingress":
                # the port entries are resolved on the destination: this policy's pods
                dsts = sel & ports
                if peers and dsts:
                    for d in bit_list(dsts):
                        out[d] |= peers
            else:
                admitted = peers & ports
                if admitted:
                    for s in bit_list(sel):
                        out[s] |= admitted
    return out, isolated
