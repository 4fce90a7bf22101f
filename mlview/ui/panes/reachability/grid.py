"""The reachability matrix widget: a Line API ScrollView that draws only the visible cells.

Rows are sources, columns destinations (entries of a netpol_groups.Grid). The row labels and
the two header lines stay put while the cells scroll. Each verdict has its own glyph as well
as its own colour, so the matrix reads without colour too.

Narrow (`narrow`, set by the pane below its NARROW width): where full labels
(`namespace/workload ×n`) would take more than LABEL_SHARE of the width, rows are labelled by
workload alone under a line naming their namespace, and the labels take at most a third of the
width, so the cells (and the cursor's column) stay in view.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from mlview.analysis.reachability.groups import Grid
from mlview.analysis.shared.objects import virtual_of
from mlview.sanitize import clean, shorten
from mlview.ui.marks import FLIP_GLYPH
from mlview.ui.widgets import VIRTUAL_MARK

GLYPHS = {
    "allowed": "✓",
    "denied": "✗",
    "mixed": "±",
    "same-pod": "╲",
    "host-network": "H",
    "no-ip": "–",
}
WORDS = {
    "allowed": "allowed",
    "denied": "denied",
    "mixed": "mixed (expand)",
    "same-pod": "same pod",
    "host-network": "host network",
    "no-ip": "no pod IP",
}
HEADER_H = 2
LABEL_MAX = 46
LABEL_SHARE = 0.45  # full labels wider than this share of the width: compact labels
COMPACT_MIN = 16  # compact labels get at least this many columns, at most a third


class MatrixGrid(ScrollView, can_focus=True):
    """Sources down, destinations across; the cursor's cell is explained by the pane."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "matrix--allowed",
        "matrix--denied",
        "matrix--mixed",
        "matrix--same-pod",
        "matrix--host-network",
        "matrix--no-ip",
        "matrix--header",
        "matrix--label",
        "matrix--cursor",
        "matrix--cursor-line",
    }
    BINDINGS: ClassVar = [
        Binding("up", "move(-1, 0)", "Up", show=False),
        Binding("down", "move(1, 0)", "Down", show=False),
        Binding("left", "move(0, -1)", "Left", show=False),
        Binding("right", "move(0, 1)", "Right", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First row", show=False),
        Binding("end", "jump(-1)", "Last row", show=False),
        # k9s and vi habits, as on every table (widgets.NAV_KEYS); h/l for columns
        Binding("k", "move(-1, 0)", "Up", show=False),
        Binding("j", "move(1, 0)", "Down", show=False),
        Binding("h", "move(0, -1)", "Left", show=False),
        Binding("l", "move(0, 1)", "Right", show=False),
        Binding("g", "jump(0)", "First row", show=False),
        Binding("G", "jump(-1)", "Last row", show=False),
        Binding("ctrl+d", "page(1, 2)", "Half page down", show=False),
        Binding("ctrl+u", "page(-1, 2)", "Half page up", show=False),
    ]

    cursor: reactive[tuple[int, int]] = reactive((0, 0), always_update=True)

    class CellChanged(Message):
        def __init__(self, row: int, col: int) -> None:
            super().__init__()
            self.row, self.col = row, col

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.grid: Grid | None = None
        self.placeholder = ""  # shown until the first grid arrives ("computing ...")
        self.empty_text = "no pods to show"  # a grid without rows or columns: why
        self.label_w = 10
        self.col_w = 3
        self.narrow = False  # the pane is narrow: compact labels where full ones crowd
        self.compact = False  # workload labels under namespace lines
        self._labels: list[str] = []
        # What each body line shows: a row's index, or a namespace (its header line, compact)
        self._lines: list[int | str] = []
        self._line_of: list[int] = []  # row index -> its line
        self._col_text: list[tuple[str, str]] = []  # (namespace line, name line) per column
        self._style_cache: dict[str, tuple[Style, Style, Style]] | None = None
        self._cells: dict[str, str] = {}  # verdict -> its glyph centred in a column
        # mlview --baseline: cells whose verdict flipped since the baseline (see flips.py),
        # drawn with a mark after the glyph and underlined
        self.flipped: dict[tuple[int, int], object] = {}
        self._flip_cells: dict[str, str] = {}
        self._flip_styles: dict[Style, Style] = {}

    # ---- data ---------------------------------------------------------------------------

    def set_grid(self, grid: Grid, keep: tuple[str, str] | None = None) -> None:
        """Show a new grid; keep the cursor on the same row and column keys when possible."""
        self.grid = grid
        self._col_text = self._headers(grid)
        self._layout_labels()
        self._fit()
        r, c = 0, 0
        if keep is not None:
            rows = {e.key: i for i, e in enumerate(grid.rows)}
            cols = {e.key: i for i, e in enumerate(grid.cols)}
            r, c = rows.get(keep[0], 0), cols.get(keep[1], 0)
        self.cursor = (r, c)
        self.refresh()

    def _layout_labels(self) -> None:
        """Full labels where they fit; else workload labels under their namespace's line."""
        g = self.grid
        if g is None:
            return
        width = self.scrollable_content_region.width or 100
        full = [self._label(e) for e in g.rows]
        full_w = min(LABEL_MAX, max([len(s) for s in full] + [16]) + 1)
        self.compact = self.narrow and full_w > width * LABEL_SHARE
        self._lines, self._line_of = [], []
        if not self.compact:
            self._labels, self.label_w = full, full_w
            self._lines = list(range(len(g.rows)))
            self._line_of = list(self._lines)
            return
        self._labels = [self._label(e, short=True) for e in g.rows]
        longest = max([len(s) for s in self._labels] + [COMPACT_MIN]) + 1
        self.label_w = min(longest, max(COMPACT_MIN, width // 3))
        namespace = None
        for r, e in enumerate(g.rows):
            if e.group.namespace != namespace:
                namespace = e.group.namespace
                self._lines.append(namespace)
            self._line_of.append(len(self._lines))
            self._lines.append(r)

    def set_flips(self, flipped: dict[tuple[int, int], object]) -> None:
        if flipped != self.flipped:
            self.flipped = flipped
            self.refresh()

    def _fit(self) -> None:
        """Columns as wide as their names, within the room there is (3 to 14 cells)."""
        g = self.grid
        if g is None:
            return
        room = (self.scrollable_content_region.width or 100) - self.label_w
        longest = max([len(e.short) for e in g.cols] + [2])
        self.col_w = max(3, min(longest + 1, 14, room // max(1, len(g.cols))))
        self._cells = {v: glyph.center(self.col_w) for v, glyph in GLYPHS.items()}
        self._flip_cells = {v: (g + FLIP_GLYPH).center(self.col_w) for v, g in GLYPHS.items()}
        width = self.label_w + self.col_w * len(g.cols)
        self.virtual_size = Size(width, HEADER_H + len(self._lines))

    def set_narrow(self, narrow: bool) -> None:
        if narrow != self.narrow:
            self.narrow = narrow
            self.on_resize()

    def on_resize(self) -> None:
        self._layout_labels()
        self._fit()
        self._scroll_to_cursor()
        self.refresh()

    def cursor_keys(self) -> tuple[str, str] | None:
        g = self.grid
        if g is None or not g.rows or not g.cols:
            return None
        r, c = self.cursor
        return g.rows[r].key, g.cols[c].key

    def _label(self, e, short: bool = False) -> str:
        """`▸ namespace/workload ×n`; short: `▸ workload ×n` (its namespace is a line above)."""
        # virtual pods (a workload's template standing for them) carry the legend's mark
        virtual = VIRTUAL_MARK if all(virtual_of(p.obj) for p in e.pods) else ""
        if e.member:
            return "   " + e.label + virtual
        mark = ("▾ " if e.expanded else "▸ ") if len(e.group.pods) > 1 else "  "
        if short:
            count = f" ×{len(e.group.pods)}" if len(e.group.pods) > 1 else ""
            return " " + mark + e.short + count + virtual
        return mark + e.label + virtual

    def _headers(self, grid: Grid) -> list[tuple[str, str]]:
        return [(e.group.namespace, e.short) for e in grid.cols]

    # ---- cursor -------------------------------------------------------------------------

    def validate_cursor(self, value: tuple[int, int]) -> tuple[int, int]:
        g = self.grid
        if g is None:
            return (0, 0)
        r = min(max(value[0], 0), max(len(g.rows) - 1, 0))
        c = min(max(value[1], 0), max(len(g.cols) - 1, 0))
        return (r, c)

    def watch_cursor(self, value: tuple[int, int]) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.CellChanged(*value))

    def action_move(self, dr: int, dc: int) -> None:
        self.cursor = (self.cursor[0] + dr, self.cursor[1] + dc)

    def row_at_line(self, line: int) -> int | None:
        """The row drawn on body line `line` (None: a namespace line, or past the end)."""
        if 0 <= line < len(self._lines):
            item = self._lines[line]
            return item if isinstance(item, int) else None
        return None

    def action_page(self, direction: int, fraction: int = 1) -> None:
        """A page (fraction 1) or half a page (2) of rows up or down."""
        step = max(1, (self.scrollable_content_region.height - HEADER_H - 1) // fraction)
        self.cursor = (self.cursor[0] + direction * step, self.cursor[1])

    def action_jump(self, row: int) -> None:
        n = len(self.grid.rows) if self.grid else 0
        self.cursor = (row if row >= 0 else n - 1, self.cursor[1])

    def _scroll_to_cursor(self) -> None:
        region = self.scrollable_content_region
        body_h = max(1, region.height - HEADER_H)
        cells_w = max(self.col_w, region.width - self.label_w)
        r, c = self.cursor
        line = self._line_of[r] if r < len(self._line_of) else r
        y, x = self.scroll_y, self.scroll_x
        if line < y:
            # the namespace line just above a group's first row comes into view with it
            y = line - 1 if line and isinstance(self._lines[line - 1], str) else line
        elif line >= y + body_h:
            y = line - body_h + 1
        left, right = c * self.col_w, (c + 1) * self.col_w
        if left < x:
            x = left
        elif right > x + cells_w:
            x = right - cells_w
        self.scroll_to(x, y, animate=False)

    def on_click(self, event: Click) -> None:
        if self.grid is None:
            return
        offset = event.get_content_offset(self)
        if offset is None or offset.y < HEADER_H:
            return
        r = self.row_at_line(int(self.scroll_y) + offset.y - HEADER_H)
        c = self.cursor[1]
        if offset.x >= self.label_w:
            c = (int(self.scroll_x) + offset.x - self.label_w) // self.col_w
        if r is not None and 0 <= r < len(self.grid.rows) and 0 <= c < len(self.grid.cols):
            self.cursor = (r, c)

    # ---- drawing: only what is visible ---------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        g = self.grid
        if g is None or not g.rows or not g.cols:
            text = (self.placeholder if g is None else self.empty_text) if y == 0 else ""
            text = shorten(clean(text, single_line=True), max(width, 1))
            return Strip([Segment(text.ljust(width))], width)
        cells_w = max(0, width - self.label_w)
        first = int(self.scroll_x) // self.col_w
        skip = int(self.scroll_x) % self.col_w
        last = min(len(g.cols), first + cells_w // self.col_w + 2)
        cur_r, cur_c = self.cursor
        if y < HEADER_H:
            return self._header_line(y, first, last, skip, width)
        line = int(self.scroll_y) + y - HEADER_H
        if line >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        r = self._lines[line]
        if isinstance(r, str):  # a namespace line (compact labels)
            head = self.get_component_rich_style("matrix--header")
            text = shorten(clean(r, single_line=True), max(width, 1))
            return Strip([Segment(text.ljust(width), head)], width)
        styles = self._styles()
        label_style = styles["label"][1 if r == cur_r else 0]
        label = shorten(clean(self._labels[r], single_line=True), self.label_w - 1)
        segs = [Segment(label.ljust(self.label_w), label_style)]
        cells = self._cells
        run: list[str] = []
        run_style: Style | None = None
        flipped = self.flipped
        for c in range(first, last):
            verdict = g.cell(r, c)
            kind = 2 if (r == cur_r and c == cur_c) else 1 if (r == cur_r or c == cur_c) else 0
            st = styles[verdict][kind]
            text = cells[verdict]
            if flipped and (r, c) in flipped:
                st, text = self._flip_style(st), self._flip_cells[verdict]
            if st is not run_style and run:
                segs.append(Segment("".join(run), run_style))
                run = []
            run_style = st
            run.append(text)
        if run:
            segs.append(Segment("".join(run), run_style))
        return self._assemble(segs, skip, width, self.rich_style)

    def _styles(self) -> dict[str, tuple[Style, Style, Style]]:
        """Per verdict (and the label): plain, on the cursor's row or column, under the cursor.
        Built once per stylesheet; rich Style sums are too slow to make per cell."""
        if self._style_cache is None:
            get = self.get_component_rich_style
            line, cursor = get("matrix--cursor-line"), get("matrix--cursor")
            out = {}
            for name in [*GLYPHS, "label"]:
                base = get(f"matrix--{name}")
                out[name] = (base, line + base, base + cursor)
            out["label"] = (out["label"][0], out["label"][0] + cursor, out["label"][2])
            self._style_cache = out
        return self._style_cache

    def _flip_style(self, base: Style) -> Style:
        st = self._flip_styles.get(base)
        if st is None:
            st = self._flip_styles[base] = base + Style(underline=True)
        return st

    def notify_style_update(self) -> None:
        self._style_cache = None
        self._flip_styles = {}
        super().notify_style_update()

    def _header_line(self, y: int, first: int, last: int, skip: int, width: int) -> Strip:
        """Line 0: namespaces, each written from its first column; line 1: workload names."""
        head = self.get_component_rich_style("matrix--header")
        title = "source ↓  destination →"
        if y == 1 and self.grid is not None and self.grid.cols:  # the cursor column, in full
            col = self.grid.cols[self.cursor[1]]
            title = "→ " + clean(col.pods[0].ref if col.member else col.label, single_line=True)
        title = shorten(title, self.label_w - 1)
        segs = [Segment(title.ljust(self.label_w)[: self.label_w], head)]
        if y == 0:
            buf = [" "] * ((last - first) * self.col_w)
            starts = [
                c
                for c in range(first, last)
                if c == first or self._col_text[c][0] != self._col_text[c - 1][0]
            ]
            for i, c in enumerate(starts):
                end = starts[i + 1] if i + 1 < len(starts) else last
                # the first visible column may be cut on the left: start after the cut
                cut = skip if c == first else 0
                at = (c - first) * self.col_w + cut
                room = (end - c) * self.col_w - cut - 1
                text = shorten(clean(self._col_text[c][0], single_line=True), max(room, 1))
                buf[at : at + len(text)] = text
            segs.append(Segment("".join(buf), head))
        else:
            cur = self.cursor[1]
            for c in range(first, last):
                text = shorten(clean(self._col_text[c][1], single_line=True), self.col_w - 1)
                s = head + self.get_component_rich_style("matrix--cursor") if c == cur else head
                segs.append(Segment(text.ljust(self.col_w), s))
        return self._assemble(segs, skip, width, head)

    def _assemble(self, segs: list[Segment], skip: int, width: int, pad: Style) -> Strip:
        label, cells = segs[0], Strip(segs[1:])
        cells = cells.crop(skip, skip + max(0, width - self.label_w))
        return Strip([label, *cells]).adjust_cell_length(width, pad)
