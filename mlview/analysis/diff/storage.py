"""Storage changes from the Storage tab's rows: claims whose phase, class, access modes or bound
volume changed (or that appeared or went), volumes released or whose reclaim policy changed,
classes whose binding mode or reclaim policy changed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from mlview.analysis import storage
from mlview.analysis.diff.model import ADDED, CHANGED, REMOVED, FieldChange, StorageChange
from mlview.store import StoreView

PVC, PV, SC = "PersistentVolumeClaim", "PersistentVolume", "StorageClass"

# field name -> how to read it from a row
CLAIM_FIELDS: dict[str, Callable[[Any], Any]] = {
    "phase": lambda r: r.phase,
    "storageClass": lambda r: r.storage_class,
    "bindingMode": lambda r: r.binding_mode,
    "accessModes": lambda r: ",".join(r.access_modes),
    "volume": lambda r: r.volume,
    "requested": lambda r: r.requested,
    "reclaimPolicy": lambda r: r.reclaim_policy,
}
VOLUME_FIELDS: dict[str, Callable[[Any], Any]] = {
    "phase": lambda r: r.phase,
    "claim": lambda r: r.claim,
    "reclaimPolicy": lambda r: r.reclaim_policy,
    "storageClass": lambda r: r.storage_class,
}
CLASS_FIELDS: dict[str, Callable[[Any], Any]] = {
    "provisioner": lambda r: r.provisioner,
    "reclaimPolicy": lambda r: r.reclaim_policy,
    "volumeBindingMode": lambda r: r.binding_mode,
    "default": lambda r: r.is_default,
}


def compare_storage(old: StoreView, new: StoreView) -> list[StorageChange]:
    out: list[StorageChange] = []
    out += _compare(
        PVC,
        {(r.namespace, r.name): r for r in storage.claim_rows(old)},
        {(r.namespace, r.name): r for r in storage.claim_rows(new)},
        CLAIM_FIELDS,
    )
    out += _compare(
        PV,
        {("", r.name): r for r in storage.pv_rows(old)},
        {("", r.name): r for r in storage.pv_rows(new)},
        VOLUME_FIELDS,
    )
    out += _compare(
        SC,
        {("", r.name): r for r in storage.class_rows(old)},
        {("", r.name): r for r in storage.class_rows(new)},
        CLASS_FIELDS,
    )
    return out


def _compare(
    kind: str,
    before: Mapping[tuple[str, str], Any],
    after: Mapping[tuple[str, str], Any],
    fields: Mapping[str, Callable[[Any], Any]],
) -> Iterable[StorageChange]:
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        if a is None:
            yield StorageChange(kind, *key, ADDED, _values(fields, None, b))
        elif b is None:
            yield StorageChange(kind, *key, REMOVED, _values(fields, a, None))
        else:
            changes = tuple(
                FieldChange(name, read(a), read(b))
                for name, read in fields.items()
                if read(a) != read(b)
            )
            if changes:
                yield StorageChange(kind, *key, CHANGED, changes)


def _values(fields: Mapping[str, Callable[[Any], Any]], a: Any, b: Any) -> tuple[FieldChange, ...]:
    """An added or removed object: its values that say something (phase, class, ...)."""
    out = []
    for name, read in fields.items():
        x = read(a) if a is not None else None
        y = read(b) if b is not None else None
        if x not in (None, "", False) or y not in (None, "", False):
            out.append(FieldChange(name, x, y))
    return tuple(out)
