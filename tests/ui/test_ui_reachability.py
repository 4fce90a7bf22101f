"""Pilot tests of the Reachability tab: the netpol-lockdown demo and small fixtures."""

from __future__ import annotations

import io
import re
import threading

import pytest
from rich.console import Console
from textual.widgets import Static

from mlview.analysis.reachability import query as netpol_query
from mlview.ui.app import MLViewApp
from mlview.ui.panes import reachability
from mlview.ui.panes.reachability import ReachabilityPane, parse_selector
from mlview.ui.panes.reachability.grid import MatrixGrid
from mlview.ui.screens import DetailScreen, HelpScreen
from tests.uitext import make_app, screen_text, settle
from tests.unit.test_netpol_builders import namespace, netpol, pod


def plain(app: MLViewApp, widget_id: str) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(app.query_one(widget_id, Static).content)
    return console.export_text()


async def open_tab(app: MLViewApp, pilot) -> MatrixGrid:
    await settle(app, pilot)
    await pilot.press("3")
    await settle(app, pilot)
    return app.query_one(MatrixGrid)


async def goto_row(grid: MatrixGrid, pilot, label_part: str) -> int:
    for i, e in enumerate(grid.grid.rows):
        if label_part in (e.pods[0].ref if e.member else e.label):
            grid.cursor = (i, grid.cursor[1])
            await pilot.pause()
            return i
    raise AssertionError(f"no row {label_part}")


async def test_model_store_question_fits_one_screen_with_reasons():
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await open_tab(app, pilot)
        assert app.focused is grid
        # focus mode: only the pods exposing TCP 9000, grouped into one column
        assert [c.label for c in grid.grid.cols] == ["ml-serving/model-store ×2"]
        assert "focus: destinations that expose TCP 9000" in plain(app, "#reach-bar")
        row = await goto_row(grid, pilot, "resnet-train-0")
        assert grid.grid.cell(row, 0) == "allowed"
        why = plain(app, "#reach-explain-text")
        assert (
            "ml-serving/trainer-to-store ingress[0], peer 0: all pods in namespaces team=ml" in why
        )
        assert "ml-training/allow-store-egress egress[0]" in why
        row = await goto_row(grid, pilot, "ml-training/data-loader")
        assert grid.grid.cell(row, 0) == "denied"
        why = plain(app, "#reach-explain-text")
        assert "EGRESS of the source: DENIES" in why and "no rule of these policies" in why
        # glyphs, not only colours, on screen
        text = screen_text(app)
        assert "✓" in text and "✗" in text and "H" in text


async def test_groups_collapse_when_members_agree_and_expand_on_demand():
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await open_tab(app, pilot)
        labels = [e.label for e in grid.grid.rows]
        # the trainers disagree (one is Pending, no IP): shown expanded, members below
        i = labels.index("ml-training/resnet-train ×3")
        assert grid.grid.rows[i].expanded and grid.grid.cell(i, 0) == "mixed"
        assert [e.member for e in grid.grid.rows[i + 1 : i + 4]] == [True] * 3
        assert grid.grid.cell(i + 3, 0) == "no-ip"
        # node-exporter pods agree (host network): one collapsed row
        j = labels.index("monitoring/node-exporter ×6")
        assert not grid.grid.rows[j].expanded and grid.grid.cell(j, 0) == "host-network"
        grid.cursor = (j, 0)
        await pilot.press("space")
        await settle(app, pilot)
        assert grid.grid.rows[grid.cursor[0]].expanded
        assert len(grid.grid.rows) == len(labels) + 6
        await pilot.press("space")
        await settle(app, pilot)
        assert len(grid.grid.rows) == len(labels)


async def test_focus_off_port_change_and_bad_port():
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await open_tab(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        assert len(grid.grid.cols) > 10
        await pilot.press("p")
        await pilot.press("ctrl+u", *"53/udp", "enter")
        await settle(app, pilot)
        pane = app.query_one(ReachabilityPane)
        assert (pane.port, pane.protocol) == (53, "UDP")
        assert plain(app, "#reach-bar").startswith(" UDP 53")
        assert app.focused is grid
        await pilot.press("p")
        await pilot.press("ctrl+u", *"http", "enter")
        await pilot.pause()
        assert "port 'http' is not a number" in plain(app, "#reach-bar")
        assert (pane.port, pane.protocol) == (53, "UDP")
        await pilot.press("escape")
        assert app.focused is grid


async def test_focus_selector_and_enter_opens_the_deciding_policy():
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await open_tab(app, pilot)
        await pilot.press("s")
        await pilot.press(*"app=data-loader", "enter")
        await settle(app, pilot)
        assert [c.label for c in grid.grid.cols] == ["ml-training/data-loader ×2"]
        await goto_row(grid, pilot, "ml-training/notebook")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        # denied on both sides; the policy isolating the denying ingress side is shown
        assert "default-deny-all" in screen_text(app)


async def test_namespace_narrows_destinations_and_policies_filter_narrows_sources():
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await open_tab(app, pilot)
        await pilot.press("f")
        app.narrow("ml-training")
        await settle(app, pilot)
        assert {c.group.namespace for c in grid.grid.cols} == {"ml-training"}
        assert len(grid.grid.rows) > 10  # sources from every namespace
        policies = plain(app, "#reach-policies-text")
        assert "ml-training/default-deny-all" in policies and "ml-serving/" not in policies
        app.narrow("ml-training", "grafana")
        await settle(app, pilot)
        assert [r.label for r in grid.grid.rows] == ["monitoring/grafana-kx6bjxhcpx-x6k7q"]


def big_cluster(n: int):
    """n pods, each its own class (a selector names every pod), one policy per 10 pods."""
    objs = [namespace("big")]
    for i in range(n):
        objs.append(pod("big", f"p{i:04}", {"id": f"i{i}"}, ports=[("s3", 9000)]))
    for i in range(0, n, 10):
        objs.append(
            netpol(
                "big",
                f"np{i}",
                {
                    "podSelector": {"matchLabels": {"id": f"i{i}"}},
                    "ingress": [{"from": [{"podSelector": {"matchLabels": {"id": f"i{i + 1}"}}}]}],
                },
            )
        )
    return objs


async def test_large_matrix_draws_only_visible_cells():
    app = make_app(big_cluster(400))
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await open_tab(app, pilot)
        await pilot.press("f")  # every pod exposes 9000 anyway; all 400 x 400
        await settle(app, pilot)
        assert len(grid.grid.rows) == len(grid.grid.cols) == 400
        visible = grid.scrollable_content_region
        assert grid.grid.cells_computed <= visible.height * (visible.width // grid.col_w + 2)
        await pilot.press("pagedown", "pagedown", "end")
        await pilot.pause()
        assert grid.cursor[0] == 399
        assert grid.scroll_y >= 399 - visible.height
        assert grid.grid.cells_computed < 400 * 40  # still a sliver of the 160,000 cells
        # p0010 only accepts p0011
        row = await goto_row(grid, pilot, "big/p0011")
        col = next(i for i, c in enumerate(grid.grid.cols) if c.label == "big/p0010")
        assert grid.grid.cell(row, col) == "allowed"
        assert grid.grid.cell(row - 2, col) == "denied"


async def test_cluster_text_is_shown_literally():
    objs = [
        namespace("ns"),
        pod("ns", "[bold]evil[/bold]", {"app": "x"}, ports=[("s3", 9000)]),
        pod("ns", "other", {}),
    ]
    app = make_app(objs)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_tab(app, pilot)
        assert "ns/[bold]evil[/bold]" in screen_text(app)


async def test_empty_cluster_says_so():
    app = make_app([namespace("ns")])
    async with app.run_test(size=(120, 40)) as pilot:
        await open_tab(app, pilot)
        assert "no pods to show" in screen_text(app)
        assert "No NetworkPolicy in scope" in plain(app, "#reach-policies-text")


def test_parse_selector():
    assert parse_selector("app=x, tier!=dev,gpu,!legacy") == {
        "matchLabels": {"app": "x"},
        "matchExpressions": [
            {"key": "tier", "operator": "NotIn", "values": ["dev"]},
            {"key": "gpu", "operator": "Exists"},
            {"key": "legacy", "operator": "DoesNotExist"},
        ],
    }


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("app in (a,b", "unclosed '('"),
        ("app in (a)", None),  # valid set syntax
        ("tier in ()", "needs at least one value"),
        ("role model-store", "no spaces"),
    ],
)
def test_parse_selector_says_what_is_wrong(text, says):
    if says is None:
        assert parse_selector(text)["matchExpressions"][0]["operator"] == "In"
    else:
        with pytest.raises(ValueError, match=re.escape(says)):
            parse_selector(text)


async def test_an_invalid_focus_selector_is_refused_with_the_reason():
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(160, 45)) as pilot:
        await open_tab(app, pilot)
        pane = app.query_one(ReachabilityPane)
        await pilot.press("s")
        box = app.query_one("#reach-selector")
        box.value = "app in (a,b"
        await pilot.press("enter")
        await pilot.pause()
        bar = plain(app, "#reach-bar")
        assert "focus selector: unclosed '('" in bar
        assert box.display and pane.selector_text != "app in (a,b"  # kept open, not applied
        box.value = "app in (inference-server)"
        await pilot.press("enter")
        await settle(app, pilot)
        assert pane.selector_text == "app in (inference-server)" and not box.display


# ---- the matrix is computed in a worker thread ---------------------------------------------


@pytest.fixture
def gate(monkeypatch):
    """Hold the worker's computation for TCP 9000 until the test opens the gate, so "while it
    computes" does not depend on the machine's speed. Other queries run at once."""
    opened = threading.Event()

    def held(view, q):
        if (q.port, q.protocol) == (9000, "TCP"):
            assert opened.wait(30), "the test never opened the gate"
        return netpol_query.answer(view, q)

    monkeypatch.setattr(reachability, "answer", held)
    yield opened
    opened.set()  # never leave a worker thread waiting


async def test_keys_are_answered_while_a_large_matrix_computes(gate):
    app = make_app(big_cluster(3000))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        grid = app.query_one(MatrixGrid)
        assert grid.grid is None
        assert "computing reachability for TCP 9000…" in screen_text(app)  # never a blank
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)  # answered before the matrix is there
        assert grid.grid is None
        gate.set()
        await settle(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert len(grid.grid.rows) == len(grid.grid.cols) == 3000
        text = screen_text(app)
        assert "computing" not in text and "big/p0000" in text and "✗" in text


async def test_an_answer_overtaken_by_a_newer_question_is_not_shown(gate):
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")  # TCP 9000: held
        await pilot.press("p")
        await pilot.press("ctrl+u", *"53/udp", "enter")
        await pilot.pause()
        grid = app.query_one(MatrixGrid)
        assert grid.grid is not None  # UDP 53 came first
        shown = grid.grid
        gate.set()  # now the TCP 9000 answer arrives, late
        await settle(app, pilot)
        assert grid.grid is shown
        assert plain(app, "#reach-bar").startswith(" UDP 53")
        assert "computing" not in plain(app, "#reach-bar")
        # it was kept, though: asking for TCP 9000 again shows it at once, no worker
        await pilot.press("p")
        await pilot.press("ctrl+u", *"9000", "enter")
        assert plain(app, "#reach-bar").startswith(" TCP 9000")
        assert [c.label for c in grid.grid.cols] == ["ml-serving/model-store ×2"]


async def test_the_previous_matrix_stays_dimmed_while_a_new_question_computes(gate):
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")  # TCP 9000: held
        await pilot.press("p")
        await pilot.press("ctrl+u", *"53/udp", "enter")
        await pilot.pause()
        grid = app.query_one(MatrixGrid)
        udp = grid.grid
        await pilot.press("p")
        await pilot.press("ctrl+u", *"9000", "enter")  # held again
        await pilot.pause()
        assert grid.grid is udp and grid.has_class("-computing")
        bar = plain(app, "#reach-bar")
        assert bar.startswith(" UDP 53  computing reachability for TCP 9000…")
        await pilot.press("down")  # the shown matrix still answers keys
        assert grid.cursor[0] == 1
        gate.set()
        await settle(app, pilot)
        assert grid.grid is not udp and not grid.has_class("-computing")
        assert plain(app, "#reach-bar").startswith(" TCP 9000   focus")


async def test_going_back_to_a_question_costs_nothing():
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await open_tab(app, pilot)
        focused = grid.grid
        await pilot.press("f")
        await settle(app, pilot)
        assert grid.grid is not focused
        await pilot.press("1", "3", "f")
        assert grid.grid is focused  # the cached answer, shown without a worker
        assert "computing" not in plain(app, "#reach-bar")


async def test_a_store_update_keeps_the_cursor_on_the_same_cell(gate):
    gate.set()
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await open_tab(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        row = await goto_row(grid, pilot, "ml-training/data-loader")
        await pilot.press("right", "right")
        keys, before = grid.cursor_keys(), grid.grid
        version = app.store.version
        gate.clear()
        app.store.put_many([namespace("brand-new")])  # a new version; same question
        app.apply_store_now()
        pane = app.query_one(ReachabilityPane)
        for _ in range(200):  # the app analyses the new version, then asks us
            if pane.asked_version > version:
                break
            await pilot.pause()
        assert pane.asked_version > version
        # the same question on newer data: refreshed quietly, no "computing", no dimming
        assert "computing" not in plain(app, "#reach-bar")
        assert not grid.has_class("-computing") and grid.grid is before
        gate.set()
        await settle(app, pilot)
        assert pane.shown.view.version > version and grid.grid is not before
        assert grid.cursor_keys() == keys and grid.cursor[0] == row


async def test_a_failing_computation_is_a_line_not_a_traceback(monkeypatch):
    def broken(view, q):
        raise RuntimeError("boom")

    monkeypatch.setattr(reachability, "answer", broken)
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_tab(app, pilot)
        assert "reachability for TCP 9000 failed: RuntimeError: boom" in screen_text(app)
        await pilot.press("question_mark")  # the app still answers
        assert isinstance(app.screen, HelpScreen)


def test_answer_narrows_rows_and_columns_and_notes_an_empty_focus():
    from mlview.store import StoreView

    view = StoreView.from_objects(
        [
            namespace("a"),
            namespace("b"),
            pod("a", "store", {"app": "store"}, ports=[("s3", 9000)]),
            pod("a", "client", {"app": "client"}),
            pod("b", "other", {"app": "other"}, ports=[("s3", 9000)]),
        ]
    )
    q = netpol_query.ReachQuery()
    cols = lambda r: [e.label for e in r.grid.cols]  # noqa: E731
    assert cols(netpol_query.answer(view, q)) == ["a/store", "b/other"]
    r = netpol_query.answer(view, netpol_query.ReachQuery(namespace="a", filter_text="cli"))
    assert cols(r) == ["a/store"] and [e.label for e in r.grid.rows] == ["a/client"]
    r = netpol_query.answer(view, netpol_query.ReachQuery(selector="app=client"))
    assert cols(r) == ["a/client"] and r.note == ""
    r = netpol_query.answer(view, netpol_query.ReachQuery(port=8080))
    assert len(r.grid.cols) == 3
    assert r.note == "no pod exposes TCP 8080: showing every destination"


async def test_enter_on_a_cell_denied_by_both_sides_offers_each_policy():
    from textual.widgets import OptionList

    from mlview.ui.panes.reachability.choice import PolicyChoiceScreen

    app = make_app("netpol-lockdown")
    async with app.run_test(size=(160, 45)) as pilot:
        grid = await open_tab(app, pilot)
        await pilot.press("s")
        await pilot.press(*"app=inference-server", "enter")
        await settle(app, pilot)
        await goto_row(grid, pilot, "ml-training/notebook")
        assert "Both sides deny" in plain(app, "#reach-explain-text")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PolicyChoiceScreen)
        text = screen_text(app)
        assert "egress of ml-training/notebook" in text and "ml-training/default-deny-all" in text
        assert "ingress of ml-serving/" in text
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids[0] == "ml-training/default-deny-all" and "ml-serving/default-deny" in ids
        options.highlighted = ids.index("ml-serving/default-deny")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert "NetworkPolicy ml-serving/default-deny" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, (DetailScreen, PolicyChoiceScreen))
