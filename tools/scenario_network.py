"""Scenarios 4 and 5: netpol-lockdown (NetworkPolicy traps) and ml-gateway (the seed's model
APIs through Gateway API, with route problems)."""

from __future__ import annotations

import demo_platform as P
from demo_kit import Cluster, Obj, metadata
from demo_net import LB_HOST, configmap, event, netpol, service
from demo_platform import DNS_PEER, DNS_PORTS, trainer
from demo_workloads import PodState, container, deployment, job, mount

# --- 4. netpol-lockdown ----------------------------------------------------------------------


def netpol_lockdown() -> Cluster:
    cl = Cluster("netpol-lockdown")
    P.nodes(cl, cpu=3, gpu=3)
    P.namespaces(
        cl, ["default", "kube-system", "ingress-nginx", "monitoring", "ml-training", "ml-serving"]
    )
    P.storage(cl)
    P.default_namespace(cl)
    P.kube_system(cl)
    P.ingress_nginx(cl)
    P.monitoring(cl)  # node-exporter runs with hostNetwork: true
    _lockdown_training(cl)
    _lockdown_serving(cl)
    return cl


def _lockdown_training(cl: Cluster) -> None:
    ns = "ml-training"
    P.training_config(cl)
    service(
        cl,
        ns,
        "resnet-train",
        selector={"batch.kubernetes.io/job-name": "resnet-train"},
        headless=True,
        ports=[("dist", 29500, "dist")],
        age=60 * 2,
    )
    pods = job(
        cl,
        ns,
        "resnet-train",
        labels={"app": "trainer", "model": "resnet50"},
        completions=3,
        indexed=True,
        pool="gpu",
        age=60 * 2,
        states=[
            PodState(),
            PodState(),
            PodState(
                "pending",
                message="0/6 nodes are available: 6 Insufficient nvidia.com/gpu. preemption: "
                "0/6 nodes are available: 6 No preemption victims found for incoming pod.",
            ),
        ],
        containers=[
            trainer(
                args=["torchrun", "--nnodes=3", "train.py"],
                ports=[("dist", 29500)],
                mounts=[mount("config", "/config", True)],
            )
        ],
        volumes=[{"configMap": {"defaultMode": 420, "name": "training-config"}, "name": "config"}],
    )
    event(
        cl,
        pods[2],
        "FailedScheduling",
        pods[2]["status"]["conditions"][0]["message"],
        type_="Warning",
        count=9,
        first=60 * 2,
        last=3,
        component="default-scheduler",
    )
    loader = {"app": "data-loader"}
    deployment(
        cl,
        ns,
        "data-loader",
        labels=loader,
        replicas=2,
        containers=[
            container(
                "loader",
                "myregistry/data-loader:v1.2.0",
                ports=[("http", 8080)],
                probe=("/healthz", "http"),
            )
        ],
    )
    service(cl, ns, "data-loader", selector=loader, ports=[("http", 80, "http")])
    deployment(
        cl,
        ns,
        "notebook",
        labels={"app": "jupyter"},
        replicas=1,
        containers=[
            container(
                "notebook", "quay.io/jupyter/pytorch-notebook:2024-11-19", ports=[("http", 8888)]
            )
        ],
    )
    for name, spec in {
        "default-deny-all": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
        "allow-dns-egress": {
            "podSelector": {"matchLabels": {"app": "trainer"}},
            "policyTypes": ["Egress"],
            "egress": [{"to": [DNS_PEER], "ports": DNS_PORTS}],
        },
        "allow-trainer-peers": {
            "podSelector": {"matchLabels": {"app": "trainer"}},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [
                {
                    "from": [{"podSelector": {"matchLabels": {"app": "trainer"}}}],
                    "ports": [{"port": 29500, "protocol": "TCP"}],
                }
            ],
            "egress": [
                {
                    "to": [{"podSelector": {"matchLabels": {"app": "trainer"}}}],
                    "ports": [{"port": 29500, "protocol": "TCP"}],
                }
            ],
        },
        "allow-s3-egress": {
            "podSelector": {"matchLabels": {"app": "trainer"}},
            "policyTypes": ["Egress"],
            "egress": [
                {
                    "to": [
                        {
                            "ipBlock": {
                                "cidr": "0.0.0.0/0",
                                "except": ["10.0.0.0/8", "172.16.0.0/12", "169.254.169.254/32"],
                            }
                        }
                    ],
                    "ports": [{"port": 443, "protocol": "TCP"}],
                }
            ],
        },
        "allow-store-egress": {
            "podSelector": {"matchLabels": {"app": "trainer"}},
            "policyTypes": ["Egress"],
            "egress": [
                {
                    "to": [
                        {
                            "namespaceSelector": {"matchLabels": {"team": "ml"}},
                            "podSelector": {"matchLabels": {"role": "model-store"}},
                        }
                    ],
                    "ports": [{"port": 9000, "protocol": "TCP"}],
                }
            ],
        },
        # Selects no pod: nothing is labelled app: legacy-batch any more.
        "legacy-batch-deny": {
            "podSelector": {"matchLabels": {"app": "legacy-batch"}},
            "policyTypes": ["Ingress"],
        },
    }.items():
        netpol(cl, ns, name, spec)


def _lockdown_serving(cl: Cluster) -> None:
    ns = "ml-serving"
    P.model_server(cl, "sentiment", replicas=2, latency="5s")
    P.model_server(cl, "translation", replicas=2, latency="90s", gpu=True, metrics=False)
    P.model_server(cl, "embedding", replicas=2)
    # Deployed from the vLLM chart's labels (app: vllm), not the platform's app: inference-server
    # that allow-inference-to-store and model-store-access select: denied the model store.
    P.model_server(
        cl,
        "code-assist",
        name="code-assist",
        svc_name="code-assist-svc",
        app="vllm",
        replicas=2,
        gpu=True,
        latency="60s",
        image=P.VLLM,
        args=[
            "--model=s3://models/qwen2.5-coder-7b",
            "--load-format=runai_streamer",
            "--port=8080",
        ],
    )
    P.model_store(cl)
    P.seed_ingress(cl)
    P.seed_store_policy(cl)
    # Ingress+Egress with no rules: blocks DNS and the ingress-nginx -> model path.
    netpol(cl, ns, "default-deny", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})
    netpol(
        cl,
        ns,
        "trainer-to-store",
        {
            "podSelector": {"matchLabels": {"role": "model-store"}},
            "policyTypes": ["Ingress"],
            "ingress": [
                {
                    # Two peers (OR), where one peer with both selectors (AND) was meant.
                    "from": [
                        {"namespaceSelector": {"matchLabels": {"team": "ml"}}},
                        {"podSelector": {"matchLabels": {"app": "trainer"}}},
                    ],
                    "ports": [{"port": 9000, "protocol": "TCP"}],
                }
            ],
        },
        annotations={
            "description": "Only trainer pods (app=trainer) in team=ml namespaces may read "
            "the model store on 9000."
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
                            },
                            "podSelector": {
                                "matchLabels": {"app.kubernetes.io/name": "prometheus"}
                            },
                        }
                    ],
                    # Named port: translation pods define no `metrics` port.
                    "ports": [{"port": "metrics", "protocol": "TCP"}],
                }
            ],
        },
    )
    netpol(
        cl,
        ns,
        "allow-inference-to-store",
        {
            "podSelector": {"matchLabels": {"app": "inference-server"}},
            "policyTypes": ["Egress"],
            "egress": [
                {
                    "to": [{"podSelector": {"matchLabels": {"role": "model-store"}}}],
                    "ports": [{"port": 9000, "protocol": "TCP"}],
                }
            ],
        },
    )


# --- 5. ml-gateway ---------------------------------------------------------------------------

GW_GROUP = "gateway.networking.k8s.io"
GW_API = f"{GW_GROUP}/v1"
GW_CONTROLLER = "gateway.envoyproxy.io/gatewayclass-controller"
GW_NS = "gateway-system"
EG_NS = "envoy-gateway-system"


def ml_gateway() -> Cluster:
    cl = Cluster("ml-gateway")
    P.nodes(cl, cpu=3, gpu=2)
    P.namespaces(
        cl,
        [
            "default",
            "kube-system",
            EG_NS,
            GW_NS,
            "ml-serving",
            "ml-research",
            "ml-experiments",
            "model-registry",
        ],
        extra={"ml-serving": {"gateway-access": "true"}, "ml-research": {"team": "research"}},
    )
    P.storage(cl)
    P.default_namespace(cl)
    P.kube_system(cl)
    _envoy_gateway(cl)
    P.model_server(cl, "sentiment", replicas=3, latency="5s")
    P.model_server(cl, "translation", replicas=3, latency="90s", gpu=True)
    P.model_server(cl, "translation-v2", replicas=1, latency="90s", gpu=True)
    P.model_server(cl, "embedding", replicas=2)
    P.model_server(cl, "embedding-v2", ns="ml-experiments", replicas=1, svc_name="embedding-v2-svc")
    P.model_server(
        cl,
        "llm-experimental",
        ns="ml-research",
        name="llm-experimental",
        replicas=1,
        svc_name="llm-experimental-svc",
        gpu=True,
    )
    reg = {"app": "model-registry"}
    deployment(
        cl,
        "model-registry",
        "model-registry",
        labels=reg,
        replicas=2,
        containers=[
            container(
                "registry",
                "ghcr.io/mlflow/mlflow:v2.18.0",
                ports=[("http", 8080)],
                args=["mlflow", "server", "--host=0.0.0.0", "--port=8080"],
                probe=("/health", "http"),
            )
        ],
    )
    service(cl, "model-registry", "model-registry-svc", selector=reg, ports=[("http", 80, "http")])
    _gateway_objects(cl)
    return cl


def _envoy_gateway(cl: Cluster) -> None:
    ctrl = {
        "app.kubernetes.io/instance": "eg",
        "app.kubernetes.io/name": "gateway-helm",
        "control-plane": "envoy-gateway",
    }
    deployment(
        cl,
        EG_NS,
        "envoy-gateway",
        labels=ctrl,
        replicas=1,
        containers=[
            container(
                "envoy-gateway",
                "docker.io/envoyproxy/gateway:v1.2.1",
                ports=[("grpc", 18000), ("ratelimit", 18001), ("wasm", 18002), ("metrics", 19001)],
                args=["server", "--config-path=/config/envoy-gateway.yaml"],
                probe=("/readyz", 8081),
                mounts=[mount("envoy-gateway-config", "/config", True)],
            )
        ],
        volumes=[
            {
                "configMap": {"defaultMode": 420, "name": "envoy-gateway-config"},
                "name": "envoy-gateway-config",
            }
        ],
    )
    service(
        cl,
        EG_NS,
        "envoy-gateway",
        selector=ctrl,
        ports=[
            ("grpc", 18000, 18000),
            ("ratelimit", 18001, 18001),
            ("wasm", 18002, 18002),
            ("metrics", 19001, 19001),
        ],
    )
    configmap(
        cl,
        EG_NS,
        "envoy-gateway-config",
        {
            "envoy-gateway.yaml": "apiVersion: gateway.envoyproxy.io/v1alpha1\n"
            "kind: EnvoyGateway\ngateway:\n  controllerName: " + GW_CONTROLLER + "\n"
            "provider:\n  type: Kubernetes\n"
        },
    )
    proxy = {
        "app.kubernetes.io/component": "proxy",
        "app.kubernetes.io/managed-by": "envoy-gateway",
        "app.kubernetes.io/name": "envoy",
        "gateway.envoyproxy.io/owning-gateway-name": "ml-gateway",
        "gateway.envoyproxy.io/owning-gateway-namespace": GW_NS,
    }
    name = "envoy-gateway-system-ml-gateway-5c7e9d2a"
    deployment(
        cl,
        EG_NS,
        name,
        labels=proxy,
        replicas=2,
        containers=[
            container(
                "envoy",
                "docker.io/envoyproxy/envoy:distroless-v1.32.1",
                ports=[("http-10080", 10080), ("https-10443", 10443), ("metrics", 19001)],
                cpu="100m",
                memory="512Mi",
                args=["--service-cluster", name, "--config-yaml", "$(ENVOY_BOOTSTRAP)"],
                probe=("/ready", 19003),
            )
        ],
    )
    service(
        cl,
        EG_NS,
        name,
        selector=proxy,
        type_="LoadBalancer",
        labels=proxy,
        ports=[("http-80", 80, 10080), ("https-443", 443, 10443)],
        annotations={"service.beta.kubernetes.io/aws-load-balancer-type": "nlb"},
    )


def _cond(type_: str, ok: bool, reason: str, message: str, gen: int = 1) -> Obj:
    return {
        "lastTransitionTime": "2026-11-27T04:12:31Z",
        "message": message,
        "observedGeneration": gen,
        "reason": reason,
        "status": "True" if ok else "False",
        "type": type_,
    }


def _parent(section: str | None) -> Obj:
    ref: Obj = {"group": GW_GROUP, "kind": "Gateway", "name": "ml-gateway", "namespace": GW_NS}
    if section:
        ref["sectionName"] = section
    return ref


def _backend(name: str, weight: int = 1, ns: str | None = None, port: int = 80) -> Obj:
    ref: Obj = {"group": "", "kind": "Service", "name": name}
    if ns:
        ref["namespace"] = ns
    ref["port"] = port
    ref["weight"] = weight
    return ref


def httproute(
    cl: Cluster,
    ns: str,
    name: str,
    *,
    section: str | None,
    rules: list[Obj],
    hostnames: list[str] | None = None,
    accepted: tuple[bool, str, str] = (True, "Accepted", "Route is accepted"),
    resolved: tuple[bool, str, str] = (
        True,
        "ResolvedRefs",
        "Resolved all the Object references for the Route",
    ),
) -> Obj:
    spec: Obj = {"parentRefs": [_parent(section)]}
    if hostnames:
        spec["hostnames"] = hostnames
    spec["rules"] = rules
    return cl.add(
        {
            "apiVersion": GW_API,
            "kind": "HTTPRoute",
            "metadata": metadata(cl, "HTTPRoute", name, ns, age=60 * 24 * 7),
            "spec": spec,
            "status": {
                "parents": [
                    {
                        "conditions": [
                            _cond("Accepted", *accepted),
                            _cond("ResolvedRefs", *resolved),
                        ],
                        "controllerName": GW_CONTROLLER,
                        "parentRef": _parent(section),
                    }
                ]
            },
        }
    )


def _rule(path: str, backends: list[Obj], timeout: str | None = None) -> Obj:
    rule: Obj = {
        "backendRefs": backends,
        "matches": [{"path": {"type": "PathPrefix", "value": path}}],
    }
    if timeout:
        rule["timeouts"] = {"request": timeout}
    return rule


def _gateway_objects(cl: Cluster) -> None:
    cl.add(
        {
            "apiVersion": GW_API,
            "kind": "GatewayClass",
            "metadata": metadata(cl, "GatewayClass", "envoy", age=60 * 24 * 60),
            "spec": {"controllerName": GW_CONTROLLER},
            "status": {"conditions": [_cond("Accepted", True, "Accepted", "Valid GatewayClass")]},
        }
    )
    P.tls_secret(cl, GW_NS, "ml-api-tls")
    kinds = [{"group": GW_GROUP, "kind": "HTTPRoute"}, {"group": GW_GROUP, "kind": "GRPCRoute"}]
    listener_ok = [
        _cond(
            "Programmed",
            True,
            "Programmed",
            "Sending translated listener configuration to the data plane",
        ),
        _cond("Accepted", True, "Accepted", "Listener is accepted"),
        _cond("ResolvedRefs", True, "ResolvedRefs", "Listener references have been resolved"),
    ]
    cl.add(
        {
            "apiVersion": GW_API,
            "kind": "Gateway",
            "metadata": metadata(cl, "Gateway", "ml-gateway", GW_NS, age=60 * 24 * 30),
            "spec": {
                "gatewayClassName": "envoy",
                "listeners": [
                    {
                        "allowedRoutes": {
                            "namespaces": {
                                "from": "Selector",
                                "selector": {"matchLabels": {"gateway-access": "true"}},
                            }
                        },
                        "hostname": P.ML_HOST,
                        "name": "https",
                        "port": 443,
                        "protocol": "HTTPS",
                        "tls": {
                            "certificateRefs": [
                                {"group": "", "kind": "Secret", "name": "ml-api-tls"}
                            ],
                            "mode": "Terminate",
                        },
                    },
                    {
                        "allowedRoutes": {"namespaces": {"from": "Same"}},
                        "name": "http",
                        "port": 80,
                        "protocol": "HTTP",
                    },
                ],
            },
            "status": {
                "addresses": [{"type": "Hostname", "value": LB_HOST}],
                "conditions": [
                    _cond(
                        "Accepted",
                        True,
                        "Accepted",
                        "The Gateway has been scheduled by Envoy Gateway",
                    ),
                    _cond(
                        "Programmed",
                        True,
                        "Programmed",
                        "Address assigned to the Gateway, 2/2 envoy Deployment replicas available",
                    ),
                ],
                "listeners": [
                    {
                        "attachedRoutes": 4,
                        "conditions": listener_ok,
                        "name": "https",
                        "supportedKinds": kinds,
                    },
                    {
                        "attachedRoutes": 1,
                        "conditions": listener_ok,
                        "name": "http",
                        "supportedKinds": kinds,
                    },
                ],
            },
        }
    )
    httproute(
        cl,
        GW_NS,
        "https-redirect",
        section="http",
        rules=[
            {
                "filters": [
                    {
                        "requestRedirect": {"scheme": "https", "statusCode": 301},
                        "type": "RequestRedirect",
                    }
                ]
            }
        ],
    )
    host = [P.ML_HOST]
    httproute(
        cl,
        "ml-serving",
        "sentiment-route",
        section="https",
        hostnames=host,
        rules=[_rule("/v1/sentiment", [_backend("sentiment-model-svc")], "10s")],
    )
    # Too short: translation-model-svc declares a 90 s latency budget.
    httproute(
        cl,
        "ml-serving",
        "translation-route",
        section="https",
        hostnames=host,
        rules=[
            _rule(
                "/v1/translate",
                [_backend("translation-model-svc", 90), _backend("translation-v2-model-svc", 10)],
                "30s",
            )
        ],
    )
    # Cross-namespace backend without a ReferenceGrant in ml-experiments.
    httproute(
        cl,
        "ml-serving",
        "embeddings-route",
        section="https",
        hostnames=host,
        rules=[
            _rule(
                "/v1/embeddings",
                [
                    _backend("embedding-model-svc", 90),
                    _backend("embedding-v2-svc", 10, "ml-experiments"),
                ],
                "15s",
            )
        ],
        resolved=(
            False,
            "RefNotPermitted",
            "Backend ref to Service ml-experiments/embedding-v2-svc"
            " not permitted by any ReferenceGrant.",
        ),
    )
    # Cross-namespace backend allowed by the ReferenceGrant below.
    httproute(
        cl,
        "ml-serving",
        "models-route",
        section="https",
        hostnames=host,
        rules=[_rule("/v1/models", [_backend("model-registry-svc", ns="model-registry")], "10s")],
    )
    cl.add(
        {
            "apiVersion": f"{GW_GROUP}/v1beta1",
            "kind": "ReferenceGrant",
            "metadata": metadata(
                cl, "ReferenceGrant", "allow-ml-serving-routes", "model-registry", age=60 * 24 * 7
            ),
            "spec": {
                "from": [{"group": GW_GROUP, "kind": "HTTPRoute", "namespace": "ml-serving"}],
                "to": [{"group": "", "kind": "Service"}],
            },
        }
    )
    # ml-research is not labelled gateway-access=true, and http only takes gateway-system.
    httproute(
        cl,
        "ml-research",
        "experimental-route",
        section=None,
        hostnames=host,
        rules=[_rule("/v1/experimental", [_backend("llm-experimental-svc")], "120s")],
        accepted=(
            False,
            "NotAllowedByListeners",
            "No listeners included by this parent ref allowed this attachment.",
        ),
    )
