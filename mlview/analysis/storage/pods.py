"""Pod findings: pods stuck on their claims, and checkpoints written to emptyDir."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mlview.analysis.findings import Finding, finding
from mlview.analysis.shared.objects import name, namespace, owner_workload
from mlview.analysis.storage.claims import PVC, ClaimReport
from mlview.analysis.storage.model import index
from mlview.store import StoreView, event_time


def pod_findings(view: StoreView, reports: dict[tuple[str, str], ClaimReport]) -> list[Finding]:
    idx = index(view)
    out = []
    pvcs_listed = view.has_listed(PVC)
    for (ns, pod_name), uses in idx.pod_claims.items():
        pod = view.get("Pod", ns, pod_name) or {}
        if (pod.get("status") or {}).get("phase") != "Pending":
            continue
        waiting, hints = [], []
        for claim, via in uses:
            rep = reports.get((ns, claim))
            if rep is None:
                if pvcs_listed:
                    made = {
                        "ephemeral": " (the ephemeral volume controller has not created it)",
                        "statefulset": " (the StatefulSet controller has not created it)",
                    }
                    waiting.append(f"{claim} (missing{made.get(via, '')})")
                    hints.append(f"Create claim {claim} or fix the claimName in the pod spec.")
            elif rep.row.phase in ("Pending", "Lost"):
                worst = rep.findings[0] if rep.findings else None
                healthy = not (worst and worst.severity.rank >= 2)
                # A healthy WaitForFirstConsumer claim waits for this pod to be scheduled, not
                # the other way round, unless the scheduler names volumes as the obstacle.
                if (
                    healthy
                    and rep.row.binding_mode == "WaitForFirstConsumer"
                    and not _scheduler_blames_volumes(view, ns, pod_name)
                ):
                    continue
                why = f": {worst.code}" if worst and worst.severity.rank >= 2 else ""
                waiting.append(f"{claim} ({rep.row.phase}{why})")
                if worst and worst.severity.rank >= 2:
                    hints.append(worst.hint)
        if waiting:
            out.append(
                finding(
                    "pod-waiting-on-pvc",
                    "error",
                    pod,
                    f"Pod {ns}/{pod_name} is Pending on claim(s) {', '.join(waiting)}.",
                    hints[0]
                    if hints
                    else "See the claim in the Storage pane: it binds once a "
                    "volume is provisioned or a matching PV exists.",
                )
            )
    return out


def _scheduler_blames_volumes(view: StoreView, ns: str, pod_name: str) -> bool:
    evs = [e for e in view.events_for("Pod", ns, pod_name) if e.get("reason") == "FailedScheduling"]
    if not evs:
        return False
    msg = str(max(evs, key=event_time).get("message") or "").lower()
    return "persistentvolumeclaim" in msg or "volume" in msg


# Words in a volume name or mount path that say "training output written here". Paths that say
# cache/tmp/scratch/shm are meant to be thrown away and are left alone.
_KEEP = {
    "checkpoint",
    "checkpoints",
    "ckpt",
    "ckpts",
    "model",
    "models",
    "log",
    "logs",
    "output",
    "outputs",
    "artifacts",
    "tensorboard",
    "mlruns",
    "wandb",
    "results",
    "weights",
}
_THROWAWAY = {"cache", "caches", "tmp", "temp", "scratch", "shm", "dshm", "sock", "socket"}
_SPLIT = re.compile(r"[^a-z0-9]+")


def _telling(text: str) -> bool:
    words = set(_SPLIT.split(text.lower()))
    return bool(words & _KEEP) and not words & _THROWAWAY


WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "Job")


def _emptydir_hits(spec: Mapping[str, Any]) -> list[str]:
    """Writable emptyDir mounts of regular containers whose name or path says training output."""
    empty = {v.get("name") for v in spec.get("volumes") or [] if "emptyDir" in v}
    hits = []
    for c in spec.get("containers") or [] if empty else []:
        for vm in c.get("volumeMounts") or []:
            vname, path = vm.get("name"), vm.get("mountPath") or ""
            if (
                vname in empty
                and not vm.get("readOnly")
                and (_telling(vname or "") or _telling(path))
            ):
                hits.append(f"{vname} at {path}")
    return sorted(set(hits))


def ephemeral_findings(view: StoreView) -> list[Finding]:
    """emptyDir volumes where checkpoints, models or logs are written: lost when the pod dies.

    Only writable mounts of regular containers count (a model server reading a downloaded model
    from a read-only emptyDir is fine). One finding per owning workload, not per replica; pod
    templates of workloads count too, so manifests are checked before any pod exists.
    """
    out: dict[tuple[str, str, str], Finding] = {}

    def add(kind: str, ns: str, owner: str, hits: list[str], example: str) -> None:
        if (kind, ns, owner) in out:
            return
        out[(kind, ns, owner)] = finding(
            "pod-ephemeral-checkpoints",
            "warning",
            (kind, ns, owner),
            f"{kind} {ns}/{owner} writes to emptyDir {', '.join(hits)}{example}: "
            "everything there is lost when the pod is deleted, evicted or rescheduled.",
            "Mount a PersistentVolumeClaim there (reclaim policy Retain for checkpoints), or "
            "copy results to object storage before the pod ends.",
        )

    for pod in view.list("Pod"):
        hits = _emptydir_hits(pod.get("spec") or {})
        if hits:
            kind, owner = owner_workload(view, pod)
            example = f" (e.g. pod {name(pod)})" if kind != "Pod" else ""
            add(kind, namespace(pod), owner, hits, example)
    for kind in WORKLOADS:
        for wl in view.list(kind):
            template = ((wl.get("spec") or {}).get("template") or {}).get("spec") or {}
            hits = _emptydir_hits(template)
            if hits:
                add(kind, namespace(wl), name(wl), hits, "")
    return list(out.values())
