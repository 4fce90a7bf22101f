"""The base of every tab's content: refreshed with a ViewContext, offers its selection."""

from __future__ import annotations

from typing import Any

from textual.containers import Vertical

from mlview.ui.context import ViewContext


class Pane(Vertical):
    """A tab's content. The app calls `refresh_context` only while the pane is visible."""

    TITLE = ""

    def refresh_context(self, ctx: ViewContext) -> None:
        raise NotImplementedError

    def selected_object(self) -> dict[str, Any] | None:
        """The object under the cursor, for the detail screen (Enter)."""
        return None

    def trace_url(self) -> str:
        """A URL served by the row under the cursor, to start a trace from ("" = none)."""
        return ""
