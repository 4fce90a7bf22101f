"""Which URL to start a trace from: the first concrete host and path of an Ingress or HTTPRoute,
or of a route row of the Ingress tab ("" when there is no concrete host). Pure: no cluster
lookups, only the object or row given."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def url_for(obj: Mapping[str, Any] | None) -> str:
    """A URL for an Ingress or HTTPRoute: its first host and path ("" when it has none)."""
    if not obj:
        return ""
    spec = obj.get("spec") or {}
    if obj.get("kind") == "Ingress":
        tls_hosts = {h for t in spec.get("tls") or [] for h in t.get("hosts") or []}
        for rule in spec.get("rules") or []:
            host = rule.get("host")
            if not host or "*" in host:
                continue
            paths = (rule.get("http") or {}).get("paths") or [{}]
            scheme = "https" if host in tls_hosts else "http"
            return f"{scheme}://{host}{paths[0].get('path') or '/'}"
    if obj.get("kind") == "HTTPRoute":
        hosts = [h for h in spec.get("hostnames") or [] if "*" not in h]
        if hosts:
            rules = spec.get("rules") or [{}]
            matches = (rules[0] or {}).get("matches") or [{}]
            path = ((matches[0] or {}).get("path") or {}).get("value") or "/"
            return f"https://{hosts[0]}{path}"
    return ""


def url_for_row(row: Any) -> str:
    """A URL for a route row of the Ingress pane: an ingress RouteRow (host, path, TLS) or a
    GatewayRouteRow (first concrete hostname, path of an Exact/PathPrefix match); "" if none."""
    if row is None:
        return ""
    if hasattr(row, "tls_secret"):  # ingress RouteRow
        if not row.host or "*" in row.host:
            return ""
        return f"{'https' if row.tls else 'http'}://{row.host}{row.path or '/'}"
    hosts = [h for h in (*row.hostnames, *row.effective_hosts) if h and "*" not in h]
    if not hosts:
        return ""
    path = row.path if row.path_type in ("Exact", "PathPrefix") else "/"
    return f"https://{hosts[0]}{path}"
