"""`mlview service [NS/NAME]`: the model services, or one service's card, as text or JSON.

Exit status: 0; 2 for bad input or an unknown service (with the closest names).
"""

from __future__ import annotations

import argparse
import difflib
import json
from typing import Any

from mlview.commands.common import EXIT_OK, UsageError, add_source_options, open_store
from mlview.sanitize import clean


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "service",
        help="a model service from route to GPU to model store (no name: the list)",
        description="One model API on one page: routes and the status trace predicts, pods "
        "and GPUs, claims, reachability (inbound, model store, DNS), findings, Events.",
    )
    p.add_argument("name", metavar="NS/NAME", nargs="?", help="the Service, as namespace/name")
    add_source_options(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from mlview.analysis import services
    from mlview.analysis.shared.virtual_pods import complete

    store = open_store(args)
    view, now = complete(store.view()), store.source.clock()  # workloads without pods: virtual pods
    if not args.name:
        rows = services.service_rows(view, now)
        if args.namespace:
            rows = [r for r in rows if r.namespace == args.namespace]
        if args.format == "json":
            print(json.dumps({"services": [row_json(r) for r in rows]}, indent=2))
        else:
            print_rows(rows)
        return EXIT_OK
    ns, _, name = str(args.name).rpartition("/")
    ns = ns or args.namespace or "default"
    try:
        card = services.service_card(view, ns, name, now)
    except KeyError:
        known = [
            f"{x['metadata'].get('namespace')}/{x['metadata'].get('name')}"
            for x in view.list("Service")
        ]
        close = difflib.get_close_matches(f"{ns}/{name}", known, n=3, cutoff=0.4)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise UsageError(f"no Service {ns}/{name}{hint}") from None
    if args.format == "json":
        print(json.dumps(card_json(card), indent=2))
    else:
        print("\n".join(card_lines(card)))
    return EXIT_OK


def _sev(s: Any) -> str:
    return s.value if s is not None else "ok"


def row_json(r: Any) -> dict[str, Any]:
    return {
        "service": {"kind": "Service", "namespace": r.namespace, "name": r.name},
        "model": r.is_model,
        "why": r.why,
        "server": r.server,
        "ready": r.ready,
        "pods": r.pods,
        "restarts": r.restarts,
        "recent_restarts": r.recent_restarts,
        "gpus": r.gpus,
        "nodes": list(r.nodes),
        "routes": len(r.routes),
        "routes_worst": _sev(r.routes_worst),
        "claims": list(r.claims),
        "claims_worst": _sev(r.claims_worst),
        "model_store": r.model_store.to_json(),
        "dns": r.dns.to_json(),
        "worst": _sev(r.worst),
        "signals": [{"severity": s.value, "reason": why} for s, why in r.signals],
    }


def card_json(card: Any) -> dict[str, Any]:
    r = card.row
    return {
        "service": {"kind": "Service", "namespace": r.namespace, "name": r.name},
        "server": r.server,
        "why": r.why,
        "port": card.port,
        "workloads": [w.to_json() for w in card.workloads],
        "pods": [p.to_json() for p in card.pods],
        "routes": [x.to_json() for x in card.routes],
        "claims": [c.to_json() for c in card.claims],
        "reach": {
            "inbound": [{"from": g, **a.to_json()} for g, a in card.inbound],
            "model_store": {"port": 9000, **r.model_store.to_json()},
            "dns": {"port": 53, **r.dns.to_json()},
        },
        "findings": [f.to_json() for f in card.findings],
        "events": [e.__dict__ for e in card.events],
    }


def _yes(allowed: bool | None) -> str:
    return {True: "yes", False: "NO", None: "unknown"}[allowed]


def print_rows(rows: list[Any]) -> None:
    head = ("WORST", "SERVICE", "SERVER", "READY", "RESTARTS", "GPUS", "ROUTES", "CLAIMS")
    head += ("STORE", "DNS")
    lines = [head]
    for r in rows:
        lines.append(
            (
                _sev(r.worst),
                clean(r.ref, single_line=True) + ("" if r.is_model else " (other)"),
                r.server,
                f"{r.ready}/{r.pods}",
                f"{r.restarts}" + (f" ({r.recent_restarts} <1h)" if r.recent_restarts else ""),
                str(r.gpus),
                f"{len(r.routes)} {_sev(r.routes_worst)}" if r.routes else "-",
                f"{len(r.claims)} {_sev(r.claims_worst)}" if r.claims else "-",
                _yes(r.model_store.allowed),
                _yes(r.dns.allowed),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for line in lines:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(line)).rstrip())
    print(f"{sum(1 for r in rows if r.is_model)} model services, {len(rows)} services")


def card_lines(card: Any) -> list[str]:
    r = card.row
    c = lambda s: clean(s, single_line=True)  # noqa: E731 - cluster text, one line
    out = [f"Service {c(r.ref)}  server {r.server}  pods {r.ready}/{r.pods} ready  GPUs {r.gpus}"]
    if r.why:
        out.append(f"  model service: {c(r.why)}")
    for sev, reason in r.signals:
        out.append(f"  {sev.value}: {reason}")
    out.append("")
    out.append("Routes")
    for x in card.routes:
        budget = f"budget {x.latency_budget_s:g}s" if x.latency_budget_s else "no declared budget"
        read = f"read {x.read_timeout_s:g}s ({x.timeout_source})" if x.read_timeout_s else ""
        status = f"-> {x.predicted_status}" if x.predicted_status else ""
        why = f" ({x.deciding_step})" if x.deciding_step else ""
        out.append(
            f"  {x.route.kind} {c(x.route.namespace)}/{c(x.route.name)} {c(x.url or x.route.host)} "
            f"{read} body {c(x.body_size) or '-'} {budget} {status}{why}".rstrip()
        )
    if not card.routes:
        out.append("  no route reaches it")
    out.append("")
    out.append("Workloads and pods")
    for w in card.workloads:
        state = (
            f" {w.ready}/{w.desired} ready, {w.updated} updated" if w.desired is not None else ""
        )
        out.append(f"  {w.kind} {c(w.name)}{state}")
    for p in card.pods:
        flags = "ready" if p.ready else f"NOT READY: {c(p.problem)}"
        term = f"  last: {c(p.last_termination)}" if p.last_termination else ""
        out.append(
            f"    {c(p.name)} {p.phase} {flags} restarts {p.restarts}{term} "
            f"GPU {p.gpus} node {c(p.node) or '-'} {c(p.image)}"
        )
    out.append("")
    out.append("Storage")
    for cl in card.claims:
        out.append(
            f"  {c(cl.namespace)}/{c(cl.name)} {cl.phase} class {c(cl.storage_class) or '-'} "
            f"{cl.access} reclaim {cl.reclaim or '-'}"
            + (f": {c(cl.problem)}" if cl.problem else "")
        )
    if not card.claims:
        out.append("  no claims")
    out.append("")
    out.append("Reachability")
    port = f"TCP {card.port}" if card.port else "its port"
    for group, a in card.inbound:
        out.append(f"  {c(group)} -> {port}: {_yes(a.allowed)} {a.pairs} ({c(a.because)})")
    for a in (r.model_store, r.dns):
        out.append(f"  {a.question}: {_yes(a.allowed)} {a.pairs} ({c(a.because)})")
    out.append("")
    out.append("Findings")
    for f in card.findings:
        out.append(f"  {f.severity.value:<8} {f.code}  {c(f.ref)}: {c(f.message)}")
    if not card.findings:
        out.append("  none")
    if card.events:
        out.append("")
        out.append("Events (newest first)")
        for e in card.events:
            out.append(f"  {e.time} {e.type} {e.reason} {c(e.object)}: {c(e.message)}")
    return out
