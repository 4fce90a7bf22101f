"""Reachability with a baseline: which matrix cells flipped, and the why panel's lines for them.

The flips are the comparison engine's (mlview.analysis.diff: pod pairs whose verdict changed
on a port, each with the policy changes that flipped it); this module only finds the cells of
the grid on screen that hold such pairs, and words them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.text import Text

from mlview import theme
from mlview.analysis.reachability.groups import Grid
from mlview.ui.widgets import safe

Cell = tuple[int, int]


def flipped_cells(grid: Grid, flips: Iterable[Any]) -> dict[Cell, list[Any]]:
    """Per (row, column) of `grid`, the flips with a source in the row and a destination in
    the column (a cell of one pod against itself never flips). Grouped as the engine grouped
    them: a flip is tested once per row and once per column, not per pod pair."""
    out: dict[Cell, list[Any]] = {}
    for flip in flips:
        sources, dests = set(flip.sources), set(flip.destinations)
        rows = [i for i, e in enumerate(grid.rows) if any(p.ref in sources for p in e.pods)]
        if not rows:
            continue
        cols = [i for i, e in enumerate(grid.cols) if any(p.ref in dests for p in e.pods)]
        for r in rows:
            for c in cols:
                if not _only_itself(grid.rows[r].pods, grid.cols[c].pods):
                    out.setdefault((r, c), []).append(flip)
    return out


def _only_itself(row_pods: Sequence[Any], col_pods: Sequence[Any]) -> bool:
    return len(row_pods) == 1 and len(col_pods) == 1 and row_pods[0].ref == col_pods[0].ref


def _verdict(allowed: bool) -> str:
    return "allowed" if allowed else "denied"


def flip_text(flips: Sequence[Any]) -> Text:
    """The why panel's first lines for a flipped cell: the verdict before and now, and each
    change that flipped it (the policy added, removed or edited and the rule at stake)."""
    out = Text()
    out.append("Changed since the baseline\n", style=theme.WARNING_STRONG)
    seen: set[tuple[str, str, str, str, str]] = set()
    for flip in flips:
        out.append(f"was {_verdict(flip.old)}, now ", style=theme.DIM)
        now = _verdict(flip.new)
        out.append(f"{now}\n", style=theme.REACH_STYLE.get(now, ""))
        pairs = flip.pairs
        out.append(f"{pairs} pod pair{'s' if pairs != 1 else ''} flipped\n", style=theme.DIM)
        for cause in flip.because:
            key = (cause.kind, cause.namespace, cause.name, cause.change, cause.detail)
            if key in seen:
                continue
            seen.add(key)
            where = f"{cause.namespace}/{cause.name}" if cause.namespace else cause.name
            out.append("  because ", style=theme.DIM)
            out.append_text(safe(f"{cause.kind} {where} {cause.change}", theme.STRONG))
            detail = cause.detail.removeprefix(f"{cause.change}: ")
            if detail:
                out.append_text(safe(f": {detail}"))
            out.append("\n")
    return out


def not_compared_text(port: int, protocol: str) -> Text:
    """A port the last comparison did not cover (a TCP one is being compared now)."""
    return Text(f"{protocol} {port}: not compared with the baseline (yet)\n\n", style=theme.DIM)
