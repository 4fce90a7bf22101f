"""Equivalence classes of pods for one query, and selectors evaluated over all of them at once.

See netpol.py for what makes two pods equivalent. Sets of classes are ints used as bitsets;
inverted indexes (label -> classes, namespace -> classes, port name -> classes, ipBlock ->
classes) turn each selector into a handful of AND/OR operations.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlview import selectors
from mlview.analysis.reachability import model as m
from mlview.analysis.reachability.model import PodInfo, PolicyInfo, Rule


@dataclass
class PodClass:
    index: int
    namespace: str
    members: list[PodInfo]


class Classes:
    """Builds the classes for one query and evaluates selectors over all of them at once."""

    def __init__(
        self,
        pods: list[PodInfo],
        valid: list[PolicyInfo],
        port: int,
        protocol: str,
        ns_labels: Mapping[str, Mapping[str, Any]],
        bases: dict[PodInfo, tuple[Any, ...]] | None = None,
    ) -> None:
        """`bases`: a cache of the port-independent part of each pod's class key, shared by
        the matrices of one view (one per port: most of a class key does not depend on it)."""
        self.ns_labels = ns_labels
        self.port, self.protocol = port, protocol
        label_keys, port_names, blocks = _relevant(valid)
        self.blocks = blocks
        by_key: dict[Any, PodClass] = {}
        self.classes: list[PodClass] = []
        for pod in pods:
            if pod.state != m.OK:
                continue
            base = bases.get(pod) if bases is not None else None
            if base is None:
                base = _base_key(pod, label_keys, blocks)
                if bases is not None:
                    bases[pod] = base
            k = (base, _named(pod, port_names, port, protocol))
            cls = by_key.get(k)
            if cls is None:
                cls = by_key[k] = PodClass(len(self.classes), pod.namespace, [])
                self.classes.append(cls)
            cls.members.append(pod)
        self.all = (1 << len(self.classes)) - 1
        self.ns_bits: dict[str, int] = {}
        self.label_bits: dict[tuple[str, Any], int] = {}
        self.key_bits: dict[str, int] = {}
        self.named_bits: dict[str, int] = {}
        self.block_bits = [0] * len(blocks)
        for ((ns, labels, bits), named), cls in by_key.items():
            bit = 1 << cls.index
            self.ns_bits[ns] = self.ns_bits.get(ns, 0) | bit
            for k, v in labels:
                self.label_bits[(k, v)] = self.label_bits.get((k, v), 0) | bit
                self.key_bits[k] = self.key_bits.get(k, 0) | bit
            for name in named:
                self.named_bits[name] = self.named_bits.get(name, 0) | bit
            for i, inside in enumerate(bits):
                if inside:
                    self.block_bits[i] |= bit
        self.block_index = {b: i for i, b in enumerate(blocks)}
        self._sel_cache: dict[str, int] = {}
        self._ns_cache: dict[str, int] = {}

    @functools.cached_property
    def class_of(self) -> dict[str, int]:
        """Pod ref -> class index (normal pods), built once per partition: the matrices of
        the ports that share one partition share it (read only)."""
        return {p.ref: c.index for c in self.classes for p in c.members}

    def selected(self, pol: PolicyInfo) -> int:
        return self.pod_sel_bits(pol.pod_selector) & self.ns_bits.get(pol.namespace, 0)

    def pod_sel_bits(self, sel: Mapping[str, Any]) -> int:
        ck = _canon(sel)
        if ck not in self._sel_cache:
            self._sel_cache[ck] = self._eval_selector(sel)
        return self._sel_cache[ck]

    def _eval_selector(self, sel: Mapping[str, Any]) -> int:
        bits = self.all
        for k, v in (sel.get("matchLabels") or {}).items():
            bits &= self._label(k, v)
        for expr in sel.get("matchExpressions") or []:
            key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
            any_of = 0
            for v in values:
                any_of |= self._label(key, v)
            if op == "In":
                bits &= any_of
            elif op == "NotIn":
                bits &= ~any_of
            elif op == "Exists":
                bits &= self.key_bits.get(key, 0)
            else:  # DoesNotExist (validated earlier)
                bits &= ~self.key_bits.get(key, 0)
        return bits & self.all

    def _label(self, k: Any, v: Any) -> int:
        try:
            return self.label_bits.get((k, v), 0)
        except TypeError:  # unhashable value in a malformed selector matches nothing
            return 0

    def ns_sel_bits(self, sel: Mapping[str, Any]) -> int:
        ck = _canon(sel)
        if ck not in self._ns_cache:
            bits = 0
            for ns, nsbits in self.ns_bits.items():
                if selectors.matches(sel, self.ns_labels.get(ns, {})):
                    bits |= nsbits
            self._ns_cache[ck] = bits
        return self._ns_cache[ck]

    def peer_bits(self, rule: Rule, policy_ns: str) -> int:
        if rule.peers is None:
            return self.all
        bits = 0
        for peer in rule.peers:
            if peer.ip_block is not None:
                bits |= self.block_bits[self.block_index[peer.ip_block]]
                continue
            if peer.ns_selector is None:
                where = self.ns_bits.get(policy_ns, 0)
            else:
                where = self.ns_sel_bits(peer.ns_selector)
            if peer.pod_selector is not None:
                where &= self.pod_sel_bits(peer.pod_selector)
            bits |= where
        return bits

    def port_bits(self, rule: Rule) -> int:
        """Destination classes on which some port entry of the rule admits the query."""
        if rule.ports is None:
            return self.all
        bits = 0
        for e in rule.ports:
            if e.protocol != self.protocol:
                continue
            if e.port is None:
                return self.all
            if isinstance(e.port, str):
                bits |= self.named_bits.get(e.port, 0)
            elif e.port <= self.port <= (e.end_port if e.end_port is not None else e.port):
                return self.all
        return bits


def _relevant(valid: list[PolicyInfo]) -> tuple[set[Any], set[str], list[m.IpBlock]]:
    """Label keys any podSelector mentions, port names any rule mentions, distinct ipBlocks."""
    keys: set[Any] = set()
    names: set[str] = set()
    blocks: dict[m.IpBlock, None] = {}

    def sel_keys(sel: Mapping[str, Any] | None) -> None:
        if sel:
            keys.update((sel.get("matchLabels") or {}).keys())
            keys.update(e.get("key") for e in sel.get("matchExpressions") or [])

    for pol in valid:
        sel_keys(pol.pod_selector)
        for rule in pol.ingress + pol.egress:
            for peer in rule.peers or ():
                sel_keys(peer.pod_selector)
                if peer.ip_block is not None:
                    blocks[peer.ip_block] = None
            for e in rule.ports or ():
                if isinstance(e.port, str):
                    names.add(e.port)
    return keys, names, list(blocks)


def _base_key(pod: PodInfo, keys: set[Any], blocks: list[m.IpBlock]) -> tuple[Any, ...]:
    """The part of a pod's class key that is the same on every port: namespace, the labels
    selectors mention, the ipBlocks its IP is in."""
    labels = [(k, v) for k, v in pod.labels.items() if k in keys]
    try:
        found = frozenset(labels)
    except TypeError:  # junk in bad data (a list as a value): matches no selector value
        found = frozenset((k, _hashable(v)) for k, v in labels)
    ip = pod.ip
    bits = tuple([b.contains(ip) for b in blocks]) if blocks else ()
    return (pod.namespace, found, bits)


def _hashable(v: Any) -> Any:
    try:
        hash(v)
    except TypeError:
        return ("\0unhashable", repr(v))
    return v


_NONE: frozenset[str] = frozenset()


def _named(pod: PodInfo, names: set[str], port: int, proto: str) -> frozenset[str]:
    """The named ports policies mention that resolve to the queried port on this pod."""
    if not names or not pod.ports:
        return _NONE
    found = [n for n, pr, num in pod.ports if num == port and pr == proto and n in names]
    return frozenset(found) if found else _NONE


def _canon(sel: Mapping[str, Any]) -> str:
    return json.dumps(sel, sort_keys=True, default=str)
