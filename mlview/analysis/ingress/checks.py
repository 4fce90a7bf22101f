"""Ingress findings: classes and annotations; route checks live in ingress_route_checks.

Each check yields (Finding, route keys it concerns) so the pane can show a route's own findings.
Verdicts about annotation values are given for ingress-nginx only; other controllers get the
generic checks (class, backend, TLS, Exact/Prefix paths) and nothing we cannot source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from mlview.analysis.findings import Finding, Found, finding
from mlview.analysis.ingress import route_checks as route_checks
from mlview.analysis.ingress.annotations import (
    CATALOGUE,
    F5_EQUIVALENT,
    F5_PREFIX,
    PREFIX,
    REMOVED,
    closest,
    validate,
)
from mlview.analysis.ingress.classes import F5, NGINX, OTHER, UNKNOWN, resolve_class
from mlview.analysis.ingress.routes import MALFORMED, RouteRow, malformed, route_rows
from mlview.analysis.ingress.settings import SETTINGS, effective_settings
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.workloads import parse_duration
from mlview.store import StoreView


def all_checks(view: StoreView) -> list[Found]:
    rows = route_rows(view)
    by_ing: dict[str, list[RouteRow]] = {}
    for r in rows:
        by_ing.setdefault(r.ingress_ref, []).append(r)
    out: list[Found] = []
    bad = malformed(view)
    for ing in view.list("Ingress"):
        mine = by_ing.get(o.ref(ing), [])
        keys = tuple(r.key for r in mine)
        try:
            out.extend([(f, keys) for f in _class_and_annotations(view, ing)])
            out.extend(list(route_checks.tls_checks(view, ing, mine)))
        except MALFORMED as exc:
            bad.setdefault(o.ref(ing), f"{type(exc).__name__}: {exc}")
    out.extend(route_checks.paths_checks(rows))
    out.extend(route_checks.backends_checks(view, rows))
    for ref, why in sorted(bad.items()):
        ns, name = ref.split("/", 1)
        out.append(
            (
                finding(
                    "ingress-malformed",
                    "error",
                    ("Ingress", ns, name),
                    f"Ingress {ref} could not be read ({why}); its routes are not shown.",
                    "Check the object's spec against the Ingress API "
                    "(kubectl explain ingress.spec).",
                ),
                (),
            )
        )
    return out


def _class_and_annotations(view: StoreView, ing: dict) -> Iterator[Finding]:
    info = resolve_class(view, ing)
    ref = f"Ingress {o.ref(ing)}"
    if info.problem:
        yield finding(
            "ingress-class-missing",
            "error",
            ing,
            f"{ref}: {info.problem}; no controller serves it.",
            "Set spec.ingressClassName to an existing IngressClass "
            "(kubectl get ingressclass), or mark one as the default.",
        )
    prefix = info.nginx.prefix if info.nginx else PREFIX
    anns = o.annotations(ing)
    nginx_keys = sorted(k for k in anns if k.startswith(prefix))
    f5_keys = sorted(k for k in anns if k.startswith(F5_PREFIX))
    if nginx_keys and (info.kind in (OTHER, F5) or info.problem):
        whose = (
            f"class {info.name!r} is served by {info.controller}"
            if not info.problem
            else "its class does not resolve"
        )
        yield finding(
            "ingress-annotation-wrong-controller",
            "warning",
            ing,
            f"{ref} has {len(nginx_keys)} ingress-nginx annotation(s) "
            f"({', '.join(nginx_keys[:3])}) but {whose}: they do nothing.",
            "Use the annotations of the controller that serves this class.",
        )
    if info.kind == UNKNOWN and not info.problem and nginx_keys:
        # The class is not in the snapshot (an application's manifests, say): the keys only
        # mean something to ingress-nginx, so check them against its rules, conditionally.
        note = f" (if ingress-nginx serves it: class {info.name or '(default)'!r} is not known)"
        yield from _nginx_annotations(view, ing, prefix, nginx_keys, ref, note)
        return
    if info.kind != NGINX:
        return
    if f5_keys:
        eq = [
            f"{k} -> {prefix}{F5_EQUIVALENT[k[len(F5_PREFIX) :]]}"
            for k in f5_keys
            if k[len(F5_PREFIX) :] in F5_EQUIVALENT
        ]
        yield finding(
            "ingress-annotation-wrong-controller",
            "warning",
            ing,
            f"{ref} has F5 NGINX annotation(s) {', '.join(f5_keys[:3])} on an "
            f"ingress-nginx class: they do nothing there.",
            "Use ingress-nginx keys with unitless seconds"
            + (f": {'; '.join(eq[:3])}." if eq else "."),
        )
    yield from _nginx_annotations(view, ing, prefix, nginx_keys, ref)


def _nginx_annotations(
    view: StoreView, ing: dict, prefix: str, keys: list[str], ref: str, note: str = ""
) -> Iterator[Finding]:
    settings = effective_settings(view, ing)
    anns = o.annotations(ing)
    canary = any(s.note.startswith("canary") for s in settings.values()) or (
        str(anns.get(prefix + "canary")).lower() == "true"
    )
    ignored = []
    for key in keys:
        name = key[len(prefix) :]
        raw = anns[key]
        if name in REMOVED:
            yield finding(
                "ingress-annotation-unknown",
                "warning",
                ing,
                f"{ref}: {key} was removed from ingress-nginx; it does nothing{note}.",
                f"Use {REMOVED[name]}.",
            )
            continue
        spec = CATALOGUE.get(name)
        if spec is None:
            guess = closest(name)
            yield finding(
                "ingress-annotation-unknown",
                "warning",
                ing,
                f"{ref}: ingress-nginx does not know {key}; it does nothing{note}.",
                f"Did you mean {prefix}{guess}?"
                if guess
                else "Check the name against the ingress-nginx annotations list.",
            )
            continue
        if canary and not spec.canary:
            ignored.append(key)
            continue
        problem = validate(name, raw)
        if problem:
            yield finding(
                "ingress-annotation-invalid-value",
                "error",
                ing,
                f'{ref}: {key}: "{raw}" is invalid ({problem}); the controller '
                f"ignores it and uses {_fallback(settings, name)}{note}.",
                _fix_hint(key, spec.type, raw),
            )
    if ignored:
        yield finding(
            "ingress-canary-annotation-ignored",
            "info",
            ing,
            f"{ref} is a canary: {', '.join(ignored[:3])} "
            f"{'is' if len(ignored) == 1 else 'are'} ignored; the main Ingress's "
            "settings apply.",
            "Set these on the main Ingress for the same host and path.",
        )


def _fallback(settings: dict, name: str) -> str:
    if name in SETTINGS and name in settings:
        s = settings[name]
        where = s.detail if s.source != "default" else "built-in default"
        return f"{s.value or '(none)'} ({where})"
    default = CATALOGUE[name].default
    return f"its default ({default})" if default else "its default"


def _fix_hint(key: str, typ: str, raw: Any) -> str:
    text = str(raw)
    if typ == "int":
        secs = parse_duration(text.lower())
        if secs is not None and secs == int(secs):
            return f'Write plain seconds: {key}: "{int(secs)}".'
        return f'Write a plain integer, quoted: {key}: "120".'
    if typ == "size":
        m = re.fullmatch(r"\s*(\d+)\s*([kmg])i?b?\s*", text, re.IGNORECASE)
        if m:
            return f'Write nginx size syntax: {key}: "{m.group(1)}{m.group(2).lower()}".'
        return f'Write nginx size syntax, like {key}: "50m" ("0" disables the limit).'
    if not isinstance(raw, str):
        return f'Quote the value: {key}: "{raw}".'.replace("True", "true").replace("False", "false")
    return "Fix the value; see the ingress-nginx annotations documentation."
