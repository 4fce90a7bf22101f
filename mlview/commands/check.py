"""`mlview check`: every finding, as a table or JSON, with an exit status for CI.

Sources: a live cluster, snapshots, or a folder of plain manifests about to be deployed. Plain
manifests carry no status and no Events: the analyzers skip what needs them (each says when a
fact is missing), and the output says the input was read as manifests.

Exit status: 0 when no finding (in the namespace asked for, shown or hidden by --min-severity)
reaches --fail-on (default error); 1 when one does; 2 for a usage or input error, including an
analyzer that failed on the input (its checks would be missing: CI must not pass silently).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from mlview.analysis import registry
from mlview.analysis.findings import SEVERITY_STYLE, Finding, Severity
from mlview.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    add_source_options,
    open_store,
)
from mlview.sanitize import clean
from mlview.store import StoreView

MANIFESTS = "manifests"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="print findings and exit 1 when one reaches --fail-on (CI: works on plain manifests)",
        description="Run every check on a live cluster, snapshots or a folder of plain "
        "manifests. Exit 0 when no finding reaches --fail-on, 1 when one does, 2 on bad input.",
    )
    add_source_options(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--min-severity",
        choices=("info", "warning", "error"),
        default="info",
        help="hide findings below this severity (the exit status still counts them)",
    )
    p.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default="error",
        help="exit 1 when a finding of at least this severity exists (default: error)",
    )
    p.set_defaults(func=run)


def input_mode(view: StoreView, source_mode: str) -> str:
    """live | demo | snapshot, or "manifests" when nothing carries a status and no Events."""
    if source_mode == "live" or view.count("Event"):
        return source_mode
    for kind in view.kinds():
        if any(obj.get("status") for obj in view.list(kind)):
            return source_mode
    return MANIFESTS


def in_namespace(f: Finding, namespace: str | None) -> bool:
    if not namespace:
        return True
    if f.kind == "Namespace":
        return f.name == namespace
    return f.namespace in ("", namespace)


def collect(view: StoreView) -> tuple[list[Finding], list[str]]:
    """Every analyzer's findings; an analyzer that raises becomes an error line, not a crash."""
    return registry.run_checked(view)


def run(args: argparse.Namespace) -> int:
    store = open_store(args)
    view = store.view()
    found, errors = collect(view)
    found = [f for f in found if in_namespace(f, args.namespace)]
    min_rank = Severity(args.min_severity).rank
    shown = [f for f in found if f.severity.rank >= min_rank]
    counts = {s.value: sum(1 for f in shown if f.severity is s) for s in Severity}
    source = store.source.label or store.source.context
    mode = input_mode(view, store.source.mode)
    notes = [f"{kind}: {note}" for kind, note in sorted(store.source.notes.items())]
    bad = store.source.invalid_objects()
    if bad:
        notes.append(f"{bad} invalid objects: see the object-invalid findings")
    if store.source.duplicates:
        notes.append(f"{len(store.source.duplicates)} objects given twice: the later copy used")
    if mode == MANIFESTS:
        notes.append(
            "read as plain manifests (no status, no Events): checks that need them were skipped"
        )
    if args.format == "json":
        data: dict[str, Any] = {
            "source": source,
            "findings": [f.to_json() for f in shown],
            "counts": counts,
            "mode": mode,
        }
        if notes or errors:
            data["notes"] = notes + errors
        print(json.dumps(data, indent=2))
    else:
        print_text(shown, counts, source, notes)
    for line in errors:
        print(f"mlview: {line}", file=sys.stderr)
    if errors:
        return 2
    fail_rank = Severity(args.fail_on).rank
    return EXIT_FINDINGS if any(f.severity.rank >= fail_rank for f in found) else EXIT_OK


def summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {sev}" for sev, n in counts.items())


def print_text(
    found: list[Finding], counts: dict[str, int], source: str, notes: list[str] | None = None
) -> None:
    """A rich table on a terminal; plain aligned columns when piped. Last line: the counts."""
    notes = notes or []
    if sys.stdout.isatty():
        _print_rich(found, counts, source, notes)
        return
    rows = [
        (
            f.severity.value,
            f.code,
            clean(f.ref, single_line=True),
            clean(f.message, single_line=True),
            clean(f.hint, single_line=True),
        )
        for f in found
    ]
    heads = ("SEVERITY", "CODE", "OBJECT")
    widths = [max([len(r[i]) for r in rows] + [len(h)]) for i, h in enumerate(heads)]
    print("  ".join(h.ljust(widths[i]) for i, h in enumerate(heads)) + "  MESSAGE")
    pad = "  ".join(" " * w for w in widths)
    for sev, code, ref, msg, hint in rows:
        print(f"{sev.ljust(widths[0])}  {code.ljust(widths[1])}  {ref.ljust(widths[2])}  {msg}")
        if hint:
            print(f"{pad}  hint: {hint}")
    for note in notes:
        print(f"note: {note}")
    print(summary(counts))


def _print_rich(
    found: list[Finding], counts: dict[str, int], source: str, notes: list[str]
) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    if found:
        table = Table(title=Text(f"mlview check: {clean(source, single_line=True)}"))
        for col in ("severity", "code", "object", "message", "hint"):
            table.add_column(col, overflow="fold")
        for f in found:
            table.add_row(
                Text(f.severity.value, style=SEVERITY_STYLE[f.severity.value]),
                Text(f.code),
                Text(clean(f.ref)),
                Text(clean(f.message)),
                Text(clean(f.hint)),
            )
        console.print(table)
    for note in notes:
        console.print(Text(f"note: {note}", style="dim"))
    line = Text()
    for i, (sev, n) in enumerate(counts.items()):
        if i:
            line.append(", ")
        line.append(f"{n} {sev}", style=SEVERITY_STYLE[sev] if n else "dim")
    console.print(line)


__all__ = ["UsageError", "collect", "in_namespace", "input_mode", "print_text", "run"]
