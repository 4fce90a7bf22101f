"""Rich text for the storage pane's detail panel: binding chain, findings, skipped checks, events.

Everything from the cluster goes through `safe` (sanitised, literal); nothing is parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from mlview import theme
from mlview.analysis.findings import Finding
from mlview.analysis.storage import ChainLink, ClaimDetail, EventRow
from mlview.analysis.storage.model import ClassRow, Consumer, PVRow
from mlview.timefmt import age
from mlview.ui.pod_text import EVENT_HANG
from mlview.ui.widgets import VIRTUAL_MARK, Hanging, safe, severity_text


def phase_text(phase: str) -> Text:
    return safe(phase or "?", theme.PHASE_STYLE.get(phase, theme.DIM))


def _link(link: ChainLink) -> Text:
    style = theme.OK_STYLE[link.ok]
    mark = {True: "✔", False: "✖", None: "•"}[link.ok]  # unknown is •, not ?, beside a state
    out = Text(f"{link.kind} ", style=theme.STRONG) + safe(link.name)
    if link.state:
        out += Text("  ") + Text(f"{mark} ", style=style) + safe(link.state, style)
    if link.note:
        out += Text("  ") + safe(link.note, theme.DIM)
    return out


def chain_text(detail: ClaimDetail) -> Text:
    """claim -> class -> provisioner -> PV, one link a line, each marked ok / broken / unknown."""
    out = Text()
    for i, link in enumerate(detail.chain):
        prefix = "   " * max(i - 1, 0) + ("└─ " if i else "")
        out += Text(prefix, style=theme.DIM) + _link(link) + Text("\n")
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
            Text("-", style=theme.DIM),
            Text("virtual", style=theme.NOTICE),
            safe(mounts),
        ]
    return [
        safe(c.pod + via),
        safe(c.node or "(unscheduled)", "" if c.node else theme.WARNING),
        phase_text(c.phase),
        safe(mounts),
    ]


def findings_text(found: Sequence[Finding], skipped: Sequence[str] = ()) -> Group:
    """Findings worst first; message and hint wrap under the code, not under the severity."""
    parts: list[Any] = [Text("Findings", style=theme.HEADING)]
    if not found:
        parts.append(Text("none", style=theme.OK))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=9, no_wrap=True)
    grid.add_column(ratio=1)
    for f in found:
        body = Text(f.code, style=theme.STRONG)
        if f.kind != "PersistentVolumeClaim":
            body += Text("  ") + safe(f.ref, theme.DIM)
        body += Text("\n") + safe(f.message)
        if f.hint:
            body += Text("\nhint: ", style=theme.HINT) + safe(f.hint)
        grid.add_row(severity_text(f.severity), body)
    if found:
        parts.append(grid)
    if skipped:
        parts.append(Text("Checks skipped (a fact is missing)", style=theme.HEADING))
        parts.extend(Text("  - ", style=theme.DIM) + safe(s, theme.DIM) for s in skipped)
    return Group(*parts)


def events_text(events: Sequence[EventRow], listed: bool, now: datetime, limit: int = 8) -> Group:
    lines: list[Text | Hanging] = [Text("Recent events", style=theme.HEADING)]
    if not events:
        lines.append(Text("none recorded" if listed else "Events not listed", style=theme.DIM))
    for ev in events[:limit]:
        style = theme.WARNING if ev.type == "Warning" else ""
        line = (  # the one time form of event lines (pod view, detail): `3m ago`
            Text(f"{age(ev.time, now):>4} ago  ", style=theme.DIM)
            + safe(f"{ev.reason:22}", style)
            + Text(f"x{ev.count:<5} ")
            + safe(f"{ev.object}: ", theme.DIM)
            + safe(ev.message)
        )
        lines.append(Hanging(line, EVENT_HANG))
    if len(events) > limit:
        lines.append(Text(f"... {len(events) - limit} older", style=theme.DIM))
    return Group(*lines)


def pv_text(row: PVRow, found: Sequence[Finding]) -> Group:
    head = (
        Text("PersistentVolume ", style=theme.STRONG)
        + safe(row.name)
        + Text("  ")
        + phase_text(row.phase)
    )
    facts = Text.assemble(
        ("claim ", theme.DIM),
        safe(row.claim or "(none)"),
        ("   class ", theme.DIM),
        safe(row.storage_class or '""'),
        ("   capacity ", theme.DIM),
        safe(row.capacity or "?"),
        ("   modes ", theme.DIM),
        safe(",".join(row.access_modes) or "?"),
        ("   reclaim ", theme.DIM),
        safe(row.reclaim_policy or "?"),
        ("   source ", theme.DIM),
        safe(row.source or "?"),
    )
    return Group(head, facts, Text(), findings_text(found))


def class_text(row: ClassRow, found: Sequence[Finding]) -> Group:
    head = Text("StorageClass ", style=theme.STRONG) + safe(row.name)
    if row.is_default:
        head += Text("  (default)", style=theme.ACCENT)
    facts = Text.assemble(
        ("provisioner ", theme.DIM),
        safe(row.provisioner),
        ("   binding ", theme.DIM),
        safe(row.binding_mode),
        ("   reclaim ", theme.DIM),
        safe(row.reclaim_policy),
        ("   expansion ", theme.DIM),
        ("allowed" if row.allow_expansion else "no"),
        ("   claims ", theme.DIM),
        str(row.claims),
    )
    params = Text("parameters: ", style=theme.DIM) + (
        safe(", ".join(f"{k}={v}" for k, v in row.parameters))
        if row.parameters
        else Text("none", style=theme.DIM)
    )
    return Group(head, facts, params, Text(), findings_text(found))
