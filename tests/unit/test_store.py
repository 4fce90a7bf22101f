from __future__ import annotations

import threading

from mlview.store import Store, StoreView


def pod(ns, name, labels=None):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"namespace": ns, "name": name, "labels": labels or {}},
    }


def test_put_get_delete_bumps_version():
    store = Store()
    v0 = store.version
    store.put(pod("a", "p1", {"app": "x"}))
    assert store.version > v0
    view = store.view()
    assert view.get("Pod", "a", "p1")["metadata"]["name"] == "p1"
    v1 = store.version
    store.delete("Pod", "a", "p1")
    assert store.version > v1
    assert store.view().get("Pod", "a", "p1") is None
    # deleting what is not there changes nothing
    v2 = store.version
    store.delete("Pod", "a", "p1")
    assert store.version == v2


def test_view_is_immutable_snapshot_and_cached():
    store = Store()
    store.put(pod("a", "p1"))
    view = store.view()
    assert store.view() is view  # cached until the next write
    store.put(pod("a", "p2"))
    assert view.count("Pod") == 1
    assert store.view().count("Pod") == 2


def test_replace_kind_drops_unlisted_objects_and_marks_listed():
    store = Store()
    store.put_many([pod("a", "p1"), pod("a", "p2")])
    store.replace_kind("Pod", [pod("a", "p2"), pod("b", "p3")])
    view = store.view()
    assert sorted(o["metadata"]["name"] for o in view.list("Pod")) == ["p2", "p3"]
    assert view.has_listed("Pod")
    assert not view.has_listed("Secret")


def test_select_and_namespaces():
    view = StoreView.from_objects(
        [
            pod("a", "p1", {"app": "x"}),
            pod("a", "p2", {"app": "y"}),
            pod("b", "p3", {"app": "x"}),
            {"kind": "Namespace", "metadata": {"name": "empty"}},
        ]
    )
    assert [
        o["metadata"]["name"] for o in view.select("Pod", "a", {"matchLabels": {"app": "x"}})
    ] == ["p1"]
    assert len(view.select("Pod", None, {"matchLabels": {"app": "x"}})) == 2
    assert view.namespaces() == ["a", "b", "empty"]
    assert [o["metadata"]["name"] for o in view.list("Pod", "b")] == ["p3"]


def test_events_for_sorted_by_time():
    def ev(n, t):
        return {
            "kind": "Event",
            "metadata": {"namespace": "a", "name": n},
            "involvedObject": {"kind": "Pod", "namespace": "a", "name": "p1"},
            "lastTimestamp": t,
        }

    view = StoreView.from_objects(
        [ev("e2", "2026-01-02T00:00:00Z"), ev("e1", "2026-01-01T00:00:00Z")]
    )
    assert [e["metadata"]["name"] for e in view.events_for("Pod", "a", "p1")] == ["e1", "e2"]
    assert view.events_for("Pod", "a", "other") == []


def test_concurrent_writers_lose_nothing():
    store = Store()

    def write(prefix):
        for i in range(500):
            store.put(pod("ns", f"{prefix}-{i}"))

    threads = [threading.Thread(target=write, args=(p,)) for p in "abcd"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.view().count("Pod") == 2000
