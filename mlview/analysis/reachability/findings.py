"""NetworkPolicy findings: invalid policies, policies that select nothing, named ports that
resolve nowhere, egress isolation that cuts DNS, open rules, split namespace/pod peers,
unprotected namespaces."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mlview import selectors
from mlview.analysis.findings import Finding, Severity, finding
from mlview.analysis.reachability import model as m
from mlview.analysis.reachability import parse as netpol_parse
from mlview.analysis.reachability.bits import bit_list
from mlview.analysis.reachability.engine import compute_matrix
from mlview.analysis.reachability.explain import ports_text
from mlview.analysis.reachability.model import PodInfo, PolicyInfo
from mlview.store import StoreView

DNS_LABEL = ("k8s-app", "kube-dns")  # CoreDNS and kube-dns pods both carry it
ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def findings(view: StoreView) -> list[Finding]:
    pols = netpol_parse.policies(view)
    out = [f for p in pols for f in _invalid(p)]
    valid = [p for p in pols if p.valid]
    out.extend(_allows_all_sources(valid))
    out.extend(_and_or_peers(valid, m.namespace_labels(view)))
    if not view.has_listed("Pod"):
        return out  # which pods a policy selects is unknown: skip the pod-based checks
    all_pods = m.pods(view)  # any state: a Pending pod is still selected, still names ports
    by_ns: dict[str, list[PodInfo]] = {}
    for pod in all_pods:
        by_ns.setdefault(pod.namespace, []).append(pod)
    ns_labels = m.namespace_labels(view)
    for pol in valid:
        chosen = [p for p in by_ns.get(pol.namespace, []) if m.selects(pol, p)]
        if not chosen:
            out.append(_selects_none(pol, len(by_ns.get(pol.namespace, []))))
            continue
        out.extend(_unresolved_ports(pol, chosen, all_pods, ns_labels))
    out.extend(_egress_blocks_dns(view, valid, all_pods))
    if view.has_listed("NetworkPolicy"):
        covered = {p.namespace for p in valid}
        for ns in sorted(by_ns):
            if ns not in covered:
                out.append(
                    finding(
                        "netpol-namespace-unprotected",
                        INFO,
                        ("Namespace", "", ns),
                        f"No NetworkPolicy selects the {len(by_ns[ns])} pod(s) of namespace {ns}: "
                        "every pod in the cluster may connect to them on any port.",
                        f"Add a default-deny ingress policy to {ns} and allow what it needs, "
                        "if it holds anything worth protecting.",
                    )
                )
    return out


def _invalid(pol: PolicyInfo) -> list[Finding]:
    if pol.valid:
        return []
    selector = any("Selector" in p for p in pol.problems)
    return [
        finding(
            "netpol-selector-invalid" if selector else "netpol-policy-invalid",
            ERROR,
            pol.obj,
            f"NetworkPolicy {pol.ref} is not valid ({'; '.join(pol.problems)}); mlview treats it "
            "as selecting no pod, and the API server would reject it.",
            "Fix the policy; until then its rules protect nothing.",
        )
    ]


def _selects_none(pol: PolicyInfo, in_ns: int) -> Finding:
    sel = selectors.describe(pol.pod_selector)
    return finding(
        "netpol-selects-no-pods",
        WARNING,
        pol.obj,
        f"NetworkPolicy {pol.ref} selects no pod: podSelector {sel} matches none of the "
        f"{in_ns} pod(s) in namespace {pol.namespace}.",
        "Check the podSelector labels against the pods' labels (a typo isolates nothing).",
    )


def _unresolved_ports(
    pol: PolicyInfo, chosen: list[PodInfo], all_pods: list[PodInfo], ns_labels: dict
) -> list[Finding]:
    out = []
    for direction in ("Ingress", "Egress"):
        if direction not in pol.types:
            continue
        for i, rule in enumerate(pol.rules(direction)):
            names = {(e.port, e.protocol) for e in rule.ports or () if isinstance(e.port, str)}
            if not names:
                continue
            if direction == "Ingress":
                dests = chosen  # ingress ports resolve on the pods the policy selects
            elif rule.peers is None:
                dests = all_pods
            else:
                dests = [
                    p
                    for p in all_pods
                    if any(m.peer_matches(pr, pol.namespace, p, ns_labels) for pr in rule.peers)
                ]
            if not dests:
                continue
            defined = {(n, pr) for p in dests for n, pr, _ in p.ports}
            for name, proto in sorted(names - defined):
                out.append(
                    finding(
                        "netpol-named-port-unresolved",
                        WARNING,
                        pol.obj,
                        f"NetworkPolicy {pol.ref} {direction.lower()} rule {i} names port "
                        f"{name!r} ({proto}), which none of its {len(dests)} destination pod(s) "
                        f"(e.g. {dests[0].ref}) defines: that entry opens nothing.",
                        "Use the containerPort name (and protocol) the pods define, or the number.",
                    )
                )
    return out


def _allows_all_sources(valid: list[PolicyInfo]) -> list[Finding]:
    out = []
    for pol in valid:
        if "Ingress" not in pol.types:
            continue
        for i, rule in enumerate(pol.ingress):
            if rule.peers is None:
                out.append(
                    finding(
                        "netpol-allows-all-sources",
                        INFO,
                        pol.obj,
                        f"NetworkPolicy {pol.ref} ingress rule {i} has no `from`: any source, "
                        f"inside or outside the cluster, may connect on {ports_text(rule)}.",
                        "Intended for public endpoints? Otherwise list the peers in `from`.",
                    )
                )
    return out


def _and_or_peers(valid: list[PolicyInfo], ns_labels: dict) -> list[Finding]:
    """A from/to list holding a namespaceSelector-only peer next to a podSelector-only peer.

    Two list items are ORed: every pod of the selected namespaces, or the selected pods of the
    policy's own namespace. Writing both selectors in ONE item (AND) is the common intent, and
    the one-dash difference is easy to miss. Quiet where the split is clearly meant: the pod
    peer selects all of its namespace ({}), or the namespace peer selects only the policy's
    own namespace.
    """
    out = []
    for pol in valid:
        for direction, key in (("Ingress", "from"), ("Egress", "to")):
            if direction not in pol.types:
                continue
            for i, rule in enumerate(pol.rules(direction)):
                pair = _split_pair(rule.peers or (), pol.namespace, ns_labels)
                if pair is None:
                    continue
                ns_sel = selectors.describe(pair[0].ns_selector)
                pod_sel = selectors.describe(pair[1].pod_selector)
                out.append(
                    finding(
                        "netpol-and-or-peers",
                        WARNING,
                        pol.obj,
                        f"NetworkPolicy {pol.ref} {direction.lower()} rule {i} lists "
                        f"namespaceSelector {ns_sel} and podSelector {pod_sel} as two `{key}` "
                        f"peers. As written (OR): every pod in namespaces {ns_sel}, plus pods "
                        f"{pod_sel} in {pol.namespace}. If one peer with both was meant (AND): "
                        f"only pods {pod_sel} in namespaces {ns_sel}.",
                        "For AND, put namespaceSelector and podSelector in the same list item "
                        "(drop the second '-'); for OR, keep them apart.",
                    )
                )
    return out


def _split_pair(
    peers: Sequence[m.Peer], policy_ns: str, ns_labels: dict
) -> tuple[m.Peer, m.Peer] | None:
    ns_only = [
        p
        for p in peers
        if p.ns_selector is not None and p.pod_selector is None and p.ip_block is None
    ]
    pod_only = [
        p
        for p in peers
        if p.pod_selector and p.ns_selector is None and p.ip_block is None  # {}: all of its ns
    ]
    for ns_peer in ns_only:
        if _only_own_namespace(ns_peer.ns_selector or {}, policy_ns, ns_labels):
            continue
        if pod_only:
            return ns_peer, pod_only[0]
    return None


def _only_own_namespace(sel: Mapping[str, Any], policy_ns: str, ns_labels: dict) -> bool:
    if (sel.get("matchLabels") or {}).get(m.NS_NAME_LABEL) == policy_ns:
        return True
    chosen = {ns for ns, labels in ns_labels.items() if selectors.matches(sel, labels)}
    return chosen == {policy_ns}


def _egress_blocks_dns(
    view: StoreView, valid: list[PolicyInfo], all_pods: list[PodInfo]
) -> list[Finding]:
    """Egress-isolated pods no rule lets reach DNS on UDP 53.

    With the DNS pods in the data (label k8s-app=kube-dns), the engine decides whether each
    isolated pod may reach one of them. Without them, only the ports can be checked: a pod is
    flagged when no egress rule of its policies opens UDP 53 to anyone.
    """
    if not any("Egress" in p.types for p in valid):
        return []
    dns = [p for p in all_pods if p.state == m.OK and p.labels.get(DNS_LABEL[0]) == DNS_LABEL[1]]
    mx = compute_matrix(view, 53, "UDP")
    iso = mx.isolated["Egress"]
    if not iso:
        return []
    dns_bits = 0
    for p in dns:
        dns_bits |= 1 << mx.class_of[p.ref]
    index = netpol_parse.policy_index(view)
    blocked: dict[str, list[str]] = {}  # policy ref -> cut-off pods
    for ci in bit_list(iso):
        cls = mx.classes[ci]
        rep = cls.members[0]
        if dns:
            ok = bool(mx.egress_dst[ci] & dns_bits)
        else:
            ok = any(
                _opens_dns_port(rule)
                for pol in index.selecting(rep)
                if "Egress" in pol.types
                for rule in pol.egress
            )
        if ok:
            continue
        for pol in index.selecting(rep):
            if "Egress" in pol.types:
                blocked.setdefault(pol.ref, []).extend(p.ref for p in cls.members)
    by_ref = {p.ref: p for p in valid}
    out = []
    for ref, pods in sorted(blocked.items()):
        where = "the DNS pods" if dns else "any destination"
        out.append(
            finding(
                "netpol-egress-blocks-dns",
                WARNING,
                by_ref[ref].obj,
                f"NetworkPolicy {ref} isolates egress of {len(pods)} pod(s) (e.g. {pods[0]}), "
                f"and no egress rule of the policies selecting them opens UDP 53 to {where}: "
                "name lookups will fail.",
                "Add an egress rule to the DNS pods (k8s-app=kube-dns in kube-system) on UDP and "
                "TCP 53.",
            )
        )
    return out


def _opens_dns_port(rule: m.Rule) -> bool:
    """Whether a rule's ports could admit UDP 53 (a named port cannot be resolved: assume so)."""
    if rule.ports is None:
        return True
    return any(
        e.protocol == "UDP"
        and (e.port is None or isinstance(e.port, str) or e.port <= 53 <= (e.end_port or e.port))
        for e in rule.ports
    )
