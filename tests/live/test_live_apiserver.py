"""The live source against a REAL kube-apiserver 1.20 + etcd (tests/apiserver_harness.py).

Fidelity checks the fake cannot give: the server's own pagination, watch, 410 after an etcd
compaction, PartialObjectMetadata for Secrets, RBAC with the role `mlview rbac` prints, and
EndpointSlices that a 1.20 server does not serve at v1. Faults on the wire come from a small
TCP proxy between mlview and the server that can cut connections and refuse new ones.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from kubernetes.dynamic.exceptions import ResourceNotFoundError

from mlview.cli import main
from mlview.commands.rbac import cluster_role
from mlview.errors import UsageError
from mlview.kinds import KINDS
from mlview.sources import snapshot
from mlview.sources.live import LiveSource, open_source
from mlview.sources.live.config import connect
from mlview.sources.live.watcher import keep_event
from tests import apiserver_harness
from tests.apiserver_harness import ApiServer
from tests.fake_apiserver import wait_until

pytestmark = pytest.mark.apiserver
real_apiserver = apiserver_harness.real_apiserver


# -- fixtures: objects, ground truth, a proxy ---------------------------------------------
def pod(ns: str, name: str, **labels: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": labels or {"app": "demo"}},
        "spec": {"automountServiceAccountToken": False,
                 "containers": [{"name": "main", "image": "registry.example/demo:1"}]},
    }  # fmt: skip


def namespace_objects(ns: str) -> list[dict[str, Any]]:
    meta = {"namespace": ns}
    return [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}},
        pod(ns, "web-0"), pod(ns, "web-1"),
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", **meta},
         "spec": {"selector": {"app": "demo"}, "ports": [{"port": 80}]}},
        {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "web", **meta},
         "subsets": [{"addresses": [{"ip": "10.0.0.5"}], "ports": [{"port": 80}]}]},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", **meta},
         "data": {"k": "v"}},
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "tls", **meta},
         "type": "kubernetes.io/tls", "data": {"tls.crt": "Y2VydA==", "tls.key": "c2VjcmV0"}},
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data", **meta},
         "spec": {"accessModes": ["ReadWriteOnce"],
                  "resources": {"requests": {"storage": "1Gi"}}}},
        {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
         "metadata": {"name": "web", **meta},
         "spec": {"rules": [{"host": "web.example", "http": {"paths": [
             {"path": "/", "pathType": "Prefix",
              "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}},
        {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
         "metadata": {"name": "deny", **meta}, "spec": {"podSelector": {}}},
        {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "web-0.1", **meta},
         "involvedObject": {"kind": "Pod", "namespace": ns, "name": "web-0"},
         "reason": "Test", "message": "hello", "type": "Normal"},
    ]  # fmt: skip


def fresh_namespace(server: ApiServer) -> str:
    ns = f"t-{uuid.uuid4().hex[:8]}"
    for obj in namespace_objects(ns):
        server.apply(obj)
    return ns


def resource(server: ApiServer, kind: str) -> Any:
    info = KINDS[kind]
    return server.dynamic().resources.get(api_version=info.api_version, kind=kind)


def delete(server: ApiServer, kind: str, ns: str, name: str) -> None:
    resource(server, kind).delete(name=name, namespace=ns if KINDS[kind].namespaced else None)


def server_state(server: ApiServer) -> dict[str, dict[tuple[str, str], str]]:
    """Ground truth from the admin's own client: kind -> {(ns, name): resourceVersion}."""
    out = {}
    for kind in KINDS:
        try:
            items = resource(server, kind).get().to_dict()["items"]
        except ResourceNotFoundError:
            continue
        if kind == "Event":
            items = [e for e in items if keep_event(e)]
        out[kind] = {(i["metadata"].get("namespace") or "", i["metadata"]["name"]):
                     i["metadata"]["resourceVersion"] for i in items}  # fmt: skip
    return out


def store_state(store: Any, kinds: Any = None) -> dict[str, dict[tuple[str, str], str]]:
    view = store.view()
    return {kind: {(o["metadata"].get("namespace") or "", o["metadata"]["name"]):
                   o["metadata"]["resourceVersion"] for o in view.list(kind)}
            for kind in (kinds or KINDS) if kind in view.listed_kinds}  # fmt: skip


def in_sync(store: Any, server: ApiServer) -> bool:
    truth = server_state(server)
    return store_state(store, truth) == truth


class TcpProxy:
    """127.0.0.1 TCP relay to the apiserver that can cut every connection, or refuse new ones
    (a network outage), while TLS passes through untouched."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.down = False
        self.conns: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            if self.down:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target))
            with self.lock:
                self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self) -> None:
        with self.lock:
            conns, self.conns = self.conns, []
        for s in conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self) -> None:
        self.sock.close()
        self.cut()


def kubeconfig_via(server: ApiServer, path: Path, port: int, token: str | None = None) -> Path:
    conf = json.loads(server.admin_kubeconfig.read_text())
    conf["clusters"][0]["cluster"]["server"] = f"https://127.0.0.1:{port}"
    if token is not None:
        conf["users"][0]["user"]["token"] = token
    path.write_text(json.dumps(conf))
    return path


def source_for(kubeconfig: Path, namespace: str | None = None, **opts: Any) -> LiveSource:
    return LiveSource(connect(str(kubeconfig), None), namespace, page_size=3, **opts)


# -- tests ---------------------------------------------------------------------------------
def test_initial_sync_equals_the_served_objects(real_apiserver: ApiServer) -> None:
    ns = fresh_namespace(real_apiserver)
    store = source_for(real_apiserver.admin_kubeconfig).list_once()
    truth = server_state(real_apiserver)
    assert store_state(store, truth) == truth
    assert set(truth) - {"EndpointSlice"} <= store.listed_kinds
    view = store.view()
    assert view.get("Pod", ns, "web-0")["spec"]["containers"][0]["image"].endswith("demo:1")
    secret = view.get("Secret", ns, "tls")
    assert secret["kind"] == "Secret" and "data" not in secret and "type" not in secret
    assert all("managedFields" not in o["metadata"] for k in KINDS for o in view.list(k))
    assert len(view.events_for("Pod", ns, "web-0")) == 1


def test_endpointslices_v1_are_not_served_on_1_20(real_apiserver: ApiServer) -> None:
    store = source_for(real_apiserver.admin_kubeconfig).list_once()
    assert store.source.sync["EndpointSlice"] == "not served"
    assert "Endpoints are used instead" in store.source.notes["EndpointSlice"]
    assert store.source.sync["Endpoints"] == "listed"
    assert store.source.sync["Gateway"] == "not installed"


def test_changes_while_watching_appear_and_vanish(real_apiserver: ApiServer) -> None:
    ns = fresh_namespace(real_apiserver)
    source = source_for(real_apiserver.admin_kubeconfig)
    source.start()
    try:
        assert source.wait_synced(30)
        view = source.store.view
        real_apiserver.apply(pod(ns, "late"))
        wait_until(lambda: view().get("Pod", ns, "late"), what="created pod")
        real_apiserver.apply(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "cfg", "namespace": ns},
                "data": {"k": "v2"},
            }
        )
        wait_until(lambda: view().get("ConfigMap", ns, "cfg")["data"] == {"k": "v2"})
        real_apiserver.set_status({"apiVersion": "v1", "kind": "Pod",
                                   "metadata": {"name": "web-0", "namespace": ns},
                                   "status": {"phase": "Running"}})  # fmt: skip
        wait_until(lambda: view().get("Pod", ns, "web-0").get("status", {}).get("phase")
                   == "Running", what="status change")  # fmt: skip
        delete(real_apiserver, "Pod", ns, "web-1")
        delete(real_apiserver, "Ingress", ns, "web")
        wait_until(lambda: not view().get("Pod", ns, "web-1") and not view().get(
            "Ingress", ns, "web"), what="deletions")  # fmt: skip
        wait_until(lambda: in_sync(source.store, real_apiserver), what="store == server")
    finally:
        source.stop()


def test_dropped_streams_and_a_410_with_deletions_while_disconnected(
    real_apiserver: ApiServer, tmp_path: Path
) -> None:
    """Pods have no watch cache here, so after an etcd compaction the old version is 410."""
    ns = fresh_namespace(real_apiserver)
    port = int(real_apiserver.host.rsplit(":", 1)[1])
    proxy = TcpProxy(port)
    source = source_for(kubeconfig_via(real_apiserver, tmp_path / "kc", proxy.port))
    pods = next(s for s in source.syncs if s.info.kind == "Pod")
    source.start()
    try:
        assert source.wait_synced(30)
        relists = pods.relists
        for i in range(3):
            real_apiserver.apply(pod(ns, f"a{i}"))
        real_apiserver.apply(pod(ns, "a0", app="changed"))
        delete(real_apiserver, "Pod", ns, "a1")
        wait_until(lambda: in_sync(source.store, real_apiserver), what="first changes")

        proxy.cut()  # every stream dropped mid-flight; reconnects from the last version
        real_apiserver.apply(pod(ns, "after-cut"))
        wait_until(lambda: in_sync(source.store, real_apiserver), what="after a dropped stream")

        proxy.down = True  # an outage: no reconnect until it ends ...
        proxy.cut()
        wait_until(lambda: source.store.source.sync["Pod"].startswith("reconnecting"),
                   timeout=20, what="reconnecting")  # fmt: skip
        for name in ("web-0", "web-1", "a0", "a2"):  # ... while pods are deleted
            delete(real_apiserver, "Pod", ns, name)
        real_apiserver.apply(pod(ns, "born-offline"))
        real_apiserver.compact()  # ... and history is compacted: the old version is gone
        proxy.down = False
        wait_until(lambda: in_sync(source.store, real_apiserver), timeout=45,
                   what="store == server after the 410")  # fmt: skip
        assert pods.relists > relists  # the 410 made it relist and replace
        assert not source.store.view().get("Pod", ns, "web-0")
        wait_until(lambda: source.store.source.sync["Pod"] == "live", what="live again")
    finally:
        source.stop()
        proxy.close()


def test_viewer_needs_exactly_the_shipped_role(real_apiserver: ApiServer) -> None:
    ns = fresh_namespace(real_apiserver)
    viewer = real_apiserver.viewer_kubeconfig
    # Without the role: every kind forbidden, each pane told what is missing.
    store = source_for(viewer).list_once()
    assert store.source.sync["Pod"] == "forbidden (list pods)"
    assert "missing permission: list on pods" in store.source.notes["Pod"]
    assert "Pod" not in store.listed_kinds
    # With `mlview rbac` applied and bound: everything mlview needs, nothing forbidden.
    role = cluster_role("mlview-viewer-test")
    real_apiserver.apply(role)
    binding = {
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": "mlview-viewer-test"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                    "name": "mlview-viewer-test"},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "viewer"}],
    }  # fmt: skip
    real_apiserver.apply(binding)
    try:

        def all_readable() -> bool:
            s = source_for(viewer).list_once()
            return not [k for k, v in s.source.sync.items() if "forbidden" in v]

        wait_until(all_readable, timeout=20, what="the role to take effect")
        source = source_for(viewer)
        source.start()
        try:
            assert source.wait_synced(30)
            sync = source.store.source.sync
            assert {k: v for k, v in sync.items() if v != "live"} == {
                "EndpointSlice": "not served",
                "CronJob": "not served",  # batch/v1 CronJob is served from 1.21
                **{k: "not installed" for k, i in KINDS.items() if i.optional},
            }
            assert "data" not in source.store.view().get("Secret", ns, "tls")
            real_apiserver.apply(pod(ns, "seen-by-viewer"))
            wait_until(lambda: source.store.view().get("Pod", ns, "seen-by-viewer"))
        finally:
            source.stop()
    finally:
        real_apiserver.dynamic().resources.get(
            api_version="rbac.authorization.k8s.io/v1", kind="ClusterRoleBinding"
        ).delete(name="mlview-viewer-test")


def test_namespace_role_only_falls_back_to_the_namespace(real_apiserver: ApiServer) -> None:
    ns = fresh_namespace(real_apiserver)
    real_apiserver.apply(cluster_role("mlview-viewer-ns"))
    real_apiserver.apply({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
        "metadata": {"name": "mlview-viewer", "namespace": ns},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                    "name": "mlview-viewer-ns"},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "viewer"}],
    })  # fmt: skip

    def pods_listed() -> bool:
        s = source_for(real_apiserver.viewer_kubeconfig, ns).list_once()
        return s.source.sync["Pod"] == "listed"

    wait_until(pods_listed, timeout=20, what="the RoleBinding to take effect")
    store = source_for(real_apiserver.viewer_kubeconfig, ns).list_once()
    assert {o["metadata"]["namespace"] for o in store.view().list("Pod")} == {ns}
    assert f"only namespace {ns}" in store.source.notes["Pod"]
    assert store.source.sync["Node"] == "forbidden (list nodes)"  # cluster-scoped: no fallback


def test_bad_token_gives_the_credential_message(real_apiserver: ApiServer, tmp_path: Path):
    port = int(real_apiserver.host.rsplit(":", 1)[1])
    kubeconfig = kubeconfig_via(real_apiserver, tmp_path / "kc", port, token="not-a-token")
    with pytest.raises(UsageError, match=r"rejected the credentials .*\(401 Unauthorized\)"):
        open_source(str(kubeconfig)).list_once()


def test_record_then_snapshot_gives_the_same_store(real_apiserver: ApiServer, tmp_path: Path):
    fresh_namespace(real_apiserver)
    out = tmp_path / "rec.yaml"
    kubeconfig = str(real_apiserver.admin_kubeconfig)
    assert main(["record", str(out), "--kubeconfig", kubeconfig]) == 0
    live = open_source(kubeconfig).list_once()
    recorded = snapshot.load([out]).to_store()
    a, b = recorded.view(), live.view()
    assert a.kinds() == b.kinds() and a.listed_kinds == b.listed_kinds
    for kind in a.kinds():
        assert sorted(a.list(kind), key=str) == sorted(b.list(kind), key=str), kind
    assert recorded.source.context == "admin"


async def test_pilot_app_shows_a_server_change_within_a_second(real_apiserver: ApiServer):
    from textual.widgets import DataTable

    from tests.uitext import make_app

    ns = fresh_namespace(real_apiserver)
    source = source_for(real_apiserver.admin_kubeconfig)
    app = make_app(source.store, feed=source)  # the app starts and stops it
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            deadline = time.monotonic() + 30
            while not source.synced() and time.monotonic() < deadline:
                await pilot.pause(0.05)

            def cells() -> str:
                table = app.current_pane().query_one(DataTable)
                return " ".join(str(c) for r in range(table.row_count)
                                for c in table.get_row_at(r))  # fmt: skip

            name = f"fresh-claim-{uuid.uuid4().hex[:6]}"
            assert name not in cells()
            real_apiserver.apply({
                "apiVersion": "v1", "kind": "PersistentVolumeClaim",
                "metadata": {"name": name, "namespace": ns},
                "spec": {"accessModes": ["ReadWriteOnce"],
                         "resources": {"requests": {"storage": "1Gi"}}},
            })  # fmt: skip
            changed = time.monotonic()
            while name not in cells() and time.monotonic() - changed < 3:
                await pilot.pause(0.02)
            assert name in cells()
            assert time.monotonic() - changed < 1.0
    finally:
        source.stop()


def test_outage_at_start_is_a_clear_message_not_a_hang(real_apiserver: ApiServer, tmp_path):
    proxy = TcpProxy(int(real_apiserver.host.rsplit(":", 1)[1]))
    proxy.down = True  # connections are accepted and closed at once
    kubeconfig = kubeconfig_via(real_apiserver, tmp_path / "kc", proxy.port)
    started = time.monotonic()
    try:
        with pytest.raises(UsageError, match=r"cannot reach the API server https://127\.0\.0\.1"):
            open_source(str(kubeconfig)).probe()  # what the CLI does before starting the app
    finally:
        proxy.close()
    assert time.monotonic() - started < 5
