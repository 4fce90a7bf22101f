"""One kind, kept in sync: list, then watch from the list's resourceVersion, forever.

Runs in its own daemon thread (the client is synchronous; one blocked socket per kind is
cheap, and it keeps the UI's asyncio loop free: the UI only polls `store.version`).

- 410 Gone (watch or continue token too old): relist and REPLACE the kind's objects, so
  nothing deleted while we were away survives.
- Network errors, server errors, server-closed streams that end at once: retry with capped
  exponential backoff and full jitter; never a busy loop.
- 403 on the cluster-wide list with a namespace given: list and watch in that namespace.
- 403 on watch only: poll (relist) every minute.
- 404: optional CRD "not installed" (quiet), other kinds "not served"; look again later.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import Any

from kubernetes.client import ApiClient

from mlview.kinds import KindInfo
from mlview.sources.clean import clean_object
from mlview.sources.live import api
from mlview.store import Store

# Events are kept only about the objects mlview explains, and only the newest few per object.
EXPLAINED_EVENT_KINDS = frozenset({"PersistentVolumeClaim", "Pod", "Ingress"})
EVENTS_PER_OBJECT = 20
# Kinds a cluster may not serve, and what the analysis reads instead.
FALLBACKS = {"EndpointSlice": "Endpoints"}
HEALTHY = 30.0  # seconds: a list+watch cycle that lasted this long was not a failure loop
_SOURCE_LOCK = threading.Lock()  # writers of store.source.sync / .notes (all KindSyncs)


class Backoff:
    """Capped exponential backoff with full jitter: 0.5 s, 1 s, 2 s ... 30 s, each * U(0.5, 1)."""

    def __init__(self, base: float = 0.5, cap: float = 30.0) -> None:
        self.base, self.cap, self.attempt = base, cap, 0

    def next_delay(self) -> float:
        delay = min(self.cap, self.base * 2**self.attempt)
        self.attempt += 1
        return delay * random.uniform(0.5, 1.0)

    def reset(self) -> None:
        self.attempt = 0


def prepare(obj: dict[str, Any], info: KindInfo) -> dict[str, Any]:
    """Stamp kind/apiVersion (list items and metadata-only objects lack them) and clean."""
    obj["kind"] = info.kind
    obj["apiVersion"] = info.api_version
    return clean_object(obj)


def keep_event(ev: dict[str, Any]) -> bool:
    ref = ev.get("involvedObject") or ev.get("regarding") or {}
    return ref.get("kind") in EXPLAINED_EVENT_KINDS


def trim_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The newest EVENTS_PER_OBJECT events per involved object, about explained kinds only."""
    from mlview.store import event_time

    per: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for ev in events:
        if keep_event(ev):
            ref = ev.get("involvedObject") or ev.get("regarding") or {}
            per.setdefault((ref.get("kind"), ref.get("namespace"), ref.get("name")), []).append(ev)
    out: list[dict[str, Any]] = []
    for evs in per.values():
        evs.sort(key=event_time)
        out.extend(evs[-EVENTS_PER_OBJECT:])
    return out


class KindSync:
    """List + watch one kind into the store, reporting its state in store.source.sync."""

    def __init__(
        self,
        client: ApiClient,
        store: Store,
        info: KindInfo,
        namespace: str | None = None,
        *,
        watch_timeout: tuple[int, int] = (60, 120),
        page_size: int = api.PAGE_SIZE,
        list_timeout: tuple[float, float] = (api.CONNECT_TIMEOUT, api.READ_TIMEOUT),
        poll_interval: float = 60.0,
        missing_interval: float = 300.0,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client, self.store, self.info = client, store, info
        self.namespace = namespace  # the -n option: fallback scope when cluster-wide is denied
        self.scope: str | None = None  # namespace we actually list in (None: cluster-wide)
        self.watch_timeout = watch_timeout
        self.page_size = page_size
        self.list_timeout = list_timeout
        self.poll_interval = poll_interval
        self.missing_interval = missing_interval
        self.backoff = backoff or Backoff()
        self.clock = clock
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None
        self._resp: Any = None  # the open watch response, closed by stop() to unblock reads
        self.relists = 0  # how many lists were done (tests and the bench read it)

    # -- state shown in the header -------------------------------------------------------
    def set_state(self, state: str, note: str | None = None) -> None:
        """Set this kind's header state and pane note (None clears the note).

        Copy-on-write under one lock: the UI iterates `sync`/`notes` without locking, so we
        never change a dict it may be reading; we swap in a new one."""
        kind, src = self.info.kind, self.store.source
        with _SOURCE_LOCK:
            if src.sync.get(kind) == state and src.notes.get(kind) == note:
                return
            src.sync = {**src.sync, kind: state}
            notes = {k: v for k, v in src.notes.items() if k != kind}
            if note is not None:
                notes[kind] = note
            src.notes = notes
        self.store.bump()

    # -- one list ------------------------------------------------------------------------
    def list_once(self) -> str:
        """(Re)list the kind and replace its objects. Returns the list's resourceVersion."""
        try:
            items, rv = api.list_all(
                self.client, self.info, self.scope, self.page_size, self.list_timeout
            )
        except api.Forbidden:
            if not (self.namespace and self.info.namespaced and self.scope is None):
                raise
            self.scope = self.namespace  # cluster-wide denied: try just the given namespace
            items, rv = api.list_all(
                self.client, self.info, self.scope, self.page_size, self.list_timeout
            )
        if self.info.kind == "Event":
            items = trim_events(items)
        self.store.replace_kind(self.info.kind, [prepare(o, self.info) for o in items])
        self.relists += 1
        return rv

    def scope_note(self) -> str | None:
        if self.scope is None:
            return None
        return (
            f"{self.info.plural}: only namespace {self.scope} "
            "(listing in all namespaces is forbidden)"
        )

    # -- the watch -----------------------------------------------------------------------
    def watch(self, rv: str) -> str:
        """Apply one watch stream to the store; returns the last resourceVersion seen.
        Raises api.Gone when the server says `rv` is too old."""
        info, store = self.info, self.store
        kind = info.kind
        events_only = kind == "Event"
        resp = api.open_watch(
            self.client, info, rv, self.scope, random.randint(*self.watch_timeout)
        )
        self._resp = resp
        if self.stopped.is_set():
            resp.close()
        self.set_state("live", self.scope_note())
        try:
            for ev in api.iter_events(resp):
                etype = ev.get("type")
                obj = ev.get("object") or {}
                if etype == "ERROR":
                    code = obj.get("code")
                    if code == 410:
                        raise api.Gone(obj.get("message") or "watch: resource version too old")
                    raise api.ServerError(f"watch error {code}: {obj.get('message', '')}")
                meta = obj.get("metadata") or {}
                rv = meta.get("resourceVersion") or rv
                if etype == "BOOKMARK":
                    continue
                if etype == "DELETED":
                    store.delete(kind, meta.get("namespace") or "", meta.get("name") or "")
                elif etype in ("ADDED", "MODIFIED"):
                    if events_only and not keep_event(obj):
                        continue
                    store.put(prepare(obj, info))
                if self.stopped.is_set():
                    break
        finally:
            self._resp = None
            resp.release_conn()
        return rv

    # -- the loop ------------------------------------------------------------------------
    def run(self) -> None:
        rv = ""
        self.set_state("syncing")
        while not self.stopped.is_set():
            started = time.monotonic()
            try:
                if not rv:
                    rv = self.list_once() or "0"
                rv = self.watch(rv)
            except api.Gone:
                rv = ""  # too old: relist (at once, unless this keeps happening; see below)
            except api.LiveError as exc:
                if time.monotonic() - started > HEALTHY:
                    self.backoff.reset()  # it worked for a while: start the backoff afresh
                rv = self._wait_after(exc, rv)
                continue
            if self.stopped.is_set():
                break
            if time.monotonic() - started < 1.0:
                # A list+watch cycle over within a second (a server that ends streams at once,
                # a 410 right after a fresh list): not normal, so slow down. Never a busy loop.
                self._sleep(self.backoff.next_delay())
            else:
                self.backoff.reset()

    def _wait_after(self, exc: api.LiveError, rv: str) -> str:
        """Report a failure and wait before the next try; returns the version to go on from."""
        self.report(exc)
        if isinstance(exc, api.Forbidden) and exc.verb == "watch" and rv:
            self._sleep(self.poll_interval)  # listing works, watching does not: poll
            return ""
        if isinstance(exc, api.NotFound):
            self._sleep(self.missing_interval)  # a CRD may be installed later
            return ""
        if isinstance(exc, api.Forbidden):
            self._sleep(max(self.poll_interval, self.backoff.next_delay()))  # RBAC may change
            return ""
        # network, 5xx, 401 (an exec plugin may refresh): keep the version, back off
        self._sleep(self.backoff.next_delay())
        return rv

    def report(self, exc: api.LiveError) -> None:
        """Show why this kind is not live: in the header (sync) and the pane (notes)."""
        info = self.info
        if isinstance(exc, api.Forbidden):
            if exc.verb == "watch" and info.kind in self.store.listed_kinds:
                self.set_state(
                    "polling (watch forbidden)",
                    f"cannot watch {exc.resource}: listing again every "
                    f"{int(self.poll_interval)} s. Server: {exc}",
                )
                return
            where = f" in namespace {self.scope}" if self.scope else ""
            self.set_state(
                f"forbidden ({exc.verb} {info.plural})",
                f"missing permission: {exc.verb} on {exc.resource}{where}. Server: {exc}. "
                "`mlview rbac` prints the role mlview needs.",
            )
        elif isinstance(exc, api.NotFound):
            if info.optional:
                self.set_state("not installed", None)
            elif info.kind in FALLBACKS:
                self.set_state(
                    "not served",
                    f"{info.api_version} {info.plural} not served by this cluster (older than "
                    f"the API mlview uses): {FALLBACKS[info.kind]} are used instead",
                )
            else:
                self.set_state("not served", f"{info.api_version} {info.plural}: {exc}")
        elif isinstance(exc, api.Unauthorized):
            self.set_state("unauthorized", f"credentials rejected: {exc}")
        else:
            state = self.store.source.sync.get(info.kind, "")
            if not state.startswith("reconnecting"):
                when = time.strftime("%H:%M:%S", time.localtime(self.clock()))
                state = f"reconnecting since {when}"
            self.set_state(state, str(exc))

    def _sleep(self, seconds: float) -> None:
        self.stopped.wait(seconds)

    # -- threads -------------------------------------------------------------------------
    def start(self) -> None:
        self.thread = threading.Thread(
            target=self._run_guarded, name=f"mlview-watch-{self.info.plural}", daemon=True
        )
        self.thread.start()

    def _run_guarded(self) -> None:
        try:
            self.run()
        except Exception as exc:  # a bug must show in the header, not kill the kind silently
            self.set_state("failed", f"internal error: {type(exc).__name__}: {exc}")

    def stop(self) -> None:
        self.stopped.set()
        resp = self._resp
        if resp is not None:
            try:  # unblock a read in progress (urllib3 >= 2.3)
                resp.shutdown()
            except Exception:
                pass
