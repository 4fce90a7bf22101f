"""Storage tab (first version): PersistentVolumeClaims in a plain table."""

from __future__ import annotations

from mlview.ui.panes.object_list import ObjectListPane


def _modes(obj: dict) -> str:
    short = {"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX",
             "ReadWriteOncePod": "RWOP"}
    return ",".join(short.get(m, m) for m in (obj.get("spec") or {}).get("accessModes") or [])


class StoragePane(ObjectListPane):
    TITLE = "Storage"
    KIND = "PersistentVolumeClaim"
    COLUMNS = [
        ("PHASE", lambda o: (o.get("status") or {}).get("phase", "-")),
        ("REQUEST", lambda o: ((o.get("spec") or {}).get("resources") or {})
         .get("requests", {}).get("storage", "-")),
        ("MODES", _modes),
        ("CLASS", lambda o: (o.get("spec") or {}).get("storageClassName", "(default)")),
        ("VOLUME", lambda o: (o.get("spec") or {}).get("volumeName", "-")),
    ]
