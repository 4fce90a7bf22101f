"""Gateway API analysis beside Ingress: which HTTPRoute serves a URL, what stands behind it,
what cuts it.

Public API (pure functions of a StoreView, cached per view):

- `route_rows(view) -> list[GatewayRouteRow]`: one row per match of each rule of every HTTPRoute
  and GRPCRoute: parents (Gateway/listener, controller verdict), hostnames, path match, other
  conditions, backendRefs with weights -> Service -> port -> endpoints, timeouts.
- `route_detail(view, row) -> GatewayRouteDetail`: the chain Gateway/listener -> route -> status ->
  backendRefs -> Service -> port -> targetPort -> endpoints, the pods, and the row's findings.
- `match(view, host, path, scheme="") -> GatewayMatch` / `match_url(view, host_or_url, path=None)
  -> row | None`; `explain_url(view, url) -> (GatewayMatch, GatewayRouteDetail | None)` for trace.
- `crd_note(view) -> str`: one line when the Gateway API CRDs are not installed ("" otherwise).
- `findings(view)` and `route_findings(view) -> dict[row key, list[Finding]]`.

Why no `ingress-migration-notes` finding: it would fire for every ingress-nginx Ingress, always,
and tell on-call nothing is wrong today; the lens is data for the pane and detail screen instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mlview.analysis.findings import Finding, index_found
from mlview.analysis.gateway.checks import all_checks
from mlview.analysis.gateway.match import GatewayMatch, match, match_url, split
from mlview.analysis.gateway.model import (
    Condition,
    GatewayRouteRow,
    controller_label,
    fmt_seconds,
    parse_duration,
)
from mlview.analysis.gateway.routes import route_rows, rows_by_key
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.services import PodLine, Step, service_pods
from mlview.analysis.shared.workloads import latency_budget
from mlview.store import StoreView

__all__ = [
    "GatewayMatch",
    "GatewayRouteDetail",
    "GatewayRouteRow",
    "crd_note",
    "explain_url",
    "findings",
    "match",
    "match_url",
    "route_detail",
    "route_findings",
    "route_rows",
    "rows_by_key",
]

GATEWAY_KINDS = ("GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant")


@dataclass(frozen=True)
class GatewayRouteDetail:
    row: GatewayRouteRow
    chain: list[Step]
    pods: list[PodLine]
    findings: list[Finding] = field(default_factory=list)


def _checks(view: StoreView) -> tuple[list[Finding], dict[str, list[Finding]]]:
    return view.memo(("gateway", "checks"), lambda: index_found(all_checks(view)))


def findings(view: StoreView) -> list[Finding]:
    return _checks(view)[0]


def route_findings(view: StoreView) -> dict[str, list[Finding]]:
    return _checks(view)[1]


def crd_note(view: StoreView) -> str:
    """One line for the pane when a live cluster has no Gateway API CRDs."""
    states = [view.source.sync.get(k, "") for k in ("Gateway", "HTTPRoute")]
    if any(s.startswith("not installed") for s in states):
        return "Gateway API CRDs are not installed on this cluster: no Gateway routes to show"
    return ""


def _timeout_step(view: StoreView, row: GatewayRouteRow) -> Step:
    """The rule's timeouts, judged against the largest latency budget of its backends."""
    budgets = [
        b
        for x in row.backends
        if x.is_service
        and x.weight > 0
        and (svc := view.get("Service", x.namespace, x.name)) is not None
        and (b := latency_budget(view, svc)) is not None
    ]
    budget = max(budgets) if budgets else None
    text = row.timeout_text
    if budget is not None:
        text += f"  (backend expects up to {fmt_seconds(budget[0])}: {budget[1]})"
    cut = row.cut_seconds
    invalid = any(
        v is not None and parse_duration(v) is None
        for v in (row.timeout_request, row.timeout_backend)
    )
    if invalid:
        return Step("timeouts", text + "  (invalid duration)", False)
    if cut is None:
        return Step("timeouts", text, None)
    return Step("timeouts", text, budget is None or cut[0] >= budget[0])


def _condition_step(label: str, c: Condition) -> Step:
    """A parent's status condition as reported by the controller."""
    return Step(
        label,
        f"{c.status} {c.reason}" + (f": {c.message}" if c.message else ""),
        c.status == "True",
    )


def route_detail(view: StoreView, row: GatewayRouteRow) -> GatewayRouteDetail:
    chain: list[Step] = []
    for p in row.parents:
        ctrl = f"  ({controller_label(p.controller)})" if p.controller else ""
        lis = "; ".join(li.text for li in p.listeners) or "no listener"
        chain.append(
            Step(
                "Gateway",
                f"{p.ref}{ctrl}  listeners: {lis}"
                if p.found
                else f"{p.ref}" + ("  (missing)" if p.found is False else ""),
                p.found,
            )
        )
        if p.accepted is not None:
            chain.append(_condition_step("Accepted", p.accepted))
        elif p.predicted:
            chain.append(
                Step(
                    "Accepted",
                    f"(no status) by the spec: {p.predicted}: {p.predicted_detail}",
                    False,
                )
            )
        if p.resolved is not None:
            chain.append(_condition_step("ResolvedRefs", p.resolved))
    rule = f"{row.kind} {row.route_ref} rule {row.rule}" + (
        f" ({row.rule_name})" if row.rule_name else ""
    )
    chain.append(
        Step(
            "route",
            f"{rule}  hosts {row.host}  {row.path_type} {row.path}"
            + (f"  [{row.conditions}]" if row.conditions else ""),
        )
    )
    if row.kind == "HTTPRoute":
        chain.append(_timeout_step(view, row))
    if row.filters:
        chain.append(Step("filters", ", ".join(row.filters)))
    if not row.backends:
        chain.append(
            Step("backend", "none (filters only)" if row.filters else "none: requests get 500")
        )
    for i, b in enumerate(row.backends):
        label = f"backend {i + 1}" + (f" (weight {b.weight})" if len(row.backends) > 1 else "")
        if not b.is_service:
            chain.append(
                Step(label, f"{b.kind}/{b.namespace}/{b.name}", None if not b.problem else False)
            )
            continue
        ok = None if b.found is None else (b.found and not b.problem)
        chain.append(
            Step(
                label,
                f"Service {b.namespace}/{b.name}" + (f"  ({b.problem})" if b.problem else ""),
                ok,
            )
        )
        if b.service_port is not None:
            chain.append(
                Step(
                    "port",
                    f"{b.service_port}"
                    + (f" ({b.port_name})" if b.port_name else "")
                    + f" -> {b.target_port or '?'}",
                )
            )
        if b.ready is not None:
            total = b.ready + (b.not_ready or 0)
            chain.append(Step("endpoints", f"{b.ready} ready / {total}", b.ready > 0))
    pods = []
    for b in row.backends:
        svc = view.get("Service", b.namespace, b.name) if b.is_service else None
        for pod in sorted(service_pods(view, svc) if svc is not None else [], key=o.name):
            pods.append(PodLine.of(pod))
    return GatewayRouteDetail(row, chain, pods, route_findings(view).get(row.key, []))


def explain_url(
    view: StoreView, url: str, scheme: str = ""
) -> tuple[GatewayMatch, GatewayRouteDetail | None]:
    """For `trace`: the match for a URL ("https://host/path" or "host/path") and its chain."""
    url_scheme, host, path = split(url)
    m = match(view, host, path, scheme or url_scheme)
    return m, (route_detail(view, m.row) if m.row is not None else None)
