"""Faults through the real client against the loopback fake: 403 per kind, namespace
fallback, 401, unreachable and hung servers, kinds the cluster does not serve."""

from __future__ import annotations

import socket
import threading
import time

import pytest

import mlview.sources.live as live_pkg
from mlview.errors import UsageError
from mlview.sources.live import LiveSource, api
from mlview.sources.live.config import connect
from mlview.sources.live.watcher import Backoff
from tests.fake_apiserver import FakeApiServer, wait_until
from tests.live.test_live_sync import cluster_objects, obj


@pytest.fixture
def fake():
    with FakeApiServer(cluster_objects()) as server:
        yield server


def make_source(fake, tmp_path, namespace=None, **opts):
    conn = connect(str(fake.kubeconfig(tmp_path)), None)
    return LiveSource(conn, namespace, page_size=5, watch_timeout=(2, 3), **opts)


def test_forbidden_kind_leaves_the_others_working(fake, tmp_path):
    fake.cluster.forbidden.add("secrets")
    source = make_source(fake, tmp_path)
    store = source.list_once()
    view = store.view()
    assert view.count("Pod") == 13 and "Pod" in view.listed_kinds
    assert store.source.sync["Secret"] == "forbidden (list secrets)"
    note = store.source.notes["Secret"]
    assert "missing permission: list on secrets" in note and "mlview rbac" in note
    assert "Secret" not in view.listed_kinds  # absence of Secrets is not a fact


def test_forbidden_kind_while_watching_then_granted(fake, tmp_path):
    fake.cluster.forbidden.add("services")
    source = make_source(fake, tmp_path, poll_interval=0.2)
    source.start()
    try:
        wait_until(lambda: source.store.source.sync.get("Service", "").startswith("forbidden"))
        fake.cluster.add(obj("Pod", "still-watched"))
        wait_until(lambda: source.store.view().get("Pod", "ml", "still-watched"))
        fake.cluster.forbidden.clear()  # the admin binds the role: it recovers by itself
        wait_until(lambda: source.store.source.sync["Service"] == "live")
        assert source.store.view().count("Service") == 1
        assert "Service" not in source.store.source.notes
    finally:
        source.stop()


def test_cluster_wide_forbidden_falls_back_to_the_namespace(fake, tmp_path):
    fake.cluster.forbidden_cluster_wide.add("pods")
    source = make_source(fake, tmp_path, namespace="ml")
    source.start()
    try:
        assert source.wait_synced(10)
        store = source.store
        assert store.source.sync["Pod"] == "live"
        assert "only namespace ml" in store.source.notes["Pod"]
        assert {o["metadata"]["namespace"] for o in store.view().list("Pod")} == {"ml"}
        fake.cluster.add(obj("Pod", "later"))
        wait_until(lambda: store.view().get("Pod", "ml", "later"))
        paths = {p for p, q, _ in fake.cluster.requests if "watch" in q and "pods" in p}
        assert paths == {"/api/v1/namespaces/ml/pods"}
    finally:
        source.stop()


def test_cluster_wide_forbidden_without_namespace_is_reported(fake, tmp_path):
    fake.cluster.forbidden_cluster_wide.add("pods")
    store = make_source(fake, tmp_path).list_once()
    assert store.source.sync["Pod"] == "forbidden (list pods)"
    assert "at the cluster scope" in store.source.notes["Pod"]


def test_watch_forbidden_polls_with_lists(fake, tmp_path):
    fake.cluster.forbidden_watch.add("pods")
    source = make_source(fake, tmp_path, poll_interval=0.3)
    source.start()
    try:
        wait_until(lambda: source.store.source.sync["Pod"] == "polling (watch forbidden)")
        fake.cluster.add(obj("Pod", "seen-by-polling"))
        wait_until(lambda: source.store.view().get("Pod", "ml", "seen-by-polling"))
    finally:
        source.stop()


def test_endpointslices_not_served_degrade_to_endpoints(tmp_path):
    from mlview.kinds import KINDS

    served = {k for k, i in KINDS.items() if not i.optional} - {"EndpointSlice"}
    with FakeApiServer(cluster_objects(), served=served) as fake:
        store = make_source(fake, tmp_path).list_once()
    assert store.source.sync["EndpointSlice"] == "not served"
    assert "Endpoints are used instead" in store.source.notes["EndpointSlice"]
    assert "EndpointSlice" not in store.listed_kinds and "Endpoints" in store.listed_kinds
    assert store.source.sync["HTTPRoute"] == "not installed"
    assert "HTTPRoute" not in store.source.notes  # optional CRDs are quiet


def test_401_gives_the_credential_message(fake, tmp_path):
    fake.cluster.token = "another-token"
    source = make_source(fake, tmp_path)
    with pytest.raises(UsageError, match=r"rejected the credentials of context fake \(401"):
        source.list_once()
    with pytest.raises(UsageError, match="log in again"):
        source.probe()  # what the CLI does before the app starts the watches


def test_401_later_shows_in_the_header(fake, tmp_path):
    source = make_source(fake, tmp_path)
    source.start()
    try:
        assert source.wait_synced(10)
        fake.cluster.token = "rotated"
        fake.cluster.drop_streams()
        wait_until(lambda: source.store.source.sync["Pod"] == "unauthorized")
        assert "credentials rejected" in source.store.source.notes["Pod"]
    finally:
        source.stop()


def test_unreachable_server_gives_a_clear_message_fast(tmp_path):
    with FakeApiServer() as fake:
        kubeconfig = fake.kubeconfig(tmp_path)
    # the server is gone: its port now refuses connections
    conn = connect(str(kubeconfig), None)
    started = time.monotonic()
    with pytest.raises(
        UsageError,
        match=r"cannot reach the API server http://127\.0\.0\.1:\d+ "
        r"\(context fake\)",
    ):
        LiveSource(conn).list_once()
    assert time.monotonic() - started < 5


def test_hung_server_times_out_instead_of_blocking(tmp_path, monkeypatch):
    """A server that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    accepted = []
    threading.Thread(target=lambda: accepted.append(sock.accept()), daemon=True).start()
    with FakeApiServer() as fake:
        kubeconfig = fake.kubeconfig(tmp_path)
    text = kubeconfig.read_text().replace(fake.url, f"http://127.0.0.1:{sock.getsockname()[1]}")
    kubeconfig.write_text(text)
    monkeypatch.setattr(live_pkg, "PROBE_TIMEOUT", (1.0, 0.5))
    started = time.monotonic()
    with pytest.raises(UsageError, match="cannot reach the API server .*timed out"):
        LiveSource(connect(str(kubeconfig), None)).list_once()
    assert time.monotonic() - started < 5
    sock.close()


def test_slow_server_still_syncs(fake, tmp_path):
    fake.cluster.delay = 0.05
    store = make_source(fake, tmp_path).list_once()
    assert store.view().count("Pod") == 13


def test_list_timeout_is_reported_per_kind(fake, tmp_path):
    source = make_source(fake, tmp_path, list_timeout=(1.0, 0.2))
    source.probe()
    fake.cluster.delay = 0.5
    pods = next(s for s in source.syncs if s.info.kind == "Pod")
    with pytest.raises(api.Unreachable, match="timed out"):
        pods.list_once()


def test_backoff_is_capped_jittered_and_never_zero():
    b = Backoff(base=0.5, cap=30.0)
    delays = [b.next_delay() for _ in range(20)]
    assert all(0.25 <= d <= 30.0 for d in delays)
    assert max(delays[-5:]) > 10  # it grew
    b.reset()
    assert b.next_delay() <= 0.5


def test_server_closing_streams_at_once_does_not_spin(fake, tmp_path, monkeypatch):
    """A server that ends every watch immediately: the loop backs off, no busy loop."""
    source = make_source(fake, tmp_path)
    source.syncs = [s for s in source.syncs if s.info.kind == "Pod"]
    source.syncs[0].watch_timeout = (0, 0)  # timeoutSeconds=0: the stream ends at once
    source.start()
    try:
        time.sleep(1.5)
    finally:
        source.stop()
    watches = [q for p, q, _ in fake.cluster.requests if p == "/api/v1/pods" and "watch" in q]
    assert 1 <= len(watches) <= 6


def test_a_410_after_every_fresh_list_does_not_spin(fake, tmp_path):
    """A misbehaving server that says Gone to every watch: relists slow down (backoff)."""
    fake.cluster.compacted = 10**9  # every watch version is "too old"
    source = make_source(fake, tmp_path)
    source.syncs = [s for s in source.syncs if s.info.kind == "Pod"]
    source.syncs[0].page_size = 500  # one page: no continue token to expire
    source.start()
    try:
        time.sleep(1.5)
    finally:
        source.stop()
    lists = [q for p, q, _ in fake.cluster.requests if p == "/api/v1/pods" and "watch" not in q]
    assert 1 <= len(lists) <= 6  # no busy loop: a handful in 1.5 s, not hundreds
