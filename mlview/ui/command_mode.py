"""Command mode (`:` as in k9s): one line at the bottom, a kind or alias jumps to its view.

The commands are a table: each names its aliases, what it does and the app action it runs
(Textual action syntax). A command that takes an argument (`:ns NAME`, `:ctx NAME`) gets it
appended as the action's last parameter. An action the app does not have yet is reported in
one line, never raised.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.suggester import Suggester
from textual.widgets import Input, Static


@dataclass(frozen=True)
class Command:
    names: tuple[str, ...]  # the first is the one help and completion show
    what: str
    action: str  # an app action, e.g. "show_kind('storage', 'volumes')"
    arg: str = ""  # what its argument is ("namespace", "context"); "" when it takes none

    @property
    def name(self) -> str:
        return self.names[0]

    def action_with(self, arg: str) -> str:
        """The action string to run, with the argument (literally quoted) when it takes one."""
        if not self.arg:
            return self.action
        return f"{self.action}({arg!r})"


COMMANDS: tuple[Command, ...] = (
    Command(
        ("pvc", "pvcs", "persistentvolumeclaim", "persistentvolumeclaims", "claims"),
        "Storage tab: claims",
        "show_kind('storage', 'claims')",
    ),
    Command(
        ("pv", "pvs", "persistentvolume", "persistentvolumes", "volumes"),
        "Storage tab: volumes",
        "show_kind('storage', 'volumes')",
    ),
    Command(
        ("sc", "storageclass", "storageclasses", "classes"),
        "Storage tab: storage classes",
        "show_kind('storage', 'classes')",
    ),
    Command(
        ("ing", "ingress", "ingresses"), "Ingress tab: routes", "show_kind('ingress', 'ingress')"
    ),
    Command(
        ("httproute", "httproutes", "grpcroute", "grpcroutes", "gw", "gateway", "gateways"),
        "Ingress tab: Gateway API routes",
        "show_kind('ingress', 'gateway')",
    ),
    Command(
        ("netpol", "netpols", "np", "networkpolicy", "networkpolicies", "reach"),
        "Reachability tab",
        "show_kind('reachability', '')",
    ),
    Command(
        ("svc", "service", "services"), "Services tab: model services", "show_kind('services', '')"
    ),
    Command(("findings", "finding"), "Findings tab", "show_kind('findings', '')"),
    Command(("events", "ev", "event"), "Events view: Warnings first", "show_events"),
    Command(
        ("pod", "po", "pods"),
        "Pod view (a NAME or ns/NAME; none: the row's pods)",
        "show_pod",
        "pod",
    ),
    Command(
        ("ns", "namespace"),
        "One namespace (no name: pick one; all: every one)",
        "set_namespace",
        "namespace",
    ),
    Command(
        ("ctx", "context"),
        "Switch the live cluster's context (no name: pick one)",
        "switch_context",
        "context",
    ),
    Command(("help", "keys"), "Every key, per tab", "help"),
    Command(("q", "quit", "q!", "exit"), "Quit", "quit"),
)

BY_NAME: dict[str, Command] = {n: c for c in COMMANDS for n in c.names}
PLACEHOLDER = "  ".join(
    f"{c.name} {c.arg.upper()}" if c.arg else c.name for c in COMMANDS if c.name != "help"
)


class CommandError(ValueError):
    """A line the user typed that names no command: the message says what would."""


def parse(line: str) -> tuple[Command, str]:
    """The command a typed line names and its argument ("" when none)."""
    text = line.strip().lstrip(":").strip()
    head, _, rest = text.partition(" ")
    head = head.lower()
    if not head:
        raise CommandError("type a command, e.g. pv, ing, netpol, ns NAME, q")
    command = BY_NAME.get(head)
    if command is None:
        near = difflib.get_close_matches(head, list(BY_NAME), n=1, cutoff=0.6)
        hint = f"did you mean :{near[0]}? " if near else ""
        raise CommandError(f"unknown command :{head}: {hint}try :pv :pvc :sc :ing :netpol :svc :q")
    if rest.strip() and not command.arg:
        raise CommandError(f":{head} takes no argument")
    return command, rest.strip()


def complete(line: str, arguments: Callable[[str], Iterable[str]]) -> str | None:
    """The whole line completed: a command name, or after it an argument (`arguments(kind)`
    lists the namespaces or contexts). None when nothing starts with what was typed."""
    head, space, rest = line.lstrip(":").partition(" ")
    if not space:
        if not head:
            return None
        lowered = head.lower()
        for command in COMMANDS:  # the table's order: the short, common names first
            for n in command.names:
                if n.startswith(lowered) and n != lowered:
                    return line[: len(line) - len(head)] + n
        return None
    command = BY_NAME.get(head.lower())
    if command is None or not command.arg:
        return None
    candidates = sorted(arguments(command.arg))
    for value in candidates:
        if rest and value.startswith(rest) and value != rest:
            return line[: len(line) - len(rest)] + value
    return None


class CommandSuggester(Suggester):
    """The inline completion (accepted with tab or the right arrow)."""

    def __init__(self, arguments: Callable[[str], Iterable[str]]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.arguments = arguments

    async def get_suggestion(self, value: str) -> str | None:
        return complete(value, self.arguments)


class CommandPrompt(Input):
    """The one-line prompt; Enter runs, tab completes, Esc closes (the app handles Submitted)."""

    BINDINGS = [
        Binding("tab", "complete", "Complete", show=False),
        Binding("escape", "close", "Close", show=False),
    ]

    def __init__(self, arguments: Callable[[str], Iterable[str]], **kwargs) -> None:
        super().__init__(
            placeholder=PLACEHOLDER,
            suggester=CommandSuggester(arguments),
            **kwargs,
        )
        self.arguments = arguments

    def action_complete(self) -> None:
        done = complete(self.value, self.arguments)
        if done is not None:
            self.value = done
            self.cursor_position = len(done)

    def action_close(self) -> None:
        self.value = ""
        self.parent.display = False  # the bar
        self.app.call_later(self.app.refocus_table)  # type: ignore[attr-defined]


class CommandBar(Horizontal):
    """The prompt's line: a `:` (as k9s shows it) and the input."""

    def __init__(self, arguments: Callable[[str], Iterable[str]], **kwargs) -> None:
        super().__init__(**kwargs)
        self.arguments = arguments

    def compose(self) -> ComposeResult:
        yield Static(":", id="command-colon")
        yield CommandPrompt(self.arguments, id="command-input")

    @property
    def prompt(self) -> CommandPrompt:
        return self.query_one(CommandPrompt)
