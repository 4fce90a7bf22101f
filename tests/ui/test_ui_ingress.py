"""Pilot tests of the Ingress tab on the incident-504 demo and on small fixtures."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Input, Static

from mlview.store import Store
from mlview.ui.app import MLViewApp
from mlview.ui.screens import DetailScreen
from mlview.ui.widgets import ObjectTable
from tests.ingress_fixtures import P, backend_set, ingress, path, platform
from tests.uitext import make_app, screen_text, settle


def routes(app: MLViewApp) -> ObjectTable:
    return app.query_one("#ingress-routes", ObjectTable)


def row_text(table: ObjectTable, key: str) -> str:
    return " ".join(str(c) for c in table.get_row(key))


async def select(app: MLViewApp, pilot, path_text: str) -> str:
    """Move the cursor to the route whose path is `path_text`; return its key."""
    table = routes(app)
    for i in range(table.row_count):
        row = table.get_row_at(i)
        if str(row[2]) == path_text:
            table.move_cursor(row=i)
            await pilot.pause()
            return table.coordinate_to_cell_key((i, 0)).row_key.value
    raise AssertionError(f"no route {path_text}")


def plain(static: Static) -> str:
    """What a Static holds, as plain text (it may be scrolled out of the screen)."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


def detail(app: MLViewApp) -> str:
    return " ".join(
        plain(app.query_one(f"#ingress-{part}", Static))
        for part in ("chain", "findings", "settings")
    )


async def open_ingress_tab(app: MLViewApp, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("2")
    await settle(app, pilot)


async def test_translation_route_shows_default_timeout_and_its_finding():
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_ingress_tab(app, pilot)
        key = await select(app, pilot, "/v1/translate")
        cells = row_text(routes(app), key)
        assert "60s*" in cells and "translation-model-svc:80" in cells and "error" in cells
        text = detail(app)
        assert "ingress-timeout-below-latency" in text
        assert "proxy-read-timeout" in text and "built-in default" in text
        assert "targetPort http->8080" in text


async def test_invalid_120s_route_shows_invalid_value_finding():
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_ingress_tab(app, pilot)
        key = await select(app, pilot, "/v1/vision")
        assert "60s!" in row_text(routes(app), key)
        text = detail(app)
        assert "ingress-annotation-invalid-value" in text and '"120s"' in text
        assert 'annotation "120s" is invalid: ignored' in text


async def test_routes_grouped_by_host_and_screen_shows_them():
    app = make_app("incident-504")
    async with app.run_test(size=(160, 48)) as pilot:
        await open_ingress_tab(app, pilot)
        await pilot.press("s")  # worst first by default; by host groups them
        await pilot.pause()
        table = routes(app)
        hosts = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        named = [h for h in hosts if h]
        assert named == sorted(set(named))  # each host once, on its group's first row
        screen = screen_text(app)
        assert "api.ml.example.com" in screen and "routes on" in screen


async def test_url_finder_selects_the_route():
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_ingress_tab(app, pilot)
        await pilot.press("u")
        box = app.query_one("#ingress-url", Input)
        assert box.display and box.has_focus
        box.value = "https://llm.ml.example.com/v1/generate"
        await pilot.press("enter")
        await pilot.pause()
        assert routes(app).selected_key() == "ml-serving/llm-api#0.0"
        assert not box.display
        assert "ingress-backend-no-ready-endpoints" in detail(app)
        assert "CrashLoopBackOff" in screen_text(app) or "0 ready / 2" in detail(app)


async def test_filter_and_detail_screen():
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_ingress_tab(app, pilot)
        await pilot.press("slash")
        app.query_one("#filter-input", Input).value = "vision"
        await settle(app, pilot)
        assert routes(app).row_count == 1
        await pilot.press("enter")  # keep the filter, back to the table
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert "vision-api" in screen_text(app)


async def test_clearing_the_filter_brings_back_the_same_rows_and_cursor(monkeypatch):
    """Typed and deleted, a filter hands the table the very rows list it showed, which it swaps
    back whole (bench/bench_filter.py: the keystroke growing 555 rows back to 10,000)."""
    from mlview.ui import widgets

    monkeypatch.setattr(widgets, "STATE_MIN_ROWS", 2)  # the demo has a few routes, not 10,000
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_ingress_tab(app, pilot)
        table = routes(app)
        key = await select(app, pilot, "/v1/vision")
        full = table._shown_from
        before = [table.get_row_at(i) for i in range(table.row_count)]
        await pilot.press("slash")
        app.query_one("#filter-input", Input).value = "vision"
        await settle(app, pilot)
        assert table.row_count == 1
        await pilot.press("enter", "escape")  # back to the table, then clear the filter
        await settle(app, pilot)
        assert table._shown_from is full  # the pane's list for no filter, kept per view
        assert [table.get_row_at(i) for i in range(table.row_count)] == before
        assert table.selected_key() == key
        assert "vision" in detail(app)


async def test_a_longer_filter_narrows_the_kept_rows_to_the_same_result(monkeypatch):
    """Typed after "v", "vision" searches only the routes "v" kept, and shows what "vision"
    typed at once shows."""
    from mlview.ui.panes.ingress import IngressPane

    scans: list[str] = []
    searchable = IngressPane._searchable

    def spy(self, ctx):
        scans.append(ctx.filter_text)
        return searchable(self, ctx)

    monkeypatch.setattr(IngressPane, "_searchable", spy)

    async def typed(*texts: str) -> list:
        app = make_app("incident-504")
        async with app.run_test(size=(120, 40)) as pilot:
            await open_ingress_tab(app, pilot)
            await pilot.press("slash")
            for text in texts:
                app.query_one("#filter-input", Input).value = text
                await settle(app, pilot)
            table = routes(app)
            return [table.get_row_at(i) for i in range(table.row_count)]

    direct = await typed("vision")
    assert scans == [""]  # every route once, for the unfiltered table; "vision" narrows that
    scans.clear()
    assert await typed("v", "vision") == direct and scans == [""]
    assert len(direct) == 1


async def test_pods_key_then_enter_opens_a_pod():
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_ingress_tab(app, pilot)
        await select(app, pilot, "/")
        await pilot.press("p")
        await pilot.pause()
        assert app.query_one("#ingress-pods", ObjectTable).has_focus
        obj = app.current_pane().selected_object()
        assert obj is not None and obj["kind"] == "Pod"
        await pilot.press("escape")
        await pilot.pause()
        assert routes(app).has_focus


async def test_cluster_text_is_literal_and_other_controllers_show_no_settings():
    weird = ingress(
        "weird",
        [path("/[bold]x[/bold]", "svc-\x1b[31mred")],
        annotations={P + "proxy-read-timeout": "[red]5"},
        cls="traefik",
    )
    objs = platform(
        weird,
        *backend_set("svc"),
        {
            "kind": "IngressClass",
            "metadata": {"name": "traefik"},
            "spec": {"controller": "traefik.io/ingress-controller"},
        },
    )
    store = Store()
    store.put_many(objs)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_ingress_tab(app, pilot)
        screen = screen_text(app)
        assert "/[bold]x[/bold]" in screen
        assert "\x1b" not in screen
        assert "not ingress-nginx" in detail(app)


async def test_empty_state_says_why():
    store = Store()
    store.put_many(platform())
    store.mark_listed(["Ingress"])
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_ingress_tab(app, pilot)
        assert routes(app).row_count == 0
        assert "No Ingress objects" in detail(app)
