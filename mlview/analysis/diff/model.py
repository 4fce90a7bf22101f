"""The records a comparison is made of (data only; built by the section modules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlview.analysis.findings import Finding

# Values of the `change` fields.
ADDED, REMOVED, CHANGED = "added", "removed", "changed"
EDITED = "edited"  # a NetworkPolicy whose spec changed
NEW, RESOLVED = "new", "resolved"


@dataclass(frozen=True)
class Ref:
    """An object: kind, namespace ("" for cluster-scoped kinds) and name."""

    kind: str
    namespace: str
    name: str

    @property
    def text(self) -> str:
        if self.namespace:
            return f"{self.kind}/{self.namespace}/{self.name}"
        return f"{self.kind}/{self.name}"

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "namespace": self.namespace, "name": self.name}


@dataclass(frozen=True)
class FieldChange:
    """One field that differs. `old`/`new` are None when the field is absent on that side."""

    path: str  # "spec.template.spec.containers[0].image", "labels.app", "proxy-read-timeout"
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class FindingChange:
    """A finding only in the new snapshot (new) or only in the old one (resolved)."""

    change: str  # new | resolved
    finding: Finding


@dataclass(frozen=True)
class Cause:
    """What flipped a reachability verdict: a policy added, removed or edited (the usual case),
    or a pod's or namespace's labels or named ports changing under an unchanged policy."""

    kind: str  # NetworkPolicy | Pod | Namespace
    namespace: str
    name: str
    change: str  # added | removed | edited | changed
    detail: str = ""  # the rule that now admits, or no longer does, in plain words

    def to_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "namespace": self.namespace,
            "name": self.name,
            "change": self.change,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class ReachabilityFlip:
    """Pods `sources` -> pods `destinations` on one port: the verdict went old -> new for
    every pair of them (a pod never counts as reaching itself)."""

    port: int
    protocol: str
    sources: tuple[str, ...]  # pod refs "ns/name" (the new snapshot's names)
    destinations: tuple[str, ...]
    old: bool  # allowed before
    new: bool  # allowed now
    because: tuple[Cause, ...]
    source_groups: tuple[str, ...] = ()  # workloads, as the matrix groups them: "ns/Kind/name"
    destination_groups: tuple[str, ...] = ()
    source_counts: tuple[int, ...] = ()  # pods of each source group among `sources`
    destination_counts: tuple[int, ...] = ()

    @property
    def pairs(self) -> int:
        both = len(set(self.sources) & set(self.destinations))
        return len(self.sources) * len(self.destinations) - both


@dataclass(frozen=True)
class RouteChange:
    """A route (an Ingress rule path, an HTTPRoute/GRPCRoute match) added, removed or changed:
    what its URL reaches (Service, port, ready endpoints) and its effective settings, each
    value with where it comes from (annotation, controller ConfigMap, default)."""

    kind: str  # Ingress | HTTPRoute | GRPCRoute
    namespace: str
    name: str
    route: str  # the row key: "ns/ingress#rule.path", "HTTPRoute/ns/name#rule.match"
    url: str  # host and path, "*" for any host
    change: str  # added | removed | changed
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class StorageChange:
    """A claim whose phase, class, access modes or bound volume changed (or that appeared or
    went), a volume released, a reclaim policy changed."""

    kind: str  # PersistentVolumeClaim | PersistentVolume | StorageClass
    namespace: str
    name: str
    change: str  # added | removed | changed
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class ObjectChange:
    """An object present on both sides whose spec, labels, annotations (or data) differ."""

    ref: Ref
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class PodSummary:
    """The pods of one workload, summarised: a rollout that replaced 12 pods is one line."""

    workload: Ref  # Deployment/StatefulSet/...; kind Pod for a bare pod
    replaced: int = 0  # an old pod gone and a new one come (same workload)
    added: int = 0  # new pods beyond the replacements (scaled up)
    removed: int = 0  # old pods beyond the replacements (scaled down)
    changed: int = 0  # same pod, its spec, labels or annotations changed

    @property
    def text(self) -> str:
        parts = []
        if self.replaced:
            parts.append(f"replaced {self.replaced} pod{'s' if self.replaced != 1 else ''}")
        if self.added:
            parts.append(f"{self.added} pod{'s' if self.added != 1 else ''} added")
        if self.removed:
            parts.append(f"{self.removed} pod{'s' if self.removed != 1 else ''} removed")
        if self.changed:
            parts.append(f"{self.changed} pod{'s' if self.changed != 1 else ''} changed")
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.workload.to_json(),
            "replaced": self.replaced,
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
        }


@dataclass(frozen=True)
class ObjectChanges:
    added: tuple[Ref, ...] = ()
    removed: tuple[Ref, ...] = ()
    changed: tuple[ObjectChange, ...] = ()
    pods: tuple[PodSummary, ...] = ()  # pods are here, per workload, never in the lists above

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.pods)


@dataclass(frozen=True)
class Diff:
    """What changed between two snapshots, worst first. Empty lists everywhere for an
    identical or noise-only pair."""

    old_source: str
    new_source: str
    findings: tuple[FindingChange, ...] = ()  # new ones first (worst first), then resolved
    reachability: tuple[ReachabilityFlip, ...] = ()
    routes: tuple[RouteChange, ...] = ()
    storage: tuple[StorageChange, ...] = ()
    objects: ObjectChanges = field(default_factory=ObjectChanges)
    ports: tuple[tuple[int, str], ...] = ()  # the (port, protocol) pairs compared
    errors: tuple[str, ...] = ()  # analyzers that failed on one side: their findings are missing

    @property
    def new_findings(self) -> list[Finding]:
        return [c.finding for c in self.findings if c.change == NEW]

    @property
    def resolved_findings(self) -> list[Finding]:
        return [c.finding for c in self.findings if c.change == RESOLVED]

    @property
    def empty(self) -> bool:
        return (
            not (self.findings or self.reachability or self.routes or self.storage)
            and self.objects.empty
        )
