"""When both sides of a cell deny (the source's egress and the destination's ingress), Enter
lists the policies of each side; Enter on one opens it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from mlview import theme
from mlview.analysis.reachability.explain import Explanation
from mlview.ui.widgets import safe


def denying_policies(ex: Explanation) -> list[tuple[str, str]]:
    """(side, policy ref) for every policy isolating a side that denies, egress first."""
    out = []
    for side in (ex.egress, ex.ingress):
        if side is None or not side.isolated or side.allowed:
            continue
        who = f"{side.direction} of {side.pod}"
        out.extend((who, ref) for ref, iso in side.selecting if iso)
    return out


class PolicyChoiceScreen(ModalScreen[str | None]):
    """Pick one of the denying policies. Dismisses with its ref ("ns/name"), None on escape."""

    BINDINGS = [Binding("escape,q", "cancel", "Close")]
    DEFAULT_CSS = """
    PolicyChoiceScreen { align: center middle; }
    PolicyChoiceScreen > #choice-body { width: auto; max-width: 90%; height: auto;
        border: round $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical

        with Vertical(id="choice-body"):
            yield Static(
                Text(
                    "Denied on both sides: open which policy? (Enter, Esc closes)",
                    style=theme.STRONG,
                )
            )
            yield OptionList(
                *(
                    Option(Text.assemble((f"{side}: ", theme.DIM), safe(ref)), id=ref)
                    for side, ref in self.choices
                ),
                id="choice-list",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
