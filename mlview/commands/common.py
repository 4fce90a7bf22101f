"""Options and store opening shared by every subcommand (snapshot, demo, later live)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from mlview.sources import demo, snapshot
from mlview.store import Store

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A bad option or input: printed as one line, exit status 2."""


def add_source_options(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """--snapshot/--demo/--context/--kubeconfig/-n. On a subcommand they default to SUPPRESS,
    so `mlview --context X check` keeps the X given before the subcommand."""
    default = None if top_level else argparse.SUPPRESS
    group = parser.add_argument_group("where the objects come from")
    group.add_argument(
        "--snapshot",
        nargs="+",
        metavar="PATH",
        default=default,
        help="snapshot files or folders (kubectl -o yaml/json, .gz too); - reads stdin",
    )
    group.add_argument(
        "--demo",
        nargs="?",
        const=demo.DEFAULT_SCENARIO,
        metavar="NAME",
        default=default,
        help=f"a bundled demo scenario (default {demo.DEFAULT_SCENARIO})",
    )
    group.add_argument("--context", default=default, help="kubeconfig context (live cluster)")
    group.add_argument(
        "--kubeconfig", metavar="PATH", default=default, help="kubeconfig file (live cluster)"
    )
    group.add_argument("-n", "--namespace", default=default, help="only this namespace")


# Set by the live source module when it is installed; keeps cli free of kubernetes imports.
live_opener: Callable[[argparse.Namespace, bool], Store] | None = None


def open_store(args: argparse.Namespace, *, watch: bool = False) -> Store:
    """A store filled from --snapshot, --demo, or (when neither) the live cluster."""
    try:
        if getattr(args, "snapshot", None):
            # -n is also where namespace-less manifests go, as with kubectl apply -n
            snap = snapshot.load(args.snapshot, namespace=getattr(args, "namespace", None))
            return snap.to_store("snapshot")
        if getattr(args, "demo", None):
            path = demo.scenario_path(args.demo)
            return snapshot.load([path]).to_store("demo", label=f"demo: {args.demo}")
    except snapshot.SnapshotError as exc:
        raise UsageError(str(exc)) from None
    opener = _live_opener()
    if opener is None:
        raise UsageError("no --snapshot or --demo given, and live cluster support is missing")
    return opener(args, watch)


def _live_opener() -> Callable[[argparse.Namespace, bool], Store] | None:
    if live_opener is not None:
        return live_opener
    try:
        from mlview.sources import live  # noqa: F401  (registers itself)
    except ImportError:
        return None
    return live_opener


def fail(message: str) -> int:
    print(f"mlview: {message}", file=sys.stderr)
    return EXIT_USAGE
