"""Migration lens: what an ingress-nginx Ingress becomes as an HTTPRoute, and what does not port.

ingress2gateway's ingress-nginx provider (kubernetes-sigs/ingress2gateway,
pkg/i2gw/providers/ingressnginx) is the reference for what a converted route will do:

- Timeouts: it reads the proxy-connect/read/send-timeout ANNOTATIONS of the non-canary Ingress
  (unitless positive integers; the controller ConfigMap is not read) and writes
  `timeouts.request = max(connect, read, send) x 10` (common emitter, tcpTimeoutMultiplier = 10),
  printed as a Go duration ("600s" -> "10m0s"). Without those annotations it writes no timeout,
  so the Gateway implementation's default applies.
- Paths: Prefix -> PathPrefix, Exact -> Exact, ImplementationSpecific -> RegularExpression when the
  non-canary Ingress sets use-regex "true", else PathPrefix.
The annotation table below says which Gateway API field or filter a setting maps to, or that it has
no portable equivalent (an implementation-specific policy is needed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mlview.analysis import objects as o
from mlview.analysis.gateway_model import (
    controller_label,
    default_timeout,
    fmt_seconds,
    go_duration,
)
from mlview.analysis.ingress_classes import NGINX, resolve_class
from mlview.analysis.ingress_settings import effective_settings, is_canary, seconds
from mlview.analysis.ingress_workloads import latency_budget
from mlview.analysis.nginx_annotations import parse_bool
from mlview.store import StoreView

TIMEOUTS = ("proxy-connect-timeout", "proxy-read-timeout", "proxy-send-timeout")
MULTIPLIER = 10  # ingress2gateway common_emitter tcpTimeoutMultiplier

_POLICY = "no portable equivalent: needs an implementation policy"
# annotation (without prefix) or prefix* -> (Gateway API equivalent, portable?)
MAPPING: dict[str, tuple[str, bool]] = {
    "proxy-connect-timeout": ("rules[].timeouts.request (ingress2gateway: max x 10)", True),
    "proxy-read-timeout": ("rules[].timeouts.request (ingress2gateway: max x 10)", True),
    "proxy-send-timeout": ("rules[].timeouts.request (ingress2gateway: max x 10)", True),
    "rewrite-target": (
        "URLRewrite filter (ReplacePrefixMatch / ReplaceFullPath); "
        "$1-style capture groups have no portable equivalent",
        True,
    ),
    "ssl-redirect": ("RequestRedirect filter (scheme: https) on the HTTP listener's route", True),
    "force-ssl-redirect": ("RequestRedirect filter (scheme: https)", True),
    "from-to-www-redirect": ("RequestRedirect filter (hostname)", True),
    "app-root": ("RequestRedirect filter on an Exact / match", True),
    "canary": ("backendRefs with weights on the main route's rule", True),
    "canary-weight": ("backendRefs[].weight", True),
    "canary-weight-total": ("backendRefs[].weight (weights are relative)", True),
    "canary-by-header": ("matches[].headers", True),
    "canary-by-header-value": ("matches[].headers (type Exact)", True),
    "canary-by-header-pattern": ("matches[].headers (type RegularExpression)", True),
    "backend-protocol": ("GRPC/GRPCS: a GRPCRoute; HTTPS: a BackendTLSPolicy", True),
    "use-regex": (
        "path type RegularExpression (dialect is implementation-specific; "
        "nginx matches case-insensitively)",
        True,
    ),
    "server-alias": ("more entries in spec.hostnames", True),
    "custom-headers": ("RequestHeaderModifier filter", True),
    "upstream-vhost": ("RequestHeaderModifier filter (set Host)", True),
    "x-forwarded-prefix": ("RequestHeaderModifier filter", True),
    "connection-proxy-header": ("RequestHeaderModifier filter", True),
    "mirror-target": ("RequestMirror filter", True),
    "enable-cors": ("CORS filter (Extended: check the implementation)", True),
    "cors-*": ("CORS filter fields (Extended: check the implementation)", True),
    "ssl-passthrough": ("a TLS listener with tls.mode Passthrough and a TLSRoute", True),
    "auth-*": (
        "ExternalAuth filter where the implementation supports it, else an implementation policy",
        False,
    ),
    "proxy-body-size": (_POLICY + " (request body size limit)", False),
    "client-body-buffer-size": (_POLICY + " (request buffering)", False),
    "proxy-buffering": (_POLICY, False),
    "proxy-request-buffering": (_POLICY, False),
    "proxy-buffer-size": (_POLICY, False),
    "limit-*": (_POLICY + " (rate limiting)", False),
    "allowlist-source-range": (_POLICY + " (IP allow list)", False),
    "whitelist-source-range": (_POLICY + " (IP allow list)", False),
    "denylist-source-range": (_POLICY + " (IP deny list)", False),
    "affinity": (_POLICY + " (session persistence is experimental)", False),
    "session-cookie-*": (_POLICY + " (session persistence is experimental)", False),
    "load-balance": (_POLICY + " (load-balancing algorithm)", False),
    "upstream-hash-by": (_POLICY + " (consistent hashing)", False),
    "configuration-snippet": ("no equivalent: raw nginx configuration", False),
    "server-snippet": ("no equivalent: raw nginx configuration", False),
    "modsecurity-*": (_POLICY + " (WAF)", False),
}


@dataclass(frozen=True)
class LensRoute:
    host: str
    path: str
    path_type: str  # the Ingress pathType
    match: str  # "PathPrefix /v1/translate"
    backend: str  # "translation-svc:80"


@dataclass(frozen=True)
class LensItem:
    annotation: str  # full key
    value: str
    gateway: str  # what it maps to
    portable: bool


@dataclass(frozen=True)
class MigrationLens:
    ingress: str  # ns/name
    routes: list[LensRoute]
    items: list[LensItem]
    timeout: str | None  # what ingress2gateway writes to timeouts.request ("10m0s"), None: none
    timeout_notes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def unportable(self) -> list[LensItem]:
        return [i for i in self.items if not i.portable]


def _mapping(name: str) -> tuple[str, bool]:
    if name in MAPPING:
        return MAPPING[name]
    for key, value in MAPPING.items():
        if key.endswith("*") and name.startswith(key[:-1]):
            return value
    return ("no portable equivalent known: check the implementation's policies", False)


def _positive_int(value: Any) -> int | None:
    text = str(value).strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def migration_lens(view: StoreView, ing: Mapping[str, Any]) -> MigrationLens | None:
    """The lens for an ingress-nginx Ingress; None for other controllers."""
    info = resolve_class(view, dict(ing))
    if info.kind != NGINX or info.nginx is None:
        return None
    prefix = info.nginx.prefix
    anns = o.annotations(ing)
    ns = o.namespace(ing)
    regex = parse_bool(str(anns.get(prefix + "use-regex", "")))
    routes = []
    for rule in (ing.get("spec") or {}).get("rules") or []:
        for p in (rule.get("http") or {}).get("paths") or []:
            ptype = str(p.get("pathType") or "")
            gw_type = {"Prefix": "PathPrefix", "Exact": "Exact"}.get(
                ptype, "RegularExpression" if regex else "PathPrefix"
            )
            svc = (p.get("backend") or {}).get("service") or {}
            port = svc.get("port") or {}
            routes.append(
                LensRoute(
                    str(rule.get("host") or ""),
                    str(p.get("path") or "/"),
                    ptype,
                    f"{gw_type} {p.get('path') or '/'}",
                    f"{svc.get('name', '?')}:{port.get('number', port.get('name', '?'))}",
                )
            )
    items = [
        LensItem(k, str(v), *_mapping(k[len(prefix) :]))
        for k, v in sorted(anns.items())
        if k.startswith(prefix)
    ]
    timeout, tnotes = _timeout(view, ing, prefix)
    notes = []
    if (ing.get("spec") or {}).get("tls"):
        notes.append(
            "spec.tls -> an HTTPS listener on the Gateway with tls.certificateRefs "
            "(a Secret in another namespace needs a ReferenceGrant)"
        )
    if (ing.get("spec") or {}).get("defaultBackend"):
        notes.append(
            "spec.defaultBackend -> a rule matching PathPrefix / on a route without hostnames"
        )
    notes.append(
        f"class {info.name or '(default)'} -> parentRefs to a Gateway of the target GatewayClass"
    )
    if is_canary(ing, prefix):
        notes.append(
            "canary Ingress: it becomes weighted backendRefs (or header matches) on "
            f"the main Ingress's rule, not a route of its own ({ns})"
        )
    return MigrationLens(o.ref(ing), routes, items, timeout, tnotes, notes)


def _timeout(view: StoreView, ing: Mapping[str, Any], prefix: str) -> tuple[str | None, list[str]]:
    anns = o.annotations(ing)
    notes: list[str] = []
    if is_canary(ing, prefix):
        return None, ["canary Ingress: ingress2gateway takes timeouts from the main Ingress"]
    vals = {k: _positive_int(anns[prefix + k]) for k in TIMEOUTS if prefix + k in anns}
    used = {k: v for k, v in vals.items() if v is not None}
    for k, v in vals.items():
        if v is None:
            notes.append(
                f'{prefix}{k}: "{anns[prefix + k]}" is not a positive integer: '
                "ingress2gateway skips it"
            )
    eff = effective_settings(view, ing)
    read = seconds(eff.get("proxy-read-timeout"))
    if not used:
        notes.append(
            "no timeout annotations: ingress2gateway writes no timeouts.request, so the "
            "Gateway implementation's default applies"
            + _known_defaults(view)
            + (
                f" (today nginx waits up to {read}s between reads, "
                f"{eff['proxy-read-timeout'].source})"
                if read is not None
                else ""
            )
        )
        return None, notes
    top = max(used.values())
    total = top * MULTIPLIER
    notes.append(
        f"ingress2gateway: max({', '.join(f'{k}={v}' for k, v in used.items())}) x "
        f'{MULTIPLIER} = {total}s -> timeouts.request: "{go_duration(total)}" '
        "(a cap on the whole request, where nginx's timeouts are per read/send)"
    )
    for k in TIMEOUTS:
        s = eff.get(k)
        if k not in used and s is not None and s.source == "configmap":
            notes.append(
                f"{k} {s.value}s comes from {s.detail}: ingress2gateway does not read the ConfigMap"
            )
    for svc in _services(view, ing):
        budget = latency_budget(view, svc)
        if budget is not None and total < budget[0]:
            notes.append(
                f"the converted timeout {total}s is below {fmt_seconds(budget[0])} ({budget[1]})"
            )
    return go_duration(total), notes


def _known_defaults(view: StoreView) -> str:
    """Cited default request timeouts of the store's GatewayClasses: " (Envoy Gateway: 15s)"."""
    seen = []
    for cls in view.list("GatewayClass"):
        ctrl = str((cls.get("spec") or {}).get("controllerName") or "")
        secs = default_timeout(ctrl)
        text = f"{controller_label(ctrl)}: {fmt_seconds(secs)}" if secs is not None else ""
        if text and text not in seen:
            seen.append(text)
    return f" ({', '.join(seen)})" if seen else ""


def _services(view: StoreView, ing: Mapping[str, Any]) -> list[dict]:
    names = {
        ((p.get("backend") or {}).get("service") or {}).get("name")
        for rule in (ing.get("spec") or {}).get("rules") or []
        for p in (rule.get("http") or {}).get("paths") or []
    }
    out = [view.get("Service", o.namespace(ing), n) for n in sorted(n for n in names if n)]
    return [s for s in out if s is not None]


def lenses(view: StoreView) -> list[MigrationLens]:
    """A lens per ingress-nginx Ingress, cached per view."""

    def build() -> list[MigrationLens]:
        out = [migration_lens(view, ing) for ing in view.list("Ingress")]
        return sorted((lens for lens in out if lens is not None), key=lambda x: x.ingress)

    return view.memo(("gateway", "lenses"), build)
