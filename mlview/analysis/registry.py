"""The one list of analyzers, so the app and the CLI run the same set."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from mlview.analysis.findings import Finding, sort_findings
from mlview.sanitize import clean
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


def run_checked(view: StoreView) -> tuple[list[Finding], list[str]]:
    """Every finding for a view, worst first, and one line per analyzer that raised (its
    checks are then missing: said, never a crash). Cached on the view: one run serves all."""

    def build() -> tuple[list[Finding], list[str]]:
        found: list[Finding] = []
        errors: list[str] = []
        for name, analyze in analyzers():
            try:
                found.extend(analyze(view))
            except Exception as exc:  # noqa: BLE001 - reported to the caller, who shows it
                detail = clean(str(exc), single_line=True)[:200]
                errors.append(
                    f"analyzer {name} failed on this input ({type(exc).__name__}: {detail}); "
                    "its checks are missing"
                )
        return sort_findings(found), errors

    return view.memo("findings", build)


def run_all(view: StoreView) -> list[Finding]:
    """Every finding for a view, worst first (see run_checked for the failures)."""
    return run_checked(view)[0]
