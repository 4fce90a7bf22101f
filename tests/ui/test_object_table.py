"""ObjectTable.set_rows updates by key: cursor kept on its key, rows gone, cells and order new."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from mlview.ui import widgets
from mlview.ui.widgets import ColumnFit, ObjectTable

COLUMNS = ("NAME", "STATE")


class TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.highlighted: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield ObjectTable(id="t")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.highlighted.append(event.row_key.value)


def rows(*names: str, state: str = "ok") -> list[tuple[str, list]]:
    return [(n, [Text(n), state]) for n in names]


def shown(table: ObjectTable) -> list[tuple[str, ...]]:
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def keys(table: ObjectTable) -> list[str]:
    return [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]


async def test_cursor_stays_on_its_key_when_rows_before_it_leave():
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ObjectTable)
        table.set_rows(COLUMNS, rows("a", "b", "c", "d"))
        table.move_cursor(row=2)
        await pilot.pause()
        table.set_rows(COLUMNS, rows("b", "c", "d", "e"))
        await pilot.pause()
        assert table.selected_key() == "c"
        assert table.cursor_row == 1


async def test_removed_rows_vanish_and_new_rows_appear():
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ObjectTable)
        table.set_rows(COLUMNS, rows(*"abcdef"))
        table.set_rows(COLUMNS, rows("b", "x", "e"))
        await pilot.pause()
        assert keys(table) == ["b", "x", "e"]
        assert shown(table) == [("b", "ok"), ("x", "ok"), ("e", "ok")]
        for gone in "acdf":
            assert gone not in {k.value for k in table.rows}


async def test_changed_cells_change_and_unchanged_rows_are_kept():
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ObjectTable)
        first = rows("a", "b")
        table.set_rows(COLUMNS, first)
        kept = table._data[next(iter(table._data))]
        table.set_rows(COLUMNS, [first[0], ("b", [Text("b"), "broken"])])
        await pilot.pause()
        assert shown(table) == [("a", "ok"), ("b", "broken")]
        assert table._data[next(iter(table._data))] is kept  # row a untouched


async def test_order_changes_are_applied_and_the_cursor_follows_its_key():
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ObjectTable)
        table.set_rows(COLUMNS, rows("a", "b", "c"))
        table.move_cursor(row=0)
        await pilot.pause()
        table.set_rows(COLUMNS, rows("c", "b", "a"))
        await pilot.pause()
        assert keys(table) == ["c", "b", "a"]
        assert table.selected_key() == "a" and table.cursor_row == 2


async def test_a_wider_new_cell_widens_its_column():
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ObjectTable)
        table.set_rows(COLUMNS, rows("a"))
        await pilot.pause()
        table.set_rows(COLUMNS, rows("a", state="x" * 30))
        await pilot.pause()
        assert table.ordered_columns[1].content_width == 30


async def test_new_columns_rebuild_the_table_and_duplicate_keys_keep_the_first():
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ObjectTable)
        table.set_rows(COLUMNS, rows("a", "b"))
        table.set_rows(("ONLY",), [("k", ["first"]), ("k", ["second"])])
        await pilot.pause()
        assert [str(c.label) for c in table.ordered_columns] == ["ONLY"]
        assert shown(table) == [("first",)]


async def test_a_new_row_under_the_cursor_is_announced():
    """When the cursor's key leaves, the pane hears which row the cursor is on now."""
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ObjectTable)
        table.set_rows(COLUMNS, rows("a", "b"))
        table.move_cursor(row=0)
        await pilot.pause()
        app.highlighted.clear()
        table.set_rows(COLUMNS, rows("b"))
        await pilot.pause()
        assert table.selected_key() == "b"
        assert app.highlighted[-1:] == ["b"]


async def test_scroll_survives_a_refresh():
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(ObjectTable)
        names = [f"r{i:03d}" for i in range(200)]
        table.set_rows(COLUMNS, rows(*names))
        await pilot.pause()
        table.move_cursor(row=100)
        await pilot.pause()
        scroll = table.scroll_y
        assert scroll > 0
        table.set_rows(COLUMNS, rows(*names, "r999"))
        await pilot.pause()
        assert table.scroll_y == scroll and table.selected_key() == "r100"


async def test_a_row_gone_before_it_was_measured_is_measured_when_back():
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ObjectTable)
        table.set_rows(COLUMNS, rows("a"))
        await pilot.pause()
        wide = [("a", [Text("a"), "ok"]), ("w", [Text("w"), "y" * 40])]
        table.set_rows(COLUMNS, wide)
        table.set_rows(COLUMNS, wide[:1])  # before the table was idle
        await pilot.pause()
        table.set_rows(COLUMNS, wide)
        await pilot.pause()
        assert table.ordered_columns[1].content_width == 40


# ---- narrow terminals: ColumnFit picks the columns by importance ---------------------------

FIT_COLUMNS = ("WORST", "NAMESPACE", "NAME", "CLASS", "VOLUME")
FIT_PRIORITY = ("WORST", "NAME", "CLASS", "VOLUME", "NAMESPACE")
FIT_ROWS = [
    ("a", ("error", "ml-serving", "llm-weights-cache", "premium-nvme", "pvc-0123456789abcdef")),
    ("b", ("info", "monitoring", "prometheus-db-0", "gp3", "pvc-fedcba9876543210")),
]
# natural widths 5, 10, 17, 12, 20 (+2 padding each): 74 in all


def test_every_column_when_they_fit():
    fit = ColumnFit()
    columns, rows = fit.fit(FIT_COLUMNS, FIT_ROWS, FIT_PRIORITY, 74, wide=False)
    assert columns == FIT_COLUMNS and rows is FIT_ROWS and fit.hidden == ()


def test_a_few_columns_short_the_least_important_wide_column_is_cut():
    fit = ColumnFit()
    columns, rows = fit.fit(FIT_COLUMNS, FIT_ROWS, FIT_PRIORITY, 70, wide=False)
    assert columns == FIT_COLUMNS and fit.hidden == ()
    assert [str(c) for c in rows[0][1]][-1] == "pvc-0123456789a…"  # 20 - 4 columns


def test_narrow_keeps_the_most_important_columns_in_their_order():
    fit = ColumnFit()
    columns, rows = fit.fit(FIT_COLUMNS, FIT_ROWS, FIT_PRIORITY, 50, wide=False)
    # no column wider than a third of 50 (NAME: 16 of its 17); WORST, NAME and CLASS fit with
    # the marker, VOLUME would leave less than 12 columns: it goes, and the namespace; the 5
    # columns left over give NAME back its 17th
    assert columns == ("WORST", "NAME", "CLASS", "+2 w")
    assert fit.hidden == ("NAMESPACE", "VOLUME")
    assert [str(c) for c in rows[0][1]] == ["error", "llm-weights-cache", "premium-nvme", ""]
    assert [str(c) for c in rows[1][1]] == ["info", "prometheus-db-0", "gp3", ""]
    again = fit.fit(FIT_COLUMNS, FIT_ROWS, FIT_PRIORITY, 50, wide=False)[1]
    assert again[0][1] is rows[0][1]  # the same cells: the same projected row (no new Text)
    assert fit.fit(FIT_COLUMNS, FIT_ROWS, FIT_PRIORITY, 50, wide=True)[0] == FIT_COLUMNS


def test_a_long_message_column_takes_the_room_left_over():
    fit = ColumnFit()
    message = "x" * 100
    rows = [("a", ("error", "code-name-1", message))]
    columns, out = fit.fit(("SEV", "CODE", "MESSAGE"), rows, ("SEV", "CODE", "MESSAGE"), 60, False)
    # first held to a third of 60 (20), then given the rest: 60 - (5 + 2) - (11 + 2) - 2
    assert columns == ("SEV", "CODE", "MESSAGE") and fit.hidden == ()
    assert len(str(out[0][1][2])) == 38 and str(out[0][1][2]).endswith("…")


def test_name_columns_are_cut_in_the_middle_so_pods_stay_apart():
    fit = ColumnFit(keep_ends=("NAME",))
    columns, rows = fit.fit(FIT_COLUMNS, FIT_ROWS, FIT_PRIORITY, 40, wide=False)
    assert str(rows[0][1][columns.index("NAME")]) == "llm-we…-cache"  # 13: a third of 40
    assert str(rows[0][1][columns.index("WORST")]) == "error"


def test_a_mark_after_a_column_name_keeps_its_rank():
    fit = ColumnFit()
    marked = ("WORST", "NAMESPACE", "NAME ▼", "CLASS", "VOLUME")
    columns, _ = fit.fit(marked, FIT_ROWS, FIT_PRIORITY, 50, wide=False)
    assert columns == ("WORST", "NAME ▼", "CLASS", "+2 w")


# --- a big state kept and swapped back whole (the filter cleared or widened again) -----------


def _state(table: ObjectTable) -> tuple:
    """Everything a user or DataTable's drawing sees of the rows."""
    return (
        keys(table),
        shown(table),
        table.selected_key(),
        table.cursor_row,
        [row.key.value for row in table.ordered_rows],
        [(k.value, y) for k, y in table._y_offsets],
    )


async def test_the_same_rows_list_again_swaps_the_kept_state_back(monkeypatch):
    monkeypatch.setattr(widgets, "STATE_MIN_ROWS", 5)
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(ObjectTable)
        full = rows(*(f"r{i:02d}" for i in range(40)))
        table.set_rows(COLUMNS, full)
        await pilot.pause()
        table.move_cursor(row=30)
        await pilot.pause()
        before = _state(table)
        values = table._data[RowKey("r07")]
        table.set_rows(COLUMNS, [r for r in full if r[0] in ("r05", "r30", "r31")])
        await pilot.pause()
        assert table.row_count == 3 and table.selected_key() == "r30"
        table.set_rows(COLUMNS, full)  # the filter cleared: the pane hands the same list
        assert table._data[RowKey("r07")] is values  # swapped back, not rebuilt
        await pilot.pause()
        assert _state(table) == before
        assert table.virtual_size.height == 40 + 1  # rows and the header
        # DataTable edits its own dicts in place (clear): the kept state stays whole.
        table.clear()
        table.set_rows(COLUMNS, full[:2])
        await pilot.pause()
        table.move_cursor(row=1)
        table.set_rows(COLUMNS, full)
        await pilot.pause()
        assert keys(table) == before[0] and shown(table) == before[1]
        assert table.selected_key() == "r01"


async def test_a_kept_state_is_not_swapped_back_after_the_columns_changed(monkeypatch):
    monkeypatch.setattr(widgets, "STATE_MIN_ROWS", 5)
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ObjectTable)
        full = rows(*(f"r{i:02d}" for i in range(10)))
        table.set_rows(COLUMNS, full)
        await pilot.pause()
        table.set_rows(("ONLY",), [(k, [k]) for k, _ in full[:3]])
        await pilot.pause()
        table.set_rows(COLUMNS, full)
        await pilot.pause()
        assert [c.label.plain for c in table.ordered_columns] == list(COLUMNS)
        assert shown(table) == [(f"r{i:02d}", "ok") for i in range(10)]


async def test_a_state_left_before_it_was_measured_is_not_kept(monkeypatch):
    monkeypatch.setattr(widgets, "STATE_MIN_ROWS", 2)
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ObjectTable)
        table.set_rows(COLUMNS, rows("a"))
        await pilot.pause()
        wide = [("a", [Text("a"), "ok"]), ("w", [Text("w"), "y" * 40]), ("z", [Text("z"), "ok"])]
        table.set_rows(COLUMNS, wide)
        table.set_rows(COLUMNS, wide[:1])  # before the table was idle: not measured, not kept
        assert not table._states
        await pilot.pause()
        table.set_rows(COLUMNS, wide)
        await pilot.pause()
        assert table.ordered_columns[1].content_width == 40
        assert keys(table) == ["a", "w", "z"]


async def test_the_list_on_display_again_changes_nothing():
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(ObjectTable)
        same = rows("a", "b")
        table.set_rows(COLUMNS, same)
        await pilot.pause()
        count = table._update_count
        table.set_rows(COLUMNS, same)
        assert table._update_count == count and keys(table) == ["a", "b"]
