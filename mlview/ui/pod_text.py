"""Rich text for the pod view: containers, last termination, probe and scheduling failures,
Events and the previous log. Cluster text (messages, logs) is shown literally: control sequences
stripped, never parsed as markup."""

from __future__ import annotations

from datetime import datetime

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from mlview import theme, timefmt
from mlview.analysis.pods import ContainerStatus, EventLine, PodReport, Termination
from mlview.sanitize import clean
from mlview.sources.logs import LogTail
from mlview.timefmt import age
from mlview.ui.widgets import Hanging, safe

MESSAGE_LINES = 12  # of a termination message (a stack trace): the head says what happened
EVENT_LINES = 20


def indent(text: RenderableType, level: int = 1) -> Padding:
    """A line that wraps under itself, not back to column 0."""
    return Padding(text, (0, 0, 0, 2 * level))


def literal_block(text: str, limit: int = MESSAGE_LINES, style: str = "") -> list[Text]:
    """Multi-line cluster text, one Text per line, control sequences stripped."""
    lines = clean(text).replace("\r", "").rstrip("\n").split("\n")
    out = [Text(line.replace("\t", "    "), style=style) for line in lines[:limit]]
    if len(lines) > limit:
        out.append(Text(f"… {len(lines) - limit} more lines", style=theme.DIM))
    return out


def when(stamp: str, now: datetime) -> Text:
    """`3m ago (2026-11-27 05:38Z)`: relative first, the absolute time beside it (details)."""
    if not stamp:
        return Text("-", style=theme.DIM)
    return Text(timefmt.ago(stamp, now)) + safe(f" ({timefmt.absolute(stamp)})", theme.DIM)


def heading(title: str) -> Text:
    return Text(title, style=theme.HEADING)


def head_text(r: PodReport, now: datetime) -> Text:
    if r.virtual:
        return Text("not created yet: no status, no containers, no Events of its own", theme.NOTICE)
    line = Text() + Text(f"{r.phase}  ", style=theme.STRONG)
    if r.ready:
        line += Text("ready", style=theme.OK)
    else:
        problem = r.problem if r.problem.startswith("not ready") else f"not ready: {r.problem}"
        line += safe(problem, theme.ERROR)
    line += Text(f"  restarts {r.restarts}", style=theme.BAD if r.restarts else "")
    line += Text("  node ") + safe(r.node or "(not scheduled)", "" if r.node else theme.WARNING)
    if r.started:
        line += Text("  started ", style=theme.DIM) + when(r.started, now)
    return line


def termination_lines(t: Termination, now: datetime, label: str) -> list[RenderableType]:
    style = theme.ERROR if t.oom_killed or (t.exit_code or 0) != 0 else theme.DIM
    line = Text() + Text(f"{label}: ", style=theme.DIM) + safe(t.summary, style)
    if t.finished_at:
        line += Text("  ended ") + when(t.finished_at, now)
    ran = _duration(t.started_at, t.finished_at)
    if ran:
        line += Text(f"  ran {ran}", style=theme.DIM)
    out: list[RenderableType] = [line]
    if t.oom_killed:
        out.append(
            indent(
                Text("the container went over its memory limit (or the node ran out)", theme.DIM)
            )
        )
    if t.message.strip():
        out.append(indent(Text("message:", style=theme.DIM)))
        out += [indent(x, 2) for x in literal_block(t.message)]
    return out


def _duration(start: str, end: str) -> str:
    """How long a run lasted, in the ages' units; "" when either end is unknown."""
    b = timefmt.parse(end)
    if b is None or timefmt.parse(start) is None or timefmt.parse(start) > b:
        return ""
    return age(start, b)


def container_lines(c: ContainerStatus, now: datetime) -> list[RenderableType]:
    ok = c.healthy
    glyph = Text("✔ " if ok else "✖ ", style=theme.OK if ok else theme.ERROR)
    line = (
        Text()
        + glyph
        + safe(c.name, theme.STRONG)
        + Text(" (init)" if c.init else "", style=theme.DIM)
    )
    if c.state == "running":
        line += Text("  running", style=theme.OK if c.ready else theme.WARNING)
        if c.since:
            line += Text(" since ", style=theme.DIM) + when(c.since, now)
        line += Text(
            "  ready" if c.ready else "  not ready", style=theme.OK if c.ready else theme.ERROR
        )
    elif c.state == "waiting":
        line += Text("  waiting: ") + safe(c.reason or "(no reason)", theme.ERROR)
    elif c.state == "terminated":
        line += Text("  terminated: ") + safe(c.reason or "", theme.DIM if ok else theme.ERROR)
    else:
        line += Text("  no status yet", style=theme.WARNING)
    line += Text(f"  restarts {c.restarts}", style=theme.BAD if c.restarts else theme.DIM)
    if c.image:
        line += safe(f"  {c.image}", theme.DIM)
    out: list[RenderableType] = [line]
    if c.state == "waiting" and c.message:
        out.append(indent(safe(c.message, theme.DIM), 2))
    if c.current is not None:
        out += [indent(x, 2) for x in termination_lines(c.current, now, "this run")]
    if c.last is not None:  # one line here: "Last termination" has the whole story
        t = c.last
        short = Text() + Text("previous run: ", style=theme.DIM)
        short += safe(t.summary, theme.ERROR if t.oom_killed or t.exit_code else theme.DIM)
        if t.finished_at:
            short += Text(f"  {age(t.finished_at, now)} ago", style=theme.DIM)
        out.append(indent(short, 2))
    return out


EVENT_HANG = 10  # `  3m ago  `: a wrapped message goes on under the reason, not at column 0


def event_line_text(e: EventLine, now: datetime, with_object: bool = False) -> Text:
    style = theme.WARNING if e.warning else ""
    line = Text() + Text(f"{age(e.last_seen, now):>4} ago  ", style=theme.DIM)
    line += safe(f"{e.reason:20}", style) + Text(f" x{e.count:<4} ")
    if with_object:
        line += safe(f"{e.object.kind}/{e.object.name}: ", theme.DIM)
    return line + safe(e.message)


def pod_text(r: PodReport, now: datetime) -> Group:
    """Everything the pod view shows above the findings, Events last."""
    parts: list[RenderableType] = [Hanging(head_text(r, now))]  # wraps two columns in
    if r.virtual:
        return Group(*parts)
    parts += [Text(), heading("Containers")]
    for c in r.containers:
        parts += [indent(x) for x in container_lines(c, now)]
    if not r.containers:
        parts.append(indent(Text("none reported", style=theme.DIM)))
    last = r.last_termination
    parts += [Text(), heading("Last termination")]
    if last is None:
        parts.append(indent(Text("none: no container has restarted", style=theme.DIM)))
    else:
        c, t = last
        parts += [indent(x) for x in termination_lines(t, now, c.name)]
    parts += [Text(), heading("Probe failures")]
    for p in r.probe_failures:
        line = Text() + safe(p.probe or "probe", theme.WARNING) + safe(f"  {p.container or '-'}")
        line += Text(f"  x{p.count}  last {age(p.last_seen, now)} ago  ", style=theme.DIM)
        parts.append(indent(line + safe(p.message)))
    if not r.probe_failures:
        note = "none in the Events" if r.events_listed else "Events not listed: cannot tell"
        parts.append(indent(Text(note, style=theme.DIM)))
    failing = [c for c in r.failing_conditions if c.type == "PodScheduled"]
    if r.scheduling_failures or failing:
        parts += [Text(), heading("Scheduling")]
        said = {e.message for e in r.scheduling_failures}
        for cond in failing:
            if cond.message in said:
                continue  # the scheduler's event below says the same, with its count
            parts.append(indent(safe(f"{cond.reason}: {cond.message}", theme.ERROR)))
        for e in r.scheduling_failures[:5]:
            parts.append(indent(Hanging(event_line_text(e, now), EVENT_HANG)))
    # Ready and ContainersReady only repeat what the containers say.
    implied = ("PodScheduled", "Ready", "ContainersReady")
    others = [c for c in r.failing_conditions if c.type not in implied]
    if others:
        parts += [Text(), heading("Conditions not met")]
        for cond in others:
            text = Text() + safe(cond.type, theme.WARNING) + safe(f"  {cond.reason}")
            if cond.message:
                text += safe(f": {cond.message}", theme.DIM)
            parts.append(indent(text))
    return Group(*parts)


def events_text(r: PodReport, now: datetime) -> Group:
    lines: list[RenderableType] = [heading("Events (newest first)")]
    for e in r.events[:EVENT_LINES]:
        lines.append(indent(Hanging(event_line_text(e, now), EVENT_HANG)))
    if len(r.events) > EVENT_LINES:
        lines.append(indent(Text(f"… {len(r.events) - EVENT_LINES} older", style=theme.DIM)))
    if not r.events:
        note = "none recorded" if r.events_listed else "Events not listed"
        lines.append(indent(Text(note, style=theme.DIM)))
    return Group(*lines)


def log_text(tail: LogTail | None, note: str = "") -> Group:
    """The previous run's last lines; `note` while reading or when logs are off."""
    title = "Previous log"
    if tail is not None and tail.container:
        title += f" of {clean(tail.container, single_line=True)}"
    lines: list[RenderableType] = [heading(title)]
    if tail is None:
        lines.append(indent(Text(note, style=theme.DIM)))
    elif tail.error:
        lines.append(indent(safe(tail.error, theme.WARNING)))
    elif not tail.lines:
        lines.append(indent(Text("empty", style=theme.DIM)))
    else:
        lines += [indent(x) for x in literal_block("\n".join(tail.lines), limit=len(tail.lines))]
    return Group(*lines)
