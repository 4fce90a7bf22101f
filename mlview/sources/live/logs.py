"""The previous container's last log lines, read on demand for the pod view (`mlview --logs`).

One `get` on `pods/log` (previous=true, tail_lines) through the official client's
CoreV1Api.read_namespaced_pod_log: read-only, off by default, never stored (the lines go to the
view, not the Store, so `mlview record` cannot write them). Every failure is one line for the
view: 403 names the permission and `mlview rbac --logs`.
"""

from __future__ import annotations

import urllib3
from kubernetes.client import CoreV1Api
from kubernetes.client.exceptions import ApiException

from mlview.sources.live import api
from mlview.sources.live.config import Connection
from mlview.sources.logs import TAIL_LINES, LogTail

LIMIT_BYTES = 256 * 1024  # a tail of 50 long lines; a runaway line must not fill memory
TIMEOUT = (api.CONNECT_TIMEOUT, 20.0)


class PreviousLogReader:
    """`reader(namespace, pod, container)` -> LogTail of that container's previous run."""

    def __init__(self, conn: Connection, tail_lines: int = TAIL_LINES) -> None:
        self.conn = conn
        self.tail_lines = tail_lines

    def __call__(self, namespace: str, pod: str, container: str) -> LogTail:
        try:
            # _preload_content=False: the client would json.loads a log that happens to be
            # one JSON line and hand back a Python repr of it; we decode the bytes ourselves.
            resp = CoreV1Api(self.conn.client).read_namespaced_pod_log(
                pod,
                namespace,
                container=container,
                previous=True,
                tail_lines=self.tail_lines,
                limit_bytes=LIMIT_BYTES,
                _preload_content=False,
                _request_timeout=TIMEOUT,
            )
            try:
                data = resp.data
            finally:
                resp.release_conn()
        except ApiException as exc:
            return LogTail(container, error=self._why(exc, namespace))
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            return LogTail(container, error=f"could not read the log: {api._net_reason(exc)}")
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
        lines = text.splitlines()[-self.tail_lines :]
        return LogTail(container, tuple(lines))

    def _why(self, exc: ApiException, namespace: str) -> str:
        err = api.classify(exc, "get", "pods/log")
        if isinstance(err, api.Forbidden):
            return (
                f"not allowed to get pods/log in {namespace} (403): "
                "`mlview rbac --logs` prints the role that grants it"
            )
        if isinstance(err, api.Unauthorized):
            return "the API server rejected the credentials (401)"
        if exc.status == 400:  # "previous terminated container ... not found"
            return f"no previous run to read: {api._status_message(exc) or 'HTTP 400'}"
        return f"could not read the log: {str(err).splitlines()[0]}"
