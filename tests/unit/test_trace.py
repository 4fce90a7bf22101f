"""trace on small dict clusters: every status it predicts fires, and a near miss does not."""

from __future__ import annotations

from typing import Any

import pytest

from mlview.analysis.trace import OptionError, normalise_url, parse_latency, parse_size, trace
from mlview.store import StoreView

NGINX = "nginx.ingress.kubernetes.io/"
AWS = "service.beta.kubernetes.io/aws-load-balancer-"
HOST = "api.example.com"
Obj = dict[str, Any]


def pod(ns: str, name: str, labels: dict, ready: bool = True, ports=(("http", 8080),), **st) -> Obj:
    status: Obj = {
        "phase": st.pop("phase", "Running"),
        "podIP": st.pop("ip", f"10.0.{len(name)}.{sum(map(ord, name)) % 250}"),
        "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
        **st,
    }
    if status["podIP"] is None:
        del status["podIP"]
    return {
        "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": labels},
        "spec": {
            "containers": [
                {"name": "c", "ports": [{"name": n, "containerPort": p} for n, p in ports]}
            ]
        },
        "status": status,
    }


def service(ns: str, name: str, selector: dict, ann: dict | None = None, **spec) -> Obj:
    return {
        "kind": "Service",
        "metadata": {"name": name, "namespace": ns, "annotations": ann or {}},
        "spec": {
            "selector": selector,
            "ports": [{"name": "http", "port": 80, "targetPort": "http"}],
            **spec,
        },
    }


def endpoint_slice(ns: str, svc: str, pods: list[Obj]) -> Obj:
    return {
        "kind": "EndpointSlice",
        "metadata": {
            "name": f"{svc}-x",
            "namespace": ns,
            "labels": {"kubernetes.io/service-name": svc},
        },
        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
        "endpoints": [
            {
                "addresses": [p["status"]["podIP"]],
                "conditions": {"ready": p["status"]["conditions"][0]["status"] == "True"},
                "targetRef": {"kind": "Pod", "name": p["metadata"]["name"]},
            }
            for p in pods
            if p["status"].get("podIP")
        ],
    }


def ingress(paths: list[tuple[str, str, str]], ann: dict | None = None, tls: bool = True) -> Obj:
    spec: Obj = {
        "ingressClassName": "nginx",
        "rules": [
            {
                "host": HOST,
                "http": {
                    "paths": [
                        {
                            "path": p,
                            "pathType": t,
                            "backend": {"service": {"name": s, "port": {"number": 80}}},
                        }
                        for p, t, s in paths
                    ]
                },
            }
        ],
    }
    if tls:
        spec["tls"] = [{"hosts": [HOST], "secretName": "api-tls"}]
    return {
        "kind": "Ingress",
        "metadata": {"name": "api", "namespace": "ml", "annotations": ann or {}},
        "spec": spec,
    }


def netpol(name: str, spec: Obj) -> Obj:
    return {"kind": "NetworkPolicy", "metadata": {"name": name, "namespace": "ml"}, "spec": spec}


DENY = netpol("default-deny", {"podSelector": {}, "policyTypes": ["Ingress"]})
ALLOW_NGINX = netpol(
    "allow-nginx",
    {
        "podSelector": {},
        "policyTypes": ["Ingress"],
        "ingress": [
            {
                "from": [
                    {
                        "namespaceSelector": {
                            "matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}
                        }
                    }
                ]
            }
        ],
    },
)


def cluster(
    *extra: Obj,
    paths=(("/v1/translate", "Prefix", "model-svc"),),
    ing_ann: dict | None = None,
    cm: dict | None = None,
    lb_ann: dict | None = None,
    latency: str | None = "5s",
    model_ready: bool = True,
    tls: bool = True,
    drop: tuple[str, ...] = (),
) -> list[Obj]:
    ctrl_labels = {"app": "ingress-nginx"}
    ctrl_pod = pod("ingress-nginx", "ctrl-1", ctrl_labels, ports=(("http", 80),))
    model = pod("ml", "model-1", {"app": "model"}, ready=model_ready)
    if not model_ready:
        model["status"]["containerStatuses"] = [
            {
                "name": "c",
                "ready": False,
                "restartCount": 7,
                "state": {"waiting": {"reason": "CrashLoopBackOff"}},
            }
        ]
    objs = [
        {"kind": "Node", "metadata": {"name": "n1"}, "spec": {"providerID": "aws:///eu-1a/i-1"}},
        {"kind": "Namespace", "metadata": {"name": "ml", "labels": {}}},
        {
            "kind": "Namespace",
            "metadata": {
                "name": "ingress-nginx",
                "labels": {"kubernetes.io/metadata.name": "ingress-nginx"},
            },
        },
        {
            "kind": "IngressClass",
            "metadata": {"name": "nginx"},
            "spec": {"controller": "k8s.io/ingress-nginx"},
        },
        {
            "kind": "Deployment",
            "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx"},
            "spec": {
                "selector": {"matchLabels": ctrl_labels},
                "template": {
                    "metadata": {"labels": ctrl_labels},
                    "spec": {
                        "containers": [
                            {
                                "name": "controller",
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
        ctrl_pod,
        {
            "kind": "ConfigMap",
            "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx"},
            "data": cm or {},
        },
        service(
            "ingress-nginx",
            "ingress-nginx-controller",
            ctrl_labels,
            lb_ann if lb_ann is not None else {AWS + "type": "nlb"},
            type="LoadBalancer",
        ),
        service(
            "ml",
            "model-svc",
            {"app": "model"},
            {"mlview.io/expected-latency": latency} if latency else {},
        ),
        model,
        endpoint_slice("ml", "model-svc", [model]),
        {"kind": "Secret", "metadata": {"name": "api-tls", "namespace": "ml"}},
        ingress(list(paths), ing_ann, tls),
        *extra,
    ]
    return [o for o in objs if f"{o['kind']}/{o['metadata']['name']}" not in drop]


def run(objs: list[Obj], url: str = f"https://{HOST}/v1/translate", **kw):
    listed = {o["kind"] for o in objs} | {"Pod", "Service", "EndpointSlice", "Secret"}
    return trace(StoreView.from_objects(objs, listed_kinds=listed), url, **kw)


def step(t, name: str):
    return next(s for s in t.steps if s.step == name)


# ---- the healthy path -------------------------------------------------------------------


def test_healthy_path_is_200_with_steps_in_request_order():
    t = run(cluster())
    assert t.status == 200
    assert [s.step for s in t.steps] == [
        "route",
        "tls",
        "settings",
        "body-size",
        "backend",
        "endpoints",
        "network-policy",
        "timeouts",
    ]
    assert {s.verdict for s in t.steps} <= {"ok", "skipped"}
    assert step(t, "network-policy").verdict == "ok"
    assert t.to_json()["status"] == 200 and t.to_json()["verdict_reason"]


# ---- 404: route matching ----------------------------------------------------------------


@pytest.mark.parametrize(
    "paths, path, status, service",
    [
        ([("/v1", "Prefix", "model-svc")], "/v1/translate", 200, "model-svc"),
        ([("/v1", "Prefix", "model-svc")], "/v1", 200, "model-svc"),
        ([("/v1", "Prefix", "model-svc")], "/v1x", 404, None),  # Prefix is per path element
        ([("/v1/translate", "Exact", "model-svc")], "/v1/translate/", 404, None),
        ([("/v1/translate", "Exact", "model-svc")], "/v1/translate", 200, "model-svc"),
        # longest match wins
        (
            [("/", "Prefix", "other"), ("/v1/translate", "Prefix", "model-svc")],
            "/v1/translate/x",
            200,
            "model-svc",
        ),
    ],
)
def test_route_matching(paths, path, status, service):
    t = run(cluster(paths=paths), f"https://{HOST}{path}", latency=1.0)
    assert t.status == status, t.lines()
    if service:
        assert step(t, "backend").refs[0].name == service


def test_regex_mode_when_use_regex_is_set():
    paths = [("/v1/trans.*", "ImplementationSpecific", "model-svc")]
    plain = run(cluster(paths=paths), f"https://{HOST}/v1/translate")
    regex = run(
        cluster(paths=paths, ing_ann={NGINX + "use-regex": "true"}), f"https://{HOST}/v1/translate"
    )
    assert plain.status == 404 and regex.status == 200


def test_unknown_host_is_404_from_the_default_backend():
    t = run(cluster(), "https://nowhere.example.com/v1/translate")
    assert t.status == 404 and len(t.steps) == 1
    assert "default backend" in t.steps[0].detail


# ---- TLS ------------------------------------------------------------------------------


def test_http_is_redirected_then_traced_as_https():
    t = run(cluster(), f"{HOST}/v1/translate")  # no scheme: http
    tls = step(t, "tls")
    assert tls.status == 308 and tls.verdict == "ok" and t.status == 200


@pytest.mark.parametrize(
    "drop, tls, verdict",
    [((), True, "ok"), (("Secret/api-tls",), True, "warning"), ((), False, "warning")],
)
def test_tls_secret_and_coverage(drop, tls, verdict):
    t = run(cluster(drop=drop, tls=tls))
    assert step(t, "tls").verdict == verdict
    assert t.status == 200  # a certificate problem is not an HTTP status


# ---- 413 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ing_ann, cm, body, status",
    [
        (None, None, 2 * 1024**2, 413),  # default 1m
        (None, None, 512 * 1024, 200),
        (None, {"proxy-body-size": "8m"}, 5 * 1024**2, 200),  # the ConfigMap raises it
        ({NGINX + "proxy-body-size": "50 MB"}, None, 5 * 1024**2, 413),  # invalid: ignored
        ({NGINX + "proxy-body-size": "0"}, None, 10 * 1024**3, 200),  # 0: no limit
    ],
)
def test_body_size(ing_ann, cm, body, status):
    t = run(cluster(ing_ann=ing_ann, cm=cm), body=body)
    assert t.status == status, t.lines()
    if status == 413:
        assert t.deciding.step == "body-size"


# ---- 503 --------------------------------------------------------------------------------


def test_missing_service_is_503():
    t = run(cluster(paths=[("/v1/translate", "Prefix", "gone-svc")]))
    assert t.status == 503 and t.deciding.step == "backend"
    assert "gone-svc does not exist" in t.deciding.detail


def test_missing_service_port_is_503():
    objs = cluster()
    svc = next(o for o in objs if o["metadata"]["name"] == "model-svc" and o["kind"] == "Service")
    svc["spec"]["ports"][0]["port"] = 8000
    t = run(objs)
    assert t.status == 503 and "no port 80" in t.deciding.detail


def test_no_ready_endpoints_is_503_with_pod_reasons():
    t = run(cluster(model_ready=False))
    assert t.status == 503 and t.deciding.step == "endpoints"
    assert any("CrashLoopBackOff" in line and "7 restarts" in line for line in t.deciding.lines)
    assert any(r.kind == "Pod" and r.name == "model-1" for r in t.deciding.refs)


def test_pending_on_a_claim_links_the_storage_finding():
    objs = cluster(drop=("Pod/model-1", "EndpointSlice/model-svc-x"))
    waiting = pod("ml", "model-1", {"app": "model"}, ready=False, phase="Pending", ip=None)
    waiting["spec"]["volumes"] = [{"name": "w", "persistentVolumeClaim": {"claimName": "weights"}}]
    claim = {
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "weights", "namespace": "ml"},
        "spec": {"storageClassName": "no-such-class", "accessModes": ["ReadWriteOnce"]},
        "status": {"phase": "Pending"},
    }
    sc = {"kind": "StorageClass", "metadata": {"name": "gp3"}, "provisioner": "ebs.csi.aws.com"}
    empty = endpoint_slice("ml", "model-svc", [])
    t = run([*objs, waiting, claim, sc, empty])
    assert t.status == 503
    text = "\n".join(t.deciding.lines)
    assert "Pending" in text and "pod-waiting-on-pvc" in text and "weights" in text


def test_endpoints_not_listed_are_skipped_not_failing():
    objs = cluster(drop=("EndpointSlice/model-svc-x",))
    listed = {o["kind"] for o in objs}  # no EndpointSlice, no Endpoints
    t = trace(StoreView.from_objects(objs, listed_kinds=listed), f"https://{HOST}/v1/translate")
    assert step(t, "endpoints").verdict == "skipped" and t.status == 200


# ---- 504: timeouts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "ing_ann, lb_ann, method, latency, status, cutter",
    [
        # the default 60 s read timeout, POST (no retry)
        (None, None, "POST", None, 504, "proxy-read-timeout"),
        # raised read timeout, but a Classic ELB (no type annotation) idles out at 60 s
        ({NGINX + "proxy-read-timeout": "120"}, {}, "POST", None, 504, "Classic ELB"),
        # ... and the ELB's idle timeout raised too: fits
        (
            {NGINX + "proxy-read-timeout": "120"},
            {AWS + "connection-idle-timeout": "300"},
            "POST",
            None,
            200,
            None,
        ),
        # a 5 s request fits the defaults
        (None, None, "POST", 5.0, 200, None),
        # GET is retried: still a 504, after 3 attempts
        (None, None, "GET", None, 504, "proxy-read-timeout"),
    ],
)
def test_timeout_budget(ing_ann, lb_ann, method, latency, status, cutter):
    objs = cluster(ing_ann=ing_ann, lb_ann=lb_ann, latency="90s")
    t = run(objs, method=method, latency=latency)
    assert t.status == status, t.lines()
    if cutter:
        assert t.deciding.step == "timeouts" and cutter in t.deciding.detail


def test_get_retries_are_counted_and_named():
    extra = [pod("ml", "model-2", {"app": "model"}), pod("ml", "model-3", {"app": "model"})]
    objs = cluster(*extra, drop=("EndpointSlice/model-svc-x",), latency="90s")
    objs.append(
        endpoint_slice(
            "ml",
            "model-svc",
            [o for o in objs if o["kind"] == "Pod" and o["metadata"]["namespace"] == "ml"],
        )
    )
    t = run(objs, method="GET")
    assert t.status == 504 and "answering after 180s" in t.deciding.detail


def test_retry_note_says_how_many_endpoints_are_ready_even_when_none_is():
    t = run(cluster(model_ready=False, latency="90s"), method="GET")
    notes = "\n".join(step(t, "timeouts").lines)
    assert "proxy-next-upstream-tries 3, 0 ready endpoint(s)" in notes, notes


def test_nlb_ignores_the_classic_idle_annotation():
    ann = {AWS + "type": "nlb", AWS + "connection-idle-timeout": "60"}
    objs = cluster(ing_ann={NGINX + "proxy-read-timeout": "120"}, lb_ann=ann, latency="90s")
    t = run(objs, method="POST")
    assert t.status == 200
    assert any("Classic ELBs only" in line for line in step(t, "timeouts").lines)


def test_no_latency_known_skips_the_verdict():
    t = run(cluster(latency=None))
    assert step(t, "timeouts").verdict == "skipped" and t.status == 200


# ---- 504: NetworkPolicy -----------------------------------------------------------------


@pytest.mark.parametrize(
    "policies, verdict, status",
    [((), "ok", 200), ((DENY,), "failing", 504), ((DENY, ALLOW_NGINX), "ok", 200)],
)
def test_network_policy(policies, verdict, status):
    t = run(cluster(*policies), latency=1.0)
    np = step(t, "network-policy")
    assert (np.verdict, t.status) == (verdict, status), t.lines()
    if verdict == "failing":
        assert any(r.kind == "NetworkPolicy" and r.name == "default-deny" for r in np.refs)
        assert any("DENIES" in line for line in np.lines)


def test_network_policy_skipped_without_controller_pods():
    t = run(cluster(drop=("Pod/ctrl-1",)))
    assert step(t, "network-policy").verdict == "skipped"


# ---- option values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, want",
    [
        ("5MB", 5_000_000),
        ("5M", 5 * 1024**2),
        ("5m", 5 * 1024**2),
        ("5Mi", 5 * 1024**2),
        ("5MiB", 5 * 1024**2),
        ("512k", 512 * 1024),
        ("1048576", 1048576),
        ("1.5G", int(1.5 * 1024**3)),
    ],
)
def test_parse_size(text, want):
    assert parse_size(text) == want


@pytest.mark.parametrize("text", ["", "five", "5XB", "-1", "5 M B"])
def test_parse_size_rejects(text):
    with pytest.raises(OptionError):
        parse_size(text)


@pytest.mark.parametrize(
    "text, want", [("90s", 90), ("2m", 120), ("1500ms", 1.5), ("1m30s", 90), ("90", 90)]
)
def test_parse_latency(text, want):
    assert parse_latency(text) == want


@pytest.mark.parametrize("text", ["", "soon", "90x", "-5s"])
def test_parse_latency_rejects(text):
    with pytest.raises(OptionError):
        parse_latency(text)


@pytest.mark.parametrize(
    "url, scheme, host, path",
    [
        ("api.example.com/v1", "http", "api.example.com", "/v1"),
        ("https://API.example.com", "https", "api.example.com", "/"),
        ("http://api.example.com:8080/x?y=1", "http", "api.example.com", "/x"),
    ],
)
def test_normalise_url(url, scheme, host, path):
    assert normalise_url(url)[1:] == (scheme, host, path)


@pytest.mark.parametrize("url", ["", "ftp://x/", "http://:99x/", "http:///nohost"])
def test_bad_urls(url):
    with pytest.raises(OptionError):
        normalise_url(url)


def test_an_ingress_no_controller_serves_is_404():
    objs = cluster()
    ing = next(o for o in objs if o["kind"] == "Ingress")
    ing["spec"]["ingressClassName"] = "traefik-old"  # IngressClasses are listed: a fact
    t = run(objs)
    assert t.status == 404 and "does not exist" in t.steps[0].detail


def test_trace_ingress_traces_every_rule_of_it(capsys):
    import json as _json

    from mlview import cli

    assert (
        cli.main(
            [
                "trace",
                "--ingress",
                "ml-api-ingress",
                "-n",
                "ml-serving",
                "--demo",
                "incident-504",
                "--format",
                "json",
            ]
        )
        == 1
    )
    traces = _json.loads(capsys.readouterr().out)["traces"]
    assert {t["url"]: t["status"] for t in traces} == {
        "https://api.ml.example.com/v1/embeddings": 200,
        "https://api.ml.example.com/v1/sentiment": 200,
        "https://api.ml.example.com/v1/translate": 504,
    }
    assert cli.main(["trace", "--ingress", "nope", "-n", "ml-serving", "--demo"]) == 2
    assert "no Ingress ml-serving/nope" in capsys.readouterr().err
