"""The ML platform's building blocks, shared by the demo scenarios: nodes, kube-system,
ingress-nginx, monitoring, storage classes, model servers and the model store.

Each function adds one component to a Cluster and returns what callers need to plant
problems on top (pods, services).
"""

from __future__ import annotations

from demo_kit import Cluster, Node, Obj, metadata, namespace, node
from demo_net import configmap, event, ingress, ingress_class, netpol, root_ca, secret, service
from demo_storage import EBS, EFS, IN_TREE_EBS, csidriver, storageclass
from demo_workloads import (
    PodState,
    Previous,
    claim_volume,
    container,
    daemonset,
    deployment,
    mount,
    statefulset,
)

ML_HOST = "api.ml.example.com"
WFFC = "WaitForFirstConsumer"


def nodes(cl: Cluster, cpu: int = 3, gpu: int = 4) -> None:
    """CPU nodes in subnets 10.0.{1,2,3}.x (zones a, b, c), GPU nodes after them."""
    zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    cpu_ips = ["10.0.1.23", "10.0.2.47", "10.0.3.112", "10.0.1.88"]
    gpu_ips = ["10.0.1.201", "10.0.2.164", "10.0.3.58", "10.0.2.219"]
    for i in range(cpu):
        node(cl, cpu_ips[i], zones[i % 3], "cpu", "m6i.2xlarge")
    for i in range(gpu):
        node(cl, gpu_ips[i], zones[i % 3], "gpu", "g5.12xlarge")


def namespaces(
    cl: Cluster, names: list[str], extra: dict[str, dict[str, str]] | None = None
) -> None:
    teams = {
        "ml-training": {"team": "ml"},
        "ml-serving": {"team": "ml"},
        "ingress-nginx": {"team": "platform"},
        "monitoring": {"team": "platform"},
        "gateway-system": {"team": "platform"},
    }
    for ns in names:
        namespace(cl, ns, {**teams.get(ns, {}), **(extra or {}).get(ns, {})})
        root_ca(cl, ns)


def storage(cl: Cluster, *, fast_ssd: str = IN_TREE_EBS, fast_binding: str = WFFC) -> None:
    """fast-ssd and standard-hdd as in the seed, plus gp3 (default) and efs-sc (RWX)."""
    storageclass(
        cl,
        "fast-ssd",
        fast_ssd,
        parameters={"iopsPerGB": "50", "type": "gp3"},
        reclaim="Retain",
        binding=fast_binding,
    )
    storageclass(cl, "standard-hdd", IN_TREE_EBS, parameters={"type": "st1"})
    storageclass(
        cl,
        "gp3",
        EBS,
        parameters={"encrypted": "true", "type": "gp3"},
        default=True,
        expansion=True,
    )
    storageclass(
        cl,
        "efs-sc",
        EFS,
        parameters={
            "basePath": "/ml",
            "directoryPerms": "700",
            "fileSystemId": "fs-0a1b2c3d4e5f60718",
            "provisioningMode": "efs-ap",
        },
        binding="Immediate",
    )
    csidriver(cl, EBS, attach_required=True)
    csidriver(cl, EFS, attach_required=False, fs_group="None")


def kube_system(cl: Cluster, *, device_plugin: bool = True) -> None:
    coredns = {"k8s-app": "kube-dns"}
    deployment(
        cl,
        "kube-system",
        "coredns",
        labels=coredns,
        replicas=2,
        containers=[
            container(
                "coredns",
                "registry.k8s.io/coredns/coredns:v1.11.3",
                ports=[("dns", 53, "UDP"), ("dns-tcp", 53, "TCP"), ("metrics", 9153)],
                cpu="100m",
                memory="170Mi",
                args=["-conf", "/etc/coredns/Corefile"],
                probe=("/ready", 8181),
                mounts=[mount("config-volume", "/etc/coredns", True)],
            )
        ],
        volumes=[
            {
                "configMap": {
                    "items": [{"key": "Corefile", "path": "Corefile"}],
                    "name": "coredns",
                },
                "name": "config-volume",
            }
        ],
        dep_labels={**coredns, "eks.amazonaws.com/component": "coredns"},
        age=60 * 24 * 150,
    )
    configmap(
        cl,
        "kube-system",
        "coredns",
        {
            "Corefile": (
                ".:53 {\n    errors\n    health\n    ready\n"
                "    kubernetes cluster.local in-addr.arpa "
                "ip6.arpa {\n      pods insecure\n      fallthrough in-addr.arpa ip6.arpa\n    }\n"
                "    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n"
                "    reload\n    loadbalance\n}\n"
            )
        },
    )
    service(
        cl,
        "kube-system",
        "kube-dns",
        selector=coredns,
        cluster_ip="172.20.0.10",
        ports=[
            ("dns", 53, "dns", "UDP"),
            ("dns-tcp", 53, "dns-tcp", "TCP"),
            ("metrics", 9153, 9153),
        ],
        labels={
            "k8s-app": "kube-dns",
            "kubernetes.io/cluster-service": "true",
            "kubernetes.io/name": "CoreDNS",
        },
        annotations={"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
    )
    ebs = {"app": "ebs-csi-controller", "app.kubernetes.io/name": "aws-ebs-csi-driver"}
    deployment(
        cl,
        "kube-system",
        "ebs-csi-controller",
        labels=ebs,
        replicas=2,
        containers=[
            container(
                "ebs-plugin",
                "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.37.0",
                ports=[("healthz", 9808)],
                cpu="10m",
                memory="40Mi",
                args=["controller", "--endpoint=$(CSI_ENDPOINT)", "--v=2"],
                mounts=[mount("socket-dir", "/var/lib/csi/sockets/pluginproxy/")],
            ),
            container(
                "csi-provisioner",
                "public.ecr.aws/csi-components/csi-provisioner:v5.1.0",
                cpu="10m",
                memory="40Mi",
                args=[
                    "--csi-address=$(ADDRESS)",
                    "--feature-gates=Topology=true",
                    "--leader-election=true",
                    "--default-fstype=ext4",
                ],
                mounts=[mount("socket-dir", "/var/lib/csi/sockets/pluginproxy/")],
            ),
            container(
                "csi-attacher",
                "public.ecr.aws/csi-components/csi-attacher:v4.7.0",
                cpu="10m",
                memory="40Mi",
                args=["--csi-address=$(ADDRESS)", "--leader-election=true"],
                mounts=[mount("socket-dir", "/var/lib/csi/sockets/pluginproxy/")],
            ),
        ],
        volumes=[{"emptyDir": {}, "name": "socket-dir"}],
        age=60 * 24 * 150,
    )
    ebs_node = {"app": "ebs-csi-node", "app.kubernetes.io/name": "aws-ebs-csi-driver"}
    daemonset(
        cl,
        "kube-system",
        "ebs-csi-node",
        labels=ebs_node,
        containers=[
            container(
                "ebs-plugin",
                "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.37.0",
                ports=[("healthz", 9808)],
                cpu="10m",
                memory="40Mi",
                args=["node", "--endpoint=$(CSI_ENDPOINT)", "--v=2"],
                mounts=[mount("kubelet-dir", "/var/lib/kubelet"), mount("plugin-dir", "/csi")],
            ),
        ],
        volumes=[
            {"hostPath": {"path": "/var/lib/kubelet", "type": "Directory"}, "name": "kubelet-dir"},
            {
                "hostPath": {
                    "path": "/var/lib/kubelet/plugins/ebs.csi.aws.com/",
                    "type": "DirectoryOrCreate",
                },
                "name": "plugin-dir",
            },
        ],
    )
    if device_plugin:
        gpus = [n for n in cl.nodes if n.pool == "gpu"]
        daemonset(
            cl,
            "kube-system",
            "nvidia-device-plugin-daemonset",
            labels={"name": "nvidia-device-plugin-ds"},
            nodes=gpus,
            containers=[
                container(
                    "nvidia-device-plugin-ctr",
                    "nvcr.io/nvidia/k8s-device-plugin:v0.17.0",
                    cpu="50m",
                    memory="64Mi",
                    mounts=[mount("device-plugin", "/var/lib/kubelet/device-plugins")],
                )
            ],
            volumes=[
                {
                    "hostPath": {"path": "/var/lib/kubelet/device-plugins", "type": ""},
                    "name": "device-plugin",
                }
            ],
        )


NGINX_LABELS = {
    "app.kubernetes.io/component": "controller",
    "app.kubernetes.io/instance": "ingress-nginx",
    "app.kubernetes.io/name": "ingress-nginx",
}


def ingress_nginx(cl: Cluster, config: dict[str, str] | None = None) -> list[Obj]:
    """The controller Deployment, its ConfigMap, IngressClass `nginx` and Services."""
    ns = "ingress-nginx"
    env = [
        {
            "name": "POD_NAME",
            "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}},
        },
        {
            "name": "POD_NAMESPACE",
            "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}},
        },
        {"name": "LD_PRELOAD", "value": "/usr/local/lib/libmimalloc.so"},
    ]
    pods = deployment(
        cl,
        ns,
        "ingress-nginx-controller",
        labels=NGINX_LABELS,
        replicas=2,
        containers=[
            container(
                "controller",
                "registry.k8s.io/ingress-nginx/controller:v1.11.3",
                ports=[("http", 80), ("https", 443), ("metrics", 10254), ("webhook", 8443)],
                cpu="100m",
                memory="90Mi",
                env=env,
                probe=("/healthz", 10254),
                args=[
                    "/nginx-ingress-controller",
                    "--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller",
                    "--election-id=ingress-nginx-leader",
                    "--controller-class=k8s.io/ingress-nginx",
                    "--ingress-class=nginx",
                    "--configmap=$(POD_NAMESPACE)/ingress-nginx-controller",
                    "--validating-webhook=:8443",
                    "--validating-webhook-certificate=/usr/local/certificates/cert",
                    "--validating-webhook-key=/usr/local/certificates/key",
                    "--enable-metrics=true",
                ],
                mounts=[mount("webhook-cert", "/usr/local/certificates/", True)],
            )
        ],
        volumes=[
            {
                "name": "webhook-cert",
                "secret": {"defaultMode": 420, "secretName": "ingress-nginx-admission"},
            }
        ],
        age=60 * 24 * 60,
    )
    configmap(
        cl,
        ns,
        "ingress-nginx-controller",
        {
            "allow-snippet-annotations": "false",
            "use-forwarded-headers": "true",
            "proxy-body-size": "8m",
            **(config or {}),
        },
        labels=NGINX_LABELS,
    )
    ingress_class(cl, "nginx", "k8s.io/ingress-nginx", default=True)
    service(
        cl,
        ns,
        "ingress-nginx-controller",
        selector=NGINX_LABELS,
        type_="LoadBalancer",
        ports=[("http", 80, "http"), ("https", 443, "https")],
        labels=NGINX_LABELS,
        annotations={
            "service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout": "60",
            "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
        },
    )
    service(
        cl,
        ns,
        "ingress-nginx-controller-admission",
        selector=NGINX_LABELS,
        ports=[("https-webhook", 443, "webhook")],
        labels=NGINX_LABELS,
    )
    secret(cl, ns, "ingress-nginx-admission", "Opaque", labels=NGINX_LABELS)
    secret(
        cl,
        ns,
        "sh.helm.release.v1.ingress-nginx.v3",
        "helm.sh/release.v1",
        labels={"name": "ingress-nginx", "owner": "helm", "status": "deployed", "version": "3"},
    )
    return pods


def monitoring(cl: Cluster, *, node_exporter: bool = True) -> None:
    ns = "monitoring"
    prom = {"app.kubernetes.io/name": "prometheus", "app.kubernetes.io/instance": "k8s"}
    statefulset(
        cl,
        ns,
        "prometheus-k8s",
        labels=prom,
        replicas=1,
        service_name="prometheus-operated",
        containers=[
            container(
                "prometheus",
                "quay.io/prometheus/prometheus:v2.55.1",
                ports=[("web", 9090)],
                cpu="500m",
                memory="2Gi",
                probe=("/-/ready", "web"),
                mounts=[mount("prometheus-k8s-db", "/prometheus")],
            )
        ],
        claims=[("prometheus-k8s-db", "gp3", "50Gi", "ReadWriteOnce")],
    )
    service(cl, ns, "prometheus-k8s", selector=prom, ports=[("web", 9090, "web")], labels=prom)
    graf = {"app.kubernetes.io/name": "grafana"}
    deployment(
        cl,
        ns,
        "grafana",
        labels=graf,
        replicas=1,
        containers=[
            container(
                "grafana",
                "grafana/grafana:11.3.0",
                ports=[("http", 3000)],
                cpu="100m",
                memory="256Mi",
                probe=("/api/health", "http"),
                mounts=[mount("storage", "/var/lib/grafana")],
            )
        ],
        volumes=[{"emptyDir": {}, "name": "storage"}],
    )
    service(cl, ns, "grafana", selector=graf, ports=[("http", 3000, "http")], labels=graf)
    if node_exporter:
        ne = {"app.kubernetes.io/name": "node-exporter"}
        daemonset(
            cl,
            ns,
            "node-exporter",
            labels=ne,
            host_network=True,
            containers=[
                container(
                    "node-exporter",
                    "quay.io/prometheus/node-exporter:v1.8.2",
                    ports=[("metrics", 9100)],
                    cpu="50m",
                    memory="64Mi",
                    args=["--path.rootfs=/host/root", "--web.listen-address=:9100"],
                    mounts=[mount("root", "/host/root", True)],
                )
            ],
            volumes=[{"hostPath": {"path": "/", "type": ""}, "name": "root"}],
        )
        service(
            cl,
            ns,
            "node-exporter",
            selector=ne,
            ports=[("metrics", 9100, "metrics")],
            headless=True,
            labels=ne,
        )


# Public serving stacks, so the Services tab's SERVER column has something to recognise.
TRITON = "nvcr.io/nvidia/tritonserver:24.08-py3"
VLLM = "vllm/vllm-openai:v0.6.3"
TGI = "ghcr.io/huggingface/text-generation-inference:2.4.0"
MODEL_IMAGES = {
    "sentiment": "pytorch/torchserve:0.12.0-cpu",
    "translation": TRITON,
    "translation-v2": "nvcr.io/nvidia/tritonserver:24.10-py3",
    "embedding": "seldonio/mlserver:1.6.1",
    "embedding-v2": "seldonio/mlserver:1.6.1",
    "vision": "tensorflow/serving:2.17.0",
    "rerank": "pytorch/torchserve:0.12.0-cpu",
    "batch-scoring": "seldonio/mlserver:1.6.1",
    "llm-experimental": "lmsysorg/sglang:v0.3.5-cu124",
}


def model_server(
    cl: Cluster,
    model: str,
    *,
    replicas: int = 2,
    svc_name: str | None = None,
    latency: str | None = None,
    metrics: bool = True,
    gpu: bool = False,
    states: list[PodState] | None = None,
    ns: str = "ml-serving",
    image: str | None = None,
    extra_labels: dict[str, str] | None = None,
    name: str | None = None,
    app: str = "inference-server",
    args: list[str] | None = None,
    cache_claim: str | None = None,
    previous: Previous | None = None,
    strategy: Obj | None = None,
) -> tuple[list[Obj], Obj]:
    """A model Deployment (app: inference-server, model: <model>) and its Service
    (port 80 -> targetPort `http` = 8080). `latency` sets mlview.io/expected-latency;
    `cache_claim` puts the model cache on that PersistentVolumeClaim instead of an emptyDir;
    `previous` and `strategy` make it a rollout in progress (see demo_workloads.deployment)."""
    labels = {"app": app, "model": model, **(extra_labels or {})}
    cache: Obj = {"emptyDir": {"sizeLimit": "20Gi"}, "name": "model-cache"}
    if cache_claim:
        cache = claim_volume("model-cache", cache_claim)
    ports: list = [("http", 8080)]
    if metrics:
        ports.append(("metrics", 9090))
    pods = deployment(
        cl,
        ns,
        name or f"{model}-model",
        labels=labels,
        replicas=replicas,
        pool="gpu" if gpu else "cpu",
        states=states,
        previous=previous,
        strategy=strategy,
        containers=[
            container(
                "server",
                image or MODEL_IMAGES.get(model, f"myregistry/{model}-server:v1.0.0"),
                args=args,
                ports=ports,
                cpu="2" if not gpu else "8",
                memory="8Gi" if not gpu else "48Gi",
                gpu=1 if gpu else 0,
                probe=("/healthz", "http"),
                env=[
                    {"name": "MODEL_STORE_URL", "value": "http://model-store.ml-serving.svc:9000"}
                ],
                mounts=[mount("model-cache", "/var/cache/models")],
            )
        ],
        volumes=[cache],
        annotations={"prometheus.io/port": "9090", "prometheus.io/scrape": "true"}
        if metrics
        else None,
    )
    ann = {"mlview.io/expected-latency": latency} if latency else None
    svc = service(
        cl,
        ns,
        svc_name or f"{model}-model-svc",
        selector=labels,
        ports=[("http", 80, "http")],
        annotations=ann,
        labels={"model": model},
    )
    return pods, svc


def model_store(cl: Cluster, ns: str = "ml-serving", replicas: int = 2) -> list[Obj]:
    """The seed's model store: StatefulSet `model-store` (role: model-store, port 9000 `s3`)."""
    labels = {"app": "model-store", "role": "model-store"}
    service(
        cl,
        ns,
        "model-store-headless",
        selector=labels,
        headless=True,
        ports=[("s3", 9000, "s3")],
        labels=labels,
    )
    service(cl, ns, "model-store", selector=labels, ports=[("s3", 9000, "s3")], labels=labels)
    return statefulset(
        cl,
        ns,
        "model-store",
        labels=labels,
        replicas=replicas,
        service_name="model-store-headless",
        containers=[
            container(
                "minio",
                "quay.io/minio/minio:RELEASE.2024-11-07T00-52-20Z",
                ports=[("s3", 9000), ("console", 9001)],
                cpu="500m",
                memory="2Gi",
                probe=("/minio/health/ready", "s3"),
                args=["server", "/data", "--console-address", ":9001"],
                mounts=[mount("data", "/data")],
            )
        ],
        claims=[("data", "standard-hdd", "500Gi", "ReadWriteOnce")],
    )


def gpu_nodes(cl: Cluster) -> list[Node]:
    return [n for n in cl.nodes if n.pool == "gpu"]


def tls_secret(cl: Cluster, ns: str, name: str) -> Obj:
    return secret(
        cl,
        ns,
        name,
        "kubernetes.io/tls",
        annotations={
            "cert-manager.io/certificate-name": name,
            "cert-manager.io/issuer-kind": "ClusterIssuer",
            "cert-manager.io/issuer-name": "letsencrypt-prod",
        },
    )


# --- the seed's objects and other shared pieces ---------------------------------------

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
        tls=[([ML_HOST], "ml-api-tls")],
        rules=[(ML_HOST, SEED_PATHS)],
    )
    tls_secret(cl, "ml-serving", "ml-api-tls")
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
