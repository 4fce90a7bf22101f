"""The service card: everything about one model service on one screen.

Routes (with the effective read timeout and body size, the latency budget, and the status code
`trace` predicts), pods grouped by workload with their rollout state, the claims they mount,
who may connect and whether the pods reach the model store and DNS, findings and recent Events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mlview.analysis import storage
from mlview.analysis.findings import Finding
from mlview.analysis.services import reach as r
from mlview.analysis.services.rows import RouteRef, ServiceRow, row_of, split_ref
from mlview.analysis.services.servers import last_termination, pod_gpus, pod_image, rollout
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.services import resolve_target, service_pods
from mlview.analysis.shared.workloads import latency_budget
from mlview.analysis.trace import trace
from mlview.sanitize import clean
from mlview.store import StoreView, event_time

ROLLOUT_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")


@dataclass(frozen=True)
class RouteLine:
    route: RouteRef
    url: str
    read_timeout_s: float | None
    timeout_source: str
    body_size: str
    latency_budget_s: float | None
    predicted_status: int | None
    deciding_step: str

    def to_json(self) -> dict[str, Any]:
        x = self.route
        return {
            "kind": x.kind,
            "namespace": x.namespace,
            "name": x.name,
            "host": x.host,
            "path": x.path,
            "url": self.url,
            "read_timeout_s": self.read_timeout_s,
            "timeout_source": self.timeout_source,
            "body_size": self.body_size,
            "latency_budget_s": self.latency_budget_s,
            "predicted_status": self.predicted_status,
            "deciding_step": self.deciding_step,
        }


@dataclass(frozen=True)
class PodLine:
    name: str
    workload: str  # "Deployment llm-generate"
    phase: str
    ready: bool
    restarts: int
    last_termination: str  # "OOMKilled (exit 137)" or ""
    gpus: int
    node: str
    image: str
    problem: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class WorkloadLine:
    kind: str
    name: str
    desired: int | None
    updated: int | None
    ready: int | None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ClaimLine:
    namespace: str
    name: str
    phase: str
    storage_class: str
    access: str
    reclaim: str
    problem: str  # the root-cause finding's message of a claim in trouble, else ""

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class EventLine:
    time: str
    type: str
    reason: str
    object: str
    message: str


@dataclass(frozen=True)
class ServiceCard:
    row: ServiceRow
    port: int | None  # the serving targetPort (numeric) of the first route or Service port
    routes: tuple[RouteLine, ...]
    workloads: tuple[WorkloadLine, ...]
    pods: tuple[PodLine, ...]
    claims: tuple[ClaimLine, ...]
    inbound: tuple[tuple[str, r.Reach], ...]
    events: tuple[EventLine, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.row.findings


def find_row(view: StoreView, namespace: str, name: str, now: datetime | None) -> ServiceRow:
    """The row of a Service; KeyError (naming the closest) when there is no such Service."""
    svc = view.get("Service", namespace, name)
    if svc is None:
        raise KeyError(f"{namespace}/{name}")
    row = row_of(view, svc, now, listed_only=False)
    assert row is not None  # every Service has a row when not listed_only
    return row


def service_card(
    view: StoreView, namespace: str, name: str, now: datetime | None = None
) -> ServiceCard:
    row = find_row(view, namespace, name, now)
    svc = view.get("Service", namespace, name) or {}
    pods = service_pods(view, svc)
    port = serving_port(view, svc, pods)
    return ServiceCard(
        row=row,
        port=port,
        routes=tuple(_route_line(view, svc, x) for x in row.routes),
        workloads=tuple(_workloads(view, pods)),
        pods=tuple(_pod_line(view, p) for p in pods),
        claims=tuple(_claim_line(view, c) for c in row.claims),
        inbound=tuple(r.inbound(view, pods, port)),
        events=tuple(_events(view, pods, row.claims)),
    )


def serving_port(view: StoreView, svc: dict, pods: list[dict]) -> int | None:
    for sp in (svc.get("spec") or {}).get("ports") or []:
        if not isinstance(sp, dict):
            continue
        # "8080", or "http->8080|8081" for a named port (the first number serves)
        target = resolve_target(view, svc, sp).split("->")[-1].split("|")[0]
        if target.isdigit():
            return int(target)
    return None


def _route_line(view: StoreView, svc: dict, x: RouteRef) -> RouteLine:
    budget = latency_budget(view, svc)
    url = x.url
    status: int | None = None
    deciding, source, body = "", "", ""
    read: float | None = None
    if url:
        t = trace(view, url, "GET", None, None, "gateway" if x.kind != "Ingress" else "ingress")
        status = t.status
        deciding = t.deciding.step if t.deciding is not None else ""
    if x.kind == "Ingress":
        from mlview.analysis import ingress

        for row in ingress.route_rows(view):
            if row.key == x.key:
                setting = row.settings.get("proxy-read-timeout")
                if setting is not None:
                    read = _seconds(setting.value)
                    source = setting.source
                size = row.settings.get("proxy-body-size")
                body = size.value if size is not None else ""
    return RouteLine(x, url, read, source, body, budget[0] if budget else None, status, deciding)


def _seconds(value: Any) -> float | None:
    try:
        return float(str(value).rstrip("s"))
    except ValueError:
        return None


def _workloads(view: StoreView, pods: list[dict]) -> list[WorkloadLine]:
    seen: dict[tuple[str, str], WorkloadLine] = {}
    for p in pods:
        kind, name = o.owner_workload(view, p)
        if (kind, name) in seen:
            continue
        obj = view.get(kind, o.namespace(p), name) if kind in ROLLOUT_KINDS else None
        if obj is not None:
            desired, updated, ready = rollout(obj)
            seen[(kind, name)] = WorkloadLine(kind, name, desired, updated, ready)
        else:
            seen[(kind, name)] = WorkloadLine(kind, name, None, None, None)
    return list(seen.values())


def _pod_line(view: StoreView, p: dict) -> PodLine:
    kind, wl = o.owner_workload(view, p)
    ready = o.pod_ready(p)
    return PodLine(
        name=o.name(p),
        workload=f"{kind} {wl}",
        phase=o.pod_phase(p),
        ready=ready,
        restarts=o.pod_restarts(p),
        last_termination=last_termination(p)[0],
        gpus=pod_gpus(p),
        node=str((p.get("spec") or {}).get("nodeName") or ""),
        image=pod_image(p),
        problem="" if ready else o.pod_problem(p),
    )


def _claim_line(view: StoreView, ref: str) -> ClaimLine:
    ns, name = ref.split("/", 1)
    detail = storage.claim_detail(view, ns, name)
    if detail is None:
        return ClaimLine(ns, name, "missing", "", "", "", "the claim is not in the snapshot")
    row = detail.row
    problem = next(
        (f.message for f in detail.findings if f.severity.rank >= 2), ""
    )  # causes first: the root cause of a Pending claim
    return ClaimLine(
        ns,
        name,
        row.phase or "(no status)",
        row.storage_class,
        row.modes_short,
        row.reclaim_policy,
        problem,
    )


def _events(
    view: StoreView, pods: list[dict], claims: tuple[str, ...], limit: int = 12
) -> list[EventLine]:
    wanted = {("Pod", o.namespace(p), o.name(p)) for p in pods}
    wanted |= {("PersistentVolumeClaim", *split_ref(c)) for c in claims}
    out = []
    for ev in view.list("Event"):
        inv = ev.get("involvedObject") or ev.get("regarding") or {}
        if not isinstance(inv, dict):
            continue
        key = (inv.get("kind"), inv.get("namespace") or o.namespace(ev), inv.get("name"))
        if key in wanted:
            out.append(
                EventLine(
                    event_time(ev),
                    str(ev.get("type") or ""),
                    str(ev.get("reason") or ""),
                    f"{key[0]}/{key[2]}",
                    clean(ev.get("message") or ev.get("note") or "", single_line=True),
                )
            )
    return sorted(out, key=lambda e: e.time, reverse=True)[:limit]
