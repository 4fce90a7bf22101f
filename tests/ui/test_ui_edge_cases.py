"""Pilot tests for the edge cases of issue 15: detail views, empty states, status lines."""

from __future__ import annotations

from pathlib import Path

from mlview.sources.snapshot import load
from mlview.ui.app import MLViewApp
from mlview.ui.panes.findings import FindingsPane
from mlview.ui.screens import DetailScreen
from mlview.ui.widgets import ObjectTable
from tests.uitext import screen_text, settle

DEMO = Path(__file__).parents[2] / "demo"


def demo_app(name: str) -> MLViewApp:
    return MLViewApp(load([DEMO / f"{name}.json"]).to_store("demo"))


async def test_a_namespace_finding_shows_in_its_detail_view():
    app = demo_app("netpol-lockdown")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        pane = app.query_one(FindingsPane)
        table = pane.query_one(ObjectTable)
        for i in range(table.row_count):
            table.move_cursor(row=i)
            await pilot.pause()
            if pane.selected_finding().kind == "Namespace":
                break
        ns = pane.selected_finding().name
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        assert f"Namespace {ns}" in text
        assert "netpol-namespace-unprotected" in text and "none" not in text.split("Events")[0]
