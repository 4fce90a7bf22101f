"""A realistic `kubectl get -A -o yaml` dump: a v1 List of pods (with status, managedFields and
ownerReferences), their ReplicaSets and Deployments, Services, Endpoints, ConfigMaps and Events,
written the way kubectl writes it (keys sorted, block style, 2-space indent).

    python bench/dump_gen.py OUT.yaml [--mb 20]
"""

from __future__ import annotations

import argparse
import random
from typing import Any

import yaml


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Multi-line strings as `|` blocks, as kubectl writes them."""


def _str(dumper: Any, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
TS = "2026-11-27T05:{:02d}:{:02d}Z"


def _ts(rnd: random.Random) -> str:
    return TS.format(rnd.randrange(60), rnd.randrange(60))


def _managed(rnd: random.Random, manager: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "fieldsType": "FieldsV1",
        "fieldsV1": fields,
        "manager": manager,
        "operation": rnd.choice(["Update", "Apply"]),
        "time": _ts(rnd),
    }


def _pod(rnd: random.Random, i: int, ns: str, app: str, rs: str) -> dict[str, Any]:
    name = f"{rs}-{i:05x}"
    ip = f"10.{rnd.randrange(256)}.{rnd.randrange(256)}.{rnd.randrange(1, 255)}"
    containers = [
        {
            "name": "server",
            "image": f"registry.example.com/ml/{app}:v1.{i % 9}.{i % 4}",
            "imagePullPolicy": "IfNotPresent",
            "args": ["--port=8080", "--model-dir=/models", f"--replica={i}"],
            "env": [
                {"name": "MODEL_NAME", "value": app},
                {"name": "WORKERS", "value": "4"},
                {"name": "LOG_JSON", "value": "true"},
                {
                    "name": "POD_IP",
                    "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}},
                },
            ],
            "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
            "readinessProbe": {
                "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"},
                "periodSeconds": 10,
                "failureThreshold": 3,
                "successThreshold": 1,
                "timeoutSeconds": 1,
            },
            "resources": {
                "limits": {"cpu": "2", "memory": "8Gi", "nvidia.com/gpu": "1"},
                "requests": {"cpu": "500m", "memory": "4Gi"},
            },
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
            "volumeMounts": [
                {"mountPath": "/models", "name": "models", "readOnly": True},
                {
                    "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                    "name": f"kube-api-access-{i % 1000:05d}",
                    "readOnly": True,
                },
            ],
        }
    ]
    conds = [
        {"lastProbeTime": None, "lastTransitionTime": _ts(rnd), "status": "True", "type": t}
        for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
    ]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "annotations": {"kubectl.kubernetes.io/restartedAt": _ts(rnd)},
            "creationTimestamp": _ts(rnd),
            "generateName": f"{rs}-",
            "labels": {"app": app, "pod-template-hash": rs[-10:], "tier": "serving"},
            "managedFields": [
                _managed(
                    rnd,
                    "kube-controller-manager",
                    {
                        "f:metadata": {
                            "f:generateName": {},
                            "f:labels": {".": {}, "f:app": {}, "f:pod-template-hash": {}},
                            "f:ownerReferences": {".": {}, f'k:{{"uid":"{i:08x}"}}': {}},
                        },
                        "f:spec": {"f:containers": {'k:{"name":"server"}': {".": {}}}},
                    },
                ),
                _managed(
                    rnd,
                    "kubelet",
                    {
                        "f:status": {
                            "f:conditions": {'k:{"type":"Ready"}': {".": {}, "f:status": {}}},
                            "f:podIP": {},
                        }
                    },
                ),
            ],
            "name": name,
            "namespace": ns,
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "blockOwnerDeletion": True,
                    "controller": True,
                    "kind": "ReplicaSet",
                    "name": rs,
                    "uid": f"{i:08x}-1111-4222-8333-{i:012x}",
                }
            ],
            "resourceVersion": str(1000000 + i),
            "uid": f"{i:08x}-aaaa-4bbb-8ccc-{i:012x}",
        },
        "spec": {
            "containers": containers,
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": True,
            "nodeName": f"ip-10-0-{i % 40}-{i % 250}.ec2.internal",
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {"runAsNonRoot": True, "fsGroup": 1000},
            "serviceAccountName": "default",
            "terminationGracePeriodSeconds": 30,
            "tolerations": [
                {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "tolerationSeconds": 300,
                }
            ],
            "volumes": [
                {"name": "models", "persistentVolumeClaim": {"claimName": f"{app}-models"}},
                {
                    "name": f"kube-api-access-{i % 1000:05d}",
                    "projected": {
                        "defaultMode": 420,
                        "sources": [
                            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                            {
                                "configMap": {
                                    "items": [{"key": "ca.crt", "path": "ca.crt"}],
                                    "name": "kube-root-ca.crt",
                                }
                            },
                        ],
                    },
                },
            ],
        },
        "status": {
            "conditions": conds,
            "containerStatuses": [
                {
                    "containerID": f"containerd://{rnd.getrandbits(256):064x}",
                    "image": containers[0]["image"],
                    "imageID": f"registry.example.com/ml/{app}@sha256:{rnd.getrandbits(256):064x}",
                    "lastState": {},
                    "name": "server",
                    "ready": True,
                    "restartCount": i % 3,
                    "started": True,
                    "state": {"running": {"startedAt": _ts(rnd)}},
                }
            ],
            "hostIP": f"10.0.{i % 40}.{i % 250}",
            "phase": "Running",
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "qosClass": "Burstable",
            "startTime": _ts(rnd),
        },
    }


def _meta(rnd: random.Random, name: str, ns: str, **extra: Any) -> dict[str, Any]:
    meta = {
        "creationTimestamp": _ts(rnd),
        "name": name,
        "namespace": ns,
        "resourceVersion": str(rnd.randrange(10**6, 10**7)),
        "uid": f"{rnd.getrandbits(32):08x}-0000-4000-8000-{rnd.getrandbits(48):012x}",
    }
    meta.update(extra)
    return meta


def generate(target_bytes: int, seed: int = 7) -> str:
    """A kubectl-shaped YAML List of about target_bytes."""
    rnd = random.Random(seed)
    items: list[dict[str, Any]] = []
    size = 0
    app_no = 0
    while size < target_bytes:
        ns = f"team-{app_no % 30:02d}"
        app = f"model-{app_no:04d}"
        # kubectl's pod-template-hash alphabet: no vowels, so never a number like 3e45
        rs = f"{app}-" + "".join(rnd.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(10))
        batch: list[dict[str, Any]] = [
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": _meta(rnd, app, ns, generation=3, labels={"app": app}),
                "spec": {
                    "replicas": 4,
                    "selector": {"matchLabels": {"app": app}},
                    "strategy": {
                        "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                        "type": "RollingUpdate",
                    },
                    "template": {"metadata": {"labels": {"app": app}}, "spec": {}},
                },
                "status": {"availableReplicas": 4, "readyReplicas": 4, "replicas": 4},
            },
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": _meta(rnd, app, ns, labels={"app": app}),
                "spec": {
                    "clusterIP": f"172.20.{app_no % 256}.{app_no % 199 + 1}",
                    "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}],
                    "selector": {"app": app},
                    "sessionAffinity": "None",
                    "type": "ClusterIP",
                },
                "status": {"loadBalancer": {}},
            },
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": _meta(rnd, f"{app}-config", ns),
                "data": {
                    "serving.yaml": f"model: {app}\nbatch: 8\nthreads: 4\nenabled: yes\n",
                    "mode": "0755",
                    "replicas": "4",
                },
            },
        ]
        pods = [_pod(rnd, app_no * 4 + k, ns, app, rs) for k in range(4)]
        batch += pods
        batch.append(
            {
                "apiVersion": "v1",
                "kind": "Endpoints",
                "metadata": _meta(rnd, app, ns),
                "subsets": [
                    {
                        "addresses": [
                            {
                                "ip": p["status"]["podIP"],
                                "nodeName": p["spec"]["nodeName"],
                                "targetRef": {
                                    "kind": "Pod",
                                    "name": p["metadata"]["name"],
                                    "namespace": ns,
                                },
                            }
                            for p in pods
                        ],
                        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
                    }
                ],
            }
        )
        batch.append(
            {
                "apiVersion": "v1",
                "count": 2,
                "firstTimestamp": _ts(rnd),
                "involvedObject": {"kind": "Pod", "name": pods[0]["metadata"]["name"]},
                "kind": "Event",
                "lastTimestamp": _ts(rnd),
                "message": f'Readiness probe failed: Get "http://{pods[0]["status"]["podIP"]}'
                ':8080/healthz": context deadline exceeded',
                "metadata": _meta(rnd, f"{pods[0]['metadata']['name']}.17a{app_no:x}", ns),
                "reason": "Unhealthy",
                "type": "Warning",
            }
        )
        items += batch
        # ~size estimate: one batch, measured once
        if app_no == 0:
            per_batch = len(_dump({"items": batch}))
        size += per_batch
        app_no += 1
    doc = {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
    return _dump(doc)


def _dump(doc: dict[str, Any]) -> str:
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=True, default_flow_style=False, width=1 << 16)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--mb", type=float, default=20)
    args = ap.parse_args()
    text = generate(int(args.mb * 1e6))
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"{args.out}: {len(text.encode()) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
