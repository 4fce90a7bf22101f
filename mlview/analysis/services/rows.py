"""One row per model service: the Services tab's table and `mlview service`'s list.

A model service is a Service mlview counts as model serving (shared/workloads.model_serving:
names, labels, KServe/Seldon labels, a declared latency budget) or one a route reaches whose
pods request GPUs. Every other Service behind a route is listed after them, so any Service can
be opened the same way. The model store's own Services (pods exposing TCP 9000, no route)
are not model APIs, whatever their names say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from mlview.analysis import gateway, ingress, storage
from mlview.analysis.findings import Finding, Severity, sort_findings, worst
from mlview.analysis.registry import run_checked
from mlview.analysis.services import reach as r
from mlview.analysis.services.servers import age_seconds, last_termination, pod_gpus, server_kind
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.services import service_pods
from mlview.analysis.shared.workloads import model_serving
from mlview.analysis.trace import blocked
from mlview.analysis.trace.url import url_for_row
from mlview.store import StoreView

RECENT = 3600.0  # seconds: a restart in the last hour counts as recent


@dataclass(frozen=True)
class RouteRef:
    kind: str  # Ingress | HTTPRoute | GRPCRoute
    namespace: str
    name: str
    host: str
    path: str
    key: str  # the route row's key
    url: str  # what `trace` is asked (trace/url.py: https where TLS covers it; "" for no host)
    findings: tuple[Finding, ...]  # the route's own findings (not its Ingress's other routes')

    @property
    def worst(self) -> Severity | None:
        return worst(list(self.findings))


@dataclass(frozen=True)
class ServiceRow:
    namespace: str
    name: str
    why: str  # why it counts as model serving ("" for a plain Service behind a route)
    server: str
    ready: int
    pods: int
    restarts: int
    recent_restarts: int  # restarts of containers whose last run ended in the last hour
    gpus: int
    nodes: tuple[str, ...]
    routes: tuple[RouteRef, ...]
    claims: tuple[str, ...]  # "ns/name" of the claims its pods mount
    claims_worst: Severity | None
    model_store: r.Reach
    dns: r.Reach
    findings: tuple[Finding, ...] = field(default=())
    blocked: tuple[Finding, ...] = field(default=())  # NetworkPolicy cuts its routes (504)

    @property
    def ref(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def is_model(self) -> bool:
        return bool(self.why)

    @cached_property
    def signals(self) -> list[tuple[Severity, str]]:
        """What the row's cells say is wrong, beyond findings: pods not ready, recent
        restarts, the model store or DNS out of reach."""
        out: list[tuple[Severity, str]] = []
        if self.pods and self.ready == 0:
            out.append((Severity.ERROR, "no pod is ready"))
        elif self.ready < self.pods:
            out.append((Severity.WARNING, f"{self.ready} of {self.pods} pods ready"))
        if self.recent_restarts:
            out.append((Severity.WARNING, f"{self.recent_restarts} restarts in the last hour"))
        if self.model_store.allowed is False:
            out.append((Severity.WARNING, "its pods may not reach the model store (TCP 9000)"))
        if self.dns.allowed is False:
            out.append((Severity.WARNING, "its pods may not reach cluster DNS (UDP 53)"))
        return out

    @cached_property
    def worst(self) -> Severity | None:
        """The worst of its findings and of its signals: the order of the Services tab."""
        ranks = [f.severity for f in self.findings] + [s for s, _ in self.signals]
        return max(ranks, key=lambda s: s.rank, default=None)

    @cached_property
    def routes_worst(self) -> Severity | None:
        return worst([f for x in self.routes for f in x.findings] + list(self.blocked))


def service_rows(view: StoreView, now: datetime | None = None) -> list[ServiceRow]:
    """Model services first, worst first within them; then the other routed Services."""
    return view.memo(("services", "rows", now), lambda: _rows(view, now))


def _rows(view: StoreView, now: datetime | None) -> list[ServiceRow]:
    out = [row for svc in view.list("Service") if (row := row_of(view, svc, now)) is not None]
    return sorted(out, key=_order)


def row_of(
    view: StoreView, svc: Mapping[str, Any], now: datetime | None, *, listed_only: bool = True
) -> ServiceRow | None:
    """The row of one Service; None when it is neither a model service nor routed (with
    listed_only; otherwise every Service gets a row, for the card)."""
    ns, name = o.namespace(svc), o.name(svc)
    pods = service_pods(view, svc)
    why = model_serving(view, svc, pods)
    my_routes = routes_by_service(view).get((ns, name), ())
    gpus = sum(pod_gpus(p) for p in pods)
    if not why and my_routes and gpus:
        why = f"a route reaches it and its pods request {gpus} GPU(s)"
    if listed_only and not why and not my_routes:
        return None
    if listed_only and not my_routes and r.exposes_model_store(pods):
        return None  # the model store itself (port 9000): storage for models, not a model API
    return build_row(view, svc, pods, why, my_routes, now)


def _order(row: ServiceRow) -> tuple[Any, ...]:
    rank = row.worst.rank if row.worst else 0
    return (not row.is_model, -rank, row.namespace, row.name)


def build_row(
    view: StoreView,
    svc: Mapping[str, Any],
    pods: list[dict],
    why: str,
    routes: tuple[RouteRef, ...],
    now: datetime | None,
) -> ServiceRow:
    ns, name = o.namespace(svc), o.name(svc)
    recent = 0
    for p in pods:
        _, finished = last_termination(p)
        age = age_seconds(finished, now) if finished and now else None
        if age is not None and age <= RECENT:
            recent += o.pod_restarts(p)
    claims = pod_claims(pods)
    by_claim = view.memo(("services", "claim-findings"), lambda: storage.claim_findings(view))
    claim_worst = [f for c in claims for f in by_claim.get(split_ref(c), ())]
    return ServiceRow(
        namespace=ns,
        name=name,
        why=why,
        server=server_kind(svc, pods),
        ready=sum(1 for p in pods if o.pod_ready(p)),
        pods=len(pods),
        restarts=sum(o.pod_restarts(p) for p in pods),
        recent_restarts=recent,
        gpus=sum(pod_gpus(p) for p in pods),
        nodes=tuple(
            sorted({str((p.get("spec") or {}).get("nodeName") or "") for p in pods} - {""})
        ),
        routes=routes,
        claims=claims,
        claims_worst=worst(claim_worst),
        model_store=r.reach(
            view,
            pods,
            r.model_store_pods(view, pods),
            r.MODEL_STORE_PORT,
            "TCP",
            f"TCP {r.MODEL_STORE_PORT} to the model store",
        ),
        dns=r.reach(view, pods, r.dns_pods(view), 53, "UDP", "UDP 53 to cluster DNS"),
        findings=tuple(touching(view, svc, pods, routes, claims)),
        blocked=tuple(blocked.by_service(view).get((ns, name), ())),
    )


def split_ref(ref: str) -> tuple[str, str]:
    """ "namespace/name" -> (namespace, name)."""
    ns, _, name = ref.partition("/")
    return ns, name


def node_names(pods: list[dict]) -> tuple[str, ...]:
    return tuple(sorted({str((p.get("spec") or {}).get("nodeName") or "") for p in pods} - {""}))


def pod_claims(pods: list[dict]) -> tuple[str, ...]:
    names = set()
    for p in pods:
        for vol in (p.get("spec") or {}).get("volumes") or []:
            claim = (
                (vol.get("persistentVolumeClaim") or {}).get("claimName")
                if isinstance(vol, dict)
                else None
            )
            if claim:
                names.add(f"{o.namespace(p)}/{claim}")
    return tuple(sorted(names))


def routes_by_service(view: StoreView) -> dict[tuple[str, str], tuple[RouteRef, ...]]:
    """Every Ingress rule and Gateway API route rule, keyed by the Service it reaches."""

    def build() -> dict[tuple[str, str], tuple[RouteRef, ...]]:
        out: dict[tuple[str, str], list[RouteRef]] = {}
        per_route = ingress.route_findings(view)
        for row in ingress.route_rows(view):
            if row.service:
                out.setdefault((row.namespace, row.service), []).append(
                    RouteRef(
                        "Ingress",
                        row.namespace,
                        row.ingress,
                        row.host,
                        row.path,
                        row.key,
                        url_for_row(row),
                        tuple(per_route.get(row.key, ())),
                    )
                )
        gw_findings = gateway.route_findings(view)
        for grow in gateway.route_rows(view):
            for b in grow.backends:
                if b.kind in ("", "Service"):
                    out.setdefault((b.namespace, b.name), []).append(
                        RouteRef(
                            grow.kind,
                            grow.namespace,
                            grow.route,
                            grow.host,
                            grow.path,
                            grow.key,
                            url_for_row(grow),
                            tuple(gw_findings.get(grow.key, ())),
                        )
                    )
        return {k: tuple(v) for k, v in out.items()}

    return view.memo(("services", "routes"), build)


def findings_by_object(view: StoreView) -> dict[tuple[str, str, str], list[Finding]]:
    def build() -> dict[tuple[str, str, str], list[Finding]]:
        out: dict[tuple[str, str, str], list[Finding]] = {}
        for f in run_checked(view)[0]:
            out.setdefault((f.kind, f.namespace, f.name), []).append(f)
        return out

    return view.memo(("services", "findings-by-object"), build)


def touching(
    view: StoreView,
    svc: Mapping[str, Any],
    pods: list[dict],
    routes: tuple[RouteRef, ...],
    claims: tuple[str, ...],
) -> list[Finding]:
    """Findings on the Service, its pods and its claims, and its routes' own findings (not
    those of other routes of the same Ingress), worst first."""
    objects = {("Service", o.namespace(svc), o.name(svc))}
    objects |= {("Pod", o.namespace(p), o.name(p)) for p in pods}
    objects |= {("PersistentVolumeClaim", *split_ref(c)) for c in claims}
    index = findings_by_object(view)
    mine = [f for key in objects for f in index.get(key, ())]
    mine += [f for x in routes for f in x.findings]
    mine += blocked.by_service(view).get((o.namespace(svc), o.name(svc)), [])
    return sort_findings(list(dict.fromkeys(mine)))
