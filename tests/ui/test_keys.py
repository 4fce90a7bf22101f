"""k9s habits (issue 15): j/k/g/G/ctrl+d/ctrl+u, `:` command mode, esc backing out one level,
type-ahead in the namespace picker, sorts marked in the header, the palette's tab actions and a
help screen that lists every key."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import OptionList, Static

from mlview.analysis.findings import worst
from mlview.analysis.ingress import route_findings
from mlview.ui import command_mode
from mlview.ui.command_mode import Command, CommandError, complete, parse
from mlview.ui.panes.reachability.grid import MatrixGrid
from mlview.ui.screens import HelpScreen, NamespaceScreen, narrowed
from mlview.ui.tabs import TABS
from mlview.ui.widgets import SORT_MARK, ObjectTable
from tests.uitext import make_app, notifications, screen_text, settle


async def open_tab(app, pilot, key: str) -> None:
    await settle(app, pilot)
    await pilot.press(key)
    await settle(app, pilot)


def focused_table(app) -> ObjectTable:
    assert isinstance(app.focused, ObjectTable), app.focused
    return app.focused


# ---- moving -----------------------------------------------------------------------------


async def test_j_k_g_G_and_half_pages_move_the_table_cursor():
    app = make_app("ml-platform")
    async with app.run_test(size=(120, 30)) as pilot:
        await open_tab(app, pilot, "4")  # 12 findings
        table = focused_table(app)
        n = table.row_count
        assert n > 6
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert table.cursor_row == n - 1
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("ctrl+d")
        half = max(1, (table.scrollable_content_region.height - table.header_height) // 2)
        assert table.cursor_row == min(half, n - 1) and table.cursor_row > 1
        await pilot.press("ctrl+u")
        assert table.cursor_row == 0
        await pilot.press("k")  # at the top it stays there
        assert table.cursor_row == 0


async def test_the_same_keys_move_the_reachability_matrix():
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(160, 45)) as pilot:
        await open_tab(app, pilot, "3")
        await pilot.press("f")  # every destination, not only the port's: several columns
        await settle(app, pilot)
        grid = app.query_one(MatrixGrid)
        assert app.focused is grid and len(grid.grid.cols) > 1
        rows = len(grid.grid.rows)
        assert rows > 3
        await pilot.press("j", "j")
        assert grid.cursor[0] == 2
        await pilot.press("k")
        assert grid.cursor[0] == 1
        await pilot.press("G")
        assert grid.cursor[0] == rows - 1
        await pilot.press("g")
        assert grid.cursor[0] == 0
        grid.cursor = (0, 0)
        await pilot.press("l")
        assert grid.cursor[1] == 1
        await pilot.press("h")
        assert grid.cursor[1] == 0
        await pilot.press("ctrl+d")
        down = grid.cursor[0]
        assert 0 < down <= rows - 1
        await pilot.press("ctrl+u")
        assert grid.cursor[0] == 0


# ---- command mode ---------------------------------------------------------------------------


def test_commands_parse_aliases_and_arguments():
    assert parse(":pv")[0].action == "show_kind('storage', 'volumes')"
    assert parse("persistentvolumeclaims")[0].name == "pvc"
    assert parse("ns ml-serving") == (command_mode.BY_NAME["ns"], "ml-serving")
    try:
        parse("pvx")
    except CommandError as exc:
        assert "unknown command :pvx" in str(exc) and "did you mean :pv" in str(exc)
    else:
        raise AssertionError("pvx parsed")
    try:
        parse("pv extra")
    except CommandError as exc:
        assert "takes no argument" in str(exc)
    else:
        raise AssertionError("pv took an argument")
    # every alias names one command only
    names = [n for c in command_mode.COMMANDS for n in c.names]
    assert len(names) == len(set(names))


def test_completion_completes_names_then_arguments():
    def args(what: str) -> list[str]:
        return {"namespace": ["ml-serving", "ml-training"], "context": ["prod"]}[what]

    assert complete("pv", args) == "pvc"  # the table's order: pvc before pvs
    assert complete("ne", args) == "netpol"
    assert complete("ns ml-t", args) == "ns ml-training"
    assert complete("ctx p", args) == "ctx prod"
    assert complete("zz", args) is None
    assert complete("pv x", args) is None


async def test_colon_pv_lands_on_the_storage_volumes_view():
    app = make_app("incident-pending-pvc")
    async with app.run_test(size=(140, 40)) as pilot:
        await open_tab(app, pilot, "2")
        await pilot.press("colon")
        await pilot.pause()
        prompt = app.query_one("#command-input")
        bar = app.query_one("#command-bar")
        assert bar.display and prompt.has_focus
        await pilot.press("p", "v", "enter")
        await settle(app, pilot)
        assert app.query_one("#tabs").active == "storage"
        pane = app.current_pane()
        assert pane.view_name == "volumes"
        assert app.focused is app.query_one("#storage-pvs")
        assert not bar.display
        assert "showing volumes" in screen_text(app)


async def test_colon_httproute_and_ing_switch_the_ingress_views():
    app = make_app("ml-gateway")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await app.run_command("ing")
        await settle(app, pilot)
        assert app.query_one("#ingress-routes").display
        await app.run_command("httproute")
        await settle(app, pilot)
        assert app.query_one("#gateway-routes").display
        assert not app.query_one("#ingress-routes").display


async def test_an_unknown_command_is_one_line_not_a_traceback():
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        seen = notifications(app)
        await pilot.press("colon", "n", "o", "p", "e", "enter")
        await settle(app, pilot)
        assert len(seen) == 1 and seen[0].startswith("unknown command :nope")
        assert "\n" not in seen[0]
        assert not app.query_one("#command-bar").display
        assert app.return_code is None  # still running


async def test_a_command_whose_action_is_missing_says_so(monkeypatch):
    """The events and pod views come from another branch: until their actions exist, the
    command fails soft."""
    missing = Command(("later",), "A view built elsewhere", "show_something_later")
    monkeypatch.setitem(command_mode.BY_NAME, "later", missing)
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        seen = notifications(app)
        assert await app.run_command("later") is False
        assert seen == [":later: not available in this version"]


async def test_colon_ns_narrows_and_ns_all_widens(small_snapshot):
    app = make_app(small_snapshot)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        seen = notifications(app)
        await app.run_command("ns ml-serving")
        await settle(app, pilot)
        assert app.namespace == "ml-serving"
        await app.run_command("ns nowhere")
        assert app.namespace == "ml-serving" and "no namespace 'nowhere'" in seen[-1]
        await app.run_command("ns all")
        assert app.namespace is None


async def test_colon_ctx_offline_says_it_is_not_live():
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        seen = notifications(app)
        await app.run_command("ctx prod")
        assert seen and seen[-1].startswith("not live (demo)")


async def test_colon_q_quits():
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("colon", "q", "enter")
        await pilot.pause()
    assert app.return_code == 0


# ---- esc ------------------------------------------------------------------------------------


async def test_esc_backs_out_one_level_at_a_time():
    app = make_app("incident-pending-pvc")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        pane = app.current_pane()
        await app.run_command("pv")
        await settle(app, pilot)
        await pilot.press("slash", "r", "e", "t", "enter")  # "Retain" volumes
        await settle(app, pilot)
        assert app.filter_text == "ret" and pane.view_name == "volumes"
        await pilot.press("colon")  # the prompt, then esc: only the prompt closes
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not app.query_one("#command-bar").display
        assert app.filter_text == "ret" and pane.view_name == "volumes"
        await pilot.press("escape")  # the filter
        await settle(app, pilot)
        assert app.filter_text == "" and pane.view_name == "volumes"
        await pilot.press("escape")  # the view: back to the claims
        await settle(app, pilot)
        assert pane.view_name == "claims"
        assert app.focused is app.query_one("#storage-claims")
        await pilot.press("escape")  # nothing left: nothing happens
        await settle(app, pilot)
        assert pane.view_name == "claims" and app.query_one("#tabs").active == "storage"


async def test_esc_closes_the_ingress_url_box_before_clearing_the_filter():
    app = make_app("incident-504")
    async with app.run_test(size=(140, 40)) as pilot:
        await open_tab(app, pilot, "2")
        app.narrow(None, "api")
        await settle(app, pilot)
        await pilot.press("u")
        await pilot.pause()
        box = app.query_one("#ingress-url")
        assert box.display
        await pilot.press("escape")
        await pilot.pause()
        assert not box.display and app.filter_text == "api"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.filter_text == ""


async def test_esc_from_gateway_routes_goes_back_to_ingress_routes_only_when_there_are_some():
    app = make_app("ml-platform")  # Ingress routes, no Gateway API routes
    async with app.run_test(size=(140, 40)) as pilot:
        await open_tab(app, pilot, "2")
        await pilot.press("v")
        await settle(app, pilot)
        assert app.query_one("#gateway-routes").display
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.query_one("#ingress-routes").display
    app = make_app("ml-gateway")  # Gateway API routes only: esc has nowhere to go
    async with app.run_test(size=(140, 40)) as pilot:
        await open_tab(app, pilot, "2")
        assert app.query_one("#gateway-routes").display
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.query_one("#gateway-routes").display


# ---- namespace picker -----------------------------------------------------------------------


def test_narrowed_puts_prefix_matches_first():
    items = ["kube-system", "ml-serving", "ml-training", "monitoring"]
    assert narrowed(items, "ml-t") == ["ml-training"]
    assert narrowed(items, "tr") == ["ml-training"]
    assert narrowed(items, "m") == ["ml-serving", "ml-training", "monitoring", "kube-system"]
    assert narrowed(items, "") == items


async def test_namespace_picker_type_ahead_and_no_wrap_around(small_snapshot):
    app = make_app(small_snapshot)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NamespaceScreen)
        options = app.screen.query_one(OptionList)
        assert options.highlighted == 0  # "(all namespaces)"
        await pilot.press("up")  # at the top: stays, no jump to the last namespace
        assert options.highlighted == 0
        await pilot.press("end")  # the input's end; then down to the last and past it
        for _ in range(options.option_count + 2):
            await pilot.press("down")
        assert options.highlighted == options.option_count - 1
        await pilot.press(*"train")
        await pilot.pause()
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["ml-training"] and options.highlighted == 0
        await pilot.press("escape")  # clears what was typed first
        await pilot.pause()
        assert isinstance(app.screen, NamespaceScreen) and options.option_count == 3
        await pilot.press(*"serv", "enter")
        await settle(app, pilot)
        assert app.namespace == "ml-serving"


# ---- sorting --------------------------------------------------------------------------------


async def test_ingress_routes_are_worst_first_and_s_sorts_by_host_with_the_header_marked():
    app = make_app("incident-504")
    async with app.run_test(size=(160, 45)) as pilot:
        await open_tab(app, pilot, "2")
        table = app.query_one("#ingress-routes", ObjectTable)
        per_route = route_findings(app.current_pane()._ctx.view)
        ranks = []
        for key in table._shown:
            sev = worst(per_route.get(key, []))
            ranks.append(sev.rank if sev else 0)
        assert ranks == sorted(ranks, reverse=True) and ranks[0] == 3 and 0 in ranks
        labels = [str(c.label) for c in table.ordered_columns]
        assert labels[0] == "WORST" + SORT_MARK and "HOST" in labels
        await pilot.press("s")
        await pilot.pause()
        labels = [str(c.label) for c in table.ordered_columns]
        assert "HOST" + SORT_MARK in labels and "WORST" in labels
        assert "sort (host)" in screen_text(app)


async def test_every_sortable_table_marks_its_sorted_column():
    app = make_app("incident-504")
    async with app.run_test(size=(160, 45)) as pilot:
        for key, table_id, first in (
            ("1", "#storage-claims", "WORST"),
            ("4", "#findings-table", "SEVERITY"),
            ("5", "#services-table", "WORST"),
        ):
            await open_tab(app, pilot, key)
            table = app.query_one(table_id, ObjectTable)
            labels = [str(c.label) for c in table.ordered_columns]
            assert labels[0] == first + SORT_MARK, (key, labels)
            await pilot.press("s")
            await settle(app, pilot)
            labels = [str(c.label) for c in table.ordered_columns]
            assert labels[0] == first and sum(SORT_MARK in x for x in labels) == 1, labels


# ---- palette and help -----------------------------------------------------------------------


async def test_the_palette_finds_port_on_the_reachability_tab_and_runs_it():
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(140, 40)) as pilot:
        await open_tab(app, pilot, "3")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"port")
        await pilot.pause(0.5)
        hits = app.screen.query_one("CommandList", OptionList)
        prompts = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert any("Reachability: Port (p)" in p for p in prompts), prompts
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.query_one("#reach-port").display  # the port box opened


async def test_the_palette_lists_every_action_of_the_current_tab_with_its_key():
    app = make_app("incident-504")
    async with app.run_test(size=(140, 40)) as pilot:
        await open_tab(app, pilot, "2")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for b in app.current_pane().BINDINGS:
            key = app.get_key_display(b)
            assert f"Ingress: {b.description} ({key})" in titles, titles
        assert "Go to Storage tab: volumes (:pv)" in titles


async def test_help_lists_every_key_per_tab():
    app = make_app("incident-504")
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one(Static).render())
        for expected in ("j / k", "g / G", "ctrl+d / ctrl+u", ":pv", ":ns", ":ctx", ":q", "esc"):
            assert expected in text, expected
        for b in app.BINDINGS:
            if b.description:
                assert b.description in text
        for tab in TABS:
            assert f"{tab.title} tab" in text
            for b in tab.pane_class().BINDINGS:
                if b.description:
                    assert b.description in text, (tab.title, b.description)
        assert "Ingress/Gateway API" in text
        rows = dict(r for r in app.help_rows() if r[0])
        assert any(k == "v" and w == "Ingress/Gateway API" for k, w in app.help_rows())
        assert rows[":pv :pvs"] == "Storage tab: volumes"
        assert rows[":ns :namespace NAME"].startswith("One namespace")


async def test_colon_pod_completes_pod_names_of_the_namespace_shown():
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        every = app._command_arguments("pod")
        assert "ml-serving/llm-generate-pc4bsmk8wk-zqbt8" in every  # all namespaces: ns/name
        # the first in order of the two llm-generate pods
        assert complete("pod ml-serving/llm-gen", app._command_arguments) == (
            "pod ml-serving/llm-generate-pc4bsmk8wk-g8hfc"
        )
        app.namespace = "ml-serving"
        assert "llm-generate-pc4bsmk8wk-zqbt8" in app._command_arguments("pod")  # bare names
        assert all("/" not in n for n in app._command_arguments("pod"))
