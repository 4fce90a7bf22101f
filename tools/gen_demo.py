"""Generate the bundled demo scenarios (demo/<name>.yaml), deterministically.

    python tools/gen_demo.py [OUTPUT_DIR]      # default: the repository's demo/ folder

Each scenario is one `v1 List` as `kubectl get ... -A -o yaml` prints it, wrapped by
mlview.sources.snapshot.snapshot_list with a fixed recorded-at time. The platform pieces live
in demo_platform.py; this file composes them and plants each scenario's problems.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))  # sibling builder modules
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the mlview package

import demo_platform as P  # noqa: E402
from demo_kit import (  # noqa: E402
    RECORDED_AT,
    Cluster,
    Obj,
    PodState,
    claim_volume,
    container,
    deployment,
    job,
    metadata,
    mount,
    pod,
    statefulset,
)
from demo_net import (  # noqa: E402
    configmap,
    derive_endpoints,
    event,
    ingress,
    netpol,
    secret,
    service,
)
from demo_storage import EFS, pv, pvc  # noqa: E402

from mlview.kinds import KINDS  # noqa: E402
from mlview.sources.snapshot import snapshot_list  # noqa: E402

CORE_KINDS = [k for k, info in KINDS.items() if not info.optional]
GATEWAY_KINDS = ["GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant"]
TRAINER_IMAGE = "myregistry/trainer:v1.0"
SEED_INGRESS_ANNOTATIONS = {
    "nginx.ingress.kubernetes.io/proxy-body-size": "50m",
    "nginx.ingress.kubernetes.io/proxy-read-timeout": "120",
}
SEED_PATHS = [
    ("/v1/sentiment", "sentiment-model-svc", 80),
    ("/v1/translate", "translation-model-svc", 80),
    ("/v1/embeddings", "embedding-model-svc", 80),
]
DNS_PEER = {
    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
    "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
}
DNS_PORTS = [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]


# --- shared pieces ---------------------------------------------------------------------------


def default_namespace(cl: Cluster) -> None:
    """The `kubernetes` Service: no selector, Endpoints kept by the API server."""
    service(
        cl,
        "default",
        "kubernetes",
        selector=None,
        cluster_ip="172.20.0.1",
        ports=[("https", 443, 443)],
        labels={"component": "apiserver", "provider": "kubernetes"},
        age=60 * 24 * 200,
    )
    cl.add(
        {
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": metadata(
                cl,
                "Endpoints",
                "kubernetes",
                "default",
                labels={"endpointslice.kubernetes.io/skip-mirror": "true"},
                age=60 * 24 * 200,
            ),
            "subsets": [
                {
                    "addresses": [{"ip": "10.0.1.10"}, {"ip": "10.0.2.10"}],
                    "ports": [{"name": "https", "port": 443, "protocol": "TCP"}],
                }
            ],
        }
    )
    cl.add(
        {
            "addressType": "IPv4",
            "apiVersion": "discovery.k8s.io/v1",
            "endpoints": [
                {"addresses": [ip], "conditions": {"ready": True}}
                for ip in ("10.0.1.10", "10.0.2.10")
            ],
            "kind": "EndpointSlice",
            "metadata": metadata(
                cl,
                "EndpointSlice",
                "kubernetes",
                "default",
                labels={"kubernetes.io/service-name": "kubernetes"},
                age=60 * 24 * 200,
            ),
            "ports": [{"name": "https", "port": 443, "protocol": "TCP"}],
        }
    )


def seed_ingress(cl: Cluster, annotations: dict[str, str] | None = None) -> Obj:
    """The seed's ml-api-ingress (annotations, TLS and paths as in the seed unless given)."""
    ing = ingress(
        cl,
        "ml-serving",
        "ml-api-ingress",
        annotations=SEED_INGRESS_ANNOTATIONS if annotations is None else annotations,
        tls=[([P.ML_HOST], "ml-api-tls")],
        rules=[(P.ML_HOST, SEED_PATHS)],
    )
    P.tls_secret(cl, "ml-serving", "ml-api-tls")
    event(
        cl,
        ing,
        "Sync",
        "Scheduled for sync",
        count=2,
        first=60 * 24,
        last=50,
        component="nginx-ingress-controller",
    )
    return ing


def seed_store_policy(cl: Cluster) -> Obj:
    return netpol(
        cl,
        "ml-serving",
        "model-store-access",
        {
            "podSelector": {"matchLabels": {"role": "model-store"}},
            "policyTypes": ["Ingress"],
            "ingress": [
                {
                    "from": [{"podSelector": {"matchLabels": {"app": "inference-server"}}}],
                    "ports": [{"port": 9000, "protocol": "TCP"}],
                }
            ],
        },
    )


def training_config(cl: Cluster) -> None:
    configmap(
        cl,
        "ml-training",
        "training-config",
        {
            "train.yaml": (
                "model: resnet50\nepochs: 90\nbatch_size: 256\noptimizer: sgd\nlr: 0.1\n"
                "checkpoint_every: 1000\n"
            )
        },
    )


def trainer(
    args: list[str] | None = None,
    gpu: int = 4,
    mounts: list[Obj] | None = None,
    ports: list | None = None,
) -> Obj:
    return container(
        "trainer",
        TRAINER_IMAGE,
        gpu=gpu,
        cpu="16",
        memory="120Gi",
        args=args,
        mounts=mounts or [],
        ports=ports or [],
    )


# --- 1. ml-platform --------------------------------------------------------------------------


def ml_platform() -> Cluster:
    """The healthy platform from the seed."""
    cl = Cluster("ml-platform")
    P.nodes(cl, cpu=3, gpu=4)
    P.namespaces(
        cl, ["default", "kube-system", "ingress-nginx", "monitoring", "ml-training", "ml-serving"]
    )
    P.storage(cl)
    default_namespace(cl)
    P.kube_system(cl)
    P.ingress_nginx(cl)
    P.monitoring(cl)
    _platform_training(cl)
    _platform_serving(cl)
    return cl


def _platform_training(cl: Cluster) -> None:
    ns = "ml-training"
    training_config(cl)
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
    seed_ingress(cl)
    seed_store_policy(cl)
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


# --- writing ---------------------------------------------------------------------------------

SCENARIOS: dict[str, tuple[Callable[[], Cluster], str, list[str]]] = {
    "ml-platform": (
        ml_platform,
        "Healthy ML platform: training job on 4 GPU nodes, three model APIs behind "
        "ingress-nginx, model store, datasets on EBS/EFS.",
        CORE_KINDS,
    ),
}

_ORDER = {k: i for i, k in enumerate(KINDS)}


def _sorted_keys(value: Any) -> Any:
    """kubectl prints object keys alphabetically; do the same for every item."""
    if isinstance(value, dict):
        return {k: _sorted_keys(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(v) for v in value]
    return value


def build(name: str) -> dict[str, Any]:
    make, description, kinds = SCENARIOS[name]
    cl = make()
    derive_endpoints(cl)
    items = sorted(
        cl.objects,
        key=lambda o: (
            _ORDER[o["kind"]],
            o["metadata"].get("namespace") or "",
            o["metadata"]["name"],
        ),
    )
    return snapshot_list(
        [_sorted_keys(o) for o in items],
        recorded_at=RECORDED_AT,
        context=f"arn:aws:eks:eu-west-1:123456789012:cluster/{name}",
        description=description,
        listed_kinds=kinds,
    )


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "demo"
    out.mkdir(parents=True, exist_ok=True)
    for name in SCENARIOS:
        text = yaml.safe_dump(build(name), sort_keys=False, width=100)
        (out / f"{name}.yaml").write_text(text, encoding="utf-8")
        print(f"wrote {out / (name + '.yaml')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
