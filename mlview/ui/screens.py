"""Modal screens: object detail (YAML, events, findings), help, namespace picker."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from mlview import theme
from mlview.analysis.shared.objects import name, namespace, virtual_of
from mlview.analysis.storage.claims import causes_first
from mlview.sanitize import clean
from mlview.store import event_time
from mlview.timefmt import age
from mlview.ui.catalogue_view import catalogue_lines
from mlview.ui.context import ViewContext
from mlview.ui.pod_text import EVENT_HANG
from mlview.ui.widgets import Hanging, safe


def object_yaml(obj: dict[str, Any]) -> str:
    import yaml  # only when a detail view opens: keeps it off the startup path

    # Control characters are stripped before highlighting: YAML text is cluster text too.
    return clean(yaml.safe_dump(obj, sort_keys=False, allow_unicode=True, width=100))


class DetailScreen(ModalScreen[None]):
    """An object's YAML (highlighted), its Events and its findings with hints."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close"),
        Binding("y", "toggle_yaml", "YAML on/off"),
    ]

    def __init__(self, obj: dict[str, Any], ctx: ViewContext) -> None:
        super().__init__()
        self.obj = obj
        self.ctx = ctx
        self._show_yaml = True

    def compose(self) -> ComposeResult:
        from rich.syntax import Syntax  # pulls in pygments: only when a detail view opens

        kind = self.obj.get("kind", "")
        ns, nm = namespace(self.obj), name(self.obj)
        title = Text(f"{kind} ", style=theme.STRONG) + safe(f"{ns}/{nm}" if ns else nm)
        creator = virtual_of(self.obj)
        if creator:  # derived from a workload's template: it does not exist yet
            title += Text("  (virtual) ", style=theme.NOTICE)
            title += safe(f"would be created by {creator}", theme.NOTICE)
        with VerticalScroll(id="detail-body"):
            yield Static(title, id="detail-title")
            yield Static(self._findings(kind, ns, nm), id="detail-findings")
            yield Static(self._events(kind, ns, nm), id="detail-events")
            yield Static(
                Syntax(object_yaml(self.obj), "yaml", theme=theme.YAML_SYNTAX, word_wrap=True),
                id="detail-yaml",
            )
        yield Footer()

    def _findings(self, kind: str, ns: str, nm: str) -> Group:
        found = causes_first(self.ctx.findings_for(kind, ns, nm))  # the one to act on first
        lines: list[Text | Hanging] = [Text("Findings", style=theme.HEADING)]
        if not found:
            lines.append(Text("none", style=theme.OK))
        for f in found:
            line = (
                Text()  # unstyled first: `a + b` keeps a's style under all of b
                + Text(f"{f.severity.value:8}", style=theme.SEVERITY_STYLE[f.severity.value])
                + Text(f"{f.code}  ")
                + safe(f.message)
            )
            lines.append(Hanging(line, indent=8))
            if f.hint:  # wraps under its first word, not at column 0
                hint = Text() + Text("         hint: ", style=theme.DIM) + safe(f.hint)
                lines.append(Hanging(hint))
        return Group(*lines)

    def _events(self, kind: str, ns: str, nm: str) -> Group:
        events = self.ctx.view.events_for(kind, ns, nm)
        lines: list[Text | Hanging] = [Text("Events", style=theme.HEADING)]
        if not events:
            note = "none recorded" if self.ctx.view.has_listed("Event") else "Events not listed"
            lines.append(Text(note, style=theme.DIM))
        for ev in events[-15:]:
            style = theme.WARNING if ev.get("type") == "Warning" else ""
            count = ev.get("count") or (ev.get("series") or {}).get("count") or 1
            line = (
                Text()
                + Text(f"{age(event_time(ev), self.ctx.now):>4} ago  ", style=theme.DIM)
                + Text(f"{clean(ev.get('reason'), single_line=True):22}", style=style)
                + Text(f"x{count:<4} ")
                + safe(ev.get("message") or ev.get("note") or "")
            )
            lines.append(Hanging(line, EVENT_HANG))  # the message wraps under the reason
        return Group(*lines)

    def action_toggle_yaml(self) -> None:
        self._show_yaml = not self._show_yaml
        self.query_one("#detail-yaml").display = self._show_yaml


class HelpScreen(ModalScreen[None]):
    """Every key, then the findings catalogue: a filter over the codes and the highlighted
    code's entry in full (as `mlview explain` prints it). Opened with a finding selected (the
    Findings tab), that finding's code is highlighted first."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        # Outside the filter box `q` and `?` close too; inside it they are typed.
        Binding("q,question_mark", "dismiss", "Close", show=False),
        Binding("slash", "focus_filter", "Filter codes", show=False),
        Binding("j", "scroll('down')", "Down", show=False),
        Binding("k", "scroll('up')", "Up", show=False),
        Binding("g", "scroll('home')", "Top", show=False),
        Binding("G", "scroll('end')", "Bottom", show=False),
    ]
    AUTO_FOCUS = None  # on_mount decides: the code list, or the keys to scroll

    def __init__(self, rows: list[tuple[str, str]], code: str = "") -> None:
        super().__init__()
        self.rows = rows
        self.code = code  # the code to show first ("" = the first in the catalogue)

    def compose(self) -> ComposeResult:
        text = Text("mlview keys\n", style=theme.STRONG)
        text.append(
            "The findings catalogue follows the keys: every finding code, what it needs from "
            "the input and the docs behind it.\n\n",
            style=theme.DIM,
        )
        for key, what in self.rows:
            if not key:  # a section heading
                text.append(f"\n{what}\n", style=theme.HEADING)
                continue
            text.append(f"  {key:<22}  ", style=theme.HINT)
            text.append(f"{what}\n")
        text.append("\nctrl+p opens the command palette with the same actions.", style=theme.DIM)
        with VerticalScroll(id="help-body"):
            yield Static(text)
            yield Static(
                Text("\nFindings catalogue", style=theme.HEADING)
                + Text("  / filters the codes, up/down picks one", style=theme.DIM),
                id="help-catalogue-title",
            )
            yield Input(placeholder="filter: code, title or kind", id="help-filter")
            yield OptionList(id="help-codes")
            yield Static(id="help-entry")

    def on_mount(self) -> None:
        opened_on_finding = bool(self.code)
        self._fill("")
        body = self.query_one("#help-body", VerticalScroll)
        if not opened_on_finding:
            body.focus()  # the keys first; tab or / reach the catalogue
            return
        # The entry is what the user came for: show it, not the keys.
        self.query_one("#help-codes", OptionList).focus(scroll_visible=False)
        title = self.query_one("#help-catalogue-title")
        self.call_after_refresh(body.scroll_to_widget, title, top=True, animate=False)

    def _fill(self, pattern: str) -> None:
        """List the codes matching `pattern`, keeping the highlighted one when it still does."""
        from mlview.analysis.catalogue import CATALOGUE

        needle = pattern.strip().lower()
        codes = [
            e.code
            for e in CATALOGUE.values()
            if not needle or needle in " ".join((e.code, e.title, e.domain, *e.kinds)).lower()
        ]
        ol = self.query_one("#help-codes", OptionList)
        keep = self.code if self.code in codes else (codes[0] if codes else "")
        ol.clear_options()
        ol.add_options([Option(_code_line(code, CATALOGUE[code].title), id=code) for code in codes])
        if keep:
            ol.highlighted = codes.index(keep)
            self.call_after_refresh(ol.scroll_to_highlight)
        self._show(keep)

    def _show(self, code: str) -> None:
        self.code = code
        entry = self.query_one("#help-entry", Static)
        if not code:
            entry.update(Text("No finding code matches the filter.", style=theme.DIM))
            return
        entry.update(Group(*catalogue_lines(code, heading=True)))
        if isinstance(self.focused, (Input, OptionList)):  # browsing the catalogue: keep it in view
            title = self.query_one("#help-catalogue-title")
            self.query_one("#help-body", VerticalScroll).scroll_to_widget(
                title, top=True, animate=False
            )

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#help-codes", OptionList).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self._show(event.option.id)

    def action_focus_filter(self) -> None:
        self.query_one("#help-filter", Input).focus()


CODE_LINE = 60  # columns of a line in the help's code list: fits an 80-column terminal


def _code_line(code: str, title: str) -> Text:
    """One line per code in the help's list: the code, then its title as far as it fits."""
    room = CODE_LINE - len(code) - 2
    short = title if len(title) <= room else title[: max(room - 1, 0)] + "…"
    return Text(code) + Text(f"  {short}" if room > 1 else "", style=theme.DIM)

    def action_scroll(self, where: str) -> None:
        """j / k / g / G in the help text, as in the tables."""
        body = self.query_one("#help-body", VerticalScroll)
        getattr(body, f"scroll_{where}")(animate=False)


class ClampedOptionList(OptionList):
    """An option list whose cursor stops at the ends: no wrap-around surprise (down on the
    last namespace stays there instead of jumping to "all")."""

    def action_cursor_up(self) -> None:
        if self.highlighted is None or self.highlighted > 0:
            super().action_cursor_up()

    def action_cursor_down(self) -> None:
        if self.highlighted is None or self.highlighted < self.option_count - 1:
            super().action_cursor_down()


def narrowed(items: list[str], typed: str) -> list[str]:
    """The items containing what was typed (case-insensitive), those starting with it first."""
    typed = typed.strip().lower()
    if not typed:
        return list(items)
    starts = [i for i in items if i.lower().startswith(typed)]
    inside = [i for i in items if typed in i.lower() and i not in starts]
    return starts + inside


class PickScreen(ModalScreen[str | None]):
    """Pick one of a list by typing (type-ahead narrows the list, Enter takes the highlighted
    one, up/down move without wrapping). Dismisses with the choice, "" for the `everything`
    entry when there is one, None on escape (Esc first clears what was typed)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("up", "move('cursor_up')", "Up", show=False),
        Binding("down", "move('cursor_down')", "Down", show=False),
        Binding("pageup", "move('page_up')", "Page up", show=False),
        Binding("pagedown", "move('page_down')", "Page down", show=False),
    ]

    def __init__(
        self, items: list[str], current: str | None, everything: str = "", title: str = ""
    ) -> None:
        super().__init__()
        self.items = items
        self.current = current
        self.everything = everything  # the label of the "" choice ("(all namespaces)")
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-body"):
            yield Input(
                placeholder=f"{self.title_text}: type to narrow, Enter picks", id="pick-input"
            )
            yield ClampedOptionList(id="pick-list")

    def on_mount(self) -> None:
        self._fill("")
        ids = ([""] if self.everything else []) + self.items
        ol = self.query_one(ClampedOptionList)
        if ids:
            ol.highlighted = ids.index(self.current) if self.current in ids else 0
        self.query_one(Input).focus()

    def _fill(self, typed: str) -> None:
        ol = self.query_one(ClampedOptionList)
        ol.clear_options()
        shown = narrowed(self.items, typed)
        options = [Option(self.everything, id="")] if self.everything and not typed.strip() else []
        options += [Option(safe(item), id=item) for item in shown]
        ol.add_options(options)
        if options:
            ol.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        ol = self.query_one(ClampedOptionList)
        if ol.highlighted is not None and ol.option_count:
            self.dismiss(ol.get_option_at_index(ol.highlighted).id or "")
        else:
            self.app.notify(f"nothing matches {event.value!r}", severity="warning")

    def action_move(self, action: str) -> None:
        getattr(self.query_one(ClampedOptionList), f"action_{action}")()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or "")

    def action_cancel(self) -> None:
        box = self.query_one(Input)
        if box.value:  # one level at a time: what was typed first
            box.value = ""
            return
        self.dismiss(None)


class NamespaceScreen(PickScreen):
    """Pick one namespace or all. Dismisses with the choice ("" = all), None on escape."""

    def __init__(self, namespaces: list[str], current: str | None) -> None:
        super().__init__(namespaces, current, everything="(all namespaces)", title="namespace")
        self.namespaces = namespaces
