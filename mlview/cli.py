"""The `mlview` command: the interactive app (default) and its subcommands."""

from __future__ import annotations

import argparse
import gc
import sys
from importlib import import_module

from mlview import __version__
from mlview.commands.common import EXIT_OK, UsageError, add_source_options, fail, open_store

# Each module exposes register(subparsers); add one line to add a command.
COMMAND_MODULES: tuple[str, ...] = (
    "mlview.commands.check",
    "mlview.commands.record",
    "mlview.commands.rbac",
    "mlview.commands.matrix",
    "mlview.commands.trace",
)

COMMAND_NAMES = tuple(m.rsplit(".", 1)[1] for m in COMMAND_MODULES)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        # self.prog is "mlview check" on a subcommand: its help is the one that explains
        self.error_in(self.prog, message)

    @staticmethod
    def error_in(prog: str, message: str) -> None:
        print(f"mlview: {message} (see {prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> _Parser:
    parser = _Parser(
        prog="mlview",
        description="Read-only terminal view of an ML platform on Kubernetes: storage, "
        "ingress and NetworkPolicy reachability, explained.",
    )
    parser.add_argument("--version", action="version", version=f"mlview {__version__}")
    add_source_options(parser, top_level=True)
    parser.add_argument("--list", action="store_true", help="with --demo: list the scenarios")
    parser.add_argument(
        "--headless-check", action="store_true", help=argparse.SUPPRESS
    )  # start the app without a terminal, render once, exit (install checks)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for modname in COMMAND_MODULES:
        import_module(modname).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    misplaced = _demo_before_command(argv)
    if misplaced:
        return fail(misplaced)
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # reported here, where the subcommand whose help explains is known
        where = f"mlview {args.command}" if args.command else "mlview"
        parser.error_in(where, f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command:
            return int(args.func(args))
        return run_app(args)
    except UsageError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def _demo_before_command(argv: list[str]) -> str:
    """`mlview --demo check ...`: --demo would take the command as its scenario name."""
    for i, arg in enumerate(argv[:-1]):
        if arg == "--demo" and argv[i + 1] in COMMAND_NAMES:
            command, rest = argv[i + 1], argv[:i] + argv[i + 2 :]
            meant = " ".join(["mlview", command, "--demo", *rest])
            return (
                f"--demo takes a scenario name, and {command!r} is a command: "
                f"did you mean `{meant}`?"
            )
        if arg in COMMAND_NAMES:
            break  # options after the command are the command's
    return ""


def run_app(args: argparse.Namespace) -> int:
    if args.list:
        from mlview.sources import demo

        for sc in demo.scenarios():
            print(f"{sc.name:24} {sc.description}")
        return EXIT_OK
    # Startup builds long-lived objects (the UI's modules, the snapshot, the widgets):
    # collecting during it finds nothing, and one full collection walks them all. Paused
    # until the app has drawn its first screen (it resumes it then, frozen: later
    # collections skip those objects); about 25 ms of the demo's first screen.
    gc.disable()
    try:
        store = open_store(args, watch=True)
        from mlview.ui.app import MLViewApp

        gc.freeze()
        app = MLViewApp(store, namespace=args.namespace)
        if args.headless_check:
            return app.headless_check()
        app.run()
        return EXIT_OK
    finally:
        gc.enable()  # the app did it unless it ended before its first screen


if __name__ == "__main__":
    raise SystemExit(main())
