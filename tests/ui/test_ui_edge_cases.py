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


async def test_the_claim_detail_lists_the_root_cause_before_its_symptoms():
    from tests.ui.test_ui_storage import select

    app = demo_app("incident-pending-pvc")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await select(app, pilot, "ml-training/feature-cache")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        assert text.index("pvc-storageclass-missing") < text.index("pvc-provisioning-failed")


async def test_counts_are_singular_for_one():
    app = demo_app("netpol-lockdown")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert " 1 ingress " in text and "1 ingresses" not in text
        await pilot.press("2")
        await settle(app, pilot)
        assert "1 host" in screen_text(app) and "1 hosts" not in screen_text(app)


async def test_no_gateway_routes_says_so_not_the_filter():
    app = demo_app("ml-platform")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        text = screen_text(app)
        assert "No Gateway API routes in this snapshot" in text
        assert "match the namespace or filter" not in text


async def test_the_reachability_bar_says_a_namespace_narrows_destinations_and_keeps_its_sentence():
    app = demo_app("netpol-lockdown")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.namespace = "ml-serving"
        app._renarrow()
        await pilot.press("3")
        await settle(app, pilot)
        lines = screen_text(app).splitlines()
        bar = " ".join(line.strip() for line in lines[4:7] if not line.startswith("source"))
        assert "namespace ml-serving: destinations in it only, sources from all" in bar
        assert "…" not in bar  # wrapped, not cut


async def test_screenshot_goes_to_the_current_directory_without_downloads(tmp_path, monkeypatch):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    app = demo_app("ml-platform")
    notes = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append((message, kw)))
        app.deliver_screenshot()
        saved = list(work.glob("*.svg"))
        assert len(saved) == 1
        assert notes[-1][0] == f"Saved to {saved[0]}"
        (home / "Downloads").mkdir()
        app.deliver_screenshot()
        assert len(list((home / "Downloads").glob("*.svg"))) == 1

        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(app, "save_screenshot", refuse)
        assert app.deliver_screenshot() is None
        message, kw = notes[-1]
        downloads = home / "Downloads"
        assert message == f"Could not save the screenshot in {downloads}: Permission denied"
        assert kw["severity"] == "error"


async def test_a_static_efs_claim_through_an_ebs_class_shows_the_volume_source():
    from tests.ui.test_ui_storage import select

    app = demo_app("ml-platform")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await select(app, pilot, "ml-training/imagenet-dataset")
        text = screen_text(app)
        assert "efs.csi.aws.com" in text and "the PV's own source" in text
        assert "only matters for dynamic provisioning" in text


async def test_an_empty_matrix_says_what_narrowed_it():
    from mlview.ui.panes.reachability.grid import MatrixGrid

    app = demo_app("netpol-lockdown")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.press(*"app=nothing-here", "enter")
        await settle(app, pilot)
        grid = app.query_one(MatrixGrid)
        assert not grid.grid.cols
        assert "no pod in the cluster matches app=nothing-here" in screen_text(app)
        app.namespace = "monitoring"
        app._renarrow()
        await settle(app, pilot)
        assert "no pod in namespace monitoring matches app=nothing-here" in screen_text(app)
