"""Rich text for the storage pane's detail panel: binding chain, findings, skipped checks, events.

Everything from the cluster goes through `safe` (sanitised, literal); nothing is parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from mlview.analysis.findings import Finding
from mlview.analysis.storage import ChainLink, ClaimDetail, EventRow
from mlview.analysis.storage.model import ClassRow, Consumer, PVRow
from mlview.ui.widgets import OK_STYLE, VIRTUAL_MARK, safe, severity_text

PHASE_STYLE = {
    "Bound": "green",
    "Pending": "yellow",
    "Lost": "bold red",
    "Available": "cyan",
    "Released": "yellow",
    "Failed": "bold red",
}


def phase_text(phase: str) -> Text:
    return safe(phase or "?", PHASE_STYLE.get(phase, "dim"))


def _link(link: ChainLink) -> Text:
    style = OK_STYLE[link.ok]
    mark = {True: "✔", False: "✖", None: "•"}[link.ok]  # unknown is •, not ?, beside a state
    out = Text(f"{link.kind} ", style="bold") + safe(link.name)
    if link.state:
        out += Text("  ") + Text(f"{mark} ", style=style) + safe(link.state, style)
    if link.note:
        out += Text("  ") + safe(link.note, "dim")
    return out


def chain_text(detail: ClaimDetail) -> Text:
    """claim -> class -> provisioner -> PV, one link a line, each marked ok / broken / unknown."""
    out = Text()
    for i, link in enumerate(detail.chain):
        prefix = "   " * max(i - 1, 0) + ("└─ " if i else "")
        out += Text(prefix, style="dim") + _link(link) + Text("\n")
    out.rstrip()
    return out


def consumer_cells(c: Consumer) -> list[Text]:
    mounts = (
        ", ".join(f"{m.container}:{m.path}{' (ro)' if m.read_only else ' (rw)'}" for m in c.mounts)
        or "(volume not mounted)"
    )
    via = {"claim": "", "ephemeral": " [ephemeral]", "statefulset": " [sts template]"}[c.via]
    if c.virtual:  # not scheduled, not running: it does not exist yet
        return [
            safe(c.pod + via) + Text(VIRTUAL_MARK, style="bold magenta"),
            Text("-", style="dim"),
            Text("virtual", style="magenta"),
            safe(mounts),
        ]
    return [
        safe(c.pod + via),
        safe(c.node or "(unscheduled)", "" if c.node else "yellow"),
        phase_text(c.phase),
        safe(mounts),
    ]


def findings_text(found: Sequence[Finding], skipped: Sequence[str] = ()) -> Group:
    """Findings worst first; message and hint wrap under the code, not under the severity."""
    parts: list[Any] = [Text("Findings", style="bold underline")]
    if not found:
        parts.append(Text("none", style="green"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=9, no_wrap=True)
    grid.add_column(ratio=1)
    for f in found:
        body = Text(f.code, style="bold")
        if f.kind != "PersistentVolumeClaim":
            body += Text("  ") + safe(f.ref, "dim")
        body += Text("\n") + safe(f.message)
        if f.hint:
            body += Text("\nhint: ", style="bold cyan") + safe(f.hint)
        grid.add_row(severity_text(f.severity), body)
    if found:
        parts.append(grid)
    if skipped:
        parts.append(Text("Checks skipped (a fact is missing)", style="bold underline"))
        parts.extend(Text("  - ", style="dim") + safe(s, "dim") for s in skipped)
    return Group(*parts)


def events_text(events: Sequence[EventRow], listed: bool, limit: int = 8) -> Group:
    lines: list[Text] = [Text("Recent events", style="bold underline")]
    if not events:
        lines.append(Text("none recorded" if listed else "Events not listed", style="dim"))
    for ev in events[:limit]:
        style = "yellow" if ev.type == "Warning" else ""
        lines.append(
            Text(f"{ev.time[:19]:20}", style="dim")
            + safe(f"{ev.reason:22}", style)
            + Text(f"x{ev.count:<5} ")
            + safe(f"{ev.object}: ", "dim")
            + safe(ev.message)
        )
    if len(events) > limit:
        lines.append(Text(f"... {len(events) - limit} older", style="dim"))
    return Group(*lines)


def pv_text(row: PVRow, found: Sequence[Finding]) -> Group:
    head = (
        Text("PersistentVolume ", style="bold")
        + safe(row.name)
        + Text("  ")
        + phase_text(row.phase)
    )
    facts = Text.assemble(
        ("claim ", "dim"),
        safe(row.claim or "(none)"),
        ("   class ", "dim"),
        safe(row.storage_class or '""'),
        ("   capacity ", "dim"),
        safe(row.capacity or "?"),
        ("   modes ", "dim"),
        safe(",".join(row.access_modes) or "?"),
        ("   reclaim ", "dim"),
        safe(row.reclaim_policy or "?"),
        ("   source ", "dim"),
        safe(row.source or "?"),
    )
    return Group(head, facts, Text(), findings_text(found))


def class_text(row: ClassRow, found: Sequence[Finding]) -> Group:
    head = Text("StorageClass ", style="bold") + safe(row.name)
    if row.is_default:
        head += Text("  (default)", style="cyan")
    facts = Text.assemble(
        ("provisioner ", "dim"),
        safe(row.provisioner),
        ("   binding ", "dim"),
        safe(row.binding_mode),
        ("   reclaim ", "dim"),
        safe(row.reclaim_policy),
        ("   expansion ", "dim"),
        ("allowed" if row.allow_expansion else "no"),
        ("   claims ", "dim"),
        str(row.claims),
    )
    params = Text("parameters: ", style="dim") + (
        safe(", ".join(f"{k}={v}" for k, v in row.parameters))
        if row.parameters
        else Text("none", style="dim")
    )
    return Group(head, facts, params, Text(), findings_text(found))
