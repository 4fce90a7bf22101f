"""Why one connection is allowed or denied: reasons as data, rendered by the CLI and the UI.

Reads one pair directly (no classes): on each side, the policies selecting the pod (found via
the policy index), whether they isolate it for that direction, and every rule that admits the
connection (policy, direction, rule index, peer index, port entry). A denial lists the
isolating policies none of whose rules admit it, plus near misses (a rule whose peer matches
but not its ports, or the other way round): usually the answer to "why can't X reach Y".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from mlview import selectors
from mlview.analysis.reachability import model as m
from mlview.analysis.reachability import parse as netpol_parse
from mlview.analysis.reachability.engine import check_query
from mlview.analysis.reachability.model import Peer, PodInfo, PolicyInfo, Rule
from mlview.store import StoreView

STATE_NOTES = {
    m.HOST_NETWORK: "uses the host network: NetworkPolicy does not reliably apply to it "
    "(implementation-defined), so mlview gives no verdict",
    m.NO_IP: "has no pod IP (not running): nothing can connect to or from it",
}


@dataclass(frozen=True)
class Admit:
    """One rule that admits the connection."""

    policy: str
    direction: str  # ingress | egress
    rule_index: int
    peer_index: int | None  # None: the rule has no from/to, every peer
    port_index: int | None  # None: the rule has no ports, every port
    peer_text: str
    port_text: str

    def describe(self) -> str:
        peer = "any peer" if self.peer_index is None else f"peer {self.peer_index}"
        port = "any port" if self.port_index is None else f"port {self.port_index}"
        return (
            f"{self.policy} {self.direction} rule {self.rule_index}, {peer} ({self.peer_text}), "
            f"{port} ({self.port_text})"
        )


@dataclass(frozen=True)
class Side:
    """One side of the connection: egress for the source, ingress for the destination."""

    direction: str  # egress | ingress
    pod: str
    selecting: tuple[tuple[str, bool], ...]  # (policy, isolates this direction)
    isolated: bool
    allowed: bool
    admitted_by: tuple[Admit, ...]
    near_misses: tuple[str, ...] = ()
    ignored: tuple[tuple[str, str], ...] = ()  # invalid policies in the namespace: (policy, why)

    @property
    def reason(self) -> str:
        if not self.isolated:
            return (
                "not isolated: no policy selecting it has "
                + self.direction.capitalize()
                + (" in policyTypes, so every connection is allowed")
            )
        if self.allowed:
            return "admitted by " + self.admitted_by[0].describe()
        names = ", ".join(p for p, iso in self.selecting if iso)
        return f"isolated, and no {self.direction} rule of {names} admits it"


@dataclass(frozen=True)
class Explanation:
    src: str
    dst: str
    port: int
    protocol: str
    verdict: str  # allowed | denied | same-pod | host-network | no-ip
    egress: Side | None
    ingress: Side | None
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        """Plain text, one fact a line; the UI wraps each in rich Text."""
        out = [f"{self.src} -> {self.dst} on {self.protocol} {self.port}: {self.verdict.upper()}"]
        out.extend(f"  note: {n}" for n in self.notes)
        for side in (self.egress, self.ingress):
            if side is None:
                continue
            mark = "allows" if side.allowed else "DENIES"
            out.append(f"  {side.direction} side of {side.pod}: {mark}")
            if side.selecting:
                sel = ", ".join(
                    f"{p} ({'isolates' if iso else 'other direction only'})"
                    for p, iso in side.selecting
                )
                out.append(f"    selected by: {sel}")
            else:
                out.append("    selected by: no policy")
            out.append(f"    {side.reason}")
            out.extend(f"    also admitted by {a.describe()}" for a in side.admitted_by[1:])
            out.extend(f"    near miss: {n}" for n in side.near_misses)
            out.extend(f"    ignored (invalid): {p}: {why}" for p, why in side.ignored)
        return out


def explain(
    view: StoreView, src_pod: str, dst_pod: str, port: int, protocol: str = "TCP"
) -> Explanation:
    """The reasons for one cell. Pods are "namespace/name"; KeyError names an unknown pod."""
    port, protocol = check_query(port, protocol)
    by_ref = view.memo(("netpol", "pods-by-ref"), lambda: {p.ref: p for p in m.pods(view)})
    for ref in (src_pod, dst_pod):
        if ref not in by_ref:
            raise KeyError(f"no pod {ref!r} (write namespace/name)")
    src, dst = by_ref[src_pod], by_ref[dst_pod]
    index = netpol_parse.policy_index(view)
    ns_labels = m.namespace_labels(view)
    egress = _side(index, ns_labels, "Egress", src, src, dst, port, protocol)
    ingress = _side(index, ns_labels, "Ingress", dst, src, dst, port, protocol)
    notes = []
    for pod in (src, dst):
        if pod.state != m.OK:
            notes.append(f"{pod.ref} {STATE_NOTES[pod.state]}")
    if src.ref == dst.ref:
        verdict = "same-pod"
    elif src.state != m.OK or dst.state != m.OK:
        verdict = src.state if src.state != m.OK else dst.state
    else:
        verdict = "allowed" if egress.allowed and ingress.allowed else "denied"
    return Explanation(src.ref, dst.ref, port, protocol, verdict, egress, ingress, tuple(notes))


def _side(
    index: m.PolicyIndex,
    ns_labels: Any,
    direction: str,
    pod: PodInfo,
    src: PodInfo,
    dst: PodInfo,
    port: int,
    protocol: str,
) -> Side:
    other = dst if direction == "Egress" else src
    selecting = index.selecting(pod)
    roles = tuple((p.ref, direction in p.types) for p in selecting)
    isolating = [p for p in selecting if direction in p.types]
    admits: list[Admit] = []
    misses: list[str] = []
    for pol in isolating:
        for ri, rule in enumerate(pol.rules(direction)):
            peer_i = _first(rule.peers, m.peer_matches, pol.namespace, other, ns_labels)
            port_i = _first(rule.ports, m.port_matches, dst, port, protocol)
            if peer_i is not False and port_i is not False:
                admits.append(
                    Admit(
                        pol.ref,
                        direction.lower(),
                        ri,
                        peer_i,
                        port_i,
                        # (an index is None exactly when the rule has no such list)
                        peer_text(rule.peers[peer_i], pol.namespace)
                        if peer_i is not None and rule.peers is not None
                        else "any peer",
                        rule.ports[port_i].describe()
                        if port_i is not None and rule.ports is not None
                        else "any port",
                    )
                )
            elif peer_i is not False:
                misses.append(
                    f"{pol.ref} {direction.lower()} rule {ri} matches {other.ref} "
                    f"but allows only {ports_text(rule)}"
                )
            elif port_i is not False:
                misses.append(
                    f"{pol.ref} {direction.lower()} rule {ri} allows {protocol} {port} "
                    f"but only {'from' if direction == 'Ingress' else 'to'} "
                    f"{peers_text(rule, pol.namespace)}"
                )
    ignored = tuple((p.ref, p.problems[0]) for p in index.invalid.get(pod.namespace, []))
    return Side(
        direction.lower(),
        pod.ref,
        roles,
        bool(isolating),
        not isolating or bool(admits),
        tuple(admits),
        tuple(misses),
        ignored,
    )


def _first(
    entries: Sequence[Any] | None, matches: Callable[..., bool], *args: Any
) -> int | None | bool:
    """Index of the first entry with `matches(entry, *args)`; None when the rule has no such
    list (it admits every peer, or every port), False when no entry matches."""
    if entries is None:
        return None
    return next((i for i, e in enumerate(entries) if matches(e, *args)), False)


# ---------------------------------------------------------------- plain words


def peer_text(peer: Peer, policy_ns: str) -> str:
    if peer.ip_block is not None:
        return f"ipBlock {peer.ip_block.describe()}"
    pods = (
        "all pods"
        if not peer.pod_selector or selectors.describe(peer.pod_selector) == "all"
        else f"pods {selectors.describe(peer.pod_selector)}"
    )
    if peer.ns_selector is None:
        return f"{pods} in namespace {policy_ns}"
    nsd = selectors.describe(peer.ns_selector)
    return f"{pods} in {'every namespace' if nsd == 'all' else 'namespaces ' + nsd}"


def peers_text(rule: Rule, policy_ns: str) -> str:
    if rule.peers is None:
        return "any peer"
    return "; ".join(peer_text(p, policy_ns) for p in rule.peers)


def ports_text(rule: Rule) -> str:
    if rule.ports is None:
        return "any port"
    return ", ".join(e.describe() for e in rule.ports)


def rule_text(pol: PolicyInfo, direction: str, index: int) -> str:
    """One rule in plain words: 'allow from pods app=api in namespace ml on TCP 9000'."""
    rule = pol.rules(direction)[index]
    word = "from" if direction == "Ingress" else "to"
    return f"allow {word} {peers_text(rule, pol.namespace)} on {ports_text(rule)}"


def policy_summary(pol: PolicyInfo) -> list[str]:
    """A policy in plain words: what it selects, which directions it isolates, its rules."""
    sel = selectors.describe(pol.pod_selector)
    lines = [f"selects {'every pod' if sel == 'all' else 'pods ' + sel} in {pol.namespace}"]
    if not pol.valid:
        lines.append("INVALID, ignored: " + "; ".join(pol.problems))
        return lines
    for direction in ("Ingress", "Egress"):
        if direction not in pol.types:
            continue
        rules = pol.rules(direction)
        if not rules:
            lines.append(f"{direction}: deny all")
        for i in range(len(rules)):
            lines.append(f"{direction} rule {i}: {rule_text(pol, direction, i)}")
    return lines
