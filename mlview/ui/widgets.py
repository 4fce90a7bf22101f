"""Widgets shared by panes: a keyed table that keeps its cursor, safe text helpers."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.text import Text
from textual._two_way_dict import TwoWayDict
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.widgets._data_table import Row as DataTableRow
from textual.widgets.data_table import RowKey

from mlview import theme
from mlview.analysis.findings import Severity
from mlview.sanitize import clean

SEVERITY_GLYPH = {"error": "✖", "warning": "▲", "info": "●"}


# Pods (and claims) derived from a workload's template, in every table that lists pods.
VIRTUAL_MARK = " *"
VIRTUAL_LEGEND = "* virtual: not in the snapshot, would be created by its workload"
VIRTUAL_SHORT = "* virtual (from a workload template)"


def safe(text: object, style: str = "") -> Text:
    """Cluster text shown literally: control sequences stripped, never parsed as markup."""
    return Text(clean(text, single_line=True), style=style)


def severity_text(sev: Severity | str | None, width: int = 0) -> Text:
    """`✖ error`, `▲ warning`, `● info` in their colour, or a green `ok`; the word padded to
    `width` so a column of them lines up."""
    if sev is None:
        return Text("ok", style=theme.OK)
    value = sev.value if isinstance(sev, Severity) else sev
    return Text(f"{SEVERITY_GLYPH[value]} {value.ljust(width)}", style=theme.SEVERITY_STYLE[value])


def mark(ok: bool | None) -> Text:
    """The glyph before a chain step: ✔ fine, ✖ broken, ? unknown."""
    return Text({True: "✔ ", False: "✖ ", None: "? "}[ok], style=theme.OK_STYLE[ok])


def ready_text(ready: int, total: int) -> Text:
    """Ready endpoints out of all: red when none, yellow when some are missing."""
    style = theme.ERROR if ready == 0 else (theme.WARNING if ready < total else theme.OK)
    return Text(f"{ready}/{total}", style=style)


def update_if_changed(widget: Static, content: str | Text) -> None:
    """Update a Static only when its text changed: each update costs Textual a layout pass
    (and the first screen is only drawn once the layout settles)."""
    if widget.content != content:
        widget.update(content)


# What a wrapped line hangs under: tree branches, a ✔/✖ mark, a leading word such as `hint: `.
_HANG = re.compile(r"[ │├└─]*(?:[✔✖?•✓✗±→] )?(?:(?:hint|note|from|to|near miss): *)?")


class Hanging:
    """Text whose long lines wrap with a hanging indent: under the text after a line's tree
    branches and mark (`└─ ✔ Service ...`) or after its `hint: `, two columns in otherwise;
    a branch that goes on below (`├`, `│`) goes on through the wrapped lines. Rich wraps
    continuation lines back to column 0, where they read as the next node of the tree.
    `indent`: the same hanging indent for every line instead."""

    def __init__(self, text: Text, indent: int | None = None) -> None:
        self.text = text
        self.indent = indent

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Hanging) and other.text == self.text and other.indent == self.indent
        )

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        width = options.max_width
        out: list[Text] = []
        for line in self.text.split("\n", allow_blank=True):
            if line.cell_len <= width:
                out.append(line)
                continue
            if self.indent is not None:
                head = line[: self.indent]
            else:  # under the branches, the mark, the leading word
                match = _HANG.match(line.plain)
                head = line[: match.end() if match else 0]
            indent = len(head) or 2
            if indent > width // 2:
                out.append(line)  # no room to hang: Rich wraps it as it is
                continue
            if head:  # the head, then the rest wrapped beside it and under it
                below = "".join("│" if ch in "│├" else " " for ch in head.plain)
                lead, at = Text(below, style=theme.DIM), len(head)
            else:  # no head: the first line takes the whole width, the rest two columns in
                top = line.wrap(console, width, overflow="fold")[0]
                top.rstrip()
                out.append(top)
                lead, at = Text(" " * indent), len(top)
                at += len(line.plain[at:]) - len(line.plain[at:].lstrip())
            for i, part in enumerate(line[at:].wrap(console, width - indent, overflow="fold")):
                part.rstrip()
                out.append(head + part if i == 0 and head else lead + part)
        yield Text("\n").join(out)


Cell = str | Text
Row = tuple[str, Sequence[Cell]]

# A table state kept to swap back in whole, when a pane hands `set_rows` the very list it gave
# before (a filter widened or cleared again): only big ones, where rebuilding costs.
STATE_MIN_ROWS = 1000
STATES_KEPT = 2  # the whole table and one wide filter: each is a few MB at 10,000 rows


@dataclass(frozen=True)
class _TableState:
    """What `_patch` built from one rows list, measured by DataTable (its widths cover it)."""

    rows: Sequence[Row]  # the list it was built from: held, so its id is not reused
    columns: tuple[str, ...]
    shown: dict[str, tuple]
    data: dict[RowKey, dict]
    metas: dict[RowKey, DataTableRow]
    locations: dict[RowKey, int]  # DataTable's key -> index map, both ways
    positions: dict[int, RowKey]


# k9s and vi habits, on every table and the reachability matrix (the help screen lists them).
NAV_KEYS = (
    ("j / k", "Down / up"),
    ("g / G", "Top / bottom"),
    ("ctrl+d / ctrl+u", "Half a page down / up"),
)
SORT_MARK = " ▼"  # after the label of the column a table is sorted by


def sort_labels(columns: Sequence[str], sorted_by: str | None) -> tuple[str, ...]:
    """The column labels with the sorted column marked (`sorted_by` is a column name)."""
    return tuple(c + SORT_MARK if c == sorted_by else c for c in columns)


def column_name(label: object) -> str:
    """A header label without the sort mark (what a header click names)."""
    return str(label).removesuffix(SORT_MARK)


class ObjectTable(DataTable):
    """A DataTable filled by row key; the cursor stays on the same row across refreshes.

    `set_rows` patches the table by key instead of clearing it: rows whose key left are
    dropped, rows whose cells changed are replaced, new rows are added, and the order is
    rewritten in one pass. Measured at 10,000 rows (bench/bench_filter.py), the cost of the
    old clear-and-re-add was DataTable measuring every cell of every re-added row when idle
    (about 100,000 `measure` calls), plus `add_row` setting the cursor reactive per row;
    `remove_row` rebuilds the whole key -> index map per call (10,000 removals: quadratic).
    So the patch writes DataTable's row state directly (Textual is pinned: 8.2.8), in O(rows)
    with no per-row reactive, and hands DataTable only the rows it has not measured yet:
    column widths only ever grow, so a row re-added with the cells it was measured with
    cannot widen a column.

    Narrow terminals: given `priority` (column names, most important first), the table shows
    the columns that fit its width in that order of importance (in their own order on screen)
    and a last column `+N w` saying how many it left out; `w` (or a click on that header) shows
    every column, scrolled sideways, and `w` again fits them back. Without `priority` every
    column shows, as before. `keep_ends`: columns of names cut in the middle, not at the end.

    A big state (10,000 routes) is also kept whole for a few rows lists: when a pane hands the
    same list again (it memoises its rows per filter), the state is swapped back in (dict
    copies, no per-row work), and DataTable's row order and line offsets, which it would rebuild
    row by row on the next draw, are handed over ready.
    """

    BINDINGS = [
        Binding("w", "toggle_wide", "All columns", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "Top", show=False),
        Binding("G", "scroll_bottom", "Bottom", show=False),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False),
    ]

    def __init__(
        self, *, priority: Sequence[str] = (), keep_ends: Sequence[str] = (), **kwargs
    ) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)
        self.priority = tuple(priority)
        self.wide = False  # every column, whatever the width (`w`)
        self._fit = ColumnFit(keep_ends)
        self._given: tuple[tuple[str, ...], Sequence[Row]] | None = None  # set_rows' arguments
        self._columns: tuple[str, ...] = ()
        self._layout: tuple = ()  # the fit's (column, cut width) pairs the columns were built for
        # Per row key, the cells it was last given, its DataTable row data and metadata (kept
        # after the row leaves, to re-add it cheaply). DataTable measured cells at least as
        # wide since the columns were built.
        self._known: dict[str, tuple[tuple, dict, DataTableRow]] = {}
        self._shown: dict[str, tuple] = {}  # the rows on display, by key, in order
        self._shown_from: Sequence[Row] | None = None  # the rows list the display was built from
        self._states: dict[int, _TableState] = {}  # by id of that list, oldest first

    def set_rows(self, columns: Sequence[str], rows: Sequence[Row]) -> None:
        self._given = (tuple(columns), rows)
        if self.priority:
            columns, rows = self._fit.fit(
                tuple(columns), rows, self.priority, self._room(len(rows)), self.wide
            )
        # DataTable's column widths only grow: a column cut narrower (the same label) needs
        # the columns rebuilt, or the table keeps its old width and scrolls sideways
        layout = self._fit.layout if self.priority else ()
        selected = self.selected_key()
        scroll_y = self.scroll_y
        with self.app.batch_update():
            if tuple(columns) != self._columns or layout != self._layout:
                self.clear(columns=True)
                self.add_columns(*columns)
                self._columns, self._layout = tuple(columns), layout
                self._known, self._shown = {}, {}
            self._patch(rows)
            if selected is not None and RowKey(selected) in self._row_locations:
                self.move_cursor(row=self._row_locations.get(RowKey(selected)), scroll=False)
            if self.selected_key() != selected and self.row_count:
                self._highlight_cursor()  # another row under the cursor: tell the pane
            self.scroll_y = scroll_y

    def _patch(self, rows: Sequence[Row]) -> None:
        """Make the table hold `rows`, in that order, keeping the state of unchanged rows."""
        if rows is self._shown_from and len(rows) == len(self._shown) == self.row_count:
            return  # the very list on display again (a pane's memo): nothing changed
        if self._restore(rows):
            return
        width = len(self._columns)
        shown: dict[str, tuple] = {}
        for key, cells in rows:
            if key not in shown:  # duplicate keys: keep the first
                if type(cells) is not tuple or len(cells) != width:
                    cells = (*cells, *(None,) * (width - len(cells)))
                shown[key] = cells
        # Tuples compare by identity first: the cached cells of a pane cost no Text comparison.
        if len(self._shown) == self.row_count and list(shown) == list(self._shown):
            if shown == self._shown:
                self._shown_from = rows  # the same display: `rows` may bring it back later
                return  # nothing changed: no cache to drop, nothing to redraw
        self._keep_state()
        if len(self._known) > 2 * len(shown) + 20_000:  # keys gone for good: forget them
            self._known = {k: v for k, v in self._known.items() if k in shown}
        column_keys = [column.key for column in self.ordered_columns]
        data: dict[RowKey, dict] = {}
        metas: dict[RowKey, DataTableRow] = {}
        unmeasured: list[RowKey] = []
        for key, cells in shown.items():
            known = self._known.get(key)
            if known is not None and known[0] == cells:  # unchanged, or back with its cells
                row_key = known[2].key
                data[row_key], metas[row_key] = known[1], known[2]
                continue
            row_key = RowKey(key)
            data[row_key] = values = dict(zip(column_keys, cells, strict=True))
            metas[row_key] = meta = DataTableRow(row_key, 1)
            if known is None or not _covered(known[0], cells):
                unmeasured.append(row_key)
            self._known[key] = (cells, values, meta)
        # New dicts, not the old ones emptied: a kept state still holds those.
        self._data, self.rows, self._shown, self._shown_from = data, metas, shown, rows
        self._row_locations = TwoWayDict({row_key: i for i, row_key in enumerate(data)})
        self._forget_unmeasured_gone()
        self._new_rows.update(unmeasured)
        self._changed()

    def _changed(self) -> None:
        """After the rows were swapped: DataTable's caches, dimensions and cursor follow."""
        data = self._data
        self._updated_cells = {c for c in self._updated_cells if c.row_key in data}
        self._update_count += 1
        self._clear_caches()
        # The row order and the line offsets DataTable would rebuild row by row (a key lookup
        # per row) on the next draw and idle: every row is one line high.
        ordered = list(self.rows.values())
        self._ordered_row_cache[(len(ordered), self._update_count)] = ordered
        self._offset_cache[self._update_count] = [(row.key, 0) for row in ordered]
        self._require_update_dimensions = True  # the virtual height, on idle
        # Clamped to the new row count, only when past it: each assignment runs DataTable's
        # watchers, which order every row again (about 10 ms each at 10,000 rows).
        if self.cursor_coordinate.row >= len(data):
            self.cursor_coordinate = self.cursor_coordinate
        if self.hover_coordinate.row >= len(data):
            self.hover_coordinate = self.hover_coordinate
        self.check_idle()
        self.refresh(layout=True)

    @property
    def hidden_columns(self) -> tuple[str, ...]:
        """The columns left out for want of width (none when every column fits, or `w`)."""
        return self._fit.hidden

    def _room(self, rows: int) -> int:
        """Columns of text the table can show without scrolling sideways (0: not laid out)."""
        width = self.size.width
        if width and rows + 1 > self.size.height:  # the header and rows overflow: a scrollbar
            width -= self.styles.scrollbar_size_vertical
        return width

    def on_resize(self) -> None:
        if self.priority and self._given is not None:
            columns, rows = self._given
            if self._fit.changes(columns, self.priority, self._room(len(rows)), self.wide):
                self.set_rows(columns, rows)

    def action_toggle_wide(self) -> None:
        if not self.priority or self._given is None:
            return
        self.wide = not self.wide
        self.set_rows(*self._given)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        if self.priority and str(event.label) == self._fit.marker:
            self.action_toggle_wide()

    def _keep_state(self) -> None:
        """Keep the display about to be replaced, when it is big and DataTable measured it."""
        rows = self._shown_from
        if rows is None or self.row_count < STATE_MIN_ROWS:
            return
        if self._new_rows or self._require_update_dimensions:
            return  # not measured yet: swapped back, its rows could overflow their columns
        self._states.pop(id(rows), None)
        self._states[id(rows)] = _TableState(
            rows,
            self._columns,
            self._shown,
            self._data,
            self.rows,
            self._row_locations._forward,
            self._row_locations._reverse,
        )
        while len(self._states) > STATES_KEPT:
            del self._states[next(iter(self._states))]

    def _restore(self, rows: Sequence[Row]) -> bool:
        """Swap back the state built from this very list, if kept; False when there is none."""
        state = self._states.get(id(rows))
        if state is None or state.rows is not rows or rows is self._shown_from:
            return False
        if state.columns != self._columns or len(state.data) != len(state.shown):
            del self._states[id(rows)]  # columns rebuilt (or its dicts emptied) since
            return False
        self._keep_state()
        # Copies: DataTable edits its dicts in place (clear, add_row), the kept ones stay whole.
        self._data, self.rows = dict(state.data), dict(state.metas)
        locations = TwoWayDict.__new__(TwoWayDict)
        locations._forward, locations._reverse = dict(state.locations), dict(state.positions)
        self._row_locations = locations
        self._shown, self._shown_from = state.shown, rows
        self._forget_unmeasured_gone()
        self._changed()
        return True

    def _forget_unmeasured_gone(self) -> None:
        for gone in [k for k in self._new_rows if k not in self._data]:
            self._new_rows.discard(gone)  # left before DataTable measured it: not known then
            self._known.pop(gone.value, None)

    def action_half_page(self, direction: int) -> None:
        """ctrl+d / ctrl+u: the cursor moves half the visible rows (k9s, vi)."""
        if not self.row_count:
            return
        header = self.header_height if self.show_header else 0
        step = max(1, (self.scrollable_content_region.height - header) // 2)
        row = min(max(self.cursor_coordinate.row + direction * step, 0), self.row_count - 1)
        self.move_cursor(row=row, scroll=True)

    def select(self, key: str) -> bool:
        """Put the cursor on the row with this key (a jump from another tab); False when the
        table has no such row."""
        index = self._row_locations.get(RowKey(key))
        if index is None:
            return False
        self.move_cursor(row=index, scroll=True)
        return True

    def row_keys(self) -> list[str]:
        """The keys of the rows on display, in order."""
        return list(self._shown)

    def selected_key(self) -> str | None:
        if self.row_count == 0:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except Exception:  # cursor outside the table after a shrink
            return None
        return row_key.value


def _covered(measured: tuple | None, cells: tuple) -> bool:
    """Whether DataTable already measured cells at least as wide (an empty cell is nothing)."""
    if measured is None or len(measured) != len(cells):
        return False
    return all(c is m or c == "" or c == m for c, m in zip(cells, measured, strict=True))


Shown = tuple[int, int]  # a column on screen: its index, the width it is cut to (0: whole)


class ColumnFit:
    """Which columns of a table fit a width, most important first; rows projected to them.

    Widths are measured as rows arrive, like DataTable's own (they only grow while the columns
    stay the same); a row whose cells are the same objects as last time is not measured again,
    so the panes' cached rows cost nothing here either. A few columns short, the least important
    column that can spare them is cut instead of one left out. When columns must go, no
    column takes more than a third of the width (one long name would push out three columns),
    and the first column that does not fit whole is cut to the room left, if that is at least
    MIN_CUT: the cut cells end in `…`.
    """

    MIN_CUT = 12

    def __init__(self, keep_ends: Sequence[str] = ()) -> None:
        # Columns of names cut in the middle: pods of one workload differ only at the end
        self.keep_ends = frozenset(keep_ends)
        self._middle: frozenset[int] = frozenset()
        self.hidden: tuple[str, ...] = ()
        self.marker = ""  # the last header, `+N w`, when columns are left out
        self._columns: tuple[str, ...] = ()
        self._widths: list[int] = []
        self._measured: dict[str, Sequence[Cell]] = {}
        self._shown: tuple[Shown, ...] = ()
        self._projected: dict[str, tuple[Sequence[Cell], tuple]] = {}
        self._outs: dict[int, tuple[Sequence[Row], tuple[Shown, ...], list[Row]]] = {}

    def fit(
        self,
        columns: tuple[str, ...],
        rows: Sequence[Row],
        priority: Sequence[str],
        room: int,
        wide: bool,
    ) -> tuple[tuple[str, ...], Sequence[Row]]:
        if columns != self._columns:
            self._columns = columns
            self._middle = frozenset(
                i for i, c in enumerate(columns) if c.split(" ")[0] in self.keep_ends
            )
            self._widths = [cell_len(c) for c in columns]
            self._measured, self._outs = {}, {}
        self._measure(rows)
        shown = self._choose(priority, room, wide)
        if shown != self._shown:
            self._shown, self._projected = shown, {}
        indexes = {i for i, _ in shown}
        self.hidden = tuple(c for i, c in enumerate(columns) if i not in indexes)
        self.marker = f"+{len(self.hidden)} w" if self.hidden else ""
        if not self.hidden and not any(cut for _, cut in shown):
            return columns, rows
        heads = tuple(str(_cut(columns[i], cut)) for i, cut in shown)
        heads = (*heads, self.marker) if self.marker else heads
        again = self._outs.get(id(rows))
        if again is not None and again[0] is rows and again[1] == shown:
            # The very list again (a pane's memoised filter): the very projection again, so
            # the table can swap back the state it kept for it (see ObjectTable._restore).
            return heads, again[2]
        end = ("",) if self.marker else ()
        out: list[Row] = []
        projected = self._projected
        for key, cells in rows:
            known = projected.get(key)
            if known is None or known[0] is not cells:
                part = tuple(
                    _cut(cells[i] if i < len(cells) else "", cut, i in self._middle)
                    for i, cut in shown
                )
                known = projected[key] = (cells, (*part, *end))
            out.append((key, known[1]))
        self._outs.pop(id(rows), None)
        self._outs[id(rows)] = (rows, shown, out)
        while len(self._outs) > 8:  # the pane memoises 8 filters
            del self._outs[next(iter(self._outs))]
        return heads, out

    @property
    def layout(self) -> tuple[Shown, ...]:
        """The (column, cut width) pairs of the last fit."""
        return self._shown

    def changes(self, columns: tuple[str, ...], priority: Sequence[str], room: int, wide: bool):
        """Whether another width (or `w`) shows other columns than those on screen."""
        return columns == self._columns and self._choose(priority, room, wide) != self._shown

    def _measure(self, rows: Sequence[Row]) -> None:
        widths, measured = self._widths, self._measured
        if len(measured) > 2 * len(rows) + 20_000:  # keys gone for good: forget them
            self._measured = measured = {}
        for key, cells in rows:
            if measured.get(key) is cells:
                continue
            measured[key] = cells
            for i, cell in enumerate(cells[: len(widths)]):
                if cell is None:
                    continue
                w = cell.cell_len if isinstance(cell, Text) else cell_len(str(cell))
                if w > widths[i]:
                    widths[i] = w

    def _choose(
        self, priority: Sequence[str], room: int, wide: bool
    ) -> tuple[tuple[int, int], ...]:
        """(column, cut width or 0) to show, in their order: by importance while they fit,
        the first two always; a narrow less important column still goes where a wide one
        did not fit."""
        columns, widths = self._columns, self._widths
        pad = 2  # DataTable's cell padding, both sides
        over = sum(widths) + pad * len(columns) - room
        if wide or not room or over <= 0:
            return tuple((i, 0) for i in range(len(columns)))
        # a label may carry a mark after its name ("NAME ▼", the sorted column)
        named = {c.split(" ")[0] if c not in priority else c: i for i, c in enumerate(columns)}
        order = [named[c] for c in priority if c in named]
        order += [i for i in range(len(columns)) if i not in order]
        # A few columns short: the least important column that can lose them (a third of its
        # width at most) is cut, rather than a whole column left out.
        for i in reversed(order):
            if widths[i] - over >= max(self.MIN_CUT, widths[i] * 2 // 3):
                return tuple((j, widths[j] - over if j == i else 0) for j in range(len(columns)))
        cap = max(self.MIN_CUT, room // 3)
        keep: list[Shown] = []
        used = pad + len(f"+{len(columns)} w")  # the marker column
        cut_one = False
        for rank, i in enumerate(order):
            width = min(widths[i], cap)
            if rank < 2 or used + width + pad <= room:
                keep.append((i, width if width < widths[i] else 0))
                used += width + pad
            elif not cut_one and room - used - pad >= self.MIN_CUT:
                cut_one = True
                keep.append((i, room - used - pad))
                used = room
        # Room left over: the columns held to a third of the width take it back, the most
        # important first (a MESSAGE column ends at the table's edge, not short of it).
        left = room - used
        if len(keep) == len(columns):  # nothing left out: no marker column either
            left += len(f"+{len(columns)} w") + pad
        for n, (i, width) in enumerate(keep):
            if left <= 0:
                break
            if width:
                grow = min(left, widths[i] - width)
                keep[n] = (i, width + grow if width + grow < widths[i] else 0)
                left -= grow
        return tuple(sorted(keep))


def _cut(cell: Cell | None, width: int, middle: bool = False) -> Cell:
    """A cell no wider than `width` (0: as it is), ending in `…` when cut; `middle`: the `…`
    in the middle, keeping both ends (`llm-generate-…8wk-zqbt8`)."""
    if cell is None or not width:
        return "" if cell is None else cell
    text = cell if isinstance(cell, Text) else Text(str(cell))
    if text.cell_len <= width:
        return cell
    if middle and width > 2 and text.cell_len == len(text.plain):  # one cell per character
        head = (width - 1) // 2
        return text[:head] + Text("…", style=text.style) + text[len(text) - (width - 1 - head) :]
    text = text.copy()
    text.truncate(width, overflow="ellipsis")
    return text
