"""Parse and validate NetworkPolicy objects into netpol_model records (cached per view).

A policy the API server would reject keeps its `problems` and is treated as selecting nothing.
policyTypes defaults as the API server does: Ingress always, Egress when `egress` has at least
one rule (`len(spec.Egress) != 0`, so `egress: []` alone does not isolate egress).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any

from mlview import selectors
from mlview.analysis.reachability.model import (
    PROTOCOLS,
    IpBlock,
    Peer,
    PolicyIndex,
    PolicyInfo,
    PortEntry,
    Rule,
)
from mlview.analysis.shared import objects as o
from mlview.store import StoreView

_PORT_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


def policies(view: StoreView) -> list[PolicyInfo]:
    """Every NetworkPolicy, parsed and validated. Cached per view."""
    return view.memo(
        ("netpol", "policies"),
        lambda: sorted((parse_policy(p) for p in view.list("NetworkPolicy")), key=lambda p: p.ref),
    )


def parse_policy(obj: Mapping[str, Any]) -> PolicyInfo:
    problems: list[str] = []
    spec = obj.get("spec")
    if not isinstance(spec, Mapping):
        spec = {}
        problems.append("spec is missing")
    pod_sel = spec.get("podSelector")
    pod_sel = {} if pod_sel is None else pod_sel  # the Go type is a struct: missing means {}
    _check_selector(pod_sel, "spec.podSelector", problems)
    ingress = _rules(spec.get("ingress"), "ingress", "from", problems)
    egress = _rules(spec.get("egress"), "egress", "to", problems)
    raw_types = spec.get("policyTypes") or []
    if not isinstance(raw_types, list):
        problems.append("spec.policyTypes must be a list")
        raw_types = []
    bad = [t for t in raw_types if t not in ("Ingress", "Egress")]
    if bad:
        problems.append(f"spec.policyTypes has unknown value(s) {bad}")
    if raw_types:
        types = frozenset(t for t in raw_types if t in ("Ingress", "Egress"))
    else:
        types = frozenset({"Ingress", "Egress"} if egress else {"Ingress"})
    return PolicyInfo(
        o.namespace(obj),
        o.name(obj),
        pod_sel if isinstance(pod_sel, Mapping) else {},
        types,
        ingress,
        egress,
        tuple(problems),
        obj,
    )


def _check_selector(sel: Any, where: str, problems: list[str]) -> None:
    try:
        selectors.validate(sel)
    except selectors.SelectorError as exc:
        problems.append(f"{where}: {exc}")


def _rules(raw: Any, section: str, peer_key: str, problems: list[str]) -> tuple[Rule, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.append(f"spec.{section} must be a list")
        return ()
    out = []
    for i, rule in enumerate(raw):
        where = f"spec.{section}[{i}]"
        if not isinstance(rule, Mapping):
            problems.append(f"{where} must be a mapping")
            continue
        raw_peers = rule.get(peer_key) or []
        raw_ports = rule.get("ports") or []
        peers = tuple(
            _peer(p, f"{where}.{peer_key}[{j}]", problems) for j, p in enumerate(raw_peers)
        )
        ports = tuple(_port(p, f"{where}.ports[{j}]", problems) for j, p in enumerate(raw_ports))
        out.append(Rule(peers or None, ports or None))
    return tuple(out)


def _peer(raw: Any, where: str, problems: list[str]) -> Peer:
    if not isinstance(raw, Mapping):
        problems.append(f"{where} must be a mapping")
        return Peer(None, None, None)
    pod_sel, ns_sel, block = raw.get("podSelector"), raw.get("namespaceSelector"), None
    _check_selector(pod_sel, f"{where}.podSelector", problems)
    _check_selector(ns_sel, f"{where}.namespaceSelector", problems)
    if raw.get("ipBlock") is not None:
        block = _ip_block(raw["ipBlock"], f"{where}.ipBlock", problems)
        if pod_sel is not None or ns_sel is not None:
            problems.append(f"{where}: ipBlock cannot be combined with a selector")
    elif pod_sel is None and ns_sel is None:
        problems.append(f"{where}: a peer needs podSelector, namespaceSelector or ipBlock")
    return Peer(pod_sel, ns_sel, block)


def _ip_block(raw: Any, where: str, problems: list[str]) -> IpBlock | None:
    if not isinstance(raw, Mapping):
        problems.append(f"{where} must be a mapping")
        return None
    try:
        cidr = ipaddress.ip_network(str(raw.get("cidr")), strict=False)
        excepts = tuple(ipaddress.ip_network(str(e), strict=False) for e in raw.get("except") or [])
    except ValueError as exc:
        problems.append(f"{where}: {exc}")
        return None
    return IpBlock(cidr, excepts)


def _port(raw: Any, where: str, problems: list[str]) -> PortEntry:
    if not isinstance(raw, Mapping):
        problems.append(f"{where} must be a mapping")
        return PortEntry("TCP", None, None)
    proto = raw.get("protocol") or "TCP"
    if proto not in PROTOCOLS:
        problems.append(f"{where}: unknown protocol {proto!r} (TCP, UDP or SCTP)")
    port, end = raw.get("port"), raw.get("endPort")
    if isinstance(port, bool) or not (port is None or isinstance(port, int | str)):
        problems.append(f"{where}: port must be a number or a name")
        port = None
    elif isinstance(port, int) and not 1 <= port <= 65535:
        problems.append(f"{where}: port {port} is out of range 1-65535")
    elif isinstance(port, str) and not (_PORT_NAME.match(port) and not port.isdigit()):
        problems.append(f"{where}: {port!r} is not a valid port name")
    if end is not None:
        if not isinstance(port, int) or not isinstance(end, int) or isinstance(end, bool):
            problems.append(f"{where}: endPort needs a numeric port")
            end = None
        elif end < port:
            problems.append(f"{where}: endPort {end} is below port {port}")
    return PortEntry(str(proto), port, end)


def policy_index(view: StoreView) -> PolicyIndex:
    return view.memo(("netpol", "index"), lambda: PolicyIndex(policies(view)))
