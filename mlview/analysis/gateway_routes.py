"""Rows for HTTPRoutes and GRPCRoutes: parents and listeners, matches, backends, timeouts.

Attachment follows the spec (apis/v1 gateway_types.go, shared_types.go): a parentRef names a
Gateway (group gateway.networking.k8s.io and kind Gateway by default, namespace the route's),
optionally one listener by `sectionName` and/or `port`. A listener admits a route when
`allowedRoutes.namespaces.from` allows the route's namespace (Same by default, All, or Selector
on the Namespace's labels) and `allowedRoutes.kinds` (by default what the protocol carries:
HTTPRoute and GRPCRoute on HTTP/HTTPS) includes the route's kind, and when listener and route
hostnames intersect. A cross-namespace backendRef needs a ReferenceGrant in the backend's
namespace whose `from` names the route's group/kind/namespace and whose `to` names group ""
kind Service (and, when set, the Service's name).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlview import selectors
from mlview.analysis import objects as o
from mlview.analysis.gateway_model import (
    GROUP,
    ROUTE_KINDS,
    BackendInfo,
    Condition,
    GatewayRouteRow,
    ListenerInfo,
    ParentInfo,
    intersect,
)
from mlview.analysis.ingress_backends import endpoint_count, resolve_target, service_port
from mlview.store import StoreView

_PROTOCOL_KINDS = {
    "HTTP": ROUTE_KINDS,
    "HTTPS": ROUTE_KINDS,
    "TLS": ("TLSRoute",),
    "TCP": ("TCPRoute",),
    "UDP": ("UDPRoute",),
}


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def conditions(raw: Any) -> dict[str, Condition]:
    out: dict[str, Condition] = {}
    for c in _list(raw):
        if isinstance(c, Mapping) and c.get("type"):
            out[str(c["type"])] = Condition(
                str(c["type"]),
                str(c.get("status") or ""),
                str(c.get("reason") or ""),
                str(c.get("message") or ""),
            )
    return out


def gateway_controller(view: StoreView, gw: Mapping[str, Any]) -> str:
    cls = view.get("GatewayClass", "", str((gw.get("spec") or {}).get("gatewayClassName") or ""))
    return str(((cls or {}).get("spec") or {}).get("controllerName") or "")


def listeners(gw: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [li for li in _list(_map(gw.get("spec")).get("listeners")) if isinstance(li, Mapping)]


def listener_info(li: Mapping[str, Any]) -> ListenerInfo:
    ns = (li.get("allowedRoutes") or {}).get("namespaces") or {}
    port = li.get("port")
    return ListenerInfo(
        str(li.get("name") or ""),
        str(li.get("hostname") or ""),
        port if isinstance(port, int) else None,
        str(li.get("protocol") or ""),
        str(ns.get("from") or "Same"),
    )


def _ns_allowed(view: StoreView, li: Mapping[str, Any], gw_ns: str, route_ns: str) -> bool | None:
    ns = (li.get("allowedRoutes") or {}).get("namespaces") or {}
    frm = ns.get("from") or "Same"
    if frm == "All":
        return True
    if frm == "Same":
        return route_ns == gw_ns
    if frm == "Selector":
        namespace = view.get("Namespace", "", route_ns)
        if namespace is None:
            return False if view.has_listed("Namespace") else None
        try:
            return selectors.matches(ns.get("selector"), o.labels(namespace))
        except selectors.SelectorError:
            return False
    return False


def _kind_allowed(li: Mapping[str, Any], kind: str) -> bool:
    kinds = (li.get("allowedRoutes") or {}).get("kinds")
    if kinds:
        return any(
            k.get("kind") == kind and (k.get("group") or GROUP) == GROUP
            for k in kinds
            if isinstance(k, Mapping)
        )
    return kind in _PROTOCOL_KINDS.get(str(li.get("protocol") or ""), ())


def _status_for(route: Mapping[str, Any], ref: Mapping[str, Any], ns: str) -> dict[str, Condition]:
    """Conditions of the status.parents entry for this parentRef (any controller)."""
    for entry in _list(_map(route.get("status")).get("parents")):
        pr = _map(_map(entry).get("parentRef"))
        if (
            pr.get("name") == ref.get("name")
            and (pr.get("namespace") or ns) == (ref.get("namespace") or ns)
            and (pr.get("sectionName") or "") == (ref.get("sectionName") or "")
            and pr.get("port") == ref.get("port")
            and (pr.get("kind") or "Gateway") == (ref.get("kind") or "Gateway")
        ):
            return conditions(entry.get("conditions"))
    return {}


def parent_info(view: StoreView, route: Mapping[str, Any], ref: Mapping[str, Any]) -> ParentInfo:
    route_ns, kind = o.namespace(route), str(route.get("kind") or "")
    pkind = str(ref.get("kind") or "Gateway")
    ns = str(ref.get("namespace") or route_ns)
    name = str(ref.get("name") or "")
    section = str(ref.get("sectionName") or "")
    port = ref.get("port") if isinstance(ref.get("port"), int) else None
    status = _status_for(route, ref, route_ns)
    base = dict(
        kind=pkind,
        namespace=ns,
        name=name,
        section=section,
        port=port,
        accepted=status.get("Accepted"),
        resolved=status.get("ResolvedRefs"),
    )
    gw = view.get("Gateway", ns, name) if pkind == "Gateway" else None
    if gw is None:
        found = None if pkind != "Gateway" or not view.has_listed("Gateway") else False
        return ParentInfo(
            found=found,
            controller="",
            listeners=(),
            hostnames=(),
            predicted="" if found is None else "NoMatchingParent",
            predicted_detail="" if found is None else f"Gateway {ns}/{name} does not exist",
            **base,
        )
    route_hosts = [str(h) for h in _list(_map(route.get("spec")).get("hostnames"))] or [""]
    cands = [
        li
        for li in listeners(gw)
        if (not section or li.get("name") == section) and (port is None or li.get("port") == port)
    ]
    allowed = [
        li
        for li in cands
        if _kind_allowed(li, kind) and _ns_allowed(view, li, ns, route_ns) is not False
    ]
    attached: list[ListenerInfo] = []
    hosts: set[str] = set()
    for li in allowed:
        lh = str(li.get("hostname") or "")
        shared = {h for r in route_hosts if (h := intersect(lh, r)) is not None}
        if shared:
            attached.append(listener_info(li))
            hosts |= shared
    predicted, detail = "", ""
    where = (
        f"Gateway {ns}/{name}"
        + (f" listener {section}" if section else "")
        + (f" port {port}" if port is not None else "")
    )
    if not cands:
        predicted, detail = "NoMatchingParent", f"{where}: no such listener"
    elif not allowed:
        predicted, detail = (
            "NotAllowedByListeners",
            f"{where}: "
            + "; ".join(_why_not_allowed(view, li, ns, route_ns, kind) for li in cands),
        )
    elif not attached:
        predicted = "NoMatchingListenerHostname"
        detail = (
            f"{where}: listener hostnames "
            f"{', '.join(str(li.get('hostname') or '*') for li in allowed)} do not intersect "
            f"route hostnames {', '.join(h or '*' for h in route_hosts)}"
        )
    return ParentInfo(
        found=True,
        controller=gateway_controller(view, gw),
        listeners=tuple(attached),
        hostnames=tuple(sorted(hosts)),
        predicted=predicted,
        predicted_detail=detail,
        **base,
    )


def _why_not_allowed(
    view: StoreView, li: Mapping[str, Any], gw_ns: str, route_ns: str, kind: str
) -> str:
    name = li.get("name") or "?"
    if not _kind_allowed(li, kind):
        return f"listener {name} ({li.get('protocol')}) does not take {kind}"
    frm = ((li.get("allowedRoutes") or {}).get("namespaces") or {}).get("from") or "Same"
    if frm == "Same":
        return f"listener {name} allows routes from namespace {gw_ns} only (from: Same)"
    sel = ((li.get("allowedRoutes") or {}).get("namespaces") or {}).get("selector")
    return (
        f"listener {name} allows namespaces matching {selectors.describe(sel)}, "
        f"and {route_ns} does not match"
    )


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
    weight = ref.get("weight") if isinstance(ref.get("weight"), int) else 1
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
    svc = view.get("Service", ns, name)
    found = True if svc is not None else (False if view.has_listed("Service") else None)
    sp = service_port(svc, {"number": port}) if svc is not None and port is not None else None
    if found is False:
        problem = problem or f"Service {ns}/{name} does not exist"
    elif svc is not None and port is None:
        problem = problem or f"backendRef {ns}/{name} has no port"
    elif svc is not None and sp is None:
        problem = problem or f"Service {ns}/{name} has no port {port}"
    count = endpoint_count(view, svc, sp) if svc is not None and sp is not None else None
    return BackendInfo(
        group,
        kind,
        ns,
        name,
        port,
        weight,
        found,
        sp.get("port") if sp else None,
        str((sp or {}).get("name") or ""),
        resolve_target(view, svc, sp) if svc is not None and sp else "",
        count.ready if count else None,
        count.not_ready if count else None,
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
    qs = [
        f"{q.get('name')}{'~' if q.get('type') == 'RegularExpression' else '='}{q.get('value')}"
        for q in match.get("queryParams") or []
    ]
    if qs:
        parts.append("query " + ",".join(qs))
    return ptype, value, "; ".join(parts)


def _headers(match: Mapping[str, Any]) -> str:
    hs = [
        f"{h.get('name')}{'~' if h.get('type') == 'RegularExpression' else '='}{h.get('value')}"
        for h in match.get("headers") or []
    ]
    return ("headers " + ",".join(hs)) if hs else ""


def rows_for(view: StoreView, route: Mapping[str, Any]) -> list[GatewayRouteRow]:
    """Rows of one route. Malformed parts (a manifest nobody validated) are skipped."""
    kind, ns, name = str(route.get("kind") or ""), o.namespace(route), o.name(route)
    spec = _map(route.get("spec"))
    parents = tuple(
        parent_info(view, route, ref)
        for ref in _list(spec.get("parentRefs"))
        if isinstance(ref, Mapping)
    )
    hostnames = tuple(str(h) for h in _list(spec.get("hostnames")))
    rules = _list(spec.get("rules")) or [{}]  # the CRD default: one rule matching PathPrefix /
    rows = []
    for r, rule in enumerate(rules):
        rule = _map(rule)
        backends = tuple(
            backend_info(view, route, b)
            for b in _list(rule.get("backendRefs"))
            if isinstance(b, Mapping)
        )
        timeouts = _map(rule.get("timeouts"))
        filters = tuple(
            str(f.get("type") or "?") for f in _list(rule.get("filters")) if isinstance(f, Mapping)
        )
        for m, match in enumerate(_list(rule.get("matches")) or [{}]):
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
