"""Gateway API findings: each fires, and each has a near miss where it must not."""

from __future__ import annotations

from typing import Any

import pytest

from mlview.analysis import gateway
from mlview.analysis.gateway.model import host_matches, intersect, parse_duration
from mlview.analysis.registry import ANALYZER_MODULES
from mlview.store import StoreView

EG = "gateway.envoyproxy.io/gatewayclass-controller"
LISTED = (
    "Service",
    "EndpointSlice",
    "Pod",
    "Namespace",
    "GatewayClass",
    "Gateway",
    "HTTPRoute",
    "GRPCRoute",
    "ReferenceGrant",
    "Ingress",
    "IngressClass",
    "ConfigMap",
)

# --- fixtures ------------------------------------------------------------------------------


def gclass(name: str = "eg", controller: str = EG) -> dict[str, Any]:
    return {
        "kind": "GatewayClass",
        "metadata": {"name": name},
        "spec": {"controllerName": controller},
    }


def listener(
    name: str = "http",
    port: int = 80,
    protocol: str = "HTTP",
    hostname: str | None = None,
    frm: str = "All",
    selector: dict | None = None,
    kinds: list | None = None,
) -> dict[str, Any]:
    li: dict[str, Any] = {
        "name": name,
        "port": port,
        "protocol": protocol,
        "allowedRoutes": {"namespaces": {"from": frm}},
    }
    if hostname:
        li["hostname"] = hostname
    if selector is not None:
        li["allowedRoutes"]["namespaces"]["selector"] = selector
    if kinds is not None:
        li["allowedRoutes"]["kinds"] = kinds
    return li


def gw(
    listeners: list | None = None,
    name: str = "ml-gw",
    ns: str = "gateway",
    status: dict | None = None,
    cls: str = "eg",
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "kind": "Gateway",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"gatewayClassName": cls, "listeners": listeners or [listener()]},
    }
    if status:
        obj["status"] = status
    return obj


def backend(
    name: str = "translate-svc", port: int = 80, weight: int | None = None, ns: str | None = None
) -> dict[str, Any]:
    ref: dict[str, Any] = {"name": name, "port": port}
    if weight is not None:
        ref["weight"] = weight
    if ns:
        ref["namespace"] = ns
    return ref


def rule(
    path: str = "/v1/translate",
    ptype: str = "PathPrefix",
    backends: list | None = None,
    timeouts: dict | None = None,
    **extra: Any,
) -> dict[str, Any]:
    r: dict[str, Any] = {
        "matches": [{"path": {"type": ptype, "value": path}, **extra}],
        "backendRefs": backends if backends is not None else [backend()],
    }
    if timeouts is not None:
        r["timeouts"] = timeouts
    return r


def route(
    name: str = "translate",
    ns: str = "ml-serving",
    rules: list | None = None,
    hostnames: list | None = None,
    parents: list | None = None,
    status_parents: list | None = None,
    created: str = "2026-01-01T00:00:00Z",
    kind: str = "HTTPRoute",
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "kind": kind,
        "metadata": {"name": name, "namespace": ns, "creationTimestamp": created},
        "spec": {
            "parentRefs": parents
            if parents is not None
            else [{"name": "ml-gw", "namespace": "gateway"}],
            "hostnames": hostnames if hostnames is not None else ["api.example.com"],
            "rules": rules if rules is not None else [rule()],
        },
    }
    if status_parents is not None:
        obj["status"] = {"parents": status_parents}
    return obj


def parent_status(
    accepted: str = "True",
    reason: str = "Accepted",
    message: str = "",
    resolved: str = "True",
    rreason: str = "ResolvedRefs",
    rmessage: str = "",
) -> dict[str, Any]:
    return {
        "parentRef": {"name": "ml-gw", "namespace": "gateway"},
        "controllerName": EG,
        "conditions": [
            {"type": "Accepted", "status": accepted, "reason": reason, "message": message},
            {"type": "ResolvedRefs", "status": resolved, "reason": rreason, "message": rmessage},
        ],
    }


def service(
    name: str = "translate-svc",
    ns: str = "ml-serving",
    latency: str | None = None,
    labels: dict | None = None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": ns, "labels": labels or {}}
    if latency:
        meta["annotations"] = {"mlview.io/expected-latency": latency}
    return {
        "kind": "Service",
        "metadata": meta,
        "spec": {
            "selector": {"app": name},
            "ports": [{"name": "http", "port": 80, "targetPort": 8080}],
        },
    }


def eps(
    svc: str = "translate-svc", ns: str = "ml-serving", ready: tuple = (True,)
) -> dict[str, Any]:
    return {
        "kind": "EndpointSlice",
        "metadata": {
            "name": f"{svc}-abc",
            "namespace": ns,
            "labels": {"kubernetes.io/service-name": svc},
        },
        "ports": [{"name": "http", "port": 8080}],
        "endpoints": [
            {
                "addresses": [f"10.0.0.{i}"],
                "conditions": {"ready": r},
                "targetRef": {"name": f"{svc}-{i}"},
            }
            for i, r in enumerate(ready)
        ],
    }


def namespace(name: str, labels: dict | None = None) -> dict[str, Any]:
    return {"kind": "Namespace", "metadata": {"name": name, "labels": labels or {}}}


def grant(
    ns: str = "models",
    from_ns: str = "ml-serving",
    from_kind: str = "HTTPRoute",
    to_name: str | None = None,
) -> dict[str, Any]:
    to: dict[str, Any] = {"group": "", "kind": "Service"}
    if to_name:
        to["name"] = to_name
    return {
        "kind": "ReferenceGrant",
        "metadata": {"name": "allow", "namespace": ns},
        "spec": {
            "from": [
                {"group": "gateway.networking.k8s.io", "kind": from_kind, "namespace": from_ns}
            ],
            "to": [to],
        },
    }


def mkview(*objs: dict, listed: tuple = LISTED) -> StoreView:
    return StoreView.from_objects(list(objs), listed_kinds=listed)


def base(*extra: dict, svc: dict | None = None, rt: dict | None = None) -> StoreView:
    """A healthy platform: class, Gateway, a route with 120s timeout, a ready Service."""
    return mkview(
        gclass(),
        gw(),
        svc or service(latency="90s"),
        eps(),
        rt or route(rules=[rule(timeouts={"request": "120s"})]),
        *extra,
    )


def codes(view: StoreView, code: str) -> list:
    return [f for f in gateway.findings(view) if f.code == code]


# --- durations and hostnames ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text,secs",
    [
        ("90s", 90),
        ("1m30s", 90),
        ("500ms", 0.5),
        ("1h30m30s500ms", 5430.5),
        ("00060m", 3600),
        ("0s", 0),
        ("99999ms", 99.999),
    ],
)
def test_duration_valid(text, secs):
    assert parse_duration(text) == pytest.approx(secs)


@pytest.mark.parametrize(
    "text", ["1.5s", "90", "10us", "1h1m1s1ms1s", "", "123456s", "90 s", "-1s", "1d", 90]
)
def test_duration_invalid(text):
    assert parse_duration(text) is None


def test_hostnames():
    assert host_matches("*.example.com", "a.b.example.com")
    assert not host_matches("*.example.com", "example.com")
    assert intersect("*.example.com", "api.example.com") == "api.example.com"
    assert intersect("api.example.com", "*.example.com") == "api.example.com"
    assert intersect("", "api.example.com") == "api.example.com"
    assert intersect("*.internal.example.com", "api.example.com") is None


# --- healthy baseline ---------------------------------------------------------------------


def test_healthy_platform_has_no_findings_and_is_registered():
    assert gateway.findings(base()) == []
    assert "mlview.analysis.gateway" in ANALYZER_MODULES
    assert gateway.findings(mkview()) == []


# --- httproute-not-accepted ----------------------------------------------------------------


def test_not_accepted_from_status_quotes_reason():
    rt = route(
        status_parents=[
            parent_status(
                "False", "NotAllowedByListeners", "no listener allows namespace ml-serving"
            )
        ],
        rules=[rule(timeouts={"request": "120s"})],
    )
    [f] = codes(base(rt=rt), "httproute-not-accepted")
    assert f.severity.value == "error" and f.kind == "HTTPRoute" and f.name == "translate"
    assert "NotAllowedByListeners" in f.message and "no listener allows" in f.message


def test_status_accepted_wins_over_prediction():
    same = gw([listener(frm="Same")])
    rt = route(status_parents=[parent_status()], rules=[rule(timeouts={"request": "120s"})])
    view = mkview(gclass(), same, service(latency="90s"), eps(), rt)
    assert codes(view, "httproute-not-accepted") == []


@pytest.mark.parametrize(
    "lis,ns_labels,fires,reason",
    [
        (listener(frm="Same"), {}, True, "NotAllowedByListeners"),
        (listener(frm="All"), {}, False, ""),
        (
            listener(frm="Selector", selector={"matchLabels": {"gw": "yes"}}),
            {},
            True,
            "NotAllowedByListeners",
        ),
        (
            listener(frm="Selector", selector={"matchLabels": {"gw": "yes"}}),
            {"gw": "yes"},
            False,
            "",
        ),
        (listener(kinds=[{"kind": "GRPCRoute"}]), {}, True, "NotAllowedByListeners"),
        (listener(protocol="TCP"), {}, True, "NotAllowedByListeners"),
        (listener(hostname="*.internal.example.com"), {}, True, "NoMatchingListenerHostname"),
        (listener(hostname="*.example.com"), {}, False, ""),
    ],
)
def test_not_accepted_predicted_without_status(lis, ns_labels, fires, reason):
    view = mkview(
        gclass(),
        gw([lis]),
        service(latency="90s"),
        eps(),
        route(rules=[rule(timeouts={"request": "120s"})]),
        namespace("ml-serving", ns_labels),
    )
    found = codes(view, "httproute-not-accepted")
    assert bool(found) is fires
    if fires:
        assert reason in found[0].message and "no controller status" in found[0].message


def test_not_accepted_missing_gateway_and_section():
    rt = route(
        parents=[{"name": "nope", "namespace": "gateway"}],
        rules=[rule(timeouts={"request": "120s"})],
    )
    [f] = codes(base(rt=rt), "httproute-not-accepted")
    assert "Gateway gateway/nope does not exist" in f.message
    rt = route(
        parents=[{"name": "ml-gw", "namespace": "gateway", "sectionName": "https"}],
        rules=[rule(timeouts={"request": "120s"})],
    )
    [f] = codes(base(rt=rt), "httproute-not-accepted")
    assert "NoMatchingParent" in f.message
    # Gateways not listed: a data gap, not a finding
    view = mkview(
        service(latency="90s"),
        eps(),
        route(rules=[rule(timeouts={"request": "2m"})]),
        listed=("Service", "EndpointSlice", "HTTPRoute"),
    )
    assert codes(view, "httproute-not-accepted") == []


# --- httproute-refs-unresolved -------------------------------------------------------------


def test_refs_unresolved_from_status():
    rt = route(
        status_parents=[
            parent_status(
                resolved="False",
                rreason="BackendNotFound",
                rmessage="service translate-svc not found",
            )
        ],
        rules=[rule(timeouts={"request": "120s"})],
    )
    [f] = codes(base(rt=rt), "httproute-refs-unresolved")
    assert "BackendNotFound" in f.message and "not found" in f.message


@pytest.mark.parametrize(
    "ref,text",
    [
        (backend("ghost"), "Service ml-serving/ghost does not exist"),
        (backend(port=8081), "has no port 8081"),
    ],
)
def test_refs_unresolved_missing_service_or_port(ref, text):
    rt = route(rules=[rule(backends=[ref], timeouts={"request": "120s"})])
    [f] = codes(base(rt=rt), "httproute-refs-unresolved")
    assert text in f.message


@pytest.mark.parametrize(
    "grants,fires",
    [
        ([], True),
        ([grant()], False),
        ([grant(to_name="translate-svc")], False),
        ([grant(to_name="other")], True),
        ([grant(from_kind="GRPCRoute")], True),
        ([grant(from_ns="elsewhere")], True),
        ([grant(ns="ml-serving")], True),  # a grant in the route's namespace does not count
    ],
)
def test_refs_unresolved_cross_namespace_needs_reference_grant(grants, fires):
    svc = service(ns="models", latency="90s")
    rt = route(rules=[rule(backends=[backend(ns="models")], timeouts={"request": "120s"})])
    view = mkview(gclass(), gw(), svc, eps(ns="models"), rt, *grants)
    found = codes(view, "httproute-refs-unresolved")
    assert bool(found) is fires
    if fires:
        assert "ReferenceGrant" in found[0].message and "ReferenceGrant" in found[0].hint


def test_cross_namespace_unknown_when_grants_not_listed():
    svc = service(ns="models", latency="90s")
    rt = route(rules=[rule(backends=[backend(ns="models")], timeouts={"request": "120s"})])
    view = mkview(
        gclass(),
        gw(),
        svc,
        eps(ns="models"),
        rt,
        listed=tuple(k for k in LISTED if k != "ReferenceGrant"),
    )
    assert codes(view, "httproute-refs-unresolved") == []


# --- httproute-backend-no-ready-endpoints --------------------------------------------------


@pytest.mark.parametrize(
    "objs,fires",
    [
        ([eps(ready=(False, False))], True),
        ([], True),  # EndpointSlices listed, none for the Service
        ([eps(ready=(False, True))], False),
    ],
)
def test_no_ready_endpoints(objs, fires):
    view = mkview(
        gclass(),
        gw(),
        service(latency="90s"),
        route(rules=[rule(timeouts={"request": "120s"})]),
        *objs,
    )
    found = codes(view, "httproute-backend-no-ready-endpoints")
    assert bool(found) is fires
    if fires:
        assert "translate-svc" in found[0].message


def test_no_ready_endpoints_near_misses():
    # weight 0: no traffic goes there
    rt = route(
        rules=[rule(backends=[backend(), backend("idle", weight=0)], timeouts={"request": "120s"})]
    )
    assert codes(base(service("idle"), rt=rt), "httproute-backend-no-ready-endpoints") == []
    # no endpoint data at all: unknown
    view = mkview(
        gclass(),
        gw(),
        service(latency="90s"),
        route(rules=[rule(timeouts={"request": "120s"})]),
        listed=("Service", "Gateway", "GatewayClass", "HTTPRoute"),
    )
    assert codes(view, "httproute-backend-no-ready-endpoints") == []


# --- httproute-timeout-invalid -------------------------------------------------------------


@pytest.mark.parametrize(
    "timeouts,fires",
    [
        ({"request": "1.5m"}, True),
        ({"request": "90"}, True),
        ({"request": "120s", "backendRequest": "10us"}, True),
        ({"request": "30s", "backendRequest": "60s"}, True),
        ({"request": "0s", "backendRequest": "120s"}, False),  # request disabled: allowed
        ({"request": "2m", "backendRequest": "100s"}, False),
        ({"request": "120s"}, False),
    ],
)
def test_timeout_invalid(timeouts, fires):
    rt = route(rules=[rule(timeouts=timeouts)])
    found = codes(base(rt=rt), "httproute-timeout-invalid")
    assert bool(found) is fires


# --- httproute-timeout-below-latency / httproute-no-timeout-for-model ---------------------


@pytest.mark.parametrize(
    "timeouts,fires",
    [
        ({"request": "30s"}, True),
        ({"request": "120s", "backendRequest": "30s"}, True),  # each try is cut at 30s
        ({"request": "120s"}, False),
        ({"request": "90s"}, False),
        ({"request": "0s"}, False),  # disabled
    ],
)
def test_timeout_below_latency(timeouts, fires):
    rt = route(rules=[rule(timeouts=timeouts)])
    found = codes(base(rt=rt), "httproute-timeout-below-latency")
    assert bool(found) is fires
    if fires:
        assert "30s" in found[0].message and "90s" in found[0].message
        assert "mlview.io/expected-latency" in found[0].message


def test_no_timeout_for_model_names_the_controller_default():
    rt = route(rules=[rule()])
    [f] = codes(base(rt=rt), "httproute-no-timeout-for-model")
    assert f.severity.value == "info"
    assert "Envoy Gateway" in f.message and "15s" in f.message and "below the 90s" in f.message


def test_no_timeout_for_model_unknown_controller_and_near_misses():
    view = mkview(
        gclass(controller="example.com/gw"),
        gw(),
        service(latency="90s"),
        eps(),
        route(rules=[rule()]),
    )
    [f] = codes(view, "httproute-no-timeout-for-model")
    assert "example.com/gw" in f.message and "15s" not in f.message
    # a timeout is set
    assert codes(base(), "httproute-no-timeout-for-model") == []
    # not a model backend
    view = base(svc=service("docs"), rt=route(rules=[rule(backends=[backend("docs")])]))
    assert codes(view, "httproute-no-timeout-for-model") == []


# --- gateway-listener-conflict -------------------------------------------------------------


@pytest.mark.parametrize(
    "lis,fires,text",
    [
        ([listener("a"), listener("b")], True, "HostnameConflict"),
        (
            [listener("a", hostname="x.example.com"), listener("b", hostname="y.example.com")],
            False,
            "",
        ),
        ([listener("a", 443, "HTTP"), listener("b", 443, "HTTPS")], True, "ProtocolConflict"),
        (
            [
                listener("a", 443, "HTTPS", "x.example.com"),
                listener("b", 443, "TLS", "y.example.com"),
            ],
            False,
            "",
        ),
        ([listener("a", 80), listener("b", 8080)], False, ""),
    ],
)
def test_listener_conflict(lis, fires, text):
    view = mkview(gclass(), gw(lis))
    found = codes(view, "gateway-listener-conflict")
    assert bool(found) is fires
    if fires:
        assert found[0].severity.value == "warning" and text in found[0].message


def test_listener_conflict_from_status():
    status = {
        "listeners": [
            {
                "name": "http",
                "conditions": [
                    {
                        "type": "Conflicted",
                        "status": "True",
                        "reason": "HostnameConflict",
                        "message": "m",
                    }
                ],
            }
        ]
    }
    [f] = codes(mkview(gclass(), gw(status=status)), "gateway-listener-conflict")
    assert "HostnameConflict" in f.message


# --- bad input -----------------------------------------------------------------------------


def test_malformed_routes_do_not_crash():
    bad = [
        {"kind": "HTTPRoute", "metadata": {"name": "a", "namespace": "x"}, "spec": ["nope"]},
        {
            "kind": "HTTPRoute",
            "metadata": {"name": "b", "namespace": "x"},
            "spec": {"rules": "x", "parentRefs": ["y"], "hostnames": "h"},
        },
        {
            "kind": "HTTPRoute",
            "metadata": {"name": "c", "namespace": "x"},
            "spec": {
                "rules": [
                    {
                        "timeouts": "30s",
                        "matches": [None],
                        "backendRefs": [{"port": "x", "weight": "9"}],
                    }
                ]
            },
            "status": {"parents": ["bad"]},
        },
        {"kind": "Gateway", "metadata": {"name": "g", "namespace": "x"}, "spec": {"listeners": 3}},
    ]
    view = mkview(*bad)
    gateway.findings(view)
    rows = gateway.route_rows(view)
    assert rows and all(gateway.route_detail(view, r).chain for r in rows)
    assert gateway.match_url(view, "anything", "/") is None
