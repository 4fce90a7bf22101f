"""Findings new and resolved: the two sides' findings (as `check` computes them, overrides
applied) matched by code and object.

An object with several findings of one code (one per port, say) is matched message by message
first; what is left is matched by code and object alone, so a finding whose message changed
(a count, a value) is neither new nor resolved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from mlview.analysis import registry
from mlview.analysis.diff.model import NEW, RESOLVED, FindingChange
from mlview.analysis.findings import Finding, sort_findings
from mlview.analysis.overrides import Overrides
from mlview.store import StoreView


def side_findings(
    view: StoreView, overrides: Overrides | None = None
) -> tuple[list[Finding], list[str]]:
    """One side's findings as `check` computes them, and the analyzers that failed."""
    found, errors = registry.run_checked(view)
    if overrides is not None:
        found, _ = overrides.apply(found)
    return found, errors


def compare_findings(old: Iterable[Finding], new: Iterable[Finding]) -> list[FindingChange]:
    """New findings (worst first), then resolved ones (worst first)."""
    added, gone = only_new(old, new), only_new(new, old)
    return [FindingChange(NEW, f) for f in added] + [FindingChange(RESOLVED, f) for f in gone]


def only_new(old: Iterable[Finding], new: Iterable[Finding]) -> list[Finding]:
    """The findings of `new` that `old` does not have (the baseline rule of `check`)."""
    exact = Counter(_exact(f) for f in old)
    loose = Counter(_loose(f) for f in old)
    unmatched: list[Finding] = []
    for f in new:
        if exact[_exact(f)] > 0:
            exact[_exact(f)] -= 1
            loose[_loose(f)] -= 1
        else:
            unmatched.append(f)
    out = []
    for f in unmatched:  # the same code on the same object, with another message
        if loose[_loose(f)] > 0:
            loose[_loose(f)] -= 1
        else:
            out.append(f)
    return sort_findings(out)


def _exact(f: Finding) -> tuple[str, str, str, str, str]:
    return (f.code, f.kind, f.namespace, f.name, f.message)


def _loose(f: Finding) -> tuple[str, str, str, str]:
    return (f.code, f.kind, f.namespace, f.name)
