"""Ingress findings about routes: TLS, paths, backends, timeouts and body sizes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mlview.analysis.findings import Found, finding
from mlview.analysis.ingress.annotations import size_bytes
from mlview.analysis.ingress.classes import NGINX
from mlview.analysis.ingress.match import regex_mode
from mlview.analysis.ingress.routes import MALFORMED, RouteRow, host_matches
from mlview.analysis.ingress.settings import ANNOTATION, seconds
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.services import service_pods
from mlview.analysis.shared.workloads import (
    accepts_uploads,
    latency_annotation_error,
    latency_budget,
    model_serving,
)
from mlview.store import StoreView

REGEX_CHARS = re.compile(r"[\^$*+?()\[\]{}|\\]")
CERT_MANAGER_ALT_NAMES = "cert-manager.io/alt-names"


def tls_checks(view: StoreView, ing: dict, rows: list[RouteRow]) -> Iterator[Found]:
    ref = f"Ingress {o.ref(ing)}"
    entries = (ing.get("spec") or {}).get("tls") or []
    ns = o.namespace(ing)
    for entry in entries:
        secret = entry.get("secretName")
        hosts = [str(h) for h in entry.get("hosts") or []]
        keys = tuple(r.key for r in rows if any(host_matches(h, r.host) for h in hosts))
        if not secret:
            continue
        obj = view.get("Secret", ns, secret)
        if obj is None and view.has_listed("Secret"):
            yield (
                finding(
                    "ingress-tls-secret-missing",
                    "error",
                    ing,
                    f"{ref}: TLS Secret {ns}/{secret} does not exist; "
                    f"{', '.join(hosts) or 'its hosts'} get the controller's default "
                    "(self-signed) certificate.",
                    "Create the Secret (or fix secretName); with cert-manager, check "
                    "the Certificate's status.",
                ),
                keys,
            )
        alt = o.annotations(obj or {}).get(CERT_MANAGER_ALT_NAMES)
        if alt:
            names = [a.strip() for a in str(alt).split(",") if a.strip()]
            for h in hosts:
                if not any(host_matches(n, h) for n in names):
                    yield (
                        finding(
                            "ingress-tls-host-not-covered",
                            "warning",
                            ing,
                            f"{ref}: the certificate in Secret {ns}/{secret} covers "
                            f"{', '.join(names[:3])}, not {h}.",
                            "Add the host to the Certificate's dnsNames.",
                        ),
                        keys,
                    )
    # An entry without hosts makes coverage controller-specific: no verdict then.
    if entries and all(e.get("hosts") for e in entries):
        for host in sorted({r.host for r in rows if r.host and not r.tls}):
            keys = tuple(r.key for r in rows if r.host == host)
            yield (
                finding(
                    "ingress-tls-host-not-covered",
                    "warning",
                    ing,
                    f"{ref}: host {host} is not listed in spec.tls; HTTPS to it gets the "
                    "controller's default certificate.",
                    f"Add {host} to a spec.tls entry's hosts.",
                ),
                keys,
            )


def paths_checks(rows: list[RouteRow]) -> Iterator[Found]:
    seen: dict[tuple[str, str, str, str], list[RouteRow]] = {}
    hosts: dict[tuple[str, str], list[RouteRow]] = {}
    for r in rows:
        if r.default_backend:
            continue
        hosts.setdefault((r.class_name, r.host), []).append(r)
        if not r.canary:
            ptype = "Exact" if r.path_type == "Exact" else "Prefix"
            seen.setdefault((r.class_name, r.host, r.path, ptype), []).append(r)
    for (_, host, path, _), group in seen.items():
        if len(group) < 2:
            continue
        names = sorted({g.ingress_ref for g in group})
        where = f"Ingresses {', '.join(names)}" if len(names) > 1 else f"Ingress {names[0]} twice"
        oldest = min(group, key=lambda g: (g.created, g.namespace, g.ingress, g.key))
        if oldest.controller == NGINX and len(names) > 1:
            hint = (
                f"ingress-nginx serves the oldest, Ingress {oldest.ingress_ref}; remove or "
                "change the other rule."
            )
        else:
            hint = "Remove or change the duplicate rule; which one wins is up to the controller."
        for ing_ref in names:
            ns, name = ing_ref.split("/", 1)
            yield (
                finding(
                    "ingress-path-conflict",
                    "warning",
                    ("Ingress", ns, name),
                    f"{host or '*'}{path} is claimed by {where}: only one gets traffic.",
                    hint,
                ),
                tuple(g.key for g in group),
            )
    for group in hosts.values():
        rmode = regex_mode([g for g in group if g.controller == NGINX])
        for r in group:
            if not REGEX_CHARS.search(r.path):
                continue
            if r.path_type in ("Exact", "Prefix"):
                why = f"pathType {r.path_type} matches it literally"
            elif r.controller == NGINX and not rmode:
                why = "use-regex is not set for this host, so nginx matches it as a plain prefix"
            else:
                continue
            yield (
                finding(
                    "ingress-pathtype-regex",
                    "warning",
                    ("Ingress", r.namespace, r.ingress),
                    f"Ingress {r.ingress_ref}: path {r.path} has regex characters but {why}.",
                    "Use pathType ImplementationSpecific with nginx.ingress.kubernetes.io/"
                    'use-regex: "true", or a literal path.',
                ),
                (r.key,),
            )


def backends_checks(view: StoreView, rows: list[RouteRow]) -> Iterator[Found]:
    done: set[tuple[str, str, str]] = set()
    same: dict[tuple[str, str, str], list[str]] = {}  # routes sharing an Ingress+backend
    for r in rows:
        same.setdefault((r.ingress_ref, r.service, r.port), []).append(r.key)
    for r in rows:
        if not r.service:
            continue
        ident = (r.ingress_ref, r.service, r.port)
        route = f"Ingress {r.ingress_ref} route {r.host or '*'}{r.path or ' (default)'}"
        ing = ("Ingress", r.namespace, r.ingress)
        keys = tuple(same[ident])
        svc_ref = f"Service {r.namespace}/{r.service}"
        first = ident not in done
        done.add(ident)
        if first and r.service_found is False:
            yield (
                finding(
                    "ingress-backend-service-missing",
                    "error",
                    ing,
                    f"{route}: {svc_ref} does not exist; clients get 503.",
                    "Create the Service or point the rule at an existing one.",
                ),
                keys,
            )
            continue
        if first and r.service_found and r.service_port is None:
            yield (
                finding(
                    "ingress-backend-port-missing",
                    "error",
                    ing,
                    f"{route}: {svc_ref} has no port {r.port}; clients get 503.",
                    "Use a port number or name the Service defines (kubectl get svc -o yaml).",
                ),
                keys,
            )
            continue
        if first and r.ready == 0:
            nr = r.not_ready or 0
            detail = f"{nr} endpoint(s) not ready" if nr else "no endpoints at all"
            yield (
                finding(
                    "ingress-backend-no-ready-endpoints",
                    "error",
                    ing,
                    f"{route}: {svc_ref} has no ready endpoints ({detail}); clients get 503.",
                    "Check the pods behind the Service (selector, readiness probe, crashes).",
                ),
                keys,
            )
        if r.controller == NGINX and not r.canary and r.service_found:
            try:
                yield from list(_timeouts_and_sizes(view, r, route, ing, keys, first))
            except MALFORMED:
                continue  # a malformed Service: the backend checks above already ran


def _timeouts_and_sizes(
    view: StoreView,
    r: RouteRow,
    route: str,
    ing: tuple[str, str, str],
    keys: tuple[str, ...],
    first: bool,
) -> Iterator[Found]:
    svc = view.get("Service", r.namespace, r.service)
    if svc is None or not first:
        return
    pods = service_pods(view, svc)
    read = r.settings.get("proxy-read-timeout")
    read_s = seconds(read)
    budget = latency_budget(view, svc)
    bad = latency_annotation_error(svc)
    if bad:
        yield (
            finding(
                "ingress-latency-annotation-invalid",
                "warning",
                svc,
                f"Service {o.ref(svc)}: {bad}.",
                'Use a duration such as "90s" or "2m".',
            ),
            keys,
        )
    if read is None or read_s is None:
        return
    if budget and read_s < budget[0]:
        yield (
            finding(
                "ingress-timeout-below-latency",
                "error",
                ing,
                f"{route}: proxy-read-timeout is {read_s}s ({read.detail or read.source}) "
                f"but {budget[1]} allows {budget[0]:g}s; slower requests end in 504.",
                f"Set nginx.ingress.kubernetes.io/proxy-read-timeout: "
                f'"{int(budget[0]) + 1}" or more on the Ingress.',
            ),
            keys,
        )
    elif not budget and read.source != ANNOTATION and not read.invalid and read_s <= 60:
        why = model_serving(view, svc, pods)
        if why:
            yield (
                finding(
                    "ingress-timeout-default-for-model",
                    "warning",
                    ing,
                    f"{route} serves a model ({why}) with the {read_s}s default read "
                    "timeout; slow inference (LLMs, large images) ends in 504.",
                    'Set nginx.ingress.kubernetes.io/proxy-read-timeout (e.g. "300") '
                    "and declare mlview.io/expected-latency on the Service.",
                ),
                keys,
            )
    body = r.settings.get("proxy-body-size")
    limit = size_bytes(body.value) if body else None
    if body and body.source != ANNOTATION and limit and limit <= 1024**2:
        why = accepts_uploads(view, svc, pods)
        if why:
            yield (
                finding(
                    "ingress-body-size-default",
                    "info",
                    ing,
                    f"{route} takes uploads ({why}) but keeps the {body.value} body "
                    "limit: larger requests get 413.",
                    'Set nginx.ingress.kubernetes.io/proxy-body-size (e.g. "50m").',
                ),
                keys,
            )
