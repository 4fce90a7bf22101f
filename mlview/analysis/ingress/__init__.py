"""Ingress analysis: which route serves a URL, what stands behind it, which setting is wrong.

Public API (pure functions of a StoreView, cached per view):

- `route_rows(view) -> list[RouteRow]`: one row per rule path and per default backend: Ingress,
  resolved class, host, path, pathType, Service and port, targetPort, endpoint counts, TLS, and
  effective ingress-nginx settings (`row.settings`: name -> Setting(value, source, detail, note)).
- `route_detail(view, row) -> RouteDetail`: the chain Ingress -> rule -> Service -> port ->
  targetPort -> pods, the settings and the route's findings.
- `effective_settings(view, ingress) -> dict[str, Setting]`: annotation, else controller ConfigMap,
  else built-in default (ingress-nginx only; {} for other controllers).
- `match_url(view, url) -> Match`: the route ingress-nginx picks for a URL (see ingress_match).
- `findings(view)` and `route_findings(view) -> dict[route key, list[Finding]]`.

Annotations of ours, on a Service:

- `mlview.io/expected-latency: "90s"`: the backend's latency budget (a duration like "90s", "2m",
  "1m30s" or plain seconds). A route whose effective proxy-read-timeout is lower gets
  `ingress-timeout-below-latency`. A KServe InferenceService's component `timeout` counts the same.
- `mlview.io/accepts-uploads: "true"|"false"`: the backend takes (or does not take) large request
  bodies; overrides the name heuristic of `ingress-body-size-default`.

Heuristics (documented in ingress_workloads): a model-serving backend has a name or label with
model/inference/predictor/serving/llm/triton/vllm, a KServe or Seldon label, or the latency
annotation; an upload backend has image/vision/upload/document/ocr/audio in a name or label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mlview.analysis.findings import Finding, index_found
from mlview.analysis.ingress.checks import all_checks
from mlview.analysis.ingress.match import Match, match_url
from mlview.analysis.ingress.routes import RouteRow, pods_of, route_rows, rows_by_key
from mlview.analysis.ingress.settings import SETTINGS, Setting, effective_settings
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.services import PodLine, Step
from mlview.store import StoreView

__all__ = [
    "Match",
    "PodLine",
    "RouteDetail",
    "RouteRow",
    "Setting",
    "Step",
    "effective_settings",
    "findings",
    "match_url",
    "route_detail",
    "route_findings",
    "route_rows",
    "rows_by_key",
]


@dataclass(frozen=True)
class RouteDetail:
    row: RouteRow
    chain: list[Step]
    pods: list[PodLine]
    settings: list[tuple[str, Setting]]
    findings: list[Finding] = field(default_factory=list)


def _checks(view: StoreView) -> tuple[list[Finding], dict[str, list[Finding]]]:
    return view.memo(("ingress", "checks"), lambda: index_found(all_checks(view)))


def findings(view: StoreView) -> list[Finding]:
    return _checks(view)[0]


def route_findings(view: StoreView) -> dict[str, list[Finding]]:
    return _checks(view)[1]


def route_detail(view: StoreView, row: RouteRow) -> RouteDetail:
    chain = [
        Step(
            "Ingress",
            f"{row.ingress_ref}  class {row.class_name or '(none)'}"
            f"{' via ' + row.class_source if row.class_source else ''}"
            f"{' -> ' + row.controller if row.controller else ''}"
            f"{'  (canary)' if row.canary else ''}",
            None if not row.controller else True,
        )
    ]
    if row.default_backend:
        chain.append(Step("rule", "default backend (requests no rule matches)"))
    else:
        chain.append(
            Step(
                "rule",
                f"{row.host or '*'} {row.path} ({row.path_type or '?'})"
                f"{'  TLS ' + (row.tls_secret or 'default cert') if row.tls else ''}",
            )
        )
    if row.resource:
        chain.append(Step("resource", row.resource, None))
        return RouteDetail(
            row, chain, [], list(row.settings.items()), route_findings(view).get(row.key, [])
        )
    chain.append(
        Step(
            "Service",
            f"{row.namespace}/{row.service}"
            + (
                "  (missing)"
                if row.service_found is False
                else "  (not in snapshot)"
                if row.service_found is None
                else ""
            ),
            row.service_found,
        )
    )
    if row.service_found:
        ok = row.service_port is not None
        port = (
            f"{row.service_port}" + (f" ({row.port_name})" if row.port_name else "")
            if ok
            else f"{row.port} (no such port)"
        )
        chain.append(Step("port", port, ok))
        if ok:
            chain.append(Step("targetPort", row.target_port or "?", True))
    pods = [PodLine.of(p) for p in sorted(pods_of(view, row), key=o.name)]
    if row.ready is not None:
        chain.append(
            Step(
                "endpoints",
                f"{row.ready} ready / {row.ready + (row.not_ready or 0)}",
                row.ready > 0,
            )
        )
    settings = [(n, row.settings[n]) for n in SETTINGS if n in row.settings]
    return RouteDetail(row, chain, pods, settings, route_findings(view).get(row.key, []))
