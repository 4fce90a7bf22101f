"""Which controller serves an Ingress: class resolution and ingress-nginx controller discovery.

Class resolution follows the API and the controllers: `spec.ingressClassName`, else the legacy
`kubernetes.io/ingress.class` annotation, else the default IngressClass
(`ingressclass.kubernetes.io/is-default-class: "true"`), else an ingress-nginx controller started
with `--watch-ingress-without-class`. The controller of a class is the IngressClass's
`spec.controller`; a legacy annotation value without an IngressClass object is claimed by an
ingress-nginx controller whose `--ingress-class` flag (default "nginx") equals it.

ingress-nginx controllers are found from whatever the dump holds: Deployments, DaemonSets,
StatefulSets, ReplicaSets (not owned by a Deployment in the snapshot) or Pods (not owned by one of
those), whose container runs `/nginx-ingress-controller` (args or command), uses the controller
image (`ingress-nginx/controller`), or which carry the chart's labels
`app.kubernetes.io/name=ingress-nginx` + `app.kubernetes.io/component=controller`. Pods alone name
their workload from their ownerReferences (a ReplicaSet `<deployment>-<pod-template-hash>` is read
as its Deployment), so a pods-only dump names the controller as the full dump does. The flags of
whichever carries them give the ConfigMap (`--configmap`, with `$(POD_NAMESPACE)` expanded),
`--controller-class`, `--ingress-class`, `--annotations-prefix`. Without any of them, the
chart's conventional ConfigMap `ingress-nginx-controller` is used.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from mlview.analysis.ingress.annotations import (
    F5_NGINX_CONTROLLER,
    INGRESS_NGINX_CONTROLLER,
    PREFIX,
)
from mlview.analysis.shared import objects as o
from mlview.store import StoreView

LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
CHART_CONFIGMAP = "ingress-nginx-controller"

NGINX = "ingress-nginx"
F5 = "f5-nginx"
OTHER = "other"
UNKNOWN = ""  # the snapshot cannot tell


@dataclass(frozen=True)
class NginxController:
    """One ingress-nginx controller workload and the flags that matter here."""

    workload: str  # "Deployment ns/name" or "" when inferred
    controller_class: str = INGRESS_NGINX_CONTROLLER
    ingress_class: str = "nginx"
    watch_without_class: bool = False
    configmap: tuple[str, str] | None = None  # (namespace, name)
    configmap_origin: str = ""  # how we found the ConfigMap
    prefix: str = PREFIX


@dataclass(frozen=True)
class ClassInfo:
    name: str  # the class name ("" when none)
    source: str  # spec.ingressClassName | annotation | default IngressClass | flag
    controller: str  # IngressClass spec.controller, "" when unknown
    kind: str  # NGINX | F5 | OTHER | UNKNOWN
    problem: str = ""  # why the class does not resolve (ingress-class-missing)
    nginx: NginxController | None = None


def _flags(args: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("-"):
            key = arg.lstrip("-")
            if "=" in key:
                key, val = key.split("=", 1)
            elif i + 1 < len(args) and not args[i + 1].startswith("-"):
                val = args[i + 1]
                i += 1
            else:
                val = "true"
            out[key] = val
        i += 1
    return out


def _container_args(c: dict) -> list[str]:
    args: list[str] = []
    for part in list(c.get("command") or []) + list(c.get("args") or []):
        part = str(part)
        # `sh -c "/nginx-ingress-controller --configmap=..."` style wrappers
        args.extend(shlex.split(part) if " " in part else [part])
    return args


CHART_LABELS = {
    "app.kubernetes.io/name": "ingress-nginx",
    "app.kubernetes.io/component": "controller",
}
WORKLOAD_KINDS = ("Deployment", "DaemonSet", "StatefulSet", "ReplicaSet")


def _controller_args(pod_meta: dict, pod_spec: dict) -> list[str] | None:
    """The controller container's command and args when this pod (template) runs
    ingress-nginx's controller; None when it does not."""
    by_labels = all(o.labels({"metadata": pod_meta}).get(k) == v for k, v in CHART_LABELS.items())
    first: list[str] | None = None
    for c in pod_spec.get("containers") or []:
        if not isinstance(c, dict):
            continue
        args = _container_args(c)
        if any(a.endswith("/nginx-ingress-controller") for a in args) or (
            "ingress-nginx/controller" in str(c.get("image") or "")
        ):
            return args
        if first is None:
            first = args
    return (first or []) if by_labels else None


_UNREAD: list[str] = []  # a pod whose container args could not be read (compared by identity)


def _controllers(view: StoreView) -> list[NginxController]:
    def build() -> list[NginxController]:
        found = []
        seen: set[tuple[str, str, str]] = set()
        for kind in WORKLOAD_KINDS:
            for wl in view.list(kind):
                if kind == "ReplicaSet" and o.owner_workload(view, wl) != (kind, o.name(wl)):
                    continue  # its Deployment (in the snapshot or named by it) speaks for it
                tpl = (wl.get("spec") or {}).get("template") or {}
                args = _controller_args(tpl.get("metadata") or {}, tpl.get("spec") or {})
                if args is not None:
                    found.append(_controller_from(kind, wl, args))
                    seen.add((kind, o.namespace(wl), o.name(wl)))
        # Pods whose workload is not in the snapshot (a pods-only dump): one per workload.
        # Only pods that run a controller can add one: those are found first (a pod that
        # runs none adds nothing whatever its workload), the rest is never walked.
        runs = []
        for pod in view.list("Pod"):
            try:
                args = _controller_args(pod.get("metadata") or {}, pod.get("spec") or {})
            except Exception:  # noqa: BLE001 - bad data: raises below only if it is reached
                args = _UNREAD
            if args is not None:
                runs.append((o.ref(pod), pod, args))
        for _, pod, args in sorted(runs, key=lambda r: r[0]):
            kind, name = o.owner_workload(view, pod)
            ns = o.namespace(pod)
            if (kind, ns, name) in seen or view.get(kind, ns, name) is not None:
                continue
            if args is _UNREAD:
                args = _controller_args(pod.get("metadata") or {}, pod.get("spec") or {})
            if args is not None:
                found.append(_controller_from(kind, pod, args, name))
                seen.add((kind, ns, name))
        return found

    return view.memo(("ingress", "controllers"), build)


def _controller_from(kind: str, wl: dict, args: list[str], name: str = "") -> NginxController:
    """The controller `kind ns/name` (name: the workload's, defaulting to the object's own)."""
    ns = o.namespace(wl)
    name = name or o.name(wl)
    flags = _flags(args)
    cm = None
    origin = f"--configmap of {kind} {ns}/{name}"
    if flags.get("configmap"):
        ref = flags["configmap"].replace("$(POD_NAMESPACE)", ns)
        cm_ns, _, cm_name = ref.rpartition("/")
        cm = (cm_ns or ns, cm_name)
    else:
        origin = f"{kind} {ns}/{name} runs without --configmap"
    prefix = flags.get("annotations-prefix", PREFIX.rstrip("/")).rstrip("/") + "/"
    return NginxController(
        workload=f"{kind} {ns}/{name}",
        controller_class=flags.get("controller-class", INGRESS_NGINX_CONTROLLER),
        ingress_class=flags.get("ingress-class", "nginx"),
        watch_without_class=flags.get("watch-ingress-without-class", "false").lower() == "true",
        configmap=cm,
        configmap_origin=origin,
        prefix=prefix,
    )


def _conventional(view: StoreView, controller: str) -> NginxController:
    """No controller workload in the snapshot: look for the chart's ConfigMap."""
    candidates = [
        cm
        for cm in view.list("ConfigMap")
        if o.name(cm) == CHART_CONFIGMAP
        or (
            o.labels(cm).get("app.kubernetes.io/name") == "ingress-nginx"
            and o.labels(cm).get("app.kubernetes.io/component") == "controller"
        )
    ]
    candidates.sort(key=lambda cm: (o.namespace(cm) != "ingress-nginx", o.ref(cm)))
    if candidates:
        cm = candidates[0]
        return NginxController(
            "",
            controller,
            configmap=(o.namespace(cm), o.name(cm)),
            configmap_origin="the chart's conventional ConfigMap",
        )
    return NginxController("", controller, configmap_origin="no controller in the snapshot")


def nginx_for(view: StoreView, controller: str) -> NginxController:
    """The ingress-nginx controller serving a controller class (discovered or inferred)."""
    for c in _controllers(view):
        if c.controller_class == controller:
            return c
    return view.memo(
        ("ingress", "conventional", controller), lambda: _conventional(view, controller)
    )


def _kind_of(controller: str, view: StoreView) -> str:
    if controller == INGRESS_NGINX_CONTROLLER or any(
        c.controller_class == controller for c in _controllers(view)
    ):
        return NGINX
    if controller == F5_NGINX_CONTROLLER:
        return F5
    return OTHER if controller else UNKNOWN


def _class_info(view: StoreView, name: str, source: str) -> ClassInfo:
    cls = view.get("IngressClass", "", name)
    if cls is not None:
        controller = str((cls.get("spec") or {}).get("controller") or "")
        kind = _kind_of(controller, view)
        nginx = nginx_for(view, controller) if kind == NGINX else None
        return ClassInfo(name, source, controller, kind, nginx=nginx)
    if source == "annotation":
        for c in _controllers(view):
            if c.ingress_class == name:
                return ClassInfo(name, source, c.controller_class, NGINX, nginx=c)
        if not view.has_listed("Deployment"):
            return ClassInfo(name, source, "", UNKNOWN)  # a controller may claim it unseen
    if view.has_listed("IngressClass"):
        return ClassInfo(name, source, "", UNKNOWN, problem=f'IngressClass "{name}" does not exist')
    # IngressClasses not in the snapshot: the chart names the class after --ingress-class.
    for c in _controllers(view):
        if c.ingress_class == name:
            return ClassInfo(name, source, c.controller_class, NGINX, nginx=c)
    return ClassInfo(name, source, "", UNKNOWN)


def default_classes(view: StoreView) -> list[dict]:
    return view.memo(
        ("ingress", "default-classes"),
        lambda: sorted(
            (
                c
                for c in view.list("IngressClass")
                if str(o.annotations(c).get(DEFAULT_CLASS_ANNOTATION, "")).lower() == "true"
            ),
            key=o.name,
        ),
    )


def resolve_class(view: StoreView, ing: dict) -> ClassInfo:
    """The class and controller of an Ingress, and why it does not resolve when it does not."""
    key = ("ingress", "class", o.namespace(ing), o.name(ing))
    return view.memo(key, lambda: _resolve(view, ing))


def _resolve(view: StoreView, ing: dict) -> ClassInfo:
    spec_name = (ing.get("spec") or {}).get("ingressClassName")
    if spec_name:
        return _class_info(view, str(spec_name), "spec.ingressClassName")
    legacy = o.annotations(ing).get(LEGACY_CLASS_ANNOTATION)
    if legacy:
        return _class_info(view, str(legacy), "annotation")
    defaults = default_classes(view)
    if defaults:
        return _class_info(view, o.name(defaults[0]), "default IngressClass")
    for c in _controllers(view):
        if c.watch_without_class:
            return ClassInfo(
                "", "--watch-ingress-without-class", c.controller_class, NGINX, nginx=c
            )
    if view.has_listed("IngressClass"):
        problem = "no class set and no default IngressClass"
        if not view.has_listed("Deployment"):
            problem += " (unless a controller runs with --watch-ingress-without-class)"
        return ClassInfo("", "", "", UNKNOWN, problem=problem)
    return ClassInfo("", "", "", UNKNOWN)
