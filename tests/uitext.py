"""Read what a Textual app shows, as plain text (for pilot tests that assert on the screen)."""

from __future__ import annotations

from textual.app import App


def screen_text(app: App) -> str:
    """The current screen as the user sees it: one line per terminal row."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


async def settle(app: App, pilot) -> None:
    """Wait for analysis workers and the redraw that follows them."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
