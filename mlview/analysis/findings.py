"""A finding is data: a stable slug code, a severity, the object, a message and a hint."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from mlview.analysis.catalogue import CATALOGUE


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.lower())
        except ValueError as exc:
            raise ValueError(f"unknown severity {text!r} (use error, warning or info)") from exc


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    kind: str
    namespace: str
    name: str
    message: str
    hint: str

    @property
    def ref(self) -> str:
        return (
            f"{self.kind}/{self.namespace}/{self.name}"
            if self.namespace
            else (f"{self.kind}/{self.name}")
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def finding(
    code: str,
    severity: Severity | str,
    obj: Mapping[str, Any] | tuple[str, str, str],
    message: str,
    hint: str,
) -> Finding:
    """Build a Finding from an object dict or a (kind, namespace, name) triple."""
    if isinstance(obj, tuple):
        kind, ns, name = obj
    else:
        meta = obj.get("metadata") or {}
        kind, ns, name = obj.get("kind", ""), meta.get("namespace") or "", meta.get("name", "")
    sev = Severity(severity)
    entry = CATALOGUE.get(code)
    if entry is None or entry.severity != sev.value:
        _off_catalogue(code, sev)
    return Finding(code, sev, kind, ns, name, message, hint)


STRICT_ENV = "MLVIEW_STRICT_FINDINGS"


def _off_catalogue(code: str, severity: Severity) -> None:
    """A code missing from the catalogue (or with another severity) fails loudly in tests (the
    test suite sets MLVIEW_STRICT_FINDINGS); users still get the finding, never a traceback."""
    if os.environ.get(STRICT_ENV):
        entry = CATALOGUE.get(code)
        said = f"catalogued as {entry.severity}" if entry else "not in the catalogue"
        raise ValueError(
            f"finding {code!r} ({severity.value}) is {said}: see mlview/analysis/catalogue.py"
        )


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Worst first, then by object and code, so output is stable."""
    return sorted(findings, key=lambda f: (-f.severity.rank, f.kind, f.namespace, f.name, f.code))


# A check's result: the finding and the keys of the rows (routes) it concerns.
Found = tuple[Finding, tuple[str, ...]]


def index_found(found: Iterable[Found]) -> tuple[list[Finding], dict[str, list[Finding]]]:
    """All distinct findings, sorted, and per row key the distinct findings that concern it."""
    unique: dict[Finding, None] = {}
    per_key: dict[str, list[Finding]] = {}
    for f, keys in found:
        unique.setdefault(f)
        for k in keys:
            lst = per_key.setdefault(k, [])
            if f not in lst:
                lst.append(f)
    return sort_findings(list(unique)), {k: sort_findings(v) for k, v in per_key.items()}


def worst(findings: list[Finding]) -> Severity | None:
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)
