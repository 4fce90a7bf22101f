"""The pod view and the events view (issue #15): reachable from every place a pod is shown,
filterable events, cluster text shown literally."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.widgets import Input, Static

from mlview import theme
from mlview.ui.app import MLViewApp
from mlview.ui.events_screen import EventsScreen
from mlview.ui.pod_screen import PodScreen
from mlview.ui.pods_screen import PodsScreen
from mlview.ui.screens import HelpScreen
from mlview.ui.widgets import ObjectTable
from tests.uitext import make_app, screen_text, settle

CRASH = "llm-generate-pc4bsmk8wk-zqbt8"  # incident-504: CrashLoopBackOff, last run OOMKilled
UNREADY = "llm-generate-pc4bsmk8wk-g8hfc"  # readiness probe failing (Unhealthy x344)


def plain(static: Any) -> str:
    """What a Static holds, as plain text (it may be scrolled out of the screen)."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


def pod_view_text(app: MLViewApp) -> str:
    screen = app.screen
    assert isinstance(screen, PodScreen)
    return "\n".join(
        plain(screen.query_one(f"#{part}", Static))
        for part in ("detail-title", "pod-status", "pod-log", "detail-findings", "pod-events")
    )


async def select_route(app: MLViewApp, pilot, ingress_name: str) -> None:
    await settle(app, pilot)
    await pilot.press("2")
    await settle(app, pilot)
    table = app.query_one("#ingress-routes", ObjectTable)
    index = next(i for i, key in enumerate(table.row_keys()) if f"/{ingress_name}#" in key)
    table.move_cursor(row=index)
    await settle(app, pilot)


async def test_ingress_p_then_enter_opens_the_pod_view_of_a_crash_looping_pod():
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await select_route(app, pilot, "llm-api")
        await pilot.press("p")
        await pilot.pause()
        pods = app.query_one("#ingress-pods", ObjectTable)
        assert pods.has_focus
        pods.move_cursor(row=pods.row_keys().index(f"ml-serving/{CRASH}"))
        await pilot.press("enter")
        await settle(app, pilot)
        text = pod_view_text(app)
        assert f"Pod ml-serving/{CRASH}" in text
        assert "CrashLoopBackOff" in text and "restarts 14" in text
        assert "previous run: OOMKilled (exit 137, SIGKILL)" in text
        assert "Last termination" in text and "server: OOMKilled (exit 137, SIGKILL)" in text
        assert "ended 1m ago (2026-11-27 05:38Z)" in text and "ran 6s" in text
        assert "BackOff" in text  # its Events
        assert "off: `mlview --logs`" in text  # logs: opt-in, and how
        assert app.screen.query_one("#detail-yaml").display  # last; y hides it
        await pilot.press("y")
        assert not app.screen.query_one("#detail-yaml").display
        await pilot.press("escape")
        await pilot.pause()
        assert pods.has_focus  # back where it was opened


async def test_o_on_a_route_lists_its_pods_not_ready_first_and_shows_probe_failures():
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await select_route(app, pilot, "llm-api")
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, PodsScreen)
        table = app.screen.query_one("#pods-table", ObjectTable)
        assert table.row_keys() == [f"ml-serving/{CRASH}", f"ml-serving/{UNREADY}"]  # most restarts
        assert "2 not ready" in screen_text(app)
        table.move_cursor(row=1)
        await pilot.press("enter")
        await settle(app, pilot)
        text = pod_view_text(app)
        assert "Probe failures" in text
        assert (
            "Readiness  server  x344" in text and "HTTP probe failed with statuscode: 503" in text
        )
        assert "none: no container has restarted" not in text or "restarts 3" in text


async def test_every_place_a_pod_is_shown_opens_the_pod_view():
    app = make_app("incident-504")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        # Services tab: p on llm-generate-svc (two pods: the list, then Enter)
        await pilot.press("5")
        await settle(app, pilot)
        table = app.query_one("#services-table", ObjectTable)
        table.move_cursor(row=table.row_keys().index("ml-serving/llm-generate-svc"))
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, PodsScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PodScreen) and app.screen.report.name == CRASH
        await pilot.press("escape", "escape")
        await pilot.pause()
        # `:pod NAME` (the keys branch maps it to this action)
        app.action_show_pod(f"ml-serving/{UNREADY}")
        await settle(app, pilot)
        assert isinstance(app.screen, PodScreen) and app.screen.report.name == UNREADY
        await pilot.press("escape")
        await pilot.pause()
        app.action_show_pod("no-such-pod")
        await settle(app, pilot)
        assert not isinstance(app.screen, PodScreen)
        # o with no pod row under the cursor (Findings tab): the namespace's pods
        await pilot.press("4")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, PodsScreen)
        assert "pods in all namespaces" in screen_text(app)


async def test_a_trace_step_opens_the_pod_view():
    from mlview.ui.trace_screen import TraceScreen

    app = make_app("incident-504")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        app.open_trace("https://llm.ml.example.com/v1/chat")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TraceScreen)
        pod_refs = [
            r for s in screen.last.steps for r in s.refs if r.kind == "Pod" and r.name == CRASH
        ]
        assert pod_refs, [s.step for s in screen.last.steps]
        screen._open(pod_refs[0])
        await settle(app, pilot)
        assert isinstance(app.screen, PodScreen) and app.screen.report.name == CRASH


async def test_events_view_filters_highlights_warnings_and_opens_the_object():
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, EventsScreen)
        table = screen.query_one("#events-table", ObjectTable)
        assert table.row_count == 12
        types = [screen._lines[k].type for k in table.row_keys()]
        assert types == sorted(types, key=lambda t: t != "Warning")  # Warnings first
        first = table.get_row(table.row_keys()[0])
        # at 120 columns TYPE is left out (`w` shows it): a Warning's REASON says it in colour
        assert str(table.columns[table.ordered_columns[1].key].label) == "REASON"
        assert first[1].style == theme.WARNING
        await pilot.press("s")  # newest first, whatever the type
        await pilot.pause()
        assert not screen.warnings_first and screen.selected_line() is not None
        types = [screen._lines[k].type for k in table.row_keys()]
        assert types != sorted(types, key=lambda t: t != "Warning")
        await pilot.press("slash")
        box = screen.query_one("#events-filter", Input)
        assert box.has_focus
        await pilot.press(*"unhealthy")
        await pilot.pause()
        assert table.row_count == 2
        assert "filter unhealthy  showing 2" in screen_text(app)
        await pilot.press("enter")  # keep the filter, back to the table
        await pilot.pause()
        assert table.has_focus and box.display
        await pilot.press("b")  # grouped by object: each object named once
        await pilot.pause()
        assert table.row_count == 2
        key = next(k for k in table.row_keys() if UNREADY in screen._lines[k].object.name)
        table.move_cursor(row=table.row_keys().index(key))
        await pilot.pause()
        detail = plain(screen.query_one("#events-detail-text", Static))
        assert "Readiness probe failed: HTTP probe failed with statuscode: 503" in detail
        assert "container server" in detail and "from kubelet" in detail
        await pilot.press("enter")  # the event's object: a pod, so the pod view
        await settle(app, pilot)
        assert isinstance(app.screen, PodScreen) and app.screen.report.name == UNREADY
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, EventsScreen)


async def test_events_view_follows_the_namespace_and_says_when_there_are_none():
    app = make_app("incident-504", namespace="monitoring")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.action_show_events()
        await settle(app, pilot)
        text = screen_text(app)
        assert "0 events in namespace monitoring" in text
        assert "No Events in namespace monitoring (other namespaces have some)." in text


HOSTILE = "oom [red]x[/] \x1b[2Jgone \x1b]0;title\x07"


def hostile_objects() -> list[dict]:
    pod = {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {"name": "evil-0", "namespace": "ml"},
        "spec": {"containers": [{"name": "server", "image": "x"}]},
        "status": {
            "phase": "Running",
            "containerStatuses": [
                {
                    "name": "server",
                    "ready": False,
                    "restartCount": 2,
                    "state": {"waiting": {"reason": "CrashLoopBackOff", "message": HOSTILE}},
                    "lastState": {
                        "terminated": {"reason": "Error", "exitCode": 1, "message": HOSTILE}
                    },
                }
            ],
        },
    }
    event = {
        "kind": "Event",
        "apiVersion": "v1",
        "metadata": {"name": "evil-0.1", "namespace": "ml"},
        "involvedObject": {"kind": "Pod", "namespace": "ml", "name": "evil-0"},
        "type": "Warning",
        "reason": "Unhealthy",
        "message": "Readiness probe failed: " + HOSTILE,
        "count": 3,
        "lastTimestamp": "2026-11-27T05:00:00Z",
    }
    return [pod, event]


async def test_hostile_cluster_text_is_shown_literally():
    app = make_app(hostile_objects())
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        app.action_show_pod("ml/evil-0")
        await settle(app, pilot)
        text = pod_view_text(app)
        assert text.count("oom [red]x[/] gone") >= 4  # waiting, last run, probe, event
        assert "\x1b" not in text and "title" not in text
        assert "\x1b" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        app.action_show_events()
        await settle(app, pilot)
        screen = app.screen
        detail = plain(screen.query_one("#events-detail-text", Static))
        assert "Readiness probe failed: oom [red]x[/] gone" in detail and "\x1b" not in detail
        assert "oom [red]x[/] gone" in screen_text(app)


async def test_help_and_palette_list_the_new_views():
    app = make_app("incident-504")
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = app.screen.rows  # every row, also those scrolled out of the screen
        for row in [
            ("e", "Events"),
            ("", "Events view (e)"),
            ("s", "Warnings first"),
            ("b", "By object"),
            ("/", "Filter"),
            ("", "Pod view"),
            ("y", "YAML on/off"),
            ("p", "Its pods"),  # the Services tab
        ]:
            assert row in rows, row
        assert any(key == "o" and what.startswith("Pods of the row") for key, what in rows)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Events (e)" in titles and "Pods (o)" in titles
        assert callable(app.action_show_events) and callable(app.action_show_pod)


async def test_o_on_a_reachability_cell_lists_the_pods_of_its_column_and_row():
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        from mlview.ui.panes.reachability.grid import MatrixGrid

        grid = app.query_one(MatrixGrid)
        col = grid.grid.cols[grid.cursor[1]]
        row = grid.grid.rows[grid.cursor[0]]
        wanted = {p.ref for p in col.pods} | {p.ref for p in row.pods}
        await pilot.press("o")
        await settle(app, pilot)
        assert len(wanted) > 1  # a group of pods: the list of them
        assert isinstance(app.screen, PodsScreen)
        assert set(app.screen.query_one("#pods-table", ObjectTable).row_keys()) == wanted
        assert "pods of the selected row" in screen_text(app)


async def test_the_events_view_follows_new_events():
    from mlview.store import Store

    objs = hostile_objects()
    store = Store()
    store.put_many(objs)
    store.mark_listed({"Pod", "Event"})
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.action_show_events()
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one("#events-table", ObjectTable)
        assert table.row_count == 1
        newer = dict(objs[1], metadata={"name": "evil-0.2", "namespace": "ml"})
        newer["reason"], newer["lastTimestamp"] = "BackOff", "2026-11-27T05:10:00Z"
        store.put(newer)
        app.apply_store_now()
        await settle(app, pilot)
        screen._follow()  # what its timer does every second
        await pilot.pause()
        assert table.row_count == 2
        assert table.row_keys()[0] == "ml/evil-0.2"  # newest first


async def test_a_pending_pod_shows_why_it_is_not_scheduled():
    app = make_app("incident-pending-pvc")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        pending = next(
            p["metadata"]["name"]
            for p in app.store.view().list("Pod", "ml-serving")
            if p["metadata"]["name"].startswith("llm-chat-")
        )
        app.action_show_pod(f"ml-serving/{pending}")
        await settle(app, pilot)
        text = pod_view_text(app)
        assert "Pending" in text and "node (not scheduled)" in text
        assert "Scheduling" in text
        assert "0/6 nodes are available: pod has unbound immediate PersistentVolumeClaims" in text
