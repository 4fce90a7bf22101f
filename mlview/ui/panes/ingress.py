"""Ingress tab (first version): Ingresses in a plain table."""

from __future__ import annotations

from mlview.ui.panes.object_list import ObjectListPane


def _hosts(obj: dict) -> str:
    return ",".join(r.get("host", "*") for r in (obj.get("spec") or {}).get("rules") or [])


def _paths(obj: dict) -> int:
    return sum(len((r.get("http") or {}).get("paths") or [])
               for r in (obj.get("spec") or {}).get("rules") or [])


class IngressPane(ObjectListPane):
    TITLE = "Ingress"
    KIND = "Ingress"
    COLUMNS = [
        ("CLASS", lambda o: (o.get("spec") or {}).get("ingressClassName", "-")),
        ("HOSTS", _hosts),
        ("PATHS", _paths),
    ]
