"""The live cluster source: list every kind mlview knows, then keep watching.

The CLI imports this package only for a live run (`commands.common.open_live`), so snapshot
and demo runs never load the `kubernetes` client.

Threads, not asyncio: the official client is synchronous, so each kind gets one daemon thread
blocked on its own watch socket (see watcher.py). The UI's event loop never waits on the
network: it polls `store.version` a few times a second, so a burst of events costs it one
redraw per poll, and input stays responsive.

For the app, the CLI checks the server once (`probe`: fast, clear failure for 401 /
unreachable) and hands the source to the app, which starts the watches when it mounts and
stops them when it exits: on a large cluster the first full list takes seconds, and the
header shows each kind "syncing" then "live" meanwhile. For check, matrix and record every
kind is listed once, in parallel (`list_once`).
"""

from __future__ import annotations

import gc
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from mlview.errors import UsageError
from mlview.kinds import KINDS, KindInfo
from mlview.sources.live import api
from mlview.sources.live.config import ConfigError, Connection, connect
from mlview.sources.live.watcher import KindSync
from mlview.store import SourceInfo, Store

__all__ = ["LiveSource", "open_source", "watched_kinds"]

PROBE_TIMEOUT = (api.CONNECT_TIMEOUT, 15.0)


def watched_kinds() -> list[KindInfo]:
    """Every kind the live source lists and watches (`mlview rbac` must cover all of them)."""
    return list(KINDS.values())


class LiveSource:
    """A Store fed from one cluster, one KindSync per kind."""

    def __init__(self, conn: Connection, namespace: str | None = None, **sync_options: Any) -> None:
        self.conn = conn
        self.namespace = namespace
        self._sync_options = sync_options  # the same for another context (for_context)
        self.store = Store(SourceInfo(label=conn.context, mode="live", context=conn.context))
        self.syncs = [
            KindSync(conn.client, self.store, info, namespace, **sync_options)
            for info in watched_kinds()
        ]
        # Every kind shows in the header from the first frame.
        self.store.source.sync = {s.info.kind: "syncing" for s in self.syncs}

    def contexts(self) -> list[str]:
        """The kubeconfig's contexts, to switch between in the app (ConfigError: none)."""
        from mlview.sources.live.config import context_names

        if self.conn.context == "in-cluster":
            raise ConfigError("running in-cluster: there is no kubeconfig to switch contexts in")
        return context_names(self.conn.kubeconfig)

    def for_context(self, context: str) -> LiveSource:
        """A new source on another context of the same kubeconfig, same namespace and options;
        neither probed nor started (ConfigError when the context is not there)."""
        if self.conn.context == "in-cluster":
            raise ConfigError("running in-cluster: there is no kubeconfig to switch contexts in")
        return LiveSource(
            connect(self.conn.kubeconfig, context), self.namespace, **self._sync_options
        )

    def probe(self) -> None:
        """One cheap call, so bad credentials or a dead server end the run with one line."""
        try:
            api.get_json(self.conn.client, "/version", timeout=PROBE_TIMEOUT)
        except api.Forbidden:
            pass  # authenticated; RBAC is reported per kind
        except api.Unauthorized as exc:
            raise UsageError(self._unauthorized(exc)) from None
        except api.Unreachable as exc:
            raise UsageError(
                f"cannot reach the API server {self.conn.host} (context {self.conn.context}): {exc}"
            ) from None
        except api.LiveError:
            pass  # a 5xx or odd /version: the per-kind lists will say more

    def _unauthorized(self, exc: Exception) -> str:
        return (
            f"the API server {self.conn.host} rejected the credentials of context "
            f"{self.conn.context} (401 Unauthorized): log in again or refresh the token "
            "in your kubeconfig"
        )

    def list_once(self, workers: int = 6) -> Store:
        """List every kind once (in parallel) and return the store; 401 ends the run."""
        self.probe()

        def one(sync: KindSync) -> None:
            for attempt in range(3):
                try:
                    sync.set_state("syncing")
                    sync.list_once()
                    sync.set_state("listed", sync.scope_note())
                    return
                except api.Gone:
                    continue  # the continue token expired mid-list: start over
                except api.Unauthorized as exc:
                    raise UsageError(self._unauthorized(exc)) from None
                except api.LiveError as exc:
                    transient = isinstance(exc, (api.Unreachable, api.ServerError))
                    if transient and attempt < 2:
                        time.sleep(0.5 * (attempt + 1))
                        continue
                    sync.report(exc)
                    if transient:
                        sync.set_state("failed", f"could not list {sync.info.plural}: {exc}")
                    return

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mlview-list") as pool:
            for future in [pool.submit(one, s) for s in self.syncs]:
                future.result()
        return self.store

    def start(self) -> Store:
        """Start one watch thread per kind; returns the store at once. No network call here
        (the app calls it when it mounts): `probe()` first for a clear failure."""
        for sync in self.syncs:
            sync.start()
        return self.store

    def stop(self, timeout: float = 2.0) -> None:
        for sync in self.syncs:
            sync.stop()
        deadline = time.monotonic() + timeout
        for sync in self.syncs:
            if sync.thread is not None and sync.thread is not threading.current_thread():
                sync.thread.join(max(0.0, deadline - time.monotonic()))

    def log_reader(self) -> Any:
        """What the pod view calls for a previous container's log (`mlview --logs`)."""
        from mlview.sources.live.logs import PreviousLogReader

        return PreviousLogReader(self.conn)

    def synced(self) -> bool:
        """Every kind has left "syncing" (live, listed, forbidden, not installed...)."""
        sync = self.store.source.sync
        return all(sync.get(s.info.kind, "syncing") != "syncing" for s in self.syncs)

    def wait_synced(self, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.synced():
                return True
            time.sleep(0.02)
        return self.synced()


GC_THRESHOLDS = (700, 10, 100)


def tune_gc() -> None:
    """Make full garbage collections ~10x rarer (CPython's default third threshold is 10).

    The store holds ~100 containers per pod, all long-lived; every watch event builds a fresh
    object tree. With default thresholds a full collection walks the whole heap every few
    thousand events: with 10,000 pods loaded that is over half of the cost of applying an
    event (bench/bench_live.py: about 2x more events/s with this). JSON trees have no
    cycles, so little garbage waits longer. Process-wide, so open_source (the CLI's entry)
    calls it, not the class.
    """
    gc.set_threshold(*GC_THRESHOLDS)


def open_source(
    kubeconfig: str | None = None,
    context: str | None = None,
    namespace: str | None = None,
    *,
    offline_hint: str = "--snapshot/--demo to work offline",
) -> LiveSource:
    """The cluster named by --kubeconfig/--context (or in-cluster); not probed, not started.
    `offline_hint`: what a missing kubeconfig suggests instead ("" for `record`, which needs a
    cluster)."""
    try:
        conn = connect(kubeconfig, context)
    except ConfigError as exc:
        message = str(exc)
        if exc.offline and offline_hint:
            message += f", or {offline_hint}"
        raise UsageError(message) from None
    tune_gc()
    return LiveSource(conn, namespace)
