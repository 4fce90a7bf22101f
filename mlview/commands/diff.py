"""`mlview diff OLD NEW`: what changed between two sources, and what it broke.

OLD and NEW are snapshot files or folders (plain manifests too), `live` (the current
kubeconfig context) or `demo:NAME`; `mlview diff --demo` compares the bundled demo pair, and
`mlview diff --demo OLD NEW` two demo scenarios by name.

Exit status: 1 when a finding NEW has and OLD has not reaches --fail-on (default error), else 0
(--fail-on never: always 0); 2 for bad input, or an analyzer that failed on either side.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from mlview.analysis.findings import Severity
from mlview.commands.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError
from mlview.commands.named_source import DEMO_PREFIX, HELP, open_named

# The bundled pair `mlview diff --demo` compares: a Helm upgrade that broke things.
DEMO_PAIR = ("before-upgrade", "after-upgrade")
FAIL_ON = ("error", "warning", "info", "never")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "diff",
        help="what changed between two snapshots (or a snapshot and live): findings, "
        "reachability, routes, storage, objects",
        description="Compare two sources semantically: findings new and resolved, pod pairs "
        "whose reachability flipped (and the policy change that did it), routes, storage and "
        "objects. Exit 1 when a new finding reaches --fail-on, 0 otherwise, 2 on bad input.",
    )
    p.add_argument("old", nargs="?", metavar="OLD", help=HELP)
    p.add_argument("new", nargs="?", metavar="NEW", help=HELP + " (e.g. live)")
    p.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help=f"without OLD NEW: the demo pair ({DEMO_PAIR[0]} -> {DEMO_PAIR[1]}); with them: "
        "OLD and NEW are demo scenario names",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--port",
        type=_port,
        action="append",
        default=[],
        metavar="N",
        help="also compare reachability on TCP port N (repeatable); by default every port a "
        "Service targets or a named containerPort exposes, in either source",
    )
    p.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="error",
        help="exit 1 when a NEW finding reaches this severity (default error; never: exit 0)",
    )
    p.add_argument(
        "--config",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="findings to disable, re-rate or accept (default: ./.mlview.yaml), on both sides",
    )
    p.add_argument("--context", default=argparse.SUPPRESS, help="kubeconfig context (for live)")
    p.add_argument(
        "--kubeconfig", metavar="PATH", default=argparse.SUPPRESS, help="kubeconfig (for live)"
    )
    p.set_defaults(func=run)


def _port(text: str) -> int:
    try:
        num = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port {text!r} is not a number") from None
    if not 1 <= num <= 65535:
        raise argparse.ArgumentTypeError(f"port {num} is out of range 1-65535")
    return num


def sources(args: argparse.Namespace) -> tuple[str, str]:
    """OLD and NEW as named sources (demo names given with --demo become demo:NAME)."""
    old, new = args.old, args.new
    if getattr(args, "demo", False):
        if old is None:
            return tuple(DEMO_PREFIX + n for n in DEMO_PAIR)  # type: ignore[return-value]
        if new is None:
            raise UsageError("--demo takes no names or two (OLD NEW demo scenario names)")
        return DEMO_PREFIX + old.removeprefix(DEMO_PREFIX), DEMO_PREFIX + new.removeprefix(
            DEMO_PREFIX
        )
    if old is None or new is None:
        raise UsageError(
            "diff needs OLD and NEW (files, folders, live or demo:NAME), or --demo "
            "(see mlview diff --help)"
        )
    if old == new == "live":
        raise UsageError("OLD and NEW are both live: record one first (mlview record)")
    return old, new


def run(args: argparse.Namespace) -> int:
    from mlview.analysis import diff as d
    from mlview.analysis.diff import text as diff_text
    from mlview.commands.check import load_overrides, with_services

    old_name, new_name = sources(args)
    config = load_overrides(args)
    old, new = open_named(old_name, args), open_named(new_name, args)
    result = d.compare(old, new, args.port, None if config.empty else config)
    result = dataclasses.replace(result, old_source=old_name, new_source=new_name)
    if args.format == "json":
        data = d.to_json(result)
        # as `check --format json` prints them: with the model services each one touches
        data["findings"] = {
            "new": [with_services(new.view(), f) for f in result.new_findings],
            "resolved": [with_services(old.view(), f) for f in result.resolved_findings],
        }
        print(json.dumps(data, indent=2))
    else:
        diff_text.print_diff(result, sys.stdout)
    for line in result.errors:
        print(f"mlview: {line}", file=sys.stderr)
    if result.errors:
        return EXIT_USAGE
    if args.fail_on == "never":
        return EXIT_OK
    rank = Severity(args.fail_on).rank
    return EXIT_FINDINGS if any(f.severity.rank >= rank for f in result.new_findings) else EXIT_OK
