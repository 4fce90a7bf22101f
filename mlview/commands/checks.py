"""`mlview checks` (every finding code mlview knows) and `mlview explain CODE` (one in full).

Both read the findings catalogue (mlview/analysis/catalogue.py), the same data docs/findings.md
and the SARIF rules are generated from. `explain` adds an example: the first finding of that code
in the bundled demo scenarios, when one shows it.
"""

from __future__ import annotations

import argparse
import difflib
import json
from typing import Any

from mlview.commands.common import EXIT_OK, UsageError
from mlview.sanitize import clean


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("checks", help="list every finding code, its severity and title")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run_checks)
    e = sub.add_parser(
        "explain", help="one finding code in full: meaning, fix, inputs, sources, example"
    )
    code = e.add_argument(
        "code", metavar="CODE", help="a finding code, e.g. pvc-storageclass-missing"
    )
    code.completer = finding_codes  # type: ignore[attr-defined]
    e.add_argument("--format", choices=("text", "json"), default="text")
    e.set_defaults(func=run_explain)


def finding_codes(prefix: str = "", **_: Any) -> list[str]:
    from mlview.analysis.catalogue import CATALOGUE

    return [c for c in CATALOGUE if c.startswith(prefix)]


def entry_json(entry: Any) -> dict[str, Any]:
    from mlview.analysis.catalogue import on_manifests

    return {
        "code": entry.code,
        "severity": entry.severity,
        "domain": entry.domain,
        "kinds": list(entry.kinds),
        "title": entry.title,
        "means": entry.means,
        "sees": entry.sees,
        "fix": entry.fix,
        "needs": list(entry.needs),
        "needs_note": entry.needs_note,
        "on_manifests": on_manifests(entry),
        "sources": list(entry.sources),
    }


def run_checks(args: argparse.Namespace) -> int:
    from mlview.analysis.catalogue import CATALOGUE, DOMAIN_ORDER

    entries = sorted(CATALOGUE.values(), key=lambda e: (DOMAIN_ORDER.index(e.domain), e.code))
    if args.format == "json":
        print(json.dumps({"checks": [entry_json(e) for e in entries]}, indent=2))
        return EXIT_OK
    width = max(len(e.code) for e in entries)
    domain = ""
    for e in entries:
        if e.domain != domain:
            domain = e.domain
            print(f"{'' if e is entries[0] else chr(10)}{domain}")
        print(f"  {e.code.ljust(width)}  {e.severity:<7}  {e.title}")
    print(f"\n{len(entries)} checks; `mlview explain CODE` tells one in full")
    return EXIT_OK


def example(code: str) -> dict[str, Any] | None:
    """The first finding of `code` in the demo scenarios, as check's JSON shows it."""
    from mlview.analysis.registry import run_checked
    from mlview.sources import demo, snapshot

    for sc in demo.scenarios():
        view = snapshot.load([sc.path]).to_store("demo").view()
        for f in run_checked(view)[0]:
            if f.code == code:
                return {"demo": sc.name, **f.to_json()}
    return None


def run_explain(args: argparse.Namespace) -> int:
    from mlview.analysis.catalogue import CATALOGUE, manifest_verdict, needs_text

    entry = CATALOGUE.get(args.code)
    if entry is None:
        close = difflib.get_close_matches(args.code, list(CATALOGUE), n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(close)}?)" if close else " (mlview checks lists them)"
        raise UsageError(f"no finding code {args.code!r}{hint}")
    sample = example(entry.code)
    if args.format == "json":
        print(json.dumps({**entry_json(entry), "example": sample}, indent=2))
        return EXIT_OK
    print(f"{entry.code} ({entry.severity}, {entry.domain}; on {', '.join(entry.kinds)})")
    print(f"  {entry.title}")
    print(f"\nWhat it means\n  {entry.means}")
    print(f"\nWhat you see\n  {entry.sees}")
    print(f"\nHow to fix\n  {entry.fix}")
    print(f"\nWhat it needs from the input\n  {manifest_verdict(entry)}")
    for need in needs_text(entry):
        print(f"  - {need}")
    if entry.needs_note:
        print(f"  {entry.needs_note}")
    print("\nSources")
    for url in entry.sources:
        print(f"  {url}")
    if sample is not None:
        ref = "/".join(x for x in (sample["kind"], sample["namespace"], sample["name"]) if x)
        message = clean(sample["message"], single_line=True)
        print(f"\nExample (mlview check --demo {sample['demo']})\n  {clean(ref)}: {message}")
        if sample["hint"]:
            print(f"  hint: {clean(sample['hint'], single_line=True)}")
    return EXIT_OK
