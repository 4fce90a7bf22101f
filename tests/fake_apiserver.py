"""A small loopback Kubernetes API server for fault tests. Test equipment: small and readable.

Speaks the part of the REST protocol the live source uses, over plain HTTP on 127.0.0.1, from
the standard library's ThreadingHTTPServer in a thread (the synchronous client never meets an
asyncio loop):

- GET /version; lists with `limit`/`continue` (pages come from one snapshot, as on a real
  server; a continue token older than a compaction answers 410);
- watches as chunked JSON lines from `resourceVersion`, BOOKMARKs with `allowWatchBookmarks`,
  the stream ends after `timeoutSeconds`; a version older than the last compaction gets an
  ERROR event with a 410 Status (what kube-apiserver sends);
- Secrets as PartialObjectMetadata when the Accept header asks for it;
- faults: 401 (wrong token), 403 per resource (optionally only cluster-wide, or only watch),
  404 for kinds not served, dropped connections mid-stream, a delay on every response;
- a pod's log (`pods/{name}/log`, text/plain) from `logs[(namespace, pod, container, previous)]`,
  with `tailLines`; 400 when there is none, 403 when "pods/log" is in `forbidden`.

Tests change the state with add/modify/delete/compact/drop_streams; each change gets the next
resourceVersion and wakes the watches.
"""

from __future__ import annotations

import base64
import bisect
import copy
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson

from mlview.kinds import KINDS, KindInfo

LOG_PATH = re.compile(r"^/api/v1/namespaces/([^/]+)/pods/([^/]+)/log$")
BY_PATH = {(k.group, k.version, k.plural): k for k in KINDS.values()}
TOKEN = "fake-token"


def status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }


def as_metadata(obj: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": obj["metadata"],
    }


class FakeCluster:
    """The server's state: objects, a resourceVersion counter, the event log, the faults."""

    def __init__(self, objects: list[dict[str, Any]] = (), served: set[str] | None = None):
        self.cond = threading.Condition()
        self.rv = 100
        self.objects: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
        self.log: list[tuple[int, str, str, dict[str, Any]]] = []  # (rv, kind, type, object)
        self.log_rvs: list[int] = []
        self.compacted = 0  # watches and continue tokens from below this answer 410
        present = {o["kind"] for o in objects}
        self.served = (
            served
            if served is not None
            else ({k for k, i in KINDS.items() if not i.optional} | present)
        )
        self.token = TOKEN
        self.forbidden: set[str] = set()  # plurals: 403 for list and watch
        self.forbidden_cluster_wide: set[str] = set()  # plurals: 403 unless in a namespace
        self.forbidden_watch: set[str] = set()  # plurals: list allowed, watch 403
        self.delay = 0.0  # seconds before every response
        self.bookmark_every = 0.5
        self.drop_gen = 0  # bumped by drop_streams(): open watches are cut
        self.closing = False
        self.down = False  # True: every request is hung up on (a network outage)
        self.requests: list[tuple[str, dict[str, str], str]] = []  # (path, query, Accept)
        # (namespace, pod, container, previous) -> log text served by pods/{name}/log
        self.logs: dict[tuple[str, str, str, bool], str] = {}
        self.open_watches = 0
        self._snapshots: dict[str, list[dict[str, Any]]] = {}
        for obj in objects:
            self._store(copy.deepcopy(obj))

    # -- state changes (from tests) --------------------------------------------------------
    def _store(self, obj: dict[str, Any]) -> dict[str, Any]:
        self.rv += 1
        meta = obj.setdefault("metadata", {})
        meta["resourceVersion"] = str(self.rv)
        meta.setdefault("uid", f"uid-{obj['kind']}-{meta.get('namespace', '')}-{meta['name']}")
        self.objects.setdefault(obj["kind"], {})[(meta.get("namespace", ""), meta["name"])] = obj
        return obj

    def _record(self, kind: str, etype: str, obj: dict[str, Any]) -> None:
        self.log.append((self.rv, kind, etype, obj))
        self.log_rvs.append(self.rv)
        self.cond.notify_all()

    def add(self, obj: dict[str, Any]) -> None:
        with self.cond:
            obj = self._store(copy.deepcopy(obj))
            self._record(obj["kind"], "ADDED", obj)

    def modify(self, obj: dict[str, Any]) -> None:
        with self.cond:
            obj = self._store(copy.deepcopy(obj))
            self._record(obj["kind"], "MODIFIED", obj)

    def delete(self, kind: str, namespace: str, name: str) -> None:
        with self.cond:
            obj = copy.deepcopy(self.objects[kind].pop((namespace, name)))
            self.rv += 1
            obj["metadata"]["resourceVersion"] = str(self.rv)
            self._record(kind, "DELETED", obj)

    def compact(self) -> None:
        """Forget history, as etcd compaction does: older versions now answer 410."""
        with self.cond:
            self.compacted = self.rv
            self.log, self.log_rvs = [], []
            self._snapshots.clear()

    def drop_streams(self) -> None:
        """Cut every open watch connection mid-stream (no final chunk)."""
        with self.cond:
            self.drop_gen += 1
            self.cond.notify_all()

    def state(self) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
        with self.cond:
            return {k: dict(v) for k, v in self.objects.items()}

    # -- reads (from the handler) ----------------------------------------------------------
    def items(self, kind: str, namespace: str | None) -> list[dict[str, Any]]:
        # Stored objects are never changed in place (changes store copies), so no copy here.
        objs = self.objects.get(kind, {})
        return [objs[k] for k in sorted(objs) if namespace is None or k[0] == namespace]

    def events_after(self, rv: int, kind: str, namespace: str | None) -> list[tuple]:
        start = bisect.bisect_right(self.log_rvs, rv)
        return [
            e
            for e in self.log[start:]
            if e[1] == kind
            and (namespace is None or e[3]["metadata"].get("namespace") == namespace)
        ]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # chunked watch streams, keep-alive lists
    disable_nagle_algorithm = True  # else headers and body meet delayed ACKs: 40 ms a request
    cluster: FakeCluster  # set on the subclass made by FakeApiServer

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def send_json(self, code: int, body: dict[str, Any]) -> None:
        data = orjson.dumps(body)  # fast: the bench serves 10,000 pods
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        c = self.cluster
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        accept = self.headers.get("Accept", "")
        with c.cond:
            c.requests.append((url.path, query, accept))
        if c.delay:
            time.sleep(c.delay)
        if c.down:  # "network down": hang up without an answer
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if self.headers.get("Authorization") != f"Bearer {c.token}":
            return self.send_json(401, status(401, "Unauthorized", "Unauthorized"))
        if url.path == "/version":
            return self.send_json(200, {"major": "1", "minor": "20", "gitVersion": "v1.20.2"})
        log = LOG_PATH.match(url.path)
        if log is not None:
            return self.pod_log(log.group(1), log.group(2), query)
        parsed = parse_path(url.path)
        if parsed is None or parsed[0].kind not in c.served:
            return self.send_json(
                404, status(404, "NotFound", "the server could not find the requested resource")
            )
        info, namespace = parsed
        watch = query.get("watch") in ("true", "1", "True")
        verb = "watch" if watch else "list"
        p = info.plural
        if (
            p in c.forbidden
            or (p in c.forbidden_cluster_wide and namespace is None)
            or (watch and p in c.forbidden_watch)
        ):
            scope = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
            who = f'User "viewer" cannot {verb} resource "{p}" in API group "{info.group}"'
            message = f"{p} is forbidden: {who} {scope}"
            return self.send_json(403, status(403, "Forbidden", message))
        meta_only = "as=PartialObjectMetadata" in accept
        if watch:
            return self.watch(info, namespace, query, meta_only)
        return self.list(info, namespace, query, meta_only)

    def pod_log(self, namespace: str, pod: str, query: dict[str, str]) -> None:
        c = self.cluster
        if "pods/log" in c.forbidden:
            who = 'User "viewer" cannot get resource "pods/log" in API group ""'
            message = f'pods "{pod}" is forbidden: {who} in the namespace "{namespace}"'
            return self.send_json(403, status(403, "Forbidden", message))
        previous = query.get("previous") in ("true", "True", "1")
        text = c.logs.get((namespace, pod, query.get("container", ""), previous))
        if text is None:
            message = f'previous terminated container "{query.get("container")}" not found'
            return self.send_json(400, status(400, "BadRequest", message))
        lines = text.splitlines(keepends=True)
        if query.get("tailLines"):
            lines = lines[-int(query["tailLines"]) :]
        data = "".join(lines).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def list(self, info: KindInfo, ns: str | None, query: dict[str, str], meta: bool) -> None:
        c = self.cluster
        limit = int(query.get("limit") or 0)
        with c.cond:
            if query.get("continue"):
                token = json.loads(base64.b64decode(query["continue"]))
                if token["rv"] < c.compacted or token["key"] not in c._snapshots:
                    return self.send_json(
                        410, status(410, "Expired", "The provided continue parameter is too old")
                    )
                rv, start = token["rv"], token["start"]
                items = c._snapshots[token["key"]]
            else:
                rv, start, items = c.rv, 0, c.items(info.kind, ns)
        end = start + limit if limit else len(items)
        page = items[start:end]
        meta_out: dict[str, Any] = {"resourceVersion": str(rv)}
        if end < len(items):
            key = f"{info.plural}/{ns}/{rv}"
            with c.cond:
                c._snapshots[key] = items
            meta_out["continue"] = base64.b64encode(
                json.dumps({"rv": rv, "start": end, "key": key}).encode()
            ).decode()
        if meta:
            page = [as_metadata(o) for o in page]
        kind = "PartialObjectMetadataList" if meta else f"{info.kind}List"
        api_version = "meta.k8s.io/v1" if meta else info.api_version
        self.send_json(
            200, {"kind": kind, "apiVersion": api_version, "metadata": meta_out, "items": page}
        )

    def chunk(self, event: dict[str, Any]) -> None:
        data = orjson.dumps(event) + b"\n"
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def watch(self, info: KindInfo, ns: str | None, query: dict[str, str], meta: bool) -> None:
        c = self.cluster
        rv = int(query.get("resourceVersion") or 0)
        deadline = time.monotonic() + float(query.get("timeoutSeconds") or 1800)
        bookmarks = query.get("allowWatchBookmarks") in ("true", "True")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        with c.cond:
            gen = c.drop_gen
            c.open_watches += 1
            if rv and rv < c.compacted:
                pending = [
                    (
                        "ERROR",
                        status(
                            410, "Expired", f"too old resource version: {rv} ({c.compacted + 1})"
                        ),
                    )
                ]
                deadline = 0.0
            elif rv == 0:  # "from any version": the current state as ADDED, then changes
                pending = [("ADDED", o) for o in c.items(info.kind, ns)]
                rv = c.rv
            else:
                pending = []
        next_bookmark = time.monotonic() + c.bookmark_every
        try:
            while True:
                for etype, obj in pending:
                    self.chunk(
                        {
                            "type": etype,
                            "object": as_metadata(obj) if meta and etype != "ERROR" else obj,
                        }
                    )
                if time.monotonic() >= deadline or c.closing:
                    break
                with c.cond:
                    c.cond.wait(min(0.1, max(0.0, deadline - time.monotonic())))
                    if c.drop_gen != gen:
                        self.connection.shutdown(socket.SHUT_RDWR)  # cut, no final chunk
                        self.close_connection = True
                        return
                    new = c.events_after(rv, info.kind, ns)
                    pending = [(e[2], e[3]) for e in new]
                    if new:
                        rv = new[-1][0]
                    if bookmarks and time.monotonic() >= next_bookmark:
                        next_bookmark = time.monotonic() + c.bookmark_every
                        pending.append(
                            (
                                "BOOKMARK",
                                {
                                    "kind": info.kind,
                                    "apiVersion": info.api_version,
                                    "metadata": {"resourceVersion": str(c.rv)},
                                },
                            )
                        )
                        rv = c.rv
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True
        finally:
            with c.cond:
                c.open_watches -= 1


def parse_path(path: str) -> tuple[KindInfo, str | None] | None:
    parts = [p for p in path.split("/") if p]
    if parts[:1] == ["api"] and len(parts) >= 3:
        group, version, rest = "", parts[1], parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 4:
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        return None
    namespace = None
    if len(rest) == 3 and rest[0] == "namespaces":
        namespace, rest = rest[1], rest[2:]
    if len(rest) != 1:
        return None
    info = BY_PATH.get((group, version, rest[0]))
    return (info, namespace) if info else None


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up mid-request is what these tests do on purpose


class FakeApiServer:
    """`with FakeApiServer(objects) as fake:` serves `fake.cluster` on `fake.url`."""

    def __init__(self, objects: list[dict[str, Any]] = (), served: set[str] | None = None):
        self.cluster = FakeCluster(objects, served)
        handler = type("BoundHandler", (Handler,), {"cluster": self.cluster})
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeApiServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.cluster.closing = True
        self.cluster.drop_streams()
        self.httpd.shutdown()
        self.httpd.server_close()

    def kubeconfig(self, directory: Path, token: str = TOKEN, context: str = "fake") -> Path:
        """A kubeconfig file pointing at this server."""
        path = Path(directory) / "kubeconfig"
        path.write_text(
            json.dumps(
                {
                    "apiVersion": "v1",
                    "kind": "Config",
                    "current-context": context,
                    "clusters": [{"name": "fake", "cluster": {"server": self.url}}],
                    "users": [{"name": "viewer", "user": {"token": token}}],
                    "contexts": [
                        {"name": context, "context": {"cluster": "fake", "user": "viewer"}}
                    ],
                }
            )
        )
        return path


def wait_until(predicate: Any, timeout: float = 10.0, what: str = "condition") -> None:
    """Poll a predicate (tests of threads need it); fails with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
