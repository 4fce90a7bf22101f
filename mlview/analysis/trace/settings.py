"""ingress-nginx settings along a traced route: the effective values and their sources, the
retry settings (an adapter: ingress_settings does not expose them), the body-size limit, and the
controller's read-timeout hop with its retries.

nginx retries a request that timed out on the next endpoint when proxy-next-upstream lists
`timeout` (the default "error timeout"), up to proxy-next-upstream-tries (default 3, 0 = no
limit) within proxy-next-upstream-timeout (0 = none), but never a POST, PATCH or LOCK unless
`non_idempotent` is listed. Every attempt of a slow request times out alike: the client hears the
504 after attempts x proxy-read-timeout, and the backend may run the request that many times.
"""

from __future__ import annotations

from collections.abc import Mapping

from mlview.analysis.ingress.annotations import CATALOGUE, is_int, size_bytes, validate
from mlview.analysis.ingress.classes import NGINX, resolve_class
from mlview.analysis.ingress.routes import RouteRow
from mlview.analysis.ingress.settings import SETTINGS, Setting
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.hops import Hop, chart_services, fronting_services, lb_hop
from mlview.analysis.shared.services import service_pods
from mlview.analysis.trace.backend import Proxy
from mlview.analysis.trace.model import (
    FAILING,
    OK,
    SKIPPED,
    WARNING,
    Ref,
    TraceStep,
    fmt_bytes,
    fmt_secs,
)
from mlview.store import StoreView

NON_IDEMPOTENT = ("POST", "PATCH", "LOCK")
RETRY_SETTINGS = ("proxy-next-upstream", "proxy-next-upstream-tries", "proxy-next-upstream-timeout")


def ingress_ref(row: RouteRow) -> Ref:
    return Ref("Ingress", row.namespace, row.ingress)


def extra_settings(view: StoreView, row: RouteRow) -> dict[str, Setting]:
    """The retry settings the ingress analysis does not expose, resolved the same way:
    a valid annotation, else the controller ConfigMap, else the built-in default.
    (Adapter: ingress_settings.SETTINGS does not list them.)"""
    ing = view.get("Ingress", row.namespace, row.ingress) or {}
    info = resolve_class(view, ing)
    if info.kind != NGINX or info.nginx is None:
        return {}
    data: Mapping[str, object] = {}
    where = ""
    if info.nginx.configmap is not None:
        cm = view.get("ConfigMap", *info.nginx.configmap)
        data = (cm or {}).get("data") or {}
        where = "ConfigMap {}/{}".format(*info.nginx.configmap)
    anns = o.annotations(ing)
    out = {}
    for name in RETRY_SETTINGS:
        key = info.nginx.prefix + name
        raw = anns.get(key)
        if raw is not None and not row.canary and not validate(name, raw):
            out[name] = Setting(str(raw).strip(), "annotation", key)
            continue
        cm_raw = data.get(name)
        if cm_raw is not None and (CATALOGUE[name].type != "int" or is_int(str(cm_raw))):
            out[name] = Setting(str(cm_raw).strip(), "configmap", where)
            continue
        out[name] = Setting(CATALOGUE[name].default, "default", "built-in default")
    return out


def settings_step(row: RouteRow, extra: dict[str, Setting]) -> TraceStep:
    if not row.settings:
        return TraceStep(
            "settings",
            SKIPPED,
            f"controller {row.controller or 'unknown'}: mlview reads ingress-nginx settings only",
            None,
            (ingress_ref(row),),
        )
    every = {**{n: row.settings[n] for n in SETTINGS if n in row.settings}, **extra}
    lines = []
    notes = []
    for name, s in every.items():
        where = s.detail if s.source != "default" else "built-in default"
        lines.append(f"{name} = {s.value or '(unset)'}  ({s.source}: {where})")
        if s.note:
            notes.append(s.note)
            lines.append(f"  note: {s.note}")

    def short(name: str, unit: str = "") -> str:
        s = every.get(name)
        return f"{s.value}{unit} ({s.source})" if s else "?"

    detail = (
        f"read {short('proxy-read-timeout', 's')}, send {short('proxy-send-timeout', 's')}, "
        f"connect {short('proxy-connect-timeout', 's')}, body {short('proxy-body-size')}, "
        f"tries {short('proxy-next-upstream-tries')}"
    )
    if notes:
        return TraceStep(
            "settings",
            WARNING,
            f"{len(notes)} annotation(s) ignored: {notes[0]}",
            None,
            (ingress_ref(row),),
            tuple([detail, *lines]),
        )
    return TraceStep("settings", OK, detail, None, (ingress_ref(row),), tuple(lines))


def body_step(row: RouteRow, body: int | None) -> TraceStep:
    s = row.settings.get("proxy-body-size")
    if s is None:
        return TraceStep("body-size", SKIPPED, "no ingress-nginx body limit known for this route")
    limit = size_bytes(s.value)
    where = f"proxy-body-size {s.value} ({s.source}: {s.detail})"
    if limit is None:
        return TraceStep("body-size", SKIPPED, f"{where} is not a size we can read")
    if body is None:
        return TraceStep("body-size", SKIPPED, f"no --body-size given; the limit is {where}")
    if limit == 0:
        return TraceStep("body-size", OK, f"{fmt_bytes(body)}: no limit ({where})")
    if body > limit:
        return TraceStep(
            "body-size",
            FAILING,
            f"a {fmt_bytes(body)} body exceeds {where} = {fmt_bytes(limit)}: nginx answers 413",
            413,
            (ingress_ref(row),),
        )
    return TraceStep("body-size", OK, f"{fmt_bytes(body)} fits {where} = {fmt_bytes(limit)}")


def nginx_hops(
    view: StoreView, row: RouteRow, extra: dict[str, Setting], method: str, proxy: Proxy | None
) -> list[Hop]:
    hops: list[Hop] = []
    if proxy is not None:
        svcs = fronting_services(view, list(proxy.pods))
        if not svcs and proxy.where and "/" in proxy.where:
            ns = proxy.where.split(" ", 1)[1].split("/")[0]
            svcs = [
                s
                for s in view.list("Service", ns)
                if (s.get("spec") or {}).get("type") == "LoadBalancer"
            ]
        if not svcs:  # no controller pods nor workload: the chart's Service selects by labels
            svcs = chart_services(view)
        hops.extend(lb_hop(view, s) for s in svcs[:1])
    read = row.settings.get("proxy-read-timeout")
    if read is None or not is_int(read.value):
        return hops
    secs = float(read.value)
    where = f"proxy-read-timeout {read.value} ({read.source}: {read.detail})"
    svc = view.get("Service", row.namespace, row.service) if row.service else None
    pods = service_pods(view, svc) if svc is not None and row.ready is None else None
    attempts, why = _attempts(row, extra, method, pods)
    cap = extra.get("proxy-next-upstream-timeout")
    answer = secs * attempts
    if cap is not None and is_int(cap.value) and int(cap.value) > 0:
        answer = max(secs, min(answer, float(cap.value)))
    note = why
    if attempts > 1:
        note = (
            f"{why}: every attempt times out alike, so nginx answers 504 after "
            f"{fmt_secs(answer)} and the backend may run the request {attempts} times"
        )
    hops.append(
        Hop("ingress-nginx proxy-read-timeout", secs, where, 504, ingress_ref(row), note, answer)
    )
    return hops


def _attempts(
    row: RouteRow, extra: dict[str, Setting], method: str, pods: list | None = None
) -> tuple[int, str]:
    nxt = extra.get("proxy-next-upstream")
    tries = extra.get("proxy-next-upstream-tries")
    conds = (nxt.value if nxt else "error timeout").split()
    if "timeout" not in conds or "off" in conds:
        return 1, "proxy-next-upstream does not retry on timeout"
    if method.upper() in NON_IDEMPOTENT and "non_idempotent" not in conds:
        return 1, f"{method.upper()} is not retried (proxy-next-upstream lacks non_idempotent)"
    n = int(tries.value) if tries and is_int(tries.value) else 3
    endpoints, which = row.ready or 1, "ready endpoint(s)"
    if row.ready is None and pods is not None:  # no endpoint data: the pods the Service selects
        endpoints, which = max(len(pods), 1), "endpoint(s), readiness unknown"
    attempts = min(n, endpoints) if n > 0 else endpoints
    # what was seen: the ready count, or the pods counted when there is no endpoint data
    counted = endpoints if row.ready is None and pods is not None else row.ready
    seen = "?" if counted is None else str(counted)
    return max(attempts, 1), (
        f"a timed-out {method.upper()} is retried on the next endpoint: "
        f"proxy-next-upstream-tries {n}, {seen} {which}"
    )
