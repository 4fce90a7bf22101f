"""The pod report and the events list (mlview.analysis.pods): every field, OOMKilled,
CrashLoopBackOff, probe and scheduling failures, both Event shapes, empty states."""

from __future__ import annotations

from typing import Any

import pytest

from mlview.analysis import pods
from mlview.analysis.pods.containers import Termination, container_statuses
from mlview.store import StoreView

NS = "ml-serving"


def pod(name: str = "llm-0", statuses: list | None = None, **status: Any) -> dict:
    return {
        "kind": "Pod",
        "metadata": {"name": name, "namespace": NS},
        "spec": {
            "nodeName": "gpu-1",
            "initContainers": [{"name": "fetch", "image": "busybox"}],
            "containers": [{"name": "server", "image": "vllm:1"}, {"name": "sidecar"}],
        },
        "status": {"phase": "Running", "startTime": "2026-01-01T00:00:00Z", **status}
        | ({"containerStatuses": statuses} if statuses is not None else {}),
    }


def event(
    obj: str,
    reason: str,
    message: str,
    last: str,
    *,
    kind: str = "Pod",
    type_: str = "Warning",
    count: int = 1,
    field: str = "",
    name: str = "",
) -> dict:
    ref = {"kind": kind, "namespace": NS, "name": obj}
    if field:
        ref["fieldPath"] = field
    return {
        "kind": "Event",
        "metadata": {"name": name or f"{obj}.{reason}.{last}", "namespace": NS},
        "involvedObject": ref,
        "type": type_,
        "reason": reason,
        "message": message,
        "count": count,
        "firstTimestamp": "2026-01-01T00:00:00Z",
        "lastTimestamp": last,
        "source": {"component": "kubelet"},
    }


CRASHLOOP = {
    "name": "server",
    "image": "vllm:1",
    "ready": False,
    "started": False,
    "restartCount": 14,
    "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s"}},
    "lastState": {
        "terminated": {
            "reason": "OOMKilled",
            "exitCode": 137,
            "message": "out of memory: [red]x[/]",
            "startedAt": "2026-01-02T10:00:00Z",
            "finishedAt": "2026-01-02T10:00:06Z",
        }
    },
}


def test_a_crash_looping_oom_killed_container_reports_every_field():
    view = StoreView.from_objects([pod(statuses=[CRASHLOOP])])
    r = pods.pod_report(view, NS, "llm-0")
    assert r is not None
    assert (r.namespace, r.name, r.phase, r.ready, r.node) == (
        NS,
        "llm-0",
        "Running",
        False,
        "gpu-1",
    )
    assert r.started == "2026-01-01T00:00:00Z" and r.virtual == ""
    assert r.problem == "CrashLoopBackOff"
    init, server, sidecar = r.containers
    assert (init.name, init.init, init.state, init.image) == ("fetch", True, "no status", "busybox")
    assert (sidecar.name, sidecar.state, sidecar.ready) == ("sidecar", "no status", False)
    assert server.crash_looping and not server.healthy
    assert (server.state, server.reason, server.message) == (
        "waiting",
        "CrashLoopBackOff",
        "back-off 5m0s",
    )
    assert (server.restarts, server.ready, server.started, server.image) == (
        14,
        False,
        False,
        "vllm:1",
    )
    assert server.current is None
    last = server.last
    assert last == Termination(
        "OOMKilled",
        137,
        None,
        "out of memory: [red]x[/]",
        "2026-01-02T10:00:00Z",
        "2026-01-02T10:00:06Z",
    )
    assert last.oom_killed and last.signal_name == "SIGKILL"
    assert last.summary == "OOMKilled (exit 137, SIGKILL)"
    assert r.oom_killed and r.restarts == 14
    assert r.last_termination == (server, last)


def test_a_running_ready_container_says_since_when():
    cs = {
        "name": "server",
        "ready": True,
        "started": True,
        "restartCount": 0,
        "state": {"running": {"startedAt": "2026-01-03T00:00:00Z"}},
    }
    [c] = container_statuses(
        {"spec": {"containers": [{"name": "server"}]}, "status": {"containerStatuses": [cs]}}
    )
    assert (c.state, c.since, c.reason, c.healthy, c.last) == (
        "running",
        "2026-01-03T00:00:00Z",
        "",
        True,
        None,
    )


@pytest.mark.parametrize(
    ("terminated", "summary", "signal"),
    [
        ({"reason": "Error", "exitCode": 1}, "Error (exit 1)", ""),
        ({"reason": "Error", "exitCode": 143}, "Error (exit 143, SIGTERM)", "SIGTERM"),
        ({"exitCode": 139}, "Terminated (exit 139, SIGSEGV)", "SIGSEGV"),
        ({"reason": "Error", "exitCode": 2, "signal": 6}, "Error (exit 2, SIGABRT)", "SIGABRT"),
        ({"reason": "Completed", "exitCode": 0, "signal": 0}, "Completed (exit 0)", ""),
        ({"reason": "ContainerCannotRun"}, "ContainerCannotRun", ""),
    ],
)
def test_termination_summary_names_exit_code_and_signal(terminated, summary, signal):
    cs = {"name": "c", "state": {"terminated": terminated | {"finishedAt": "2026-01-01T00:00:00Z"}}}
    [c] = container_statuses({"status": {"containerStatuses": [cs]}})
    assert c.state == "terminated" and c.since == "2026-01-01T00:00:00Z"
    assert (
        c.current is not None and c.current.summary == summary and c.current.signal_name == signal
    )


def test_image_pull_backoff_is_the_waiting_reason_and_the_problem():
    cs = {
        "name": "server",
        "ready": False,
        "restartCount": 0,
        "state": {
            "waiting": {
                "reason": "ImagePullBackOff",
                "message": 'Back-off pulling image "x:2.4.10"',
            }
        },
    }
    r = pods.report_of(StoreView.from_objects([]), pod(statuses=[cs]))
    server = r.containers[1]
    assert (server.reason, server.message) == (
        "ImagePullBackOff",
        'Back-off pulling image "x:2.4.10"',
    )
    assert r.problem == "ImagePullBackOff" and r.last_termination is None and not r.oom_killed


def test_probe_failures_come_from_unhealthy_events_newest_first():
    view = StoreView.from_objects(
        [
            pod(),
            event(
                "llm-0",
                "Unhealthy",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
                "2026-01-02T10:00:00Z",
                count=344,
                field="spec.containers{server}",
            ),
            event(
                "llm-0",
                "Unhealthy",
                "Liveness probe errored: context deadline exceeded",
                "2026-01-02T11:00:00Z",
                field="spec.containers{sidecar}",
            ),
            event("llm-0", "Unhealthy", "something else", "2026-01-02T09:00:00Z"),
            event(
                "llm-0", "BackOff", "Back-off restarting failed container", "2026-01-02T12:00:00Z"
            ),
            event("other", "Unhealthy", "Readiness probe failed: nope", "2026-01-02T12:00:00Z"),
        ]
    )
    r = pods.pod_report(view, NS, "llm-0")
    assert [(p.probe, p.container, p.message, p.count) for p in r.probe_failures] == [
        ("Liveness", "sidecar", "context deadline exceeded", 1),
        ("Readiness", "server", "HTTP probe failed with statuscode: 503", 344),
        ("", "", "something else", 1),
    ]
    assert r.probe_failures[1].last_seen == "2026-01-02T10:00:00Z"
    assert [e.reason for e in r.events] == ["BackOff", "Unhealthy", "Unhealthy", "Unhealthy"]
    assert r.events_listed


def test_scheduling_failures_and_failing_conditions_of_a_pending_pod():
    pending = pod(
        "train-0",
        phase="Pending",
        conditions=[
            {
                "type": "PodScheduled",
                "status": "False",
                "reason": "Unschedulable",
                "message": "0/4 nodes are available",
                "lastTransitionTime": "2026-01-01T00:00:00Z",
            },
            {"type": "Initialized", "status": "True"},
        ],
    )
    del pending["spec"]["nodeName"]
    view = StoreView.from_objects(
        [
            pending,
            event(
                "train-0",
                "FailedScheduling",
                "0/4 nodes are available: 4 Insufficient nvidia.com/gpu.",
                "2026-01-02T10:00:00Z",
                count=7,
            ),
            event("train-0", "FailedScheduling", "older", "2026-01-01T10:00:00Z"),
        ]
    )
    r = pods.pod_report(view, NS, "train-0")
    assert r.node == "" and r.phase == "Pending" and not r.ready
    assert r.problem == "Unschedulable: 0/4 nodes are available"
    assert [(c.type, c.reason, c.message, c.since) for c in r.failing_conditions] == [
        ("PodScheduled", "Unschedulable", "0/4 nodes are available", "2026-01-01T00:00:00Z")
    ]
    assert [(e.message, e.count) for e in r.scheduling_failures] == [
        ("0/4 nodes are available: 4 Insufficient nvidia.com/gpu.", 7),
        ("older", 1),
    ]
    assert r.probe_failures == ()


def test_empty_states():
    bare = {"kind": "Pod", "metadata": {"name": "p", "namespace": NS}}
    r = pods.report_of(StoreView.from_objects([bare], listed_kinds=["Pod"]), bare)
    assert r.containers == () and r.events == () and r.probe_failures == ()
    assert r.scheduling_failures == () and r.failing_conditions == ()
    assert r.last_termination is None and r.restarts == 0 and not r.events_listed
    assert r.phase == "Unknown" and r.node == "" and r.started == ""
    assert pods.pod_report(StoreView.from_objects([]), NS, "nope") is None
    assert pods.event_lines(StoreView.from_objects([])) == []
    assert pods.group_by_object([]) == []


def test_a_virtual_pod_has_no_status_to_report():
    virtual = pod(statuses=[CRASHLOOP])
    virtual["metadata"]["annotations"] = {"mlview.io/virtual": "Deployment ml-serving/llm"}
    r = pods.report_of(StoreView.from_objects([virtual]), virtual)
    assert r.virtual == "Deployment ml-serving/llm" and r.containers == ()
    assert not r.ready and r.problem == "" and r.phase == ""


EVENTS = [
    event("a", "Pulled", "pulled", "2026-01-02T10:00:00Z", type_="Normal"),
    event("a", "BackOff", "back-off", "2026-01-02T08:00:00Z"),
    event("b", "Scheduled", "assigned", "2026-01-02T11:00:00Z", type_="Normal"),
    event(
        "c", "ProvisioningFailed", "no class", "2026-01-02T09:00:00Z", kind="PersistentVolumeClaim"
    ),
]


def test_events_newest_first_and_warnings_first():
    view = StoreView.from_objects(EVENTS)
    assert [(e.object.name, e.reason) for e in pods.event_lines(view)] == [
        ("b", "Scheduled"),
        ("a", "Pulled"),
        ("c", "ProvisioningFailed"),
        ("a", "BackOff"),
    ]
    assert [(e.object.name, e.reason) for e in pods.event_lines(view, warnings_first=True)] == [
        ("c", "ProvisioningFailed"),
        ("a", "BackOff"),
        ("b", "Scheduled"),
        ("a", "Pulled"),
    ]
    assert pods.event_lines(view, namespace="other") == []


def test_events_grouped_by_object():
    lines = pods.event_lines(StoreView.from_objects(EVENTS))
    groups = pods.group_by_object(lines)
    assert [g.object.text for g in groups] == [
        "Pod/ml-serving/b",
        "Pod/ml-serving/a",
        "PersistentVolumeClaim/ml-serving/c",
    ]
    a = groups[1]
    assert [e.reason for e in a.lines] == ["Pulled", "BackOff"]
    assert a.warnings == 1 and a.last_seen == "2026-01-02T10:00:00Z"
    warned = pods.group_by_object(lines, warnings_first=True)
    assert [g.object.name for g in warned] == ["a", "c", "b"]
    assert [e.reason for e in warned[0].lines] == ["BackOff", "Pulled"]


def test_an_event_line_reads_both_event_shapes():
    core = pods.event_line(
        event(
            "a",
            "BackOff",
            "msg",
            "2026-01-02T08:00:00Z",
            count=3,
            field="spec.initContainers{fetch}",
        )
    )
    assert (core.type, core.reason, core.message, core.count, core.warning) == (
        "Warning",
        "BackOff",
        "msg",
        3,
        True,
    )
    assert (core.first_seen, core.last_seen, core.source, core.container) == (
        "2026-01-01T00:00:00Z",
        "2026-01-02T08:00:00Z",
        "kubelet",
        "fetch",
    )
    new = pods.event_line(
        {
            "kind": "Event",
            "apiVersion": "events.k8s.io/v1",
            "metadata": {"name": "e", "namespace": NS, "creationTimestamp": "2026-01-01T00:00:00Z"},
            "regarding": {"kind": "Pod", "name": "a"},
            "type": "Normal",
            "reason": "Started",
            "note": "started container",
            "eventTime": "2026-01-02T00:00:00Z",
            "series": {"count": 5, "lastObservedTime": "2026-01-03T00:00:00Z"},
            "reportingController": "kubelet",
        }
    )
    assert (new.object.text, new.message, new.count, new.source) == (
        "Pod/ml-serving/a",
        "started container",
        5,
        "kubelet",
    )
    assert new.last_seen == "2026-01-02T00:00:00Z" and new.first_seen == "2026-01-02T00:00:00Z"
    odd = pods.event_line({"kind": "Event", "metadata": {}, "involvedObject": "x", "count": "many"})
    assert odd.count == 1 and odd.object.text == "/" and odd.container == ""
