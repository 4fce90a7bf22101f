"""Pilot tests of the Storage pane: claims table, detail panel, views, sort, filter, pod jump."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rich.console import Console
from textual.widgets import Static

from mlview.sources import snapshot
from mlview.ui.panes.storage import StoragePane
from mlview.ui.screens import DetailScreen
from mlview.ui.widgets import ObjectTable
from tests.storage_fixtures import ALL_KINDS, event, pod, pvc, sc
from tests.uitext import make_app, settle

SIZE = (160, 48)


INCIDENT = "incident-pending-pvc"


def pane(app) -> StoragePane:
    return app.query_one(StoragePane)


def table(app, which: str = "claims") -> ObjectTable:
    return app.query_one(f"#storage-{which}", ObjectTable)


def static_text(app, widget_id: str) -> str:
    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(app.query_one(f"#{widget_id}", Static).content)
    return console.export_text()


def detail_text(app) -> str:
    return "\n".join(
        static_text(app, w) for w in ("storage-head", "storage-findings", "storage-events")
    )


async def select(app, pilot, key: str, which: str = "claims") -> None:
    t = table(app, which)
    t.move_cursor(row=t.get_row_index(key))
    await pilot.pause()


def row_keys(app, which: str = "claims") -> list[str]:
    t = table(app, which)
    return [t.coordinate_to_cell_key((r, 0)).row_key.value for r in range(t.row_count)]


BROKEN = [
    ("ml-training/checkpoint-pvc", "pvc-rwo-multi-node"),
    ("ml-training/feature-cache", "pvc-storageclass-missing"),
    ("ml-training/imagenet-dataset", "pvc-access-mode-unsupported"),
    # the model server llm-chat's weights cache, on the same missing class
    ("ml-serving/llm-weights-cache", "pvc-storageclass-missing"),
    ("ml-training/eval-scratch", "pvc-waiting-for-first-consumer"),
]


async def test_incident_shows_each_broken_claim_with_its_finding():
    app = make_app(INCIDENT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await settle(app, pilot)
        keys = row_keys(app)
        # worst first: the four broken claims lead the table
        assert set(keys[:4]) == {k for k, _ in BROKEN[:4]}
        for key, code in BROKEN:
            await select(app, pilot, key)
            text = detail_text(app)
            assert code in text, (key, text)
            assert f"PersistentVolumeClaim {key}" in text
            # the first finding of a claim is its root cause
            findings = static_text(app, "storage-findings")
            assert findings.index(code) < findings.index("hint:")
        cells = [str(c) for c in table(app).get_row(keys[0])]
        assert "✖ error" in cells[0]


async def test_detail_chain_consumers_events_and_skipped_checks():
    app = make_app(INCIDENT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await select(app, pilot, "ml-training/checkpoint-pvc")
        head = static_text(app, "storage-head")
        for part in (
            "StorageClass gp3",
            "Provisioner ebs.csi.aws.com",
            "CSIDriver installed",
            "PersistentVolume pvc-",
        ):
            assert part in head
        consumers = table(app, "consumers")
        pods = {str(consumers.get_row_at(r)[0]) for r in range(consumers.row_count)}
        assert "trainer-0" in pods and len(pods) == 2
        assert "Multi-Attach" in detail_text(app)
        await select(app, pilot, "ml-training/feature-cache")
        assert "✖ missing" in static_text(app, "storage-head")
        assert "ProvisioningFailed" in static_text(app, "storage-events")


async def test_missing_facts_are_named_in_the_detail(small_snapshot):
    app = make_app(small_snapshot)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = detail_text(app)
        assert "Checks skipped" in text and "CSIDriver objects not listed" in text
        assert "not checked (CSIDrivers not listed)" in text


async def test_toggle_volumes_and_classes():
    app = make_app(INCIDENT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        await pilot.pause()
        assert pane(app).view_name == "volumes"
        assert table(app, "pvs").display and not table(app, "claims").display
        first = row_keys(app, "pvs")[0]
        assert "pv-released" in detail_text(app)  # worst first: the Released PV
        assert pane(app).selected_object()["metadata"]["name"] == first
        await pilot.press("v")
        await pilot.pause()
        assert pane(app).view_name == "classes"
        assert "gp3" in row_keys(app, "classes")
        await select(app, pilot, "gp3", "classes")
        assert "(default)" in static_text(app, "storage-head")
        await pilot.press("v")
        await pilot.pause()
        assert pane(app).view_name == "claims" and table(app, "claims").display


async def test_sort_cycles_and_filter_matches_finding_codes():
    app = make_app(INCIDENT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        assert pane(app).sort_by == "name"
        assert row_keys(app)[0] == "ml-serving/data-model-store-0"
        await pilot.press("slash", *"rwo-multi", "enter")
        await settle(app, pilot)
        assert row_keys(app) == ["ml-training/checkpoint-pvc"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(row_keys(app)) == 8  # with llm-weights-cache (ml-serving)


async def test_namespace_narrows_claims():
    app = make_app(INCIDENT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.narrow("monitoring")
        await pilot.pause()
        assert row_keys(app) == ["monitoring/prometheus-k8s-db-prometheus-k8s-0"]


async def test_enter_opens_the_claim_and_p_jumps_to_its_pod():
    app = make_app(INCIDENT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await select(app, pilot, "ml-training/imagenet-dataset")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.obj["kind"] == "PersistentVolumeClaim"
        await pilot.press("escape")
        await pilot.pause()
        # one pod: p opens it straight away
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.obj["kind"] == "Pod"
        assert app.screen.obj["metadata"]["name"].startswith("resnet-train")
        await pilot.press("escape")
        await pilot.pause()
        # two pods: p focuses the pod list, Enter opens the chosen one
        await select(app, pilot, "ml-training/checkpoint-pvc")
        await pilot.press("p")
        await pilot.pause()
        consumers = table(app, "consumers")
        assert consumers.has_focus
        wanted = consumers.coordinate_to_cell_key((1, 0)).row_key.value.split("/", 1)[1]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.obj["metadata"]["name"] == wanted
        await pilot.press("escape")
        await pilot.pause()
        assert consumers.has_focus
        await pilot.press("escape")  # back from the pod list to the claims
        await pilot.pause()
        assert table(app).has_focus


async def test_p_without_pods_warns_instead_of_failing():
    app = make_app(INCIDENT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await select(app, pilot, "ml-training/eval-scratch")
        await pilot.press("p")
        await pilot.pause()
        assert not isinstance(app.screen, DetailScreen)


@pytest.fixture
def hostile_snapshot(tmp_path: Path) -> Path:
    """Names with markup and an event message with escape sequences, from dict fixtures."""
    objs = [
        sc("gp3"),
        pvc("data-[bold]x[/bold]", "gp3"),
        pod(
            "trainer-[red]0[/red]",
            [("d", "data-[bold]x[/bold]", "/data", False)],
            node="",
            phase="Pending",
        ),
        event(
            "PersistentVolumeClaim",
            "data-[bold]x[/bold]",
            "ProvisioningFailed",
            "boom \x1b[31mred\x1b[0m \x1b]0;pwned\x07 [link=x]y[/link]",
        ),
    ]
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(snapshot.snapshot_list(objs, listed_kinds=ALL_KINDS)))
    return path


async def test_cluster_text_stays_literal(hostile_snapshot):
    app = make_app(hostile_snapshot)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert row_keys(app) == ["ml/data-[bold]x[/bold]"]
        name_cell = table(app).get_row_at(0)[2]
        assert name_cell.plain == "data-[bold]x[/bold]"
        consumers = table(app, "consumers")
        assert consumers.get_row_at(0)[0].plain == "trainer-[red]0[/red]"
        text = detail_text(app)
        assert "[link=x]y[/link]" in text and "pwned" not in text and "\x1b" not in text
