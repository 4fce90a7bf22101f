"""The app's baseline helpers, without the app: the mark column, removed rows, flipped cells of
a grid and the words of a flip (cluster text shown literally)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from mlview.analysis.diff import Cause, ReachabilityFlip
from mlview.ui.marks import MARK_COLUMN, baseline_note, removed_key, with_marks
from mlview.ui.panes.reachability.flips import flip_text, flipped_cells


def test_mark_column_first_and_removed_rows_struck_after_the_current_ones():
    columns, rows = with_marks(
        ("NAME", "PHASE"),
        [("ml/a", ("a", Text("Bound"))), ("ml/b", ("b", "Pending"))],
        {"ml/a": "added"}.get,
        [("ml/gone", ("gone", "Bound"))],
    )
    assert columns == (MARK_COLUMN, "NAME", "PHASE")
    assert [k for k, _ in rows] == ["ml/a", "ml/b", "removed:ml/gone"]
    assert [str(c[0]) for _, c in rows] == ["+", "", "-"]
    gone = rows[2][1][1]
    assert gone.plain == "gone" and "strike" in str(gone.spans[0].style)
    assert removed_key("removed:ml/gone") == "ml/gone" and removed_key("ml/a") is None


def test_legend_line_shows_the_label_literally():
    note = baseline_note("storage", "evil\x1b[31m[bold]x", None)
    assert "\x1b" not in note.plain and "[bold]x" in note.plain  # not markup, no escape


@dataclass
class _Pod:
    ref: str


@dataclass
class _Entry:
    pods: list[_Pod]


@dataclass
class _Grid:
    rows: list[_Entry]
    cols: list[_Entry]


def _flip(sources, dests, because=()) -> ReachabilityFlip:
    return ReachabilityFlip(9000, "TCP", tuple(sources), tuple(dests), True, False, because)


def test_flipped_cells_are_those_holding_a_flipped_pair():
    grid = _Grid(
        rows=[_Entry([_Pod("a/x"), _Pod("a/y")]), _Entry([_Pod("b/z")])],
        cols=[_Entry([_Pod("c/s")]), _Entry([_Pod("b/z")])],
    )
    flip = _flip(["a/y"], ["c/s", "b/z"])
    cells = flipped_cells(grid, [flip])
    assert set(cells) == {(0, 0), (0, 1)}
    # a pod against itself never flips, even when it is on both sides of a flip
    assert flipped_cells(grid, [_flip(["b/z"], ["b/z"])]) == {}


def test_flip_text_names_the_policy_change_once_and_literally():
    cause = Cause("NetworkPolicy", "ml", "deny\x1b[2J", "added", "added: [red]rule[/red]")
    text = flip_text([_flip(["a/x"], ["c/s"], (cause, cause))]).plain
    assert "was allowed, now denied" in text
    assert text.count("NetworkPolicy ml/deny") == 1 and "\x1b" not in text
    assert "[red]rule[/red]" in text  # markup shown, not parsed


def test_marked_rows_reused_only_while_cells_and_status_are_the_same():
    cache: dict = {}
    cells = ("a", "Bound")
    _, first = with_marks(("N", "P"), [("k", cells)], {"k": "added"}.get, cache=cache)
    _, again = with_marks(("N", "P"), [("k", cells)], {"k": "added"}.get, cache=cache)
    assert again[0] is first[0]  # the table sees the same row object: nothing to compare
    _, other = with_marks(("N", "P"), [("k", cells)], {"k": "changed"}.get, cache=cache)
    assert other[0] is not first[0] and str(other[0][1][0]) == "~"
    _, fresh = with_marks(("N", "P"), [("k", ("a", "Lost"))], {"k": "changed"}.get, cache=cache)
    assert fresh[0][1][2] == "Lost"
