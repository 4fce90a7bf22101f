"""A plain pair-by-pair reading of NetworkPolicy, straight from the API reference.

Used only by the tests and the benchmark to check the class engine (netpol.py). Written
independently of it and of netpol_model: raw dicts in, no classes, no bitsets, no index.
It follows the same documented choices (invalid policies select nothing, host-network and
no-ip pods reach nothing and are reached by nothing, namespaces carry their name label).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from mlview import selectors


def _valid_selector(sel: Any) -> bool:
    try:
        selectors.validate(sel)
        return True
    except selectors.SelectorError:
        return False


def _policy_valid(pol: Mapping[str, Any]) -> bool:
    spec = pol.get("spec")
    if not isinstance(spec, Mapping) or not _valid_selector(spec.get("podSelector")):
        return False
    for t in spec.get("policyTypes") or []:
        if t not in ("Ingress", "Egress"):
            return False
    for section, peer_key in (("ingress", "from"), ("egress", "to")):
        for rule in spec.get(section) or []:
            for peer in rule.get(peer_key) or []:
                ps, ns, ipb = (
                    peer.get("podSelector"),
                    peer.get("namespaceSelector"),
                    peer.get("ipBlock"),
                )
                if not (_valid_selector(ps) and _valid_selector(ns)):
                    return False
                if ipb is not None and (ps is not None or ns is not None):
                    return False
                if ipb is None and ps is None and ns is None:
                    return False
                if ipb is not None:
                    try:
                        ipaddress.ip_network(str(ipb.get("cidr")), strict=False)
                        for e in ipb.get("except") or []:
                            ipaddress.ip_network(str(e), strict=False)
                    except ValueError:
                        return False
            for p in rule.get("ports") or []:
                if (p.get("protocol") or "TCP") not in ("TCP", "UDP", "SCTP"):
                    return False
                port, end = p.get("port"), p.get("endPort")
                if isinstance(port, int) and not 1 <= port <= 65535:
                    return False
                if isinstance(port, str) and (port.isdigit() or not port):
                    return False
                if end is not None and (not isinstance(port, int) or end < port):
                    return False
    return True


def _types(spec: Mapping[str, Any]) -> set[str]:
    if spec.get("policyTypes"):
        return set(spec["policyTypes"])
    # API defaulting: Ingress always; Egress only when there is at least one egress rule.
    return {"Ingress", "Egress"} if len(spec.get("egress") or []) > 0 else {"Ingress"}


def _pod_ip(pod: Mapping[str, Any]) -> str | None:
    return (pod.get("status") or {}).get("podIP")


def _normal(pod: Mapping[str, Any]) -> bool:
    if (pod.get("spec") or {}).get("hostNetwork") is True:
        return False
    status = pod.get("status")
    return not status or bool(status.get("podIP"))


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def _peer_ok(peer: Mapping[str, Any], pol_ns: str, pod: Mapping[str, Any], nsl: Mapping) -> bool:
    if peer.get("ipBlock") is not None:
        ip = _pod_ip(pod)
        if not ip:
            return False
        addr = ipaddress.ip_address(ip)
        block = peer["ipBlock"]
        if addr not in ipaddress.ip_network(str(block["cidr"]), strict=False):
            return False
        return not any(
            addr in ipaddress.ip_network(str(e), strict=False) for e in block.get("except") or []
        )
    pod_ns = _meta(pod).get("namespace") or ""
    if peer.get("namespaceSelector") is not None:
        ns_ok = selectors.matches(peer["namespaceSelector"], nsl.get(pod_ns, {}))
    else:
        ns_ok = pod_ns == pol_ns
    pod_ok = peer.get("podSelector") is None or selectors.matches(
        peer["podSelector"], _meta(pod).get("labels") or {}
    )
    return ns_ok and pod_ok


def _port_ok(entry: Mapping[str, Any], dst: Mapping[str, Any], port: int, proto: str) -> bool:
    if (entry.get("protocol") or "TCP") != proto:
        return False
    p = entry.get("port")
    if p is None:
        return True
    if isinstance(p, str):
        spec = dst.get("spec") or {}
        return any(
            cp.get("name") == p
            and (cp.get("protocol") or "TCP") == proto
            and cp.get("containerPort") == port
            for c in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]
            for cp in c.get("ports") or []
        )
    end = entry.get("endPort")
    return p <= port <= (end if end is not None else p)


def _side_allows(
    pols: list[Mapping[str, Any]],
    direction: str,
    pod: Mapping[str, Any],
    other: Mapping[str, Any],
    dst: Mapping[str, Any],
    port: int,
    proto: str,
    nsl: Mapping,
) -> bool:
    pod_ns = _meta(pod).get("namespace") or ""
    isolated = False
    for pol in pols:
        spec = pol["spec"]
        if (_meta(pol).get("namespace") or "") != pod_ns:
            continue
        if not selectors.matches(spec.get("podSelector") or {}, _meta(pod).get("labels") or {}):
            continue
        if direction not in _types(spec):
            continue
        isolated = True
        section, peer_key = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
        for rule in spec.get(section) or []:
            peers = rule.get(peer_key) or []
            ports = rule.get("ports") or []
            peer_ok = not peers or any(_peer_ok(p, pod_ns, other, nsl) for p in peers)
            port_ok = not ports or any(_port_ok(e, dst, port, proto) for e in ports)
            if peer_ok and port_ok:
                return True
    return not isolated


def allowed_pairs(
    objs: Iterable[Mapping[str, Any]], port: int, proto: str = "TCP"
) -> set[tuple[str, str]]:
    """Every allowed ("ns/src", "ns/dst") pair of distinct normal pods, checked one by one."""
    objs = list(objs)
    pods = [o for o in objs if o.get("kind") == "Pod"]
    pols = [o for o in objs if o.get("kind") == "NetworkPolicy" and _policy_valid(o)]
    nsl: dict[str, dict[str, Any]] = {}
    for o in objs:
        if o.get("kind") == "Namespace":
            nsl[_meta(o)["name"]] = {**(_meta(o).get("labels") or {})}
            nsl[_meta(o)["name"]].setdefault("kubernetes.io/metadata.name", _meta(o)["name"])
    for p in pods:
        ns = _meta(p).get("namespace") or ""
        nsl.setdefault(ns, {"kubernetes.io/metadata.name": ns})
    out = set()
    live = [p for p in pods if _normal(p)]
    for s in live:
        for d in live:
            if s is d:
                continue
            if _side_allows(pols, "Egress", s, d, d, port, proto, nsl) and _side_allows(
                pols, "Ingress", d, s, d, port, proto, nsl
            ):
                ref = lambda o: f"{_meta(o).get('namespace') or ''}/{_meta(o)['name']}"  # noqa: E731
                out.add((ref(s), ref(d)))
    return out
