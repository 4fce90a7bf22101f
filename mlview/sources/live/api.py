"""Raw REST calls through the official client: paginated lists and watch streams as plain dicts.

We go through `ApiClient.call_api(..., _preload_content=False)` so the client still does
authentication (tokens, client certificates, exec plugins, refresh hooks), TLS and proxies,
but we parse the JSON ourselves: building the client's model objects for every pod costs
several times more than parsing the JSON (see bench/bench_live.py), and mlview wants dicts
anyway. orjson parses a pod about 2.5x faster than the standard library's json.

Every call sets `_request_timeout`: without it a hung server blocks a thread forever.
Errors come out as the small exception classes below, one per way the caller must react.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import orjson
import urllib3
from kubernetes.client import ApiClient
from kubernetes.client.exceptions import ApiException

from mlview.kinds import KindInfo

PAGE_SIZE = 500
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 60.0  # one list page; generous for slow control planes
ACCEPT_JSON = "application/json"
# Secrets: ask the server for metadata only, so their data never crosses the wire. No plain
# `application/json` fallback on purpose: a server that cannot do this must not send data.
ACCEPT_META_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
ACCEPT_META_WATCH = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"


class LiveError(Exception):
    """Base of the errors below; str() is one line fit for the header or a CLI error."""


class Unreachable(LiveError):
    """Connection refused or reset, DNS, TLS, timeouts: retry with backoff."""


class Unauthorized(LiveError):
    """401: the server rejected the credentials."""


class Forbidden(LiveError):
    """403: RBAC denies this verb on this resource."""

    def __init__(self, verb: str, resource: str, message: str) -> None:
        super().__init__(message or f"cannot {verb} {resource}")
        self.verb = verb
        self.resource = resource


class NotFound(LiveError):
    """404: the API group/version or resource is not served (CRD missing, old cluster)."""


class Gone(LiveError):
    """410: the resourceVersion (or continue token) is too old; relist from scratch."""


class ServerError(LiveError):
    """Any other HTTP status (5xx, 429, 406...): retry with backoff."""


def collection_path(info: KindInfo, namespace: str | None = None) -> str:
    base = f"/apis/{info.group}/{info.version}" if info.group else f"/api/{info.version}"
    if namespace and info.namespaced:
        base += f"/namespaces/{quote(namespace, safe='')}"
    return f"{base}/{info.plural}"


def resource_name(info: KindInfo) -> str:
    """`pods`, `ingresses.networking.k8s.io`: how RBAC and kubectl name a resource."""
    return f"{info.plural}.{info.group}" if info.group else info.plural


def get(
    client: ApiClient,
    path: str,
    query: list[tuple[str, str]] | None = None,
    *,
    accept: str = ACCEPT_JSON,
    timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
    verb: str = "get",
    resource: str = "",
) -> urllib3.HTTPResponse:
    """One GET; returns the unread response (the caller reads and releases it)."""
    try:
        return client.call_api(
            path,
            "GET",
            query_params=query or [],
            header_params={"Accept": accept},
            auth_settings=["BearerToken"],
            response_types_map={},
            _preload_content=False,
            _request_timeout=timeout,
        )
    except ApiException as exc:
        raise classify(exc, verb, resource or path) from None
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise Unreachable(_net_reason(exc)) from None


def get_json(client: ApiClient, path: str, **kw: Any) -> Any:
    resp = get(client, path, **kw)
    try:
        return parse_large(resp.data)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise Unreachable(_net_reason(exc)) from None
    except ValueError:
        raise ServerError(f"{path}: the server sent a body that is not JSON") from None
    finally:
        resp.release_conn()


PAUSE_GC = True


def parse_large(data: bytes) -> Any:
    """Parse a big body (a page of up to 500 objects) with the cyclic GC paused.

    The page builds ~100 containers per object; with thousands of pods already held, the
    collector would otherwise walk the whole heap again and again while they are created
    (measured: listing 10,000 pods takes ~1.6x longer with it on). JSON trees have no cycles,
    so nothing is lost; collections resume right after, and only if they were on.
    """
    if not (PAUSE_GC and gc.isenabled()):
        return orjson.loads(data)
    gc.disable()
    try:
        return orjson.loads(data)
    finally:
        gc.enable()


def list_all(
    client: ApiClient,
    info: KindInfo,
    namespace: str | None = None,
    page_size: int = PAGE_SIZE,
    timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
) -> tuple[list[dict[str, Any]], str]:
    """Every object of a kind (in a namespace, or all), page by page.

    Returns (items, resourceVersion of the list). Items come without kind/apiVersion, as the
    server sends them; the caller stamps them. A 410 on a continue token (the snapshot the
    pages come from was compacted away) raises Gone: the caller starts over.
    """
    path = collection_path(info, namespace)
    accept = ACCEPT_META_LIST if info.metadata_only else ACCEPT_JSON
    items: list[dict[str, Any]] = []
    token = ""
    while True:
        query = [("limit", str(page_size))]
        if token:
            query.append(("continue", token))
        body = get_json(
            client,
            path,
            query=query,
            accept=accept,
            timeout=timeout,
            verb="list",
            resource=resource_name(info),
        )
        items.extend(body.get("items") or [])
        meta = body.get("metadata") or {}
        token = meta.get("continue") or ""
        if not token:
            return items, str(meta.get("resourceVersion") or "")


def open_watch(
    client: ApiClient,
    info: KindInfo,
    resource_version: str,
    namespace: str | None = None,
    timeout_seconds: int = 90,
) -> urllib3.HTTPResponse:
    """Start a watch from `resource_version`, with bookmarks; the server ends it after
    `timeout_seconds`, and our read timeout a little later catches a server gone silent."""
    query = [
        ("watch", "true"),
        ("allowWatchBookmarks", "true"),
        ("resourceVersion", resource_version),
        ("timeoutSeconds", str(timeout_seconds)),
    ]
    return get(
        client,
        collection_path(info, namespace),
        query=query,
        accept=ACCEPT_META_WATCH if info.metadata_only else ACCEPT_JSON,
        timeout=(CONNECT_TIMEOUT, timeout_seconds + 15.0),
        verb="watch",
        resource=resource_name(info),
    )


def iter_events(resp: urllib3.HTTPResponse) -> Iterator[dict[str, Any]]:
    """Watch events ({"type", "object"}) from a chunked JSON stream, one per line.

    `stream()` on a chunked response yields each chunk as it arrives, so events are seen at
    once; a line split across chunks is joined here.
    """
    buf = b""
    try:
        for chunk in resp.stream(65536):
            buf += chunk
            if b"\n" not in chunk:
                continue
            *lines, buf = buf.split(b"\n")
            for line in lines:
                if line.strip():
                    yield orjson.loads(line)
        if buf.strip():
            yield orjson.loads(buf)
    except ValueError:
        raise ServerError("the watch stream sent a line that is not JSON") from None
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise Unreachable(_net_reason(exc)) from None


def classify(exc: ApiException, verb: str, resource: str) -> LiveError:
    status = exc.status or 0
    message = _status_message(exc)
    if status == 0:  # the client wraps TLS errors as status 0
        return Unreachable(f"TLS error: {str(exc.reason).splitlines()[-1]}")
    if status == 401:
        return Unauthorized(message or "the server rejected the credentials (401)")
    if status == 403:
        return Forbidden(verb, resource, message)
    if status == 404:
        return NotFound(message or f"{resource}: not served by this cluster (404)")
    if status == 410:
        return Gone(message or "resource version too old (410)")
    return ServerError(f"{resource}: HTTP {status} {message or exc.reason or ''}".strip())


def _status_message(exc: ApiException) -> str:
    body = exc.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        data = json.loads(body or "")
    except (TypeError, ValueError):
        return ""
    return str(data.get("message") or "") if isinstance(data, dict) else ""


def _net_reason(exc: BaseException) -> str:
    """The innermost useful line of a urllib3/socket error."""
    reason = getattr(exc, "reason", None) or exc
    text = str(reason)
    # "<urllib3.connection.HTTPConnection object at 0x..>: Failed to establish ...: [Errno 111]"
    if ">: " in text:
        text = text.split(">: ", 1)[1]
    return text.splitlines()[0] if text else type(exc).__name__
