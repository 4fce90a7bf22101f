"""Small object builders shared by the netpol tests (this module holds no tests)."""

from __future__ import annotations

from typing import Any

from mlview.store import StoreView

_ips: dict[str, int] = {}


def pod(
    ns: str,
    name: str,
    labels: dict[str, Any] | None = None,
    *,
    ports: list[tuple] = (),
    ip: str | None = "auto",
    host: bool = False,
    status: bool = True,
) -> dict[str, Any]:
    """A running pod; ports are (name, number[, protocol]); ip="auto" picks 10.0.x.y."""
    if ip == "auto":
        n = _ips.setdefault(f"{ns}/{name}", len(_ips) + 1)
        ip = f"10.0.{n // 250}.{n % 250 + 1}"
    spec: dict[str, Any] = {
        "containers": [
            {
                "name": "c",
                "ports": [
                    {"name": p[0], "containerPort": p[1], "protocol": p[2] if len(p) > 2 else "TCP"}
                    for p in ports
                ],
            }
        ]
    }
    if host:
        spec["hostNetwork"] = True
    obj: dict[str, Any] = {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {"namespace": ns, "name": name, "labels": dict(labels or {})},
        "spec": spec,
    }
    if status:
        obj["status"] = {"phase": "Running" if ip else "Pending"}
        if ip:
            obj["status"]["podIP"] = ip
    return obj


def namespace(name: str, labels: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "kind": "Namespace",
        "apiVersion": "v1",
        "metadata": {"name": name, "labels": dict(labels or {})},
    }


def netpol(ns: str, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "NetworkPolicy",
        "apiVersion": "networking.k8s.io/v1",
        "metadata": {"namespace": ns, "name": name},
        "spec": spec,
    }


def view(*objs: dict[str, Any]) -> StoreView:
    return StoreView.from_objects(list(objs))
