"""The current cluster objects by kind, namespace and name, with a version counter.

Sources write (from any thread); views read. `view()` returns an immutable StoreView taken
at one version, cached until the next write, so the UI and analysis never see a half-applied
update and a burst of writes costs one view.
"""

from __future__ import annotations

import builtins
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Protocol

from mlview import selectors
from mlview.validate import InvalidObject, check_object

Key = tuple[str, str]  # (namespace, name); namespace is "" for cluster-scoped kinds
# StoreView has a method named `list`: after it, `list[...]` in its annotations means that.
Objects = list[dict[str, Any]]


def key_of(obj: Mapping[str, Any]) -> Key:
    meta = obj.get("metadata") or {}
    return (meta.get("namespace") or "", meta.get("name") or "")


@dataclass
class SourceInfo:
    """What the header says about where the objects come from."""

    label: str = ""  # context name or snapshot file(s)
    mode: str = "snapshot"  # snapshot | demo | live
    context: str = ""
    recorded_at: str = ""  # ISO-8601, snapshots only
    description: str = ""
    skipped_kinds: dict[str, int] = field(default_factory=dict)
    sync: dict[str, str] = field(
        default_factory=dict
    )  # kind -> syncing|live|reconnecting...|forbidden
    notes: dict[str, str] = field(default_factory=dict)  # kind -> why it is missing (403, 404)
    # Objects (or status fields) the API server would have rejected, and objects given twice
    # (kind, namespace, name, origin of the copy left out): filled by the Store as it admits.
    invalid: list[InvalidObject] = field(default_factory=list)
    duplicates: list[tuple[str, str, str, str]] = field(default_factory=list)
    # (kind, namespace, name) -> "file" or "file:line" where a loader found it (SARIF points
    # there, object-invalid names it); empty for live objects.
    origins: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def clock(self) -> datetime:
        """The time ages are measured against: a snapshot's recorded-at, else now."""
        if self.mode != "live" and self.recorded_at:
            try:
                return datetime.fromisoformat(self.recorded_at.replace("Z", "+00:00"))
            except ValueError:
                pass
        return datetime.now(UTC)

    def invalid_objects(self) -> int:
        """How many objects had a problem (left out, or kept without a wrong field)."""
        return len({(p.kind, p.namespace, p.name, p.origin) for p in self.invalid})


class Feed(Protocol):
    """A source that keeps writing into a store from its own threads (the live cluster).
    Whoever shows the store owns its lifecycle: start() when it begins, stop() when it ends."""

    def start(self) -> object: ...

    def stop(self) -> None: ...


class Store:
    """Thread-safe object store. Writers bump `version`; readers take `view()`."""

    def __init__(self, source: SourceInfo | None = None) -> None:
        self._lock = threading.Lock()
        self._objects: dict[str, dict[Key, dict[str, Any]]] = {}
        self._version = 0
        self._view: StoreView | None = None
        self.source = source or SourceInfo()
        self.listed_kinds: set[str] = set()  # kinds whose full list we have (absence is a fact)

    @property
    def version(self) -> int:
        return self._version

    def put(self, obj: dict[str, Any]) -> None:
        with self._lock:
            if self._admit(obj, ""):
                self._objects.setdefault(obj["kind"], {})[key_of(obj)] = obj
            self._bump()

    def put_many(
        self, objs: Iterable[dict[str, Any]], origin: Callable[[Any], str] | None = None
    ) -> None:
        """Admit a batch (a snapshot): the same object twice is a duplicate, the later wins.
        `origin(obj)` names the file an object came from, for the report."""
        with self._lock:
            seen: dict[tuple[str, Key], str] = {}
            for obj in objs:
                where = origin(obj) if origin is not None else ""
                if where:  # also for an object left out: its finding points at the file
                    self._note_origin(obj, where)
                if not self._admit(obj, where):
                    continue
                kind = obj["kind"]
                key = key_of(obj)
                if (kind, key) in seen:
                    self.source.duplicates.append((kind, key[0], key[1], seen[kind, key]))
                seen[kind, key] = where
                self._objects.setdefault(kind, {})[key] = obj
            self._bump()

    def _note_origin(self, obj: Any, where: str) -> None:
        meta = obj.get("metadata") if isinstance(obj, dict) else None
        ident = (obj.get("kind"), *((meta or {}).get(k) for k in ("namespace", "name")))
        if isinstance(meta, dict) and all(isinstance(x, str) or x is None for x in ident):
            kind, ns, name = ident
            self.source.origins[kind or "", ns or "", name or ""] = where

    def note_invalid(self, problems: Iterable[InvalidObject]) -> None:
        """Record objects a loader could not even hand over (a kind that is not a string)."""
        with self._lock:
            self.source.invalid.extend(problems)
            self._bump()

    def _admit(self, obj: Any, origin: str) -> bool:
        """Validate at the one door into the store; record what the API server would reject."""
        keep, problems = check_object(obj, origin)
        if self.source.invalid and keep:  # a fixed object (live) clears its old report
            ident = (obj["kind"], *key_of(obj))
            self.source.invalid = [
                p for p in self.source.invalid if (p.kind, p.namespace, p.name) != ident
            ]
        if problems:
            self.source.invalid.extend(problems)
        return keep

    def delete(self, kind: str, namespace: str, name: str) -> None:
        with self._lock:
            if self._objects.get(kind, {}).pop((namespace or "", name), None) is not None:
                self._bump()

    def replace_kind(self, kind: str, objs: Iterable[dict[str, Any]]) -> None:
        """Swap a kind's objects wholesale (after a relist), dropping anything not listed."""
        fresh = {key_of(o): o for o in objs if self._admit(o, "")}
        with self._lock:
            self._objects[kind] = fresh
            self.listed_kinds.add(kind)
            self._bump()

    def mark_listed(self, kinds: Iterable[str]) -> None:
        with self._lock:
            self.listed_kinds.update(kinds)
            self._bump()

    def bump(self) -> None:
        """Signal a change that is not an object (sync status, notes)."""
        with self._lock:
            self._bump()

    def _bump(self) -> None:
        self._version += 1
        self._view = None

    def view(self) -> StoreView:
        with self._lock:
            if self._view is None:
                self._view = StoreView(
                    {k: dict(v) for k, v in self._objects.items()},
                    self._version,
                    frozenset(self.listed_kinds),
                    self.source,
                )
            return self._view


class StoreView:
    """An immutable view of the store at one version. Analysis works on this only."""

    def __init__(
        self,
        objects: dict[str, dict[Key, dict[str, Any]]],
        version: int,
        listed_kinds: frozenset[str] = frozenset(),
        source: SourceInfo | None = None,
    ) -> None:
        self._objects = objects
        self.version = version
        self.listed_kinds = listed_kinds
        self.source = source or SourceInfo()
        self._cache: dict[Any, Any] = {}

    @classmethod
    def from_objects(
        cls, objs: Iterable[dict[str, Any]], listed_kinds: Iterable[str] | None = None
    ) -> StoreView:
        """Build a view straight from dicts (tests, CLI). All present kinds count as listed
        unless `listed_kinds` says otherwise."""
        objects: dict[str, dict[Key, dict[str, Any]]] = {}
        for obj in objs:
            objects.setdefault(obj.get("kind") or "", {})[key_of(obj)] = obj
        listed = frozenset(listed_kinds) if listed_kinds is not None else frozenset(objects)
        return cls(objects, 0, listed)

    def kinds(self) -> list[str]:
        return sorted(k for k, v in self._objects.items() if v)

    def origin_of(self, kind: str, namespace: str, name: str) -> tuple[str, int | None] | None:
        """(file, line or None) where a loader found an object; None when unknown (live)."""
        where = self.source.origins.get((kind, namespace, name))
        if not where:
            return None
        file, _, line = where.rpartition(":")
        if file and line.isdigit():
            return file, int(line)
        return where, None

    def count(self, kind: str) -> int:
        return len(self._objects.get(kind, {}))

    def list(self, kind: str, namespace: str | None = None) -> Objects:
        objs = self._objects.get(kind, {})
        if namespace is None:
            return list(objs.values())
        return self.by_namespace(kind).get(namespace, [])

    def get(self, kind: str, namespace: str, name: str) -> dict[str, Any] | None:
        return self._objects.get(kind, {}).get((namespace or "", name))

    def has_listed(self, kind: str) -> bool:
        """True when absence of an object of this kind is a fact, not a gap in the data."""
        return kind in self.listed_kinds

    def namespaces(self) -> builtins.list[str]:
        names = {ns for objs in self._objects.values() for ns, _ in objs}
        names.update(n for _, n in self._objects.get("Namespace", {}))
        names.discard("")
        return sorted(names)

    def by_namespace(self, kind: str) -> Mapping[str, Objects]:
        """Objects of a kind grouped by namespace, computed once per view."""
        cache_key = ("by_ns", kind)
        if cache_key not in self._cache:
            grouped: dict[str, Objects] = {}
            for (ns, _), obj in self._objects.get(kind, {}).items():
                grouped.setdefault(ns, []).append(obj)
            self._cache[cache_key] = MappingProxyType(grouped)
        return self._cache[cache_key]

    def select(
        self, kind: str, namespace: str | None, selector: Mapping[str, Any] | None
    ) -> Objects:
        """Objects of `kind` (in `namespace`, or all) whose labels match a LabelSelector."""
        return [
            o
            for o in self.list(kind, namespace)
            if selectors.matches(selector, (o.get("metadata") or {}).get("labels"))
        ]

    def events_for(self, kind: str, namespace: str, name: str) -> Objects:
        """Events whose involvedObject (or regarding) is this object, oldest first."""
        index = self._cache.get("events")
        if index is None:
            index = {}
            for ev in self._objects.get("Event", {}).values():
                ref = ev.get("involvedObject") or ev.get("regarding") or {}
                if not isinstance(ref, dict):
                    continue  # `regarding` (events.k8s.io) is not type-checked at the door
                k = (ref.get("kind"), ref.get("namespace") or "", ref.get("name"))
                if all(isinstance(part, str) for part in k):
                    index.setdefault(k, []).append(ev)
            for evs in index.values():
                evs.sort(key=event_time)
            self._cache["events"] = index
        return list(index.get((kind, namespace or "", name), []))

    def with_objects(
        self, extra: Mapping[str, Iterable[dict[str, Any]]], listed: Iterable[str] = ()
    ) -> StoreView:
        """A view of the same version with derived objects added (objects present win on a
        key clash); `listed` kinds count as listed in it. Nothing is copied but the indexes."""
        objects = dict(self._objects)
        for kind, objs in extra.items():
            merged = {key_of(o): o for o in objs}
            merged.update(objects.get(kind, {}))
            objects[kind] = merged
        return StoreView(objects, self.version, self.listed_kinds | frozenset(listed), self.source)

    def memo(self, key: Any, build: Any) -> Any:
        """Cache a derived structure (an index, typed views) for the life of this view."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]


def event_time(ev: Mapping[str, Any]) -> str:
    return (
        ev.get("lastTimestamp")
        or ev.get("eventTime")
        or (ev.get("series") or {}).get("lastObservedTime")
        or ev.get("firstTimestamp")
        or (ev.get("metadata") or {}).get("creationTimestamp")
        or ""
    )
