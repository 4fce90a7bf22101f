"""Pods and Events for the on-call views: why a pod behind a route is not serving.

`pod_report(view, ns, name)`: a pod's containers (ready, restarts, waiting reason such as
CrashLoopBackOff or ImagePullBackOff, running since), how each container's previous run ended
(OOMKilled, exit code, signal, message), probe failures and scheduling failures from its
Events, and its Events newest first. `event_lines` / `group_by_object`: the events view.

Pure: dicts in, frozen dataclasses out; timestamps stay ISO-8601 strings (the UI shows ages
against the view's clock).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlview.analysis.pods.containers import ContainerStatus, Termination, container_statuses
from mlview.analysis.pods.events import (
    EventGroup,
    EventLine,
    ProbeFailure,
    event_line,
    event_lines,
    group_by_object,
    newest_first,
    probe_failures,
    scheduling_failures,
)
from mlview.analysis.shared import objects as o
from mlview.store import StoreView

__all__ = [
    "ContainerStatus",
    "EventGroup",
    "EventLine",
    "PodReport",
    "ProbeFailure",
    "Termination",
    "container_statuses",
    "event_line",
    "event_lines",
    "group_by_object",
    "newest_first",
    "pod_report",
    "probe_failures",
    "report_of",
    "scheduling_failures",
]


@dataclass(frozen=True)
class Condition:
    type: str
    reason: str
    message: str
    since: str


@dataclass(frozen=True)
class PodReport:
    namespace: str
    name: str
    phase: str
    ready: bool
    node: str  # "" when not scheduled
    started: str  # status.startTime
    virtual: str  # "Deployment ns/name" for a pod that does not exist yet; "" for a real one
    problem: str  # the most telling reason it is not ready ("" when ready)
    containers: tuple[ContainerStatus, ...]
    failing_conditions: tuple[Condition, ...]  # conditions with status False, as reported
    probe_failures: tuple[ProbeFailure, ...]
    scheduling_failures: tuple[EventLine, ...]
    events: tuple[EventLine, ...]  # newest first
    events_listed: bool  # False: Events were not read, so "no events" proves nothing

    @property
    def restarts(self) -> int:
        return sum(c.restarts for c in self.containers)

    @property
    def last_termination(self) -> tuple[ContainerStatus, Termination] | None:
        """The container whose previous run ended last, with that run's end."""
        ended = [(c, c.last) for c in self.containers if c.last is not None]
        if not ended:
            return None
        return max(ended, key=lambda pair: pair[1].finished_at)

    @property
    def oom_killed(self) -> bool:
        return any(
            (c.last is not None and c.last.oom_killed)
            or (c.current is not None and c.current.oom_killed)
            for c in self.containers
        )


def _conditions(pod: Mapping[str, Any]) -> tuple[Condition, ...]:
    out = []
    for cond in (pod.get("status") or {}).get("conditions") or []:
        if isinstance(cond, Mapping) and cond.get("status") == "False":
            out.append(
                Condition(
                    str(cond.get("type") or ""),
                    str(cond.get("reason") or ""),
                    str(cond.get("message") or ""),
                    str(cond.get("lastTransitionTime") or ""),
                )
            )
    return tuple(out)


def report_of(view: StoreView, pod: Mapping[str, Any]) -> PodReport:
    """The report of a pod object (real or virtual)."""
    ns, name = o.namespace(pod), o.name(pod)
    lines = newest_first(event_line(ev) for ev in view.events_for("Pod", ns, name))
    virtual = o.virtual_of(pod)
    ready = not virtual and o.pod_ready(pod)
    status = pod.get("status") or {}
    return PodReport(
        namespace=ns,
        name=name,
        phase="" if virtual else o.pod_phase(pod),
        ready=ready,
        node=str((pod.get("spec") or {}).get("nodeName") or ""),
        started=str(status.get("startTime") or "") if isinstance(status, Mapping) else "",
        virtual=virtual,
        problem="" if ready or virtual else o.pod_problem(pod),
        containers=() if virtual else tuple(container_statuses(pod)),
        failing_conditions=() if virtual else _conditions(pod),
        probe_failures=tuple(probe_failures(lines)),
        scheduling_failures=tuple(scheduling_failures(lines)),
        events=tuple(lines),
        events_listed=view.has_listed("Event"),
    )


def pod_report(view: StoreView, namespace: str, name: str) -> PodReport | None:
    """The report of pod namespace/name; None when the view has no such pod."""
    pod = view.get("Pod", namespace, name)
    return None if pod is None else report_of(view, pod)
