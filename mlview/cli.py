"""The `mlview` command: the interactive app (default) and its subcommands."""

from __future__ import annotations

import argparse
import gc
import sys
from importlib import import_module
from typing import Any

from mlview import __version__
from mlview.commands.common import (
    add_source_options,
    fail,
    offline_store,
    open_baseline,
    open_live,
)
from mlview.commands.completion import autocomplete_if_asked
from mlview.errors import EXIT_OK, UsageError

# Each module exposes register(subparsers); add one line to add a command.
COMMAND_MODULES: tuple[str, ...] = (
    "mlview.commands.check",
    "mlview.commands.diff",
    "mlview.commands.record",
    "mlview.commands.rbac",
    "mlview.commands.matrix",
    "mlview.commands.trace",
    "mlview.commands.service",
    "mlview.commands.serve",
    "mlview.commands.checks",
    "mlview.commands.completion",
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


def build_parser(prog: str = "mlview") -> _Parser:
    parser = _Parser(
        prog=prog,
        description="Read-only terminal view of an ML platform on Kubernetes: storage, "
        "ingress and NetworkPolicy reachability, explained.",
    )
    parser.add_argument("--version", action="version", version=f"mlview {__version__}")
    add_source_options(parser, top_level=True)
    parser.add_argument("--list", action="store_true", help="with --demo: list the scenarios")
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="findings to disable, re-rate or accept (default: ./.mlview.yaml)",
    )
    parser.add_argument(
        "--logs",
        action="store_true",
        help="pod view: show the last lines of the previous container's log (live cluster "
        "only; read on demand, never recorded; needs get on pods/log: mlview rbac --logs)",
    )
    parser.add_argument(
        "--baseline",
        metavar="OLD",
        help="mark what changed since OLD (a snapshot file or folder, demo:NAME, or live: the "
        "cluster at startup): rows added, removed or changed, flipped reachability cells, new "
        "and resolved findings; D lists the changes",
    )
    parser.add_argument(
        "--headless-check", action="store_true", help=argparse.SUPPRESS
    )  # start the app without a terminal, render once, exit (install checks)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for modname in COMMAND_MODULES:
        import_module(modname).register(sub)
    return parser


def main(argv: list[str] | None = None, prog: str = "mlview") -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(prog)
    autocomplete_if_asked(parser)
    misplaced = _demo_before_command(argv)
    if misplaced:
        return fail(misplaced)
    args, extra = parser.parse_known_args(argv)
    if extra:  # reported here, where the subcommand whose help explains is known
        where = f"{prog} {args.command}" if args.command else prog
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


def kubectl_main() -> int:
    """`kubectl mlview ...` (krew's naming: an executable kubectl-mlview on the PATH). kubectl
    passes the words after `mlview`; --context, --kubeconfig, -n and -A mean what they mean
    to kubectl."""
    return main(prog="kubectl mlview")


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


def load_overrides(args: argparse.Namespace) -> Any:
    from mlview.analysis import overrides

    try:
        return overrides.load(getattr(args, "config", None))
    except overrides.OverridesError as exc:
        raise UsageError(str(exc)) from None


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
        # The baseline first: a mistyped path fails before the cluster is contacted.
        baseline = open_baseline(args) if args.baseline else None
        store, feed = offline_store(args), None
        if store is None:  # the live cluster: checked here, watched while the app runs
            feed = open_live(args)
            feed.probe()
            store = feed.store
        from mlview.ui.app import MLViewApp

        gc.freeze()
        app = MLViewApp(
            store,
            namespace=args.namespace,
            feed=feed,
            overrides=load_overrides(args),
            logs=_log_reader(args, feed),
            baseline=baseline,
        )
        if args.headless_check:
            return app.headless_check()
        app.run()
        if app.crash_message:
            print(app.crash_message, file=sys.stderr)
        return app.return_code or EXIT_OK  # 1 after an unexpected error
    finally:
        gc.enable()  # the app did it unless it ended before its first screen


def _log_reader(args: argparse.Namespace, feed: Any) -> Any:
    """--logs: the live source's log reader; on a snapshot or demo, a reader that says why
    there are none. Without --logs: None (the pod view says how to turn it on)."""
    if not getattr(args, "logs", False):
        return None
    if feed is None:
        from mlview.sources.logs import unavailable

        return unavailable("logs are read from a live cluster only: this is a snapshot or demo")
    return feed.log_reader()


if __name__ == "__main__":
    raise SystemExit(main())
