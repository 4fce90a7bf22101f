"""Rows for HTTPRoutes and GRPCRoutes: matches, backends with weights, timeouts, parents.

A cross-namespace backendRef needs a ReferenceGrant in the backend's namespace whose `from` names
the route's group/kind/namespace and whose `to` names group "" kind Service (and, when set, the
Service's name). Endpoints, ports and targetPorts are counted as for Ingress (ingress_backends).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlview.analysis.gateway.model import (
    GROUP,
    ROUTE_KINDS,
    BackendInfo,
    GatewayRouteRow,
)
from mlview.analysis.gateway.parents import as_list, as_map, parent_info
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.services import resolve_service
from mlview.store import StoreView


def reference_grant(
    view: StoreView,
    route: Mapping[str, Any],
    to_ns: str,
    svc: str,
    kind: str = "Service",
    group: str = "",
) -> bool | None:
    """Does a ReferenceGrant in `to_ns` let this route point at the Service? None: unknown."""
    route_ns, route_kind = o.namespace(route), str(route.get("kind") or "")
    for grant in view.list("ReferenceGrant", to_ns):
        spec = grant.get("spec") or {}
        frm = any(
            f.get("group") == GROUP
            and f.get("kind") == route_kind
            and f.get("namespace") == route_ns
            for f in spec.get("from") or []
        )
        to = any(
            (t.get("group") or "") == group
            and t.get("kind") == kind
            and (not t.get("name") or t.get("name") == svc)
            for t in spec.get("to") or []
        )
        if frm and to:
            return True
    return False if view.has_listed("ReferenceGrant") else None


def backend_info(view: StoreView, route: Mapping[str, Any], ref: Mapping[str, Any]) -> BackendInfo:
    group, kind = str(ref.get("group") or ""), str(ref.get("kind") or "Service")
    route_ns = o.namespace(route)
    ns, name = str(ref.get("namespace") or route_ns), str(ref.get("name") or "")
    port = ref.get("port") if isinstance(ref.get("port"), int) else None
    weight = w if isinstance(w := ref.get("weight"), int) else 1
    grant = reference_grant(view, route, ns, name, kind, group) if ns != route_ns else None
    problem = ""
    if grant is False:
        problem = (
            f"backendRef {ns}/{name} is in another namespace and no ReferenceGrant in "
            f"{ns} allows {route.get('kind')}s from {route_ns}"
        )
    if not (group == "" and kind == "Service"):
        return BackendInfo(
            group, kind, ns, name, port, weight, None, None, "", "", None, None, grant, problem
        )
    b = resolve_service(view, ns, name, {"number": port})  # no port: no Service port matches
    if b.found is False:
        problem = problem or f"Service {ns}/{name} does not exist"
    elif b.found and port is None:
        problem = problem or f"backendRef {ns}/{name} has no port"
    elif b.found and b.port is None:
        problem = problem or f"Service {ns}/{name} has no port {port}"
    return BackendInfo(
        group,
        kind,
        ns,
        name,
        port,
        weight,
        b.found,
        b.port,
        b.port_name,
        b.target,
        b.ready,
        b.not_ready,
        grant,
        problem,
    )


def _path(kind: str, match: Mapping[str, Any]) -> tuple[str, str, str]:
    """(path type, path, other conditions) of one match."""
    if kind == "GRPCRoute":
        m = match.get("method") or {}
        svc, meth = str(m.get("service") or ""), str(m.get("method") or "")
        mtype = "gRPC regex" if m.get("type") == "RegularExpression" else "gRPC"
        path = f"/{svc or '*'}/{meth or '*'}"
        return mtype, path, _headers(match)
    p = match.get("path") or {}
    ptype, value = str(p.get("type") or "PathPrefix"), str(p.get("value") or "/")
    parts = []
    if match.get("method"):
        parts.append(f"method {match['method']}")
    head = _headers(match)
    if head:
        parts.append(head)
    qs = _conditions(match.get("queryParams"))
    if qs:
        parts.append("query " + qs)
    return ptype, value, "; ".join(parts)


def _headers(match: Mapping[str, Any]) -> str:
    hs = _conditions(match.get("headers"))
    return ("headers " + hs) if hs else ""


def _conditions(items: Any) -> str:
    """Header or query param matches: `name=value`, `name~regex`, comma-separated."""
    return ",".join(
        f"{c.get('name')}{'~' if c.get('type') == 'RegularExpression' else '='}{c.get('value')}"
        for c in items or []
    )


def rows_for(view: StoreView, route: Mapping[str, Any]) -> list[GatewayRouteRow]:
    """Rows of one route. Malformed parts (a manifest nobody validated) are skipped."""
    kind, ns, name = str(route.get("kind") or ""), o.namespace(route), o.name(route)
    spec = as_map(route.get("spec"))
    parents = tuple(
        parent_info(view, route, ref)
        for ref in as_list(spec.get("parentRefs"))
        if isinstance(ref, Mapping)
    )
    hostnames = tuple(str(h) for h in as_list(spec.get("hostnames")))
    rules = as_list(spec.get("rules")) or [{}]  # the CRD default: one rule matching PathPrefix /
    rows = []
    for r, rule in enumerate(rules):
        rule = as_map(rule)
        backends = tuple(
            backend_info(view, route, b)
            for b in as_list(rule.get("backendRefs"))
            if isinstance(b, Mapping)
        )
        timeouts = as_map(rule.get("timeouts"))
        filters = tuple(
            str(f.get("type") or "?")
            for f in as_list(rule.get("filters"))
            if isinstance(f, Mapping)
        )
        for m, match in enumerate(as_list(rule.get("matches")) or [{}]):
            ptype, path, conds = _path(kind, match if isinstance(match, Mapping) else {})
            rows.append(
                GatewayRouteRow(
                    key=f"{kind}/{ns}/{name}#{r}.{m}",
                    kind=kind,
                    namespace=ns,
                    route=name,
                    rule=r,
                    match=m,
                    rule_name=str(rule.get("name") or ""),
                    hostnames=hostnames,
                    path_type=ptype,
                    path=path,
                    conditions=conds,
                    backends=backends,
                    parents=parents,
                    timeout_request=_text(timeouts.get("request")),
                    timeout_backend=_text(timeouts.get("backendRequest")),
                    filters=filters,
                    created=str(o.meta(route).get("creationTimestamp") or ""),
                )
            )
    return rows


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def route_rows(view: StoreView) -> list[GatewayRouteRow]:
    """Every HTTPRoute and GRPCRoute match as a row, sorted by host, path, route. Cached."""

    def build() -> list[GatewayRouteRow]:
        rows = [
            r for kind in ROUTE_KINDS for route in view.list(kind) for r in rows_for(view, route)
        ]
        rows.sort(key=lambda r: (r.host, r.path, r.namespace, r.route, r.rule, r.match))
        return rows

    return view.memo(("gateway", "rows"), build)


def rows_by_key(view: StoreView) -> dict[str, GatewayRouteRow]:
    return view.memo(("gateway", "rows-by-key"), lambda: {r.key: r for r in route_rows(view)})
