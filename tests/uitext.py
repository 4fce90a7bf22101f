"""The one way pilot tests build, settle and read the app (tests/ui, tests/live).

- `make_app(source)`: the app on a demo scenario name, a snapshot file, a list of objects or a
  ready Store.
- `settle(app, pilot)`: wait until the analysis and everything it set off (pane workers, the
  messages they post, the redraw) is done.
- `screen_text(app)`: what the user sees, as plain text.
- `notifications(app)`: the notices the app shows from now on.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.worker import WorkerCancelled

from mlview.store import Store

if TYPE_CHECKING:
    from mlview.ui.app import MLViewApp


def make_app(
    source: str | Path | Store | Iterable[dict[str, Any]],
    *,
    mode: str | None = None,
    label: str = "",
    namespace: str | None = None,
    app_class: type[MLViewApp] | None = None,
    feed: Any = None,
    baseline: str | Path | Store | None = None,
) -> MLViewApp:
    """The app on `source`:

    - a demo scenario name ("incident-504"): loaded as the demo does (mode "demo");
    - a snapshot or manifest file (Path): mode "snapshot" unless `mode` says otherwise;
    - objects (dicts): a store holding them, their kinds marked listed;
    - a Store: used as it is (live sources, hand-built notes and sync states).

    `app_class`: a subclass, to observe the app's messages (its handlers run before the app's).
    `feed`: a live source the app starts when it mounts and stops when it exits.
    `baseline`: what `mlview --baseline` gives: a demo scenario name, a snapshot file or a Store.
    """
    from mlview.sources import demo
    from mlview.sources.snapshot import load
    from mlview.ui.app import MLViewApp

    if isinstance(source, Store):
        store = source
    elif isinstance(source, str):
        store = load([demo.scenario_path(source)]).to_store(mode or "demo", label=label)
    elif isinstance(source, Path):
        store = load([source]).to_store(mode or "snapshot", label=label)
    else:
        objs = list(source)
        store = Store()
        store.put_many(objs)
        store.mark_listed({o["kind"] for o in objs})
    if isinstance(baseline, str):
        baseline = load([demo.scenario_path(baseline)]).to_store("demo", label=baseline)
    elif isinstance(baseline, Path):
        baseline = load([baseline]).to_store("snapshot")
    return (app_class or MLViewApp)(store, namespace=namespace, feed=feed, baseline=baseline)


async def wait_workers(app: App) -> None:
    """Wait until no worker runs. An exclusive worker replaced by a newer one is cancelled:
    that is normal, so wait again for its successor."""
    for _ in range(50):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def settle(app: App, pilot) -> None:
    """Wait for the workers, the result messages they post and the redraw that follows; twice,
    because a result can start another worker (the app's analysis, then a pane's)."""
    for _ in range(2):
        await wait_workers(app)
        await pilot.pause()


def screen_text(app: App) -> str:
    """The current screen as the user sees it: one line per terminal row. Textual has no public
    text export (export_screenshot is SVG), so this reads its compositor, here and only here."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


def notifications(app: App) -> list[str]:
    """A list that receives the message of every notice the app shows from now on."""
    seen: list[str] = []
    notify = app.notify

    def recording(message: str, *args: Any, **kwargs: Any) -> None:
        seen.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    return seen
