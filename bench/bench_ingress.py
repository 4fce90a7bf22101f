"""Benchmark: Ingress analysis of 2,000 Ingresses with 10,000 rules against the snapshot load.

Generates the Ingresses (5 paths each, some with annotations that trigger findings), one Service,
EndpointSlice and pod per path, the ingress-nginx controller, its ConfigMap and IngressClass;
writes them as a v1 List to a temp dir; times `snapshot.load` and the analysis (route rows +
findings) in the same run and prints the RATIO. Exits 1 when the ratio exceeds the target.

    python bench/bench_ingress.py [--ingresses 2000] [--paths 5] [--target 0.2]

With MLVIEW_BENCH_QUICK=1 (CI) the default is 400 Ingresses (2,000 rules), to stay well under
two minutes; the README figure comes from the full run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from mlview.analysis import ingress
from mlview.sources import snapshot

P = "nginx.ingress.kubernetes.io/"
KINDS = [
    "Ingress",
    "IngressClass",
    "Service",
    "EndpointSlice",
    "Pod",
    "ConfigMap",
    "Secret",
    "Deployment",
]


def _svc(ns: str, name: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": ns, "labels": {"app": name}},
        "spec": {
            "selector": {"app": name},
            "type": "ClusterIP",
            "ports": [{"name": "http", "port": 80, "targetPort": "http"}],
        },
    }


def _slice(ns: str, name: str, ready: bool) -> dict[str, Any]:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": f"{name}-x1",
            "namespace": ns,
            "labels": {"kubernetes.io/service-name": name},
        },
        "addressType": "IPv4",
        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
        "endpoints": [
            {
                "addresses": ["10.1.2.3"],
                "conditions": {"ready": ready},
                "targetRef": {"kind": "Pod", "name": f"{name}-0", "namespace": ns},
            }
        ],
    }


def _pod(ns: str, name: str, ready: bool) -> dict[str, Any]:
    status = "True" if ready else "False"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": f"{name}-0", "namespace": ns, "labels": {"app": name}},
        "spec": {
            "containers": [
                {
                    "name": "server",
                    "image": "registry.example/model:1.2.3",
                    "ports": [{"name": "http", "containerPort": 8080}],
                    "resources": {"requests": {"cpu": "1", "memory": "2Gi"}},
                }
            ]
        },
        "status": {
            "phase": "Running",
            "conditions": [
                {"type": "Ready", "status": status},
                {"type": "ContainersReady", "status": status},
            ],
            "containerStatuses": [
                {"name": "server", "ready": ready, "restartCount": 0, "state": {"running": {}}}
            ],
        },
    }


def _ingress(ns: str, i: int, paths: int) -> dict[str, Any]:
    anns = {}
    if i % 7 == 0:
        anns[P + "proxy-read-timeout"] = "120s"  # invalid
    elif i % 5 == 0:
        anns[P + "proxy-read-timeout"] = "300"
    if i % 11 == 0:
        anns[P + "proxy-read-timout"] = "300"  # typo
    if i % 3 == 0:
        anns[P + "proxy-body-size"] = "50m"
    host = f"api-{i}.example.com"
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": f"ing-{i}", "namespace": ns, "annotations": anns},
        "spec": {
            "ingressClassName": "nginx",
            "tls": [{"hosts": [host], "secretName": f"tls-{i}"}],
            "rules": [
                {
                    "host": host,
                    "http": {
                        "paths": [
                            {
                                "path": f"/v1/model-{j}",
                                "pathType": "Prefix",
                                "backend": {
                                    "service": {"name": f"model-{i}-{j}", "port": {"number": 80}}
                                },
                            }
                            for j in range(paths)
                        ]
                    },
                }
            ],
        },
    }


def generate(n_ingresses: int, paths: int) -> list[dict[str, Any]]:
    objs: list[dict[str, Any]] = [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "IngressClass",
            "metadata": {"name": "nginx"},
            "spec": {"controller": "k8s.io/ingress-nginx"},
        },
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx"},
            "spec": {
                "template": {
                    "spec": {
                        "containers": [
                            {
                                "name": "controller",
                                "image": "registry.k8s.io/ingress-nginx/controller:v1.11.3",
                                "args": [
                                    "/nginx-ingress-controller",
                                    "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
                                ],
                            }
                        ]
                    }
                }
            },
        },
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx"},
            "data": {"proxy-body-size": "8m"},
        },
    ]
    for i in range(n_ingresses):
        ns = f"team-{i % 50}"
        objs.append(_ingress(ns, i, paths))
        if i % 2 == 0:
            objs.append(
                {
                    "apiVersion": "v1",
                    "kind": "Secret",
                    "type": "kubernetes.io/tls",
                    "metadata": {"name": f"tls-{i}", "namespace": ns},
                }
            )
        for j in range(paths):
            name = f"model-{i}-{j}"
            ready = (i * paths + j) % 13 != 0
            if (i + j) % 97 != 0:  # a few missing Services
                objs.append(_svc(ns, name))
            objs.extend([_slice(ns, name, ready), _pod(ns, name, ready)])
    return objs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    quick = os.environ.get("MLVIEW_BENCH_QUICK") == "1"
    ap.add_argument("--ingresses", type=int, default=400 if quick else 2000)
    ap.add_argument("--paths", type=int, default=5)
    ap.add_argument("--target", type=float, default=0.2)
    args = ap.parse_args()
    objs = generate(args.ingresses, args.paths)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench-ingress.yaml"
        doc = snapshot.snapshot_list(objs, recorded_at="2026-11-27T06:00:00Z", listed_kinds=KINDS)
        path.write_text(yaml.dump(doc, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper)))
        t0 = time.perf_counter()
        view = snapshot.load([path]).to_store().view()
        t_load = time.perf_counter() - t0
    t1 = time.perf_counter()
    rows = ingress.route_rows(view)
    found = ingress.findings(view)
    t_analysis = time.perf_counter() - t1
    ratio = t_analysis / t_load
    print(
        f"objects {len(objs)}  ingresses {args.ingresses}  routes {len(rows)}  "
        f"findings {len(found)}"
    )
    print(
        f"load {t_load:.2f}s  analysis {t_analysis:.2f}s  RATIO {ratio:.3f} "
        f"(target <= {args.target})"
    )
    return 0 if ratio <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
