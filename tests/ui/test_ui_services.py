"""The Services tab (5): model services worst first, the card of the row under the cursor."""

from __future__ import annotations

from mlview.sources import demo, snapshot
from mlview.ui.app import MLViewApp
from tests.uitext import screen_text, settle


def app_for(name: str) -> MLViewApp:
    store = snapshot.load([demo.scenario_path(name)]).to_store("demo", label=f"demo: {name}")
    return MLViewApp(store)


async def test_services_tab_lists_model_services_and_shows_the_card():
    app = app_for("incident-504")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        text = screen_text(app)
        assert "8 model services" in text  # summarize-model-svc: the stuck rollout
        first = next(line for line in text.splitlines() if "llm-generate-svc" in line)
        assert "error" in first and "0/2" in first and "vLLM" in first
        assert "→ 503 (endpoints)" in text  # the route's predicted status on the card
        assert "CrashLoopBackOff" in text and "OOMKilled (exit 137)" in text
        await pilot.press("down")
        await settle(app, pilot)
        assert "→ 504 (timeouts)" in screen_text(app)  # translation: the 60 s read timeout


async def test_services_tab_traces_the_selected_route():
    app = app_for("incident-504")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        assert "https://llm.ml.example.com/" in screen_text(app)


async def test_services_tab_at_80x24_keeps_the_key_columns():
    app = app_for("netpol-lockdown")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        text = screen_text(app)
        assert "embedding-model-svc" in text and "READY" in text
