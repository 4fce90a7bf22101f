"""Claim findings: why a claim is not bound, how its pods attach it, what deleting it loses.

Each claim gets a ClaimReport: its row, its findings and the checks skipped for want of a fact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlview.analysis.findings import Finding, finding
from mlview.analysis.shared.objects import name
from mlview.analysis.storage import provisioners as prov
from mlview.analysis.storage.attach import attach_findings, latest, quote
from mlview.analysis.storage.model import ClaimRow, Index, claim_rows, index, pv_matches
from mlview.analysis.storage.topology import node_affinity_findings
from mlview.store import StoreView

Obj = Mapping[str, Any]
PVC = "PersistentVolumeClaim"


# Within one severity, root causes come before the symptoms they produce (a ProvisioningFailed
# event, a pod waiting), so the first finding of a claim is the one to act on.
CAUSE_ORDER = (
    "pvc-storageclass-missing",
    "pvc-no-default-storageclass",
    "pvc-provisioner-missing",
    "pvc-access-mode-unsupported",
    "pvc-no-matching-pv",
    "pvc-lost",
    "pvc-rwo-multi-node",
    "pvc-rwop-multi-pod",
    "pvc-volume-node-affinity-conflict",
    "pvc-provisioning-failed",
    "pod-waiting-on-pvc",
    "pvc-readonly-claim-mounted-rw",
    "pvc-waiting-for-first-consumer",
)


def causes_first(found: list[Finding]) -> list[Finding]:
    late = len(CAUSE_ORDER)
    order = {code: i for i, code in enumerate(CAUSE_ORDER)}
    return sorted(
        found,
        key=lambda f: (
            -f.severity.rank,
            order.get(f.code, late),
            f.kind,
            f.namespace,
            f.name,
            f.code,
        ),
    )


@dataclass(frozen=True)
class ClaimReport:
    row: ClaimRow
    findings: tuple[Finding, ...]
    skipped: tuple[str, ...]  # checks not run, each with the missing fact


def claim_reports(view: StoreView) -> dict[tuple[str, str], ClaimReport]:
    """Every claim's findings and skipped checks, once per view."""

    def build() -> dict[tuple[str, str], ClaimReport]:
        idx = index(view)
        out = {}
        for row in claim_rows(view):
            pvc = view.get(PVC, row.namespace, row.name) or {}
            out[(row.namespace, row.name)] = _ClaimChecks(view, idx, pvc, row).run()
        return out

    return view.memo("storage.claim_reports", build)


class _ClaimChecks:
    def __init__(self, view: StoreView, idx: Index, pvc: Obj, row: ClaimRow) -> None:
        self.view, self.idx, self.pvc, self.row = view, idx, pvc, row
        self.ref = (PVC, row.namespace, row.name)
        self.label = f"PersistentVolumeClaim {row.namespace}/{row.name}"
        self.found: list[Finding] = []
        self.skipped: list[str] = []
        self.sc = idx.classes.get(row.storage_class) if row.storage_class else None

    def add(self, code: str, sev: str, message: str, hint: str) -> None:
        self.found.append(finding(code, sev, self.ref, message, hint))

    def skip(self, why: str) -> None:
        self.skipped.append(why)

    def run(self) -> ClaimReport:
        row = self.row
        if not row.phase:
            self.skip("phase checks (Lost, WaitForFirstConsumer, provisioning): no status")
        unbound = row.phase in ("Pending", "")
        if unbound:
            self.binding_checks()
        if row.phase == "Lost":
            self.add(
                "pvc-lost",
                "error",
                f"{self.label} is Lost: its volume {row.volume or '(none)'} no longer exists "
                "or was bound elsewhere; the data may be gone.",
                "If the disk still exists, recreate the PV with its volume handle and a claimRef "
                "to this claim; otherwise delete and recreate the claim (and restore from backup).",
            )
        self.found += attach_findings(self.view, self.idx, self.row)
        self.found += node_affinity_findings(self.view, self.idx, self.row, self.skip)
        if row.reclaim_policy == "Delete":
            src = (
                f"PersistentVolume {row.volume}"
                if row.reclaim_from == "pv"
                else f"StorageClass {row.storage_class}"
            )
            self.add(
                "pvc-reclaim-delete",
                "info",
                f"Deleting {self.label} deletes its volume and data (reclaim policy Delete, "
                f"from {src}).",
                "For datasets and checkpoints set the PV's persistentVolumeReclaimPolicy to "
                f"Retain (kubectl patch pv {row.volume or '<pv, once bound>'} -p "
                '\'{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}\') or use a class with '
                "reclaimPolicy: Retain.",
            )
        return ClaimReport(row, tuple(causes_first(self.found)), tuple(self.skipped))

    # -------------------------------------------------------- why is it not bound?

    def binding_checks(self) -> None:
        row, view = self.row, self.view
        classes_listed = view.has_listed("StorageClass")
        pvs_listed = view.has_listed("PersistentVolume")
        if row.class_source in ("named", "annotation") and self.sc is None:
            if not classes_listed:
                self.skip(f"whether StorageClass {row.storage_class} exists: classes not listed")
            elif not self.static_candidates():
                known = ", ".join(sorted(self.idx.classes)) or "none"
                default = self.idx.default_class
                alt = f" (the default is {name(default)})" if default is not None else ""
                self.add(
                    "pvc-storageclass-missing",
                    "error",
                    f"{self.label} asks for StorageClass {row.storage_class}, which does not "
                    f"exist (classes: {known}).",
                    f"Create StorageClass {row.storage_class}, or recreate the claim with an "
                    f"existing storageClassName{alt}: the field cannot be changed once set.",
                )
        if row.class_source == "none":
            if not classes_listed or not pvs_listed:
                self.skip("no-default-class check: StorageClasses or PVs not listed")
            elif not self.static_candidates():
                self.add(
                    "pvc-no-default-storageclass",
                    "error",
                    f"{self.label} names no StorageClass, the cluster has no default class, and "
                    "no Available PersistentVolume without a class fits it.",
                    "Mark a class default (annotation storageclass.kubernetes.io/is-default-class"
                    ': "true"; Kubernetes 1.28+ then assigns it to this claim), or set '
                    "spec.storageClassName on a new claim, or create a matching PV.",
                )
        static = row.class_source == "static" or (
            self.sc is not None and self.sc.get("provisioner") == prov.NO_PROVISIONER
        )
        if static:
            self.static_check(pvs_listed)
        if self.sc is not None:
            self.provisioner_checks()
        if row.phase == "Pending":
            self.event_checks()

    def static_candidates(self) -> list[Obj]:
        """Unclaimed PVs of the claim's class that fit it, and a PV pre-bound to it."""
        row = self.row
        pool = list(self.idx.free_pvs.get(row.storage_class, ()))
        mine = self.idx.pv_by_claim.get((row.namespace, row.name))
        if mine is not None and (mine.get("status") or {}).get("phase") != "Bound":
            pool.append(mine)
        return [pv for pv in pool if pv_matches(pv, row, self.pvc)]

    def static_check(self, pvs_listed: bool) -> None:
        row = self.row
        if not pvs_listed:
            self.skip("static binding check: PersistentVolumes not listed")
            return
        wanted = row.volume
        if wanted:
            pv = self.idx.pvs.get(wanted)
            if pv is None:
                why = f"names volume {wanted}, which does not exist"
            else:
                ref = (pv.get("spec") or {}).get("claimRef") or {}
                if ref.get("name") in (None, row.name) and pv_matches(pv, row, self.pvc):
                    return
                why = f"names volume {wanted}, which is bound elsewhere or does not fit"
        elif self.static_candidates():
            return
        else:
            cls = f"class {row.storage_class}" if row.storage_class else "no class"
            why = (
                f"needs an Available PersistentVolume with {cls}, at least "
                f"{row.requested or '?'} and modes {row.modes_short}; none fits"
            )
        self.add(
            "pvc-no-matching-pv",
            "error",
            f"{self.label} uses static binding and {why}.",
            "Create a PersistentVolume that matches (class, size, access modes, volumeMode, "
            "selector labels), or use a StorageClass that provisions volumes.",
        )

    def provisioner_checks(self) -> None:
        row, sc = self.row, self.sc or {}
        provisioner = row.provisioner
        verdict = prov.mode_verdict(
            provisioner,
            sc.get("parameters"),
            row.access_modes,
            row.volume_mode,
            self.idx.local_path_shared,
        )
        if verdict.ok is False:
            entry = prov.lookup(provisioner)
            refused = ", ".join(verdict.refused)
            self.add(
                "pvc-access-mode-unsupported",
                "error",
                f"{self.label} asks for {refused} from StorageClass {row.storage_class}, but "
                f"{verdict.reason}.",
                (
                    entry.multi_hint
                    if entry and entry.multi_hint
                    else "Request a mode the provisioner supports, or use a class whose "
                    "provisioner offers it."
                ),
            )
        elif verdict.ok is None and provisioner != prov.NO_PROVISIONER:
            self.skip(f"access-mode check: {verdict.reason}")
        csi = prov.is_csi(provisioner)
        driver = prov.driver_name(provisioner)
        if provisioner in prov.IN_TREE and prov.IN_TREE[provisioner] is None:
            self.add(
                "pvc-provisioner-missing",
                "error",
                f"{self.label} uses StorageClass {row.storage_class}, whose in-tree provisioner "
                f"{provisioner} was removed from Kubernetes: nothing will provision it.",
                "Move the data to a class served by an installed CSI driver.",
            )
        elif csi is None:
            self.skip(f"driver check: cannot tell whether {provisioner} is a CSI driver")
        elif csi and not self.view.has_listed("CSIDriver"):
            self.skip(f"driver check: CSIDriver objects not listed (needs {driver})")
        elif csi and driver not in self.idx.csidrivers:
            evs = self.view.events_for(PVC, row.namespace, row.name)
            waiting = latest(evs, ("ExternalProvisioning",))
            tail = f" Latest event: {quote(waiting)}" if waiting else ""
            via = f" (in-tree {provisioner} is migrated to it)" if driver != provisioner else ""
            self.add(
                "pvc-provisioner-missing",
                "error",
                f"{self.label} uses StorageClass {row.storage_class}, served by CSI driver "
                f"{driver}{via}, but the cluster has no CSIDriver {driver}: the driver is not "
                f"installed.{tail}",
                _install_hint(driver),
            )

    def event_checks(self) -> None:
        row = self.row
        if not self.view.has_listed("Event"):
            self.skip("provisioning-failed check: no Events recorded")
        else:
            evs = self.view.events_for(PVC, row.namespace, row.name)
            ev = latest(evs, ("ProvisioningFailed", "FailedBinding"))
            if ev is not None:
                self.add(
                    "pvc-provisioning-failed",
                    "error",
                    f"{self.label} is Pending; latest {quote(ev)}",
                    "Fix what the message names (class parameters, quota, permissions of the "
                    "provisioner, zone), then the provisioner retries on its own.",
                )
        # "normal, waits for a pod" is wrong advice when an error already explains the wait.
        blocked = any(f.severity.value == "error" for f in self.found)
        if row.binding_mode == "WaitForFirstConsumer" and not row.active_consumers and not blocked:
            if not self.view.has_listed("Pod"):
                self.skip("WaitForFirstConsumer check: Pods not listed")
                return
            self.add(
                "pvc-waiting-for-first-consumer",
                "info",
                f"{self.label} is Pending under WaitForFirstConsumer and no pod uses it: normal, "
                "it binds when a pod that mounts it is scheduled.",
                "Nothing to do unless a workload should be using it: then check that its pods "
                "exist and name this claim.",
            )

    # -------------------------------------------------------- who mounts it, how?


def _install_hint(driver: str) -> str:
    hints = {
        "ebs.csi.aws.com": "On EKS add the aws-ebs-csi-driver add-on (with an IAM role for its "
        "service account); elsewhere install the driver's Helm chart.",
        "ebs.csi.eks.amazonaws.com": "This driver exists only on EKS Auto Mode clusters: enable "
        "Auto Mode, or use ebs.csi.aws.com with the EBS CSI add-on.",
        "efs.csi.aws.com": "On EKS add the aws-efs-csi-driver add-on; elsewhere install its chart.",
        "pd.csi.storage.gke.io": "Enable the Compute Engine persistent disk CSI driver on the "
        "cluster (gcloud container clusters update --update-addons=GcePersistentDiskCsiDriver="
        "ENABLED).",
        "filestore.csi.storage.gke.io": "Enable the Filestore CSI driver add-on "
        "(--update-addons=GcpFilestoreCsiDriver=ENABLED).",
    }
    return hints.get(
        driver,
        f"Install the CSI driver {driver} (its controller and node "
        "plugin), or use a StorageClass whose driver is installed.",
    )
