"""Options and store opening shared by every subcommand (snapshot, demo, live cluster)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from mlview.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError
from mlview.sources import demo, snapshot
from mlview.store import Store

if TYPE_CHECKING:
    from mlview.sources.live import LiveSource

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_USAGE",
    "UsageError",
    "add_source_options",
    "fail",
    "offline_store",
    "open_baseline",
    "open_live",
    "open_store",
]


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
    demo_option = group.add_argument(
        "--demo",
        nargs="?",
        const=demo.DEFAULT_SCENARIO,
        metavar="NAME",
        default=default,
        help=f"a bundled demo scenario (default {demo.DEFAULT_SCENARIO})",
    )
    context_option = group.add_argument(
        "--context", default=default, help="kubeconfig context (live cluster)"
    )
    group.add_argument(
        "--kubeconfig", metavar="PATH", default=default, help="kubeconfig file (live cluster)"
    )
    group.add_argument("-n", "--namespace", default=default, help="only this namespace")
    group.add_argument(
        "-A",
        "--all-namespaces",
        dest="namespace",
        action="store_const",
        const=None,
        default=default,
        help="every namespace (the default; as kubectl's -A)",
    )
    # Shell completion (mlview completion): what argcomplete offers for these values.
    from mlview.commands.completion import demo_names, kube_contexts

    demo_option.completer = demo_names  # type: ignore[attr-defined]
    context_option.completer = kube_contexts  # type: ignore[attr-defined]


def open_store(args: argparse.Namespace) -> Store:
    """A store filled from --snapshot, --demo, or (when neither) the live cluster, listed once."""
    store = offline_store(args)
    return store if store is not None else open_live(args).list_once()


def offline_store(args: argparse.Namespace) -> Store | None:
    """The store of --snapshot or --demo; None when neither is given (the live cluster)."""
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
    return None


def open_baseline(args: argparse.Namespace) -> Store:
    """The store of `mlview --baseline OLD`, named as `mlview diff` names its sources: a
    snapshot file or folder, `demo:NAME`, or `live` (the cluster as it is at startup). Read
    once: a baseline does not change while the app runs."""
    from mlview.commands.named_source import open_named

    try:
        return open_named(args.baseline, args)
    except UsageError as exc:
        raise UsageError(f"--baseline: {exc}") from None


def open_live(args: argparse.Namespace, offline_hint: str | None = None) -> LiveSource:
    """The cluster of --kubeconfig/--context (or in-cluster), neither probed nor started: the
    caller lists it once (list_once probes first), or probes it and hands it to the app,
    which starts its watches when it mounts and stops them when it exits. `offline_hint`: what
    a missing kubeconfig suggests instead (default: --snapshot/--demo; none for `record`)."""
    try:
        # Imported here: only a live run loads the kubernetes client.
        from mlview.sources import live
    except ImportError:
        raise UsageError(
            "no --snapshot or --demo given, and live cluster support is missing"
        ) from None
    return live.open_source(
        getattr(args, "kubeconfig", None),
        getattr(args, "context", None),
        getattr(args, "namespace", None),
        offline_hint=(
            offline_hint
            if offline_hint is not None
            else ""
            if getattr(args, "command", None) == "record"
            else "--snapshot/--demo to work offline"
        ),
    )


def fail(message: str) -> int:
    print(f"mlview: {message}", file=sys.stderr)
    return EXIT_USAGE
