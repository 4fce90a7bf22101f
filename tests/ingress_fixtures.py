"""Small dict builders for the Ingress tests (not a test module)."""

from __future__ import annotations

from typing import Any

P = "nginx.ingress.kubernetes.io/"
# Kinds a full recording lists: absence of one of these objects is a fact.
LISTED = [
    "Ingress",
    "IngressClass",
    "Service",
    "EndpointSlice",
    "Endpoints",
    "Pod",
    "ConfigMap",
    "Secret",
    "Deployment",
    "DaemonSet",
]


def ingress_class(
    name: str = "nginx", controller: str = "k8s.io/ingress-nginx", default: bool = False
) -> dict[str, Any]:
    ann = {"ingressclass.kubernetes.io/is-default-class": "true"} if default else {}
    return {
        "kind": "IngressClass",
        "metadata": {"name": name, "annotations": ann},
        "spec": {"controller": controller},
    }


def controller(args: list[str] | None = None, ns: str = "ingress-nginx") -> dict[str, Any]:
    args = (
        args
        if args is not None
        else ["/nginx-ingress-controller", "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller"]
    )
    return {
        "kind": "Deployment",
        "metadata": {"name": "ingress-nginx-controller", "namespace": ns},
        "spec": {
            "template": {
                "spec": {
                    "containers": [
                        {
                            "name": "controller",
                            "image": "registry.k8s.io/ingress-nginx/controller:v1.11",
                            "args": args,
                        }
                    ]
                }
            }
        },
    }


def configmap(
    data: dict[str, str], name: str = "ingress-nginx-controller", ns: str = "ingress-nginx"
) -> dict[str, Any]:
    return {"kind": "ConfigMap", "metadata": {"name": name, "namespace": ns}, "data": data}


def service(
    name: str,
    ns: str = "ml",
    ports: list[dict] | None = None,
    selector: dict | None = None,
    annotations: dict | None = None,
    labels: dict | None = None,
) -> dict[str, Any]:
    return {
        "kind": "Service",
        "metadata": {
            "name": name,
            "namespace": ns,
            "annotations": annotations or {},
            "labels": labels or {},
        },
        "spec": {
            "selector": selector if selector is not None else {"app": name},
            "ports": ports
            if ports is not None
            else [{"name": "http", "port": 80, "targetPort": "http"}],
        },
    }


def pod(
    name: str,
    app: str,
    ns: str = "ml",
    ready: bool = True,
    port: int = 8080,
    port_name: str = "http",
    restarts: int = 0,
) -> dict[str, Any]:
    return {
        "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": {"app": app}},
        "spec": {
            "containers": [{"name": "c", "ports": [{"name": port_name, "containerPort": port}]}]
        },
        "status": {
            "phase": "Running",
            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
            "containerStatuses": [
                {"name": "c", "ready": ready, "restartCount": restarts, "state": {"running": {}}}
            ],
        },
    }


def slice_for(
    svc: str,
    ready: int = 1,
    not_ready: int = 0,
    ns: str = "ml",
    port: int = 8080,
    port_name: str = "http",
) -> dict[str, Any]:
    eps = [
        {
            "addresses": [f"10.0.0.{i}"],
            "conditions": {"ready": True},
            "targetRef": {"kind": "Pod", "name": f"{svc}-{i}"},
        }
        for i in range(ready)
    ]
    eps += [
        {
            "addresses": [f"10.0.1.{i}"],
            "conditions": {"ready": False},
            "targetRef": {"kind": "Pod", "name": f"{svc}-nr{i}"},
        }
        for i in range(not_ready)
    ]
    return {
        "kind": "EndpointSlice",
        "metadata": {
            "name": f"{svc}-abc",
            "namespace": ns,
            "labels": {"kubernetes.io/service-name": svc},
        },
        "addressType": "IPv4",
        "ports": [{"name": port_name, "port": port}],
        "endpoints": eps,
    }


def path(p: str, svc: str, port: Any = 80, ptype: str = "Prefix") -> dict[str, Any]:
    ref = {"number": port} if isinstance(port, int) else {"name": port}
    return {"path": p, "pathType": ptype, "backend": {"service": {"name": svc, "port": ref}}}


def ingress(
    name: str,
    paths: list[dict],
    host: str = "api.example.com",
    ns: str = "ml",
    annotations: dict | None = None,
    cls: str | None = "nginx",
    tls: list[dict] | None = None,
    created: str = "2026-01-01T00:00:00Z",
    default_backend: dict | None = None,
) -> dict[str, Any]:
    spec: dict[str, Any] = {"rules": [{"host": host, "http": {"paths": paths}}]}
    if cls:
        spec["ingressClassName"] = cls
    if tls:
        spec["tls"] = tls
    if default_backend:
        spec["defaultBackend"] = default_backend
    return {
        "kind": "Ingress",
        "metadata": {
            "name": name,
            "namespace": ns,
            "annotations": annotations or {},
            "creationTimestamp": created,
        },
        "spec": spec,
    }


def backend_set(
    svc: str = "translation-model-svc", ready: int = 2, not_ready: int = 0, **svc_kwargs: Any
) -> list[dict[str, Any]]:
    """A Service with its pods and EndpointSlice."""
    return [
        service(svc, **svc_kwargs),
        slice_for(svc, ready, not_ready),
        *[pod(f"{svc}-{i}", svc) for i in range(ready)],
    ]


def platform(*objs: dict[str, Any]) -> list[dict[str, Any]]:
    """The ingress-nginx basics: class, controller, ConfigMap, plus `objs`."""
    return [ingress_class(default=True), controller(), configmap({}), *objs]
