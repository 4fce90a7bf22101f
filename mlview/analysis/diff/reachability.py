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
from mlview.analysis.reachability.classes import _relevant
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


def touches(change: PolicyChange, direction: str) -> bool:
    """Whether the change can alter verdicts in one direction (Ingress or Egress): a policy
    whose ingress side (types, pod selector, ingress rules) is the same before and after
    changes no ingress verdict."""
    return _side_of(change.old, direction) != _side_of(change.new, direction)


def _side_of(pol: PolicyInfo | None, direction: str) -> Any:
    if pol is None or not pol.valid or direction not in pol.types:
        return None
    return (pol.pod_selector, pol.rules(direction))


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


# ---------------------------------------------------------------- pairs that may flip


def candidates(
    old: StoreView,
    new: StoreView,
    pairs: list[tuple[PodInfo, PodInfo]],
    changes: dict[str, PolicyChange],
) -> tuple[set[str], set[str]]:
    """Pods (new refs) whose outgoing verdicts may differ, and pods whose incoming ones may.

    A pair's verdict depends only on the policies selecting its source (egress) and its
    destination (ingress), on the two pods' labels, named ports and IP, and on their
    namespaces' labels. So only pairs with a source selected by a changed policy with
    Egress, or a destination selected by one with Ingress, or a pod whose relevant facts
    changed (at either end), can flip: the rest is never looked at."""
    valid = [p for v in (old, new) for p in netpol_parse.policies(v) if p.valid]
    keys, names, blocks = _relevant(valid)
    ns_old, ns_new = m.namespace_labels(old), m.namespace_labels(new)
    sources: set[str] = set()
    destinations: set[str] = set()
    by_ns: dict[str, list[tuple[PodInfo, PodInfo]]] = {}
    for a, b in pairs:
        by_ns.setdefault(b.namespace, []).append((a, b))
        if (
            not _same_pod(a, b) and _facts(a, keys, names, blocks) != _facts(b, keys, names, blocks)
        ) or ns_old.get(a.namespace) != ns_new.get(b.namespace):
            sources.add(b.ref)
            destinations.add(b.ref)
    for change in changes.values():
        ns = (change.new or change.old).namespace  # type: ignore[union-attr]
        for direction, found in (("Ingress", destinations), ("Egress", sources)):
            if not touches(change, direction):
                continue
            for a, b in by_ns.get(ns, ()):
                if _isolates(change.old, a, direction) or _isolates(change.new, b, direction):
                    found.add(b.ref)
    return sources, destinations


def _same_pod(a: PodInfo, b: PodInfo) -> bool:
    """Equal as parsed (most pods): then equal in every fact a policy can see."""
    return (
        a.ip == b.ip
        and a.state == b.state
        and a.ports == b.ports
        and a.namespace == b.namespace
        and a.labels == b.labels
    )


def _facts(
    pod: PodInfo, keys: set[Any], names: set[str], blocks: list[m.IpBlock]
) -> tuple[Any, ...]:
    """What any policy of either side can see of a pod: the labels its selectors mention,
    the named ports its rules use, the ipBlocks the pod's IP is in, and its state."""
    labels = []
    for k, v in pod.labels.items():
        if k in keys:
            try:
                hash(v)
            except TypeError:
                v = repr(v)
            labels.append((k, v))
    ports = frozenset(p for p in pod.ports if p[0] in names)
    return (frozenset(labels), ports, tuple(b.contains(pod.ip) for b in blocks), pod.state)


# ---------------------------------------------------------------- the comparison


def compare_reachability(
    old: StoreView, new: StoreView, ports: list[Port]
) -> list[ReachabilityFlip]:
    """Flips on every port, grouped; `old`/`new` are completed views (virtual pods added)."""
    pairs = matched_pods(old, new)
    changes = policy_changes(old, new)
    sources, destinations = candidates(old, new, pairs, changes)
    out: list[ReachabilityFlip] = []
    if not (sources or destinations):
        return out  # no policy, pod or namespace change that a verdict depends on
    refs = [(a, b, a.ref, b.ref) for a, b in pairs]
    for group in _port_groups(old, new, ports):
        port, proto = check_query(*group[0])
        mo = compute_matrix(old, port, proto)
        mn = compute_matrix(new, port, proto)
        found = _flips(old, new, mo, mn, refs, changes, (sources, destinations))
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
    refs: list[tuple[PodInfo, PodInfo, str, str]],
    changes: dict[str, PolicyChange],
    cands: tuple[set[str], set[str]],
) -> list[ReachabilityFlip]:
    # joint classes: matched pods in one old class and one new class
    index: dict[tuple[int, int], int] = {}
    members: list[list[tuple[PodInfo, PodInfo]]] = []
    joint_old: list[int] = []
    joint_new: list[int] = []
    sources, destinations = cands
    src_j = dst_j = 0
    old_class, new_class = mo.class_of.get, mn.class_of.get
    for a, b, a_ref, b_ref in refs:
        co, cn = old_class(a_ref), new_class(b_ref)
        if co is None or cn is None:
            continue  # no verdict on one side (host network, no IP)
        j = index.get((co, cn))
        if j is None:
            j = index[co, cn] = len(members)
            members.append([])
            joint_old.append(co)
            joint_new.append(cn)
        members[j].append((a, b))
        if b_ref in sources:
            src_j |= 1 << j
        if b_ref in destinations:
            dst_j |= 1 << j
    n_rows = src_j.bit_count()
    rows_old, rows_new = _Rows(mo, n_rows), _Rows(mn, n_rows)
    to_old = _JointMap(joint_old, len(mo.classes))
    to_new = _JointMap(joint_new, len(mn.classes))
    reasons = _Reasons(changes)

    def egress(j: int) -> tuple[str, ...]:
        return reasons.egress(members[j][0])

    by_ingress: dict[tuple[str, ...], int] = {}  # destinations grouped by their causes
    if reasons.by_direction["Ingress"]:
        for k, pods in enumerate(members):
            key = reasons.ingress(pods[0])
            by_ingress[key] = by_ingress.get(key, 0) | (1 << k)
    else:  # no change touches an ingress side: no destination adds a cause
        by_ingress[()] = (1 << len(members)) - 1
    # (old verdict, causes) -> source joint class -> bitset of destination joint classes
    flipped: dict[tuple[bool, tuple[str, ...]], dict[int, int]] = {}

    def add(was: bool, causes: tuple[str, ...], j: int, dsts: int) -> None:
        by_src = flipped.setdefault((was, causes), {})
        by_src[j] = by_src.get(j, 0) | dsts

    for j in bit_list(src_j):  # whole rows: every destination of a candidate source
        row_old = to_old.joint(rows_old.row(joint_old[j]))
        diff = row_old ^ to_new.joint(rows_new.row(joint_new[j]))
        if len(members[j]) == 1:
            diff &= ~(1 << j)  # a pod and itself
        if not diff:
            continue
        for ingress_causes, ks in by_ingress.items():
            part = diff & ks
            if part:
                causes = _union(egress(j), ingress_causes)
                if part & row_old:
                    add(True, causes, j, part & row_old)
                if part & ~row_old:
                    add(False, causes, j, part & ~row_old)
    if dst_j:  # whole columns: every other source of a candidate destination
        cols_old, cols_new = _columns(mo), _columns(mn)
        for k in bit_list(dst_j):
            col_old = to_old.joint(cols_old[joint_old[k]])
            diff = (col_old ^ to_new.joint(cols_new[joint_new[k]])) & ~src_j
            if len(members[k]) == 1:
                diff &= ~(1 << k)
            ingress_causes = reasons.ingress(members[k][0])
            for j in bit_list(diff):
                add(bool((col_old >> j) & 1), _union(egress(j), ingress_causes), j, 1 << k)
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


class _Rows:
    """The rows of the candidate sources: when they are few (of thousands of classes), each
    is read from the distinct ingress source sets instead of transposing the whole matrix
    (which costs the sizes of those sets: Matrix.row, taken when it is cheaper)."""

    def __init__(self, mx: Matrix, n_rows: int) -> None:
        self.mx = mx
        by_sources: dict[int, int] = {}  # source set -> the destinations that admit it
        for d, srcs in enumerate(mx.ingress_src):
            by_sources[srcs] = by_sources.get(srcs, 0) | (1 << d)
        self.by_sources = list(by_sources.items())
        transpose = sum(srcs.bit_count() for srcs in by_sources)
        self.whole = n_rows * len(self.by_sources) > transpose

    def row(self, s: int) -> int:
        """As Matrix.row: the destination classes class `s` may reach (both sides agree)."""
        if self.whole:
            return self.mx.row(s)
        admitted = 0
        for srcs, dsts in self.by_sources:
            if (srcs >> s) & 1:
                admitted |= dsts
        return self.mx.egress_dst[s] & admitted


class _JointMap:
    """Bitsets of one side's classes turned into bitsets of joint classes. Each joint class has
    one class of the side, so a set and its complement map to disjoint joint sets: the map
    walks whichever has fewer bits (a row where almost everything is allowed costs little)."""

    def __init__(self, joint: list[int], n_classes: int) -> None:
        self.to_joint: dict[int, int] = {}
        for j, c in enumerate(joint):
            self.to_joint[c] = self.to_joint.get(c, 0) | (1 << j)
        self.all_classes = (1 << n_classes) - 1
        self.all_joint = (1 << len(joint)) - 1
        self.n = n_classes
        self._cache: dict[int, int] = {}

    def joint(self, bits: int) -> int:
        got = self._cache.get(bits)
        if got is None:
            if bits.bit_count() * 2 > self.n:
                got = self.all_joint & ~self._walk(self.all_classes & ~bits)
            else:
                got = self._walk(bits)
            self._cache[bits] = got
        return got

    def _walk(self, bits: int) -> int:
        get = self.to_joint.get
        got = 0
        for c in bit_list(bits):
            got |= get(c, 0)
        return got


def _columns(mx: Matrix) -> list[int]:
    """Per destination class, the source classes that may reach it (both sides agree): the
    engine keeps rows; sources sharing one egress set are transposed together."""
    groups: dict[int, int] = {}
    for s_, dsts in enumerate(mx.egress_dst):
        groups[dsts] = groups.get(dsts, 0) | (1 << s_)
    cols = [0] * len(mx.classes)
    for dsts, srcs in groups.items():
        for d in bit_list(dsts):
            cols[d] |= srcs
    return [cols[d] & mx.ingress_src[d] for d in range(len(mx.classes))]


def _groups(view: StoreView, pods: list[PodInfo]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Workloads of the pods, as the matrix groups them, and how many of the pods each has."""
    groups = workload_groups(view, pods)
    return tuple(g.key for g in groups), tuple(len(g.pods) for g in groups)


# ---------------------------------------------------------------- causes


class _Reasons:
    """Which changed policies bear on a pod as a source (they select it and the change
    touches their egress side) or as a destination (ingress), in the old or the new
    snapshot; cached per pod."""

    def __init__(self, changes: dict[str, PolicyChange]) -> None:
        self.by_direction = {
            d: [c for c in changes.values() if touches(c, d)] for d in ("Ingress", "Egress")
        }
        self._cache: dict[tuple[str, str], tuple[str, ...]] = {}

    def egress(self, pod: tuple[PodInfo, PodInfo]) -> tuple[str, ...]:
        return self._side("Egress", pod)

    def ingress(self, pod: tuple[PodInfo, PodInfo]) -> tuple[str, ...]:
        return self._side("Ingress", pod)

    def _side(self, direction: str, pod: tuple[PodInfo, PodInfo]) -> tuple[str, ...]:
        key = (direction, pod[1].ref)
        got = self._cache.get(key)
        if got is None:
            got = self._cache[key] = tuple(
                c.ref
                for c in self.by_direction[direction]
                if _isolates(c.old, pod[0], direction) or _isolates(c.new, pod[1], direction)
            )
        return got


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a if not b or a == b else tuple(sorted(set(a) | set(b)))


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
    """No policy changed for this pair: the pods' labels, named ports or IPs (ipBlock peers),
    or their namespaces' labels, did. Every fact that changed is named."""
    out: list[Cause] = []
    ns_old, ns_new = m.namespace_labels(old), m.namespace_labels(new)
    for a, b in (src, dst):
        what = [
            fact
            for fact, changed in (
                ("labels", dict(a.labels) != dict(b.labels)),
                ("named ports", a.ports != b.ports),
                ("IP", a.ip != b.ip),
            )
            if changed
        ]
        if what:
            text = f"its {' and '.join(what)} changed"
            if a.ip is not None and b.ip is None:  # a workload's template: no pod, no IP yet
                text += " (no IP now: ipBlock peers cannot match it)"
            cause = Cause("Pod", b.namespace, b.name, CHANGED, text)
            if cause not in out:
                out.append(cause)
        if dict(ns_old.get(a.namespace, {})) != dict(ns_new.get(b.namespace, {})):
            cause = Cause("Namespace", "", b.namespace, CHANGED, "its labels changed")
            if cause not in out:
                out.append(cause)
    return tuple(out)
