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


async def test_jumps_to_the_same_service_on_other_tabs():
    from mlview.ui.widgets import ObjectTable

    app = app_for("incident-pending-pvc")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        pane = app.active_pane()
        table = pane.query_one(ObjectTable)
        assert table.select("ml-serving/llm-chat-svc")
        await pilot.press("c")  # its claim, on the Storage tab
        await settle(app, pilot)
        assert app.query_one("TabbedContent").active == "storage"
        claims = app.query_one("#storage-claims", ObjectTable)
        assert claims.selected_key() == "ml-serving/llm-weights-cache"
        await pilot.press("5")
        await settle(app, pilot)
        await pilot.press("i")  # its route, on the Ingress tab
        await settle(app, pilot)
        assert app.query_one("TabbedContent").active == "ingress"
        route = app.query_one("#ingress-routes", ObjectTable).selected_key()
        assert route and "chat-api" in route
        await pilot.press("5")
        await settle(app, pilot)
        await pilot.press("r")  # who reaches its pods, on the Reachability tab
        await settle(app, pilot)
        reach = app.active_pane()
        assert app.query_one("TabbedContent").active == "reachability"
        assert reach.selector_text and reach.focus


async def test_the_palette_offers_the_services_tab_first():
    app = app_for("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        first = next(iter(app.get_system_commands(app.screen)))
        assert first.title == "Show Services (5)"


async def test_the_tab_follows_the_store():
    import copy

    app = app_for("incident-504")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        assert "3/3" in next(
            line for line in screen_text(app).splitlines() if "translation-model-svc" in line
        )
        pod = next(
            p
            for p in app.store.view().list("Pod")
            if p["metadata"]["name"].startswith("translation")
        )
        changed = copy.deepcopy(pod)
        for cond in changed["status"]["conditions"]:
            if cond["type"] == "Ready":
                cond["status"] = "False"
        app.store.put(changed)
        app.apply_store_now()
        await settle(app, pilot)
        assert "2/3" in next(
            line for line in screen_text(app).splitlines() if "translation-model-svc" in line
        )
