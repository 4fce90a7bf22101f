"""The live source against the loopback fake server: initial sync, watch updates, and a
scripted sequence of faults after which the store must equal the server's state exactly."""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest

from mlview.kinds import KINDS
from mlview.sources.clean import clean_object
from mlview.sources.live import LiveSource, api
from mlview.sources.live.config import connect
from tests.fake_apiserver import FakeApiServer, wait_until


def obj(kind: str, name: str, ns: str | None = "ml", **extra: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "managedFields": [{"manager": "kubectl"}]}
    if ns and KINDS[kind].namespaced:
        meta["namespace"] = ns
    return {"kind": kind, "apiVersion": KINDS[kind].api_version, "metadata": meta, **extra}


def event(name: str, kind: str, target: str) -> dict[str, Any]:
    return obj(
        "Event",
        name,
        involvedObject={"kind": kind, "namespace": "ml", "name": target},
        reason="Test",
        message=f"about {target}",
        lastTimestamp="2026-11-27T05:00:00Z",
    )


def cluster_objects(pods: int = 12) -> list[dict[str, Any]]:
    objs = [obj("Namespace", "ml"), obj("Namespace", "other"), obj("Node", "n1")]
    objs += [obj("Pod", f"p{i}", spec={"nodeName": "n1"}) for i in range(pods)]
    objs += [obj("Pod", "elsewhere", "other"), obj("Service", "svc", spec={"ports": []})]
    objs += [obj("Secret", "tls", type="kubernetes.io/tls", data={"tls.key": "c2VjcmV0"})]
    objs += [event("e-pod", "Pod", "p0"), event("e-node", "Node", "n1")]
    objs += [obj("PersistentVolumeClaim", "data"), obj("Ingress", "web", spec={})]
    return objs


def expected(cluster: Any, kind: str) -> dict[tuple[str, str], dict[str, Any]]:
    """What the store must hold for a kind: the server's objects, cleaned."""
    out = {}
    for key, o in cluster.state().get(kind, {}).items():
        o = clean_object(copy.deepcopy(o))
        if kind == "Secret":
            o = {"kind": "Secret", "apiVersion": "v1", "metadata": o["metadata"]}
        if kind == "Event" and o["involvedObject"]["kind"] == "Node":
            continue
        out[key] = o
    return out


def assert_store_equals_server(store: Any, cluster: Any) -> None:
    view = store.view()
    for kind in KINDS:
        got = {
            (o["metadata"].get("namespace", ""), o["metadata"]["name"]): o for o in view.list(kind)
        }
        assert got == expected(cluster, kind), kind


def in_sync(store: Any, cluster: Any) -> bool:
    try:
        assert_store_equals_server(store, cluster)
    except AssertionError:
        return False
    return True


@pytest.fixture
def fake():
    with FakeApiServer(cluster_objects()) as server:
        server.cluster.bookmark_every = 0.2
        yield server


@pytest.fixture
def live(fake, tmp_path):
    conn = connect(str(fake.kubeconfig(tmp_path)), None)
    source = LiveSource(conn, page_size=5, watch_timeout=(2, 3))
    yield source
    source.stop()


def test_list_once_equals_the_served_objects(fake, live):
    store = live.list_once()
    assert_store_equals_server(store, fake.cluster)
    assert store.source.mode == "live" and store.source.context == "fake"
    assert store.source.sync["Pod"] == "listed"
    assert store.source.sync["Gateway"] == "not installed"
    assert "Pod" in store.listed_kinds and "Gateway" not in store.listed_kinds
    # 12 + 1 pods at 5 a page: three pages, each after the first with a continue token
    pod_lists = [q for p, q, _ in fake.cluster.requests if p == "/api/v1/pods"]
    assert [("continue" in q) for q in pod_lists] == [False, True, True]
    assert all(q["limit"] == "5" for q in pod_lists)


def test_no_managed_fields_no_secret_data_metadata_only_request(fake, live):
    view = live.list_once().view()
    assert all("managedFields" not in o["metadata"] for k in KINDS for o in view.list(k))
    secret = view.get("Secret", "ml", "tls")
    assert secret is not None and "data" not in secret and secret["kind"] == "Secret"
    accepts = {a for p, _, a in fake.cluster.requests if p.endswith("/secrets")}
    assert accepts == {api.ACCEPT_META_LIST}


def test_events_kept_only_about_explained_kinds(live):
    view = live.list_once().view()
    assert [e["metadata"]["name"] for e in view.list("Event")] == ["e-pod"]
    assert len(view.events_for("Pod", "ml", "p0")) == 1


def test_watch_applies_adds_modifies_deletes(fake, live):
    live.start()
    assert live.wait_synced(10)
    assert all(s == "live" for k, s in live.store.source.sync.items() if not KINDS[k].optional)
    c = fake.cluster
    c.add(obj("Pod", "new"))
    changed = obj("Pod", "p1", spec={"nodeName": "n2"})
    c.modify(changed)
    c.delete("Pod", "ml", "p2")
    c.add(event("e-new", "Pod", "new"))
    c.add(event("e-node2", "Node", "n1"))  # not about an explained kind: ignored
    c.add(obj("Secret", "new-secret", data={"k": "dg=="}))
    wait_until(lambda: in_sync(live.store, c), what="watch events applied")
    assert live.store.view().get("Pod", "ml", "p1")["spec"] == {"nodeName": "n2"}
    assert "data" not in live.store.view().get("Secret", "ml", "new-secret")
    watch_accepts = {a for p, q, a in c.requests if p.endswith("/secrets") and "watch" in q}
    assert watch_accepts == {api.ACCEPT_META_WATCH}


def test_scripted_faults_end_with_the_servers_state(fake, live):
    """Adds, modifies, deletes; a dropped stream; a 410 with deletions while disconnected."""
    c = fake.cluster
    live.start()
    assert live.wait_synced(10)
    pods = next(s for s in live.syncs if s.info.kind == "Pod")
    lists_before = pods.relists

    c.add(obj("Pod", "a1"))
    c.modify(obj("Pod", "p3", metadata_labels="x"))
    wait_until(lambda: in_sync(live.store, c), what="first changes")

    c.drop_streams()  # cut mid-stream: reconnect from the last version, no relist needed
    c.delete("Pod", "ml", "p4")
    c.add(obj("Service", "svc2"))
    wait_until(lambda: in_sync(live.store, c), what="changes after a dropped stream")
    assert pods.relists == lists_before

    c.down = True  # network outage: the watch cannot reconnect ...
    c.drop_streams()
    wait_until(
        lambda: live.store.source.sync["Pod"].startswith("reconnecting"), what="reconnecting state"
    )
    for i in range(5, 9):  # ... while objects are deleted and history is compacted
        c.delete("Pod", "ml", f"p{i}")
    c.add(obj("Pod", "born-offline"))
    c.delete("Service", "ml", "svc")
    c.compact()
    c.down = False
    wait_until(lambda: in_sync(live.store, c), what="state after a 410 relist")
    assert pods.relists == lists_before + 1  # the 410 made it relist, and replace
    wait_until(lambda: live.store.source.sync["Pod"] == "live", what="live again")
    assert not live.store.view().get("Pod", "ml", "p5")


def test_continue_token_expired_mid_list_starts_over(fake, live):
    c = fake.cluster
    original = api.get_json
    calls = []

    def compact_after_first_page(client, path, **kw):
        body = original(client, path, **kw)
        calls.append(path)
        if path == "/api/v1/pods" and len(calls) and not kw["query"][1:]:
            c.delete("Pod", "ml", "p11")
            c.compact()  # the next page's continue token is now too old
        return body

    pods = next(s for s in live.syncs if s.info.kind == "Pod")
    api.get_json = compact_after_first_page
    try:
        with pytest.raises(api.Gone):
            pods.list_once()
    finally:
        api.get_json = original
    pods.list_once()
    assert not live.store.view().get("Pod", "ml", "p11")


def test_stop_ends_the_threads_promptly(fake, tmp_path):
    """Default (minutes-long) watches: stop() must unblock their reads, not wait them out."""
    source = LiveSource(connect(str(fake.kubeconfig(tmp_path)), None))
    source.start()
    assert source.wait_synced(10)
    started = time.monotonic()
    source.stop(timeout=3)
    assert all(not s.thread.is_alive() for s in source.syncs)
    assert time.monotonic() - started < 3
