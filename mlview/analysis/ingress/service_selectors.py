"""Finding `service-selector-matches-nothing`: a Service whose selector picks no pod and no
workload template in its namespace. It gets no endpoints: clients get connection refused, a
proxy in front answers 503. Typical cause: a typo, or labels renamed on one side only.

Checked over the pods (real, and those the workloads will create, see shared/virtual_pods.py)
and every workload's pod template, so a manifest folder is checked before anything runs.
Left alone: a Service without a selector (its endpoints are managed by hand or by
EndpointSlices), ExternalName Services, a Service whose EndpointSlices list endpoints (its pods
exist, even if the dump lacks them), and inputs that hold neither pods nor workloads.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlview import selectors
from mlview.analysis.findings import Finding, finding
from mlview.analysis.shared import objects as o
from mlview.analysis.shared.services import SERVICE_NAME_LABEL, service_pods
from mlview.analysis.shared.virtual_pods import WORKLOAD_KINDS, template_of
from mlview.store import StoreView

CODE = "service-selector-matches-nothing"


def findings(view: StoreView) -> list[Finding]:
    if not (view.has_listed("Pod") or any(view.has_listed(k) for k in WORKLOAD_KINDS)):
        return []
    return view.memo(("services", CODE), lambda: _build(view))


def _templates(view: StoreView, ns: str) -> list[tuple[str, Mapping[str, Any]]]:
    """("Deployment ns/name", template labels) of every workload in a namespace."""
    out = []
    for kind in WORKLOAD_KINDS:
        for wl in view.list(kind, ns):
            labels = o.labels(template_of(kind, wl))
            out.append((f"{kind} {ns}/{o.name(wl)}", labels if isinstance(labels, Mapping) else {}))
    return out


def _has_endpoints(view: StoreView, svc: Mapping[str, Any]) -> bool:
    for sl in view.list("EndpointSlice", o.namespace(svc)):
        if o.labels(sl).get(SERVICE_NAME_LABEL) == o.name(svc) and sl.get("endpoints"):
            return True
    eps = view.get("Endpoints", o.namespace(svc), o.name(svc)) or {}
    return any((s or {}).get("addresses") for s in eps.get("subsets") or [])


def _build(view: StoreView) -> list[Finding]:
    out = []
    for svc in sorted(view.list("Service"), key=o.ref):
        spec = svc.get("spec") or {}
        selector = spec.get("selector")
        if not selector or not isinstance(selector, Mapping) or spec.get("type") == "ExternalName":
            continue
        ns = o.namespace(svc)
        if service_pods(view, svc) or _has_endpoints(view, svc):
            continue
        templates = _templates(view, ns)
        if any(selectors.matches_map(selector, labels) for _, labels in templates):
            continue
        sel_text = ",".join(f"{k}={v}" for k, v in selector.items())
        out.append(
            finding(
                CODE,
                "warning",
                ("Service", ns, o.name(svc)),
                f"Service {o.ref(svc)} selects {sel_text}, which matches no pod and no workload "
                f"template in namespace {ns}: it has no endpoints, so clients get connection "
                "refused (503 through a proxy).",
                _hint(view, ns, selector, templates),
            )
        )
    return out


def _hint(
    view: StoreView,
    ns: str,
    selector: Mapping[str, Any],
    templates: list[tuple[str, Mapping[str, Any]]],
) -> str:
    """Names the labels that differ from the closest template (most selector labels equal)."""
    if not templates:
        return (
            f"No workload in namespace {ns} to select: deploy it there, or fix the Service's "
            "namespace or selector."
        )

    def score(item: tuple[str, Mapping[str, Any]]) -> tuple[int, int, str]:
        _, labels = item
        same = sum(1 for k, v in selector.items() if str(labels.get(k)) == str(v))
        keys = sum(1 for k in selector if k in labels)
        return (-same, -keys, item[0])

    name, labels = min(templates, key=score)
    diffs = []
    for k, v in selector.items():
        if k not in labels:
            diffs.append(f"{k}={v} (the template has no label {k})")
        elif str(labels[k]) != str(v):
            diffs.append(f"{k}={v} (the template has {k}={labels[k]})")
    return (
        f"Closest: {name}, whose pod template differs on {'; '.join(diffs)}. Make the Service's "
        "selector and the template's labels agree."
    )
