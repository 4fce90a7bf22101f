"""The one registry of domains: each says its tab, its analyzers, the kinds it reads and its styles.

A domain is one of the questions mlview answers (storage, ingress, reachability) and the tab that
shows it; the Findings tab gathers every domain's findings. Everything else is derived from this
table by convention, so a domain is added in one place:

- analysis: `mlview.analysis.<name>` is the domain's package; its analyzers are the modules listed
  here, each exposing `findings(view) -> list[Finding]`;
- ui: `mlview.ui.panes.<name>` holds the tab's pane (its `PANE` attribute);
- styles: `styles/<name>.tcss`, parsed when the tab first mounts.

Pure data: importable from every layer (the header uses `kinds` to say which missing permission
a tab suffers from; `mlview rbac` reads mlview/kinds.py, not this).
"""

from __future__ import annotations

from dataclasses import dataclass

_GATEWAY_API = ("GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant")


@dataclass(frozen=True)
class Domain:
    name: str  # the tab id, the pane and analysis packages, the stylesheet: one name
    title: str  # the tab's title
    analyzers: tuple[str, ...] | None  # modules with findings(view); None: every domain's
    kinds: tuple[str, ...] = ()  # kinds its tab cannot do without (missing ones are said)
    subjects: tuple[str, ...] = ()  # kinds its findings are about (check --format junit)

    @property
    def analyzer_names(self) -> tuple[str, ...] | None:
        """Short names of its analyzers (the part after `mlview.analysis.`)."""
        if self.analyzers is None:
            return None
        return tuple(analyzer_name(m) for m in self.analyzers)

    @property
    def pane_module(self) -> str:
        return f"mlview.ui.panes.{self.name}"

    @property
    def stylesheet(self) -> str:
        return f"{self.name}.tcss"


def analyzer_name(module: str) -> str:
    return module.removeprefix("mlview.analysis.")


DOMAINS: tuple[Domain, ...] = (
    Domain(
        "storage",
        "Storage",
        # The input's own problems (invalid or duplicate objects) are listed with the first
        # domain's findings: they concern every tab, and a domain of their own would add a tab.
        ("mlview.analysis.storage", "mlview.analysis.inputs"),
        ("Pod", "PersistentVolumeClaim", "PersistentVolume", "StorageClass", "CSIDriver", "Node")
        + ("Event",),
        ("PersistentVolumeClaim", "PersistentVolume", "StorageClass"),
    ),
    Domain(
        "ingress",
        "Ingress",
        # Gateway API routes are shown on this tab too; a backend blocked by NetworkPolicy is a
        # finding about the route, computed by trace (it needs the reachability engine).
        (
            "mlview.analysis.ingress",
            "mlview.analysis.ingress.service_selectors",
            "mlview.analysis.gateway",
            "mlview.analysis.trace.blocked",
        ),
        ("Pod", "Service", "Endpoints", "EndpointSlice", "ConfigMap", "Secret", "Event")
        + ("Ingress", "IngressClass", "InferenceService")
        + _GATEWAY_API,
        ("Ingress", "Gateway", "HTTPRoute", "GRPCRoute"),
    ),
    Domain(
        "reachability",
        "Reachability",
        ("mlview.analysis.reachability.findings",),
        ("Namespace", "Pod", "NetworkPolicy"),
        ("NetworkPolicy",),
    ),
    Domain("findings", "Findings", None),
    # Composes the other domains around one model API; no analyzer of its own, so its first
    # screen needs them all.
    Domain("services", "Services", None, ("Service", "Pod", "Ingress", "NetworkPolicy")),
)

# Every analyzer once, in the order findings of equal severity are listed.
ANALYZER_MODULES: tuple[str, ...] = tuple(m for d in DOMAINS if d.analyzers for m in d.analyzers)


def domain(name: str) -> Domain:
    return next(d for d in DOMAINS if d.name == name)
