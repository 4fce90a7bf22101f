"""`mlview trace URL`: which status code a request most likely gets, and why, step by step.

Exit status: 0 when the predicted status is below 400, 1 when it is an error (4xx/5xx),
2 for a usage or input error (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mlview import theme
from mlview.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    add_source_options,
    open_store,
)
from mlview.sanitize import clean

if TYPE_CHECKING:
    from mlview.analysis.trace import Trace
    from mlview.store import StoreView


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "trace",
        help="walk a request through Ingress or Gateway API and predict its status code",
        description="Walk a request through route, TLS, settings, body size, Service, "
        "endpoints, NetworkPolicy and timeouts; predict the status code a client gets.",
    )
    p.add_argument(
        "url", metavar="URL", nargs="?", help="e.g. https://api.example.com/v1/translate"
    )
    add_source_options(p)
    p.add_argument("--method", default="GET", help="HTTP method (default GET)")
    p.add_argument("--body-size", metavar="SIZE", help="request body: 512k, 5M, 5MB, 5Mi, bytes")
    p.add_argument(
        "--expected-latency",
        metavar="DURATION",
        help="how long the backend takes: 90s, 2m, 1500ms (default: the Service's "
        "mlview.io/expected-latency)",
    )
    p.add_argument(
        "--via",
        choices=("auto", "ingress", "gateway"),
        default="auto",
        help="which router to trace through (default: the one with a rule for the URL)",
    )
    p.add_argument(
        "--ingress",
        metavar="NAME",
        help="trace every rule of this Ingress (with -n) instead of one URL",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def _take_url(args: argparse.Namespace) -> str:
    """The URL; `--snapshot PATH... URL` puts it in the snapshot list: take it back."""
    if args.url:
        return str(args.url)
    snaps = args.snapshot or []
    if snaps and not Path(snaps[-1]).exists():
        args.snapshot = snaps[:-1] or None
        if args.snapshot:
            return str(snaps[-1])
    raise UsageError("trace needs a URL: mlview trace URL [--snapshot PATH...]")


def ingress_urls(view: StoreView, namespace: str, name: str) -> list[str]:
    """One URL per rule path of an Ingress (https where its tls covers the host)."""
    from mlview.analysis import ingress
    from mlview.analysis.trace.url import url_for_row

    urls = [
        url_for_row(row)
        for row in ingress.route_rows(view)
        if (row.namespace, row.ingress) == (namespace, name) and not row.default_backend
    ]
    return list(dict.fromkeys(u for u in urls if u))


def run(args: argparse.Namespace) -> int:
    # Imported here: building the CLI parser (and so the app's start) does not pay for it.
    from mlview.analysis.trace import OptionError, parse_latency, parse_size, trace

    if args.ingress:
        return run_ingress(args)
    url = _take_url(args)
    try:
        body = parse_size(args.body_size) if args.body_size is not None else None
        latency = (
            parse_latency(args.expected_latency) if args.expected_latency is not None else None
        )
        method = str(args.method).strip().upper()
        if not method.isalpha():
            raise OptionError(f"--method {args.method!r} is not an HTTP method")
    except OptionError as exc:
        raise UsageError(str(exc)) from None
    from mlview.analysis.shared.virtual_pods import complete

    view = complete(open_store(args).view())
    try:
        result = trace(view, url, method, body, latency, args.via)
    except OptionError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2))
    else:
        print_text(result)
    return EXIT_OK if result.status < 400 else EXIT_FINDINGS


def run_ingress(args: argparse.Namespace) -> int:
    """`--ingress NAME`: a trace per rule of the Ingress; exit 1 when one predicts an error."""
    from mlview.analysis.trace import trace

    if args.url:
        raise UsageError("give a URL or --ingress NAME, not both")
    namespace = args.namespace or "default"
    view = open_store(args).view()
    if view.get("Ingress", namespace, args.ingress) is None:
        raise UsageError(f"no Ingress {namespace}/{args.ingress} (give its namespace with -n)")
    urls = ingress_urls(view, namespace, args.ingress)
    if not urls:
        raise UsageError(f"Ingress {namespace}/{args.ingress} has no rule with a concrete host")
    results = [trace(view, url, str(args.method).upper(), None, None, "ingress") for url in urls]
    if args.format == "json":
        print(json.dumps({"traces": [r.to_json() for r in results]}, indent=2))
    else:
        for i, result in enumerate(results):
            if i:
                print()
            print_text(result)
    return EXIT_FINDINGS if any(r.status >= 400 for r in results) else EXIT_OK


def print_text(result: Trace) -> None:
    if not sys.stdout.isatty():
        print("\n".join(clean(line, single_line=True) for line in result.lines()))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console()
    head = Text(f"{clean(result.method)} {clean(result.url)}  ->  ", style=theme.STRONG)
    head.append(str(result.status), style=theme.status_style(result.status))
    console.print(head)
    console.print(Text(clean(result.verdict_reason, single_line=True), style=theme.DIM))
    for i, s in enumerate(result.steps, start=1):
        line = Text(f"{i}. {s.step:<15}")
        line.append(f"{s.verdict.upper():<9}", style=theme.VERDICT_STYLE.get(s.verdict, ""))
        line.append(clean(s.detail, single_line=True))
        if s.status:
            line.append(f"  [{s.status}]", style=theme.STRONG)
        console.print(line)
        for extra in s.lines:
            console.print(Text("      " + clean(extra, single_line=True), style=theme.DIM))
