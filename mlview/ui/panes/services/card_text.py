"""Rich text for the service card: routes, pods, storage, reachability, findings, Events."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from mlview import theme
from mlview.analysis.findings import Finding
from mlview.analysis.services import Reach, ServiceCard, ServiceRow
from mlview.ui.widgets import Hanging, safe, severity_text

ALLOWED_STYLE = theme.OK_STYLE  # allowed, denied, cannot tell
ALLOWED_WORD = {True: "yes", False: "NO", None: "?"}


def reach_cell(a: Reach) -> Text:
    return Text(ALLOWED_WORD[a.allowed], style=ALLOWED_STYLE[a.allowed])


def row_cells(r: ServiceRow) -> list[Text | str]:
    restarts = Text(str(r.restarts), style=theme.ERROR if r.recent_restarts else "")
    if r.recent_restarts:
        restarts.append(f" ({r.recent_restarts}<1h)", style=theme.BAD)
    ready_style = (
        theme.ERROR if r.pods and r.ready == 0 else (theme.WARNING if r.ready < r.pods else "")
    )
    # The diagnostic columns first, so an 80-column terminal shows them (the card has the rest).
    return [
        severity_text(r.worst),
        safe(r.name),
        Text(f"{r.ready}/{r.pods}", style=ready_style),
        reach_cell(r.model_store),
        reach_cell(r.dns),
        restarts,
        Text(f"{len(r.routes)} ") + severity_text(r.routes_worst) if r.routes else Text("-"),
        Text(f"{len(r.claims)} ") + severity_text(r.claims_worst) if r.claims else Text("-"),
        str(r.gpus) if r.gpus else "-",
        safe(r.server),
        safe(r.namespace, theme.DIM),
    ]


COLUMNS = (
    "WORST",
    "SERVICE",
    "READY",
    "STORE",
    "DNS",
    "RESTARTS",
    "ROUTES",
    "CLAIMS",
    "GPUS",
    "SERVER",
    "NAMESPACE",
)


def _head(title: str) -> Text:
    return Text(title, style=theme.HEADING)


def indent(text: Text, level: int = 1) -> Padding:
    """A line that wraps under itself (a hanging indent), not back to column 0."""
    return Padding(text, (0, 0, 0, 2 * level))


def card_text(card: ServiceCard, findings: list[Finding] | None = None) -> Group:
    """The card; `findings`: its findings as the team's overrides leave them (default: all)."""
    r = card.row
    parts: list[RenderableType] = []
    head = Text("Service ", style=theme.STRONG) + safe(r.ref, theme.STRONG)
    head += Text(f"  {r.server}  ") + Text(f"{r.ready}/{r.pods} ready", style="")
    if r.gpus:
        head += Text(f"  {r.gpus} GPU on ") + safe(", ".join(r.nodes) or "-")
    parts += [Hanging(head)]
    if r.why:
        parts.append(Hanging(safe(f"model service: {r.why}", theme.DIM)))
    for sev, reason in r.signals:
        parts.append(Hanging(severity_text(sev) + Text("  ") + safe(reason)))
    parts += [Text(), _head("Routes")]
    for x in card.routes:
        line = safe(f"{x.route.kind} {x.route.namespace}/{x.route.name} ")
        line += safe(x.url or x.route.host or "*", theme.STRONG)
        if x.read_timeout_s is not None:
            line += Text(f"  read {x.read_timeout_s:g}s ({x.timeout_source})")
        if x.latency_budget_s is not None:
            slow = x.read_timeout_s is not None and x.read_timeout_s < x.latency_budget_s
            line += Text(f"  budget {x.latency_budget_s:g}s", style=theme.ERROR if slow else "")
        if x.body_size:
            line += safe(f"  body {x.body_size}")
        if x.predicted_status:
            line += Text(f"  → {x.predicted_status}", style=theme.status_style(x.predicted_status))
            if x.deciding_step:
                line += Text(f" ({x.deciding_step})", style=theme.DIM)
        parts.append(indent(line))
    if not card.routes:
        parts.append(indent(Text("no route reaches it", style=theme.DIM)))
    parts += [Text(), _head("Workloads and pods")]
    for w in card.workloads:
        line = safe(f"{w.kind} {w.name}")
        if w.desired is not None:
            stuck = (w.ready or 0) < w.desired
            line += Text(
                f"  {w.ready}/{w.desired} ready, {w.updated} updated",
                style=theme.WARNING if stuck else theme.OK,
            )
        parts.append(indent(line))
    for p in card.pods:
        line = safe(p.name) + Text(f"  {p.phase} ")
        line += Text("ready", style=theme.OK) if p.ready else safe(p.problem, theme.ERROR)
        line += Text(f"  restarts {p.restarts}", style=theme.BAD if p.restarts else "")
        if p.last_termination:
            line += safe(f"  last: {p.last_termination}", theme.BAD)
        if p.gpus:
            line += Text(f"  GPU {p.gpus}")
        line += safe(f"  {p.node or '-'}  {p.image}", theme.DIM)
        parts.append(indent(line, 2))
    parts += [Text(), _head("Storage")]
    for c in card.claims:
        line = safe(f"{c.namespace}/{c.name}") + Text(f"  {c.phase}")
        line += safe(f"  class {c.storage_class or '-'}  {c.access}  reclaim {c.reclaim or '-'}")
        parts.append(indent(line))
        if c.problem:
            parts.append(indent(safe(c.problem, theme.BAD), 2))
    if not card.claims:
        parts.append(indent(Text("no claims", style=theme.DIM)))
    parts += [Text(), _head("Reachability")]
    port = f"TCP {card.port}" if card.port else "its port"
    for group, a in card.inbound:
        parts.append(indent(reach_cell(a) + safe(f"  {group} -> {port} ({a.pairs})")))
        parts.append(indent(safe(a.because, theme.DIM), 3))
    for a in (r.model_store, r.dns):
        parts.append(indent(reach_cell(a) + safe(f"  {a.question} ({a.pairs})")))
        parts.append(indent(safe(a.because, theme.DIM), 3))
    parts += [Text(), _head("Findings")]
    found = list(card.findings) if findings is None else findings
    for f in found:
        parts.append(indent(severity_text(f.severity, 7) + Text(f" {f.code} ", style=theme.STRONG)))
        parts.append(indent(safe(f.message), 2))
        if f.hint:
            parts.append(indent(Text("hint: ", style=theme.HINT) + safe(f.hint), 2))
    if not found:
        parts.append(indent(Text("none", style=theme.DIM)))
    if card.events:
        parts += [Text(), _head("Events")]
        for e in card.events:
            style = theme.WARNING if e.type == "Warning" else theme.DIM
            parts.append(indent(safe(f"{e.time}  {e.reason}  {e.object}: {e.message}", style)))
    return Group(*parts)
