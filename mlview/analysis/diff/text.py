"""The text of a comparison, as `mlview diff` prints it and the app's Changes view shows it:
sections worst first, cluster text sanitized, wrapped to a width (80 columns for the CLI). Long
lists (pods, objects) are cut with "and N more". Plain text: no Rich here."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import Any, TextIO

from mlview.analysis.diff import Diff, FieldChange, ReachabilityFlip
from mlview.sanitize import clean

WIDTH = 80
LISTED = 20  # objects listed per section before "and N more"
GROUPS_NAMED = 3  # workloads named per side of a reachability flip


class _Out:
    def __init__(self, out: TextIO, width: int) -> None:
        self.out = out
        self.width = width

    def line(self, text: str, indent: int = 0, hang: int = 2) -> None:
        """One logical line, sanitized, wrapped at the width; continuation lines hang further."""
        text = clean(text, single_line=True)
        lead = " " * indent
        for part in textwrap.wrap(
            text,
            self.width,
            initial_indent=lead,
            subsequent_indent=lead + " " * hang,
            break_long_words=True,
            break_on_hyphens=False,
        ) or [lead]:
            self.out.write(part.rstrip() + "\n")

    def blank(self) -> None:
        self.out.write("\n")


def print_diff(diff: Diff, out: TextIO, width: int = WIDTH) -> None:
    w = _Out(out, width)
    w.line(f"mlview diff: {diff.old_source} -> {diff.new_source}")
    if diff.empty:
        w.line("no change that matters: findings, reachability, routes, storage and objects agree")
        _ports_note(w, diff)
        return
    _findings(w, diff)
    _reachability(w, diff)
    _routes(w, diff)
    _storage(w, diff)
    _objects(w, diff)
    w.blank()
    _ports_note(w, diff)
    w.line(summary(diff))


def summary(diff: Diff) -> str:
    new = diff.new_findings
    worst = {s: sum(1 for f in new if f.severity.value == s) for s in ("error", "warning", "info")}
    parts = [
        f"{len(new)} new finding(s) (" + ", ".join(f"{n} {s}" for s, n in worst.items() if n) + ")"
        if new
        else "0 new findings",
        f"{len(diff.resolved_findings)} resolved",
        f"{len(diff.reachability)} reachability change(s)",
        f"{len(diff.routes)} route change(s)",
        f"{len(diff.storage)} storage change(s)",
        f"{len(diff.objects.added) + len(diff.objects.removed) + len(diff.objects.changed)}"
        " object change(s)",
    ]
    return ", ".join(parts)


def _ports_note(w: _Out, diff: Diff) -> None:
    if diff.ports:
        ports = ", ".join(f"{pr} {p}" for p, pr in diff.ports[:12])
        more = f" and {len(diff.ports) - 12} more" if len(diff.ports) > 12 else ""
        w.line(f"reachability compared on {ports}{more}")


def _heading(w: _Out, title: str) -> None:
    w.blank()
    w.line(title)


def _findings(w: _Out, diff: Diff) -> None:
    if not diff.findings:
        return
    _heading(w, f"Findings: {len(diff.new_findings)} new, {len(diff.resolved_findings)} resolved")
    for change in diff.findings:
        f = change.finding
        w.line(f"{change.change} {f.severity.value}: {f.code}  {f.ref}", indent=2, hang=4)
        w.line(f.message, indent=6, hang=0)


def _reachability(w: _Out, diff: Diff) -> None:
    if not diff.reachability:
        return
    # worst first: connections cut, then connections opened; one entry for several ports
    merged: dict[tuple[Any, ...], list[ReachabilityFlip]] = {}
    for f in sorted(diff.reachability, key=lambda f: (f.new, f.protocol, f.port)):
        merged.setdefault((f.sources, f.destinations, f.old, f.new, f.because), []).append(f)
    denied = sum(1 for f in diff.reachability if not f.new)
    _heading(
        w,
        f"Reachability: {denied} change(s) now denied, "
        f"{len(diff.reachability) - denied} now allowed",
    )
    for flips in merged.values():
        f = flips[0]
        ports = ", ".join(f"{x.protocol} {x.port}" for x in flips)
        verdict = "allowed -> DENIED" if not f.new else "denied -> allowed"
        w.line(f"{verdict} on {ports}: {f.pairs} pod pair(s)", indent=2)
        w.line("from " + _pods(f, "from"), indent=4, hang=5)
        w.line("to   " + _pods(f, "to"), indent=4, hang=5)
        for c in f.because:
            who = f"{c.kind} {c.namespace + '/' if c.namespace else ''}{c.name}"
            detail = f": {c.detail}" if c.detail and c.detail != c.change else ""
            w.line(f"because {who} {c.change}{detail}", indent=4, hang=8)
        if not f.because:
            w.line("because: no policy, label or port change found (pods replaced?)", indent=4)


def _pods(f: ReachabilityFlip, side: str) -> str:
    """Pods by workload, as the matrix groups them: "ml/Deployment/api (3 pods), ..."."""
    pods = f.sources if side == "from" else f.destinations
    groups = f.source_groups if side == "from" else f.destination_groups
    counts = f.source_counts if side == "from" else f.destination_counts
    if not groups:
        return _cut(list(pods), GROUPS_NAMED)
    named = [
        g + (f" ({n} pods)" if n > 1 else "")
        for g, n in zip(groups[:GROUPS_NAMED], counts, strict=False)
    ]
    more = len(groups) - GROUPS_NAMED
    tail = f" and {more} more workload(s)" if more > 0 else ""
    return ", ".join(named) + tail + (f" [{len(pods)} pods]" if more > 0 else "")


def _cut(items: list[str], n: int) -> str:
    more = f" and {len(items) - n} more" if len(items) > n else ""
    return ", ".join(items[:n]) + more


def _routes(w: _Out, diff: Diff) -> None:
    if not diff.routes:
        return
    _heading(w, f"Routes: {len(diff.routes)} change(s)")
    for r in diff.routes[: LISTED * 2]:
        w.line(f"{r.change:<9}{r.kind} {r.namespace}/{r.name}  {r.url}", indent=2, hang=9)
        _fields(w, r.fields, 11)
    _more(w, len(diff.routes), LISTED * 2)


def _storage(w: _Out, diff: Diff) -> None:
    if not diff.storage:
        return
    _heading(w, f"Storage: {len(diff.storage)} change(s)")
    for s in diff.storage[: LISTED * 2]:
        where = f"{s.namespace}/{s.name}" if s.namespace else s.name
        w.line(f"{s.change:<9}{s.kind} {where}", indent=2, hang=9)
        _fields(w, s.fields, 11)
    _more(w, len(diff.storage), LISTED * 2)


def _objects(w: _Out, diff: Diff) -> None:
    objs = diff.objects
    if objs.empty:
        return
    _heading(
        w,
        f"Objects: {len(objs.added)} added, {len(objs.removed)} removed, "
        f"{len(objs.changed)} changed",
    )
    for ref in objs.added[:LISTED]:
        w.line(f"added    {ref.text}", indent=2, hang=9)
    _more(w, len(objs.added), LISTED)
    for ref in objs.removed[:LISTED]:
        w.line(f"removed  {ref.text}", indent=2, hang=9)
    _more(w, len(objs.removed), LISTED)
    for c in objs.changed[:LISTED]:
        w.line(f"changed  {c.ref.text}", indent=2, hang=9)
        _fields(w, c.fields[:8], 11)
        _more(w, len(c.fields), 8, indent=11)
    _more(w, len(objs.changed), LISTED)
    for p in objs.pods[:LISTED]:
        w.line(f"pods     {p.workload.text}: {p.text}", indent=2, hang=9)
    _more(w, len(objs.pods), LISTED)


def _fields(w: _Out, fields: Iterable[FieldChange], indent: int) -> None:
    for fc in fields:
        w.line(f"{fc.path}: {_value(fc.old)} -> {_value(fc.new)}", indent=indent, hang=4)


def _value(v: Any) -> str:
    if v is None:
        return "(none)"
    if isinstance(v, str):
        text = v if v else '""'
    else:
        import json

        text = json.dumps(v, sort_keys=True, default=str)
    return text if len(text) <= 120 else text[:119] + "…"


def _more(w: _Out, total: int, shown: int, indent: int = 2) -> None:
    if total > shown:
        w.line(f"... and {total - shown} more", indent=indent)
