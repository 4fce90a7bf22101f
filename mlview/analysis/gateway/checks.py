"""Gateway API findings: route status, references, endpoints, timeouts, listener conflicts.

Each check yields (Finding, row keys it concerns) so the pane can show a route's own findings.
The controller's status is the verdict when present; without status (a manifest, or no controller
has seen the route yet) we apply the spec's attachment rules only where every fact is in the store.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from mlview.analysis.findings import Finding, Found, finding
from mlview.analysis.gateway.model import (
    GatewayRouteRow,
    controller_label,
    default_timeout,
    fmt_seconds,
    parse_duration,
)
from mlview.analysis.gateway.parents import conditions, listeners
from mlview.analysis.gateway.routes import route_rows
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.services import service_pods
from mlview.analysis.shared.workloads import latency_budget, model_serving
from mlview.store import StoreView


def _by_route(rows: list[GatewayRouteRow]) -> dict[tuple[str, str, str], list[GatewayRouteRow]]:
    out: dict[tuple[str, str, str], list[GatewayRouteRow]] = {}
    for r in rows:
        out.setdefault((r.kind, r.namespace, r.route), []).append(r)
    return out


def all_checks(view: StoreView) -> list[Found]:
    rows = route_rows(view)
    out: list[Found] = []
    for (kind, ns, name), mine in _by_route(rows).items():
        obj = (kind, ns, name)
        keys = tuple(r.key for r in mine)
        out.extend((f, keys) for f in _not_accepted(obj, mine[0]))
        out.extend((f, keys) for f in _refs(obj, mine))
        out.extend(_endpoints(obj, mine))
        if kind == "HTTPRoute":  # GRPCRoute rules have no timeouts field
            out.extend(_timeouts(view, obj, mine))
    out.extend((f, ()) for gw in view.list("Gateway") for f in _listener_conflicts(gw))
    return out


def _label(row: GatewayRouteRow) -> str:
    where = f"rule {row.rule}" + (f" ({row.rule_name})" if row.rule_name else "")
    return f"{where} {row.path}" if row.path else where


def _not_accepted(obj: tuple[str, str, str], row: GatewayRouteRow) -> Iterator[Finding]:
    kind, ns, name = obj
    for p in row.parents:
        acc = p.accepted
        if acc is not None and acc.status == "False":
            msg = f": {acc.message}" if acc.message else ""
            if p.predicted_detail:  # the spec's view says which listener rule refused it
                msg += f" ({p.predicted_detail})"
            yield finding(
                "httproute-not-accepted",
                "error",
                obj,
                f"{kind} {ns}/{name} is not accepted by {p.ref}: {acc.reason or 'no reason'}{msg}",
                _hint(acc.reason, p.predicted_detail),
            )
        elif acc is None and p.predicted:
            yield finding(
                "httproute-not-accepted",
                "error",
                obj,
                f"{kind} {ns}/{name} cannot attach to {p.ref}: {p.predicted} "
                f"({p.predicted_detail}; no controller status, by the Gateway API rules)",
                _hint(p.predicted, p.predicted_detail),
            )


_HINTS = {
    "NotAllowedByListeners": "allow the route's namespace on the listener "
    "(allowedRoutes.namespaces.from: All or Selector) or move the route to the Gateway's "
    "namespace; check allowedRoutes.kinds",
    "NoMatchingListenerHostname": "make spec.hostnames intersect a listener hostname "
    "(a listener *.example.com admits a.example.com and *.example.com, not example.com)",
    "NoMatchingParent": "fix parentRefs (Gateway name/namespace, sectionName = a listener name, "
    "port = a listener port)",
    "UnsupportedValue": "a field value the implementation does not support: see the message",
}


def _hint(reason: str, detail: str) -> str:
    hint = _HINTS.get(reason, "see the reason and message in the route's status.parents")
    return f"{hint} ({detail})" if detail and reason not in _HINTS else hint


def _refs(obj: tuple[str, str, str], rows: list[GatewayRouteRow]) -> Iterator[Finding]:
    kind, ns, name = obj
    causes: list[str] = []
    for p in rows[0].parents:
        res = p.resolved
        if res is not None and res.status == "False":
            causes.append(
                f"ResolvedRefs False on {p.ref}: {res.reason}"
                + (f" ({res.message})" if res.message else "")
            )
    seen: set[str] = set()
    for r in rows:
        for b in r.backends:
            if b.problem and b.problem not in seen:
                seen.add(b.problem)
                causes.append(b.problem)
    if causes:
        grant = any("ReferenceGrant" in c or "RefNotPermitted" in c for c in causes)
        hint = "create the missing Service/port or fix the backendRef" + (
            "; for a cross-namespace backendRef add a ReferenceGrant in the Service's "
            f"namespace with from: {{group: gateway.networking.k8s.io, kind: {kind}, "
            f'namespace: {ns}}} and to: {{group: "", kind: Service}}'
            if grant
            else ""
        )
        yield finding(
            "httproute-refs-unresolved",
            "error",
            obj,
            f"{kind} {ns}/{name} has unresolved backend references: "
            + "; ".join(causes)
            + " (requests to them get HTTP 500)",
            hint,
        )


def _endpoints(obj: tuple[str, str, str], rows: list[GatewayRouteRow]) -> Iterator[Found]:
    kind, ns, name = obj
    per_backend: dict[tuple[str, str, int | None], list[GatewayRouteRow]] = {}
    for r in rows:
        for b in r.backends:
            if b.weight > 0 and b.ready == 0 and b.is_service and not b.problem:
                per_backend.setdefault((b.namespace, b.name, b.port), []).append(r)
    for (bns, bname, port), mine in per_backend.items():
        b = next(x for x in mine[0].backends if (x.namespace, x.name) == (bns, bname))
        extra = f" ({b.not_ready} not ready)" if b.not_ready else ""
        yield (
            finding(
                "httproute-backend-no-ready-endpoints",
                "error",
                obj,
                f"{kind} {ns}/{name} sends traffic to Service {bns}/{bname}:{port}, "
                f"which has no ready endpoints{extra}: requests get HTTP 503/500",
                "check the Service's pods (readiness, selector, targetPort) or set the "
                "backendRef's weight to 0",
            ),
            tuple(r.key for r in mine),
        )


def _timeouts(
    view: StoreView, obj: tuple[str, str, str], rows: list[GatewayRouteRow]
) -> Iterator[Found]:
    kind, ns, name = obj
    seen_rules: set[int] = set()
    for row in rows:
        if row.rule in seen_rules:
            continue
        seen_rules.add(row.rule)
        keys = tuple(r.key for r in rows if r.rule == row.rule)
        bad = [
            f"timeouts.{f} {v!r}"
            for f, v in (("request", row.timeout_request), ("backendRequest", row.timeout_backend))
            if v is not None and parse_duration(v) is None
        ]
        if bad:
            yield (
                finding(
                    "httproute-timeout-invalid",
                    "error",
                    obj,
                    f"{kind} {ns}/{name} {_label(row)}: {', '.join(bad)} is not a Gateway API "
                    "duration (1-4 parts of up to 5 digits with h, m, s or ms: 90s, 1m30s, 500ms)",
                    'write it as e.g. "90s" or "2m" (no fractions, no spaces, no us)',
                ),
                keys,
            )
            continue
        req, back = row.request_seconds, row.backend_seconds
        if req and back is not None and back > req:
            yield (
                finding(
                    "httproute-timeout-invalid",
                    "error",
                    obj,
                    f"{kind} {ns}/{name} {_label(row)}: timeouts.backendRequest "
                    f"{row.timeout_backend} is longer than timeouts.request "
                    f"{row.timeout_request}",
                    "backendRequest must not exceed request (request covers all backend tries); "
                    "raise request or lower backendRequest",
                ),
                keys,
            )
        yield from _latency(view, obj, row, keys)


def _latency(
    view: StoreView, obj: tuple[str, str, str], row: GatewayRouteRow, keys: tuple[str, ...]
) -> Iterator[Found]:
    """One finding per rule: the largest budget its cut is below, or a missing timeout."""
    kind, ns, name = obj
    cut = row.cut_seconds
    unset = row.timeout_request is None and row.timeout_backend is None
    over: list[tuple[float, int, str]] = []
    model: tuple[str, str, str, tuple[float, str] | None] | None = None
    for b in row.backends:
        if not b.is_service or b.weight <= 0:
            continue
        svc = view.get("Service", b.namespace, b.name)
        if svc is None:
            continue
        budget = latency_budget(view, svc)
        if cut is not None and budget is not None and cut[0] < budget[0]:
            over.append((budget[0], b.weight, budget[1]))
        elif unset and model is None:
            why = model_serving(view, svc, service_pods(view, svc))
            if why:
                model = (b.namespace, b.name, why, budget)
    if over and cut is not None:
        secs, _w, source = max(over)  # the largest budget; on a tie the main backend
        more = f" (and {len(over) - 1} more backend(s) of this rule)" if len(over) > 1 else ""
        yield (
            finding(
                "httproute-timeout-below-latency",
                "error",
                obj,
                f"{kind} {ns}/{name} {_label(row)} cuts requests at {fmt_seconds(cut[0])} "
                f"({cut[1]}) but {source} says requests may take {fmt_seconds(secs)}{more}: "
                "slow requests get a timeout error",
                f'raise {cut[1]} to at least {fmt_seconds(secs)} (e.g. "{int(secs * 1.5)}s"), '
                "keeping backendRequest <= request",
            ),
            keys,
        )
    elif model is not None:
        yield _no_timeout(obj, row, *model), keys


def _no_timeout(
    obj: tuple[str, str, str],
    row: GatewayRouteRow,
    bns: str,
    bname: str,
    why: str,
    budget: tuple[float, str] | None,
) -> Finding:
    kind, ns, name = obj
    impl = ""
    for c in row.controllers:
        secs = default_timeout(c)
        impl = (
            f"{controller_label(c)}'s default request timeout ({fmt_seconds(secs)}) applies"
            if secs is not None
            else f"the default of {controller_label(c)} applies"
        )
        if secs is not None and budget is not None and secs < budget[0]:
            impl += f", below the {fmt_seconds(budget[0])} the backend declares"
        break
    impl = impl or "the Gateway implementation's default applies"
    return finding(
        "httproute-no-timeout-for-model",
        "info",
        obj,
        f"{kind} {ns}/{name} {_label(row)} serves a model (Service {bns}/{bname}: {why}) and sets "
        f"no timeouts: {impl}",
        "set timeouts.request on the rule to the longest request the model may take "
        '(a Gateway API duration such as "120s")',
    )


_PROTO_GROUP = {"HTTP": "http", "HTTPS": "tls", "TLS": "tls", "TCP": "tcp", "UDP": "udp"}


def _listener_conflicts(gw: Mapping[str, Any]) -> Iterator[Finding]:
    """Listeners on one port that the spec says cannot coexist, and Conflicted status."""
    ns, name = o.namespace(gw), o.name(gw)
    said: set[str] = set()
    for ls in (gw.get("status") or {}).get("listeners") or []:
        cond = conditions(ls.get("conditions")).get("Conflicted")
        if cond is not None and cond.status == "True":
            said.add(str(ls.get("name")))
            yield finding(
                "gateway-listener-conflict",
                "warning",
                gw,
                f"Gateway {ns}/{name} listener {ls.get('name')} is Conflicted: {cond.reason}"
                + (f" ({cond.message})" if cond.message else ""),
                "give each listener on a port a distinct hostname and a compatible protocol",
            )
    items = listeners(gw)
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if a.get("port") != b.get("port") or {a.get("name"), b.get("name")} & said:
                continue
            pa = _PROTO_GROUP.get(str(a.get("protocol")))
            pb = _PROTO_GROUP.get(str(b.get("protocol")))
            if "udp" in (pa, pb) and pa != pb:
                continue  # UDP and a TCP-based protocol use different transports
            if pa != pb:
                what = (
                    f"protocols {a.get('protocol')} and {b.get('protocol')} cannot share "
                    f"port {a.get('port')} (ProtocolConflict)"
                )
            elif (a.get("hostname") or "") == (b.get("hostname") or ""):
                what = (
                    f"same port {a.get('port')}, protocol {a.get('protocol')} and hostname "
                    f"{a.get('hostname') or '(any)'} (HostnameConflict)"
                )
            else:
                continue
            yield finding(
                "gateway-listener-conflict",
                "warning",
                gw,
                f"Gateway {ns}/{name} listeners {a.get('name')} and {b.get('name')} collide: "
                f"{what}",
                "give each listener on a port a distinct hostname and a compatible protocol; "
                "conflicted listeners do not serve routes",
            )
