"""Baseline marks in a table: a narrow first column (+ added, ~ changed, - removed) and a style.

Only with `mlview --baseline OLD`: without one, tables are exactly what they were. A pane
gives its columns and rows as usual plus the status of each row; rows removed since the
baseline are built by the pane from the baseline's own view, and are shown struck through
after the current rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rich.text import Text

from mlview import theme
from mlview.sanitize import clean
from mlview.ui.widgets import Cell, Row

ADDED, CHANGED, REMOVED = "added", "changed", "removed"
MARK_COLUMN = "Δ"
GLYPH = {ADDED: "+", CHANGED: "~", REMOVED: "-"}
STYLE = {ADDED: theme.OK_STRONG, CHANGED: theme.WARNING_STRONG, REMOVED: theme.ERROR}
REMOVED_STYLE = "dim strike"
FLIP_GLYPH = "•"  # after the verdict glyph of a reachability cell that flipped
# One Text per status, shared by every row: the table compares cells by identity first.
_MARK_CELL = {s: Text(GLYPH[s], style=STYLE[s]) for s in GLYPH}
_NO_MARK = Text("")


def mark_cell(status: str | None) -> Text:
    return _MARK_CELL.get(status or "", _NO_MARK)


def legend(what: str = "rows") -> Text:
    """`+ added  ~ changed  - removed` in their styles, for a pane's note line."""
    text = Text()
    for status in (ADDED, CHANGED, REMOVED):
        text.append(GLYPH[status], style=STYLE[status])
        text.append(f" {status}  ", style=theme.DIM)
    text.append(f"({what} since the baseline)", style=theme.DIM)
    return text


def baseline_note(tab_id: str, label: str, changes: Any) -> Text:
    """The legend line above a tab, with a baseline: what its marks mean and the keys."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(" vs baseline ", style=theme.BANNER)
    text.append(" ")
    text.append_text(Text(clean(label, single_line=True), style=theme.STRONG))
    text.append("  ")
    if changes is None:
        text.append("comparing…", style=theme.WARNING)
        return text
    text.append("D: what changed", style=theme.HINT)  # first: the line is cut at 80 columns
    text.append("   ")
    if tab_id == "findings":
        text.append("+", style=STYLE[ADDED])
        text.append(" new  ", style=theme.DIM)
        text.append("-", style=STYLE[REMOVED])
        text.append(" resolved  b: all/new/resolved/unchanged", style=theme.DIM)
    elif tab_id == "reachability":
        text.append(FLIP_GLYPH, style=theme.WARNING_STRONG)
        text.append(" verdict flipped since the baseline", style=theme.DIM)
        text.append_text(flipped_ports(changes))
    else:
        text.append_text(legend())
    return text


def flipped_ports(changes: Any) -> Text:
    """Where the flips are (the matrix shows one port at a time): `: TCP 8080 (16 pairs)`."""
    pairs: dict[tuple[int, str], int] = {}
    for flip in changes.diff.reachability:
        key = (flip.port, flip.protocol)
        pairs[key] = pairs.get(key, 0) + flip.pairs
    if not pairs:
        return Text(": none on the ports compared", style=theme.DIM)
    text = Text(": on ", style=theme.DIM)
    for i, ((port, proto), n) in enumerate(sorted(pairs.items(), key=lambda kv: -kv[1])[:4]):
        text.append(", " if i else "")
        text.append(f"{proto} {port}", style=theme.WARNING)
        text.append(f" ({n} pair{'s' if n != 1 else ''})", style=theme.DIM)
    text.append("  p: port", style=theme.DIM)
    return text


def struck(cells: Sequence[Cell]) -> list[Cell]:
    """A removed row's cells: dim and struck through (the row is only in the baseline)."""
    out: list[Cell] = []
    for cell in cells:
        text = cell.copy() if isinstance(cell, Text) else Text(str(cell or ""))
        text.stylize(REMOVED_STYLE)
        out.append(text)
    return out


def with_marks(
    columns: Sequence[str],
    rows: Iterable[Row],
    status: Callable[[str], str | None],
    removed: Iterable[Row] = (),
    cache: dict[str, tuple[Any, str | None, Row]] | None = None,
) -> tuple[tuple[str, ...], list[Row]]:
    """The table with its mark column first: `status(row key)` for the current rows, then
    the removed rows (keys prefixed so they never clash with a current row).

    `cache` (kept by the pane across refreshes): a row given the same cells object and the
    same status gets the same marked row object back, so that ObjectTable sees it unchanged
    by identity (a filter keystroke on 10,000 routes compares no cell)."""
    out: list[Row] = []
    for key, cells in rows:
        st = status(key)
        hit = cache.get(key) if cache is not None else None
        if hit is not None and hit[0] is cells and hit[1] == st:
            out.append(hit[2])
            continue
        row = (key, (mark_cell(st), *cells))
        if cache is not None:
            cache[key] = (cells, st, row)
        out.append(row)
    for key, cells in removed:
        key = f"removed:{key}"
        hit = cache.get(key) if cache is not None else None
        if hit is not None and hit[0] is cells:
            out.append(hit[2])
            continue
        row = (key, (mark_cell(REMOVED), *struck(cells)))
        if cache is not None:
            cache[key] = (cells, REMOVED, row)
        out.append(row)
    return (MARK_COLUMN, *columns), out


def removed_key(key: str | None) -> str | None:
    """The baseline row key of a removed row's table key; None for a current row."""
    if key and key.startswith("removed:"):
        return key.removeprefix("removed:")
    return None


def mark_rows(
    columns: Sequence[str],
    rows: Sequence[Row],
    old_rows: Iterable[Row],
    status: Callable[[str], str | None],
    gone: Callable[[str], bool],
    cache: dict[str, tuple[Any, str | None, Row]] | None = None,
) -> tuple[tuple[str, ...], list[Row]]:
    """`with_marks` for a pane that built its table on the baseline's view too (`old_rows`,
    same narrowing): those whose object is `gone` now are shown as removed."""
    return with_marks(columns, rows, status, [r for r in old_rows if gone(r[0])], cache)
