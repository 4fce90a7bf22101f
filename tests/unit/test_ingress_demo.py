"""The Ingress analysis on the shipped demo scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlview.analysis import ingress
from mlview.sources import snapshot

DEMO = Path(__file__).parents[2] / "demo"


def load(name: str):
    return snapshot.load([DEMO / f"{name}.json"]).to_store("demo").view()


def test_incident_504_translation_route_keeps_the_default_read_timeout():
    view = load("incident-504")
    (row,) = [r for r in ingress.route_rows(view) if r.path == "/v1/translate"]
    read = row.settings["proxy-read-timeout"]
    assert (read.value, read.source) == ("60", "default")
    codes = [f.code for f in ingress.route_findings(view)[row.key]]
    assert "ingress-timeout-below-latency" in codes


def test_incident_504_findings():
    found = ingress.findings(load("incident-504"))
    messages = {f.code: [] for f in found}
    for f in found:
        messages[f.code].append(f.message)
    assert any('"120s"' in m for m in messages["ingress-annotation-invalid-value"])
    assert any('"50 MB"' in m for m in messages["ingress-annotation-invalid-value"])
    assert any("proxy-read-timout" in m for m in messages["ingress-annotation-unknown"])
    assert any("nginx.org/" in m for m in messages["ingress-annotation-wrong-controller"])
    assert "ingress-backend-no-ready-endpoints" in messages


def test_incident_504_settings_come_from_the_controller_configmap():
    view = load("incident-504")
    sources = {r.settings["proxy-body-size"].source for r in ingress.route_rows(view) if r.settings}
    assert "configmap" in sources


@pytest.mark.parametrize("name", ["ml-platform"])
def test_healthy_platform_has_no_ingress_errors(name):
    assert [f for f in ingress.findings(load(name)) if f.severity.value == "error"] == []


def test_match_url_on_incident_504():
    m = ingress.match_url(load("incident-504"), "https://api.ml.example.com/v1/translate")
    assert m.row is not None and m.row.service == "translation-model-svc"
