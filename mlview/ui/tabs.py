"""The app's tabs, one per domain of mlview/domains.py, and where each pane class lives.

Panes are imported and mounted when their tab is first shown, so the first screen does not
pay for the other tabs' modules and widgets (startup is a benchmarked feature).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from mlview.domains import DOMAINS, Domain
from mlview.ui.pane import Pane


@dataclass(frozen=True)
class Tab:
    domain: Domain

    @property
    def id(self) -> str:
        return self.domain.name

    @property
    def title(self) -> str:
        return self.domain.title

    @property
    def analyzers(self) -> tuple[str, ...] | None:
        """What its first screen needs (None: every analyzer)."""
        return self.domain.analyzer_names

    def pane_class(self) -> type[Pane]:
        return import_module(self.domain.pane_module).PANE

    def make_pane(self) -> Pane:
        return self.pane_class()(id=f"{self.id}-pane")


TABS: tuple[Tab, ...] = tuple(Tab(d) for d in DOMAINS)
TAB_IDS = tuple(t.id for t in TABS)
