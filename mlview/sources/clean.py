"""Normalise objects from any source before they reach the store."""

from __future__ import annotations

from typing import Any

from mlview.kinds import KINDS

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def clean_object(obj: dict[str, Any]) -> dict[str, Any]:
    """Drop what mlview must not hold (Secret data) or never needs (managedFields)."""
    meta = obj.get("metadata")
    if isinstance(meta, dict):
        meta.pop("managedFields", None)
    info = KINDS.get(obj.get("kind") or "")
    if info is not None and info.metadata_only:
        for field in ("data", "stringData"):
            obj.pop(field, None)
        if isinstance(meta, dict) and isinstance(meta.get("annotations"), dict):
            # kubectl apply keeps a full copy of the object here: for a Secret, its data.
            meta["annotations"].pop(LAST_APPLIED, None)
    return obj
