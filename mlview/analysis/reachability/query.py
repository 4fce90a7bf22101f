"""One reachability question, as the Reachability tab asks it, answered as a grouped Grid.

A `ReachQuery` holds everything the matrix on screen depends on besides the store view: the
port and protocol, focus mode and its selector, the namespace (narrows destinations), the
filter (narrows sources) and the groups the user flipped open or shut. `answer(view, query)`
is pure and thread-safe (it only reads the view), so the pane runs it in a worker thread and
caches results per (view.version, query): queries are frozen, hence hashable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlview import selectors
from mlview.analysis.reachability.engine import Matrix, compute_matrix
from mlview.analysis.reachability.groups import Grid, workload_groups
from mlview.analysis.reachability.model import PodInfo
from mlview.analysis.shared.objects import container_ports
from mlview.store import StoreView


@dataclass(frozen=True)
class ReachQuery:
    port: int = 9000
    protocol: str = "TCP"
    focus: bool = True  # destinations: only those exposing the port, or matching `selector`
    selector: str = ""  # kubectl style (see parse_selector); empty: the pods exposing the port
    namespace: str | None = None  # destinations in this namespace only (None: all)
    filter_text: str = ""  # lower-case substring of a source's namespace/name
    row_flips: frozenset[str] = frozenset()  # group keys shown the other way (see Grid)
    col_flips: frozenset[str] = frozenset()

    def describe(self) -> str:
        return f"{self.protocol} {self.port}"


@dataclass(frozen=True)
class ReachResult:
    query: ReachQuery
    view: StoreView  # the view the answer was computed on (explanations use the same one)
    matrix: Matrix
    grid: Grid
    note: str  # a caveat for the status line, e.g. why focus shows every destination


def parse_selector(text: str) -> dict[str, Any]:
    """`app=x,tier!=y,env in (a,b),gpu,!legacy` (kubectl style) as a LabelSelector.

    Raises selectors.SelectorError (a ValueError) saying what is wrong."""
    return selectors.parse(text)


def answer(view: StoreView, q: ReachQuery) -> ReachResult:
    """The grid for one query. Verdicts never depend on which pods are shown, so the matrix is
    computed over every pod (memoized per view) and the narrowing only picks rows and columns."""
    mx = compute_matrix(view, q.port, q.protocol)
    sources = [p for p in mx.pods if not q.filter_text or q.filter_text in p.ref.lower()]
    dests = [p for p in mx.pods if q.namespace is None or p.namespace == q.namespace]
    note = ""
    if q.focus:
        dests, note = focused(dests, q)
    grid = Grid(
        mx,
        workload_groups(view, sources),
        workload_groups(view, dests),
        set(q.row_flips),
        set(q.col_flips),
    )
    return ReachResult(q, view, mx, grid, note)


def focused(dests: list[PodInfo], q: ReachQuery) -> tuple[list[PodInfo], str]:
    """The destinations focus mode keeps, and a note when it had to keep them all."""
    if q.selector:
        sel = parse_selector(q.selector)
        return [p for p in dests if selectors.matches(sel, p.labels)], ""
    exposing = [
        p
        for p in dests
        if any(
            cp.get("containerPort") == q.port and (cp.get("protocol") or "TCP") == q.protocol
            for cp in container_ports(p.obj)
        )
    ]
    if not exposing:
        return dests, f"no pod exposes {q.describe()}: showing every destination"
    return exposing, ""
