"""The footer: the keys of the tab and the app, Help and Quit always among them.

Textual's Footer lays its keys out left to right and cuts whatever passes the right edge: at 80
columns that was `? Help` and `q Quit`, the app's keys coming after the tab's. This footer
measures the keys (as FooterKey draws them) and, when they do not all fit, hides the others from
the right until they do: Help lists every key. Narrow, the keys are drawn compact (one column
less each).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ALWAYS = ("help", "quit")  # actions whose keys always show
COMPACT_BELOW = 100  # columns


class KeyFooter(Footer):
    def on_resize(self) -> None:
        compact = self.size.width < COMPACT_BELOW
        if compact != self.compact:
            self.compact = compact  # recomposes, then fits
        else:
            self._fit()

    async def recompose(self) -> None:
        await super().recompose()
        self._fit()

    def _fit(self) -> None:
        keys = [k for k in self.query(FooterKey) if not k.has_class("-command-palette")]
        if not keys or not self.size.width:
            return
        # The palette key, docked right: a border on its left; compact, no padding or margin.
        room = self.size.width - sum(
            _width(k, self.compact) + (0 if self.compact else 2)
            for k in self.query(".-command-palette")
        )
        widths = [_width(k, self.compact) for k in keys]
        shown = [True] * len(keys)
        total = sum(widths)
        # The rightmost first: the tab's own keys come before the app's, which Help lists.
        for i in reversed(range(len(keys))):
            if total <= room:
                break
            if keys[i].action.removeprefix("app.") not in ALWAYS:
                shown[i] = False
                total -= widths[i]
        for key, show in zip(keys, shown, strict=True):
            key.display = show


def _width(key: FooterKey, compact: bool) -> int:
    """Columns a FooterKey takes: `key description` and its padding (Footer's CSS)."""
    text = cell_len(key.key_display)
    if key.description:
        text += cell_len(key.description) + (1 if compact else 3)
    return text + (1 if compact else 0)  # compact keys have a right margin
