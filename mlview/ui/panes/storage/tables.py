"""The storage pane's tables as pure data: columns, keyed rows of Text cells, row objects.

Built from `mlview.analysis.storage` rows and the context's findings; the pane only displays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rich.text import Text

from mlview import theme
from mlview.analysis import storage
from mlview.analysis.findings import Finding, worst
from mlview.analysis.storage.model import ClaimRow, PVRow, parse_quantity
from mlview.analysis.storage.provisioners import SHORT
from mlview.ui.context import ViewContext
from mlview.ui.marks import MARK_COLUMN
from mlview.ui.panes.storage.detail import phase_text
from mlview.ui.widgets import Row, safe, severity_text
from mlview.ui.words import counted

PVC, PV, SC = "PersistentVolumeClaim", "PersistentVolume", "StorageClass"
VIEWS = ("claims", "volumes", "classes")
SORTS = ("worst", "name", "phase", "class", "size")
_PHASE_ORDER = {"Lost": 0, "Failed": 0, "Pending": 1, "Released": 2, "": 3}
_BINDING = {"WaitForFirstConsumer": "WFFC", "Immediate": "Immediate"}

CLAIM_COLUMNS = (
    "WORST",
    "NAMESPACE",
    "NAME",
    "PHASE",
    "SIZE",
    "MODES",
    "CLASS",
    "PODS",
    "RECLAIM",
    "PROVISIONER",
    "BINDING",
    "VOLUME",
)
PV_COLUMNS = ("WORST", "NAME", "PHASE", "CLAIM", "CLASS", "SIZE", "MODES", "RECLAIM", "SOURCE")
CLASS_COLUMNS = (
    "WORST",
    "NAME",
    "DEFAULT",
    "PROVISIONER",
    "RECLAIM",
    "BINDING",
    "EXPANSION",
    "CLAIMS",
    "PARAMETERS",
)
# Narrow terminals: the columns kept, most important first (the diagnostic ones before the
# namespace, which the detail below names anyway); the rest with `w` or in the detail.
# Narrow terminals: the columns kept first (the --baseline mark column before all).
PRIORITY = {
    "claims": (
        MARK_COLUMN,
        "WORST",
        "NAME",
        "PHASE",
        "CLASS",
        "PROVISIONER",
        "MODES",
        "SIZE",
        "PODS",
        "RECLAIM",
        "BINDING",
        "VOLUME",
        "NAMESPACE",
    ),
    "volumes": (
        MARK_COLUMN,
        "WORST",
        "NAME",
        "PHASE",
        "CLAIM",
        "CLASS",
        "SOURCE",
        "MODES",
        "SIZE",
        "RECLAIM",
    ),
    "classes": (
        MARK_COLUMN,
        "WORST",
        "NAME",
        "PROVISIONER",
        "DEFAULT",
        "BINDING",
        "RECLAIM",
        "EXPANSION",
        "CLAIMS",
        "PARAMETERS",
    ),
}
# which sort a header click picks, per column name
HEADER_SORT = {
    "WORST": "worst",
    "NAME": "name",
    "NAMESPACE": "name",
    "PHASE": "phase",
    "CLASS": "class",
    "SIZE": "size",
}


def _size(text: str) -> Decimal:
    return parse_quantity(text) or Decimal(0)


def _rank(found: list[Finding]) -> int:
    sev = worst(found)
    return sev.rank if sev else 0


@dataclass
class TableData:
    columns: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    objects: dict[str, Any] = field(default_factory=dict)  # row key -> ClaimRow/PVRow/ClassRow


def claim_table(ctx: ViewContext, sort_by: str) -> TableData:
    """Claims in the namespace and filter, sorted; the filter also matches finding codes."""
    rows = []
    for r in storage.claim_rows(ctx.view):
        if not ctx.in_namespace(r.namespace):
            continue
        found = ctx.findings_for(PVC, r.namespace, r.name)
        pods = " ".join(c.pod for c in r.consumers)
        if not ctx.passes_filter(
            r.namespace,
            r.name,
            r.phase,
            r.storage_class,
            r.provisioner,
            r.volume,
            r.modes_short,
            pods,
            *(f.code for f in found),
        ):
            continue
        rows.append((r, found))
    keyfn: dict[str, Callable[[tuple[ClaimRow, list[Finding]]], Any]] = {
        "worst": lambda t: (-_rank(t[1]), t[0].namespace, t[0].name),
        "name": lambda t: (t[0].namespace, t[0].name),
        "phase": lambda t: (_PHASE_ORDER.get(t[0].phase, 4), t[0].namespace, t[0].name),
        "class": lambda t: (t[0].storage_class, t[0].namespace, t[0].name),
        "size": lambda t: (-_size(t[0].requested), t[0].namespace, t[0].name),
    }
    rows.sort(key=keyfn[sort_by])
    out = TableData(CLAIM_COLUMNS)
    for r, found in rows:
        out.objects[f"{r.namespace}/{r.name}"] = r
        out.rows.append((f"{r.namespace}/{r.name}", claim_cells(r, found)))
    return out


def claim_cells(r: ClaimRow, found: list[Finding]) -> list[Text | str]:
    sev = worst(found)
    name_style = theme.SEVERITY_STYLE[sev.value] if sev and sev.rank >= 2 else ""
    if r.class_source == "default":
        cls = safe(f"{r.storage_class} (default)")
    elif r.class_source in ("static", "none"):
        cls = safe('"" static' if r.class_source == "static" else "(none)", theme.DIM)
    else:
        cls = safe(r.storage_class, theme.ERROR if r.class_exists is False else "")
    active = r.active_consumers
    nodes = {c.node for c in active if c.node}
    pods = f"{len(active)}" + (f" / {len(nodes)} nodes" if len(nodes) > 1 else "")
    return [
        severity_text(sev),
        safe(r.namespace),
        safe(r.name, name_style),
        phase_text(r.phase),
        safe(r.requested or "-"),
        safe(r.modes_short or "-"),
        cls,
        safe(pods if r.consumers else "-"),
        safe(r.reclaim_policy or "-", theme.WARNING if r.reclaim_policy == "Delete" else ""),
        safe(r.provisioner or "-"),
        safe(_BINDING.get(r.binding_mode, r.binding_mode or "-")),
        safe(r.volume[:20] + ("…" if len(r.volume) > 20 else "") if r.volume else "-"),
    ]


def pv_table(ctx: ViewContext, sort_by: str) -> TableData:
    """PersistentVolumes; with a namespace picked, those claimed from it and unclaimed ones."""
    rows = []
    for r in storage.pv_rows(ctx.view):
        claim_ns = r.claim.split("/", 1)[0] if r.claim else ""
        if not ctx.in_namespace(claim_ns):
            continue
        found = ctx.findings_for(PV, "", r.name)
        if not ctx.passes_filter(
            r.name, r.phase, r.claim, r.storage_class, r.source, *(f.code for f in found)
        ):
            continue
        rows.append((r, found))
    keyfn: dict[str, Callable[[tuple[PVRow, list[Finding]]], Any]] = {
        "worst": lambda t: (-_rank(t[1]), t[0].name),
        "name": lambda t: t[0].name,
        "phase": lambda t: (_PHASE_ORDER.get(t[0].phase, 4), t[0].name),
        "class": lambda t: (t[0].storage_class, t[0].name),
        "size": lambda t: (-_size(t[0].capacity), t[0].name),
    }
    rows.sort(key=keyfn[sort_by])
    out = TableData(PV_COLUMNS, objects={r.name: r for r, _ in rows})
    out.rows = [
        (
            r.name,
            [
                severity_text(worst(found)),
                safe(r.name),
                phase_text(r.phase),
                safe(r.claim or "-"),
                safe(r.storage_class or '""'),
                safe(r.capacity or "-"),
                safe(",".join(SHORT.get(m, m) for m in r.access_modes) or "-"),
                safe(r.reclaim_policy or "-"),
                safe(r.source or "-"),
            ],
        )
        for r, found in rows
    ]
    return out


def class_table(ctx: ViewContext, sort_by: str) -> TableData:
    rows = []
    for r in storage.class_rows(ctx.view):
        found = ctx.findings_for(SC, "", r.name)
        params = ", ".join(f"{k}={v}" for k, v in r.parameters)
        if not ctx.passes_filter(r.name, r.provisioner, params, *(f.code for f in found)):
            continue
        rows.append((r, found, params))
    if sort_by == "worst":
        rows.sort(key=lambda t: (-_rank(t[1]), t[0].name))
    else:
        rows.sort(key=lambda t: t[0].name)
    out = TableData(CLASS_COLUMNS, objects={r.name: r for r, _, _ in rows})
    out.rows = [
        (
            r.name,
            [
                severity_text(worst(found)),
                safe(r.name),
                Text("default", style=theme.ACCENT) if r.is_default else Text("-", style=theme.DIM),
                safe(r.provisioner),
                safe(r.reclaim_policy),
                safe(r.binding_mode),
                "yes" if r.allow_expansion else "no",
                str(r.claims),
                safe(params or "-"),
            ],
        )
        for r, found, params in rows
    ]
    return out


def summary_text(ctx: ViewContext, view_name: str, shown: int, sort_by: str) -> Text:
    """One line: claims by phase, how many with errors, what is shown, the pane's keys."""
    rows = [r for r in storage.claim_rows(ctx.view) if ctx.in_namespace(r.namespace)]
    phases: dict[str, int] = {}
    for r in rows:
        phases[r.phase or "no status"] = phases.get(r.phase or "no status", 0) + 1
    broken = sum(1 for r in rows if _rank(ctx.findings_for(PVC, r.namespace, r.name)) == 3)
    text = Text(f" {counted(len(rows), 'claim')}", style=theme.STRONG)
    if phases:
        text.append(" (" + ", ".join(f"{n} {p}" for p, n in sorted(phases.items())) + ")")
    if broken:
        text.append(f"  {broken} with errors", style=theme.ERROR)
    text.append(f"   showing {view_name}: {shown}", style=theme.ACCENT)
    text.append(f"   v: claims/volumes/classes   s: sort ({sort_by})   p: pod", style=theme.DIM)
    return text


# ---- detail -------------------------------------------------------------------------
