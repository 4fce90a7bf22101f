"""A folder of manifests (Deployments, StatefulSets, Services, NetworkPolicies, an Ingress behind
ingress-nginx, claims) gives the same matrix at workload level, the same findings and the same
traces as the same cluster with its pods running, except what needs status.

Generated folders: the "running" side adds what the controllers would (ReplicaSets, pods owned
through them with IPs and Ready, StatefulSet pods and their claims); the manifest side is the
folder alone, read through the CLI's loader. Neither side has EndpointSlices: endpoint readiness
needs status, which a folder cannot give (the trace skips that step on both)."""

from __future__ import annotations

import random
import re
import zlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from mlview.analysis import registry
from mlview.analysis.reachability.engine import compute_matrix
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.virtual_pods import complete
from mlview.analysis.trace import trace
from mlview.sources import snapshot
from mlview.store import StoreView

NAMESPACES = ["serving", "data", "train"]
TIERS = ["web", "db", "worker"]
PORTS = [8080, 9000, 5432]


def labels_of(name: str, tier: str) -> dict[str, str]:
    return {"app": name, "tier": tier}


def generate(seed: int) -> list[dict]:
    """The manifests: workloads, Services, policies, an ingress-nginx controller and routes."""
    rnd = random.Random(seed)
    objs: list[dict] = []
    workloads = []
    for ns in NAMESPACES:
        for i in range(rnd.randint(2, 4)):
            kind = rnd.choice(["Deployment", "Deployment", "StatefulSet"])
            name, tier = f"{ns[:2]}{i}", rnd.choice(TIERS)
            port = rnd.choice(PORTS)
            spec: dict[str, Any] = {
                "replicas": rnd.randint(1, 3),
                "selector": {"matchLabels": {"app": name}},
                "template": {
                    "metadata": {"labels": labels_of(name, tier)},
                    "spec": {
                        "containers": [
                            {
                                "name": "main",
                                "image": "example/app:1",
                                "ports": [{"name": "http", "containerPort": port}],
                            }
                        ]
                    },
                },
            }
            if kind == "StatefulSet":
                spec["serviceName"] = name
                spec["volumeClaimTemplates"] = [
                    {
                        "metadata": {"name": "data"},
                        "spec": {
                            "accessModes": ["ReadWriteOnce"],
                            "storageClassName": rnd.choice(["standard", "missing"]),
                            "resources": {"requests": {"storage": "1Gi"}},
                        },
                    }
                ]
            objs.append(
                {
                    "apiVersion": "apps/v1",
                    "kind": kind,
                    "metadata": {"name": name, "namespace": ns},
                    "spec": spec,
                }
            )
            workloads.append((ns, name, tier))
            typo = rnd.random() < 0.2
            objs.append(
                {
                    "apiVersion": "v1",
                    "kind": "Service",
                    "metadata": {"name": f"{name}-svc", "namespace": ns},
                    "spec": {
                        "selector": {"app": name + ("x" if typo else "")},
                        "ports": [{"name": "http", "port": 80, "targetPort": "http"}],
                    },
                }
            )
    for ns in NAMESPACES:
        objs.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        if rnd.random() < 0.7:
            objs.append(policy(rnd, ns))
    objs.extend(ingress_stack(rnd, workloads))
    objs.append(
        {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": {"name": "standard"},
            "provisioner": "ebs.csi.aws.com",
        }
    )
    return objs


def policy(rnd: random.Random, ns: str) -> dict:
    peers: list[dict] = [{"podSelector": {"matchLabels": {"tier": rnd.choice(TIERS)}}}]
    if rnd.random() < 0.5:
        peers.append(
            {
                "namespaceSelector": {
                    "matchLabels": {"kubernetes.io/metadata.name": rnd.choice(NAMESPACES)}
                }
            }
        )
    if rnd.random() < 0.5:
        peers.append(
            {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}
        )
    rule: dict[str, Any] = {"from": peers}
    if rnd.random() < 0.6:
        rule["ports"] = [{"port": rnd.choice([*PORTS, "http"])}]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "guard", "namespace": ns},
        "spec": {
            "podSelector": {"matchLabels": {"tier": rnd.choice(TIERS)}},
            "policyTypes": ["Ingress"],
            "ingress": [rule],
        },
    }


def ingress_stack(rnd: random.Random, workloads: list[tuple[str, str, str]]) -> list[dict]:
    ctrl_labels = {
        "app.kubernetes.io/name": "ingress-nginx",
        "app.kubernetes.io/component": "controller",
    }
    routes = rnd.sample(workloads, 3)
    return [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ingress-nginx"}},
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx"},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": ctrl_labels},
                "template": {
                    "metadata": {"labels": ctrl_labels},
                    "spec": {
                        "containers": [
                            {
                                "name": "controller",
                                "image": "registry.k8s.io/ingress-nginx/controller:v1.11.2",
                                "args": [
                                    "/nginx-ingress-controller",
                                    "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
                                ],
                            }
                        ]
                    },
                },
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "name": "ingress-nginx-controller",
                "namespace": "ingress-nginx",
                "annotations": {
                    "service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout": "60"
                },
            },
            "spec": {"type": "LoadBalancer", "selector": ctrl_labels, "ports": [{"port": 443}]},
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "IngressClass",
            "metadata": {"name": "nginx"},
            "spec": {"controller": "k8s.io/ingress-nginx"},
        },
        *(
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "Ingress",
                "metadata": {"name": f"route-{name}", "namespace": ns},
                "spec": {
                    "ingressClassName": "nginx",
                    "rules": [
                        {
                            "host": f"{name}.example.com",
                            "http": {
                                "paths": [
                                    {
                                        "path": "/",
                                        "pathType": "Prefix",
                                        "backend": {
                                            "service": {
                                                "name": f"{name}-svc",
                                                "port": {"number": 80},
                                            }
                                        },
                                    }
                                ]
                            },
                        }
                    ],
                },
            }
            for ns, name, _ in routes
        ),
    ]


def running(objs: list[dict], seed: int) -> list[dict]:
    """The same cluster once the controllers ran: ReplicaSets, pods with IPs, Ready."""
    out = list(objs)
    ip = 10
    for wl in objs:
        if wl["kind"] not in ("Deployment", "StatefulSet"):
            continue
        ns, name = o.namespace(wl), o.name(wl)
        tpl = wl["spec"]["template"]
        owner = ("StatefulSet", name)
        if wl["kind"] == "Deployment":
            tpl_hash = f"{seed}h{zlib.crc32(name.encode()) % 10_000}"
            rs_name = f"{name}-{tpl_hash}"
            owner = ("ReplicaSet", rs_name)
            out.append(
                {
                    "apiVersion": "apps/v1",
                    "kind": "ReplicaSet",
                    "metadata": {
                        "name": rs_name,
                        "namespace": ns,
                        "ownerReferences": [
                            {"kind": "Deployment", "name": name, "controller": True}
                        ],
                    },
                    "spec": {"replicas": wl["spec"]["replicas"], "template": tpl},
                }
            )
        for i in range(wl["spec"]["replicas"]):
            ip += 1
            pod_name = f"{name}-{i}" if owner[0] == "StatefulSet" else f"{owner[1]}-r{i}"
            spec = yaml.safe_load(yaml.safe_dump(tpl["spec"]))
            if owner[0] == "StatefulSet":
                claim = f"data-{pod_name}"
                spec["volumes"] = [{"name": "data", "persistentVolumeClaim": {"claimName": claim}}]
                vct = wl["spec"]["volumeClaimTemplates"][0]
                out.append(
                    {
                        "apiVersion": "v1",
                        "kind": "PersistentVolumeClaim",
                        "metadata": {"name": claim, "namespace": ns},
                        "spec": vct["spec"],
                    }
                )
            out.append(
                {
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": {
                        "name": pod_name,
                        "namespace": ns,
                        "labels": dict(tpl["metadata"]["labels"]),
                        "ownerReferences": [
                            {"kind": owner[0], "name": owner[1], "controller": True}
                        ],
                    },
                    "spec": spec,
                    "status": {
                        "phase": "Running",
                        "podIP": f"10.0.{ip // 250}.{ip % 250}",
                        "conditions": [{"type": "Ready", "status": "True"}],
                    },
                }
            )
    return out


def load(objs: list[dict], folder: Path) -> StoreView:
    folder.mkdir()
    (folder / "all.yaml").write_text(yaml.safe_dump_all(objs))
    return complete(snapshot.load([folder]).to_store("snapshot").view())


def workload_matrix(view: StoreView, port: int) -> set[tuple[Any, ...]]:
    """Allowed (source workload, destination workload) pairs, and the verdict-less ones."""
    mx = compute_matrix(view, port)
    owner = {o.ref(p): (o.namespace(p), *o.owner_workload(view, p)) for p in view.list("Pod")}
    pairs: set[tuple[Any, ...]] = {(owner[s.ref], owner[d.ref]) for s, d in mx.allowed_pairs()}
    pairs |= {("marked", owner[ref], state) for ref, state in mx.marked.items()}
    return pairs


def normalised(view: StoreView, text: str) -> str:
    """Pod names replaced by their workload's; the virtual note dropped."""
    text = re.sub(r" \(virtual (Pod|PersistentVolumeClaim): would be created by [^)]*\)", "", text)
    names = {}
    for p in view.list("Pod"):
        kind, owner = o.owner_workload(view, p)
        names[o.name(p)] = f"<pod of {kind} {owner}>"
    for nm in sorted(names, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(nm)}(?![\w-])", names[nm], text)
    return text


def findings(view: StoreView) -> list[str]:
    found, errors = registry.run_checked(view)
    assert not errors
    return sorted(normalised(view, f"{f.code} {f.ref}: {f.message} | {f.hint}") for f in found)


def traces(view: StoreView) -> list[str]:
    out = []
    for ing in sorted(view.list("Ingress"), key=o.ref):
        host = ing["spec"]["rules"][0]["host"]
        # a slow backend: the load balancer and proxy timeouts are compared too
        result = trace(view, f"https://{host}/predict", "GET", None, 90.0).to_json()
        for step in result["steps"]:
            step.pop("lines", None)  # per-pod explanations: pods differ in name and count
            if step["step"] == "endpoints":  # needs status: would-be vs unknown endpoints
                step.pop("detail")
        out.append(normalised(view, repr(result)))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_a_manifest_folder_reads_like_its_running_cluster(seed: int, tmp_path: Path) -> None:
    manifests = generate(seed)
    folder = load(manifests, tmp_path / "manifests")
    cluster = load(running(manifests, seed), tmp_path / "cluster")
    assert not any(o.virtual_of(p) for p in cluster.list("Pod"))
    assert sorted(o.owner_workload(folder, p) for p in folder.list("Pod")) == sorted(
        o.owner_workload(cluster, p) for p in cluster.list("Pod")
    )
    for port in (*PORTS, 80):
        assert workload_matrix(folder, port) == workload_matrix(cluster, port), port
    assert findings(folder) == findings(cluster)
    assert traces(folder) == traces(cluster)


def test_the_generated_folders_exercise_the_checks(tmp_path: Path) -> None:
    """The comparison means something: findings, allowed and denied pairs, blocked routes."""
    codes: set[str] = set()
    verdicts: set[str] = set()
    for seed in range(6):
        view = load(generate(seed), tmp_path / str(seed))
        codes |= {f.code for f in registry.run_checked(view)[0]}
        for tr in traces(view):
            verdicts |= set(re.findall(r"'verdict': '(\w+)'", tr))
        mx = compute_matrix(view, 9000)
        assert any(True for _ in mx.allowed_pairs())
    assert {"service-selector-matches-nothing", "pvc-storageclass-missing"} <= codes
    assert "ingress-backend-blocked-by-networkpolicy" in codes
    assert {"ok", "failing"} <= verdicts
    assert any("load balancer (AWS Classic ELB)" in tr for tr in traces(view))
    ing = view.list("Ingress")[0]
    result = trace(view, f"https://{ing['spec']['rules'][0]['host']}/").to_json()
    step = next(s for s in result["steps"] if s["step"] == "endpoints")
    assert "would-be endpoint(s), pods that Deployment" in step["detail"] or (
        "StatefulSet" in step["detail"]
    )
    assert "readiness unknown" in step["detail"]
    # retries count the pods the Service selects, readiness unknown (not "1 ready endpoint")
    slow = trace(view, f"https://{ing['spec']['rules'][0]['host']}/", "GET", None, 90.0)
    assert "endpoint(s), readiness unknown" in repr(slow.to_json())
