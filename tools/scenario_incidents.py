"""Scenarios 2 and 3: incident-504 (ingress timeouts and broken annotations) and
incident-pending-pvc (claims that cannot bind, a volume that cannot attach)."""

from __future__ import annotations

import uuid

import demo_platform as P
from demo_kit import Cluster, Obj
from demo_net import event, ingress, service
from demo_platform import trainer
from demo_storage import EBS, pv, pvc
from demo_workloads import (
    PodState,
    Previous,
    claim_volume,
    container,
    deployment,
    job,
    mount,
    statefulset,
)

NGINX = "nginx.ingress.kubernetes.io/"


# --- 2. incident-504 -------------------------------------------------------------------------


def incident_504() -> Cluster:
    """Slow translation behind the default 60 s read timeout, plus annotation mistakes."""
    cl = Cluster("incident-504")
    P.nodes(cl, cpu=3, gpu=2)
    P.namespaces(cl, ["default", "kube-system", "ingress-nginx", "monitoring", "ml-serving"])
    P.storage(cl)
    P.default_namespace(cl)
    P.kube_system(cl)
    P.ingress_nginx(cl)
    P.monitoring(cl, node_exporter=False)
    P.model_server(cl, "sentiment", replicas=2, latency="5s")
    P.model_server(cl, "translation", replicas=3, latency="90s", gpu=True)
    P.model_server(cl, "embedding", replicas=2)
    P.model_store(cl)
    # Someone dropped proxy-read-timeout: translation (90 s budget) hits nginx's 60 s default.
    P.seed_ingress(cl, annotations={NGINX + "proxy-body-size": "50m"})
    _vision(cl)
    _llm(cl)
    _batch_and_rerank(cl)
    _summarize_rollout(cl)
    return cl


def _vision(cl: Cluster) -> None:
    P.model_server(cl, "vision", replicas=2, latency="45s")
    ing = ingress(
        cl,
        "ml-serving",
        "vision-api",
        tls=[([P.ML_HOST], "ml-api-tls")],
        rules=[(P.ML_HOST, [("/v1/vision", "vision-model-svc", 80)])],
        annotations={
            # Both invalid for ingress-nginx: it wants unitless seconds and nginx sizes ("50m").
            NGINX + "proxy-read-timeout": "120s",
            NGINX + "proxy-body-size": "50 MB",
        },
    )
    event(cl, ing, "Sync", "Scheduled for sync", first=60 * 3, component="nginx-ingress-controller")


def _llm(cl: Cluster) -> None:
    """llm-api -> llm-generate-svc, whose pods are all not ready."""
    pods, _ = P.model_server(
        cl,
        "llm-generate",
        name="llm-generate",
        svc_name="llm-generate-svc",
        replicas=2,
        gpu=True,
        latency="120s",
        image=P.VLLM,
        # 64 GiB of CPU swap space for the KV cache inside a 48 GiB memory limit: OOMKilled.
        args=[
            "--model=meta-llama/Llama-3.1-8B-Instruct",
            "--port=8080",
            "--max-model-len=32768",
            "--swap-space=64",
        ],
        states=[
            PodState("crashloop", restarts=14, last_reason="OOMKilled", exit_code=137),
            PodState("unready", restarts=3),
        ],
    )
    P.tls_secret(cl, "ml-serving", "llm-api-tls")
    ing = ingress(
        cl,
        "ml-serving",
        "llm-api",
        tls=[(["llm.ml.example.com"], "llm-api-tls")],
        rules=[("llm.ml.example.com", [("/", "llm-generate-svc", 80)])],
        annotations={NGINX + "proxy-read-timeout": "300", NGINX + "proxy-body-size": "10m"},
    )
    event(cl, ing, "Sync", "Scheduled for sync", first=60 * 2, component="nginx-ingress-controller")
    crash, slow = pods
    for p in pods:
        host = p["spec"]["nodeName"]
        event(
            cl,
            p,
            "Pulled",
            f'Container image "{P.VLLM}" already present on machine',
            count=14,
            first=58,
            last=2,
            component="kubelet",
            host=host,
            field_path="spec.containers{server}",
        )
    event(
        cl,
        crash,
        "BackOff",
        f"Back-off restarting failed container server in pod "
        f"{crash['metadata']['name']}_ml-serving({crash['metadata']['uid']})",
        type_="Warning",
        count=231,
        first=57,
        last=1,
        component="kubelet",
        host=crash["spec"]["nodeName"],
        field_path="spec.containers{server}",
    )
    event(
        cl,
        slow,
        "Unhealthy",
        "Readiness probe failed: HTTP probe failed with statuscode: 503",
        type_="Warning",
        count=344,
        first=57,
        last=0.2,
        component="kubelet",
        host=slow["spec"]["nodeName"],
        field_path="spec.containers{server}",
    )


def _batch_and_rerank(cl: Cluster) -> None:
    P.model_server(cl, "batch-scoring", svc_name="batch-scoring-svc", replicas=1)
    ingress(
        cl,
        "ml-serving",
        "batch-api",
        rules=[("batch.ml.example.com", [("/v1/score", "batch-scoring-svc", 80)])],
        # Typo: "timout". ingress-nginx ignores unknown annotations silently.
        annotations={NGINX + "proxy-read-timout": "300"},
    )
    P.model_server(cl, "rerank", replicas=2, latency="20s")
    ingress(
        cl,
        "ml-serving",
        "rerank-api",
        tls=[([P.ML_HOST], "ml-api-tls")],
        rules=[(P.ML_HOST, [("/v1/rerank", "rerank-model-svc", 80)])],
        # NGINX Inc.'s controller family; ingress-nginx never reads nginx.org/ keys.
        annotations={"nginx.org/proxy-read-timeout": "300s"},
    )


def _summarize_rollout(cl: Cluster) -> None:
    """A rollout stuck at 1/3 ready: the new TGI tag does not exist (ImagePullBackOff); with
    no spare GPU to surge into, one old pod went, and one of the two left is overloaded."""
    bad = "ghcr.io/huggingface/text-generation-inference:2.4.10"  # meant 2.4.1
    args = ["--model-id=facebook/bart-large-cnn", "--port=8080", "--max-input-tokens=4096"]
    pods, _ = P.model_server(
        cl,
        "summarize",
        replicas=3,
        gpu=True,
        latency="60s",
        image=bad,
        args=args,
        previous=Previous(P.TGI, [PodState(), PodState("unready")], args=args),
        strategy={"maxSurge": 0, "maxUnavailable": 1},
        states=[PodState("imagepull")],
    )
    ingress(
        cl,
        "ml-serving",
        "summarize-api",
        tls=[([P.ML_HOST], "ml-api-tls")],
        rules=[(P.ML_HOST, [("/v1/summarize", "summarize-model-svc", 80)])],
        annotations={NGINX + "proxy-read-timeout": "120"},
    )
    dep = cl.find("Deployment", "ml-serving", "summarize-model")
    old_rs, new_rs = (
        o["metadata"]["name"]
        for o in cl.objects
        if o["kind"] == "ReplicaSet" and o["metadata"]["name"].startswith("summarize-model-")
    )
    event(
        cl,
        dep,
        "ScalingReplicaSet",
        f"Scaled down replica set {old_rs} to 2 from 3",
        first=30,
        component="deployment-controller",
    )
    event(
        cl,
        dep,
        "ScalingReplicaSet",
        f"Scaled up replica set {new_rs} to 1 from 0",
        first=30,
        component="deployment-controller",
    )
    _serving, busy, stuck = pods
    host = stuck["spec"]["nodeName"]
    pull = f'failed to pull and unpack image "{bad}": failed to resolve reference "{bad}"'
    event(
        cl,
        stuck,
        "Failed",
        f'Failed to pull image "{bad}": rpc error: code = NotFound desc = {pull}: {bad}: not found',
        type_="Warning",
        count=9,
        first=29,
        last=3,
        component="kubelet",
        host=host,
        field_path="spec.containers{server}",
    )
    event(
        cl,
        stuck,
        "BackOff",
        f'Back-off pulling image "{bad}"',
        count=121,
        first=29,
        last=0.3,
        component="kubelet",
        host=host,
        field_path="spec.containers{server}",
    )
    ip = busy["status"]["podIP"]
    event(
        cl,
        busy,
        "Unhealthy",
        f'Readiness probe failed: Get "http://{ip}:8080/healthz": '
        "context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
        type_="Warning",
        count=87,
        first=27,
        last=0.5,
        component="kubelet",
        host=busy["spec"]["nodeName"],
        field_path="spec.containers{server}",
    )


# --- 3. incident-pending-pvc -----------------------------------------------------------------


def incident_pending_pvc() -> Cluster:
    """Claims that cannot bind or attach, on a 6-node cluster with a healthy background."""
    cl = Cluster("incident-pending-pvc")
    P.nodes(cl, cpu=3, gpu=3)
    P.namespaces(
        cl, ["default", "kube-system", "ingress-nginx", "monitoring", "ml-training", "ml-serving"]
    )
    # fast-ssd here is served by the EBS CSI driver directly, with Immediate binding.
    P.storage(cl, fast_ssd=EBS, fast_binding="Immediate")
    P.default_namespace(cl)
    P.kube_system(cl)
    P.ingress_nginx(cl)
    P.monitoring(cl)
    P.model_server(cl, "sentiment", replicas=2, latency="5s")
    P.model_server(cl, "translation", replicas=2, latency="90s", gpu=True)
    P.model_server(cl, "embedding", replicas=2)
    P.model_store(cl)
    P.seed_ingress(cl)
    P.training_config(cl)
    _rox_dataset(cl)
    _missing_class(cl)
    _chat_weights_cache(cl)
    _unused_wffc(cl)
    _multi_attach(cl)
    _released_volume(cl)
    _emptydir_checkpoints(cl)
    return cl


def _provisioner_component(cl: Cluster) -> str:
    ctrl = next(
        o["metadata"]["name"]
        for o in cl.objects
        if o["kind"] == "Pod" and o["metadata"]["name"].startswith("ebs-csi-controller")
    )
    return f"{EBS}_{ctrl}_{uuid.uuid5(uuid.NAMESPACE_URL, ctrl)}"


def _rox_dataset(cl: Cluster) -> None:
    """ROX on a block (EBS) class: provisioning fails; the pod using it is unschedulable."""
    ns = "ml-training"
    claim, _ = pvc(
        cl,
        ns,
        "imagenet-dataset",
        sc="fast-ssd",
        size="500Gi",
        modes=["ReadOnlyMany"],
        bound=False,
        age=47,
    )
    event(
        cl,
        claim,
        "ExternalProvisioning",
        "Waiting for a volume to be created either by the external provisioner "
        f"'{EBS}' or manually by the system administrator. If volume creation is delayed, "
        "please verify that the provisioner is running and correctly registered.",
        count=188,
        first=47,
        last=0.3,
        component="persistentvolume-controller",
    )
    comp = _provisioner_component(cl)
    event(
        cl,
        claim,
        "Provisioning",
        f'External provisioner is provisioning volume for claim "{ns}/imagenet-dataset"',
        count=23,
        first=47,
        last=1,
        component=comp,
    )
    event(
        cl,
        claim,
        "ProvisioningFailed",
        'failed to provision volume with StorageClass "fast-ssd": rpc error: code = '
        "InvalidArgument desc = Volume capabilities MULTI_NODE_READER_ONLY not supported. "
        "Only AccessModes[ReadWriteOnce] supported.",
        type_="Warning",
        count=23,
        first=47,
        last=1,
        component=comp,
    )
    pods = job(
        cl,
        ns,
        "resnet-train",
        labels={"app": "trainer", "model": "resnet50"},
        pool="gpu",
        age=45,
        states=[
            PodState(
                "pending",
                message="0/6 nodes are available: pod has unbound immediate "
                "PersistentVolumeClaims. preemption: 0/6 nodes are available: "
                "6 Preemption is not helpful for scheduling.",
            )
        ],
        containers=[
            trainer(
                args=["python", "train.py", "--config=/config/train.yaml"],
                mounts=[
                    mount("dataset", "/data", True),
                    mount("config", "/config", True),
                    mount("dshm", "/dev/shm"),
                ],
            )
        ],
        volumes=[
            claim_volume("dataset", "imagenet-dataset", read_only=True),
            {"emptyDir": {"medium": "Memory", "sizeLimit": "64Gi"}, "name": "dshm"},
            {"configMap": {"defaultMode": 420, "name": "training-config"}, "name": "config"},
        ],
    )
    event(
        cl,
        pods[0],
        "FailedScheduling",
        pods[0]["status"]["conditions"][0]["message"],
        type_="Warning",
        count=12,
        first=45,
        last=4,
        component="default-scheduler",
    )


def _missing_class(cl: Cluster) -> None:
    claim, _ = pvc(
        cl,
        "ml-training",
        "feature-cache",
        sc="premium-nvme",
        size="200Gi",
        modes=["ReadWriteOnce"],
        bound=False,
        age=60 * 5,
    )
    event(
        cl,
        claim,
        "ProvisioningFailed",
        'storageclass.storage.k8s.io "premium-nvme" not found',
        type_="Warning",
        count=1210,
        first=60 * 5,
        last=0.4,
        component="persistentvolume-controller",
    )


def _chat_weights_cache(cl: Cluster) -> None:
    """A model server whose weights cache is a claim on the missing class: its pod is Pending."""
    ns = "ml-serving"
    claim, _ = pvc(
        cl,
        ns,
        "llm-weights-cache",
        sc="premium-nvme",
        size="300Gi",
        modes=["ReadWriteOnce"],
        bound=False,
        age=38,
    )
    event(
        cl,
        claim,
        "ProvisioningFailed",
        'storageclass.storage.k8s.io "premium-nvme" not found',
        type_="Warning",
        count=152,
        first=38,
        last=0.2,
        component="persistentvolume-controller",
    )
    (chat,), _ = P.model_server(
        cl,
        "llm-chat",
        name="llm-chat",
        svc_name="llm-chat-svc",
        replicas=1,
        gpu=True,
        latency="120s",
        image=P.VLLM,
        args=[
            "--model=meta-llama/Llama-3.1-8B-Instruct",
            "--port=8080",
            "--download-dir=/var/cache/models",
        ],
        cache_claim="llm-weights-cache",
        states=[
            PodState(
                "pending",
                # a claim whose class does not exist is an immediate-binding claim to the scheduler
                message="0/6 nodes are available: pod has unbound immediate "
                "PersistentVolumeClaims. preemption: 0/6 nodes are available: "
                "6 Preemption is not helpful for scheduling.",
            )
        ],
    )
    event(
        cl,
        chat,
        "FailedScheduling",
        chat["status"]["conditions"][0]["message"],
        type_="Warning",
        count=9,
        first=37,
        last=2,
        component="default-scheduler",
    )
    P.tls_secret(cl, ns, "chat-api-tls")
    ingress(
        cl,
        ns,
        "chat-api",
        tls=[(["chat.ml.example.com"], "chat-api-tls")],
        rules=[("chat.ml.example.com", [("/", "llm-chat-svc", 80)])],
        annotations={NGINX + "proxy-read-timeout": "300"},
    )


def _unused_wffc(cl: Cluster) -> None:
    claim, _ = pvc(
        cl,
        "ml-training",
        "eval-scratch",
        sc="gp3",
        size="100Gi",
        modes=["ReadWriteOnce"],
        bound=False,
        age=60 * 26,
    )
    event(
        cl,
        claim,
        "WaitForFirstConsumer",
        "waiting for first consumer to be created before binding",
        count=104,
        first=58,
        last=0.5,
        component="persistentvolume-controller",
    )


def _multi_attach(cl: Cluster) -> None:
    """RWO checkpoint-pvc used by trainer-0 and by an eval pod on another node (same zone)."""
    ns = "ml-training"
    gpu_a = next(n for n in cl.nodes if n.pool == "gpu" and n.zone == "eu-west-1a")
    cpu_a = next(n for n in cl.nodes if n.pool == "cpu" and n.zone == "eu-west-1a")
    _, volume = pvc(
        cl,
        ns,
        "checkpoint-pvc",
        sc="gp3",
        size="100Gi",
        modes=["ReadWriteOnce"],
        node_=gpu_a,
        age=60 * 24 * 2,
    )
    assert volume is not None
    ckpt = [claim_volume("checkpoints", "checkpoint-pvc")]
    trainer_labels = {"app": "trainer", "model": "bert-large"}
    service(
        cl, ns, "trainer", selector=trainer_labels, headless=True, ports=[("dist", 29500, "dist")]
    )
    statefulset(
        cl,
        ns,
        "trainer",
        labels=trainer_labels,
        replicas=1,
        service_name="trainer",
        nodes=[gpu_a],
        age=60 * 24 * 2,
        containers=[
            trainer(
                args=["python", "pretrain.py", "--save-dir=/checkpoints"],
                mounts=[mount("checkpoints", "/checkpoints")],
                ports=[("dist", 29500)],
            )
        ],
        volumes=ckpt,
    )
    (evalpod,) = deployment(
        cl,
        ns,
        "checkpoint-eval",
        labels={"app": "checkpoint-eval"},
        replicas=1,
        nodes=[cpu_a],
        age=22,
        states=[PodState("creating")],
        containers=[
            container(
                "eval",
                "myregistry/evaluator:v2.1.0",
                args=["python", "eval.py", "--watch=/checkpoints"],
                cpu="2",
                memory="8Gi",
                mounts=[mount("checkpoints", "/checkpoints", True)],
            )
        ],
        volumes=ckpt,
    )
    pv_name = volume["metadata"]["name"]
    event(
        cl,
        evalpod,
        "Scheduled",
        f"Successfully assigned {ns}/{evalpod['metadata']['name']} to {cpu_a.name}",
        first=22,
        component="default-scheduler",
    )
    event(
        cl,
        evalpod,
        "FailedAttachVolume",
        f'Multi-Attach error for volume "{pv_name}" Volume is already used by pod(s) trainer-0',
        type_="Warning",
        count=1,
        first=22,
        component="attachdetach-controller",
    )
    api_vol = evalpod["spec"]["volumes"][-1]["name"]
    event(
        cl,
        evalpod,
        "FailedMount",
        "Unable to attach or mount volumes: unmounted volumes=[checkpoints], unattached "
        f"volumes=[checkpoints {api_vol}]: timed out waiting for the condition",
        type_="Warning",
        count=10,
        first=20,
        last=0.7,
        component="kubelet",
        host=cpu_a.name,
    )


def _released_volume(cl: Cluster) -> None:
    """A Retain-class volume whose claim was deleted: Released, still costing money."""
    gone_uid = cl.uid("PersistentVolumeClaim", "ml-training", "old-experiment-ckpt")
    pv(
        cl,
        f"pvc-{gone_uid}",
        sc="fast-ssd",
        size="250Gi",
        modes=["ReadWriteOnce"],
        provisioner=EBS,
        zone="eu-west-1b",
        phase="Released",
        age=60 * 24 * 41,
        claim_ref={
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "name": "old-experiment-ckpt",
            "namespace": "ml-training",
            "resourceVersion": "31877402",
            "uid": gone_uid,
        },
    )


def _emptydir_checkpoints(cl: Cluster) -> Obj:
    """Checkpoints to an emptyDir: lost when the pod goes."""
    (p,) = job(
        cl,
        "ml-training",
        "bert-finetune",
        labels={"app": "finetune", "model": "bert-base"},
        pool="gpu",
        age=60 * 3,
        containers=[
            trainer(
                gpu=1,
                args=["python", "finetune.py", "--output-dir=/checkpoints"],
                mounts=[mount("checkpoints", "/checkpoints"), mount("config", "/config", True)],
            )
        ],
        volumes=[
            {"emptyDir": {}, "name": "checkpoints"},
            {"configMap": {"defaultMode": 420, "name": "training-config"}, "name": "config"},
        ],
    )
    return p
