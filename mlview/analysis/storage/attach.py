"""How pods attach a claim: RWO across nodes, RWOP shared, ROX mounted writable, RWX only read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlview.analysis.findings import Finding, finding
from mlview.analysis.storage import provisioners as prov
from mlview.analysis.storage.model import ClaimRow, Index
from mlview.sanitize import clean, shorten
from mlview.store import StoreView, event_time

Obj = Mapping[str, Any]


def quote(ev: Obj) -> str:
    msg = shorten(clean(ev.get("message") or "", single_line=True).strip(), 300)
    return f'{ev.get("reason") or "Event"}: "{msg}"'


def latest(events: list[dict[str, Any]], reasons: tuple[str, ...]) -> dict[str, Any] | None:
    hits = [e for e in events if e.get("reason") in reasons]
    return max(hits, key=event_time) if hits else None


def attach_findings(view: StoreView, idx: Index, row: ClaimRow) -> list[Finding]:
    """Findings about the pods that use a claim (only pods not Succeeded/Failed count)."""
    out: list[Finding] = []
    label = f"PersistentVolumeClaim {row.namespace}/{row.name}"
    ref = ("PersistentVolumeClaim", row.namespace, row.name)
    active = row.active_consumers
    if not active:
        return out
    pv = idx.pvs.get(row.volume) if row.volume else None
    modes = set(((pv or {}).get("spec") or {}).get("accessModes") or row.access_modes)
    nodes = sorted({c.node for c in active if c.node})
    if prov.RWO in modes and not modes & prov.MULTI_NODE and len(nodes) > 1:
        pods = ", ".join(f"{c.pod} on {c.node or '(unscheduled)'}" for c in active)
        ev = None
        for c in active:
            e = latest(
                [
                    x
                    for x in view.events_for("Pod", c.namespace, c.pod)
                    if "Multi-Attach" in str(x.get("message") or "")
                ],
                ("FailedAttachVolume",),
            )
            if e is not None and (ev is None or event_time(e) > event_time(ev)):
                ev = e
        tail = f" {quote(ev)}" if ev else ""
        out.append(
            finding(
                "pvc-rwo-multi-node",
                "error",
                ref,
                f"{label} is ReadWriteOnce but mounted by pods on {len(nodes)} nodes "
                f"({pods}): the volume attaches to one node, the others hang.{tail}",
                "Keep the pods on one node (pod affinity), run one replica, or move the data "
                "to a ReadWriteMany class (EFS, Filestore, Azure Files, CephFS, NFS).",
            )
        )
    if prov.RWOP in row.access_modes and len(active) > 1:
        pods = ", ".join(c.pod for c in active)
        out.append(
            finding(
                "pvc-rwop-multi-pod",
                "error",
                ref,
                f"{label} is ReadWriteOncePod but used by {len(active)} pods ({pods}): only "
                "one can run, the rest stay Pending.",
                "Run a single pod with this claim (replicas: 1, or a StatefulSet with "
                "volumeClaimTemplates for one claim per pod).",
            )
        )
    if set(row.access_modes) == {prov.ROX}:
        rw = [f"{c.pod}:{m.path}" for c in active for m in c.mounts if not m.read_only]
        if rw:
            out.append(
                finding(
                    "pvc-readonly-claim-mounted-rw",
                    "warning",
                    ref,
                    f"{label} is ReadOnlyMany but mounted writable ({', '.join(rw)}): "
                    "Kubernetes does not make the mount read-only for you.",
                    "Set readOnly: true on the volumeMount (or on the pod's "
                    "persistentVolumeClaim volume source).",
                )
            )
    if prov.RWX in row.access_modes and all(c.read_only for c in active):
        out.append(
            finding(
                "pvc-rwx-only-read",
                "info",
                ref,
                f"{label} is ReadWriteMany but every pod mounts it read-only: ReadOnlyMany "
                "would grant less.",
                "For a dataset nobody writes, request ReadOnlyMany (where the provisioner offers "
                "it) so no pod can change it by mistake.",
            )
        )
    return out
