"""What runs behind a model service: the serving stack, GPUs, restarts, rollout state.

The serving stack is read from labels (KServe, Seldon) and container images (Triton, vLLM,
TorchServe, TGI, ...); "?" when nothing says. GPUs are the extended resources whose name ends
in `/gpu` (nvidia.com/gpu, amd.com/gpu), from limits (the scheduler requires requests equal to
limits for them) or requests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from mlview.analysis.shared import objects as o

# image substring -> server; the first match wins (more specific first)
IMAGE_SERVERS: tuple[tuple[str, str], ...] = (
    ("tritonserver", "Triton"),
    ("text-generation-inference", "TGI"),
    ("vllm", "vLLM"),
    ("sglang", "SGLang"),
    ("torchserve", "TorchServe"),
    ("tensorflow/serving", "TF Serving"),
    ("mlserver", "MLServer"),
    ("bentoml", "BentoML"),
    ("ollama", "Ollama"),
    ("llama.cpp", "llama.cpp"),
    ("ray-ml", "Ray Serve"),
    ("triton", "Triton"),
)


def server_kind(svc: Mapping[str, Any], pods: Iterable[Mapping[str, Any]]) -> str:
    """ "KServe/vLLM", "Triton", "Seldon", ... or "?"."""
    pods = list(pods)
    labels = [o.labels(svc), *(o.labels(p) for p in pods)]
    frame = ""
    if any(k.startswith("serving.kserve.io/") for lab in labels for k in lab):
        frame = "KServe"
    elif any(k.startswith("seldon") for lab in labels for k in lab):
        frame = "Seldon"
    images = [str(c.get("image") or "").lower() for p in pods for c in o.pod_containers(p)]
    server = next((name for word, name in IMAGE_SERVERS for img in images if word in img), "")
    if frame and server:
        return f"{frame}/{server}"
    return frame or server or "?"


def pod_gpus(pod: Mapping[str, Any]) -> int:
    total = 0
    for c in o.pod_containers(pod):
        res = c.get("resources")
        if not isinstance(res, dict):
            continue
        for section in ("limits", "requests"):
            values = res.get(section)
            if not isinstance(values, dict):
                continue
            gpus = [v for k, v in values.items() if str(k).endswith("/gpu")]
            if gpus:
                total += sum(_int(v) for v in gpus)
                break
    return total


def _int(value: Any) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def last_termination(pod: Mapping[str, Any]) -> tuple[str, str]:
    """(reason with exit code, finishedAt) of the newest terminated container run, or ("", "")."""
    best = ("", "")
    for cs in (pod.get("status") or {}).get("containerStatuses") or []:
        if not isinstance(cs, dict):
            continue
        term = ((cs.get("lastState") or {}).get("terminated")) or {}
        if not isinstance(term, dict) or not term:
            continue
        reason = str(term.get("reason") or "Terminated")
        if term.get("exitCode") is not None:
            reason += f" (exit {term.get('exitCode')})"
        finished = str(term.get("finishedAt") or "")
        if finished >= best[1]:
            best = (reason, finished)
    return best


def age_seconds(stamp: str, now: datetime) -> float | None:
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (now - when).total_seconds()


def pod_image(pod: Mapping[str, Any]) -> str:
    containers = o.pod_containers(pod)
    return str(containers[0].get("image") or "") if containers else ""


def rollout(workload: Mapping[str, Any]) -> tuple[int, int, int]:
    """(desired, updated, ready) replicas of a Deployment or StatefulSet as its status says."""
    spec = workload.get("spec") or {}
    status = workload.get("status") or {}
    desired = spec.get("replicas", 1) if isinstance(spec, dict) else 1
    if not isinstance(status, dict):
        status = {}
    return (
        _int(desired if desired is not None else 1),
        _int(status.get("updatedReplicas") or 0),
        _int(status.get("readyReplicas") or 0),
    )
