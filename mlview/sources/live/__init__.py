"""The live cluster source: list every kind mlview knows, then keep watching.

Importing this package registers `open_live` as `mlview.commands.common.live_opener`, so the
CLI never imports the `kubernetes` client itself.

Threads, not asyncio: the official client is synchronous, so each kind gets one daemon thread
blocked on its own watch socket (see watcher.py). The UI's event loop never waits on the
network: it polls `store.version` a few times a second, so a burst of events costs it one
redraw per poll, and input stays responsive.

With watch=True we check the server once (fast, clear failure for 401 / unreachable), start
the watches and return the store at once: on a large cluster the first full list takes
seconds, and the header shows each kind "syncing" then "live" meanwhile. With watch=False
(check, matrix, record) every kind is listed once, in parallel, before returning.
"""

from __future__ import annotations

import argparse
import gc
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from mlview.commands import common
from mlview.kinds import KINDS, KindInfo
from mlview.sources.live import api
from mlview.sources.live.config import ConfigError, Connection, connect
from mlview.sources.live.watcher import KindSync
from mlview.store import SourceInfo, Store

__all__ = ["LiveSource", "open_live", "source_of", "watched_kinds"]

PROBE_TIMEOUT = (api.CONNECT_TIMEOUT, 15.0)
_SOURCES: dict[int, LiveSource] = {}  # id(store) -> its source, so callers can stop() it


def watched_kinds() -> list[KindInfo]:
    """Every kind the live source lists and watches (`mlview rbac` must cover all of them)."""
    return list(KINDS.values())


class LiveSource:
    """A Store fed from one cluster, one KindSync per kind."""

    def __init__(self, conn: Connection, namespace: str | None = None, **sync_options: Any) -> None:
        self.conn = conn
        self.namespace = namespace
        self.store = Store(SourceInfo(label=conn.context, mode="live", context=conn.context))
        self.syncs = [
            KindSync(conn.client, self.store, info, namespace, **sync_options)
            for info in watched_kinds()
        ]
        # Every kind shows in the header from the first frame.
        self.store.source.sync = {s.info.kind: "syncing" for s in self.syncs}
        _SOURCES[id(self.store)] = self

    def probe(self) -> None:
        """One cheap call, so bad credentials or a dead server end the run with one line."""
        try:
            api.get_json(self.conn.client, "/version", timeout=PROBE_TIMEOUT)
        except api.Forbidden:
            pass  # authenticated; RBAC is reported per kind
        except api.Unauthorized as exc:
            raise common.UsageError(self._unauthorized(exc)) from None
        except api.Unreachable as exc:
            raise common.UsageError(
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
                    raise common.UsageError(self._unauthorized(exc)) from None
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
        """Start one watch thread per kind; returns the store at once."""
        self.probe()
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
        _SOURCES.pop(id(self.store), None)

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
    cycles, so little garbage waits longer. Process-wide, so the CLI calls it, not the class.
    """
    gc.set_threshold(*GC_THRESHOLDS)


def source_of(store: Store) -> LiveSource | None:
    """The LiveSource feeding a store (to stop its threads), or None for other sources."""
    return _SOURCES.get(id(store))


def open_live(args: argparse.Namespace, watch: bool) -> Store:
    """`common.live_opener`: the cluster named by --kubeconfig/--context (or in-cluster)."""
    try:
        conn = connect(getattr(args, "kubeconfig", None), getattr(args, "context", None))
    except ConfigError as exc:
        message = str(exc)
        if exc.offline and getattr(args, "command", None) != "record":  # record needs a cluster
            message += ", or --snapshot/--demo to work offline"
        raise common.UsageError(message) from None
    source = LiveSource(conn, getattr(args, "namespace", None))
    tune_gc()
    if watch:
        return source.start()
    store = source.list_once()
    _SOURCES.pop(id(store), None)
    return store


common.live_opener = open_live
