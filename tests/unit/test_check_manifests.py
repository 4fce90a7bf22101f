"""`mlview check` on a folder of plain manifests about to be deployed (the CI gate): no status,
no Events. Checks that need status stay silent; checks on the spec still fire."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from mlview.cli import main

NS = "ml-serving"
NGINX = "nginx.ingress.kubernetes.io/"


def deployment(claim: str = "model-weights") -> dict:
    labels = {"app": "translation"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "translation-model", "namespace": NS},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {
                            "name": "server",
                            "image": "myregistry/translation:v1",
                            "ports": [{"name": "http", "containerPort": 8080}],
                            "volumeMounts": [{"name": "weights", "mountPath": "/models"}],
                        }
                    ],
                    "volumes": [{"name": "weights", "persistentVolumeClaim": {"claimName": claim}}],
                },
            },
        },
    }


def claim(sc: str = "standard") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "model-weights", "namespace": NS},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "storageClassName": sc,
            "resources": {"requests": {"storage": "50Gi"}},
        },
    }


STORAGE_CLASS = {
    "apiVersion": "storage.k8s.io/v1",
    "kind": "StorageClass",
    "metadata": {"name": "standard"},
    "provisioner": "ebs.csi.aws.com",
    "volumeBindingMode": "WaitForFirstConsumer",
}
INGRESS_CLASS = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "IngressClass",
    "metadata": {"name": "nginx"},
    "spec": {"controller": "k8s.io/ingress-nginx"},
}


def service(latency: str = "30s") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "translation-model-svc",
            "namespace": NS,
            "annotations": {"mlview.io/expected-latency": latency},
        },
        "spec": {
            "selector": {"app": "translation"},
            "ports": [{"name": "http", "port": 80, "targetPort": "http"}],
        },
    }


SERVICE = service()
DENY = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "NetworkPolicy",
    "metadata": {"name": "default-deny", "namespace": NS},
    "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
}


def ingress(read_timeout: str = "120") -> dict:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {
            "name": "ml-api",
            "namespace": NS,
            "annotations": {NGINX + "proxy-read-timeout": read_timeout},
        },
        "spec": {
            "ingressClassName": "nginx",
            "tls": [{"hosts": ["api.ml.example.com"], "secretName": "ml-api-tls"}],
            "rules": [
                {
                    "host": "api.ml.example.com",
                    "http": {
                        "paths": [
                            {
                                "path": "/v1/translate",
                                "pathType": "Prefix",
                                "backend": {
                                    "service": {
                                        "name": "translation-model-svc",
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


def folder(tmp_path: Path, *objs: dict) -> Path:
    """One file per object, as a repository of manifests keeps them."""
    for i, obj in enumerate(objs):
        name = f"{i:02}-{obj['kind'].lower()}.yaml"
        (tmp_path / name).write_text(yaml.safe_dump(obj, sort_keys=False), encoding="utf-8")
    return tmp_path


def check(capsys, path: Path, *argv: str) -> tuple[int, dict]:
    code = main(["check", "--snapshot", str(path), "--format", "json", *argv])
    return code, json.loads(capsys.readouterr().out)


def codes(data: dict) -> set[str]:
    return {f["code"] for f in data["findings"]}


# Codes that need status, Events or running pods: none may fire on plain manifests.
STATUS_CODES = {
    "pvc-lost",
    "pv-failed",
    "pvc-provisioner-missing",
    "httproute-backend-no-ready-endpoints",
    "pvc-provisioning-failed",
    "pvc-waiting-for-first-consumer",
    "pod-waiting-on-pvc",
    "pvc-rwo-multi-node",
    "pv-released",
    "ingress-backend-no-ready-endpoints",
    "ingress-backend-blocked-by-networkpolicy",
    "netpol-selects-no-pods",
    "httproute-not-accepted",
    "ingress-tls-secret-missing",
}


def test_a_healthy_folder_passes(tmp_path, capsys):
    path = folder(
        tmp_path, deployment(), claim(), STORAGE_CLASS, SERVICE, INGRESS_CLASS, ingress(), DENY
    )
    code, data = check(capsys, path)
    assert data["mode"] == "manifests"
    assert any("plain manifests" in n for n in data["notes"])
    assert not codes(data) & STATUS_CODES, codes(data)
    assert [f for f in data["findings"] if f["severity"] == "error"] == []
    assert code == 0


def test_spec_checks_fire_on_manifests(tmp_path, capsys):
    path = folder(
        tmp_path,
        deployment(),
        claim(sc="fast-ssd"),  # no such class in the folder, which lists StorageClasses
        STORAGE_CLASS,
        service(latency="90s"),
        INGRESS_CLASS,
        ingress(read_timeout="120s"),  # ingress-nginx wants plain seconds
    )
    code, data = check(capsys, path)
    found = codes(data)
    assert {"pvc-storageclass-missing", "ingress-annotation-invalid-value"} <= found
    # the invalid annotation is ignored: the 60 s default is below the Service's 90 s
    assert "ingress-timeout-below-latency" in found
    assert not found & STATUS_CODES, found
    assert code == 1


def test_a_missing_class_is_not_a_fact_when_no_class_is_in_the_folder(tmp_path, capsys):
    path = folder(tmp_path, deployment(), claim(sc="fast-ssd"), SERVICE)
    _, data = check(capsys, path)
    assert "pvc-storageclass-missing" not in codes(data)  # StorageClasses are not listed


def test_text_output_notes_the_manifest_mode(tmp_path, capsys):
    path = folder(tmp_path, deployment(), claim(sc="fast-ssd"), STORAGE_CLASS)
    code = main(["check", "--snapshot", str(path)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[-2].startswith("note: read as plain manifests")
    assert lines[-1].startswith("1 error")


def test_fail_on_warning_gates_harder(tmp_path, capsys):
    bare = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "finetune", "namespace": NS},
        "spec": {
            "containers": [
                {
                    "name": "c",
                    "image": "x",
                    "volumeMounts": [{"name": "o", "mountPath": "/checkpoints"}],
                }
            ],
            "volumes": [{"name": "o", "emptyDir": {}}],
        },
    }
    path = folder(tmp_path, bare)
    assert check(capsys, path)[0] == 0
    code, data = check(capsys, path, "--fail-on", "warning")
    assert code == 1 and "pod-ephemeral-checkpoints" in codes(data)


def test_a_recorded_snapshot_is_not_read_as_manifests(tmp_path, capsys):
    pvc = claim()
    pvc["status"] = {"phase": "Bound"}
    path = folder(tmp_path, pvc, STORAGE_CLASS)
    _, data = check(capsys, path)
    assert data["mode"] == "snapshot" and "notes" not in data


def test_annotation_checks_without_the_ingress_class(tmp_path, capsys):
    # An application's manifests rarely hold the IngressClass: the value check still runs.
    path = folder(tmp_path, SERVICE, ingress(read_timeout="120s"))
    _, data = check(capsys, path)
    assert "ingress-annotation-invalid-value" in codes(data)
