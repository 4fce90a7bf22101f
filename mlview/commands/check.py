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
from typing import TYPE_CHECKING, Any

from mlview import theme
from mlview.analysis import overrides, registry
from mlview.analysis.findings import Finding, Severity
from mlview.analysis.shared.objects import virtual_of
from mlview.analysis.shared.virtual_pods import complete
from mlview.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    add_source_options,
    open_store,
)
from mlview.sanitize import clean
from mlview.store import StoreView

if TYPE_CHECKING:
    from rich.console import Console

MANIFESTS = "manifests"
FORMATS = ("text", "json", "sarif", "junit", "github")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="print findings and exit 1 when one reaches --fail-on (CI: works on plain manifests)",
        description="Run every check on a live cluster, snapshots or a folder of plain "
        "manifests. Exit 0 when no finding reaches --fail-on, 1 when one does, 2 on bad input.",
    )
    add_source_options(p)
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), json, sarif (code scanning), junit (test reports), github "
        "(Actions workflow commands)",
    )
    p.add_argument(
        "--config",
        metavar="FILE",
        default=argparse.SUPPRESS,  # `mlview --config F check` keeps the F given before
        help=f"findings to disable, re-rate or accept (default: ./{overrides.DEFAULT_FILE})",
    )
    p.add_argument(
        "--by-service",
        action="store_true",
        help="group the findings by the model services they touch (their blast radius)",
    )
    p.add_argument(
        "--docs-url",
        metavar="URL",
        default="",
        help="sarif: where docs/findings.md is published (each rule's helpUri links into it)",
    )
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
    p.add_argument(
        "--baseline",
        metavar="OLD",
        default=argparse.SUPPRESS,  # `mlview --baseline OLD check` keeps the OLD given before
        help="only findings not in OLD count and are shown (a snapshot file or folder, live "
        "or demo:NAME): a CI gate for what a change breaks, not for existing debt",
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


def virtual_note(view: StoreView) -> list[str]:
    """Says how many pods (and claims) are stood for by workload templates, and by which."""
    pods = [p for p in view.list("Pod") if virtual_of(p)]
    if not pods:
        return []
    creators = sorted({virtual_of(p) for p in pods})
    claims = sum(1 for c in view.list("PersistentVolumeClaim") if virtual_of(c))
    more = f" and {claims} claim(s)" if claims else ""
    shown = ", ".join(creators[:5])
    if len(creators) > 5:
        shown += f" and {len(creators) - 5} more"
    return [
        f"{len(pods)} pod(s){more} not in the snapshot were analysed as their workloads would "
        f"create them (virtual): {shown}"
    ]


def in_namespace(f: Finding, namespace: str | None) -> bool:
    if not namespace:
        return True
    if f.kind == "Namespace":
        return f.name == namespace
    return f.namespace in ("", namespace)


def collect(view: StoreView) -> tuple[list[Finding], list[str]]:
    """Every analyzer's findings; an analyzer that raises becomes an error line, not a crash."""
    return registry.run_checked(view)


def load_overrides(args: argparse.Namespace) -> overrides.Overrides:
    try:
        return overrides.load(getattr(args, "config", None))
    except overrides.OverridesError as exc:
        raise UsageError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    config = load_overrides(args)
    store = open_store(args)
    view = complete(store.view())
    found, errors = collect(view)
    found, hidden = config.apply(f for f in found if in_namespace(f, args.namespace))
    in_baseline = 0
    if getattr(args, "baseline", None):
        found, in_baseline, base_errors = without_baseline(found, args, config)
        errors = errors + base_errors
    min_rank = Severity(args.min_severity).rank
    shown = [f for f in found if f.severity.rank >= min_rank]
    counts = {s.value: sum(1 for f in shown if f.severity is s) for s in Severity}
    source = store.source.label or store.source.context
    mode = input_mode(view, store.source.mode)
    notes = [f"{kind}: {note}" for kind, note in sorted(store.source.notes.items())]
    notes.extend(virtual_note(view))
    bad = store.source.invalid_objects()
    if bad:
        notes.append(f"{bad} invalid objects: see the object-invalid findings")
    if store.source.duplicates:
        notes.append(f"{len(store.source.duplicates)} objects given twice: the later copy used")
    if mode == MANIFESTS:
        notes.append(
            "read as plain manifests (no status, no Events): checks that need them were skipped"
        )
    if not config.empty:
        notes.append(f"{hidden} findings hidden by {config.source}")
    if getattr(args, "baseline", None):
        notes.append(f"{in_baseline} findings also in the baseline {args.baseline} hidden")
    if args.format in ("sarif", "junit", "github"):
        print(ci_text(args.format, view, shown, args, config))
    elif args.format == "json":
        data: dict[str, Any] = {
            "source": source,
            "findings": [with_services(view, f) for f in shown],
            "counts": counts,
            "mode": mode,
        }
        if notes or errors:
            data["notes"] = notes + errors
        print(json.dumps(data, indent=2))
    elif args.by_service:
        print_by_service(view, shown, counts, notes)
    else:
        print_text(shown, counts, source, notes)
    for line in errors:
        print(f"mlview: {line}", file=sys.stderr)
    if errors:
        return 2
    fail_rank = Severity(args.fail_on).rank
    return EXIT_FINDINGS if any(f.severity.rank >= fail_rank for f in found) else EXIT_OK


def without_baseline(
    found: list[Finding], args: argparse.Namespace, config: overrides.Overrides
) -> tuple[list[Finding], int, list[str]]:
    """The findings not in the baseline's (matched by code and object, overrides applied on
    both sides), how many were, and the baseline's analyzer failures."""
    from mlview.analysis.diff import baseline_filter
    from mlview.commands.named_source import open_named

    base_view = complete(open_named(args.baseline, args).view())
    base, errors = collect(base_view)
    base, _ = config.apply(f for f in base if in_namespace(f, args.namespace))
    kept, hidden = baseline_filter(found, base)
    return kept, hidden, [f"baseline: {e}" for e in errors]


def ci_text(
    fmt: str, view: StoreView, shown: list[Finding], args: argparse.Namespace, config: Any
) -> str:
    from mlview.commands import check_formats

    locate = getattr(view, "origin_of", None)
    where = (
        (lambda f: locate(f.kind, f.namespace, f.name)) if locate else check_formats._no_location
    )
    if fmt == "sarif":
        return check_formats.sarif_text(shown, where, args.docs_url)
    if fmt == "github":
        return check_formats.github_text(shown, where)
    fail_on = Severity(args.fail_on)
    return check_formats.junit_text(junit_suites(view, shown, args, config), fail_on)


def junit_suites(
    view: StoreView, shown: list[Finding], args: argparse.Namespace, config: Any
) -> list[tuple[str, list[tuple[str, str, str]], list[Finding]]]:
    """Per domain: the objects its checks are about and its findings (as shown)."""
    from mlview.analysis.shared import objects as o
    from mlview.domains import DOMAINS

    keep = {(f.code, f.kind, f.namespace, f.name) for f in shown}
    suites = []
    for domain in DOMAINS:
        if not domain.analyzer_names:
            continue
        mine, _ = registry.run_checked(view, domain.analyzer_names)
        mine = [f for f in mine if (f.code, f.kind, f.namespace, f.name) in keep]
        subjects = [
            (kind, o.namespace(obj), o.name(obj))
            for kind in domain.subjects
            for obj in view.list(kind)
            if in_namespace_of(o.namespace(obj), args.namespace)
        ]
        suites.append((domain.name, subjects, config.apply(mine)[0]))
    return suites


def in_namespace_of(ns: str, namespace: str | None) -> bool:
    return not namespace or ns in ("", namespace)


def with_services(view: StoreView, f: Finding) -> dict[str, Any]:
    """A finding's JSON with the model services it touches (its blast radius)."""
    from mlview.analysis.services import services_of

    data = f.to_json()
    data["services"] = [
        {"kind": "Service", "namespace": ref.split("/", 1)[0], "name": ref.split("/", 1)[1]}
        for ref in services_of(view, f)
    ]
    return data


def print_by_service(
    view: StoreView, found: list[Finding], counts: dict[str, int], notes: list[str]
) -> None:
    """Findings under each model service they touch (a finding may be under several)."""
    from mlview.analysis.services import services_of

    groups: dict[str, list[Finding]] = {}
    for f in found:
        for ref in services_of(view, f) or ["(no model service)"]:
            groups.setdefault(ref, []).append(f)
    for ref in sorted(groups, key=lambda r: (r.startswith("("), r)):
        print(f"{clean(ref, single_line=True)}:")
        for f in groups[ref]:
            line = f"  {f.severity.value:<8} {f.code}  {clean(f.ref, single_line=True)}"
            print(f"{line}: {clean(f.message, single_line=True)}")
    for note in notes:
        print(f"note: {note}")
    print(summary(counts))


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


# The table needs the severity and the code whole and this much for the object, the message
# and the hint; narrower terminals get a list, one finding per block (a table there folds the
# codes mid-word and stacks the message a word per line).
OBJECT_MIN, MESSAGE_MIN, HINT_MIN = 30, 30, 20
TABLE_FRAME = 16  # five columns: six borders and a space either side of each cell


def table_fits(found: list[Finding], width: int) -> bool:
    """Whether the findings table fits `width` columns with its codes whole."""
    if not found:
        return True
    code = max(len(f.code) for f in found)
    return len("severity") + code + OBJECT_MIN + MESSAGE_MIN + HINT_MIN + TABLE_FRAME <= width


def _print_rich(
    found: list[Finding],
    counts: dict[str, int],
    source: str,
    notes: list[str],
    console: Console | None = None,
) -> None:
    from rich.console import Console  # noqa: F811 - at run time, only on a terminal
    from rich.table import Table
    from rich.text import Text

    console = console or Console()
    title = Text(f"mlview check: {clean(source, single_line=True)}")
    if found and table_fits(found, console.width):
        table = Table(title=title)
        code = max(len(f.code) for f in found)
        for col in ("severity", "code", "object", "message", "hint"):
            table.add_column(col, overflow="fold", min_width=code if col == "code" else None)
        for f in found:
            table.add_row(
                Text(f.severity.value, style=theme.SEVERITY_STYLE[f.severity.value]),
                Text(f.code),
                Text(clean(f.ref)),
                Text(clean(f.message)),
                Text(clean(f.hint)),
            )
        console.print(table)
    elif found:
        # A list: severity and code on the first line, the object, the message and the hint
        # indented under them, so wrapped lines keep to the block's left edge.
        console.print(title, style=theme.STRONG)
        for f in found:
            console.print()
            head = Text(f.severity.value, style=theme.SEVERITY_STYLE[f.severity.value])
            console.print(head + Text("  ") + Text(f.code, style=theme.STRONG))
            body = [Text(clean(f.ref), style=theme.DIM), Text(clean(f.message))]
            if f.hint:
                body.append(Text("hint: ", style=theme.HINT) + Text(clean(f.hint)))
            for text in body:  # wrapped here: Padding would pad each line to the width
                for line in text.wrap(console, max(20, console.width - 2), overflow="fold"):
                    line.rstrip()
                    console.print(Text("  ") + line, soft_wrap=True)
        console.print()
    for note in notes:
        console.print(Text(f"note: {note}", style=theme.DIM))
    line = Text()
    for i, (sev, n) in enumerate(counts.items()):
        if i:
            line.append(", ")
        line.append(f"{n} {sev}", style=theme.SEVERITY_STYLE[sev] if n else theme.DIM)
    console.print(line)


__all__ = ["UsageError", "collect", "in_namespace", "input_mode", "print_text", "run"]
