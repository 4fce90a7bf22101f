"""trace on the bundled demo scenarios, through the API and through `mlview trace`."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from mlview.analysis.trace import trace
from mlview.analysis.trace.model import STEP_ORDER
from mlview.cli import main
from mlview.sources.snapshot import load
from mlview.store import StoreView

DEMO = Path(__file__).resolve().parents[2] / "demo"
API = "https://api.ml.example.com"
STEPS = set(STEP_ORDER)


@cache
def view(name: str) -> StoreView:
    return load([DEMO / f"{name}.json"]).to_store().view()


# (scenario, url, options, status, deciding step, words in its detail or lines)
CASES = [
    ("ml-platform", f"{API}/v1/translate", {}, 200, None, []),
    ("ml-platform", f"{API}/v1/sentiment", {"method": "POST"}, 200, None, []),
    ("ml-platform", f"{API}/v2/unknown", {}, 404, "route", ["default backend"]),
    (
        "incident-504",
        f"{API}/v1/vision",
        {"body": 20 * 1024**2},
        413,
        "body-size",
        ["proxy-body-size 8m", "configmap"],
    ),
    (
        "incident-504",
        "https://llm.ml.example.com/v1/generate",
        {},
        503,
        "endpoints",
        ["CrashLoopBackOff", "readiness", "Readiness probe failed: HTTP probe failed"],
    ),
    (
        "incident-504",
        f"{API}/v1/translate",
        {"method": "POST"},
        504,
        "timeouts",
        ["proxy-read-timeout", "60s", "90s"],
    ),
    (
        "netpol-lockdown",
        f"{API}/v1/sentiment",
        {},
        504,
        "network-policy",
        ["ml-serving/default-deny", "DENIES", "proxy-connect-timeout"],
    ),
    (
        "ml-gateway",
        f"{API}/v1/translate",
        {},
        504,
        "timeouts",
        ["timeouts.request", "30s"],
    ),
    ("ml-gateway", f"{API}/v1/models", {}, 200, None, []),
    ("ml-gateway", f"{API}/v2/unknown", {}, 404, "route", ["no rule"]),
]


@pytest.mark.parametrize("scenario, url, opts, status, deciding, words", CASES)
def test_demo_traces(scenario, url, opts, status, deciding, words):
    t = trace(view(scenario), url, **opts)
    assert t.status == status, "\n".join(t.lines())
    assert {s.step for s in t.steps} <= STEPS
    if deciding is None:
        assert t.deciding is None
        return
    assert t.deciding.step == deciding
    text = t.deciding.detail + "\n" + "\n".join(t.deciding.lines)
    for word in words:
        assert word in text, text


def test_gateway_routes_go_through_the_gateway_and_follow_the_https_redirect():
    t = trace(view("ml-gateway"), "api.ml.example.com/v1/translate")  # http
    assert t.via == "gateway"
    first = t.steps[0]
    assert first.step == "route" and first.status == 301 and first.verdict == "ok"
    assert t.status == 504


def test_gateway_blocked_weight_share_is_a_warning():
    t = trace(view("ml-gateway"), f"{API}/v1/embeddings")
    backend = next(s for s in t.steps if s.step == "backend")
    assert backend.verdict == "warning" and "ReferenceGrant" in backend.detail


def test_expected_latency_option_overrides_the_annotation():
    fits = trace(view("ml-platform"), f"{API}/v1/translate", method="POST", latency=100)
    slow = trace(view("ml-platform"), f"{API}/v1/translate", method="POST", latency=130)
    assert fits.status == 200  # the annotated 120 s read timeout
    assert slow.status == 504 and "--expected-latency" in slow.deciding.detail


# ---- the CLI -----------------------------------------------------------------------------


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["trace", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_contract(capsys):
    code, out, _ = cli(
        capsys, f"{API}/v1/sentiment", "--demo", "netpol-lockdown", "--format", "json"
    )
    data = json.loads(out)
    assert code == 1
    assert set(data) == {"url", "method", "via", "status", "verdict_reason", "steps"}
    assert data["status"] == 504 and data["method"] == "GET"
    assert "\n" not in data["verdict_reason"]
    for s in data["steps"]:
        assert {"step", "verdict", "detail", "refs"} <= set(s)
        assert s["verdict"] in ("ok", "warning", "failing", "skipped")
        for r in s["refs"]:
            assert set(r) == {"kind", "namespace", "name"}
    failing = [s for s in data["steps"] if s["verdict"] == "failing"]
    assert failing[0]["step"] == "network-policy" and failing[0]["status"] == 504


def test_cli_exit_0_on_a_healthy_path_and_plain_text_when_piped(capsys):
    code, out, _ = cli(capsys, f"{API}/v1/translate", "--demo", "ml-platform")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("GET https://api.ml.example.com/v1/translate  ->  200")
    assert lines[1].startswith("1. route")
    assert "\x1b" not in out


def test_cli_options_are_parsed(capsys):
    code, out, _ = cli(
        capsys,
        f"{API}/v1/vision",
        "--demo",
        "incident-504",
        "--method",
        "post",
        "--body-size",
        "20MB",
        "--expected-latency",
        "1500ms",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert code == 1 and data["method"] == "POST" and data["status"] == 413


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--body-size", "lots"], "body size"),
        (["--expected-latency", "soon"], "expected latency"),
        (["--method", "GET /"], "method"),
        (["--demo", "no-such-scenario"], "no demo scenario"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(capsys, argv, words):
    code, out, err = cli(capsys, f"{API}/v1/translate", *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and words in err


def test_cli_bad_url_exits_2(capsys):
    code, _, err = cli(capsys, "ftp://x/", "--demo", "ml-platform")
    assert code == 2 and "scheme" in err


def test_cli_missing_url_exits_2(capsys):
    code, out, err = cli(capsys, "--demo", "ml-platform")
    assert code == 2 and out == "" and "needs a URL" in err


def test_cli_url_after_snapshot_paths(capsys):
    code, out, _ = cli(capsys, "--snapshot", str(DEMO / "ml-platform.json"), f"{API}/v1/translate")
    assert code == 0 and out.startswith("GET https://api.ml.example.com/v1/translate  ->  200")


def test_missing_service_on_a_demo_is_503():
    snap = load([DEMO / "incident-504.json"])
    objs = [
        o
        for o in snap.objects
        if not (o["kind"] == "Service" and o["metadata"]["name"] == "translation-model-svc")
    ]
    v = StoreView.from_objects(objs, listed_kinds=snap.listed_kinds)
    t = trace(v, f"{API}/v1/translate")
    assert t.status == 503 and t.deciding.step == "backend"
    assert "translation-model-svc does not exist" in t.deciding.detail
