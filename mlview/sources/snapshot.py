"""Load snapshots: `kubectl get -o yaml|json` output (a v1 List), multi-document YAML, plain
manifests, or a directory of such files; `-` reads standard input; gzip-compressed files
(`.gz`, or any input starting with the gzip magic) are read decompressed.

YAML is read as the API server reads it (mlview.sources.yamlfast). Objects of namespaced kinds
without metadata.namespace get one as `kubectl apply` would give them: `-n` if given, else
`default`; a note per kind says how many.

Malformed input raises SnapshotError with one line naming the file and line. Unknown kinds are
skipped and counted. Snapshot metadata rides in the List's metadata.annotations:

    mlview.io/recorded-at: "2026-11-27T05:40:00Z"   # when it was recorded
    mlview.io/context: "prod-eu-1"                  # kubeconfig context it came from
    mlview.io/description: "..."                    # one line (demo scenarios)
    mlview.io/listed-kinds: "Pod,Service,..."       # kinds listed in full (absence is a fact)
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlview.kinds import KINDS
from mlview.sources.clean import clean_object
from mlview.sources.compact import share_strings
from mlview.store import SourceInfo, Store
from mlview.validate import InvalidObject, check_object

SHARE_STRINGS_FROM = 32_000_000  # characters of YAML: see _parse_documents
SUFFIXES = (".yaml", ".yml", ".json")
GZ_SUFFIXES = tuple(f"{s}.gz" for s in SUFFIXES)
STDIN = "-"
STDIN_LABEL = "<stdin>"
DEFAULT_NAMESPACE = "default"
ANN_RECORDED_AT = "mlview.io/recorded-at"
ANN_CONTEXT = "mlview.io/context"
ANN_DESCRIPTION = "mlview.io/description"
ANN_LISTED_KINDS = "mlview.io/listed-kinds"


class SnapshotError(Exception):
    """One clear line: what is wrong, in which file and on which line."""


@dataclass
class Snapshot:
    objects: list[dict[str, Any]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    skipped_kinds: Counter[str] = field(default_factory=Counter)
    invalid: list[str] = field(default_factory=list)  # objects dropped, with why
    rejected: list[InvalidObject] = field(default_factory=list)  # kind not even a string
    origins: dict[int, str] = field(default_factory=dict)  # id(object) -> its file
    recorded_at: str = ""
    context: str = ""
    description: str = ""
    listed_kinds: set[str] | None = None  # None: every kind present counts as listed
    defaulted: Counter[str] = field(default_factory=Counter)  # kind -> objects given a namespace
    default_namespace: str = DEFAULT_NAMESPACE

    def source_info(self, mode: str = "snapshot", label: str = "") -> SourceInfo:
        return SourceInfo(
            label=label or ", ".join(Path(f).name for f in self.files),
            mode=mode,
            context=self.context,
            recorded_at=self.recorded_at,
            description=self.description,
            skipped_kinds=dict(self.skipped_kinds),
            notes={
                kind: f"{n} object{'s' if n != 1 else ''} without a namespace read as "
                f"namespace {self.default_namespace}"
                for kind, n in sorted(self.defaulted.items())
            },
        )

    def to_store(self, mode: str = "snapshot", label: str = "") -> Store:
        store = Store(self.source_info(mode, label))
        store.note_invalid(self.rejected)
        store.put_many(self.objects, origin=lambda obj: self.origins.get(id(obj), ""))
        present = {o["kind"] for o in self.objects}
        store.mark_listed(self.listed_kinds if self.listed_kinds is not None else present)
        return store


def load(paths: Iterable[str | Path], namespace: str | None = None) -> Snapshot:
    """Load one or more files or directories (`-`: standard input) into one Snapshot.
    `namespace` is what namespaced objects without one get (kubectl apply -n), else default."""
    snap = Snapshot(default_namespace=namespace or DEFAULT_NAMESPACE)
    for path in paths:
        if str(path) == STDIN:
            snap.files.append(STDIN_LABEL)
            _load_data(Path(STDIN_LABEL), _read_stdin(), snap)
            continue
        for file in _expand(Path(path)):
            snap.files.append(str(file))
            _load_file(file, snap)
    if not snap.files:
        raise SnapshotError("no snapshot files given")
    if not snap.objects:
        skipped = sum(snap.skipped_kinds.values())
        detail = f" ({skipped} objects of unknown kinds skipped)" if skipped else ""
        raise SnapshotError(
            f"{', '.join(snap.files)}: no Kubernetes objects mlview can use{detail}"
        )
    return snap


def _expand(path: Path) -> Iterator[Path]:
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and (p.suffix in SUFFIXES or p.name.endswith(GZ_SUFFIXES))
        )
        if not files:
            raise SnapshotError(
                f"{path}: directory holds no .yaml, .yml or .json files (or .gz of them)"
            )
        yield from files
    elif path.is_file():
        yield path
    elif path.is_symlink():
        raise SnapshotError(f"{path}: a link to {os.readlink(path)}, which does not exist")
    elif path.exists():  # a FIFO, a device, a socket: reading could block or never end
        raise SnapshotError(f"{path}: not a regular file or directory")
    else:
        raise SnapshotError(f"{path}: no such file or directory")


def _read_stdin() -> bytes:
    if sys.stdin is None or sys.stdin.isatty():
        raise SnapshotError("--snapshot -: standard input is a terminal, not a snapshot")
    try:
        return sys.stdin.buffer.read()
    except OSError as exc:
        raise SnapshotError(f"{STDIN_LABEL}: cannot read: {exc.strerror}") from None


def _load_file(path: Path, snap: Snapshot) -> None:
    try:
        # passed on, not kept here: _load_data drops the bytes once decoded (peak memory)
        _load_data(path, path.read_bytes(), snap)
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot read: {exc.strerror}") from None


def _load_data(path: Path, data: bytes, snap: Snapshot) -> None:
    if data[:2] == b"\x1f\x8b":  # gzip magic, whatever the name says
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise SnapshotError(f"{path}: broken gzip data: {exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SnapshotError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    del data  # the bytes and the text of a 50 MB dump need not both live while it parses
    text = text.removeprefix("\ufeff")  # a BOM (Windows editors): json.loads refuses it
    if path.suffix == ".gz":
        path = path.with_suffix("")  # pods.json.gz reads as pods.json
    docs = _parse(path, text)
    lines = _document_lines(text) if not text.lstrip().startswith(("{", "[")) else []
    extra = len(docs) - len(lines)
    if extra > 0 and all(d is None for d in docs[:extra]):  # a comment-only head: no document
        lines = [0] * extra + lines
    if len(lines) != len(docs):  # a shape the line scan does not follow: files only
        lines = [0] * len(docs)
    for doc, line in zip(docs, lines, strict=True):
        if doc is None:
            continue
        _take(doc, path, snap, line=line)


_MARKER = re.compile(r"^---(?=[ \t]|$)(.*)$", re.MULTILINE)
_CONTENT = re.compile(r"^(?![ \t]*(?:#|%|$))", re.MULTILINE)


def _document_lines(text: str) -> list[int]:
    """The line each YAML document of a file starts on, in the order the parser yields them
    (a "---" line separates them; one at the very top opens the first). Scanned with regexes,
    not split into lines: a 50 MB dump must not hold a million line strings at its peak."""
    first = _CONTENT.search(text)
    if not text.startswith("---") and "\n---" not in text:  # one document (a List): no scan
        return [1 + text.count("\n", 0, first.start())] if first is not None else []
    starts: list[int] = []
    current = 0
    line, at = 1, 0
    for m in _MARKER.finditer(text):
        line += text.count("\n", at, m.start())
        at = m.start()
        if not current and first is not None and first.start() < m.start():
            current = 1 + text.count("\n", 0, first.start())  # content before the first ---
        if current:
            starts.append(current)
        rest = m.group(1).strip()
        current = line if rest and not rest.startswith("#") else line + 1
    if not current and first is not None:
        current = 1 + text.count("\n", 0, first.start())
    if current:
        starts.append(current)
    return starts


def _parse(path: Path, text: str) -> list[Any]:
    """The documents of a file; input no API server would take becomes one clear line."""
    try:
        return _parse_documents(path, text)
    except RecursionError:  # [[[[...]]]] thousands deep: the API server refuses it too
        raise SnapshotError(f"{path}: nested too deeply to be a Kubernetes object") from None
    except ValueError as exc:
        if "integer string conversion" in str(exc):  # Python's 4300-digit guard
            raise SnapshotError(
                f"{path}: a number with thousands of digits (no Kubernetes field holds one)"
            ) from None
        raise


def _parse_documents(path: Path, text: str) -> list[Any]:
    stripped = text.lstrip()
    if path.suffix == ".json" or stripped.startswith(("{", "[")):
        try:
            data = json.loads(text)
            return data if isinstance(data, list) else [data]
        except json.JSONDecodeError as exc:
            if path.suffix == ".json":
                raise SnapshotError(
                    f"{path}:{exc.lineno}: malformed JSON: {exc.msg} (column {exc.colno})"
                ) from None
            # YAML flow style can start with "{": fall through to the YAML parser.
    # here, not at the top: JSON snapshots (the demos) start faster without PyYAML
    from mlview.sources import yamlfast

    # Sharing strings costs about a quarter of the load time and saves half the memory: worth
    # it where memory is the limit (dumps of tens of MB), not on smaller ones.
    each_item = _slim if len(text) >= SHARE_STRINGS_FROM else _drop_managed_fields
    try:
        return yamlfast.load_all(text, each_item=each_item)
    except yamlfast.YamlError as exc:
        line = f":{exc.line}" if exc.line else ""
        raise SnapshotError(f"{path}{line}: malformed YAML: {exc.problem}") from None


def _slim(item: Any) -> None:
    """Items of big Lists, as each batch is read (not once the whole dump is built): drop
    managedFields (clean_object would) and share repeated strings: peak memory."""
    _drop_managed_fields(item)
    share_strings(item)


def _drop_managed_fields(item: Any) -> None:
    meta = item.get("metadata") if isinstance(item, dict) else None
    if isinstance(meta, dict):
        meta.pop("managedFields", None)


def _take(doc: Any, path: Path, snap: Snapshot, list_kind: str = "", line: int = 0) -> None:
    """One document (or a List's item: `list_kind`, no line of its own)."""
    if not isinstance(doc, dict):
        raise SnapshotError(
            f"{path}: expected a Kubernetes object or List, found {type(doc).__name__}"
        )
    kind = doc.get("kind") or ""
    if not isinstance(kind, str):  # the store would reject it; it cannot even be counted
        snap.rejected.extend(check_object(doc, str(path))[1])
        return
    if kind == "List" or (kind.endswith("List") and "items" in doc):
        _read_list_meta(doc, snap)
        item_kind = kind[: -len("List")] if kind != "List" else ""
        items = doc.get("items") or []
        if not isinstance(items, list):
            raise SnapshotError(f"{path}: a {kind}'s items must be a list")
        for item in items:
            if not isinstance(item, dict):  # one bad item is reported, the rest is read
                snap.rejected.extend(check_object(item, str(path))[1])
                continue
            _take(item, path, snap, item_kind)
        return
    if not kind and list_kind:
        doc["kind"] = kind = list_kind
    if not kind:
        snap.invalid.append(f"{path}: an object without kind")
        snap.skipped_kinds["(no kind)"] += 1
        return
    if kind not in KINDS:
        snap.skipped_kinds[kind] += 1
        return
    meta = doc.get("metadata")
    if not isinstance(meta, dict) or not meta.get("name"):
        snap.invalid.append(f"{path}: a {kind} without metadata.name")
        snap.skipped_kinds[f"{kind} (no name)"] += 1
        return
    doc.setdefault("apiVersion", KINDS[kind].api_version)
    if KINDS[kind].namespaced and not meta.get("namespace"):
        meta["namespace"] = snap.default_namespace  # as kubectl apply would place it
        snap.defaulted[kind] += 1
    obj = clean_object(doc)
    snap.objects.append(obj)
    snap.origins[id(obj)] = f"{path}:{line}" if line else str(path)


def _read_list_meta(doc: dict[str, Any], snap: Snapshot) -> None:
    meta = doc.get("metadata")
    ann = (meta.get("annotations") if isinstance(meta, dict) else None) or {}
    if not isinstance(ann, dict):
        return
    snap.recorded_at = str(ann.get(ANN_RECORDED_AT) or snap.recorded_at)
    snap.context = str(ann.get(ANN_CONTEXT) or snap.context)
    snap.description = str(ann.get(ANN_DESCRIPTION) or snap.description)
    listed = ann.get(ANN_LISTED_KINDS)
    if listed:
        kinds = {k.strip() for k in str(listed).split(",") if k.strip()}
        snap.listed_kinds = (snap.listed_kinds or set()) | kinds


def snapshot_list(
    objects: list[dict[str, Any]],
    *,
    recorded_at: str = "",
    context: str = "",
    description: str = "",
    listed_kinds: Iterable[str] = (),
) -> dict[str, Any]:
    """The v1 List document a recording writes (and demo scenarios use)."""
    ann: dict[str, str] = {}
    if recorded_at:
        ann[ANN_RECORDED_AT] = recorded_at
    if context:
        ann[ANN_CONTEXT] = context
    if description:
        ann[ANN_DESCRIPTION] = description
    kinds = sorted(set(listed_kinds))
    if kinds:
        ann[ANN_LISTED_KINDS] = ",".join(kinds)
    return {
        "apiVersion": "v1",
        "kind": "List",
        "metadata": {"annotations": ann},
        "items": [clean_object(o) for o in objects],
    }
