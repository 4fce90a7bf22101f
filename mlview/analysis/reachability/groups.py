"""Rows and columns of the reachability matrix grouped by namespace and workload.

A group (the pods of one Deployment, StatefulSet, Job, ...) is shown as one row or column when
all its members agree on every visible cell, and as its members otherwise; the user can flip
either way. A collapsed group whose members disagree shows the verdict "mixed".
Pure: used by the reachability pane, testable without a UI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from mlview.analysis.reachability import model as m
from mlview.analysis.reachability.engine import Matrix
from mlview.analysis.reachability.model import PodInfo
from mlview.analysis.shared.objects import owner_workload
from mlview.store import StoreView

MIXED = "mixed"


@dataclass
class Group:
    key: str  # namespace/Kind/name
    namespace: str
    kind: str
    name: str
    pods: list[PodInfo]


@dataclass
class Entry:
    """One row or column: a whole group, or one member pod of an expanded group."""

    key: str
    group: Group
    pods: list[PodInfo]
    member: bool = False  # a pod listed under its expanded group
    expanded: bool = False  # a group header whose members follow
    uniform: bool = True
    # class index (int) or marked state (str) -> the entry's pods in it
    by_class: dict[int | str, list[PodInfo]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        if self.member:
            return self.pods[0].name
        if len(self.group.pods) == 1:
            return self.group.pods[0].ref
        return f"{self.group.namespace}/{self.group.name} ×{len(self.group.pods)}"

    @property
    def short(self) -> str:
        return self.pods[0].name if self.member or len(self.group.pods) == 1 else self.group.name


def workload_groups(view: StoreView, pods: Iterable[PodInfo]) -> list[Group]:
    """Pods grouped by their top controller, sorted by namespace and name."""

    def build() -> dict[str, tuple[str, str]]:
        return {p.ref: owner_workload(view, p.obj) for p in m.pods(view)}

    owners = view.memo(("netpol", "owners"), build)
    groups: dict[str, Group] = {}
    for pod in pods:
        kind, name = owners.get(pod.ref) or ("Pod", pod.name)
        key = f"{pod.namespace}/{kind}/{name}"
        if key not in groups:
            groups[key] = Group(key, pod.namespace, kind, name, [])
        groups[key].pods.append(pod)
    return sorted(groups.values(), key=lambda g: (g.namespace, g.name, g.kind))


class Grid:
    """The matrix as shown: entries for rows and columns, and a verdict per cell (cached)."""

    def __init__(
        self,
        mx: Matrix,
        row_groups: list[Group],
        col_groups: list[Group],
        row_flips: AbstractSet[str] = frozenset(),
        col_flips: AbstractSet[str] = frozenset(),
    ) -> None:
        self.mx = mx
        col_classes = _classes_of(mx, (p for g in col_groups for p in g.pods))
        row_classes = _classes_of(mx, (p for g in row_groups for p in g.pods))
        col_mask = sum(1 << c for c in col_classes if isinstance(c, int))
        ordered_rows = sorted(c for c in row_classes if isinstance(c, int))
        row_sig: dict[int, int] = {}
        col_sig: dict[int, tuple[bool, ...]] = {}

        # Signatures are computed only for groups whose members fall in several classes.
        def row_key(c: int | str) -> object:
            if isinstance(c, str):
                return c
            if c not in row_sig:
                row_sig[c] = mx.row(c) & col_mask
            return row_sig[c]

        def col_key(c: int | str) -> object:
            if isinstance(c, str):
                return c
            if c not in col_sig:
                col_sig[c] = tuple(mx.class_allowed(s, c) for s in ordered_rows)
            return col_sig[c]

        self.rows = _entries(mx, row_groups, row_key, row_flips)
        self.cols = _entries(mx, col_groups, col_key, col_flips)
        self._cache: dict[tuple[int, int], str] = {}

    def cell(self, r: int, c: int) -> str:
        """allowed | denied | mixed | same-pod | host-network | no-ip."""
        k = (r, c)
        if k not in self._cache:
            self._cache[k] = self._verdict(self.rows[r], self.cols[c])
        return self._cache[k]

    @property
    def cells_computed(self) -> int:
        """Cells worked out so far: only those drawn are, so a big matrix stays cheap."""
        return len(self._cache)

    def _verdict(self, row: Entry, col: Entry) -> str:
        seen: set[str] = set()
        for rc, rpods in row.by_class.items():
            for cc, cpods in col.by_class.items():
                if len(rpods) == 1 and len(cpods) == 1 and rpods[0] is cpods[0]:
                    continue  # the only pair is a pod with itself
                if isinstance(rc, str):
                    seen.add(rc)
                elif isinstance(cc, str):
                    seen.add(cc)
                else:
                    seen.add("allowed" if self.mx.class_allowed(rc, cc) else "denied")
                if len(seen) > 1:
                    return MIXED
        return seen.pop() if seen else "same-pod"

    def pair(self, r: int, c: int) -> tuple[PodInfo, PodInfo] | None:
        """A representative (source, destination) pair of distinct pods for a cell."""
        for src in self.rows[r].pods:
            for dst in self.cols[c].pods:
                if src is not dst:
                    return src, dst
        return None

    def tally(self, r: int, c: int) -> dict[str, int]:
        """Verdicts of every pod pair of a cell, counted (for a mixed group cell)."""
        out: dict[str, int] = {}
        for src in self.rows[r].pods:
            for dst in self.cols[c].pods:
                if src is not dst:
                    v = self.mx.verdict(src.ref, dst.ref)
                    out[v] = out.get(v, 0) + 1
        return out


def _classes_of(mx: Matrix, pods: Iterable[PodInfo]) -> set[int | str]:
    return {mx.class_of.get(p.ref, p.state) for p in pods}


def _entries(
    mx: Matrix,
    groups: list[Group],
    sig: Callable[[int | str], object],
    flips: AbstractSet[str],
) -> list[Entry]:
    out: list[Entry] = []
    for g in groups:
        by_class: dict[int | str, list[PodInfo]] = {}
        for p in g.pods:
            by_class.setdefault(mx.class_of.get(p.ref, p.state), []).append(p)
        uniform = len(by_class) <= 1 or len({sig(c) for c in by_class}) <= 1
        expanded = len(g.pods) > 1 and (not uniform) != (g.key in flips)
        out.append(
            Entry(g.key, g, list(g.pods), expanded=expanded, uniform=uniform, by_class=by_class)
        )
        if expanded:
            for p in g.pods:
                cls = mx.class_of.get(p.ref, p.state)
                out.append(Entry(f"{g.key}/{p.name}", g, [p], member=True, by_class={cls: [p]}))
    return out
