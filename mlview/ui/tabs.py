"""The app's tabs: id, title, and where the pane class lives.

Panes are imported and mounted when their tab is first shown, so the first screen does not
pay for the other tabs' modules and widgets (startup is a benchmarked feature).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from mlview.ui.pane import Pane


@dataclass(frozen=True)
class Tab:
    id: str
    title: str
    short: str  # footer label
    pane: str  # "module:Class"
    analyzers: tuple[str, ...] | None = None  # what its first screen needs (None: all)

    def pane_class(self) -> type[Pane]:
        module, cls = self.pane.split(":")
        return getattr(import_module(module), cls)

    def make_pane(self) -> Pane:
        return self.pane_class()(id=f"{self.id}-pane")


TABS: tuple[Tab, ...] = (
    Tab("storage", "Storage", "Storage", "mlview.ui.panes.storage:StoragePane", ("storage",)),
    Tab(
        "ingress",
        "Ingress",
        "Ingress",
        "mlview.ui.panes.ingress:IngressPane",
        ("ingress", "gateway", "ingress_netpol"),
    ),
    Tab(
        "reachability",
        "Reachability",
        "Reach",
        "mlview.ui.panes.reachability:ReachabilityPane",
        ("netpol_findings",),
    ),
    Tab("findings", "Findings", "Findings", "mlview.ui.panes.findings:FindingsPane"),
)
TAB_IDS = tuple(t.id for t in TABS)
