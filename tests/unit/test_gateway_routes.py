"""Gateway API rows, URL matching, route detail, and the ml-gateway demo."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlview.analysis import gateway
from mlview.sources import snapshot
from mlview.store import SourceInfo, StoreView
from tests.unit.test_gateway import (
    backend,
    base,
    eps,
    gclass,
    gw,
    listener,
    mkview,
    parent_status,
    route,
    rule,
    service,
)

DEMO = Path(__file__).resolve().parents[2] / "demo" / "ml-gateway.json"

# --- rows ----------------------------------------------------------------------------------


def test_rows_backends_weights_and_endpoints():
    rt = route(
        rules=[
            rule(
                backends=[backend(weight=90), backend("canary", weight=10)],
                timeouts={"request": "2m", "backendRequest": "90s"},
            )
        ]
    )
    view = base(service("canary"), eps("canary", ready=(True, False)), rt=rt)
    [row] = gateway.route_rows(view)
    assert row.key == "HTTPRoute/ml-serving/translate#0.0"
    assert row.backend == "translate-svc:80 w90 + canary:80 w10"
    assert row.ready == 2 and row.accepted is True
    assert row.timeout_text == "request 2m, backendRequest 90s"
    assert row.cut_seconds == (90, "timeouts.backendRequest")
    assert row.gateway == "gateway/ml-gw"
    assert [b.target_port for b in row.backends] == ["8080", "8080"]


def test_rows_defaults_hosts_and_conditions():
    # no rules: the CRD default (PathPrefix /); no hostnames: the listener's hostname
    rt = route(rules=[], hostnames=[])
    view = mkview(gclass(), gw([listener(hostname="*.example.com")]), rt)
    [row] = gateway.route_rows(view)
    assert (row.path_type, row.path, row.host) == ("PathPrefix", "/", "*.example.com")
    rt = route(rules=[rule(headers=[{"name": "x-model", "value": "v2"}], method="POST")])
    [row] = gateway.route_rows(base(rt=rt))
    assert row.conditions == "method POST; headers x-model=v2"
    assert "default (Envoy Gateway)" == row.timeout_text


def test_grpc_route_rows_and_match():
    grpc = route(
        "embed-grpc",
        kind="GRPCRoute",
        rules=[
            {
                "matches": [{"method": {"service": "embed.v1.Embedder", "method": "Embed"}}],
                "backendRefs": [backend()],
            }
        ],
    )
    view = base(grpc)
    row = next(r for r in gateway.route_rows(view) if r.kind == "GRPCRoute")
    assert (row.path_type, row.path) == ("gRPC", "/embed.v1.Embedder/Embed")
    assert gateway.match_url(view, "api.example.com", "/embed.v1.Embedder/Embed") is row


# --- match_url -----------------------------------------------------------------------------


def _routes_view(*routes: dict) -> StoreView:
    svcs = [service(n) for n in ("a", "b", "c", "d")]
    return mkview(gclass(), gw(), *svcs, *(eps(n) for n in ("a", "b", "c", "d")), *routes)


@pytest.mark.parametrize(
    "host,path,want",
    [
        ("api.example.com", "/v1/translate", "exact"),
        ("api.example.com", "/v1/translate/batch", "long"),
        ("api.example.com", "/v1/translatex", "short"),  # prefixes match whole path elements
        ("api.example.com", "/v1/other", "short"),
        ("API.example.com:443", "/v2/thing", "regex"),
        ("other.example.com", "/v1/translate", "wild"),
        ("a.b.example.com", "/x", "wild"),
        ("example.org", "/", None),
    ],
)
def test_match_url_precedence(host, path, want):
    view = _routes_view(
        route("exact", rules=[rule("/v1/translate", "Exact", [backend("a")])]),
        route("long", rules=[rule("/v1/translate", backends=[backend("b")])]),
        route("short", rules=[rule("/v1", backends=[backend("c")])]),
        route("regex", rules=[rule("/v[0-9]+/.*", "RegularExpression", [backend("d")])]),
        route("wild", hostnames=["*.example.com"], rules=[rule("/", backends=[backend("a")])]),
    )
    row = gateway.match_url(view, host, path)
    assert (row.route if row else None) == want


def test_match_prefers_oldest_route_and_reports_conditional_rules():
    view = _routes_view(
        route(
            "newer", created="2026-02-01T00:00:00Z", rules=[rule("/v1", backends=[backend("a")])]
        ),
        route(
            "older", created="2026-01-01T00:00:00Z", rules=[rule("/v1", backends=[backend("b")])]
        ),
        route(
            "hdr",
            rules=[
                rule(
                    "/v1/translate",
                    backends=[backend("c")],
                    headers=[{"name": "x-canary", "value": "1"}],
                )
            ],
        ),
    )
    m = gateway.match(view, "api.example.com", "/v1/translate")
    assert m.row.route == "older" and "longest PathPrefix /v1" in m.reason
    assert [r.route for r in m.conditional] == ["hdr"]


def test_match_skips_routes_not_accepted_and_honours_scheme():
    view = mkview(
        gclass(),
        service(),
        eps(),
        gw([listener("https", 443, "HTTPS", "api.example.com"), listener("http", 80, "HTTP")]),
        route(
            "api",
            rules=[rule("/v1", backends=[backend()])],
            parents=[{"name": "ml-gw", "namespace": "gateway", "sectionName": "https"}],
        ),
        route(
            "redirect",
            hostnames=[],
            rules=[{"filters": [{"type": "RequestRedirect"}]}],
            parents=[{"name": "ml-gw", "namespace": "gateway", "sectionName": "http"}],
        ),
        route(
            "refused",
            rules=[rule("/v1/translate", "Exact")],
            status_parents=[parent_status("False", "NotAllowedByListeners")],
        ),
    )
    assert gateway.match_url(view, "https://api.example.com/v1/translate").route == "api"
    m = gateway.match(view, "api.example.com", "/v1/translate", scheme="http")
    assert m.row.route == "redirect" and "RequestRedirect" in m.reason
    assert gateway.match(view, "nowhere.example.com", "/", scheme="https").row is None


# --- route_detail --------------------------------------------------------------------------


def test_route_detail_chain_and_findings():
    rt = route(rules=[rule(timeouts={"request": "30s"})], status_parents=[parent_status()])
    pod = {
        "kind": "Pod",
        "metadata": {
            "name": "translate-svc-0",
            "namespace": "ml-serving",
            "labels": {"app": "translate-svc"},
        },
        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]},
    }
    view = base(pod, rt=rt)
    [row] = gateway.route_rows(view)
    detail = gateway.route_detail(view, row)
    labels = [s.label for s in detail.chain]
    assert labels[:3] == ["Gateway", "Accepted", "ResolvedRefs"]
    assert "route" in labels and "endpoints" in labels and "timeouts" in labels
    assert [p.name for p in detail.pods] == ["translate-svc-0"]
    assert [f.code for f in detail.findings] == ["httproute-timeout-below-latency"]


# --- CRDs not installed --------------------------------------------------------------------


def test_crd_note():
    view = StoreView({}, 1, frozenset(), SourceInfo(sync={"Gateway": "not installed"}))
    assert "not installed" in gateway.crd_note(view)
    assert gateway.route_rows(view) == [] and gateway.findings(view) == []
    assert gateway.crd_note(base()) == ""


# --- the demo scenario ---------------------------------------------------------------------


@pytest.mark.skipif(not DEMO.exists(), reason="demo/ml-gateway.json not generated yet")
def test_demo_ml_gateway():
    view = snapshot.load([DEMO]).to_store("demo").view()
    found = {(f.code, f.name) for f in gateway.findings(view)}
    assert ("httproute-not-accepted", "experimental-route") in found
    assert ("httproute-timeout-below-latency", "translation-route") in found
    assert ("httproute-refs-unresolved", "embeddings-route") in found
    # trace: the translate URL is served by the HTTPRoute with the 30s timeout
    row = gateway.match_url(view, "https://api.ml.example.com/v1/translate")
    assert row is not None and row.route == "translation-route"
    assert row.timeout_request == "30s"
    assert row.ready and row.ready > 0
    detail = gateway.route_detail(view, row)
    assert any(f.code == "httproute-timeout-below-latency" for f in detail.findings)
    # `check` runs the analyzer through the registry; `trace` uses explain_url
    from mlview.analysis.registry import run_checked

    found, _ = run_checked(view)
    assert any(f.code == "httproute-timeout-below-latency" for f in found)
    m, detail = gateway.explain_url(view, "api.ml.example.com/v1/translate/batch")
    assert m.row is row and detail is not None and "translation-route" in m.reason
    # the unresolved cross-namespace backend does not count as ready capacity
    emb = gateway.match_url(view, "https://api.ml.example.com/v1/embeddings")
    assert emb.route == "embeddings-route"
    assert emb.ready == sum(b.ready for b in emb.backends if not b.problem)


def test_grpc_route_has_no_timeout_checks():
    grpc = route("g", kind="GRPCRoute", rules=[{"backendRefs": [backend()]}])
    view = mkview(gclass(), gw(), service(latency="90s"), eps(), grpc)
    assert [f.code for f in gateway.findings(view)] == []


def test_detail_timeout_step_judges_the_budget():
    for timeouts, ok in (
        ({"request": "30s"}, False),
        ({"request": "2m"}, True),
        (None, None),
        ({"request": "1.5s"}, False),
    ):
        view = base(rt=route(rules=[rule(timeouts=timeouts)]))
        step = next(
            s
            for s in gateway.route_detail(view, gateway.route_rows(view)[0]).chain
            if s.label == "timeouts"
        )
        assert step.ok is ok and "expects up to 90s" in step.text
