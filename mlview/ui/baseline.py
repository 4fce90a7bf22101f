"""The app's baseline (`mlview --baseline OLD`): the old store's view and findings, and the
comparison of the current view with it, indexed for the panes' marks.

The comparison itself is the engine's (mlview.analysis.diff.compare); this module only runs it
and answers the panes' questions (is this object changed? is this finding new?). It holds no
Textual code: the app runs `compare_with` in a worker thread, as it runs the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mlview.analysis.findings import Finding
from mlview.analysis.overrides import Overrides
from mlview.analysis.registry import run_checked
from mlview.analysis.shared.virtual_pods import complete
from mlview.store import Store, StoreView
from mlview.ui.context import ViewContext

ObjectKey = tuple[str, str, str]  # (kind, namespace, name)


def finding_key(f: Finding) -> tuple[str, str, str, str]:
    """How findings are matched across the two sides: by code and object (as the engine)."""
    return (f.code, f.kind, f.namespace, f.name)


@dataclass
class BaselineSide:
    """The baseline analysed once: it does not change while the app runs."""

    store: Store
    view: StoreView
    findings: list[Finding]  # as the overrides leave them
    hidden: int
    now: datetime

    @property
    def label(self) -> str:
        return self.store.source.label or "baseline"


def analyse_baseline(store: Store, overrides: Overrides) -> BaselineSide:
    view = complete(store.view())
    findings, _errors = run_checked(view)  # its analyzer errors were the old snapshot's
    shown, hidden = overrides.apply(findings)
    return BaselineSide(store, view, shown, hidden, store.source.clock())


@dataclass
class Changes:
    """The comparison of one current view with the baseline, as the panes ask about it."""

    base: BaselineSide
    diff: Any  # the engine's Diff (mlview.analysis.diff)
    version: int  # the current view's version it was computed on
    added: set[ObjectKey] = field(default_factory=set)
    removed: set[ObjectKey] = field(default_factory=set)
    changed: set[ObjectKey] = field(default_factory=set)
    new_findings: set[tuple[str, str, str, str]] = field(default_factory=set)
    resolved: list[Finding] = field(default_factory=list)

    def object_status(self, kind: str, namespace: str, name: str) -> str | None:
        key = (kind, namespace, name)
        if key in self.added:
            return "added"
        if key in self.removed:
            return "removed"
        if key in self.changed:
            return "changed"
        return None

    def is_changed(self, kind: str, namespace: str, name: str) -> bool:
        return (kind, namespace, name) in self.changed

    def finding_status(self, f: Finding) -> str:
        return "new" if finding_key(f) in self.new_findings else "unchanged"

    def old_context(self, ctx: ViewContext) -> ViewContext:
        """The baseline with the same narrowing as `ctx`: the rows it had, to show the ones
        removed since."""
        b = self.base
        return ViewContext(
            b.view, b.findings, ctx.namespace, ctx.filter_text, b.now, ctx.overrides, b.hidden
        )
