"""Model services: one view per model API, from route to GPU to model store.

The on-call page says "translation returns 504" or "the LLM is down", not "check Ingress
ml-api-ingress". This domain starts from the Service and gathers what the other domains know
about it: its routes and what `trace` predicts for them, its pods and their rollout, the GPUs
and nodes they run on, the claims they mount, who may connect to it and whether it reaches the
model store and DNS, and every finding that touches any of these. It composes the other
domains (like trace) and adds no finding of its own.

Public API (pure functions of a StoreView; `now` is the clock for "recent" restarts):
- `service_rows(view, now) -> list[ServiceRow]`: model services first, worst first.
- `service_card(view, namespace, name, now) -> ServiceCard` (KeyError for an unknown Service).
- `services_of(view, finding) -> list[str]`: the model services ("ns/name") a finding touches.
"""

from __future__ import annotations

from mlview.analysis.findings import Finding
from mlview.analysis.services.card import ServiceCard, service_card
from mlview.analysis.services.reach import Reach
from mlview.analysis.services.rows import RouteRef, ServiceRow, service_rows
from mlview.store import StoreView

__all__ = [
    "Reach",
    "RouteRef",
    "ServiceCard",
    "ServiceRow",
    "service_card",
    "service_rows",
    "services_of",
]


def services_of(view: StoreView, finding: Finding) -> list[str]:
    """The model services a finding touches (its blast radius), as "namespace/name"."""

    def index() -> dict[Finding, list[str]]:
        out: dict[Finding, list[str]] = {}
        for row in service_rows(view):
            if row.is_model:
                for f in row.findings:
                    out.setdefault(f, []).append(row.ref)
        return out

    return view.memo(("services", "by-finding"), index).get(finding, [])
