"""The Changes view (D): what changed since the baseline, as `mlview diff` prints it, sections
worst first (findings, reachability, routes, storage, objects)."""

from __future__ import annotations

import io
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from mlview import theme
from mlview.analysis.diff.text import print_diff

# Lines of the CLI's text that start a section (or the head and summary): styled as headings.
_HEADS = ("Findings", "Reachability", "Routes", "Storage", "Objects", "mlview diff")


def changes_text(diff: Any, width: int) -> Text:
    """The engine's diff as the CLI prints it (already sanitized there), wrapped to `width`,
    headings styled. Built from that text: the view says exactly what `mlview diff` says."""
    buf = io.StringIO()
    print_diff(diff, buf, width)
    out = Text(no_wrap=True)  # wrapped above, with the CLI's hanging indents
    for line in buf.getvalue().splitlines():
        style = theme.HEADING if line.startswith(_HEADS) else ""
        if line.lstrip().startswith(("+", "new ")):
            style = style or theme.WARNING
        out.append(line + "\n", style=style)  # literal: Text never parses markup
    return out


class ChangesScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,D", "dismiss", "Close")]

    def __init__(self, diff: Any, title: str) -> None:
        super().__init__()
        self.diff = diff
        self.title_text = title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="changes-body") as body:
            body.border_title = self.title_text
            yield Static(changes_text(self.diff, self._text_width()), id="changes-text")

    def _text_width(self) -> int:
        """The box's inner width (styles/app.tcss #changes-body: 95%, at most 90 columns, a
        border, padding and a scrollbar), at most the CLI's 80."""
        box = min(90, self.app.size.width * 95 // 100)
        return max(40, min(80, box - 5))
