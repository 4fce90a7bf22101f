"""Events as the events view and the pod view read them: one line per Event, newest first,
grouped by the object they are about, with probe and scheduling failures picked out.

Both Event shapes are read: core/v1 (`involvedObject`, `lastTimestamp`, `count`) and
events.k8s.io/v1 (`regarding`, `eventTime`, `series`, `note`). Text is kept as the cluster
wrote it; the UI strips control sequences and never parses it as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mlview.analysis.shared.objects import Ref
from mlview.store import StoreView, event_time

# "spec.containers{server}" -> "server" (kubelet names the container an event is about)
_FIELD_CONTAINER = re.compile(
    r"(?:spec\.)?(?:initContainers|containers|ephemeralContainers)\{([^}]*)\}"
)
# kubelet's wording: "Readiness probe failed: ...", "Liveness probe errored: ..."
_PROBE = re.compile(r"^\s*(Readiness|Liveness|Startup) probe (?:failed|errored)\b:?\s*(.*)", re.S)


@dataclass(frozen=True)
class EventLine:
    """One Event, flattened."""

    namespace: str  # the Event's own namespace
    name: str  # the Event's own name (its key in the store)
    type: str  # Normal | Warning (anything else is kept as written)
    reason: str
    message: str
    count: int
    first_seen: str  # ISO-8601 or ""
    last_seen: str
    object: Ref  # what it is about
    field_path: str  # "spec.containers{server}" or ""
    source: str  # the component that reported it (kubelet, default-scheduler...)

    @property
    def warning(self) -> bool:
        return self.type == "Warning"

    @property
    def container(self) -> str:
        """The container the event names (from its fieldPath), "" when it names none."""
        m = _FIELD_CONTAINER.search(self.field_path)
        return m.group(1) if m else ""


@dataclass(frozen=True)
class EventGroup:
    """The events of one object, newest first."""

    object: Ref
    lines: tuple[EventLine, ...]

    @property
    def warnings(self) -> int:
        return sum(1 for e in self.lines if e.warning)

    @property
    def last_seen(self) -> str:
        return max((e.last_seen for e in self.lines), default="")


@dataclass(frozen=True)
class ProbeFailure:
    """Unhealthy events of one probe of one container (kubelet repeats them with a count)."""

    probe: str  # Readiness | Liveness | Startup
    container: str  # "" when the event does not say
    message: str  # what followed "probe failed:", e.g. "HTTP probe failed with statuscode: 503"
    count: int
    last_seen: str


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def event_line(ev: Mapping[str, Any]) -> EventLine:
    meta = ev.get("metadata") or {}
    ref = ev.get("involvedObject") or ev.get("regarding") or {}
    if not isinstance(ref, Mapping):
        ref = {}
    series = ev.get("series") if isinstance(ev.get("series"), Mapping) else {}
    count = _int(ev.get("count")) or _int((series or {}).get("count")) or 1
    ns = _str(meta.get("namespace"))
    source = ev.get("source") if isinstance(ev.get("source"), Mapping) else {}
    return EventLine(
        namespace=ns,
        name=_str(meta.get("name")),
        type=_str(ev.get("type")),
        reason=_str(ev.get("reason")),
        message=_str(ev.get("message") or ev.get("note")),
        count=count,
        first_seen=_str(
            ev.get("firstTimestamp") or ev.get("eventTime") or meta.get("creationTimestamp")
        ),
        last_seen=_str(event_time(ev)),
        object=Ref(_str(ref.get("kind")), _str(ref.get("namespace") or ns), _str(ref.get("name"))),
        field_path=_str(ref.get("fieldPath")),
        source=_str(
            (source or {}).get("component")
            or ev.get("reportingComponent")
            or ev.get("reportingController")
        ),
    )


def newest_first(lines: Iterable[EventLine], warnings_first: bool = False) -> list[EventLine]:
    """Newest first (by last seen); with `warnings_first`, every Warning before any Normal.
    Ties keep a stable order (object, reason) so a refresh does not shuffle rows."""
    out = sorted(lines, key=lambda e: (e.object.text, e.reason, e.name))
    out.sort(key=lambda e: e.last_seen, reverse=True)
    if warnings_first:
        out.sort(key=lambda e: not e.warning)
    return out


def event_lines(
    view: StoreView, namespace: str | None = None, warnings_first: bool = False
) -> list[EventLine]:
    """Every Event (of one namespace, or all), newest first."""
    lines = [event_line(ev) for ev in view.list("Event", namespace)]
    return newest_first(lines, warnings_first)


def group_by_object(lines: Iterable[EventLine], warnings_first: bool = False) -> list[EventGroup]:
    """Events grouped by the object they are about; groups newest first (with
    `warnings_first`, groups holding a Warning first), lines inside newest first."""
    groups: dict[Ref, list[EventLine]] = {}
    for e in lines:
        groups.setdefault(e.object, []).append(e)
    out = [EventGroup(ref, tuple(newest_first(evs, warnings_first))) for ref, evs in groups.items()]
    out.sort(key=lambda g: g.object.text)
    out.sort(key=lambda g: g.last_seen, reverse=True)
    if warnings_first:
        out.sort(key=lambda g: g.warnings == 0)
    return out


def probe_failures(lines: Iterable[EventLine]) -> list[ProbeFailure]:
    """`Unhealthy` events as probe failures, newest first (one per event: kubelet already
    folds repeats of the same message into one event with a count)."""
    out = []
    for e in lines:
        if e.reason != "Unhealthy":
            continue
        m = _PROBE.match(e.message)
        probe, message = (m.group(1), m.group(2).strip()) if m else ("", e.message.strip())
        out.append(ProbeFailure(probe, e.container, message, e.count, e.last_seen))
    out.sort(key=lambda p: p.last_seen, reverse=True)
    return out


def scheduling_failures(lines: Iterable[EventLine]) -> list[EventLine]:
    """`FailedScheduling` events, newest first: why the scheduler found no node."""
    return newest_first(e for e in lines if e.reason == "FailedScheduling")
