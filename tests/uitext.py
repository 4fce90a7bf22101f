"""Read what a Textual app shows, as plain text (for pilot tests that assert on the screen)."""

from __future__ import annotations

from textual.app import App
from textual.worker import WorkerCancelled


def screen_text(app: App) -> str:
    """The current screen as the user sees it: one line per terminal row."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


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
    """Wait for analysis workers and the redraw that follows them."""
    for _ in range(2):
        await wait_workers(app)
        await pilot.pause()
