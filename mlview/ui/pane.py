"""The base of every tab's content: refreshed with a ViewContext, offers its selection."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from textual.containers import Vertical
from textual.widgets import DataTable

from mlview.ui.context import ViewContext
from mlview.ui.messages import OpenDetail


class Pane(Vertical):
    """A tab's content. The app calls `refresh_context` only while the pane is visible."""

    TITLE = ""
    # Keys the help screen lists besides BINDINGS (Enter, Esc, the widgets' own keys).
    HELP_KEYS: tuple[tuple[str, str], ...] = ()

    def refresh_context(self, ctx: ViewContext) -> None:
        raise NotImplementedError

    def selected_object(self) -> dict[str, Any] | None:
        """The object under the cursor, for the detail screen (Enter)."""
        return None

    def open_detail(self) -> None:
        """Ask the app to open the object under the cursor (Enter on a row, d)."""
        obj = self.selected_object()
        if obj is not None:
            self.post_message(OpenDetail(obj))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_detail()

    def selected_pods(self) -> list[dict[str, Any]]:
        """The pods of the row under the cursor (`o` opens them); by default the selected
        object when it is a pod."""
        obj = self.selected_object()
        return [obj] if obj is not None and obj.get("kind") == "Pod" else []

    def pods_by_key(self, ctx: ViewContext | None, keys: list[str]) -> list[dict[str, Any]]:
        """The pods of row keys "namespace/name" (other keys, such as a legend row, skipped)."""
        if ctx is None:
            return []
        found = (ctx.view.get("Pod", *key.split("/", 1)) for key in keys if "/" in key)
        return [pod for pod in found if pod is not None]

    def show_key(self, key: str) -> bool:
        """Put the cursor on the object with this row key (a jump from another tab): the first
        visible table holding it. False when none does."""
        from mlview.ui.widgets import ObjectTable

        for table in self.query(ObjectTable):
            if table.display and table.select(key):
                table.focus()
                return True
        return False

    def back(self) -> bool:
        """Esc, innermost level: close the pane's own input box or sub-list. True when it did
        (the app then stops there), False when the pane has nothing open."""
        return False

    def back_view(self) -> bool | Awaitable[bool]:
        """Esc once no filter is left: from a secondary view back to the tab's main one."""
        return False

    def show_view(self, view: str) -> bool | Awaitable[bool]:
        """Command mode (`:pv`, `:httproute`): show the view that lists a kind. False when
        the pane has no such view."""
        return not view

    def trace_url(self) -> str:
        """A URL served by the row under the cursor, to start a trace from ("" = none)."""
        return ""
