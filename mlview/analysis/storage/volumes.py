"""PersistentVolume and StorageClass findings."""

from __future__ import annotations

from mlview.analysis.findings import Finding, finding
from mlview.analysis.shared.objects import meta, name
from mlview.analysis.storage import provisioners as prov
from mlview.analysis.storage.model import index
from mlview.sanitize import clean, shorten
from mlview.store import StoreView


def pv_findings(view: StoreView) -> list[Finding]:
    out = []
    for pv in view.list("PersistentVolume"):
        spec, status = pv.get("spec") or {}, pv.get("status") or {}
        phase, policy = status.get("phase"), spec.get("persistentVolumeReclaimPolicy")
        ref = spec.get("claimRef") or {}
        claim = f"{ref.get('namespace')}/{ref.get('name')}" if ref.get("name") else "(none)"
        label = f"PersistentVolume {name(pv)}"
        if phase == "Released" and policy == "Delete":
            out.append(
                finding(
                    "pv-released",
                    "warning",
                    pv,
                    f"{label} is Released with reclaim policy Delete: its claim {claim} is gone "
                    "and the provisioner should have deleted it; while it stays, deletion is "
                    "failing or its driver is not running.",
                    "Check the PV's events and the provisioner's logs (VolumeFailedDelete); "
                    "delete the disk by hand if the driver is gone, then the PV.",
                )
            )
        elif phase == "Released":
            out.append(
                finding(
                    "pv-released",
                    "warning",
                    pv,
                    f"{label} is Released: it holds data of deleted claim {claim} (reclaim policy "
                    f"{policy or '?'}) and will not bind again while its claimRef is set.",
                    "Recover or reuse the data: remove spec.claimRef (kubectl patch pv "
                    f'{name(pv)} --type json -p \'[{{"op":"remove","path":"/spec/claimRef"}}]\') '
                    "so a new claim can bind; delete the PV and its disk when the data is not "
                    "needed.",
                )
            )
        elif phase == "Failed":
            why = clean(status.get("message") or status.get("reason") or "", single_line=True)
            out.append(
                finding(
                    "pv-failed",
                    "error",
                    pv,
                    f"{label} is Failed (claim {claim})"
                    + (f': "{shorten(why, 300)}"' if why else "."),
                    "Reclamation failed: check the provisioner's logs, delete the backing disk "
                    "by hand if needed, then delete the PV.",
                )
            )
        if policy == "Recycle":
            out.append(
                finding(
                    "pv-recycle-deprecated",
                    "warning",
                    pv,
                    f"{label} uses reclaim policy Recycle, which is deprecated (basic rm -rf, only "
                    "for NFS and hostPath).",
                    "Use Retain (and clean up by hand) or Delete with a dynamic provisioner.",
                )
            )
    return out


def class_findings(view: StoreView) -> list[Finding]:
    idx = index(view)
    out = []
    if len(idx.defaults) > 1:
        names = ", ".join(name(c) for c in idx.defaults)
        stamps = [meta(c).get("creationTimestamp") for c in idx.defaults]
        winner = (
            f"{name(idx.defaults[0])} (the most recently created)"
            if all(stamps)
            else "the most recently created one (creation times not recorded here)"
        )
        for sc in idx.defaults:
            out.append(
                finding(
                    "pvc-multiple-default-storageclasses",
                    "warning",
                    sc,
                    f"StorageClass {name(sc)} is one of {len(idx.defaults)} default classes "
                    f"({names}); a claim without a class gets {winner}.",
                    'Keep one default: set storageclass.kubernetes.io/is-default-class to "false" '
                    "on the others.",
                )
            )
    for sc in idx.classes.values():
        p = str(sc.get("provisioner") or "")
        if p in prov.IN_TREE:
            target = prov.IN_TREE[p]
            what = (
                f"is served by the CSI driver {target} (CSI migration)"
                if target
                else "was removed from Kubernetes"
            )
            out.append(
                finding(
                    "storageclass-in-tree-provisioner",
                    "info",
                    sc,
                    f"StorageClass {name(sc)} names the in-tree provisioner {p}, which {what}.",
                    (
                        f"Create new classes with provisioner: {target}; existing volumes keep "
                        "working through migration as long as that driver is installed."
                    )
                    if target
                    else "Migrate its volumes to a class served by an installed CSI driver.",
                )
            )
    return out
