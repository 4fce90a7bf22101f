"""Reachability tab (first version): NetworkPolicies in a plain table."""

from __future__ import annotations

from mlview.selectors import describe
from mlview.ui.panes.object_list import ObjectListPane


def _types(obj: dict) -> str:
    spec = obj.get("spec") or {}
    types = spec.get("policyTypes") or (["Ingress", "Egress"] if "egress" in spec else ["Ingress"])
    return ",".join(types)


class ReachabilityPane(ObjectListPane):
    TITLE = "Reachability"
    KIND = "NetworkPolicy"
    COLUMNS = [
        ("POD-SELECTOR", lambda o: describe((o.get("spec") or {}).get("podSelector"))),
        ("TYPES", _types),
        ("INGRESS", lambda o: len((o.get("spec") or {}).get("ingress") or [])),
        ("EGRESS", lambda o: len((o.get("spec") or {}).get("egress") or [])),
    ]
