"""mlview --baseline OLD: rows marked added/changed/removed, flipped reachability cells with
their cause, new/resolved findings, the Changes view, and marks that follow a live store."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.widgets import Static

from mlview.store import Store
from mlview.ui.app import MLViewApp
from mlview.ui.panes.reachability.grid import MatrixGrid
from mlview.ui.widgets import ObjectTable, column_name
from tests.storage_fixtures import pvc, sc
from tests.uitext import make_app, screen_text, settle
from tests.unit.test_netpol_builders import namespace, netpol, pod


def store_of(*objs: dict[str, Any], label: str = "") -> Store:
    from mlview.store import SourceInfo

    store = Store(SourceInfo(label=label))
    store.put_many(list(objs))
    store.mark_listed({o["kind"] for o in objs} | {"Pod", "NetworkPolicy"})
    return store


def plain(content: Any) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


async def compared(app: MLViewApp, pilot) -> None:
    """Until the comparison of the store's latest version is on screen."""
    for _ in range(100):
        await settle(app, pilot)
        ch = app.changes
        if ch is not None and ch.version == app.store.version and not app._comparing:
            await settle(app, pilot)
            return
        await pilot.pause(0.05)
    raise AssertionError("the comparison with the baseline never arrived")


def marks(table: ObjectTable) -> dict[str, str]:
    """Row key -> its mark column (the first) as plain text."""
    out = {}
    for row_key in table.rows:
        cell = table.get_row(row_key)[0]
        out[row_key.value] = str(getattr(cell, "plain", cell))
    return out


# ---- storage: added, changed, removed rows --------------------------------------------------

OLD_STORAGE = (
    sc("fast"),
    sc("slow"),
    pvc("keep", "fast"),
    pvc("moved", "fast"),
    pvc("dropped", "fast"),
)
NEW_STORAGE = (
    sc("fast"),
    sc("slow"),
    pvc("keep", "fast"),
    pvc("moved", "slow"),  # its class changed
    pvc("fresh", "fast"),
)


async def test_claims_marked_added_changed_and_removed_with_a_legend():
    app = make_app(store_of(*NEW_STORAGE), baseline=store_of(*OLD_STORAGE, label="before.yaml"))
    async with app.run_test(size=(160, 40)) as pilot:
        await compared(app, pilot)
        table = app.query_one("#storage-claims", ObjectTable)
        assert marks(table) == {
            "ml/fresh": "+",
            "ml/keep": "",
            "ml/moved": "~",
            "removed:ml/dropped": "-",
        }
        removed = table.get_row("removed:ml/dropped")[2]
        assert "strike" in str(removed.spans[0].style if removed.spans else removed.style)
        text = screen_text(app)
        assert "vs baseline" in text and "before.yaml" in text
        assert "+ added  ~ changed  - removed" in text
        # the removed row's detail says so instead of the chain of a claim that is not there
        table.move_cursor(row=table.get_row_index("removed:ml/dropped"))
        await pilot.pause()
        assert "Removed since the baseline" in screen_text(app)


async def test_without_baseline_no_mark_column_nor_legend():
    app = make_app(store_of(*NEW_STORAGE))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        table = app.query_one("#storage-claims", ObjectTable)
        assert [column_name(c.label) for c in table.ordered_columns][0] == "WORST"
        assert "vs baseline" not in screen_text(app)
        assert app.changes is None


# ---- the store changes: the marks follow ----------------------------------------------------


async def test_marks_follow_a_store_that_changes():
    base = (sc("fast"), pvc("keep", "fast"))
    live = store_of(*base)
    app = make_app(live, baseline=store_of(*base))
    async with app.run_test(size=(160, 40)) as pilot:
        await compared(app, pilot)
        table = app.query_one("#storage-claims", ObjectTable)
        assert marks(table) == {"ml/keep": ""}
        live.put(pvc("later", "fast"))  # as a watch event would
        app.apply_store_now()
        await compared(app, pilot)
        assert marks(table) == {"ml/keep": "", "ml/later": "+"}
        live.delete("PersistentVolumeClaim", "ml", "keep")
        app.apply_store_now()
        await compared(app, pilot)
        assert marks(table) == {"ml/later": "+", "removed:ml/keep": "-"}


# ---- reachability: the flipped cell and its cause --------------------------------------------

SERVING = (
    namespace("web"),
    namespace("data"),
    pod("web", "frontend", {"app": "frontend"}),
    pod("data", "store", {"app": "store"}, ports=[("s3", 9000)]),
)
DENY_STORE = netpol(
    "data", "deny-store", {"podSelector": {"matchLabels": {"app": "store"}}, "ingress": []}
)


async def test_flipped_cell_marked_and_explained_by_the_policy_added():
    app = make_app(store_of(*SERVING, DENY_STORE), baseline=store_of(*SERVING))
    async with app.run_test(size=(160, 40)) as pilot:
        await compared(app, pilot)
        await pilot.press("3")
        await compared(app, pilot)
        grid = app.query_one(MatrixGrid)
        rows = [e.label for e in grid.grid.rows]
        r = next(i for i, label in enumerate(rows) if "frontend" in label)
        assert set(grid.flipped) == {(r, 0)}  # web/frontend -> data/store on 9000
        grid.cursor = (r, 0)
        await settle(app, pilot)
        why = plain(app.query_one("#reach-explain-text", Static).content)
        assert "Changed since the baseline" in why
        assert "was allowed, now denied" in why
        assert "NetworkPolicy data/deny-store added" in why
        assert "✗•" in screen_text(app)  # the mark after the verdict's glyph


# ---- findings: new / resolved / unchanged ----------------------------------------------------


async def test_findings_marked_new_and_resolved_and_b_cycles_what_is_shown():
    app = make_app("incident-504", baseline="ml-platform")
    async with app.run_test(size=(160, 40)) as pilot:
        await compared(app, pilot)
        await pilot.press("4")
        await compared(app, pilot)
        table = app.query_one("#findings-table", ObjectTable)
        shown = marks(table)
        assert "+" in shown.values() and "-" in shown.values() and "" in shown.values()
        assert screen_text(app).count("(b: all)") == 1
        await pilot.press("b")
        assert set(marks(table).values()) == {"+"}
        assert "(b: new)" in screen_text(app)
        await pilot.press("b")
        assert set(marks(table).values()) == {"-"}
        await pilot.press("b")
        assert set(marks(table).values()) == {""}
        await pilot.press("b")
        assert marks(table) == shown


# ---- the Changes view -----------------------------------------------------------------------


async def test_changes_view_lists_the_sections_worst_first():
    app = make_app("incident-504", baseline="ml-platform")
    async with app.run_test(size=(160, 48)) as pilot:
        await compared(app, pilot)
        await pilot.press("D")
        await pilot.pause()
        from mlview.ui.changes_screen import ChangesScreen

        assert isinstance(app.screen, ChangesScreen)
        text = plain(app.screen.query_one("#changes-text", Static).content)
        heads = [h for h in ("Findings", "Reachability", "Routes", "Storage", "Objects")]
        at = [text.find(f"\n{h}") for h in heads]
        assert all(i >= 0 for i in at), text[:2000]
        assert at == sorted(at)  # worst first: findings, then reachability, ...
        await pilot.press("escape")
        assert not isinstance(app.screen, ChangesScreen)


async def test_changes_key_without_baseline_says_how():
    app = make_app("ml-platform")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("D")
        await pilot.pause()
        assert [n.message for n in app._notifications][-1].startswith("No baseline")


async def test_help_lists_the_baseline_keys():
    app = make_app("ml-platform")
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = plain(app.screen.query_one(Static).content)
        assert "Changes since baseline" in text
        assert "New/resolved/unchanged" in text
        assert "(with --baseline)" in text


# ---- the demo upgrade pair: the story across tabs ---------------------------------------------


async def test_upgrade_pair_flips_on_8080_named_in_the_legend_and_marked_on_that_port():
    app = make_app("after-upgrade", baseline="before-upgrade")
    async with app.run_test(size=(160, 48)) as pilot:
        await compared(app, pilot)
        await pilot.press("3")
        await compared(app, pilot)
        assert "on TCP 8080" in screen_text(app)  # the legend says where the flips are
        grid = app.query_one(MatrixGrid)
        assert grid.flipped == {}  # TCP 9000: nothing flipped there
        await pilot.press("p")
        await pilot.press("ctrl+u", *"8080", "enter")
        await compared(app, pilot)
        assert grid.flipped
        (r, c), _ = next(iter(grid.flipped.items()))
        grid.cursor = (r, c)
        await settle(app, pilot)
        why = plain(app.query_one("#reach-explain-text", Static).content)
        assert "was allowed, now denied" in why
        assert "NetworkPolicy ml-serving/allow-ingress-nginx edited" in why


async def test_a_port_outside_the_comparison_is_compared_on_demand():
    app = make_app(store_of(*SERVING, DENY_STORE), baseline=store_of(*SERVING))
    async with app.run_test(size=(160, 40)) as pilot:
        await compared(app, pilot)
        assert not app.changes.compared(7777, "TCP")
        await pilot.press("3")
        await compared(app, pilot)
        await pilot.press("f")  # every destination: 7777 is exposed by none
        await pilot.press("p")
        await pilot.press("ctrl+u", *"7777", "enter")
        await compared(app, pilot)
        assert app.changes.compared(7777, "TCP")
        assert app.query_one(MatrixGrid).flipped  # the deny flips every port


async def test_palette_offers_the_changes_view_only_with_a_baseline():
    with_base = make_app(store_of(*SERVING), baseline=store_of(*SERVING))
    without = make_app(store_of(*SERVING))
    for app, offered in ((with_base, True), (without, False)):
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert ("Changes since baseline (D)" in titles) is offered


async def test_removed_service_row_says_so_in_the_card():
    app = make_app("incident-504", baseline="ml-platform")
    async with app.run_test(size=(160, 48)) as pilot:
        await compared(app, pilot)
        await pilot.press("5")
        await compared(app, pilot)
        table = app.query_one("#services-table", ObjectTable)
        gone = [k for k in marks(table) if k.startswith("removed:")]
        assert gone  # resnet-train is not routed any more
        table.move_cursor(row=table.get_row_index(gone[0]))
        await pilot.pause()
        assert "Removed since the baseline" in screen_text(app)


async def test_storage_classes_view_marks_by_class_name():
    old = (sc("fast"), sc("slow"), pvc("keep", "fast"))
    new = (sc("fast", reclaim="Delete"), sc("gp3"), pvc("keep", "fast"))
    app = make_app(store_of(*new), baseline=store_of(*old))
    async with app.run_test(size=(160, 40)) as pilot:
        await compared(app, pilot)
        await pilot.press("v", "v")  # claims -> volumes -> classes
        await settle(app, pilot)
        table = app.query_one("#storage-classes", ObjectTable)
        assert marks(table) == {"fast": "~", "gp3": "+", "removed:slow": "-"}


async def test_after_a_slow_comparison_the_next_waits_its_turn():
    import time

    base = (sc("fast"), pvc("keep", "fast"))
    live = store_of(*base)
    app = make_app(live, baseline=store_of(*base))
    async with app.run_test(size=(160, 40)) as pilot:
        await compared(app, pilot)
        app._compare_due = time.monotonic() + 3.0  # as after a comparison of 1.5 s
        live.put(pvc("later", "fast"))
        app.apply_store_now()
        await settle(app, pilot)
        assert app.changes.version != live.version  # not compared yet: a timer will
        assert app._compare_timer is not None and not app._comparing
        await compared(app, pilot)  # the timer fires: the marks catch up
        table = app.query_one("#storage-claims", ObjectTable)
        assert marks(table) == {"ml/keep": "", "ml/later": "+"}


async def test_the_mark_column_stays_on_every_table_at_80x24():
    """On a narrow terminal the tables keep their most important columns: with a baseline
    the Δ column comes first, on every tab (it was dropped by the fit where a pane's priority
    did not name it)."""
    app = make_app("after-upgrade", baseline="before-upgrade")
    async with app.run_test(size=(80, 24)) as pilot:
        await compared(app, pilot)
        for key, table_id in (
            ("1", "#storage-claims"),
            ("2", "#ingress-routes"),
            ("4", "#findings-table"),
            ("5", "#services-table"),
        ):
            await pilot.press(key)
            await compared(app, pilot)
            table = app.query_one(table_id, ObjectTable)
            labels = [column_name(c.label) for c in table.ordered_columns]
            assert labels[0] == "Δ", (table_id, labels)
            assert table.hidden_columns, table_id  # narrow indeed: something was left out
