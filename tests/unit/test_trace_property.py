"""trace never crashes: any URL text gives a Trace or a one-line OptionError; malformed objects
(manifests nobody validated) give a Trace."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlview.analysis.trace import OptionError, trace
from mlview.sources.snapshot import load
from mlview.store import StoreView

DEMO = Path(__file__).resolve().parents[2] / "demo"


@cache
def demo_view() -> StoreView:
    return load([DEMO / "incident-504.json"]).to_store().view()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    url=st.one_of(
        st.text(max_size=60),
        st.builds(
            lambda scheme, host, path: f"{scheme}{host}{path}",
            st.sampled_from(["", "http://", "https://", "ftp://", "//"]),
            st.sampled_from(["api.ml.example.com", "llm.ml.example.com", "", "x", "[::1]", "a:b"]),
            st.text(alphabet="/abcv1.%?#*[]", max_size=20),
        ),
    ),
    method=st.sampled_from(["GET", "POST", "patch", ""]),
)
def test_any_url_gives_a_trace_or_an_option_error(url, method):
    try:
        t = trace(demo_view(), url, method)
    except OptionError as exc:
        assert "\n" not in str(exc)
        return
    assert t.steps and 100 <= t.status <= 599
    assert "\n" not in t.verdict_reason


MALFORMED = [
    {"kind": "Ingress", "metadata": {"name": "a", "namespace": "ml"}, "spec": {"rules": "x"}},
    {
        "kind": "Ingress",
        "metadata": {"name": "b", "namespace": "ml"},
        "spec": {"rules": [{"host": "h.example.com", "http": {"paths": None}}]},
    },
    {
        "kind": "Ingress",
        "metadata": {"name": "c", "namespace": "ml"},
        "spec": {
            "rules": [
                {
                    "host": "h.example.com",
                    "http": {"paths": [{"path": "/", "backend": {"service": {"name": "s"}}}]},
                }
            ]
        },
    },
    {
        "kind": "HTTPRoute",
        "metadata": {"name": "r", "namespace": "ml"},
        "spec": {
            "hostnames": ["h.example.com"],
            "parentRefs": "gw",
            "rules": [{"backendRefs": [{"name": "s", "port": "eighty"}], "timeouts": 5}],
        },
    },
    {
        "kind": "Service",
        "metadata": {
            "name": "s",
            "namespace": "ml",
            "annotations": {"mlview.io/expected-latency": "x"},
        },
        "spec": {"ports": "none"},
    },
]


@pytest.mark.parametrize("via", ["auto", "ingress", "gateway"])
def test_malformed_objects_give_a_trace(via):
    view = StoreView.from_objects(MALFORMED)
    t = trace(view, "https://h.example.com/v1", "POST", body=10**6, latency=30, via=via)
    assert t.steps


def test_an_ingress_the_analysis_cannot_read_is_named():
    objs = [
        copy.deepcopy(MALFORMED[2]),
        {
            "kind": "Service",
            "metadata": {"name": "s", "namespace": "ml"},
            "spec": {"ports": [{"port": 80, "targetPort": "http"}], "selector": {"a": "b"}},
        },
        {
            "kind": "Pod",
            "metadata": {"name": "p", "namespace": "ml", "labels": {"a": "b"}},
            "spec": {"containers": [{"ports": [{"name": "http", "containerPort": "x"}]}]},
            "status": {"podIP": "10.0.0.1"},
        },
    ]
    objs[0]["spec"]["rules"][0]["http"]["paths"][0]["pathType"] = "Prefix"
    objs[0]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"] = {"number": 80}
    t = trace(StoreView.from_objects(objs), "http://h.example.com/")
    if t.status == 404:  # the ingress analysis could not read it: say which and why
        assert "Ingress ml/c could not be read" in t.steps[0].detail
