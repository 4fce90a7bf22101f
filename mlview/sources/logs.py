"""The last lines of a container's previous run, as the pod view asks for them (`mlview --logs`).

Only the live source can read logs (mlview/sources/live/logs.py); this module holds what the UI
needs to know without importing the kubernetes client. Logs are shown, never stored: they do not
enter the Store, so `mlview record` cannot write them into a snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

TAIL_LINES = 50


@dataclass(frozen=True)
class LogTail:
    """Lines of one container's previous run, or a one-line reason there are none."""

    container: str
    lines: tuple[str, ...] = ()
    error: str = ""  # "not allowed to get pods/log (403)...": shown instead of the lines


# (namespace, pod, container) -> its previous run's last lines. Called off the UI thread.
PreviousLogs = Callable[[str, str, str], LogTail]


def unavailable(reason: str) -> PreviousLogs:
    """A reader that only says why there are no logs (a snapshot or demo has none)."""

    def read(namespace: str, pod: str, container: str) -> LogTail:
        return LogTail(container, error=reason)

    return read
