"""Effective ingress-nginx settings of an Ingress, with where each value comes from.

Order, as the controller applies it: a valid Ingress annotation, else the controller ConfigMap's
key, else the built-in default. An invalid annotation is ignored (the next source applies). A canary
Ingress ignores these annotations: it inherits the main Ingress's values (see ingress_routes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mlview.analysis.ingress.annotations import CATALOGUE, is_int, parse_bool, validate
from mlview.analysis.ingress.classes import NGINX, NginxController, resolve_class
from mlview.analysis.shared import objects as o
from mlview.store import StoreView

# The settings shown per route; True when the ConfigMap has a key of the same name.
SETTINGS: dict[str, bool] = {
    "proxy-read-timeout": True,
    "proxy-send-timeout": True,
    "proxy-connect-timeout": True,
    "proxy-body-size": True,
    "proxy-buffering": True,
    "proxy-request-buffering": True,
    "backend-protocol": False,
    "rewrite-target": False,
    "use-regex": False,
    "ssl-redirect": True,
}

ANNOTATION = "annotation"
CONFIGMAP = "configmap"
DEFAULT = "default"
MAIN_INGRESS = "main ingress"


@dataclass(frozen=True)
class Setting:
    value: str  # as the controller uses it ("" = unset, e.g. no rewrite-target)
    source: str  # annotation | configmap | default | main ingress
    detail: str = ""  # the annotation key, "ConfigMap ns/name", ...
    note: str = ""  # why a present annotation did not apply
    invalid: str = ""  # the rejected annotation value, when one was


def is_canary(ing: Mapping, prefix: str) -> bool:
    return str(o.annotations(ing).get(prefix + "canary", "")) in (
        "1",
        "t",
        "T",
        "true",
        "True",
        "TRUE",
    )


def controller_settings(view: StoreView, nginx: NginxController) -> dict[str, Setting]:
    """ConfigMap-or-default values of one controller (what an Ingress without annotations gets)."""
    return view.memo(("ingress", "cm-settings", nginx), lambda: _controller_settings(view, nginx))


def _controller_settings(view: StoreView, nginx: NginxController) -> dict[str, Setting]:
    data: Mapping[str, object] = {}
    gap = ""
    where = ""
    if nginx.configmap is not None:
        ns, name = nginx.configmap
        where = f"ConfigMap {ns}/{name}"
        cm = view.get("ConfigMap", ns, name)
        if cm is not None:
            data = cm.get("data") or {}
        elif view.has_listed("ConfigMap"):
            gap = f"{where} does not exist: built-in defaults"
        else:
            gap = f"{where} is not in the snapshot"
    out: dict[str, Setting] = {}
    for name, in_cm in SETTINGS.items():
        default = CATALOGUE[name].default
        raw = data.get(name) if in_cm else None
        if raw is None:
            out[name] = Setting(default, DEFAULT, "built-in default", note=gap)
            continue
        value = str(raw).strip()
        kind = CATALOGUE[name].type
        if (kind == "int" and not is_int(value)) or (kind == "bool" and validate(name, value)):
            out[name] = Setting(
                default,
                DEFAULT,
                "built-in default",
                note=f'{where} sets {name}: "{raw}", which is invalid',
            )
            continue
        if kind == "int":
            value = str(int(value))
        elif kind == "bool":
            value = "true" if parse_bool(value) else "false"
        out[name] = Setting(value, CONFIGMAP, where)
    return out


def _normalise(name: str, raw: str) -> str:
    kind = CATALOGUE[name].type
    if kind == "int":
        return str(int(raw))
    if kind == "protocol":
        return raw.strip().upper()
    if kind == "bool":
        return "true" if parse_bool(raw) else "false"
    return raw.strip()


def effective_settings(view: StoreView, ing: Mapping) -> dict[str, Setting]:
    """name -> Setting for an ingress-nginx Ingress; {} for other or unknown controllers (we
    give no values we cannot source). Canary Ingresses get ConfigMap/default values with a note:
    `ingress_routes` replaces them with the main Ingress's values where it finds one."""
    info = resolve_class(view, dict(ing))
    if info.kind != NGINX or info.nginx is None:
        return {}
    prefix = info.nginx.prefix
    base = controller_settings(view, info.nginx)
    anns = o.annotations(ing)
    canary = is_canary(ing, prefix)
    out: dict[str, Setting] = {}
    for name in SETTINGS:
        key = prefix + name
        fallback = base[name]
        if key not in anns:
            out[name] = fallback
            continue
        raw = anns[key]
        if canary:
            note = f"canary Ingress: {key} is ignored (the main Ingress's value applies)"
            out[name] = _with(fallback, note=note)
            continue
        problem = validate(name, raw)
        if problem:
            note = f'{key}: "{raw}" is invalid ({problem}); ignored'
            out[name] = _with(fallback, note=note, invalid=str(raw))
            continue
        out[name] = Setting(_normalise(name, str(raw)), ANNOTATION, key)
    return out


def _with(s: Setting, note: str, invalid: str = "") -> Setting:
    return Setting(s.value, s.source, s.detail, note=note, invalid=invalid)


def seconds(s: Setting | None) -> int | None:
    if s is None or not is_int(s.value):
        return None
    return int(s.value)
