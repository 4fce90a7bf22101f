"""A pod's containers as its status reports them: ready, restarts, current state and how the
previous run ended (OOMKilled, exit code, signal, message).

Containers of the spec with no status yet (a pod not scheduled, an image still pulling before
the kubelet reported) are listed too, in "no status": they exist and have not started.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Exit codes above 128 are 128 + the signal that ended the process (137 = SIGKILL: the OOM
# killer, or a liveness probe's kill after the grace period).
SIGNALS = {1: "SIGHUP", 2: "SIGINT", 6: "SIGABRT", 9: "SIGKILL", 11: "SIGSEGV", 15: "SIGTERM"}


@dataclass(frozen=True)
class Termination:
    """How one container run ended (`state.terminated` or `lastState.terminated`)."""

    reason: str  # OOMKilled | Error | Completed | ContainerCannotRun | ... ("" when unset)
    exit_code: int | None
    signal: int | None  # as reported; None when the runtime did not say
    message: str  # the container's termination message (terminationMessagePath), literal
    started_at: str
    finished_at: str

    @property
    def oom_killed(self) -> bool:
        return self.reason == "OOMKilled"

    @property
    def signal_name(self) -> str:
        """The signal that ended it: reported, or read from an exit code above 128."""
        sig = self.signal
        if sig is None and self.exit_code is not None and 128 < self.exit_code < 160:
            sig = self.exit_code - 128
        if sig is None:
            return ""
        return SIGNALS.get(sig, f"signal {sig}")

    @property
    def summary(self) -> str:
        """`OOMKilled (exit 137, SIGKILL)`."""
        parts = [] if self.exit_code is None else [f"exit {self.exit_code}"]
        if self.signal_name:
            parts.append(self.signal_name)
        head = self.reason or "Terminated"
        return f"{head} ({', '.join(parts)})" if parts else head


@dataclass(frozen=True)
class ContainerStatus:
    name: str
    init: bool  # an init container
    image: str
    ready: bool
    started: bool | None  # None: not reported (old kubelets)
    restarts: int
    state: str  # running | waiting | terminated | no status
    reason: str  # waiting or terminated reason: CrashLoopBackOff, ImagePullBackOff, OOMKilled
    message: str  # the waiting/terminated message, literal
    since: str  # running: startedAt; terminated: finishedAt; "" otherwise
    current: Termination | None  # state.terminated
    last: Termination | None  # lastState.terminated: the previous run

    @property
    def crash_looping(self) -> bool:
        return self.reason == "CrashLoopBackOff"

    @property
    def healthy(self) -> bool:
        """Running and ready (or an init container that completed)."""
        if self.init:
            return self.current is not None and self.current.exit_code == 0
        return self.state == "running" and self.ready


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _opt_int(value: Any) -> int | None:
    try:
        return None if value is None or isinstance(value, bool) else int(value)
    except (TypeError, ValueError):
        return None


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def termination(data: Any) -> Termination | None:
    t = _mapping(data)
    if not t:
        return None
    return Termination(
        reason=_s(t.get("reason")),
        exit_code=_opt_int(t.get("exitCode")),
        signal=_opt_int(t.get("signal")) or None,  # 0 means "none" in the API
        message=_s(t.get("message")),
        started_at=_s(t.get("startedAt")),
        finished_at=_s(t.get("finishedAt")),
    )


def container_status(cs: Mapping[str, Any], init: bool = False) -> ContainerStatus:
    state = _mapping(cs.get("state"))
    running, waiting = _mapping(state.get("running")), _mapping(state.get("waiting"))
    current = termination(state.get("terminated"))
    if current is not None:
        kind, reason, message = "terminated", current.reason, current.message
        since = current.finished_at
    elif waiting or "waiting" in state:
        kind, reason, message, since = "waiting", _s(waiting.get("reason")), "", ""
        message = _s(waiting.get("message"))
    elif running or "running" in state:
        kind, reason, message, since = "running", "", "", _s(running.get("startedAt"))
    else:
        kind, reason, message, since = "no status", "", "", ""
    started = cs.get("started")
    return ContainerStatus(
        name=_s(cs.get("name")),
        init=init,
        image=_s(cs.get("image")),
        ready=cs.get("ready") is True,
        started=started if isinstance(started, bool) else None,
        restarts=_opt_int(cs.get("restartCount")) or 0,
        state=kind,
        reason=reason,
        message=message,
        since=since,
        current=current,
        last=termination(_mapping(cs.get("lastState")).get("terminated")),
    )


def container_statuses(pod: Mapping[str, Any]) -> list[ContainerStatus]:
    """Init containers first, then the app containers, in spec order; a container of the spec
    the status does not mention yet is "no status"."""
    spec, status = _mapping(pod.get("spec")), _mapping(pod.get("status"))
    out: list[ContainerStatus] = []
    for init, spec_key, status_key in (
        (True, "initContainers", "initContainerStatuses"),
        (False, "containers", "containerStatuses"),
    ):
        reported = {
            _s(cs.get("name")): cs for cs in status.get(status_key) or [] if isinstance(cs, Mapping)
        }
        names = [_s(_mapping(c).get("name")) for c in spec.get(spec_key) or []]
        names += [n for n in reported if n not in names]  # a status without its spec
        images = {
            _s(_mapping(c).get("name")): _s(_mapping(c).get("image"))
            for c in spec.get(spec_key) or []
        }
        for n in names:
            cs = reported.get(n)
            if cs is None:
                out.append(
                    ContainerStatus(
                        n,
                        init,
                        images.get(n, ""),
                        False,
                        None,
                        0,
                        "no status",
                        "",
                        "",
                        "",
                        None,
                        None,
                    )
                )
            else:
                out.append(container_status(cs, init))
    return out
