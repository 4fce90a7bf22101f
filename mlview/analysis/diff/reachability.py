"""Reachability flips: pod pairs whose verdict changed on the ports that matter, found class to
class with the engine's equivalence classes, never pod pair by pod pair.

Pods are matched across the snapshots by name; a pod replaced by a rollout (gone from one
side, its workload's new pod on the other) is matched with its replacement, so a rollout and
a policy change in one diff still show the flips. Pods seen on one side only, and pods with no
verdict on either side (host network, no IP), have no flip to show.

A joint class is a set of matched pods in one class of the old matrix AND one class of the new:
its members get the same verdicts on both sides, so comparing the rows of joint classes finds
every flipped pair. The flips are then grouped: sources whose flipped destinations (and causes)
are the same form one entry.

The cause of a flip: the NetworkPolicies added, removed or edited that select the destination
(for ingress) or the source (for egress) on either side, each with the rule that now admits, or
no longer admits, the connection (from the engine's pair explanations); when no policy changed,
the pod or namespace whose labels or named ports did.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mlview.analysis.diff.model import ADDED, CHANGED, EDITED, REMOVED, Cause, ReachabilityFlip
from mlview.analysis.reachability import model as m
from mlview.analysis.reachability import parse as netpol_parse
from mlview.analysis.reachability.bits import bit_list
from mlview.analysis.reachability.engine import Matrix, check_query, compute_matrix
from mlview.analysis.reachability.explain import Explanation, Side, explain
from mlview.analysis.reachability.groups import workload_groups
from mlview.analysis.reachability.model import PodInfo, PolicyInfo
from mlview.analysis.shared import objects as o
from mlview.store import StoreView

NETPOL = "NetworkPolicy"
Port = tuple[int, str]


def ports_that_matter(old: StoreView, new: StoreView, extra: Iterable[int] = ()) -> list[Port]:
    """Every port a Service targets or a named containerPort exposes, in either snapshot, plus
    `extra` (TCP). Sorted by protocol and number."""
    out: set[Port] = set()
    for view in (old, new):
        for svc in view.list("Service"):
            for p in (svc.get("spec") or {}).get("ports") or []:
                if not isinstance(p, Mapping):
                    continue
                proto = str(p.get("protocol") or "TCP").upper()
                target = p.get("targetPort", p.get("port"))
                if isinstance(target, int) and not isinstance(target, bool):
                    _add(out, target, proto)
                # a named targetPort is a named containerPort: added from the pods below
        for pod in m.pods(view):
            for _name, proto, num in pod.ports:
                _add(out, num, proto.upper())
    for port in extra:
        _add(out, int(port), "TCP")
    return sorted(out, key=lambda pp: (pp[1], pp[0]))


def _add(out: set[Port], port: int, proto: str) -> None:
    if 1 <= port <= 65535 and proto in m.PROTOCOLS:
        out.add((port, proto))


# ---------------------------------------------------------------- policies that changed


@dataclass(frozen=True)
class PolicyChange:
    ref: str
    old: PolicyInfo | None
    new: PolicyInfo | None

    @property
    def change(self) -> str:
        return ADDED if self.old is None else REMOVED if self.new is None else EDITED


def policy_changes(old: StoreView, new: StoreView) -> dict[str, PolicyChange]:
    before = {p.ref: p for p in netpol_parse.policies(old)}
    after = {p.ref: p for p in netpol_parse.policies(new)}
    out = {}
    for ref in sorted(before.keys() | after.keys()):
        a, b = before.get(ref), after.get(ref)
        if a is not None and b is not None and _policy_spec(a) == _policy_spec(b):
            continue
        out[ref] = PolicyChange(ref, a, b)
    return out


def _policy_spec(p: PolicyInfo) -> Any:
    return p.obj.get("spec")


# ---------------------------------------------------------------- ports with equal verdicts


def _port_signature(port: Port, entries: list[m.PortEntry], named: set[Port]) -> tuple[Any, ...]:
    """Two ports with one signature get the same verdicts in both snapshots: every numeric port
    entry of every policy admits both or neither, and no policy's named port resolves to
    either. One matrix pair then answers for all of them."""
    num, proto = port
    admits = tuple(
        e.protocol == proto
        and isinstance(e.port, int)
        and e.port <= num <= (e.end_port if e.end_port is not None else e.port)
        for e in entries
    )
    return (proto, admits, port if port in named else None)


def _port_groups(old: StoreView, new: StoreView, ports: list[Port]) -> list[list[Port]]:
    entries: list[m.PortEntry] = []
    names: set[str] = set()
    for view in (old, new):
        for pol in netpol_parse.policies(view):
            for rule in pol.ingress + pol.egress:
                for e in rule.ports or ():
                    if isinstance(e.port, int):
                        entries.append(e)
                    elif isinstance(e.port, str):
                        names.add(e.port)
    entries = list(dict.fromkeys(entries))
    named: set[Port] = set()
    for view in (old, new):
        for pod in m.pods(view):
            for n, proto, num in pod.ports:
                if n in names:
                    named.add((num, proto))
    groups: dict[tuple[Any, ...], list[Port]] = {}
    for port in ports:
        groups.setdefault(_port_signature(port, entries, named), []).append(port)
    return list(groups.values())


# ---------------------------------------------------------------- pods matched across sides


def matched_pods(old: StoreView, new: StoreView) -> list[tuple[PodInfo, PodInfo]]:
    """(old pod, new pod): the same name, or a pod of a workload replaced by one of its
    new pods (paired in name order)."""
    before = {p.ref: p for p in m.pods(old)}
    after = {p.ref: p for p in m.pods(new)}
    pairs = [(before[r], after[r]) for r in before.keys() & after.keys()]
    gone = _by_workload(old, [before[r] for r in before.keys() - after.keys()])
    come = _by_workload(new, [after[r] for r in after.keys() - before.keys()])
    for wl in gone.keys() & come.keys():
        if wl[1] == "Pod":
            continue  # a bare pod is itself, not a replica
        pairs.extend(zip(gone[wl], come[wl], strict=False))
    pairs.sort(key=lambda pair: pair[1].ref)
    return pairs


def _by_workload(view: StoreView, pods: list[PodInfo]) -> dict[tuple[str, str, str], list[PodInfo]]:
    out: dict[tuple[str, str, str], list[PodInfo]] = {}
    for pod in sorted(pods, key=lambda p: p.ref):
        kind, name = o.owner_workload(view, pod.obj)
        out.setdefault((pod.namespace, kind, name), []).append(pod)
    return out


# ---------------------------------------------------------------- the comparison


def compare_reachability(
    old: StoreView, new: StoreView, ports: list[Port]
) -> list[ReachabilityFlip]:
    """Flips on every port, grouped; `old`/`new` are completed views (virtual pods added)."""
    pairs = matched_pods(old, new)
    changes = policy_changes(old, new)
    out: list[ReachabilityFlip] = []
    for group in _port_groups(old, new, ports):
        port, proto = check_query(*group[0])
        mo = compute_matrix(old, port, proto)
        mn = compute_matrix(new, port, proto)
        found = _flips(old, new, mo, mn, pairs, changes)
        for p, pr in group:  # equal verdicts on every port of the group
            out.extend(_at_port(f, p, pr) for f in found)
    out.sort(key=lambda f: (f.protocol, f.port, f.new, f.sources, f.destinations))
    return out


def _at_port(f: ReachabilityFlip, port: int, protocol: str) -> ReachabilityFlip:
    if (f.port, f.protocol) == (port, protocol):
        return f
    return dataclasses.replace(f, port=port, protocol=protocol)


def _flips(
    old: StoreView,
    new: StoreView,
    mo: Matrix,
    mn: Matrix,
    pairs: list[tuple[PodInfo, PodInfo]],
    changes: dict[str, PolicyChange],
) -> list[ReachabilityFlip]:
    # joint classes: matched pods in one old class and one new class
    index: dict[tuple[int, int], int] = {}
    members: list[list[tuple[PodInfo, PodInfo]]] = []
    joint_old: list[int] = []
    joint_new: list[int] = []
    for a, b in pairs:
        co, cn = mo.class_of.get(a.ref), mn.class_of.get(b.ref)
        if co is None or cn is None:
            continue  # no verdict on one side (host network, no IP)
        j = index.get((co, cn))
        if j is None:
            j = index[co, cn] = len(members)
            members.append([])
            joint_old.append(co)
            joint_new.append(cn)
        members[j].append((a, b))
    old_to_j = _class_to_joint(joint_old)
    new_to_j = _class_to_joint(joint_new)
    old_rows: dict[int, int] = {}
    new_rows: dict[int, int] = {}
    # (old verdict, causes) -> source joint class -> bitset of destination joint classes
    flipped: dict[tuple[bool, tuple[str, ...]], dict[int, int]] = {}
    reasons = _Reasons(changes)
    for j in range(len(members)):
        row_old = _joint_row(mo, joint_old[j], old_to_j, old_rows)
        row_new = _joint_row(mn, joint_new[j], new_to_j, new_rows)
        diff = row_old ^ row_new
        if not diff:
            continue
        for k in bit_list(diff):
            if j == k and len(members[j]) == 1:
                continue  # a pod and itself
            causes = reasons.of(members[j][0], members[k][0])
            was = bool((row_old >> k) & 1)
            by_src = flipped.setdefault((was, causes), {})
            by_src[j] = by_src.get(j, 0) | (1 << k)
    out = []
    for (was, causes), by_src in flipped.items():
        merged: dict[int, list[int]] = {}  # destination bitset -> the sources that share it
        for j, dsts in by_src.items():
            merged.setdefault(dsts, []).append(j)
        for dsts, srcs in merged.items():
            src_pods = [pair for j in srcs for pair in members[j]]
            dst_pods = [pair for k in bit_list(dsts) for pair in members[k]]
            because = _explained(old, new, mo, changes, causes, src_pods, dst_pods, not was)
            src_groups, src_counts = _groups(new, [b for _, b in src_pods])
            dst_groups, dst_counts = _groups(new, [b for _, b in dst_pods])
            out.append(
                ReachabilityFlip(
                    mo.port,
                    mo.protocol,
                    tuple(sorted(b.ref for _, b in src_pods)),
                    tuple(sorted(b.ref for _, b in dst_pods)),
                    was,
                    not was,
                    because,
                    src_groups,
                    dst_groups,
                    src_counts,
                    dst_counts,
                )
            )
    return out


def _class_to_joint(joint: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for j, c in enumerate(joint):
        out[c] = out.get(c, 0) | (1 << j)
    return out


def _joint_row(mx: Matrix, c: int, to_joint: dict[int, int], cache: dict[int, int]) -> int:
    """The joint classes class `c` may reach, as a bitset (cached per class)."""
    got = cache.get(c)
    if got is None:
        got = 0
        for d in bit_list(mx.row(c)):
            got |= to_joint.get(d, 0)
        cache[c] = got
    return got


def _groups(view: StoreView, pods: list[PodInfo]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Workloads of the pods, as the matrix groups them, and how many of the pods each has."""
    groups = workload_groups(view, pods)
    return tuple(g.key for g in groups), tuple(len(g.pods) for g in groups)


# ---------------------------------------------------------------- causes


class _Reasons:
    """Which changed policies bear on a (source, destination) pair, cached per pod: those that
    select the destination and isolate its ingress, or select the source and isolate its
    egress, in the old or the new snapshot."""

    def __init__(self, changes: dict[str, PolicyChange]) -> None:
        self.changes = list(changes.values())
        self._egress: dict[str, tuple[str, ...]] = {}
        self._ingress: dict[str, tuple[str, ...]] = {}

    def of(self, src: tuple[PodInfo, PodInfo], dst: tuple[PodInfo, PodInfo]) -> tuple[str, ...]:
        e = self._side(self._egress, "Egress", src)
        i = self._side(self._ingress, "Ingress", dst)
        return tuple(sorted(set(e) | set(i)))

    def _side(
        self, cache: dict[str, tuple[str, ...]], direction: str, pod: tuple[PodInfo, PodInfo]
    ) -> tuple[str, ...]:
        key = pod[1].ref
        if key not in cache:
            cache[key] = tuple(
                c.ref
                for c in self.changes
                if _isolates(c.old, pod[0], direction) or _isolates(c.new, pod[1], direction)
            )
        return cache[key]


def _isolates(pol: PolicyInfo | None, pod: PodInfo, direction: str) -> bool:
    return pol is not None and direction in pol.types and m.selects(pol, pod)


def _explained(
    old: StoreView,
    new: StoreView,
    mx: Matrix,
    changes: dict[str, PolicyChange],
    causes: tuple[str, ...],
    srcs: list[tuple[PodInfo, PodInfo]],
    dsts: list[tuple[PodInfo, PodInfo]],
    allowed_now: bool,
) -> tuple[Cause, ...]:
    """The causes with their details, from one representative pair explained on both sides.
    Of the changed policies that bear on the pair, those that decided the flip (a rule that
    admits it now or no longer does; isolation that began or ended) are named; the others
    only when none decided it."""
    src, dst = srcs[0], next((d for d in dsts if d[1] is not srcs[0][1]), dsts[0])
    if not causes:
        return _other_causes(old, new, src, dst)
    ex_old = explain(old, src[0].ref, dst[0].ref, mx.port, mx.protocol)
    ex_new = explain(new, src[1].ref, dst[1].ref, mx.port, mx.protocol)
    judged = []
    for ref in causes:
        decisive, detail = _policy_detail(changes[ref], ex_old, ex_new, allowed_now)
        judged.append((decisive, Cause(NETPOL, *_split(ref), changes[ref].change, detail)))
    decided = [c for d, c in judged if d]
    return tuple(decided or [c for _, c in judged])


def _split(ref: str) -> tuple[str, str]:
    ns, _, name = ref.partition("/")
    return ns, name


def _sides(ex: Explanation) -> list[Side]:
    return [s for s in (ex.egress, ex.ingress) if s is not None]


def _policy_detail(
    change: PolicyChange, ex_old: Explanation, ex_new: Explanation, allowed_now: bool
) -> tuple[bool, str]:
    """(whether this policy change decided the flip, what it did in plain words)."""
    ref = change.ref
    said = ""
    for before, after in zip(_sides(ex_old), _sides(ex_new), strict=True):
        other = ex_new.src if after.direction == "ingress" else ex_new.dst
        admits_old = [a for a in before.admitted_by if a.policy == ref]
        admits_new = [a for a in after.admitted_by if a.policy == ref]
        isolates_old = any(p == ref and iso for p, iso in before.selecting)
        isolates_new = any(p == ref and iso for p, iso in after.selecting)
        if not (isolates_old or isolates_new):
            continue
        if allowed_now:
            if admits_new and not admits_old:
                return True, f"its {_rule(admits_new[0])} now admits it"
            if isolates_old and not isolates_new and not after.isolated:
                verb = "it isolated" if change.new is None else "it no longer isolates"
                return True, f"{verb} the {after.direction} of {after.pod}"
        else:
            if admits_old and not admits_new:
                if change.new is None:
                    return True, f"its {_rule(admits_old[0])} admitted it"
                return True, f"its {_rule(admits_old[0])} no longer admits it"
            if isolates_new and not before.isolated and not admits_new:
                near = [n for n in after.near_misses if n.startswith(ref + " ")]
                tail = f" (near miss: {near[0].removeprefix(ref + ' ')})" if near else ""
                return True, (
                    f"it now isolates the {after.direction} of {after.pod}, and no rule of it "
                    f"admits {other}{tail}"
                )
        if isolates_new and not said:
            said = f"it also selects {after.pod} ({after.direction})"
    return False, said


def _rule(a: Any) -> str:
    return f"{a.direction} rule {a.rule_index} ({a.peer_text}, {a.port_text})"


def _other_causes(
    old: StoreView,
    new: StoreView,
    src: tuple[PodInfo, PodInfo],
    dst: tuple[PodInfo, PodInfo],
) -> tuple[Cause, ...]:
    """No policy changed for this pair: the pods' labels or named ports, or their namespaces'
    labels, did."""
    out: list[Cause] = []
    ns_old, ns_new = m.namespace_labels(old), m.namespace_labels(new)
    for a, b in (src, dst):
        if dict(a.labels) != dict(b.labels) or a.ports != b.ports:
            what = "labels" if dict(a.labels) != dict(b.labels) else "named ports"
            cause = Cause("Pod", b.namespace, b.name, CHANGED, f"its {what} changed")
            if cause not in out:
                out.append(cause)
        if dict(ns_old.get(a.namespace, {})) != dict(ns_new.get(b.namespace, {})):
            cause = Cause("Namespace", "", b.namespace, CHANGED, "its labels changed")
            if cause not in out:
                out.append(cause)
    return tuple(out)
