"""Widgets shared by panes: a keyed table that keeps its cursor, safe text helpers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

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


def age(timestamp: str | None, now: datetime) -> str:
    """kubectl-style age: 45s, 12m, 3h, 5d."""
    if not timestamp:
        return "-"
    try:
        then = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return "?"
    secs = int((now - then).total_seconds())
    if secs < 0:
        return "0s"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if secs >= size:
            return f"{secs // size}{unit}"
    return f"{secs}s"


def update_if_changed(widget: Static, content: str | Text) -> None:
    """Update a Static only when its text changed: each update costs Textual a layout pass
    (and the first screen is only drawn once the layout settles)."""
    if widget.content != content:
        widget.update(content)


Cell = str | Text
Row = tuple[str, Sequence[Cell]]

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
    """

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "Top", show=False),
        Binding("G", "scroll_bottom", "Bottom", show=False),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)
        self._columns: tuple[str, ...] = ()
        # Per row key, the cells it was last given, its DataTable row data and metadata (kept
        # after the row leaves, to re-add it cheaply). DataTable measured cells at least as
        # wide since the columns were built.
        self._known: dict[str, tuple[tuple, dict, DataTableRow]] = {}
        self._shown: dict[str, tuple] = {}  # the rows on display, by key, in order

    def set_rows(self, columns: Sequence[str], rows: Sequence[Row]) -> None:
        selected = self.selected_key()
        scroll_y = self.scroll_y
        with self.app.batch_update():
            if tuple(columns) != self._columns:
                self.clear(columns=True)
                self.add_columns(*columns)
                self._columns = tuple(columns)
                self._known, self._shown = {}, {}
            self._patch(rows)
            if selected is not None and RowKey(selected) in self._row_locations:
                self.move_cursor(row=self._row_locations.get(RowKey(selected)), scroll=False)
            if self.selected_key() != selected and self.row_count:
                self._highlight_cursor()  # another row under the cursor: tell the pane
            self.scroll_y = scroll_y

    def _patch(self, rows: Sequence[Row]) -> None:
        """Make the table hold `rows`, in that order, keeping the state of unchanged rows."""
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
                return  # nothing changed: no cache to drop, nothing to redraw
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
        old_data, old_rows = self._data, self.rows
        self._shown = shown
        old_data.clear()
        old_data.update(data)
        old_rows.clear()
        old_rows.update(metas)
        self._row_locations = TwoWayDict({row_key: i for i, row_key in enumerate(data)})
        for gone in [k for k in self._new_rows if k not in data]:
            self._new_rows.discard(gone)  # left before DataTable measured it: not known then
            self._known.pop(gone.value, None)
        self._new_rows.update(unmeasured)
        self._updated_cells = {c for c in self._updated_cells if c.row_key in data}
        self._update_count += 1
        self._clear_caches()
        self._require_update_dimensions = True  # the virtual height, on idle
        # Clamped to the new row count, only when past it: each assignment runs DataTable's
        # watchers, which order every row again (about 10 ms each at 10,000 rows).
        if self.cursor_coordinate.row >= len(data):
            self.cursor_coordinate = self.cursor_coordinate
        if self.hover_coordinate.row >= len(data):
            self.hover_coordinate = self.hover_coordinate
        self.check_idle()
        self.refresh(layout=True)

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
