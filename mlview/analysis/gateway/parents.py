"""Where a route attaches: parentRefs -> Gateway -> listeners, and the controller's status.

Per the spec (apis/v1 gateway_types.go, shared_types.go): a parentRef names a Gateway (group
gateway.networking.k8s.io and kind Gateway by default, namespace the route's), optionally one
listener by `sectionName` and/or `port`. A listener admits a route when
`allowedRoutes.namespaces.from` allows the route's namespace (Same by default, All, or Selector on
the Namespace's labels) and `allowedRoutes.kinds` (by default what the protocol carries: HTTPRoute
and GRPCRoute on HTTP/HTTPS) includes the route's kind, and when listener and route hostnames
intersect. The reasons we predict are the spec's: NoMatchingParent, NotAllowedByListeners,
NoMatchingListenerHostname.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlview import selectors
from mlview.analysis.gateway.model import (
    GROUP,
    ROUTE_KINDS,
    Condition,
    ListenerInfo,
    ParentInfo,
    intersect,
)
from mlview.analysis.shared import objects as o
from mlview.store import StoreView

_PROTOCOL_KINDS = {
    "HTTP": ROUTE_KINDS,
    "HTTPS": ROUTE_KINDS,
    "TLS": ("TLSRoute",),
    "TCP": ("TCPRoute",),
    "UDP": ("UDPRoute",),
}


def as_map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def conditions(raw: Any) -> dict[str, Condition]:
    out: dict[str, Condition] = {}
    for c in as_list(raw):
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
    return [
        li for li in as_list(as_map(gw.get("spec")).get("listeners")) if isinstance(li, Mapping)
    ]


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
    for entry in as_list(as_map(route.get("status")).get("parents")):
        pr = as_map(as_map(entry).get("parentRef"))
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
    base: dict[str, Any] = dict(  # the fields every ParentInfo below shares
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
    route_hosts = [str(h) for h in as_list(as_map(route.get("spec")).get("hostnames"))] or [""]
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
