"""The one list of analyzers, so the app and the CLI run the same set."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from mlview.analysis.findings import Finding, sort_findings
from mlview.store import StoreView

Analyzer = Callable[[StoreView], list[Finding]]

# Each module exposes `findings(view) -> list[Finding]`.
ANALYZER_MODULES: tuple[str, ...] = (
    "mlview.analysis.storage",
    "mlview.analysis.ingress",
    "mlview.analysis.gateway",
    "mlview.analysis.netpol_findings",
    "mlview.analysis.ingress_netpol",
)


def analyzers() -> list[tuple[str, Analyzer]]:
    out = []
    for modname in ANALYZER_MODULES:
        mod = import_module(modname)
        out.append((modname.rsplit(".", 1)[1], mod.findings))
    return out


def run_all(view: StoreView) -> list[Finding]:
    """Every finding for a view, worst first. Cached on the view: panes share one run."""
    def build() -> list[Finding]:
        found: list[Finding] = []
        for _name, analyze in analyzers():
            found.extend(analyze(view))
        return sort_findings(found)

    return view.memo("findings", build)
