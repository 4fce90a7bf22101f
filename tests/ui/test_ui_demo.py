"""Launch the app on every demo scenario: each tab renders rows, no errors, at 80x24 and larger."""

from __future__ import annotations

import pytest
from textual.widgets import TabbedContent

from mlview.sources import demo
from tests.uitext import make_app, screen_text, settle

SCENARIOS = [s.name for s in demo.scenarios()]


def test_all_scenarios_are_bundled():
    assert {
        "ml-platform",
        "incident-504",
        "incident-pending-pvc",
        "netpol-lockdown",
        "ml-gateway",
    } <= set(SCENARIOS)


@pytest.mark.parametrize("name", SCENARIOS)
async def test_each_scenario_each_tab(name):
    app = make_app(name, label=f"demo: {name}")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert f"demo: {name}" in screen_text(app)
        for key, pane in (
            ("1", "storage"),
            ("2", "ingress"),
            ("3", "reachability"),
            ("4", "findings"),
        ):
            await pilot.press(key)
            await settle(app, pilot)
            assert app.query_one(TabbedContent).active == pane
            assert screen_text(app).strip()


async def test_small_terminal_80x24():
    app = make_app("ml-platform", label="demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "mlview" in text and "Storage" in text
        assert "palette" in text  # the footer is there; pane keys may crowd out the rest
