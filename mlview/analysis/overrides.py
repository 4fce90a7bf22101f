"""A team's own choices about findings: codes turned off, severities changed, accepted exceptions.

Read from `.mlview.yaml` in the working directory (or `--config FILE`), in the spirit of
Popeye's spinach file and kube-linter's config:

    disable: [ingress-body-size-default]          # codes never reported
    severity:                                     # code -> info | warning | error
      ingress-timeout-default-for-model: info
    exceptions:                                   # accepted findings, each with a reason
      - code: pvc-unused                          # optional: any code when absent
        namespace: ml-research                    # optional
        kind: PersistentVolumeClaim               # optional
        name: "scratch-*"                         # optional, a shell-style pattern
        reason: scratch claims are kept on purpose

`check` and the app apply it and say how many findings it hid. A bad file is one clear error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from mlview.analysis.findings import Finding, Severity, sort_findings

DEFAULT_FILE = ".mlview.yaml"
_KEYS = {"disable", "severity", "exceptions"}
_EXCEPTION_KEYS = {"code", "namespace", "kind", "name", "reason"}


class OverridesError(Exception):
    """One line: which file, what is wrong."""


@dataclass(frozen=True)
class Accepted:
    reason: str
    code: str = ""
    namespace: str | None = None
    kind: str = ""
    name: str = ""

    def matches(self, f: Finding) -> bool:
        return (
            (not self.code or f.code == self.code)
            and (self.namespace is None or f.namespace == self.namespace)
            and (not self.kind or f.kind == self.kind)
            and (not self.name or fnmatchcase(f.name, self.name))
        )


@dataclass(frozen=True)
class Overrides:
    source: str = ""  # the file it came from ("" when none)
    disable: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    exceptions: tuple[Accepted, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.disable or self.severity or self.exceptions)

    def apply(self, found: Iterable[Finding]) -> tuple[list[Finding], int]:
        """The findings kept (severities changed as configured, worst first) and how many
        were hidden (disabled codes and accepted exceptions)."""
        kept: list[Finding] = []
        hidden = 0
        for f in found:
            if f.code in self.disable or any(e.matches(f) for e in self.exceptions):
                hidden += 1
                continue
            sev = self.severity.get(f.code)
            kept.append(replace(f, severity=sev) if sev is not None and sev != f.severity else f)
        return sort_findings(kept), hidden


NO_OVERRIDES = Overrides()


def load(path: str | Path | None = None, *, cwd: Path | None = None) -> Overrides:
    """The overrides of `path`, else of ./.mlview.yaml when it exists, else none."""
    if path is None:
        default = (cwd or Path.cwd()) / DEFAULT_FILE
        if not default.is_file():
            return NO_OVERRIDES
        path = default
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OverridesError(f"{path}: cannot read: {getattr(exc, 'strerror', exc)}") from None
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc
        raise OverridesError(f"{path}{line}: malformed YAML: {problem}") from None
    return parse(data, str(path))


def parse(data: Any, source: str) -> Overrides:
    if data is None:
        return Overrides(source=source)
    if not isinstance(data, dict):
        raise OverridesError(f"{source}: expected a mapping with {', '.join(sorted(_KEYS))}")
    unknown = set(data) - _KEYS
    if unknown:
        raise OverridesError(f"{source}: unknown key {sorted(map(str, unknown))[0]!r}")
    disable = data.get("disable") or []
    if not isinstance(disable, list) or not all(isinstance(c, str) for c in disable):
        raise OverridesError(f"{source}: disable: expected a list of finding codes")
    severity: dict[str, Severity] = {}
    raw = data.get("severity") or {}
    if not isinstance(raw, dict):
        raise OverridesError(f"{source}: severity: expected a mapping code -> severity")
    for code, value in raw.items():
        try:
            severity[str(code)] = Severity(str(value))
        except ValueError:
            raise OverridesError(
                f"{source}: severity of {code}: {value!r} is not info, warning or error"
            ) from None
    exceptions = []
    for i, item in enumerate(data.get("exceptions") or []):
        where = f"{source}: exceptions[{i}]"
        if not isinstance(item, dict) or set(item) - _EXCEPTION_KEYS:
            raise OverridesError(f"{where}: expected keys {', '.join(sorted(_EXCEPTION_KEYS))}")
        if not str(item.get("reason") or "").strip():
            raise OverridesError(f"{where}: an exception needs a reason")
        ns = item.get("namespace")
        exceptions.append(
            Accepted(
                reason=str(item["reason"]),
                code=str(item.get("code") or ""),
                namespace=None if ns is None else str(ns),
                kind=str(item.get("kind") or ""),
                name=str(item.get("name") or ""),
            )
        )
    for code in [*disable, *severity, *(e.code for e in exceptions if e.code)]:
        _known(code, source)
    return Overrides(source, frozenset(disable), severity, tuple(exceptions))


def _known(code: str, source: str) -> None:
    """A typo would silently change nothing: name the closest codes instead."""
    from difflib import get_close_matches

    from mlview.analysis.catalogue import CATALOGUE

    if code not in CATALOGUE:
        close = get_close_matches(code, list(CATALOGUE), n=2, cutoff=0.5)
        hint = f" (did you mean {' or '.join(close)}?)" if close else " (mlview checks lists them)"
        raise OverridesError(f"{source}: unknown finding code {code!r}{hint}")
