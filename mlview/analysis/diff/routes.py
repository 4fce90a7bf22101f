"""Route changes from the Ingress tab's rows (Ingress rule paths, HTTPRoute/GRPCRoute matches):
routes added or removed, and what a URL reaches (Service, port, ready endpoints) and its
effective settings, each value with its source ("300 (annotation)" -> "60 (default)")."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mlview.analysis import gateway, ingress
from mlview.analysis.diff.model import ADDED, CHANGED, REMOVED, FieldChange, RouteChange
from mlview.analysis.gateway.model import default_timeout, fmt_seconds
from mlview.analysis.ingress import RouteRow, Setting
from mlview.analysis.ingress.settings import SETTINGS
from mlview.store import StoreView

INGRESS_FIELDS: dict[str, Callable[[RouteRow], Any]] = {
    "class": lambda r: r.class_name or None,
    "controller": lambda r: r.controller or None,
    "backend": lambda r: r.backend or None,
    "service": lambda r: _found(r.service_found),
    "servicePort": lambda r: r.service_port,
    "targetPort": lambda r: r.target_port or None,
    "readyEndpoints": lambda r: r.ready,
    "tls": lambda r: (r.tls_secret or "default certificate") if r.tls else None,
    "canary": lambda r: r.canary or None,
}


def compare_routes(old: StoreView, new: StoreView) -> list[RouteChange]:
    return _ingress(old, new) + _gateway(old, new)


def _found(found: bool | None) -> str | None:
    return None if found is None else "found" if found else "missing"


def _setting(s: Setting | None) -> str | None:
    """'60 (default)', '300 (annotation nginx.ingress.kubernetes.io/proxy-read-timeout)'."""
    if s is None:
        return None
    if s.source == "annotation":
        source = f"annotation {s.detail}".strip()
    else:  # "ConfigMap ns/name", "built-in default", "main ingress ns/name"
        source = s.detail or s.source
    value = s.value if s.value != "" else "(unset)"
    return f"{value} ({source})"


def _ingress_values(row: RouteRow) -> dict[str, Any]:
    values = {name: read(row) for name, read in INGRESS_FIELDS.items()}
    for name in SETTINGS:
        values[name] = _setting(row.settings.get(name))
    return values


def _ingress_url(row: RouteRow) -> str:
    if row.default_backend:
        return "(default backend)"
    return f"{row.host or '*'}{row.path or '/'}"


def _ingress(old: StoreView, new: StoreView) -> list[RouteChange]:
    before = _by_identity(ingress.route_rows(old), _ingress_identity)
    after = _by_identity(ingress.route_rows(new), _ingress_identity)
    return _rows(
        before, after, lambda r: ("Ingress", r.namespace, r.ingress), _ingress_url, _ingress_values
    )


def _gateway_values(row: Any) -> dict[str, Any]:
    controllers = sorted({p.controller for p in row.parents if p.controller})
    default = default_timeout(controllers[0]) if len(controllers) == 1 else None

    def timeout(written: str | None) -> str | None:
        if written is not None:
            return f"{written} (route)"
        return f"{fmt_seconds(default)} (default)" if default is not None else None

    return {
        "hostnames": ",".join(row.hostnames) or None,
        "parents": ", ".join(
            p.ref + ("" if p.attached is not False else " (not attached)") for p in row.parents
        )
        or None,
        "backend": row.backend or None,
        "backendProblems": "; ".join(b.problem for b in row.backends if b.problem) or None,
        "readyEndpoints": row.ready,
        "timeouts.request": timeout(row.timeout_request),
        "timeouts.backendRequest": timeout(row.timeout_backend),
        "filters": ",".join(row.filters) or None,
    }


def _gateway_url(row: Any) -> str:
    return f"{row.host}{row.path or '/'}" + (f" [{row.conditions}]" if row.conditions else "")


def _gateway(old: StoreView, new: StoreView) -> list[RouteChange]:
    before = _by_identity(gateway.route_rows(old), _gateway_identity)
    after = _by_identity(gateway.route_rows(new), _gateway_identity)
    return _rows(
        before, after, lambda r: (r.kind, r.namespace, r.route), _gateway_url, _gateway_values
    )


def _ingress_identity(r: RouteRow) -> str:
    where = "default" if r.default_backend else f"{r.host or '*'}|{r.path}|{r.path_type}"
    return f"Ingress/{r.namespace}/{r.ingress}#{where}"


def _gateway_identity(r: Any) -> str:
    hosts = ",".join(r.hostnames)
    return f"{r.kind}/{r.namespace}/{r.route}#{hosts}|{r.path_type}|{r.path}|{r.conditions}"


def _by_identity(rows: list[Any], identity: Callable[[Any], str]) -> dict[str, Any]:
    """Rows keyed by what they route (not by rule index: a rule inserted above another must
    not make every later rule look changed); a repeat of the same match gets a #2, #3..."""
    out: dict[str, Any] = {}
    for row in rows:
        key = identity(row)
        n = 1
        while key in out:
            n += 1
            key = f"{identity(row)}#{n}"
        out[key] = row
    return out


def _rows(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    ident: Callable[[Any], tuple[str, str, str]],
    url: Callable[[Any], str],
    values: Callable[[Any], dict[str, Any]],
) -> list[RouteChange]:
    out = []
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        row: Any = b if b is not None else a
        kind, ns, name = ident(row)
        va = values(a) if a is not None else {}
        vb = values(b) if b is not None else {}
        fields = tuple(
            FieldChange(f, va.get(f), vb.get(f))
            for f in dict.fromkeys([*va, *vb])
            if va.get(f) != vb.get(f) and (a is not None and b is not None or f in _SHOWN)
        )
        if a is None:
            out.append(RouteChange(kind, ns, name, row.key, url(row), ADDED, fields))
        elif b is None:
            out.append(RouteChange(kind, ns, name, row.key, url(row), REMOVED, fields))
        elif fields:
            out.append(RouteChange(kind, ns, name, row.key, url(b), CHANGED, fields))
    return out


# What an added or removed route says: where it went, not every setting.
_SHOWN = frozenset({"backend", "readyEndpoints"})
