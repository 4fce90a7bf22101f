"""Every Ingress finding: a scenario where it fires and a near miss where it must not."""

from __future__ import annotations

import pytest

from mlview.analysis import ingress as ing_mod
from mlview.store import StoreView
from tests.ingress_fixtures import (
    LISTED,
    P,
    backend_set,
    configmap,
    controller,
    ingress,
    ingress_class,
    path,
    platform,
    service,
    slice_for,
)

SVC = "translation-model-svc"


def run(objs, listed=LISTED):
    return ing_mod.findings(StoreView.from_objects(objs, listed_kinds=listed))


def codes(objs, listed=LISTED):
    return [f.code for f in run(objs, listed)]


def one(objs, code, listed=LISTED):
    found = [f for f in run(objs, listed) if f.code == code]
    assert len(found) == 1, [f.code for f in run(objs, listed)]
    return found[0]


def route(annotations=None, svc=SVC, port=80, p="/v1/translate", **kw):
    return ingress("api", [path(p, svc, port)], annotations=annotations, **kw)


# ---- backends ---------------------------------------------------------------------------


def test_service_missing_fires():
    f = one(platform(route()), "ingress-backend-service-missing")
    assert f.severity.value == "error" and "503" in f.message and SVC in f.message


def test_service_missing_near_miss_present_or_not_listed():
    assert "ingress-backend-service-missing" not in codes(platform(route(), *backend_set()))
    # Services not listed: absence is a data gap, not a fact.
    listed = ["Ingress", "IngressClass", "Deployment", "ConfigMap"]
    assert "ingress-backend-service-missing" not in codes(platform(route()), listed)


@pytest.mark.parametrize("port, fires", [(81, True), ("grpc", True), (80, False), ("http", False)])
def test_port_missing(port, fires):
    got = codes(platform(route(port=port), *backend_set()))
    assert ("ingress-backend-port-missing" in got) is fires


def test_no_ready_endpoints_says_how_many_not_ready():
    f = one(
        platform(route(), *backend_set(ready=0, not_ready=3)), "ingress-backend-no-ready-endpoints"
    )
    assert "3 endpoint(s) not ready" in f.message and "503" in f.message


def test_no_ready_endpoints_near_miss():
    assert "ingress-backend-no-ready-endpoints" not in codes(
        platform(route(), *backend_set(ready=1, not_ready=3))
    )
    # No endpoint data at all: no verdict.
    listed = ["Ingress", "IngressClass", "Deployment", "ConfigMap", "Service"]
    assert "ingress-backend-no-ready-endpoints" not in codes(
        platform(route(), service(SVC)), listed
    )


def test_no_ready_endpoints_from_legacy_endpoints():
    eps = {
        "kind": "Endpoints",
        "metadata": {"name": SVC, "namespace": "ml"},
        "subsets": [
            {"notReadyAddresses": [{"ip": "10.0.0.1"}], "ports": [{"name": "http", "port": 8080}]}
        ],
    }
    f = one(platform(route(), service(SVC), eps), "ingress-backend-no-ready-endpoints")
    assert "1 endpoint(s) not ready" in f.message


# ---- annotations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, value, fallback",
    [
        ("proxy-read-timeout", "120s", "uses 60 (built-in default)"),
        ("proxy-body-size", "50 MB", "uses 1m (built-in default)"),
        ("proxy-buffering", "On", "uses off"),
        ("ssl-redirect", "yes", "uses true"),
        ("backend-protocol", "h2c", "uses HTTP"),
        ("canary-weight", "10%", "its default (0)"),
    ],
)
def test_invalid_value_fires(key, value, fallback):
    f = one(platform(route({P + key: value}), *backend_set()), "ingress-annotation-invalid-value")
    assert f.severity.value == "error" and value in f.message and fallback in f.message


def test_invalid_value_names_the_configmap_fallback():
    objs = [
        ingress_class(default=True),
        controller(),
        configmap({"proxy-read-timeout": "300"}),
        route({P + "proxy-read-timeout": "5m"}),
        *backend_set(),
    ]
    f = one(objs, "ingress-annotation-invalid-value")
    assert "300 (ConfigMap ingress-nginx/ingress-nginx-controller)" in f.message
    assert '"300"' in f.hint


@pytest.mark.parametrize(
    "key, value",
    [
        ("proxy-read-timeout", "120"),
        ("proxy-body-size", "50m"),
        ("proxy-body-size", "50M"),
        ("proxy-body-size", "0"),
        ("proxy-buffering", "on"),
        ("ssl-redirect", "False"),
        ("backend-protocol", "grpc"),
        ("rewrite-target", "/$2"),
    ],
)
def test_invalid_value_near_miss(key, value):
    assert "ingress-annotation-invalid-value" not in codes(
        platform(route({P + key: value}), *backend_set())
    )


def test_unquoted_bool_is_invalid():
    f = one(
        platform(route({P + "use-regex": True}), *backend_set()), "ingress-annotation-invalid-value"
    )
    assert "strings" in f.message and '"true"' in f.hint


def test_unknown_annotation_suggests_closest():
    f = one(
        platform(route({P + "proxy-read-timout": "120"}), *backend_set()),
        "ingress-annotation-unknown",
    )
    assert f.hint.endswith(P + "proxy-read-timeout?")


def test_removed_annotation_is_reported_with_replacement():
    f = one(
        platform(route({P + "secure-backends": "true"}), *backend_set()),
        "ingress-annotation-unknown",
    )
    assert "backend-protocol" in f.hint


def test_unknown_annotation_near_miss():
    anns = {
        P + "proxy-read-timeout": "120",
        P + "whitelist-source-range": "10.0.0.0/8",
        "example.com/other": "x",
    }
    assert "ingress-annotation-unknown" not in codes(platform(route(anns), *backend_set()))


def test_wrong_controller_nginx_keys_on_other_class():
    objs = [
        ingress_class("traefik", "traefik.io/ingress-controller"),
        route({P + "proxy-read-timeout": "120"}, cls="traefik"),
        *backend_set(),
    ]
    f = one(objs, "ingress-annotation-wrong-controller")
    assert "traefik.io/ingress-controller" in f.message


def test_wrong_controller_missing_class():
    objs = [
        ingress_class(),
        route({P + "proxy-read-timeout": "120"}, cls="nginx-internal"),
        *backend_set(),
    ]
    assert "ingress-annotation-wrong-controller" in codes(objs)


def test_wrong_controller_f5_keys_on_ingress_nginx():
    f = one(
        platform(route({"nginx.org/proxy-read-timeout": "120s"}), *backend_set()),
        "ingress-annotation-wrong-controller",
    )
    assert "F5" in f.message and P + "proxy-read-timeout" in f.hint


def test_wrong_controller_near_miss():
    # nginx.org keys on an F5 class, nginx keys on ingress-nginx: both fine.
    f5 = [
        ingress_class("nginx-plus", "nginx.org/ingress-controller"),
        route({"nginx.org/proxy-read-timeout": "120s"}, cls="nginx-plus"),
        *backend_set(),
    ]
    assert "ingress-annotation-wrong-controller" not in codes(f5)
    assert "ingress-annotation-wrong-controller" not in codes(
        platform(route({P + "proxy-read-timeout": "120"}), *backend_set())
    )


def test_canary_ignored_annotations():
    main = route()
    canary = ingress(
        "api-canary",
        [path("/v1/translate", SVC)],
        annotations={
            P + "canary": "true",
            P + "canary-weight": "10",
            P + "proxy-read-timeout": "600",
        },
    )
    got = codes(platform(main, canary, *backend_set()))
    assert "ingress-canary-annotation-ignored" in got
    assert "ingress-path-conflict" not in got  # a canary shares the path on purpose


# ---- timeouts and body size ---------------------------------------------------------------


def test_timeout_default_for_model_fires():
    f = one(platform(route(), *backend_set()), "ingress-timeout-default-for-model")
    assert "60s" in f.message and "504" in f.message


@pytest.mark.parametrize(
    "objs",
    [
        platform(route({P + "proxy-read-timeout": "300"}), *backend_set()),
        platform(route(svc="web", p="/"), *backend_set("web")),  # not a model backend
        [
            ingress_class(default=True),
            controller(),
            configmap({"proxy-read-timeout": "300"}),
            route(),
            *backend_set(),
        ],
    ],
)
def test_timeout_default_for_model_near_miss(objs):
    assert "ingress-timeout-default-for-model" not in codes(objs)


@pytest.mark.parametrize(
    "latency, read, fires",
    [
        ("90s", None, True),
        ("2m", "100", True),
        ("90", "120", False),
        ("1m30s", "90", False),
    ],
)
def test_timeout_below_latency(latency, read, fires):
    anns = {P + "proxy-read-timeout": read} if read else {}
    objs = platform(route(anns), *backend_set(annotations={"mlview.io/expected-latency": latency}))
    got = codes(objs)
    assert ("ingress-timeout-below-latency" in got) is fires
    assert "ingress-timeout-default-for-model" not in got  # the specific finding wins


def test_timeout_below_latency_from_kserve_predictor_timeout():
    isvc = {
        "kind": "InferenceService",
        "metadata": {"name": "llm", "namespace": "ml"},
        "spec": {"predictor": {"timeout": 180}},
    }
    objs = platform(
        route(svc="llm-predictor", p="/v1/chat"),
        isvc,
        *backend_set(
            "llm-predictor",
            labels={"serving.kserve.io/inferenceservice": "llm", "component": "predictor"},
        ),
    )
    f = one(objs, "ingress-timeout-below-latency")
    assert "InferenceService ml/llm predictor.timeout" in f.message and "180s" in f.message


def test_latency_annotation_invalid():
    objs = platform(route(), *backend_set(annotations={"mlview.io/expected-latency": "soon"}))
    assert "ingress-latency-annotation-invalid" in codes(objs)


def test_body_size_default_fires_for_upload_backend():
    objs = platform(
        route(svc="image-classifier", p="/v1/classify"), *backend_set("image-classifier")
    )
    f = one(objs, "ingress-body-size-default")
    assert f.severity.value == "info" and "413" in f.message


@pytest.mark.parametrize(
    "objs",
    [
        platform(
            route({P + "proxy-body-size": "20m"}, svc="image-classifier"),
            *backend_set("image-classifier"),
        ),
        platform(
            route(svc="image-classifier"),
            *backend_set("image-classifier", annotations={"mlview.io/accepts-uploads": "false"}),
        ),
        platform(route(svc="sentiment"), *backend_set("sentiment")),
    ],
)
def test_body_size_default_near_miss(objs):
    assert "ingress-body-size-default" not in codes(objs)


def test_accepts_uploads_annotation_opts_in():
    objs = platform(
        route(svc="summarise"),
        *backend_set("summarise", annotations={"mlview.io/accepts-uploads": "true"}),
    )
    assert "ingress-body-size-default" in codes(objs)


# ---- class, TLS, paths --------------------------------------------------------------------


def test_class_missing_named():
    f = one([ingress_class(), route(cls="nginx-internal"), *backend_set()], "ingress-class-missing")
    assert "nginx-internal" in f.message


def test_class_missing_no_class_no_default():
    f = one(
        [ingress_class(), controller(), route(cls=None), *backend_set()], "ingress-class-missing"
    )
    assert "no default" in f.message


@pytest.mark.parametrize(
    "objs",
    [
        [ingress_class(default=True), route(cls=None), *backend_set()],  # default class
        [
            controller(["/nginx-ingress-controller", "--watch-ingress-without-class=true"]),
            ingress_class(),
            route(cls=None),
            *backend_set(),
        ],
    ],
)
def test_class_missing_near_miss(objs):
    assert "ingress-class-missing" not in codes(objs)


def test_class_missing_no_verdict_when_classes_not_listed():
    listed = [k for k in LISTED if k != "IngressClass"]
    assert "ingress-class-missing" not in codes([route(cls="nginx"), *backend_set()], listed)


TLS = [{"hosts": ["api.example.com"], "secretName": "api-tls"}]


def test_tls_secret_missing():
    f = one(
        platform(
            route(tls=TLS),
            *backend_set(),
            {"kind": "Secret", "metadata": {"name": "other", "namespace": "ml"}},
        ),
        "ingress-tls-secret-missing",
    )
    assert "ml/api-tls" in f.message


def test_tls_secret_missing_near_miss():
    secret = {"kind": "Secret", "metadata": {"name": "api-tls", "namespace": "ml"}}
    assert "ingress-tls-secret-missing" not in codes(
        platform(route(tls=TLS), *backend_set(), secret)
    )
    # Secrets could not be listed: no verdict.
    listed = [k for k in LISTED if k != "Secret"]
    assert "ingress-tls-secret-missing" not in codes(
        platform(route(tls=TLS), *backend_set()), listed
    )


def test_tls_host_not_covered():
    tls = [{"hosts": ["other.example.com"], "secretName": "api-tls"}]
    assert "ingress-tls-host-not-covered" in codes(platform(route(tls=tls), *backend_set()))


def test_tls_host_not_covered_by_certificate_alt_names():
    secret = {
        "kind": "Secret",
        "metadata": {
            "name": "api-tls",
            "namespace": "ml",
            "annotations": {"cert-manager.io/alt-names": "www.example.com"},
        },
    }
    f = one(platform(route(tls=TLS), *backend_set(), secret), "ingress-tls-host-not-covered")
    assert "www.example.com" in f.message


def test_tls_host_not_covered_near_miss():
    wildcard = [{"hosts": ["*.example.com"], "secretName": "api-tls"}]
    assert "ingress-tls-host-not-covered" not in codes(
        platform(route(tls=wildcard), *backend_set())
    )
    assert "ingress-tls-host-not-covered" not in codes(platform(route(), *backend_set()))
    no_hosts = [{"secretName": "api-tls"}]  # controller-specific: no verdict
    assert "ingress-tls-host-not-covered" not in codes(
        platform(route(tls=no_hosts), *backend_set())
    )


def test_path_conflict_across_ingresses():
    a = ingress("a", [path("/v1/translate", SVC)], created="2026-01-01T00:00:00Z")
    b = ingress("b", [path("/v1/translate", SVC)], created="2026-02-01T00:00:00Z")
    found = [f for f in run(platform(b, a, *backend_set())) if f.code == "ingress-path-conflict"]
    assert {f.name for f in found} == {"a", "b"}
    assert all("oldest, Ingress ml/a" in f.hint for f in found)


@pytest.mark.parametrize(
    "other",
    [
        ingress("b", [path("/v1/translate", SVC, ptype="Exact")]),  # Exact vs Prefix: both live
        ingress("b", [path("/v1/translate", SVC)], host="other.example.com"),
        ingress("b", [path("/v1/translate", SVC)], cls="other"),
    ],
)
def test_path_conflict_near_miss(other):
    objs = platform(route(), other, *backend_set(), ingress_class("other", "example.com/x"))
    assert "ingress-path-conflict" not in codes(objs)


@pytest.mark.parametrize(
    "p, ptype, anns, fires",
    [
        ("/v1/(translate|detect)", "Prefix", {}, True),
        ("/v1/models/.*", "Exact", {}, True),
        ("/v1/(translate|detect)", "ImplementationSpecific", {}, True),
        ("/v1/(translate|detect)", "ImplementationSpecific", {P + "use-regex": "true"}, False),
        ("/v1/(.*)", "ImplementationSpecific", {P + "rewrite-target": "/$1"}, False),
        ("/v1.0/translate", "Prefix", {}, False),
    ],
)
def test_pathtype_regex(p, ptype, anns, fires):
    objs = platform(ingress("api", [path(p, SVC, ptype=ptype)], annotations=anns), *backend_set())
    assert ("ingress-pathtype-regex" in codes(objs)) is fires


def test_other_controllers_get_no_annotation_verdicts():
    objs = [
        ingress_class("traefik", "traefik.io/ingress-controller"),
        route(cls="traefik"),
        *backend_set(),
    ]
    got = codes(objs)
    assert "ingress-timeout-default-for-model" not in got
    assert "ingress-annotation-invalid-value" not in got


def test_every_finding_names_the_object_and_has_a_hint():
    objs = platform(route({P + "proxy-read-timeout": "120s"}), *backend_set(ready=0, not_ready=1))
    for f in run(objs):
        assert f.kind == "Ingress" and f.name == "api" and f.hint


def test_slice_without_matching_port_is_not_counted():
    objs = platform(route(), service(SVC), slice_for(SVC, ready=2, port_name="metrics"))
    f = one(objs, "ingress-backend-no-ready-endpoints")
    assert "no endpoints at all" in f.message


def test_canary_ignored_near_miss_only_canary_annotations():
    canary = ingress(
        "api-canary",
        [path("/v1/translate", SVC)],
        annotations={P + "canary": "true", P + "canary-weight": "10", P + "affinity": "cookie"},
    )
    assert "ingress-canary-annotation-ignored" not in codes(
        platform(route(), canary, *backend_set())
    )


@pytest.mark.parametrize("latency", ["90s", "2m", "1m30s", "45", "1.5h"])
def test_latency_annotation_invalid_near_miss(latency):
    objs = platform(route(), *backend_set(annotations={"mlview.io/expected-latency": latency}))
    assert "ingress-latency-annotation-invalid" not in codes(objs)


def test_annotation_checks_when_the_class_is_not_in_the_snapshot():
    # An application's manifests: no IngressClass, no controller. The keys only mean something
    # to ingress-nginx, so their values are checked, and the message says so.
    listed = ["Ingress", "Service"]
    objs = [route({P + "proxy-read-timeout": "120s", P + "proxy-read-timout": "1"})]
    found = {f.code: f for f in run(objs, listed)}
    assert "if ingress-nginx serves it" in found["ingress-annotation-invalid-value"].message
    assert "ingress-annotation-unknown" in found
    assert "ingress-annotation-wrong-controller" not in found
