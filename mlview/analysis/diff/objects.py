"""Objects added, removed and changed, field by field, without the noise.

Compared: everything but apiVersion, kind, metadata and status (spec, and data, rules, ... of
kinds without a spec), plus metadata.labels and metadata.annotations. So resourceVersion,
managedFields, uid, generation, creationTimestamp and every status field (heartbeats,
conditions' timestamps) never show. Also left out:

- a few annotations controllers rewrite (kubectl's last-applied-configuration, a Deployment's
  revision, an Endpoints' last-change-trigger-time);
- kinds that only mirror others or tick (Event, Endpoints, EndpointSlice, Lease) and the
  history objects of a rollout (ReplicaSets owned by a Deployment, ControllerRevisions): the
  workload's own template change says what rolled out;
- Secret values (a change says "(changed)", never the value).

Pods are summarised per workload (a rollout replaced 12 pods), never listed one by one.

A plain manifest compared with an object read from a cluster: the fields the manifest does not
set are not compared (the API server fills in defaults, so they would all differ); a field the
manifest sets to another value, or adds, is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from mlview.analysis.diff.model import FieldChange, ObjectChange, ObjectChanges, PodSummary, Ref
from mlview.analysis.shared import objects as o
from mlview.store import StoreView

SKIPPED_KINDS = frozenset({"Event", "Endpoints", "EndpointSlice", "Lease", "ControllerRevision"})
SKIPPED_TOP = frozenset({"apiVersion", "kind", "metadata", "status"})
NOISE_ANNOTATIONS = frozenset(
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        "deployment.kubernetes.io/revision",
        "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas",
        "endpoints.kubernetes.io/last-change-trigger-time",
        "control-plane.alpha.kubernetes.io/leader",
    }
)
# Keys that are noise wherever they are: the resourceVersion an object reference (a volume's
# claimRef) took down when it was written.
NOISE_KEYS = frozenset({"resourceVersion"})
HIDDEN = "(hidden)"  # a Secret's value
_SIMPLE_KEY = re.compile(
    r"^[A-Za-z0-9_-]+$"
)  # else written [key]: "labels[app.kubernetes.io/name]"
MAX_FIELDS = 50  # per object: a rewritten object says its first fields, not thousands


def compare_objects(old: StoreView, new: StoreView) -> ObjectChanges:
    added: list[Ref] = []
    removed: list[Ref] = []
    changed: list[ObjectChange] = []
    for kind in sorted(set(old.kinds()) | set(new.kinds())):
        if kind in SKIPPED_KINDS or kind == "Pod":
            continue
        before = {_key(x): x for x in old.list(kind) if not _derived(x)}
        after = {_key(x): x for x in new.list(kind) if not _derived(x)}
        for key in sorted(before.keys() - after.keys()):
            removed.append(Ref(kind, *key))
        for key in sorted(after.keys() - before.keys()):
            added.append(Ref(kind, *key))
        for key in sorted(before.keys() & after.keys()):
            a, b = before[key], after[key]
            if a is b:
                continue
            fields = object_fields(a, b)
            if fields:
                changed.append(ObjectChange(Ref(kind, *key), tuple(fields)))
    return ObjectChanges(tuple(added), tuple(removed), tuple(changed), pod_summaries(old, new))


def _key(obj: Mapping[str, Any]) -> tuple[str, str]:
    return (o.namespace(obj), o.name(obj))


def _derived(obj: Mapping[str, Any]) -> bool:
    """A ReplicaSet a Deployment made: its changes are the Deployment's rollout."""
    if obj.get("kind") != "ReplicaSet":
        return False
    owners = o.meta(obj).get("ownerReferences") or []
    return any(isinstance(r, Mapping) and r.get("kind") == "Deployment" for r in owners)


def object_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FieldChange]:
    """The fields that differ between two versions of one object, noise left out."""
    manifest_old, manifest_new = _is_manifest(old), _is_manifest(new)
    # Only one side a plain manifest: compare the fields it sets (the server defaults others).
    sparse = "old" if manifest_old and not manifest_new else "new" if manifest_new else ""
    if manifest_old and manifest_new:
        sparse = ""
    secret = old.get("kind") == "Secret"
    out: list[FieldChange] = []
    for section, a, b in _sections(old, new):
        for path, x, y in _walk(section, a, b, sparse):
            if secret and path.split(".", 1)[0] in ("data", "stringData"):
                x = None if x is None else HIDDEN
                y = None if y is None else HIDDEN
                if x == y:
                    y = "(changed)"
            out.append(FieldChange(path, x, y))
            if len(out) >= MAX_FIELDS:
                return out
    return out


def _is_manifest(obj: Mapping[str, Any]) -> bool:
    """No trace of the API server: no uid, resourceVersion, creationTimestamp or status."""
    meta = o.meta(obj)
    return not (
        meta.get("uid")
        or meta.get("resourceVersion")
        or meta.get("creationTimestamp")
        or obj.get("status")
    )


def _sections(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    yield "labels", _labels(old), _labels(new)
    yield "annotations", _annotations(old), _annotations(new)
    for top in sorted(set(old) | set(new), key=str):
        if top not in SKIPPED_TOP:
            yield str(top), old.get(top), new.get(top)


def _labels(obj: Mapping[str, Any]) -> dict[str, Any]:
    labels = o.meta(obj).get("labels")
    return dict(labels) if isinstance(labels, Mapping) else {}


def _annotations(obj: Mapping[str, Any]) -> dict[str, Any]:
    ann = o.meta(obj).get("annotations")
    if not isinstance(ann, Mapping):
        return {}
    return {k: v for k, v in ann.items() if k not in NOISE_ANNOTATIONS}


def _walk(path: str, a: Any, b: Any, sparse: str) -> Iterator[tuple[str, Any, Any]]:
    """(path, old, new) of every leaf that differs; a side missing a subtree gives it whole."""
    if a == b:
        return
    if sparse == "old" and a is None or sparse == "new" and b is None:
        return  # the manifest does not set it: the server's default, not a change
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        for k in sorted(set(a) | set(b), key=str):
            if k in NOISE_KEYS:
                continue
            yield from _walk(_join(path, k), a.get(k), b.get(k), sparse)
        return
    if isinstance(a, list) and isinstance(b, list):
        named_a, named_b = _by_name(a), _by_name(b)
        if named_a is not None and named_b is not None:
            for name in list(dict.fromkeys([*named_a, *named_b])):
                yield from _walk(f"{path}[{name}]", named_a.get(name), named_b.get(name), sparse)
            return
        if len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                yield from _walk(f"{path}[{i}]", x, y, sparse)
            return
    yield path, a, b


def _join(path: str, key: Any) -> str:
    key = str(key)
    return f"{path}.{key}" if _SIMPLE_KEY.match(key) else f"{path}[{key}]"


def _by_name(items: list[Any]) -> dict[str, Any] | None:
    """Items keyed by their `name` (containers, ports, volumes...) when all have a unique one."""
    out: dict[str, Any] = {}
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            return None
        if item["name"] in out:
            return None
        out[item["name"]] = item
    return out if out else None


# ---------------------------------------------------------------- pods, per workload


def pod_summaries(old: StoreView, new: StoreView) -> tuple[PodSummary, ...]:
    """Per workload: pods replaced (one gone, one come), added, removed and changed."""
    before = _pods_by_workload(old)
    after = _pods_by_workload(new)
    out = []
    for wl in sorted(before.keys() | after.keys()):
        a, b = before.get(wl, {}), after.get(wl, {})
        gone = len(a.keys() - b.keys())
        come = len(b.keys() - a.keys())
        changed = sum(
            1 for n in a.keys() & b.keys() if a[n] is not b[n] and _pod_changed(a[n], b[n])
        )
        if gone or come or changed:
            replaced = min(gone, come)
            ns, kind, name = wl
            summary = PodSummary(
                Ref(kind, ns, name), replaced, come - replaced, gone - replaced, changed
            )
            out.append(summary)
    return tuple(out)


def _pods_by_workload(
    view: StoreView,
) -> dict[tuple[str, str, str], dict[str, Mapping[str, Any]]]:
    """(namespace, kind, name) of each workload -> its pods by name (virtual pods left out)."""
    out: dict[tuple[str, str, str], dict[str, Mapping[str, Any]]] = {}
    for pod in view.list("Pod"):
        if o.virtual_of(pod):
            continue
        kind, name = o.owner_workload(view, pod)
        out.setdefault((o.namespace(pod), kind, name), {})[o.name(pod)] = pod
    return out


def _pod_changed(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    if _same_sections(a, b):
        return False  # most pods: equal as they are, before any copy or walk
    return next(iter(_sections_diff(a, b)), None) is not None


def _same_sections(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Labels, annotations and every compared top-level field equal as read: then equal
    once the noise is left out too."""
    ma, mb = o.meta(a), o.meta(b)
    if ma.get("labels") != mb.get("labels") or ma.get("annotations") != mb.get("annotations"):
        return False
    return all(a.get(k) == b.get(k) for k in a.keys() | b.keys() if k not in SKIPPED_TOP)


def _sections_diff(a: Mapping[str, Any], b: Mapping[str, Any]) -> Iterator[Any]:
    for section, x, y in _sections(a, b):
        yield from _walk(section, x, y, "")
