"""Header and pane notes: where the data comes from, sync state per kind, missing permissions."""

from __future__ import annotations

from mlview.sources.snapshot import load
from mlview.store import SourceInfo, StoreView
from mlview.ui.header import header_text, pane_notes, sync_text
from tests.uitext import make_app, screen_text, settle


def test_sync_text_groups_states():
    text = sync_text(
        {
            "Pod": "live",
            "Service": "listed",
            "Secret": "forbidden (list secrets)",
            "Ingress": "reconnecting since 06:12:03",
            "HTTPRoute": "not installed",
            "EndpointSlice": "not served",
        }
    ).plain
    assert text.startswith("sync: 2/4 kinds live")
    assert "Secret: forbidden (list secrets)" in text
    assert "Ingress: reconnecting since 06:12:03" in text
    assert "not served: EndpointSlice, HTTPRoute" in text


def test_header_names_source_time_counts_and_narrowing():
    view = StoreView.from_objects([{"kind": "Pod", "metadata": {"name": "p", "namespace": "a"}}])
    src = SourceInfo(
        label="snap.yaml",
        context="prod\x1b[31m",
        recorded_at="2026-11-27T05:40:00Z",
        skipped_kinds={"Widget": 3},
    )
    text = header_text(view, src, "a", "gpu").plain
    assert "snap.yaml" in text and "recorded 2026-11-27 05:40Z" in text  # the one absolute form
    assert "context prod" in text and "\x1b" not in text
    assert "1 pod " in text and "ns: a" in text and "filter: gpu" in text
    assert "3 skipped" in text


def test_pane_notes_only_for_the_tab_that_needs_the_kind():
    src = SourceInfo(
        mode="live",
        notes={
            "PersistentVolumeClaim": "forbidden: list persistentvolumeclaims (see mlview rbac)",
            "HTTPRoute": "Gateway API CRDs not installed",
        },
        sync={"PersistentVolumeClaim": "forbidden (list)", "HTTPRoute": "not installed"},
    )
    assert "PersistentVolumeClaim: forbidden" in pane_notes(src, "storage").plain
    assert pane_notes(src, "ingress").plain == ""  # not installed: the tab says so itself
    assert pane_notes(src, "findings").plain == ""


async def test_app_shows_the_missing_permission_on_the_storage_tab(small_snapshot):
    store = load([small_snapshot]).to_store("live", label="ctx")
    store.source.notes = {"PersistentVolumeClaim": "forbidden: list persistentvolumeclaims"}
    store.source.sync = {
        "PersistentVolumeClaim": "forbidden (list persistentvolumeclaims)",
        "Pod": "live",
    }
    app = make_app(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "! PersistentVolumeClaim: forbidden: list persistentvolumeclaims" in text
        assert "sync: 1/2 kinds live" in text
        await pilot.press("2")
        await settle(app, pilot)
        assert "! PersistentVolumeClaim" not in screen_text(app)
