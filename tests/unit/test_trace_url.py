"""The URL a trace starts from: an Ingress's or HTTPRoute's first concrete host and path, or a
route row of the Ingress tab (analysis/trace/url.py, pure)."""

from __future__ import annotations

from mlview.analysis import gateway, ingress
from mlview.analysis.trace.url import url_for, url_for_row
from mlview.sources.demo import scenario_path
from mlview.sources.snapshot import load


def test_url_for_objects():
    ing = {
        "kind": "Ingress",
        "spec": {
            "tls": [{"hosts": ["a.example.com"]}],
            "rules": [
                {"host": "*.example.com"},
                {"host": "a.example.com", "http": {"paths": [{"path": "/v1"}]}},
            ],
        },
    }
    route = {
        "kind": "HTTPRoute",
        "spec": {
            "hostnames": ["b.example.com"],
            "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/v2"}}]}],
        },
    }
    assert url_for(ing) == "https://a.example.com/v1"
    assert url_for(route) == "https://b.example.com/v2"
    assert url_for({"kind": "Pod"}) == "" and url_for(None) == ""


def test_url_for_rows_of_the_ingress_pane():
    v = load([scenario_path("ml-gateway")]).to_store().view()
    rows = {r.route: r for r in gateway.route_rows(v)}
    assert url_for_row(rows["translation-route"]) == "https://api.ml.example.com/v1/translate"
    assert url_for_row(rows["https-redirect"]) == ""  # no concrete hostname
    v = load([scenario_path("incident-504")]).to_store().view()
    llm = next(r for r in ingress.route_rows(v) if r.ingress == "llm-api")
    assert url_for_row(llm) == "https://llm.ml.example.com/"
    assert url_for_row(None) == ""
