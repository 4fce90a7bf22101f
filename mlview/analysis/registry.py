"""Runs the analyzers the domains declare (mlview/domains.py): the app and `check` run one set."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from importlib import import_module

from mlview.analysis.findings import Finding, sort_findings
from mlview.analysis.shared.objects import virtual_of
from mlview.analysis.shared.virtual_pods import complete
from mlview.domains import ANALYZER_MODULES, analyzer_name
from mlview.sanitize import clean
from mlview.store import StoreView

Analyzer = Callable[[StoreView], list[Finding]]


def analyzers(only: Iterable[str] | None = None) -> list[tuple[str, Analyzer]]:
    """(name, function) for every analyzer, or for those named in `only` (imported lazily:
    the app's first screen needs only its tab's analyzers)."""
    wanted = None if only is None else set(only)
    out = []
    for modname in ANALYZER_MODULES:
        name = analyzer_name(modname)
        if wanted is None or name in wanted:
            out.append((name, import_module(modname).findings))
    return out


def run_checked(
    view: StoreView, only: Iterable[str] | None = None
) -> tuple[list[Finding], list[str]]:
    """Every finding for a view (or those of the analyzers named in `only`), worst first, and
    one line per analyzer that raised (its checks are then missing: said, never a crash).
    Cached on the view: one run serves all panes."""
    subset = None if only is None else tuple(sorted(only))
    view = complete(view)  # workloads whose pods are not in the snapshot count as their pods

    def build() -> tuple[list[Finding], list[str]]:
        found: list[Finding] = []
        errors: list[str] = []
        pairs = analyzers() if subset is None else analyzers(subset)
        for name, analyze in pairs:
            try:
                found.extend(analyze(view))
            except Exception as exc:  # noqa: BLE001 - reported to the caller, who shows it
                detail = clean(str(exc), single_line=True)[:200]
                errors.append(
                    f"analyzer {name} failed on this input ({type(exc).__name__}: {detail}); "
                    "its checks are missing"
                )
        return sort_findings([_said_virtual(view, f) for f in found]), errors

    return view.memo(("findings", subset), build)


def _said_virtual(view: StoreView, f: Finding) -> Finding:
    """A finding about a pod or claim that does not exist yet says which workload would
    create it, wherever it is shown (the app, `check`, JSON)."""
    if f.kind not in ("Pod", "PersistentVolumeClaim"):
        return f
    creator = virtual_of(view.get(f.kind, f.namespace, f.name) or {})
    if not creator:
        return f
    return replace(f, message=f"{f.message} (virtual {f.kind}: would be created by {creator})")
