"""Random but realistic clusters for bench_netpol.py: namespaces of teams, workloads with
replicas, and NetworkPolicies drawn from the patterns platform teams write.

The patterns stay inside the semantics both mlview and network-config-analyzer implement the
same way (see tests/test_netpol_deviations.py for the ones they do not): policyTypes always in
the order Ingress, Egress; no `egress: []` without policyTypes; Exists/DoesNotExist only in
peers without a namespaceSelector; no empty label values; ipBlocks only outside the pod range.
"""

from __future__ import annotations

import random
from typing import Any

TEAMS = ["ml", "data", "web", "ops"]
ROLES: dict[str, list[tuple[str, int]]] = {
    "api": [("http", 8080)],
    "web": [("http", 80)],
    "worker": [("metrics", 9000)],  # a named port on 9000 that is not the store
    "trainer": [("dist", 29500)],
    "store": [("s3", 9000), ("console", 9090)],
    "db": [("pg", 5432)],
}
NAME_LABEL = "kubernetes.io/metadata.name"
POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"


def generate(n_pods: int, n_pols: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    n_ns = max(2, n_pods // 100)
    objs: list[dict[str, Any]] = [_ns("kube-system", {})]
    ip = iter(range(1, 1 << 24))

    def next_ip() -> str:
        n = next(ip)
        return f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}"

    for i in range(2):
        objs.append(
            _pod(
                "kube-system",
                f"coredns-{i}",
                {"k8s-app": "kube-dns"},
                [("dns", 53, "UDP"), ("dns-tcp", 53, "TCP")],
                next_ip(),
            )
        )
    spaces = [f"team{i:03}" for i in range(n_ns)]
    apps: dict[str, list[tuple[str, str, list[str]]]] = {ns: [] for ns in spaces}
    for i, ns in enumerate(spaces):
        objs.append(_ns(ns, {"team": TEAMS[i % len(TEAMS)], "env": "prod" if i % 3 else "dev"}))
    made, j = 0, 0
    while made < n_pods - 2:
        ns = spaces[j % n_ns]
        role = rng.choice(list(ROLES))
        app = f"{role}-{j // n_ns}"
        version = rng.choice(["v1", "v2"])
        tmpl_hash = f"{rng.getrandbits(32):08x}"
        names = []
        for r in range(min(rng.randint(1, 8), n_pods - 2 - made)):
            name = f"{app}-{r}" if role == "store" else f"{app}-{tmpl_hash}-{r}"
            labels = {"app": app, "role": role, "version": version, "pod-template-hash": tmpl_hash}
            if role == "store":
                labels[POD_NAME_LABEL] = name
            if rng.random() < 0.1:
                labels["canary"] = "true"
            ports = [(n, p, "TCP") for n, p in ROLES[role]]
            objs.append(_pod(ns, name, labels, ports, next_ip()))
            names.append(name)
            made += 1
        apps[ns].append((app, role, names))
        j += 1
    for k in range(n_pols):
        ns = spaces[k % n_ns]
        objs.append(_policy(rng, ns, f"np-{k}", apps[ns] or [("none", "api", [])]))
    return objs


def _policy(rng: random.Random, ns: str, name: str, apps: list) -> dict[str, Any]:
    app, role, names = rng.choice(apps)
    other = rng.choice(apps)[0]
    sel = {"matchLabels": {"app": app}}
    pattern = rng.randrange(12)
    if pattern == 0:
        spec: dict[str, Any] = {"podSelector": {}, "policyTypes": ["Ingress"]}
    elif pattern == 1:
        spec = {
            "podSelector": {"matchLabels": {"role": "store"}},
            "ingress": [
                {
                    "from": [
                        {
                            "namespaceSelector": {"matchLabels": {"team": "ml"}},
                            "podSelector": {"matchLabels": {"role": "trainer"}},
                        }
                    ],
                    "ports": [{"port": "s3"}],
                }
            ],
        }
    elif pattern == 2:
        spec = {
            "podSelector": sel,
            "ingress": [
                {
                    "from": [{"podSelector": {"matchLabels": {"app": other}}}],
                    "ports": [{"port": 8080}, {"port": 9000, "protocol": "TCP"}],
                }
            ],
        }
    elif pattern == 3:
        spec = {
            "podSelector": {
                "matchExpressions": [{"key": "role", "operator": "In", "values": ["api", "web"]}]
            },
            "ingress": [
                {
                    "from": [{"namespaceSelector": {"matchLabels": {"env": "prod"}}}],
                    "ports": [{"port": 8000, "endPort": 9100}],
                }
            ],
        }
    elif pattern == 4:
        spec = {
            "podSelector": sel,
            "ingress": [
                {
                    "from": [
                        {"namespaceSelector": {"matchLabels": {"team": rng.choice(TEAMS)}}},
                        {"podSelector": {"matchLabels": {"role": "worker"}}},
                    ]
                }
            ],
        }
    elif pattern == 5:
        spec = {
            "podSelector": {"matchLabels": {"role": "worker"}},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [{"podSelector": {}}]}],
            "egress": [
                {
                    "to": [
                        {
                            "namespaceSelector": {"matchLabels": {NAME_LABEL: "kube-system"}},
                            "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
                        }
                    ],
                    "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
                },
                {
                    "to": [
                        {
                            "namespaceSelector": {"matchLabels": {"team": "ml"}},
                            "podSelector": {"matchLabels": {"role": "store"}},
                        }
                    ],
                    "ports": [{"port": 9000}],
                },
                {
                    "to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}],
                    "ports": [{"port": 443}],
                },
            ],
        }
    elif pattern == 6:
        spec = {
            "podSelector": {
                "matchExpressions": [
                    {"key": "version", "operator": "NotIn", "values": ["v1"]},
                    {"key": "role", "operator": "Exists"},
                ]
            },
            "ingress": [
                {
                    "from": [
                        {
                            "podSelector": {
                                "matchExpressions": [
                                    {"key": "role", "operator": "In", "values": ["api", "web"]},
                                    {"key": "canary", "operator": "DoesNotExist"},
                                ]
                            }
                        }
                    ]
                }
            ],
        }
    elif pattern == 7:
        spec = {
            "podSelector": {"matchLabels": {"role": "worker"}},
            "ingress": [{"ports": [{"port": "metrics"}]}],
        }
    elif pattern == 8:
        spec = {
            "podSelector": sel,
            "ingress": [
                {"from": [{"namespaceSelector": {}}], "ports": [{"port": 9000, "protocol": "UDP"}]}
            ],
        }
    elif pattern == 9 and role == "store" and names:
        spec = {
            "podSelector": {"matchLabels": {POD_NAME_LABEL: rng.choice(names)}},
            "ingress": [
                {
                    "from": [{"podSelector": {"matchLabels": {"app": other}}}],
                    "ports": [{"port": 9000}],
                }
            ],
        }
    elif pattern == 10:
        spec = {
            "podSelector": sel,
            "policyTypes": ["Egress"],
            "egress": [{"to": [{"podSelector": {}}]}],
        }
    else:  # egress rules without policyTypes: isolates ingress and egress
        spec = {
            "podSelector": sel,
            "egress": [
                {"to": [{"namespaceSelector": {"matchLabels": {"team": rng.choice(TEAMS)}}}]}
            ],
        }
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"namespace": ns, "name": name},
        "spec": spec,
    }


def _ns(name: str, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "labels": {**labels, NAME_LABEL: name}},
    }


def _pod(ns: str, name: str, labels: dict[str, str], ports: list, ip: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"namespace": ns, "name": name, "labels": labels},
        "spec": {
            "containers": [
                {
                    "name": "main",
                    "image": "registry.example/app:1",
                    "ports": [
                        {"name": n, "containerPort": p, "protocol": proto} for n, p, proto in ports
                    ],
                }
            ]
        },
        "status": {"phase": "Running", "podIP": ip},
    }
