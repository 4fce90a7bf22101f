"""What a pane needs to draw: one store view, its findings, and the user's narrowing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from mlview.analysis.findings import Finding
from mlview.analysis.overrides import NO_OVERRIDES, Overrides
from mlview.store import StoreView


def search_text(*cells: object) -> str:
    """A row's cells as the filter searches them, lower-cased once. The separator cannot be
    typed, so a match never spans two cells: `passes_search_text` agrees with passes_filter."""
    return "\0".join(str(c).lower() for c in cells)


@dataclass(frozen=True)
class ViewContext:
    view: StoreView
    findings: list[Finding]
    namespace: str | None  # None: all namespaces
    filter_text: str  # lower-case substring filter for the current table
    now: datetime  # injected clock: a snapshot's recorded-at, else the wall clock
    overrides: Overrides = NO_OVERRIDES  # the team's .mlview.yaml (findings already applied)
    hidden: int = 0  # findings the overrides hid
    # mlview --baseline: the comparison with the baseline (mlview.ui.baseline.Changes), None
    # without a baseline or before the first comparison is done
    changes: Any = None

    def shown_by_key(self, by_key: dict[str, list[Finding]]) -> dict[str, list[Finding]]:
        """Per-row findings as the overrides leave them (the same dict when there are none:
        a filter keystroke on 10,000 routes must not rebuild it)."""
        if self.overrides.empty:
            return by_key
        return {k: self.shown(v) for k, v in by_key.items()}

    def shown(self, found: list[Finding]) -> list[Finding]:
        """Findings a pane computed itself (per route, per claim), as the overrides leave them."""
        return found if self.overrides.empty else self.overrides.apply(found)[0]

    def in_namespace(self, ns: str) -> bool:
        return self.namespace is None or ns in ("", self.namespace)

    def passes_filter(self, *cells: object) -> bool:
        if not self.filter_text:
            return True
        return any(self.filter_text in str(c).lower() for c in cells)

    def passes_search_text(self, text: str) -> bool:
        """passes_filter for cells joined by `search_text`, which a pane can keep per row."""
        return not self.filter_text or self.filter_text in text

    def findings_for(self, kind: str, namespace: str, name: str) -> list[Finding]:
        return self._by_object.get((kind, namespace, name), [])

    @cached_property
    def _by_object(self) -> dict[tuple[str, str, str], list[Finding]]:
        # Cached on this context, not on the view: the first contexts of a view hold only the
        # findings computed so far (one tab's), and an index kept on the view would hide the
        # rest (a Namespace's reachability findings showed "none" in its detail).
        index: dict[tuple[str, str, str], list[Finding]] = {}
        for f in self.findings:
            index.setdefault((f.kind, f.namespace, f.name), []).append(f)
        return index
