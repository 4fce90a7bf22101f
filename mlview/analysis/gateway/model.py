"""Gateway API facts shared by the gateway analyzers: durations, hostnames, row types.

Sources (kubernetes-sigs/gateway-api apis/v1, GEP-1742, GEP-2257):

- Durations are GEP-2257 strings: `^([0-9]{1,5}(h|m|s|ms)){1,4}$` (1-4 integer parts, units h, m,
  s, ms; no fractions, no `us`). `0s` disables a timeout. `timeouts.backendRequest` must not be
  longer than `timeouts.request` unless `request` is `0s` (the CRD's CEL rule).
- A hostname `*.example.com` is a suffix match: it matches `a.example.com` and `a.b.example.com`,
  not `example.com`. Listener and route hostnames must intersect for a route to attach.
- Unset timeouts are implementation-specific. We name a controller's default only where its own
  documentation gives it (Envoy Gateway: "The default request timeout is set to 15 seconds",
  envoyproxy/gateway docs, tasks/traffic/http-timeouts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GROUP = "gateway.networking.k8s.io"
ROUTE_KINDS = ("HTTPRoute", "GRPCRoute")

_DURATION = re.compile(r"^([0-9]{1,5}(h|m|s|ms)){1,4}$")
_PART = re.compile(r"([0-9]{1,5})(ms|h|m|s)")
_UNIT = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}

# GatewayClass spec.controllerName -> (implementation, default request timeout in seconds or None
# when we have no documented number to cite).
CONTROLLERS: dict[str, tuple[str, float | None]] = {
    "gateway.envoyproxy.io/gatewayclass-controller": ("Envoy Gateway", 15.0),
    "istio.io/gateway-controller": ("Istio", None),
    "gateway.nginx.org/nginx-gateway-controller": ("NGINX Gateway Fabric", None),
    "projectcontour.io/gateway-controller": ("Contour", None),
    "io.cilium/gateway-controller": ("Cilium", None),
    "kgateway.dev/kgateway": ("kgateway", None),
    "traefik.io/gateway-controller": ("Traefik", None),
    "konghq.com/kic-gateway-controller": ("Kong", None),
}


def parse_duration(text: object) -> float | None:
    """Seconds in a GEP-2257 duration ("90s", "1m30s", "500ms"); None when not that format."""
    if not isinstance(text, str) or not _DURATION.match(text):
        return None
    return sum(int(n) * _UNIT[u] for n, u in _PART.findall(text))


def fmt_seconds(secs: float) -> str:
    """90 -> "90s", 0.5 -> "500ms", 5400 -> "5400s" (plain, for messages)."""
    if secs and secs < 1:
        return f"{round(secs * 1000)}ms"
    return f"{secs:g}s"


def controller_label(controller: str) -> str:
    """The implementation's name (Envoy Gateway, Istio, ...) or the raw controllerName."""
    known = CONTROLLERS.get(controller)
    return known[0] if known else controller


def default_timeout(controller: str) -> float | None:
    known = CONTROLLERS.get(controller)
    return known[1] if known else None


def host_matches(pattern: str, host: str) -> bool:
    """Gateway API hostname match: exact, or `*.suffix` matching one or more labels."""
    if not pattern:
        return True
    if pattern == host:
        return True
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return False


def intersect(listener: str, route: str) -> str | None:
    """The hostname a listener and a route hostname share ("" = any), or None."""
    if not listener:
        return route
    if not route:
        return listener
    if listener == route or host_matches(listener, route):
        return route
    if host_matches(route, listener):
        return listener
    return None


def host_rank(hostname: str, host: str) -> tuple[int, int] | None:
    """How specifically `hostname` matches a request host: (exact?, characters); None if not."""
    if hostname == host:
        return (2, len(hostname))
    if hostname.startswith("*.") and host_matches(hostname, host):
        return (1, len(hostname))
    if hostname == "":
        return (0, 0)
    return None


@dataclass(frozen=True)
class Condition:
    type: str
    status: str  # "True" | "False" | "Unknown"
    reason: str = ""
    message: str = ""


@dataclass(frozen=True)
class ListenerInfo:
    name: str
    hostname: str  # "" = any
    port: int | None
    protocol: str
    allowed_from: str  # Same | All | Selector

    @property
    def text(self) -> str:
        return f"{self.name} {self.protocol}:{self.port} {self.hostname or '*'}"


@dataclass(frozen=True)
class ParentInfo:
    """One parentRef of a route, with where it attaches and what the controller said."""

    kind: str  # Gateway (others, e.g. Service for mesh, are shown as-is)
    namespace: str
    name: str
    section: str  # sectionName ("" = every listener)
    port: int | None
    found: bool | None  # the Gateway exists; None: Gateways not listed
    controller: str  # GatewayClass spec.controllerName ("" unknown)
    listeners: tuple[ListenerInfo, ...]  # listeners the route attaches to, by the spec
    hostnames: tuple[str, ...]  # effective hostnames on those listeners ("" = any)
    predicted: str  # "" when attachable by the spec, else a reason (NotAllowedByListeners...)
    predicted_detail: str
    accepted: Condition | None  # from status.parents (None: no status for this parent)
    resolved: Condition | None

    @property
    def ref(self) -> str:
        text = f"{self.namespace}/{self.name}"
        if self.section:
            text += f"/{self.section}"
        if self.port is not None:
            text += f":{self.port}"
        return text if self.kind == "Gateway" else f"{self.kind} {text}"

    @property
    def attached(self) -> bool | None:
        """The controller's verdict when it gave one, else the spec's."""
        if self.accepted is not None and self.accepted.status in ("True", "False"):
            return self.accepted.status == "True"
        if self.found is False:
            return False
        if self.found is None:
            return None
        return not self.predicted


@dataclass(frozen=True)
class BackendInfo:
    group: str
    kind: str
    namespace: str
    name: str
    port: int | None
    weight: int
    found: bool | None  # Service exists; None: unknown (not listed, or not a Service)
    service_port: int | None  # the Service port matched, None when missing
    port_name: str
    target_port: str
    ready: int | None
    not_ready: int | None
    grant: bool | None  # cross-namespace: a ReferenceGrant allows it; None: same ns or unknown
    problem: str  # why this ref does not resolve ("" when it does, or we cannot tell)

    @property
    def is_service(self) -> bool:
        return self.group == "" and self.kind == "Service"

    @property
    def text(self) -> str:
        who = self.name if self.is_service else f"{self.kind}/{self.name}"
        text = f"{who}:{self.port}" if self.port is not None else who
        return text


@dataclass(frozen=True, eq=False)
class GatewayRouteRow:
    """One match of one rule of an HTTPRoute or GRPCRoute (rules without matches: one row)."""

    key: str  # "HTTPRoute/ns/name#rule.match"
    kind: str  # HTTPRoute | GRPCRoute
    namespace: str
    route: str
    rule: int
    match: int
    rule_name: str
    hostnames: tuple[str, ...]  # spec.hostnames as written
    path_type: str  # Exact | PathPrefix | RegularExpression | gRPC
    path: str
    conditions: str  # headers/method/query summarised ("" = none)
    backends: tuple[BackendInfo, ...]
    parents: tuple[ParentInfo, ...]
    timeout_request: str | None  # as written
    timeout_backend: str | None
    filters: tuple[str, ...]
    created: str  # creationTimestamp, for precedence

    @property
    def route_ref(self) -> str:
        return f"{self.namespace}/{self.route}"

    @property
    def effective_hosts(self) -> tuple[str, ...]:
        hosts = {h for p in self.parents if p.attached is not False for h in p.hostnames}
        return tuple(sorted(hosts))

    @property
    def host(self) -> str:
        """For the table: the route's hostnames, or the listeners' when it has none."""
        hosts = self.hostnames or self.effective_hosts
        return ",".join(h or "*" for h in hosts) or "*"

    @property
    def gateway(self) -> str:
        return ", ".join(p.ref for p in self.parents)

    @property
    def backend(self) -> str:
        def text(b: BackendInfo) -> str:
            return b.text if b.namespace == self.namespace else f"{b.namespace}/{b.text}"

        if len(self.backends) == 1:
            return text(self.backends[0])
        return " + ".join(f"{text(b)} w{b.weight}" for b in self.backends)

    @property
    def ready(self) -> int | None:
        # an unresolved backend serves nothing (its share of requests gets HTTP 500)
        counts = [b.ready for b in self.backends if b.weight > 0 and not b.problem]
        return None if not counts or None in counts else sum(c or 0 for c in counts)

    @property
    def request_seconds(self) -> float | None:
        return parse_duration(self.timeout_request) if self.timeout_request else None

    @property
    def backend_seconds(self) -> float | None:
        return parse_duration(self.timeout_backend) if self.timeout_backend else None

    @property
    def cut_seconds(self) -> tuple[float, str] | None:
        """The shortest enabled timeout on this rule and its field, None when none is set."""
        best: tuple[float, str] | None = None
        for secs, field in (
            (self.request_seconds, "timeouts.request"),
            (self.backend_seconds, "timeouts.backendRequest"),
        ):
            if secs and (best is None or secs < best[0]):
                best = (secs, field)
        return best

    @property
    def controllers(self) -> tuple[str, ...]:
        return tuple(sorted({p.controller for p in self.parents if p.controller}))

    @property
    def timeout_text(self) -> str:
        parts = []
        if self.timeout_request is not None:
            parts.append(f"request {self.timeout_request}")
        if self.timeout_backend is not None:
            parts.append(f"backendRequest {self.timeout_backend}")
        if parts:
            return ", ".join(parts)
        names = [controller_label(c) for c in self.controllers]
        return f"default ({', '.join(names)})" if names else "default"

    @property
    def accepted(self) -> bool | None:
        """True when some parent attaches it, False when none does, None when unknown."""
        verdicts = [p.attached for p in self.parents]
        if any(v is True for v in verdicts):
            return True
        if verdicts and all(v is False for v in verdicts):
            return False
        return None
