"""`:ctx` in the app (issue 15): a kubeconfig with two contexts, each a loopback fake API server
with its own objects; switching stops the old watches, starts the new context's and the header
and the tables show the new cluster."""

from __future__ import annotations

import json
from pathlib import Path

from mlview.sources.live import LiveSource
from mlview.sources.live.config import connect
from mlview.ui.app import MLViewApp
from mlview.ui.screens import PickScreen
from tests.fake_apiserver import TOKEN, FakeApiServer
from tests.live.test_live_sync import cluster_objects, obj
from tests.live.test_live_ui import wait_for
from tests.uitext import make_app, notifications, screen_text


def two_contexts(directory: Path, alpha: FakeApiServer, beta: FakeApiServer) -> Path:
    """A kubeconfig whose contexts `alpha` (current) and `beta` point at the two servers."""
    path = directory / "kubeconfig"
    path.write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": "alpha",
                "clusters": [
                    {"name": "a", "cluster": {"server": alpha.url}},
                    {"name": "b", "cluster": {"server": beta.url}},
                ],
                "users": [{"name": "viewer", "user": {"token": TOKEN}}],
                "contexts": [
                    {"name": "alpha", "context": {"cluster": "a", "user": "viewer"}},
                    {"name": "beta", "context": {"cluster": "b", "user": "viewer"}},
                ],
            }
        )
    )
    return path


def header(app: MLViewApp) -> str:
    return str(app.query_one("#source-header").render())


async def test_ctx_switches_the_live_source_to_the_other_context(tmp_path):
    beta_only = obj("PersistentVolumeClaim", "only-in-beta")
    with (
        FakeApiServer(cluster_objects()) as alpha,
        FakeApiServer([*cluster_objects(), beta_only]) as beta,
    ):
        source = LiveSource(connect(str(two_contexts(tmp_path, alpha, beta)), None))
        assert source.contexts() == ["alpha", "beta"]
        app = make_app(source.store, feed=source)
        new = None
        try:
            async with app.run_test(size=(140, 40)) as pilot:
                await wait_for(pilot, source.synced, "alpha synced")
                await wait_for(pilot, lambda: "context alpha" in header(app), "alpha in the header")
                assert "only-in-beta" not in screen_text(app)
                seen = notifications(app)
                await app.run_command("ctx beta")
                await wait_for(pilot, lambda: app.feed is not source, "the switch")
                new = app.feed
                assert app.store is new.store and new.conn.context == "beta"
                await wait_for(pilot, new.synced, "beta synced")
                await wait_for(pilot, lambda: "context beta" in header(app), "beta in the header")
                await wait_for(pilot, lambda: "only-in-beta" in screen_text(app), "beta's claim")
                assert "alpha" not in header(app)
                await wait_for(
                    pilot, lambda: all(s.stopped.is_set() for s in source.syncs), "alpha stopped"
                )
                assert any(m == "context beta" for m in seen), seen
                # an unknown context: one line, the current source keeps running
                await app.run_command("ctx nowhere")
                await pilot.pause()
                assert seen[-1] == "no context 'nowhere' in the kubeconfig (contexts: alpha, beta)"
                assert app.feed is new
                # no name: a picker of the contexts
                await app.run_command("ctx")
                await pilot.pause()
                assert isinstance(app.screen, PickScreen) and app.screen.items == [
                    "alpha",
                    "beta",
                ]
        finally:
            source.stop()
            if new is not None:
                new.stop()
