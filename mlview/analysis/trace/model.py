"""The data of a trace: steps with verdicts and predicted status codes; option parsing.

A trace is an ordered list of steps in request order (route, tls, settings, body-size, backend,
endpoints, network-policy, timeouts). Each has a verdict (ok, warning, failing, skipped), a one-line
detail, optional extra lines (the reachability explanation, not-ready pods), the status code it
predicts when it fails, and the objects it names. The predicted status of the whole request is the
first failing step's code in request order (a 413 is answered before any backend is tried), else
200.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mlview.analysis.shared.objects import Ref

OK, WARNING, FAILING, SKIPPED = "ok", "warning", "failing", "skipped"
VERDICTS = (OK, WARNING, FAILING, SKIPPED)
STEP_ORDER = (
    "route",
    "tls",
    "settings",
    "body-size",
    "backend",
    "endpoints",
    "network-policy",
    "timeouts",
)


@dataclass(frozen=True)
class TraceStep:
    step: str  # one of STEP_ORDER
    verdict: str  # one of VERDICTS
    detail: str  # one line
    status: int | None = None  # the code this step predicts (failing steps, redirects)
    refs: tuple[Ref, ...] = ()
    lines: tuple[str, ...] = ()  # extra explanation, one fact a line

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"step": self.step, "verdict": self.verdict, "detail": self.detail}
        if self.status is not None:
            out["status"] = self.status
        out["refs"] = [r.to_json() for r in self.refs]
        if self.lines:
            out["lines"] = list(self.lines)
        return out


@dataclass(frozen=True)
class Trace:
    url: str
    method: str
    via: str  # ingress | gateway | none
    steps: tuple[TraceStep, ...] = field(default_factory=tuple)

    @property
    def deciding(self) -> TraceStep | None:
        """The step that decides the answer: the first failing one in request order."""
        return next((s for s in self.steps if s.verdict == FAILING and s.status), None)

    @property
    def status(self) -> int:
        step = self.deciding
        return step.status if step is not None and step.status else 200

    @property
    def verdict_reason(self) -> str:
        step = self.deciding
        if step is not None:
            return f"{step.step}: {step.detail}"
        warn = next((s for s in self.steps if s.verdict == WARNING), None)
        if warn is not None:
            return f"no step fails; check {warn.step}: {warn.detail}"
        return "every step we can see passes"

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "method": self.method,
            "via": self.via,
            "status": self.status,
            "verdict_reason": self.verdict_reason,
            "steps": [s.to_json() for s in self.steps],
        }

    def lines(self) -> list[str]:
        """Plain text, one fact a line (the CLI prints these; the TUI styles them)."""
        out = [f"{self.method} {self.url}  ->  {self.status}   ({self.verdict_reason})"]
        for i, s in enumerate(self.steps, start=1):
            code = f"  [{s.status}]" if s.status else ""
            out.append(f"{i}. {s.step:<15}{s.verdict.upper():<9}{s.detail}{code}")
            out.extend(f"      {line}" for line in s.lines)
        return out


# ---------------------------------------------------------------- option values

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")
# Single letters follow nginx (k/m/g are binary, as in proxy-body-size); kB/MB/GB are SI;
# Ki/Mi/Gi (and KiB...) are binary.
_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "k": 1024,
    "m": 1024**2,
    "g": 1024**3,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "ki": 1024,
    "mi": 1024**2,
    "gi": 1024**3,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
}


class OptionError(ValueError):
    """A bad --body-size or --expected-latency value (one line, for exit status 2)."""


def parse_size(text: str) -> int:
    """Bytes in "5MB" (SI), "5M"/"5m" (nginx, binary), "5Mi", "512k", "1048576"."""
    m = _SIZE.match(text or "")
    unit = m.group(2).lower() if m else ""
    if not m or unit not in _SIZE_UNITS:
        raise OptionError(
            f"body size {text!r} is not a size (use bytes or a unit: 512k, 5M, 5MB, 5Mi)"
        )
    return int(float(m.group(1)) * _SIZE_UNITS[unit])


_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)(ms|s|m|h))+$")
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_latency(text: str) -> float:
    """Seconds in "90s", "2m", "1500ms", "1m30s" or plain "90"."""
    t = (text or "").strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    if not t or not _DURATION.match(t):
        raise OptionError(
            f"expected latency {text!r} is not a duration (use 90s, 2m, 1500ms or 1m30s)"
        )
    return sum(float(n) * _UNIT_SECONDS[u] for n, u in _PART.findall(t))


def fmt_bytes(n: int) -> str:
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{n} bytes"


def fmt_secs(secs: float) -> str:
    if 0 < secs < 1:
        return f"{round(secs * 1000)}ms"
    return f"{secs:g}s"
