"""The Changes view (D): what changed since the baseline, as `mlview diff` prints it, sections
worst first (findings, reachability, routes, storage, objects)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, TextIO

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from mlview import theme

# Lines of the CLI's text that start a section (or the head and summary): styled as headings.
_HEADS = ("Findings", "Reachability", "Routes", "Storage", "Objects", "mlview diff")


# How `mlview diff` prints a Diff (mlview.commands.diff_text.print_diff): handed to the app by
# the CLI, which sits above both the ui and the commands layers (they may not import each other).
Printer = Callable[[Any, TextIO], None]


def changes_text(diff: Any, print_diff: Printer) -> Text:
    """The engine's diff as the CLI prints it (already sanitized there), headings styled.
    Built from the text, not re-rendered: the view says exactly what `mlview diff` says."""
    buf = io.StringIO()
    print_diff(diff, buf)
    out = Text(no_wrap=True)  # the CLI wrapped it at 80 columns: narrower scrolls sideways
    for line in buf.getvalue().splitlines():
        style = theme.HEADING if line.startswith(_HEADS) else ""
        if line.lstrip().startswith(("+", "new ")):
            style = style or theme.WARNING
        out.append(line + "\n", style=style)  # literal: Text never parses markup
    return out


class ChangesScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,D", "dismiss", "Close")]

    def __init__(self, diff: Any, title: str, print_diff: Printer) -> None:
        super().__init__()
        self.diff = diff
        self.title_text = title
        self.print_diff = print_diff

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="changes-body") as body:
            body.border_title = self.title_text
            yield Static(changes_text(self.diff, self.print_diff), id="changes-text")
