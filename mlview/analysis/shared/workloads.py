"""Heuristics about the backend behind a route: model serving, uploads, latency budget.

- Model-serving backend: the Service (or one of its pods) has a name, label key or label value
  containing one of MODEL_WORDS, a KServe (`serving.kserve.io/...`) or Seldon (`seldon...`) label,
  or the Service declares a latency budget (below).
- Takes uploads: `mlview.io/accepts-uploads: "true"` on the Service (``"false"`` turns the
  heuristic off), else a Service/pod name or label value containing one of UPLOAD_WORDS.
- Latency budget: a KServe InferenceService's component `timeout` (seconds; the Service carries
  the `serving.kserve.io/inferenceservice` label), else our Service annotation
  `mlview.io/expected-latency`: a duration such as "90s", "2m", "1m30s" or plain seconds "90".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mlview.analysis.shared import objects as o
from mlview.store import StoreView

LATENCY_ANNOTATION = "mlview.io/expected-latency"
UPLOADS_ANNOTATION = "mlview.io/accepts-uploads"
KSERVE_ISVC_LABEL = "serving.kserve.io/inferenceservice"
MODEL_WORDS = ("model", "inference", "predictor", "serving", "llm", "triton", "vllm")
UPLOAD_WORDS = ("image", "vision", "upload", "document", "ocr", "audio")

_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)(ms|s|m|h))+$")
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float | None:
    """Seconds in "90s", "2m", "1m30s", "1.5h" or "90"; None when malformed."""
    t = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    if not t or not _DURATION.match(t):
        return None
    return sum(float(n) * _UNITS[u] for n, u in _PART.findall(t))


def _texts(svc: Mapping[str, Any], pods: list[dict]) -> list[tuple[str, str]]:
    """(lower-cased text, where it comes from) for names and labels of the Service and pods."""
    out = []
    for obj in [svc, *pods[:3]]:
        what = f"{obj.get('kind') or 'object'} {o.name(obj)}"
        out.append((o.name(obj).lower(), f"{what}'s name"))
        for k, v in o.labels(obj).items():
            out.append((f"{k}={v}".lower(), f"{what}'s label {k}={v}"))
    return out


def _find(words: tuple[str, ...], texts: list[tuple[str, str]]) -> str:
    for text, where in texts:
        for word in words:
            if word in text:
                return f'{where} contains "{word}"'
    return ""


def model_serving(view: StoreView, svc: Mapping[str, Any], pods: list[dict]) -> str:
    """Why we think the backend serves a model ("" when we do not)."""
    if LATENCY_ANNOTATION in o.annotations(svc):
        return f"the Service declares {LATENCY_ANNOTATION}"
    for obj in [svc, *pods[:3]]:
        for k in o.labels(obj):
            if k.startswith("serving.kserve.io/") or k.startswith("seldon"):
                return f"{obj.get('kind', 'object')} {o.name(obj)} has label {k}"
    return _find(MODEL_WORDS, _texts(svc, pods))


def accepts_uploads(view: StoreView, svc: Mapping[str, Any], pods: list[dict]) -> str:
    """Why we think the backend takes uploads ("" when we do not)."""
    flag = str(o.annotations(svc).get(UPLOADS_ANNOTATION, "")).strip().lower()
    if flag == "true":
        return f"the Service sets {UPLOADS_ANNOTATION}"
    if flag == "false":
        return ""
    return _find(UPLOAD_WORDS, _texts(svc, pods))


def latency_budget(view: StoreView, svc: Mapping[str, Any]) -> tuple[float, str] | None:
    """(seconds, where it comes from) when the backend declares how long a request may take."""
    ns = o.namespace(svc)
    isvc_name = o.labels(svc).get(KSERVE_ISVC_LABEL)
    if isvc_name:
        isvc = view.get("InferenceService", ns, isvc_name)
        if isvc is not None:
            component = o.labels(svc).get("component") or "predictor"
            spec = (isvc.get("spec") or {}).get(component) or {}
            timeout = spec.get("timeout")
            if isinstance(timeout, int) and timeout > 0:
                return float(timeout), f"InferenceService {ns}/{isvc_name} {component}.timeout"
    raw = o.annotations(svc).get(LATENCY_ANNOTATION)
    if raw is not None:
        secs = parse_duration(str(raw))
        if secs is not None:
            return secs, f"Service {ns}/{o.name(svc)} {LATENCY_ANNOTATION}"
    return None


def latency_annotation_error(svc: Mapping[str, Any]) -> str:
    raw = o.annotations(svc).get(LATENCY_ANNOTATION)
    if raw is None or parse_duration(str(raw)) is not None:
        return ""
    return f'{LATENCY_ANNOTATION}: "{raw}" is not a duration (use "90s", "2m" or "90")'
