"""NetworkPolicy inputs as typed records (pods, namespaces, policies), pair-level matching, and
the policy index. Policies are parsed and validated in netpol_parse.py.

Shared by the class engine (netpol.py), the pair explainer (netpol_explain.py) and the
findings. Documented choices (see the README, "Reachability"):

- A policy the API server would reject (bad selector operator, a peer with both ipBlock and a
  selector, an empty peer, an unknown protocol, endPort with a named port, ...) is kept with
  its `problems` and treated as selecting nothing; a finding says why.
- policyTypes defaults as the API server does: Ingress always, Egress when `egress` has at
  least one rule (`egress: []` alone does not isolate egress: `len(spec.Egress) != 0`).
- Every namespace carries `kubernetes.io/metadata.name=<name>` (the API server sets it); a
  namespace with pods but no Namespace object has only that label.
- A pod with `hostNetwork: true` is "host-network"; a pod whose status is recorded but has no
  podIP (Pending, finished) is "no-ip". Both are left out of the allowed pairs and marked.
  A pod without any status (a plain manifest) counts as a normal pod with an unknown IP, so it
  matches no ipBlock.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mlview import selectors
from mlview.analysis.shared import objects as o
from mlview.store import StoreView

PROTOCOLS = ("TCP", "UDP", "SCTP")
NS_NAME_LABEL = "kubernetes.io/metadata.name"
OK, HOST_NETWORK, NO_IP = "ok", "host-network", "no-ip"
IpNet = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, eq=False)  # identity: one record per pod, hashable
class PodInfo:
    namespace: str
    name: str
    labels: Mapping[str, Any]
    ports: tuple[tuple[str, str, int], ...]  # named container ports: (name, protocol, number)
    ip: str | None
    state: str  # ok | host-network | no-ip
    obj: Mapping[str, Any] = field(repr=False, compare=False, hash=False)

    @functools.cached_property
    def ref(self) -> str:  # cached: every matrix indexes each pod by it
        return f"{self.namespace}/{self.name}"


@functools.lru_cache(maxsize=1 << 17)
def _address(ip: str) -> tuple[int, int] | None:
    """A pod IP parsed once, as (version, integer): every matrix (one per port) asks each
    ipBlock about each pod, and parsing was most of the cost of building the classes."""
    v4 = _ipv4(ip)
    if v4 is not None:
        return 4, v4
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return None
    return addr.version, int(addr)


def _ipv4(ip: str) -> int | None:
    """A dotted quad as ipaddress reads it (4 ASCII decimal octets, 0-255, no leading zero),
    without building its object: None for anything else, which ipaddress then decides."""
    parts = ip.split(".")
    if len(parts) != 4:
        return None
    value = 0
    for part in parts:
        if not (part.isascii() and part.isdigit()) or len(part) > 3:
            return None
        if part != "0" and part[0] == "0":
            return None
        octet = int(part)
        if octet > 255:
            return None
        value = value << 8 | octet
    return value


@dataclass(frozen=True)
class IpBlock:
    cidr: IpNet
    excepts: tuple[IpNet, ...]

    @functools.cached_property
    def _spans(self) -> tuple[tuple[int, int, int], ...]:
        """(version, first, last address) of the cidr, then of each except: integer compares."""
        return tuple(
            (n.version, int(n.network_address), int(n.broadcast_address))
            for n in (self.cidr, *self.excepts)
        )

    def contains(self, ip: str | None) -> bool:
        addr = _address(ip) if ip else None
        if addr is None:
            return False
        version, value = addr
        (v, first, last), *excepts = self._spans
        if v != version or not first <= value <= last:
            return False
        return not any(ev == version and lo <= value <= hi for ev, lo, hi in excepts)

    def describe(self) -> str:
        text = str(self.cidr)
        if self.excepts:
            text += " except " + ", ".join(str(e) for e in self.excepts)
        return text


@dataclass(frozen=True)
class Peer:
    pod_selector: Mapping[str, Any] | None
    ns_selector: Mapping[str, Any] | None
    ip_block: IpBlock | None


@dataclass(frozen=True)
class PortEntry:
    protocol: str
    port: int | str | None  # None: every port of the protocol; str: a named port
    end_port: int | None

    def describe(self) -> str:
        if self.port is None:
            return f"{self.protocol} any port"
        if self.end_port is not None:
            return f"{self.protocol} {self.port}-{self.end_port}"
        return f"{self.protocol} {self.port}"


@dataclass(frozen=True)
class Rule:
    peers: tuple[Peer, ...] | None  # None: `from`/`to` missing or empty, every peer
    ports: tuple[PortEntry, ...] | None  # None: `ports` missing or empty, every port


@dataclass(frozen=True)
class PolicyInfo:
    namespace: str
    name: str
    pod_selector: Mapping[str, Any]
    types: frozenset[str]  # {"Ingress", "Egress"} after defaulting
    ingress: tuple[Rule, ...]
    egress: tuple[Rule, ...]
    problems: tuple[str, ...]
    obj: Mapping[str, Any] = field(repr=False, compare=False, hash=False)

    @property
    def ref(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def valid(self) -> bool:
        return not self.problems

    def rules(self, direction: str) -> tuple[Rule, ...]:
        return self.ingress if direction == "Ingress" else self.egress


# ---------------------------------------------------------------- pods and namespaces


def pod_info(pod: Mapping[str, Any]) -> PodInfo:
    spec = pod.get("spec") or {}
    status = pod.get("status")
    ip = (status or {}).get("podIP") or None
    if spec.get("hostNetwork") is True:
        state = HOST_NETWORK
    elif isinstance(status, Mapping) and status and not ip:
        state = NO_IP
    else:
        state = OK
    named = []
    for group in (spec.get("containers"), spec.get("initContainers")):  # as o.container_ports
        for c in group or ():
            for p in c.get("ports") or ():
                nm, num = p.get("name"), p.get("containerPort")
                if nm and isinstance(num, int):
                    named.append((str(nm), str(p.get("protocol") or "TCP"), num))
    meta = pod.get("metadata") or {}  # read once: every view parses each of its pods
    labels = meta.get("labels") or {}
    return PodInfo(
        meta.get("namespace") or "",
        meta.get("name") or "",
        labels if isinstance(labels, Mapping) else {},
        tuple(sorted(set(named))) if len(named) > 1 else tuple(named),
        ip,
        state,
        pod,
    )


def pods(view: StoreView, namespace: str | None = None) -> list[PodInfo]:
    """Every pod (of one namespace), sorted by namespace/name. Cached per view."""
    allp = view.memo(
        ("netpol", "pods"),
        lambda: sorted((pod_info(p) for p in view.list("Pod")), key=lambda p: p.ref),
    )
    return allp if namespace is None else [p for p in allp if p.namespace == namespace]


def namespace_labels(view: StoreView) -> dict[str, Mapping[str, Any]]:
    """Labels of every namespace that has a Namespace object, pods or policies."""

    def build() -> dict[str, Mapping[str, Any]]:
        out: dict[str, Mapping[str, Any]] = {}
        for ns in view.list("Namespace"):
            labels = dict(o.labels(ns)) if isinstance(o.labels(ns), Mapping) else {}
            labels.setdefault(NS_NAME_LABEL, o.name(ns))
            out[o.name(ns)] = labels
        for kind in ("Pod", "NetworkPolicy"):
            for ns_name in view.by_namespace(kind):
                out.setdefault(ns_name, {NS_NAME_LABEL: ns_name})
        return out

    return view.memo(("netpol", "ns-labels"), build)


# ---------------------------------------------------------------- matching (pair level)


def selects(policy: PolicyInfo, pod: PodInfo) -> bool:
    """Whether a (valid) policy selects a pod: same namespace, podSelector matches."""
    return (
        policy.valid
        and policy.namespace == pod.namespace
        and selectors.matches(policy.pod_selector, pod.labels)
    )


def peer_matches(
    peer: Peer, policy_ns: str, pod: PodInfo, ns_labels: Mapping[str, Mapping[str, Any]]
) -> bool:
    if peer.ip_block is not None:
        return peer.ip_block.contains(pod.ip)
    if peer.ns_selector is None:
        in_ns = pod.namespace == policy_ns
    else:
        in_ns = selectors.matches(peer.ns_selector, ns_labels.get(pod.namespace, {}))
    if not in_ns:
        return False
    return peer.pod_selector is None or selectors.matches(peer.pod_selector, pod.labels)


def port_matches(entry: PortEntry, dst: PodInfo, port: int, protocol: str) -> bool:
    """A port entry admits (port, protocol) on the destination pod `dst`."""
    if entry.protocol != protocol:
        return False
    if entry.port is None:
        return True
    if isinstance(entry.port, str):  # named: resolved on the destination pod, name AND protocol
        return (entry.port, protocol, port) in dst.ports
    return entry.port <= port <= (entry.end_port if entry.end_port is not None else entry.port)


class PolicyIndex:
    """Find the policies selecting a pod without scanning every policy.

    Policies are grouped by namespace; within one, a policy whose podSelector has matchLabels
    is filed under one of its (key, value) pairs, the rest in a short "scan" list.
    """

    def __init__(self, items: list[PolicyInfo]) -> None:
        self._by_ns: dict[str, tuple[list[PolicyInfo], dict[tuple[str, Any], list[PolicyInfo]]]]
        self._by_ns = {}
        self.invalid: dict[str, list[PolicyInfo]] = {}
        for pol in items:
            if not pol.valid:
                self.invalid.setdefault(pol.namespace, []).append(pol)
                continue
            scan, keyed = self._by_ns.setdefault(pol.namespace, ([], {}))
            ml = pol.pod_selector.get("matchLabels") or {}
            try:
                k, v = min(ml.items(), key=lambda kv: str(kv[0]))
                keyed.setdefault((k, v), []).append(pol)
            except (ValueError, TypeError):
                scan.append(pol)

    def selecting(self, pod: PodInfo) -> list[PolicyInfo]:
        scan, keyed = self._by_ns.get(pod.namespace, ([], {}))
        cands = list(scan)
        for kv in pod.labels.items():
            try:
                cands.extend(keyed.get(kv, ()))
            except TypeError:  # an unhashable label value in bad data
                continue
        found = [p for p in cands if selectors.matches(p.pod_selector, pod.labels)]
        return sorted(found, key=lambda p: p.ref)
