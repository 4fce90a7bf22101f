"""Which HTTPRoute rule a request reaches (for `trace` and the pane's search).

Per the HTTPRoute spec (apis/v1 httproute_types.go): hostnames first, the most specific wins
(an exact hostname over a wildcard, a longer wildcard over a shorter one, routes without
hostnames last); then, across the rules of the routes on that hostname: an Exact path, then the
PathPrefix with the most characters (prefixes match whole path elements: `/v1` matches `/v1` and
`/v1/x`, not `/v1x`), then RegularExpression paths (their precedence is implementation-specific;
we try them last, longest first). Ties: the oldest route, then namespace/name, then rule order.
A plain URL carries no headers, method or query: rules that need them are reported as
`conditional` when they would otherwise win. Routes that no parent accepts are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from mlview.analysis.gateway.model import GatewayRouteRow, host_rank, intersect
from mlview.analysis.gateway.routes import route_rows
from mlview.store import StoreView


@dataclass(frozen=True)
class GatewayMatch:
    row: GatewayRouteRow | None  # None: no rule matches (the Gateway answers 404)
    reason: str
    hostname: str = ""  # the route hostname that matched ("" = any)
    conditional: list[GatewayRouteRow] = field(default_factory=list)  # need headers/method/query


def _prefix(rule: str, path: str) -> bool:
    base = rule.rstrip("/")
    return base == "" or path == base or path.startswith(base + "/")


def _regex(rule: str, path: str) -> bool:
    try:
        return re.fullmatch(rule, path) is not None
    except re.error:
        return False


def _path_rank(row: GatewayRouteRow, path: str) -> tuple[int, int] | None:
    if row.path_type == "Exact":
        return (3, len(row.path)) if row.path == path else None
    if row.path_type == "PathPrefix":
        return (2, len(row.path.rstrip("/"))) if _prefix(row.path, path) else None
    if row.path_type == "RegularExpression":
        return (1, len(row.path)) if _regex(row.path, path) else None
    if row.path_type == "gRPC":  # /service/method; a missing part matches any
        svc, _, meth = row.path.lstrip("/").partition("/")
        want_svc, _, want_meth = path.lstrip("/").partition("/")
        ok = svc in ("*", want_svc) and meth in ("*", want_meth)
        return (2, len(row.path)) if ok and want_svc else None
    return None


_PROTOCOLS = {"http": ("HTTP",), "https": ("HTTPS",), "grpc": ("HTTP",), "grpcs": ("HTTPS",)}


def _hosts(row: GatewayRouteRow, scheme: str) -> set[str]:
    """Hostnames the row serves on listeners of the scheme's protocol ("" = any scheme)."""
    protocols = _PROTOCOLS.get(scheme)
    out: set[str] = set()
    for p in row.parents:
        if p.attached is False:
            continue
        if not p.listeners:  # attached by status but the Gateway is not in the store
            out.update(p.hostnames or (row.hostnames if protocols is None else ()))
            continue
        for li in p.listeners:
            if protocols is not None and li.protocol not in protocols:
                continue
            for r in row.hostnames or ("",):
                h = intersect(li.hostname, r)
                if h is not None:
                    out.add(h)
    return out


def split(url: str) -> tuple[str, str, str]:
    """(scheme, host, path) of "https://h/p", "h/p" or "h"."""
    text = url.strip()
    if "://" not in text:
        text = "//" + text
    parts = urlsplit(text)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.path or "/"


def match(view: StoreView, host: str, path: str = "/", scheme: str = "") -> GatewayMatch:
    """The rule a request for host + path reaches, and why. `scheme` ("http"/"https") limits
    to listeners of that protocol; "" considers every listener."""
    host = host.strip().lower().split(":")[0]
    path = path or "/"
    ranked: dict[tuple[int, int], list[tuple[GatewayRouteRow, str]]] = {}
    for row in route_rows(view):
        if row.accepted is False:
            continue
        best: tuple[tuple[int, int], str] | None = None
        for h in _hosts(row, scheme.lower()):
            rank = host_rank(h, host)
            if rank is not None and (best is None or rank > best[0]):
                best = (rank, h)
        if best is not None:
            ranked.setdefault(best[0], []).append((row, best[1]))
    if not ranked:
        return GatewayMatch(None, f"no accepted route serves host {host}")
    top = max(ranked)
    cands = ranked[top]
    hostname = cands[0][1]
    scored = []
    for row, _h in cands:
        prank = _path_rank(row, path)
        if prank is not None:
            scored.append((prank, row))
    scored.sort(
        key=lambda s: (
            -s[0][0],
            -s[0][1],
            s[1].created or "~",
            s[1].namespace,
            s[1].route,
            s[1].rule,
            s[1].match,
        )
    )
    conditional: list[GatewayRouteRow] = []
    for prank, row in scored:
        if row.conditions:
            conditional.append(row)
            continue
        kind = {3: "Exact path", 2: "longest PathPrefix", 1: "RegularExpression"}[prank[0]]
        if row.path_type.startswith("gRPC"):
            kind = "gRPC method"
        why = (
            f"host {hostname or '*'}, {kind} {row.path} ({row.kind} {row.route_ref} rule "
            f"{row.rule})"
        )
        if row.filters:
            why += f", filters {', '.join(row.filters)}"
        return GatewayMatch(row, why, hostname, conditional)
    return GatewayMatch(
        None,
        f"host {hostname or '*'} is served but no rule matches {path} (the Gateway answers 404)",
        hostname,
        conditional,
    )


def unattached(view: StoreView, host: str, path: str = "/") -> list[tuple[GatewayRouteRow, str]]:
    """Rules that would serve host + path if their route were attached, each with why it is not
    (the controller's reason, and the listener rule that refuses it when the spec tells)."""
    host = host.strip().lower().split(":")[0]
    out = []
    for row in route_rows(view):
        if row.accepted is not False or row.conditions:
            continue
        if not any(host_rank(h, host) is not None for h in row.hostnames or ("",)):
            continue
        if _path_rank(row, path or "/") is None:
            continue
        out.append((row, not_attached_reason(row)))
    return out


def not_attached_reason(row: GatewayRouteRow) -> str:
    """Why no parent attaches a route, parent by parent."""
    parts = []
    for p in row.parents:
        acc = p.accepted
        if acc is not None and acc.status == "False":
            text = f"{p.ref}: {acc.reason or 'not accepted'}"
        elif p.predicted:
            text = f"{p.ref}: {p.predicted} (by the Gateway API rules)"
        elif p.found is False:
            text = f"{p.ref}: the Gateway does not exist"
        else:
            continue
        if p.predicted_detail:
            text += f" ({p.predicted_detail})"
        parts.append(text)
    return "; ".join(parts) or "no parent accepts it"


def match_url(view: StoreView, host: str, path: str | None = None) -> GatewayRouteRow | None:
    """The rule a plain request reaches, or None. `host` may be a whole URL
    ("https://api.example.com/v1/translate") when `path` is not given."""
    if path is None:
        scheme, host, path = split(host)
        return match(view, host, path, scheme).row
    return match(view, host, path).row
