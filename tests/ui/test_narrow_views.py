"""Issue #15 leftovers at 80x24: the events view, the pods list and the findings table keep
their key columns (the message in what is left), pod view event lines hang, status lines count
in words, and empty states say what is true."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from rich.console import Console

from mlview.analysis.pods import EventLine
from mlview.analysis.shared.objects import Ref
from mlview.store import Store
from mlview.ui.app import MLViewApp
from mlview.ui.events_screen import EventsScreen
from mlview.ui.pod_text import EVENT_HANG, event_line_text, indent
from mlview.ui.pods_screen import PodsScreen
from mlview.ui.widgets import Hanging, ObjectTable
from tests.uitext import make_app, screen_text, settle

SIZE = (80, 24)
WIDE = (160, 48)


def header_of(lines: list[str], first: str) -> str:
    return next(line for line in lines if first in line.split()[:3])


async def open_events(app: MLViewApp, pilot) -> list[str]:
    await settle(app, pilot)
    app.action_show_events()
    await settle(app, pilot)
    await pilot.pause()
    assert isinstance(app.screen, EventsScreen)
    return screen_text(app).splitlines()


async def test_events_view_shows_reason_object_age_and_message_at_80_columns():
    app = make_app("incident-504")
    async with app.run_test(size=SIZE) as pilot:
        lines = await open_events(app, pilot)
        head = header_of(lines, "LAST")
        for column in ("LAST", "REASON", "OBJECT", "MESSAGE"):
            assert column in head, head
        assert re.search(r"\+\d w", head), head  # `+N w`: what it left out, and the key
        row = next(line for line in lines if "Unhealthy" in line)
        # the object cut in the middle: the pod's own suffix stays (g8hfc, not its sibling)
        assert "po/llm-gene" in row and "g8hfc" in row and "Readiness" in row, row
        await pilot.press("w")  # every column, scrolled sideways
        await pilot.pause()
        table = app.screen.query_one("#events-table", ObjectTable)
        assert table.hidden_columns == ()
        assert app.screen.warnings_first  # `w` is the table's, not the sort's
        await pilot.press("s")
        await pilot.pause()
        assert not app.screen.warnings_first


async def test_events_view_at_160_columns_hides_nothing():
    app = make_app("incident-504")
    async with app.run_test(size=WIDE) as pilot:
        await open_events(app, pilot)
        table = app.screen.query_one("#events-table", ObjectTable)
        assert "TYPE" in [str(c.label) for c in table.columns.values()]


async def test_events_view_says_when_the_snapshot_has_none():
    store = Store()
    store.put_many([{"kind": "Pod", "metadata": {"name": "p", "namespace": "a"}}])
    store.mark_listed({"Pod", "Event"})
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        text = "\n".join(await open_events(app, pilot))
        assert "0 events in all namespaces" in text
        assert "No Events in this snapshot." in text


async def test_pods_list_keeps_pod_status_ready_restarts_at_80_columns():
    app = make_app("incident-504")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("4")  # the Findings tab has no pods under its cursor: every pod
        await settle(app, pilot)
        app.action_show_pod()
        await settle(app, pilot)
        assert isinstance(app.screen, PodsScreen)
        head = header_of(screen_text(app).splitlines(), "POD")
        for column in ("POD", "STATUS", "READY", "RESTARTS"):
            assert column in head, head
        assert app.screen.query_one("#pods-table", ObjectTable).hidden_columns
        crash = next(line for line in screen_text(app).splitlines() if "CrashLoop" in line)
        assert "zqbt8" in crash, crash  # its name's end: which of the two llm-generate pods


async def test_findings_message_takes_what_is_left():
    app = make_app("incident-504")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        head = header_of(screen_text(app).splitlines(), "SEVERITY")
        assert "CODE" in head and "OBJECT" in head  # MESSAGE: whole, below the table
    app = make_app("incident-504")
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        lines = screen_text(app).splitlines()
        head = header_of(lines, "SEVERITY")
        assert head.split()[:4] == ["SEVERITY", "▼", "CODE", "OBJECT"] and "MESSAGE" in head
        row = next(line for line in lines if "ingress-backend-no-ready-endpoints" in line)
        assert len(row.rstrip()) >= WIDE[0] - 4, row  # the message runs to the right edge


def test_pod_view_event_lines_wrap_under_the_reason():
    now = datetime(2026, 11, 27, 5, 40, tzinfo=UTC)
    e = EventLine(
        "ml", "ev", "Warning", "Unhealthy", "Readiness probe failed: " + "x " * 40, 3,
        "", "2026-11-27T05:39:00Z", Ref("Pod", "ml", "p"), "", "kubelet",
    )  # fmt: skip
    console = Console(width=60, record=True, file=io.StringIO())
    console.print(indent(Hanging(event_line_text(e, now), EVENT_HANG)))
    lines = console.export_text().rstrip("\n").split("\n")
    assert lines[0].startswith("    1m ago  Unhealthy")
    assert len(lines) > 1
    for line in lines[1:]:
        assert line.startswith(" " * (2 + EVENT_HANG)) and line.strip(), lines


WRONG_PLURAL = re.compile(r"\b1 (pods|pvcs|ingresses|hosts|routes|claims|findings|errors|warnings"
                          r"|events|model services|netpols)\b")  # fmt: skip


async def test_no_tab_says_1_with_a_plural():
    objects = [
        {"kind": "Ingress", "metadata": {"name": "one", "namespace": "a"},
         "spec": {"rules": [{"host": "h.example.com", "http": {"paths": [
             {"path": "/", "pathType": "Prefix",
              "backend": {"service": {"name": "s", "port": {"number": 80}}}}]}}]}},
        {"kind": "Pod", "metadata": {"name": "p", "namespace": "a"}},
    ]  # fmt: skip
    app = make_app(objects)
    async with app.run_test(size=SIZE) as pilot:
        shown = {}
        for key in "12345":
            await settle(app, pilot)
            await pilot.press(key)
            await settle(app, pilot)
            text = shown[key] = screen_text(app)
            assert not WRONG_PLURAL.search(text), (key, WRONG_PLURAL.search(text))
        assert "1 route on 1 host" in shown["2"] and "1 pod  0 pvcs  1 ingress" in shown["2"]


async def test_gateway_view_without_routes_says_the_snapshot_has_none():
    app = make_app("incident-504")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        text = screen_text(app)
        assert "no Gateway API routes in this snapshot" in text
        assert "No Gateway API routes in this snapshot." in text
        assert "match the namespace or filter" not in text


def test_storage_detail_events_use_the_one_time_form_and_hang():
    from mlview.analysis.storage import EventRow
    from mlview.ui.panes.storage.detail import events_text

    now = datetime(2026, 11, 27, 5, 40, tzinfo=UTC)
    ev = EventRow(
        "2026-11-27T05:37:00Z", "Warning", "ProvisioningFailed", "PersistentVolumeClaim/c",
        "storageclass.storage.k8s.io \"fast\" not found " * 3, 4,
    )  # fmt: skip
    console = Console(width=70, record=True, file=io.StringIO())
    console.print(events_text([ev], True, now))
    lines = console.export_text().rstrip("\n").split("\n")
    assert lines[1].startswith("  3m ago  ProvisioningFailed") and "T05:37" not in lines[1]
    assert all(line.startswith(" " * EVENT_HANG) for line in lines[2:]) and len(lines) > 2
