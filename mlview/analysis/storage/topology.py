"""Volume node affinity: a PV pinned to zones (or nodes) where its claim's pods cannot run.

The scheduler places a pod only on a node that satisfies both the pod's own constraints
(nodeName, nodeSelector, required node affinity) and the node affinity of every PV it mounts;
when the two sets of nodes do not meet, the pod stays Pending with "volume node affinity
conflict" (the classic case: an EBS or PD volume in one zone, the pods pinned to another).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlview.analysis.findings import Finding, finding
from mlview.analysis.shared.objects import labels, name
from mlview.analysis.storage.attach import latest, quote
from mlview.analysis.storage.model import ClaimRow, Index
from mlview.store import StoreView

Obj = Mapping[str, Any]
ZONE = "topology.kubernetes.io/zone"
ZONE_BETA = "failure-domain.beta.kubernetes.io/zone"
CODE = "pvc-volume-node-affinity-conflict"


def node_affinity_findings(view: StoreView, idx: Index, row: ClaimRow, skip: Any) -> list[Finding]:
    """One error per claim whose PV's nodes and one of its pods' nodes do not meet."""
    pv = idx.pvs.get(row.volume) if row.volume else None
    terms = _required_terms(((pv or {}).get("spec") or {}).get("nodeAffinity"))
    active = row.active_consumers
    if pv is None or terms is None or not active:
        return []
    if not view.has_listed("Node"):
        skip("volume node affinity check: Nodes not listed")
        return []
    nodes = view.list("Node")
    pv_nodes = {name(n) for n in nodes if _any_term(terms, n)}
    stuck = []
    for c in active:
        pod = view.get("Pod", c.namespace, c.pod) or {}
        pod_nodes = {name(n) for n in nodes if _pod_fits(pod, n)}
        if pod_nodes and not pod_nodes & pv_nodes:
            stuck.append((c.pod, pod_nodes))
    if not stuck:
        return []
    by_name = {name(n): n for n in nodes}
    pv_zones = _zones_of(terms) or _node_zones(pv_nodes, by_name)
    pod_zones = _node_zones(set().union(*(s for _, s in stuck)), by_name)
    pods = ", ".join(p for p, _ in stuck)
    ev = None
    for p, _ in stuck:
        evs = [
            e
            for e in view.events_for("Pod", row.namespace, p)
            if "node affinity conflict" in str(e.get("message") or "")
        ]
        ev = ev or latest(evs, ("FailedScheduling",))
    tail = f" {quote(ev)}" if ev else ""
    where = f"zone(s) {', '.join(pv_zones)}" if pv_zones else "node(s) its nodeAffinity names"
    there = f"zone(s) {', '.join(pod_zones)}" if pod_zones else "other nodes"
    return [
        finding(
            CODE,
            "error",
            ("PersistentVolumeClaim", row.namespace, row.name),
            f"PersistentVolumeClaim {row.namespace}/{row.name} is bound to PersistentVolume "
            f"{row.volume}, which can only be used in {where}, but its pod(s) {pods} may run "
            f"only in {there}: volume node affinity conflict, the pods stay Pending.{tail}",
            "Let the pods run in the volume's zone (relax nodeSelector/affinity, or add nodes "
            "there), or move the data to a volume in the pods' zone (snapshot and restore); "
            "classes with volumeBindingMode: WaitForFirstConsumer create new volumes where "
            "the pod is scheduled.",
        )
    ]


def _required_terms(affinity: Any) -> list[Obj] | None:
    if not isinstance(affinity, Mapping):
        return None
    terms = (affinity.get("required") or {}).get("nodeSelectorTerms")
    return [t for t in terms if isinstance(t, Mapping)] if isinstance(terms, list) else None


def _pod_fits(pod: Obj, node: Obj) -> bool:
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return spec["nodeName"] == name(node)
    node_labels = labels(node)
    sel = spec.get("nodeSelector") or {}
    if any(node_labels.get(k) != v for k, v in sel.items()):
        return False
    required = (
        ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
            "requiredDuringSchedulingIgnoredDuringExecution"
        )
        or {}
    ).get("nodeSelectorTerms")
    return not required or _any_term(required, node)


def _any_term(terms: list[Obj], node: Obj) -> bool:
    """nodeSelectorTerms are ORed; the expressions inside a term are ANDed."""
    return any(_term_matches(t, node) for t in terms)


def _term_matches(term: Obj, node: Obj) -> bool:
    exprs = list(term.get("matchExpressions") or [])
    fields = list(term.get("matchFields") or [])
    if not exprs and not fields:
        return False  # an empty term matches no node (as the scheduler does)
    node_labels = labels(node)
    return all(_expr(e, node_labels) for e in exprs) and all(
        _expr(f, {"metadata.name": name(node)}) for f in fields
    )


def _expr(e: Obj, values: Mapping[str, Any]) -> bool:
    key, op, want = e.get("key"), e.get("operator"), [str(v) for v in e.get("values") or []]
    have = values.get(str(key)) if key is not None else None
    if op == "In":
        return have is not None and str(have) in want
    if op == "NotIn":
        return have is None or str(have) not in want
    if op == "Exists":
        return have is not None
    if op == "DoesNotExist":
        return have is None
    if op in ("Gt", "Lt") and have is not None and want:
        try:
            a, b = int(str(have)), int(want[0])
        except ValueError:
            return False
        return a > b if op == "Gt" else a < b
    return False


def _zones_of(terms: list[Obj]) -> list[str]:
    return sorted(
        {
            str(v)
            for t in terms
            for e in t.get("matchExpressions") or []
            if e.get("key") in (ZONE, ZONE_BETA) and e.get("operator") == "In"
            for v in e.get("values") or []
        }
    )


def _node_zones(names: set[str], by_name: Mapping[str, Obj]) -> list[str]:
    out = set()
    for n in names:
        node_labels = labels(by_name[n])
        zone = node_labels.get(ZONE) or node_labels.get(ZONE_BETA)
        if zone:
            out.add(str(zone))
    return sorted(out)
