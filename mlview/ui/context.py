"""What a pane needs to draw: one store view, its findings, and the user's narrowing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mlview.analysis.findings import Finding
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
        index = self.view.memo("findings-by-object", self._index_findings)
        return index.get((kind, namespace, name), [])

    def _index_findings(self) -> dict[tuple[str, str, str], list[Finding]]:
        index: dict[tuple[str, str, str], list[Finding]] = {}
        for f in self.findings:
            index.setdefault((f.kind, f.namespace, f.name), []).append(f)
        return index
