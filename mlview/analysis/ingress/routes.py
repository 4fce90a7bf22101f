"""One row per routing rule (and per default backend) of every Ingress, computed once per view."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mlview.analysis.ingress.annotations import PREFIX
from mlview.analysis.ingress.classes import NGINX, resolve_class
from mlview.analysis.ingress.settings import (
    MAIN_INGRESS,
    Setting,
    effective_settings,
    is_canary,
)
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.services import NO_SERVICE, resolve_service, service_pods
from mlview.store import StoreView


@dataclass(frozen=True, eq=False)
class RouteRow:
    key: str  # stable: "ns/ingress#rule.path" or "ns/ingress#default"
    namespace: str
    ingress: str
    host: str  # "" means any host
    path: str  # "" for a default backend
    path_type: str
    default_backend: bool
    service: str  # "" for a resource backend
    port: str  # as written in the Ingress: "80" or "http"
    resource: str  # "Kind/name" for a resource backend
    service_found: bool | None  # None: Services not listed
    service_port: int | None  # the Service port number, None when not found
    port_name: str
    target_port: str
    ready: int | None  # None: unknown (no endpoint data, ExternalName)
    not_ready: int | None
    tls: bool
    tls_secret: str
    class_name: str
    class_source: str
    controller: str  # ingress-nginx | f5-nginx | other | "" (unknown)
    canary: bool
    created: str = ""  # the Ingress's creationTimestamp: ingress-nginx lets the oldest win
    settings: Mapping[str, Setting] = field(default_factory=dict)

    @property
    def ingress_ref(self) -> str:
        return f"{self.namespace}/{self.ingress}"

    @property
    def backend(self) -> str:
        if self.resource:
            return self.resource
        return f"{self.service}:{self.port}" if self.service else ""


def tls_for(ing: Mapping[str, Any], host: str) -> tuple[bool, str]:
    """(covered, secretName) for a host: a tls entry listing it (wildcards match one label)."""
    if not host:
        return False, ""
    for entry in (ing.get("spec") or {}).get("tls") or []:
        for h in entry.get("hosts") or []:
            if host_matches(str(h), host):
                return True, str(entry.get("secretName") or "")
    return False, ""


def host_matches(pattern: str, host: str) -> bool:
    if pattern == host:
        return True
    if pattern.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return False


def _row(
    view: StoreView,
    ing: dict,
    key: str,
    host: str,
    path: str,
    ptype: str,
    backend: Mapping[str, Any],
    settings: Mapping[str, Setting],
    default: bool,
) -> RouteRow:
    ns = o.namespace(ing)
    info = resolve_class(view, ing)
    prefix = info.nginx.prefix if info.nginx else PREFIX
    svc_ref = backend.get("service") or {}
    res = backend.get("resource") or {}
    port = svc_ref.get("port") or {}
    port_text = str(port.get("number") if port.get("number") is not None else port.get("name", ""))
    b = resolve_service(view, ns, svc_ref.get("name", ""), port) if svc_ref else NO_SERVICE
    covered, secret = tls_for(ing, host)
    return RouteRow(
        key=key,
        namespace=ns,
        ingress=o.name(ing),
        host=host,
        path=path,
        path_type=ptype,
        default_backend=default,
        service=str(svc_ref.get("name") or ""),
        port=port_text,
        resource=f"{res.get('kind', '')}/{res.get('name', '')}" if res else "",
        service_found=b.found,
        service_port=b.port,
        port_name=b.port_name,
        target_port=b.target,
        ready=b.ready,
        not_ready=b.not_ready,
        tls=covered,
        tls_secret=secret,
        class_name=info.name,
        class_source=info.source,
        controller=info.kind,
        canary=info.kind == NGINX and is_canary(ing, prefix),
        created=str(o.meta(ing).get("creationTimestamp") or ""),
        settings=settings,
    )


def ingress_rows(view: StoreView, ing: dict) -> list[RouteRow]:
    ns, name = o.namespace(ing), o.name(ing)
    spec = ing.get("spec") or {}
    settings = effective_settings(view, ing)
    rows = []
    if spec.get("defaultBackend"):
        rows.append(
            _row(
                view,
                ing,
                f"{ns}/{name}#default",
                "",
                "",
                "",
                spec["defaultBackend"],
                settings,
                True,
            )
        )
    for r, rule in enumerate(spec.get("rules") or []):
        host = str(rule.get("host") or "")
        for p, path in enumerate((rule.get("http") or {}).get("paths") or []):
            rows.append(
                _row(
                    view,
                    ing,
                    f"{ns}/{name}#{r}.{p}",
                    host,
                    str(path.get("path") or ""),
                    str(path.get("pathType") or ""),
                    path.get("backend") or {},
                    settings,
                    False,
                )
            )
    return rows


def route_rows(view: StoreView) -> list[RouteRow]:
    """Every route of every Ingress, sorted by host, path, Ingress. Cached per view."""
    return view.memo(("ingress", "rows"), lambda: _build_rows(view))


# Shapes a hand-edited snapshot can break (a string where a list belongs): the Ingress is
# reported as malformed (see malformed()) instead of stopping the whole analysis.
MALFORMED = (AttributeError, TypeError, ValueError, KeyError)


def malformed(view: StoreView) -> dict[str, str]:
    """Ingress "ns/name" -> why its spec could not be read (filled while building rows)."""
    return view.memo(("ingress", "malformed"), dict)


def _safe_rows(view: StoreView, ing: dict) -> list[RouteRow]:
    try:
        return ingress_rows(view, ing)
    except MALFORMED as exc:
        malformed(view)[o.ref(ing)] = f"{type(exc).__name__}: {exc}"
        return []


def _build_rows(view: StoreView) -> list[RouteRow]:
    rows = [r for ing in view.list("Ingress") for r in _safe_rows(view, ing)]
    main: dict[tuple[str, str, str], RouteRow] = {}
    # ingress-nginx merges all Ingresses of a host into one server: TLS from any of them applies.
    # "If the same path for the same host is defined in more than one Ingress, the oldest rule
    # wins"; the same for TLS sections (ingress-nginx, how it works). Oldest first from here on.
    rows.sort(key=lambda r: (r.created, r.namespace, r.ingress, r.key))
    certs: dict[tuple[str, str], str] = {}
    for r in rows:
        if r.tls and r.controller == NGINX:
            certs.setdefault((r.class_name, r.host), r.tls_secret)
        if not r.canary:
            main.setdefault((r.class_name, r.host, r.path), r)
    out = []
    for r in rows:
        if r.canary:
            r = _inherit(r, main.get((r.class_name, r.host, r.path)))
        if not r.tls and r.controller == NGINX and (r.class_name, r.host) in certs:
            r = _replace(r, tls=True, tls_secret=certs[(r.class_name, r.host)])
        out.append(r)
    out.sort(key=lambda r: (r.host, r.path, r.created, r.namespace, r.ingress, r.key))
    return out


def _inherit(row: RouteRow, main: RouteRow | None) -> RouteRow:
    """A canary takes the main Ingress's settings for the same host and path."""
    if main is None:
        return row
    settings = {
        name: Setting(
            s.value,
            MAIN_INGRESS,
            f"Ingress {main.ingress_ref} ({s.source})",
            note=row.settings[name].note if name in row.settings else "",
        )
        for name, s in main.settings.items()
    }
    return _replace(row, settings=settings)


def _replace(row: RouteRow, **changes: Any) -> RouteRow:
    return dataclasses.replace(row, **changes)


def rows_by_key(view: StoreView) -> dict[str, RouteRow]:
    return view.memo(("ingress", "rows-by-key"), lambda: {r.key: r for r in route_rows(view)})


def pods_of(view: StoreView, row: RouteRow) -> list[dict]:
    svc = view.get("Service", row.namespace, row.service) if row.service else None
    return service_pods(view, svc) if svc is not None else []
