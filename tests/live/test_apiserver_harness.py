"""Prove the real-apiserver harness: objects, status, pagination, watch, RBAC, 410 Gone."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from kubernetes import client, config, watch
from kubernetes.client.exceptions import ApiException

from tests import apiserver_harness
from tests.apiserver_harness import ApiServer

pytestmark = pytest.mark.apiserver
# The session fixture; pytest finds fixtures by scanning module attributes.
real_apiserver = apiserver_harness.real_apiserver


def _pod(ns: str, name: str, labels: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": labels or {"app": "demo"}},
        "spec": {
            # No token controller runs, so there is no token to mount.
            "automountServiceAccountToken": False,
            "containers": [{"name": "main", "image": "registry.example/demo:1"}],
        },
    }


@pytest.fixture
def ns(real_apiserver: ApiServer) -> str:
    """A fresh namespace per test (deleted namespaces never finish terminating here)."""
    name = f"t-{uuid.uuid4().hex[:8]}"
    real_apiserver.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    return name


def test_version_is_1_20(real_apiserver: ApiServer) -> None:
    info = client.VersionApi(real_apiserver.api_client()).get_code()
    assert (info.major, info.minor) == ("1", "20")


def test_pod_status_via_subresource(real_apiserver: ApiServer, ns: str) -> None:
    created = real_apiserver.apply(_pod(ns, "web-0"))
    assert created["status"].get("phase") in (None, "Pending")
    status = {
        "phase": "Running",
        "conditions": [{"type": "Ready", "status": "True"}],
        "containerStatuses": [
            {
                "name": "main",
                "ready": True,
                "restartCount": 3,
                "image": "registry.example/demo:1",
                "imageID": "",
                "state": {"running": {"startedAt": "2026-01-01T00:00:00Z"}},
            }
        ],
    }
    real_apiserver.set_status({**created, "status": status})
    v1 = client.CoreV1Api(real_apiserver.api_client())
    pod = v1.read_namespaced_pod("web-0", ns)
    assert pod.status.phase == "Running"
    assert pod.status.container_statuses[0].restart_count == 3


def test_paginated_list_with_continue(real_apiserver: ApiServer, ns: str) -> None:
    for i in range(5):
        real_apiserver.apply(_pod(ns, f"p-{i}"))
    v1 = client.CoreV1Api(real_apiserver.api_client())
    names: list[str] = []
    pages = 0
    token = None
    while True:
        page = v1.list_namespaced_pod(ns, limit=2, _continue=token)
        pages += 1
        names += [p.metadata.name for p in page.items]
        token = page.metadata._continue
        if not token:
            break
    assert pages == 3
    assert sorted(names) == [f"p-{i}" for i in range(5)]


def test_watch_from_resource_version_sees_change(
    real_apiserver: ApiServer,
    ns: str,
) -> None:
    real_apiserver.apply(_pod(ns, "w-0"))
    v1 = client.CoreV1Api(real_apiserver.api_client())
    rv = v1.list_namespaced_pod(ns).metadata.resource_version
    real_apiserver.apply(_pod(ns, "w-0", labels={"app": "demo", "rev": "2"}))
    events = watch.Watch().stream(
        v1.list_namespaced_pod, ns, resource_version=rv, timeout_seconds=10
    )
    first = next(events)
    events.close()
    assert first["type"] == "MODIFIED"
    assert first["object"].metadata.labels["rev"] == "2"


def test_viewer_token_is_forbidden_without_rbac(
    real_apiserver: ApiServer,
    ns: str,
) -> None:
    viewer = client.CoreV1Api(real_apiserver.api_client(real_apiserver.viewer_token))
    with pytest.raises(ApiException) as err:
        viewer.list_namespaced_pod(ns)
    assert err.value.status == 403


def test_kubeconfigs_have_admin_and_viewer_contexts(
    real_apiserver: ApiServer,
    ns: str,
) -> None:
    contexts, current = config.list_kube_config_contexts(str(real_apiserver.kubeconfig_path))
    assert {c["name"] for c in contexts} == {"admin", "viewer"}
    assert current["name"] == "admin"
    admin = config.new_client_from_config(str(real_apiserver.admin_kubeconfig))
    assert client.CoreV1Api(admin).list_namespaced_pod(ns).items == []
    viewer = config.new_client_from_config(str(real_apiserver.viewer_kubeconfig))
    with pytest.raises(ApiException) as err:
        client.CoreV1Api(viewer).list_namespaced_pod(ns)
    assert err.value.status == 403


def test_watch_and_continue_get_410_after_compaction(
    real_apiserver: ApiServer,
    ns: str,
) -> None:
    v1 = client.CoreV1Api(real_apiserver.api_client())
    for i in range(3):
        real_apiserver.apply(_pod(ns, f"c-{i}"))
    first_page = v1.list_namespaced_pod(ns, limit=1)
    old_rv = first_page.metadata.resource_version
    # Two more writes so the compaction revision is strictly past old_rv + 1.
    real_apiserver.apply(_pod(ns, "c-0", labels={"app": "demo", "rev": "2"}))
    real_apiserver.apply(_pod(ns, "c-0", labels={"app": "demo", "rev": "3"}))
    assert real_apiserver.compact() > int(old_rv) + 1

    events = watch.Watch().stream(
        v1.list_namespaced_pod, ns, resource_version=old_rv, timeout_seconds=10
    )
    with pytest.raises(ApiException) as err:
        next(events)
    assert err.value.status == 410

    with pytest.raises(ApiException) as err:
        v1.list_namespaced_pod(ns, limit=1, _continue=first_page.metadata._continue)
    assert err.value.status == 410

    # A fresh list still works and gives a resourceVersion to watch from again.
    fresh = v1.list_namespaced_pod(ns)
    assert len(fresh.items) == 3


def test_viewer_rbac_grant_is_scoped(real_apiserver: ApiServer, ns: str) -> None:
    """Granting the viewer pods (not secrets) in one namespace: a per-kind 403 setup."""
    real_apiserver.apply(
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": {"name": "pod-reader", "namespace": ns},
            "rules": [
                {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]}
            ],
        }
    )
    real_apiserver.apply(
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": {"name": "viewer-pods", "namespace": ns},
            "roleRef": {
                "apiGroup": "rbac.authorization.k8s.io",
                "kind": "Role",
                "name": "pod-reader",
            },
            "subjects": [
                {"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "viewer"}
            ],
        }
    )
    viewer = client.CoreV1Api(real_apiserver.api_client(real_apiserver.viewer_token))
    # The RBAC authorizer reads through informers: a new binding takes a moment to apply.
    deadline = time.monotonic() + 15
    while True:
        try:
            assert viewer.list_namespaced_pod(ns).items == []
            break
        except ApiException as e:
            if e.status != 403 or time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    for call in (
        lambda: viewer.list_namespaced_secret(ns),
        lambda: viewer.list_pod_for_all_namespaces(),
    ):
        with pytest.raises(ApiException) as err:
            call()
        assert err.value.status == 403


def test_service_endpoints_and_endpointslice_versions(real_apiserver: ApiServer, ns: str) -> None:
    real_apiserver.apply(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web", "namespace": ns},
            "spec": {"selector": {"app": "demo"}, "ports": [{"port": 80, "targetPort": 8080}]},
        }
    )
    # No endpoints controller runs: the harness user writes Endpoints themselves.
    real_apiserver.apply(
        {
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {"name": "web", "namespace": ns},
            "subsets": [{"addresses": [{"ip": "10.1.0.5"}], "ports": [{"port": 8080}]}],
        }
    )
    v1 = client.CoreV1Api(real_apiserver.api_client())
    eps = v1.read_namespaced_endpoints("web", ns)
    assert eps.subsets[0].addresses[0].ip == "10.1.0.5"
    api = real_apiserver.api_client()
    api.call_api(
        "/apis/discovery.k8s.io/v1beta1",
        "GET",
        auth_settings=["BearerToken"],
        response_types_map={},
    )
    with pytest.raises(ApiException) as err:
        api.call_api(
            "/apis/discovery.k8s.io/v1", "GET", auth_settings=["BearerToken"], response_types_map={}
        )
    assert err.value.status == 404
