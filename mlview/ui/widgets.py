"""Widgets shared by panes: a keyed table that keeps its cursor, safe text helpers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowDoesNotExist

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


class ObjectTable(DataTable):
    """A DataTable filled by row key; the cursor stays on the same row across refreshes."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)
        self._columns: tuple[str, ...] = ()

    def set_rows(self, columns: Sequence[str], rows: Sequence[Row]) -> None:
        selected = self.selected_key()
        scroll_y = self.scroll_y
        with self.app.batch_update():
            if tuple(columns) != self._columns:
                self.clear(columns=True)
                self.add_columns(*columns)
                self._columns = tuple(columns)
            else:
                self.clear()
            seen: set[str] = set()
            for key, cells in rows:
                if key in seen:  # duplicate keys would raise; keep the first
                    continue
                seen.add(key)
                self.add_row(*cells, key=key)
            if selected is not None:
                try:
                    self.move_cursor(row=self.get_row_index(selected), scroll=False)
                except RowDoesNotExist:
                    pass
            self.scroll_y = scroll_y

    def selected_key(self) -> str | None:
        if self.row_count == 0:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except Exception:  # cursor outside the table after a shrink
            return None
        return row_key.value
