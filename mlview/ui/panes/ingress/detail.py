"""Rich text for the Ingress pane: table cells and the selected route's detail.

Everything from the cluster goes through `safe` (sanitised, literal); nothing is parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from mlview import theme
from mlview.analysis.findings import Finding
from mlview.analysis.ingress import PodLine, RouteDetail, RouteRow, Setting
from mlview.ui.widgets import VIRTUAL_LEGEND, VIRTUAL_MARK, mark, ready_text, safe, severity_text

SOURCE_LABEL = {
    "annotation": "annotation",
    "configmap": "ConfigMap",
    "default": "built-in default",
    "main ingress": "main Ingress",
}


def setting_cell(row: RouteRow, name: str, unit: str = "") -> Text:
    """A setting for the table: `60s*` when the route keeps the controller's value,
    `!` when its annotation is invalid, `-` for other controllers, `?` when unknown."""
    if not row.settings:
        return Text("-" if row.controller else "?", style=theme.DIM)
    s = row.settings.get(name)
    if s is None:
        return Text("?", style=theme.DIM)
    value = s.value + (unit if s.value and s.value != "0" else "")
    if s.value == "0" and name == "proxy-body-size":
        value = "off"
    if s.invalid:
        return safe(value) + Text("!", style=theme.ERROR)
    if s.source in ("default", "configmap"):
        return safe(value) + Text("*", style=theme.DIM)
    return safe(value)


def endpoints_cell(row: RouteRow) -> Text:
    if row.resource:
        return Text("resource", style=theme.DIM)
    if row.service_found is False:
        return Text("no svc", style=theme.ERROR)
    if row.service_found and row.service_port is None:
        return Text("no port", style=theme.ERROR)
    if row.ready is None:
        return Text("-", style=theme.DIM)
    return ready_text(row.ready, row.ready + (row.not_ready or 0))


def path_cell(row: RouteRow) -> Text:
    if row.default_backend:
        return Text("(default backend)", style=theme.QUOTE)
    return safe(row.path or "/")


def chain_text(detail: RouteDetail) -> Text:
    """Ingress -> rule -> Service -> port -> targetPort -> endpoints, one link a line."""
    out = Text()
    for i, step in enumerate(detail.chain):
        prefix = "   " * max(i - 1, 0) + ("└─ " if i else "")
        out += (
            Text(prefix, style=theme.DIM)
            + mark(step.ok)
            + Text(f"{step.label} ", style=theme.STRONG)
        )
        out += safe(step.text) + Text("\n")
    row = detail.row
    if row.controller and row.controller != "ingress-nginx":
        out += Text(
            "Controller is not ingress-nginx: effective settings are not shown.\n", style=theme.DIM
        )
    elif not row.controller:
        out += Text("Controller unknown: the class does not resolve.\n", style=theme.WARNING)
    out.rstrip()
    return out


def pod_cells(p: PodLine) -> list[Text]:
    if p.virtual:  # phase and readiness unknown, not failing
        return [
            safe(p.name) + Text(VIRTUAL_MARK, style="bold magenta"),
            Text("virtual", style=theme.NOTICE),
            Text("?", style=theme.DIM),
            Text("-", style=theme.DIM),
            safe(p.problem, theme.NOTICE),
        ]
    return [
        safe(p.name),
        safe(p.phase, theme.OK if p.phase == "Running" else theme.WARNING),
        Text("yes", style=theme.OK) if p.ready else Text("no", style=theme.ERROR),
        safe(str(p.restarts), theme.WARNING if p.restarts else ""),
        safe(p.problem or "", theme.WARNING),
    ]


def pod_rows(namespace: str, pods: Sequence[PodLine], empty: str) -> list[tuple[str, list]]:
    """The pods table's rows, with a legend row when some pods are virtual."""
    rows: list[tuple[str, list]] = [(f"{namespace}/{p.name}", pod_cells(p)) for p in pods]
    if not rows:
        return [("-", [Text(empty, style=theme.DIM), "", "", "", ""])]
    if any(p.virtual for p in pods):
        rows.append(("legend", [Text(VIRTUAL_LEGEND, style=theme.NOTICE), "", "", "", ""]))
    return rows


def settings_text(settings: Sequence[tuple[str, Setting]]) -> Group:
    lines: list[RenderableType] = [Text("Effective settings", style=theme.HEADING)]
    if not settings:
        lines.append(Text("none we can source for this controller", style=theme.DIM))
    for name, s in settings:
        line = Text(f"{name:24}", style=theme.STRONG) + safe(f"{s.value or '(none)':10} ")
        if s.source == "configmap":
            line += safe(s.detail, theme.DIM)
        elif s.source == "main ingress":
            line += safe(f"main Ingress: {s.detail}", theme.DIM)
        else:
            line += Text(
                SOURCE_LABEL.get(s.source, s.source),
                theme.ACCENT if s.source == "annotation" else theme.DIM,
            )
        lines.append(line)
        if s.invalid:
            note = Text("! ", style=theme.ERROR) + safe(
                f'annotation "{s.invalid}" is invalid: ignored', theme.WARNING
            )
            lines.append(Padding(note, (0, 0, 0, 24)))
        elif s.note:
            lines.append(
                Padding(Text("! ", style=theme.ERROR) + safe(s.note, theme.WARNING), (0, 0, 0, 24))
            )
    return Group(*lines)


def findings_text(found: Sequence[Finding]) -> Group:
    lines: list[RenderableType] = [Text("Findings", style=theme.HEADING)]
    if not found:
        lines.append(Text("none", style=theme.OK))
    for f in found:
        lines.append(
            severity_text(f.severity, width=8)
            + Text(f.code, style=theme.STRONG)
            + (Text("  ") + safe(f.ref, theme.DIM) if f.kind != "Ingress" else Text())
        )
        lines.append(Padding(safe(f.message), (0, 0, 0, 4)))
        if f.hint:
            lines.append(Padding(Text("hint: ", style=theme.HINT) + safe(f.hint), (0, 0, 0, 4)))
    return Group(*lines)
