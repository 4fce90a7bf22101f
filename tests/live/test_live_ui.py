"""The app on the live source (loopback fake): a burst of watch events costs a few redraws a
second at most, and keys still answer during it (the watch runs in its own thread; the app only
polls store.version every TICK)."""

from __future__ import annotations

import threading
import time

from mlview.sources.live import LiveSource
from mlview.sources.live.config import connect
from mlview.ui.app import TICK, MLViewApp
from mlview.ui.messages import AnalysisDone
from mlview.ui.screens import HelpScreen
from tests.fake_apiserver import FakeApiServer
from tests.live.test_live_sync import cluster_objects, obj
from tests.uitext import make_app


async def wait_for(pilot, predicate, what: str, timeout: float = 20.0) -> float:
    """Wait (without blocking the app) until predicate(); returns the seconds it took."""
    started = time.monotonic()
    while not predicate():
        assert time.monotonic() - started < timeout, f"timed out waiting for {what}"
        await pilot.pause(0.01)
    return time.monotonic() - started


async def test_burst_of_events_limits_redraws_and_keeps_input_responsive(tmp_path):
    with FakeApiServer(cluster_objects()) as fake:
        source = LiveSource(connect(str(fake.kubeconfig(tmp_path)), None))
        redraws: list[float] = []

        class CountingApp(MLViewApp):
            def on_analysis_done(self, message: AnalysisDone) -> None:
                # Textual calls every class's handler: MLViewApp's then applies the result.
                redraws.append(time.monotonic())

        app = make_app(source.store, feed=source, app_class=CountingApp)
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                await wait_for(pilot, source.synced, "initial sync")
                burst_done = threading.Event()

                def burst() -> None:
                    for i in range(2000):  # ~2 s: about 1000 events a second
                        fake.cluster.add(obj("Pod", f"burst-{i}"))
                        if i % 100 == 99:
                            time.sleep(0.1)
                    burst_done.set()

                version_before = app.store.version
                started = time.monotonic()
                threading.Thread(target=burst, daemon=True).start()
                keys: list[float] = []
                while not burst_done.is_set() or app.store.view().count("Pod") < 2013:
                    pressed = time.monotonic()
                    await pilot.press("question_mark")
                    await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
                    keys.append(time.monotonic() - pressed)
                    pressed = time.monotonic()
                    await pilot.press("escape")
                    await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), "close")
                    keys.append(time.monotonic() - pressed)
                    assert time.monotonic() - started < 60
                elapsed = time.monotonic() - started
                during = [t for t in redraws if t >= started]
                assert app.store.version - version_before >= 2000  # every event was applied
                assert 0 < len(during) <= elapsed / TICK + 2  # but redraws followed the tick
                # and keys were answered throughout (generous: 2 shared, busy cores)
                assert sorted(keys)[len(keys) // 2] < 1.0 and max(keys) < 3.0, keys
        finally:
            source.stop()


async def test_the_app_starts_the_source_on_mount_and_stops_it_when_it_exits(tmp_path):
    with FakeApiServer(cluster_objects()) as fake:
        source = LiveSource(connect(str(fake.kubeconfig(tmp_path)), None))
        app = MLViewApp(source.store, feed=source)
        assert all(s.thread is None for s in source.syncs)  # building the app starts nothing
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                await wait_for(pilot, source.synced, "initial sync")
                assert all(s.thread.is_alive() for s in source.syncs)
                await pilot.press("q")
            assert all(s.stopped.is_set() for s in source.syncs)
            assert not any(s.thread.is_alive() for s in source.syncs)  # joined on unmount
        finally:
            source.stop()
