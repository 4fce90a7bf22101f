"""`mlview check`: every finding, as a table or JSON, with an exit status for CI."""

from __future__ import annotations

import argparse
import json
import sys

from mlview.analysis.findings import Finding, Severity
from mlview.analysis.registry import run_all
from mlview.commands.common import EXIT_FINDINGS, EXIT_OK, add_source_options, open_store
from mlview.sanitize import clean


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="print findings and exit 1 when one reaches --fail-on")
    add_source_options(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--min-severity", choices=("info", "warning", "error"), default="info",
        help="hide findings below this severity",
    )
    p.add_argument(
        "--fail-on", choices=("error", "warning", "info"), default="error",
        help="exit 1 when a finding of at least this severity exists (default: error)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    store = open_store(args)
    view = store.view()
    found = run_all(view)
    if args.namespace:
        found = [f for f in found if f.namespace in ("", args.namespace)]
    shown = [f for f in found if f.severity.rank >= Severity(args.min_severity).rank]
    counts = {s.value: sum(1 for f in shown if f.severity is s) for s in Severity}
    source = store.source.label or store.source.context
    if args.format == "json":
        print(json.dumps(
            {"source": source, "findings": [f.to_json() for f in shown], "counts": counts},
            indent=2,
        ))
    else:
        print_text(shown, counts, source)
    fail_rank = Severity(args.fail_on).rank
    return EXIT_FINDINGS if any(f.severity.rank >= fail_rank for f in found) else EXIT_OK


def print_text(found: list[Finding], counts: dict[str, int], source: str) -> None:
    summary = ", ".join(f"{n} {sev}" for sev, n in counts.items())
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(title=f"mlview check: {clean(source)}", expand=False)
        for col in ("severity", "code", "object", "message", "hint"):
            table.add_column(col, overflow="fold")
        style = {"error": "bold red", "warning": "yellow", "info": "cyan"}
        for f in found:
            table.add_row(
                Text(f.severity.value, style=style[f.severity.value]), f.code,
                Text(clean(f.ref)), Text(clean(f.message)), Text(clean(f.hint)),
            )
        console = Console()
        console.print(table)
        console.print(summary)
        return
    rows = [(f.severity.value, f.code, clean(f.ref, single_line=True),
             clean(f.message, single_line=True), clean(f.hint, single_line=True)) for f in found]
    widths = [max([len(r[i]) for r in rows] + [len(h)]) for i, h in
              enumerate(("SEVERITY", "CODE", "OBJECT"))]
    header = ("SEVERITY", "CODE", "OBJECT", "MESSAGE")
    print("  ".join(h.ljust(widths[i]) if i < 3 else h for i, h in enumerate(header)))
    for sev, code, ref, msg, hint in rows:
        print(f"{sev.ljust(widths[0])}  {code.ljust(widths[1])}  {ref.ljust(widths[2])}  {msg}")
        if hint:
            print(f"{'':{widths[0]}}  {'':{widths[1]}}  {'':{widths[2]}}  hint: {hint}")
    print(summary)
