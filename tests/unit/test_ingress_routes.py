"""Route rows: class resolution, targetPort by name, endpoints, effective settings, URL match."""

from __future__ import annotations

import pytest

from mlview.analysis import ingress as ing_mod
from mlview.analysis.ingress import annotations as cat
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
    pod,
    service,
    slice_for,
)

SVC = "translation-model-svc"


def view(objs, listed=LISTED):
    return StoreView.from_objects(objs, listed_kinds=listed)


def rows(objs, listed=LISTED):
    return ing_mod.route_rows(view(objs, listed))


def only(objs, listed=LISTED):
    (row,) = [r for r in rows(objs, listed) if not r.default_backend]
    return row


# ---- class resolution ---------------------------------------------------------------------


def test_class_from_spec_field():
    r = only(platform(ingress("a", [path("/", SVC)], cls="nginx"), *backend_set()))
    assert (r.class_name, r.class_source, r.controller) == (
        "nginx",
        "spec.ingressClassName",
        "ingress-nginx",
    )


def test_class_from_legacy_annotation_claimed_by_controller_flag():
    objs = [
        controller(["/nginx-ingress-controller", "--ingress-class=internal"]),
        ingress(
            "a", [path("/", SVC)], cls=None, annotations={"kubernetes.io/ingress.class": "internal"}
        ),
        *backend_set(),
    ]
    r = only(objs)
    assert (r.class_name, r.class_source, r.controller) == (
        "internal",
        "annotation",
        "ingress-nginx",
    )


def test_class_from_default_ingress_class():
    objs = [
        ingress_class("traefik", "traefik.io/ingress-controller", default=True),
        ingress("a", [path("/", SVC)], cls=None),
        *backend_set(),
    ]
    r = only(objs)
    assert (r.class_name, r.class_source, r.controller) == (
        "traefik",
        "default IngressClass",
        "other",
    )
    assert r.settings == {}  # no values we cannot source for other controllers


def test_class_watch_without_class_flag():
    objs = [
        controller(["/nginx-ingress-controller", "--watch-ingress-without-class"]),
        ingress_class(),
        ingress("a", [path("/", SVC)], cls=None),
        *backend_set(),
    ]
    r = only(objs)
    assert r.controller == "ingress-nginx" and r.class_source == "--watch-ingress-without-class"


def test_custom_controller_class_is_ingress_nginx():
    objs = [
        ingress_class("internal", "example.com/internal-nginx"),
        controller(
            [
                "/nginx-ingress-controller",
                "--controller-class=example.com/internal-nginx",
                "--configmap=ingress-nginx/internal",
            ]
        ),
        configmap({"proxy-read-timeout": "240"}, name="internal"),
        ingress("a", [path("/", SVC)], cls="internal"),
        *backend_set(),
    ]
    r = only(objs)
    assert r.controller == "ingress-nginx"
    assert r.settings["proxy-read-timeout"].value == "240"


# ---- targetPort and endpoints -------------------------------------------------------------


def test_target_port_by_name_resolves_per_pod():
    objs = platform(
        ingress("a", [path("/", SVC, "http")]),
        service(SVC),
        pod("p1", SVC, port=8080),
        pod("p2", SVC, port=9090),
        slice_for(SVC, 2),
    )
    r = only(objs)
    assert (r.service_port, r.port_name, r.target_port) == (80, "http", "http->8080|9090")


def test_target_port_by_name_from_slices_when_pods_absent():
    objs = platform(ingress("a", [path("/", SVC)]), service(SVC), slice_for(SVC, 1, port=7070))
    assert only(objs, [k for k in LISTED if k != "Pod"]).target_port == "http->7070"


def test_target_port_name_no_pod_declares():
    objs = platform(
        ingress("a", [path("/", SVC)]),
        service(SVC),
        pod("p1", SVC, port_name="grpc"),
        slice_for(SVC, 1, port_name="other"),
    )
    assert only(objs).target_port == "http (no pod declares it)"


@pytest.mark.parametrize(
    "sp, expect",
    [
        ({"name": "http", "port": 80, "targetPort": 8081}, "8081"),
        ({"name": "http", "port": 80}, "80"),
    ],
)
def test_target_port_numeric_or_absent(sp, expect):
    objs = platform(ingress("a", [path("/", SVC)]), service(SVC, ports=[sp]))
    assert only(objs).target_port == expect


def test_endpoints_dedupe_dual_stack_and_unset_ready_counts_ready():
    v4 = slice_for(SVC, 2)
    v6 = slice_for(SVC, 2)
    v6["metadata"]["name"] = "v6"
    v6["endpoints"][0]["conditions"] = {}
    r = only(platform(ingress("a", [path("/", SVC)]), service(SVC), v4, v6))
    assert (r.ready, r.not_ready) == (2, 0)


def test_default_backend_is_a_route():
    ing = ingress(
        "a",
        [path("/", SVC)],
        default_backend={"service": {"name": "fallback", "port": {"number": 80}}},
    )
    rs = rows(platform(ing, *backend_set(), *backend_set("fallback")))
    default = [r for r in rs if r.default_backend]
    assert len(default) == 1 and default[0].service == "fallback"
    assert default[0].key == "ml/a#default"


# ---- effective settings -------------------------------------------------------------------


def test_settings_sources():
    objs = [
        ingress_class(default=True),
        controller(),
        configmap({"proxy-send-timeout": "90", "proxy-connect-timeout": "ten"}),
        ingress(
            "a",
            [path("/", SVC)],
            annotations={P + "proxy-read-timeout": "300", P + "proxy-body-size": "50 MB"},
        ),
        *backend_set(),
    ]
    s = only(objs).settings
    assert (s["proxy-read-timeout"].value, s["proxy-read-timeout"].source) == ("300", "annotation")
    assert (s["proxy-send-timeout"].value, s["proxy-send-timeout"].source) == ("90", "configmap")
    assert s["proxy-send-timeout"].detail == "ConfigMap ingress-nginx/ingress-nginx-controller"
    assert (s["proxy-connect-timeout"].value, s["proxy-connect-timeout"].source) == ("5", "default")
    assert "invalid" in s["proxy-connect-timeout"].note
    assert (s["proxy-body-size"].value, s["proxy-body-size"].invalid) == ("1m", "50 MB")
    assert s["backend-protocol"].value == "HTTP" and s["ssl-redirect"].value == "true"


def test_settings_use_chart_configmap_without_controller_workload():
    objs = [
        ingress_class(default=True),
        configmap({"proxy-body-size": "8m"}),
        ingress("a", [path("/", SVC)]),
        *backend_set(),
    ]
    s = only(objs).settings["proxy-body-size"]
    assert (s.value, s.source) == ("8m", "configmap")


def test_settings_configmap_missing_is_noted():
    objs = [
        ingress_class(default=True),
        controller(),
        ingress("a", [path("/", SVC)]),
        *backend_set(),
    ]
    s = only(objs).settings["proxy-read-timeout"]
    assert s.source == "default" and "does not exist" in s.note


def test_custom_annotations_prefix():
    objs = [
        ingress_class(default=True),
        controller(["/nginx-ingress-controller", "--annotations-prefix=example.com"]),
        ingress(
            "a",
            [path("/", SVC)],
            annotations={"example.com/proxy-read-timeout": "99", P + "proxy-send-timeout": "99"},
        ),
        *backend_set(),
    ]
    s = only(objs).settings
    assert s["proxy-read-timeout"].value == "99" and s["proxy-send-timeout"].value == "60"


def test_canary_inherits_main_settings():
    main = ingress("main", [path("/v1", SVC)], annotations={P + "proxy-read-timeout": "300"})
    canary = ingress(
        "canary",
        [path("/v1", "v2")],
        annotations={P + "canary": "true", P + "proxy-read-timeout": "5"},
    )
    rs = {r.ingress: r for r in rows(platform(main, canary, *backend_set(), *backend_set("v2")))}
    s = rs["canary"].settings["proxy-read-timeout"]
    assert rs["canary"].canary and s.value == "300" and s.source == "main ingress"
    assert "ignored" in s.note


def test_effective_settings_api_on_an_ingress():
    ing = ingress("a", [path("/", SVC)], annotations={P + "use-regex": "True"})
    s = ing_mod.effective_settings(view(platform(ing)), ing)
    assert s["use-regex"].value == "true" and s["use-regex"].source == "annotation"


# ---- catalogue ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, ok",
    [
        ("1m", True),
        ("1M", True),
        ("100", True),
        ("8K", True),
        ("2g", True),
        ("0", True),
        ("50 m", True),
        ("50 MB", False),
        ("1.5m", False),
        ("10mb", False),
        ("", False),
    ],
)
def test_size_regex_matches_ingress_nginx(value, ok):
    assert (cat.validate("proxy-body-size", value) is None) is ok


@pytest.mark.parametrize(
    "value, ok",
    [("60", True), ("+60", True), ("60s", False), (" 60", False), ("1e3", False), ("６０", False)],
)
def test_timeout_is_go_atoi(value, ok):
    assert (cat.validate("proxy-read-timeout", value) is None) is ok


def test_catalogue_defaults_and_risk():
    c = cat.CATALOGUE
    assert (
        c["proxy-read-timeout"].default,
        c["proxy-send-timeout"].default,
        c["proxy-connect-timeout"].default,
        c["proxy-body-size"].default,
    ) == ("60", "60", "5", "1m")
    assert c["configuration-snippet"].risk == "Critical" and c["canary-weight"].canary
    assert cat.size_bytes("0") == 0 and cat.size_bytes("2K") == 2048


# ---- URL matching -------------------------------------------------------------------------


def match_objs(anns=None, extra=()):
    ing = ingress(
        "a",
        [
            path("/v1", "prefix"),
            path("/v1/translate", SVC, ptype="Exact"),
            path("/v1/trans", "impl", ptype="ImplementationSpecific"),
        ],
        annotations=anns,
    )
    return platform(ing, *extra)


@pytest.mark.parametrize(
    "url, svc",
    [
        ("https://api.example.com/v1/translate", SVC),  # Exact wins
        ("https://api.example.com/v1/translate/x", "impl"),  # string prefix /v1/trans is longer
        ("api.example.com/v1/other", "prefix"),
        ("api.example.com/v10", None),  # Prefix matches whole elements only
    ],
)
def test_match_url(url, svc):
    m = ing_mod.match_url(view(match_objs()), url)
    assert (m.row.service if m.row else None) == svc, m.reason


def test_match_url_regex_mode_and_fallback():
    objs = platform(
        ingress(
            "a",
            [path("/v1/(translate|detect)", SVC, ptype="ImplementationSpecific")],
            annotations={P + "use-regex": "true"},
        ),
        ingress(
            "catchall",
            [],
            host="x",
            default_backend={"service": {"name": "fallback", "port": {"number": 80}}},
        ),
    )
    v = view(objs)
    assert ing_mod.match_url(v, "http://api.example.com/V1/Detect").row.service == SVC
    # A known host without a matching rule: its oldest Ingress has no default backend -> 404.
    assert ing_mod.match_url(v, "http://api.example.com/healthz").row is None
    # An unknown host: the catch-all server, whose "/" is the rule-less Ingress's backend.
    m = ing_mod.match_url(v, "http://unknown.example.com/healthz")
    assert m.row is not None and m.row.service == "fallback" and "catch-all" in m.reason


def test_match_url_wildcard_host():
    objs = platform(ingress("a", [path("/", SVC)], host="*.example.com"))
    assert ing_mod.match_url(view(objs), "https://eu.example.com/x").row.service == SVC
    assert ing_mod.match_url(view(objs), "https://a.b.example.com/x").row is None


def test_route_detail_chain_and_pods():
    objs = platform(
        ingress("a", [path("/v1", SVC, "http")]),
        service(SVC),
        pod("p1", SVC),
        pod("p2", SVC, ready=False, restarts=4),
        slice_for(SVC, 1, 1),
    )
    v = view(objs)
    d = ing_mod.route_detail(v, ing_mod.route_rows(v)[0])
    assert [s.label for s in d.chain] == [
        "Ingress",
        "rule",
        "Service",
        "port",
        "targetPort",
        "endpoints",
    ]
    assert [(p.name, p.ready, p.restarts) for p in d.pods] == [("p1", True, 0), ("p2", False, 4)]
    assert d.settings[0][0] == "proxy-read-timeout"
    assert any(f.code == "ingress-timeout-default-for-model" for f in d.findings)


def test_bad_input_does_not_raise():
    weird = {
        "kind": "Ingress",
        "metadata": {
            "name": "w",
            "namespace": "ml",
            "annotations": {P + "proxy-read-timeout": 120},
        },
        "spec": {"rules": [{"host": "h"}, {"http": {"paths": [{"backend": {}}]}}], "tls": [{}]},
    }
    v = view(platform(weird))
    ing_mod.route_rows(v)
    codes = [f.code for f in ing_mod.findings(v)]
    assert "ingress-annotation-invalid-value" in codes


def test_class_inferred_from_controller_flag_when_classes_not_listed():
    listed = [k for k in LISTED if k != "IngressClass"]
    r = only([controller(), ingress("a", [path("/", SVC)], cls="nginx"), *backend_set()], listed)
    assert r.controller == "ingress-nginx" and r.settings["proxy-read-timeout"].value == "60"


@pytest.mark.parametrize(
    "spec",
    [
        "not a mapping",
        {"rules": "x"},
        {"rules": [{"host": "h", "http": {"paths": ["/a"]}}]},
        {"tls": ["h"], "rules": []},
    ],
)
def test_malformed_ingress_is_a_finding_not_a_crash(spec):
    bad = {"kind": "Ingress", "metadata": {"name": "bad", "namespace": "ml"}, "spec": spec}
    good = ingress("good", [path("/", SVC)])
    v = view(platform(bad, good, *backend_set()))
    assert {r.ingress for r in ing_mod.route_rows(v)} == {"good"}
    found = [f for f in ing_mod.findings(v) if f.code == "ingress-malformed"]
    assert [f.name for f in found] == ["bad"]


def test_match_url_and_tls_prefer_the_oldest_ingress():
    tls_new = [{"hosts": ["api.example.com"], "secretName": "new-tls"}]
    tls_old = [{"hosts": ["api.example.com"], "secretName": "old-tls"}]
    new = ingress("new", [path("/v1", "svc-new")], created="2026-03-01T00:00:00Z", tls=tls_new)
    old = ingress("old", [path("/v1", "svc-old")], created="2026-01-01T00:00:00Z", tls=tls_old)
    other = ingress("other", [path("/v2", SVC)], created="2026-02-01T00:00:00Z")
    v = view(platform(new, old, other))
    assert ing_mod.match_url(v, "https://api.example.com/v1/x").row.ingress == "old"
    (r,) = [r for r in ing_mod.route_rows(v) if r.ingress == "other"]
    assert (r.tls, r.tls_secret) == (True, "old-tls")


def test_match_url_fallback_uses_the_oldest_ingress_of_the_host():
    fallback = {"service": {"name": "fallback", "port": {"number": 80}}}
    old = ingress("old", [path("/v1", SVC)], created="2026-01-01T00:00:00Z")
    new = ingress(
        "new", [path("/v2", SVC)], created="2026-02-01T00:00:00Z", default_backend=fallback
    )
    v = view(platform(old, new))
    m = ing_mod.match_url(v, "https://api.example.com/other")
    assert m.row is None and "404" in m.reason  # the oldest (no default backend) defines "/"
    old2 = ingress(
        "old", [path("/v1", SVC)], created="2026-01-01T00:00:00Z", default_backend=fallback
    )
    m = ing_mod.match_url(view(platform(old2, new)), "https://api.example.com/other")
    assert m.row is not None and m.row.ingress == "old"
