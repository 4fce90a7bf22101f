"""Scenario 1, ml-platform: the healthy platform from the seed."""

from __future__ import annotations

import demo_platform as P
from demo_kit import Cluster, Obj
from demo_net import event, netpol, service
from demo_platform import DNS_PEER, DNS_PORTS, trainer
from demo_storage import EFS, pv, pvc
from demo_workloads import PodState, claim_volume, container, deployment, job, mount, pod

# --- 1. ml-platform --------------------------------------------------------------------------


def ml_platform() -> Cluster:
    """The healthy platform from the seed."""
    cl = Cluster("ml-platform")
    P.nodes(cl, cpu=3, gpu=4)
    P.namespaces(
        cl, ["default", "kube-system", "ingress-nginx", "monitoring", "ml-training", "ml-serving"]
    )
    P.storage(cl)
    P.default_namespace(cl)
    P.kube_system(cl)
    P.ingress_nginx(cl)
    P.monitoring(cl)
    _platform_training(cl)
    _platform_serving(cl)
    return cl


def _platform_training(cl: Cluster) -> None:
    ns = "ml-training"
    P.training_config(cl)
    cpu0 = cl.nodes[0]
    # The seed's ROX dataset, bound to a pre-provisioned (static) volume on EFS.
    claim, _ = pvc(
        cl,
        ns,
        "imagenet-dataset",
        sc="fast-ssd",
        size="500Gi",
        modes=["ReadOnlyMany"],
        volume_name="imagenet-dataset-pv",
        age=60 * 24 * 90,
    )
    pv(
        cl,
        "imagenet-dataset-pv",
        sc="fast-ssd",
        size="500Gi",
        modes=["ReadOnlyMany"],
        claim=claim,
        reclaim="Retain",
        age=60 * 24 * 90,
        source={
            "csi": {"driver": EFS, "volumeHandle": "fs-0a1b2c3d4e5f60718:/datasets/imagenet"},
            "mountOptions": ["tls"],
        },
    )
    pvc(cl, ns, "checkpoint-pvc", sc="gp3", size="100Gi", modes=["ReadWriteOnce"], node_=cpu0)
    pvc(cl, ns, "experiment-logs", sc="efs-sc", size="200Gi", modes=["ReadWriteMany"])
    pvc(cl, ns, "resnet-checkpoints", sc="efs-sc", size="1Ti", modes=["ReadWriteMany"])

    gpus = P.gpu_nodes(cl)
    service(
        cl,
        ns,
        "resnet-train",
        selector={"batch.kubernetes.io/job-name": "resnet-train"},
        headless=True,
        ports=[("dist", 29500, "dist")],
        age=60 * 6,
    )
    job(
        cl,
        ns,
        "resnet-train",
        labels={"app": "trainer", "model": "resnet50"},
        completions=4,
        indexed=True,
        pool="gpu",
        nodes=gpus,
        age=60 * 6,
        containers=[
            trainer(
                args=[
                    "torchrun",
                    "--nnodes=4",
                    "--nproc-per-node=4",
                    "--rdzv-endpoint=resnet-train-0.resnet-train:29500",
                    "train.py",
                    "--config=/config/train.yaml",
                ],
                ports=[("dist", 29500)],
                mounts=[
                    mount("dataset", "/data", True),
                    mount("checkpoints", "/checkpoints"),
                    mount("logs", "/logs"),
                    mount("config", "/config", True),
                    mount("dshm", "/dev/shm"),
                ],
            )
        ],
        volumes=[
            claim_volume("dataset", "imagenet-dataset", read_only=True),
            claim_volume("checkpoints", "resnet-checkpoints"),
            claim_volume("logs", "experiment-logs"),
            {"configMap": {"defaultMode": 420, "name": "training-config"}, "name": "config"},
            {"emptyDir": {"medium": "Memory", "sizeLimit": "64Gi"}, "name": "dshm"},
        ],
    )
    # The seed's bare training-pod, exactly its volumes.
    pod(
        cl,
        ns,
        "training-pod",
        labels={"app": "training-pod"},
        node_=cpu0,
        age=60 * 30,
        containers=[
            trainer(
                gpu=0,
                mounts=[
                    mount("dataset", "/data", True),
                    mount("checkpoints", "/checkpoints"),
                    mount("logs", "/logs"),
                    mount("config", "/config"),
                ],
            )
        ],
        volumes=[
            claim_volume("dataset", "imagenet-dataset"),
            claim_volume("checkpoints", "checkpoint-pvc"),
            {"emptyDir": {}, "name": "logs"},
            {"configMap": {"defaultMode": 420, "name": "training-config"}, "name": "config"},
        ],
    )
    tb = {"app": "tensorboard"}
    deployment(
        cl,
        ns,
        "tensorboard",
        labels=tb,
        replicas=1,
        containers=[
            container(
                "tensorboard",
                "tensorflow/tensorflow:2.18.0",
                ports=[("http", 6006)],
                args=["tensorboard", "--logdir=/logs", "--bind_all"],
                probe=("/", "http"),
                mounts=[mount("logs", "/logs", True)],
            )
        ],
        volumes=[claim_volume("logs", "experiment-logs", read_only=True)],
    )
    service(cl, ns, "tensorboard", selector=tb, ports=[("http", 80, "http")])
    prep = job(
        cl,
        ns,
        "data-prep",
        labels={"app": "data-prep"},
        age=55,
        states=[PodState("completed")],
        containers=[
            container(
                "prep",
                "myregistry/data-prep:v0.4.2",
                args=["python", "prep.py", "--shard=all"],
                mounts=[mount("scratch", "/scratch")],
            )
        ],
        volumes=[{"emptyDir": {}, "name": "scratch"}],
    )
    j = cl.find("Job", ns, "data-prep")
    event(
        cl,
        j,
        "SuccessfulCreate",
        f"Created pod: {prep[0]['metadata']['name']}",
        first=55,
        component="job-controller",
    )
    event(cl, j, "Completed", "Job completed", first=29, component="job-controller")
    for pol, spec in _training_policies().items():
        netpol(cl, ns, pol, spec)


def _training_policies() -> dict[str, Obj]:
    return {
        "default-deny-ingress": {"podSelector": {}, "policyTypes": ["Ingress"]},
        "allow-training-peers": {
            "podSelector": {},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"podSelector": {}}]}],
        },
        "allow-dns-egress": {
            "podSelector": {},
            "policyTypes": ["Egress"],
            "egress": [{"to": [DNS_PEER], "ports": DNS_PORTS}],
        },
        "allow-training-egress": {
            "podSelector": {},
            "policyTypes": ["Egress"],
            "egress": [
                {"to": [{"podSelector": {}}]},
                {
                    "to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["169.254.169.254/32"]}}],
                    "ports": [{"port": 443, "protocol": "TCP"}],
                },
            ],
        },
    }


def _platform_serving(cl: Cluster) -> None:
    ns = "ml-serving"
    P.model_server(cl, "sentiment", replicas=3, latency="5s")
    P.model_server(cl, "translation", replicas=3, latency="90s", gpu=True)
    P.model_server(cl, "embedding", replicas=2)
    P.model_store(cl)
    P.seed_ingress(cl)
    P.seed_store_policy(cl)
    netpol(
        cl,
        ns,
        "allow-ingress-nginx",
        {
            "podSelector": {"matchLabels": {"app": "inference-server"}},
            "policyTypes": ["Ingress"],
            "ingress": [
                {
                    "from": [
                        {
                            "namespaceSelector": {
                                "matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}
                            },
                            "podSelector": {
                                "matchLabels": {"app.kubernetes.io/name": "ingress-nginx"}
                            },
                        }
                    ],
                    "ports": [{"port": "http", "protocol": "TCP"}],
                }
            ],
        },
    )
    netpol(
        cl,
        ns,
        "allow-prometheus-scrape",
        {
            "podSelector": {"matchLabels": {"app": "inference-server"}},
            "policyTypes": ["Ingress"],
            "ingress": [
                {
                    "from": [
                        {
                            "namespaceSelector": {
                                "matchLabels": {"kubernetes.io/metadata.name": "monitoring"}
                            }
                        }
                    ],
                    "ports": [{"port": "metrics", "protocol": "TCP"}],
                }
            ],
        },
    )
