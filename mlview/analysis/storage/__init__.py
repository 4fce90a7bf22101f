"""Storage: every PersistentVolumeClaim explained. Pure: no UI imports.

API (all cached on the StoreView, linear in the number of objects):

    claim_rows(view) -> list[ClaimRow]     one row per claim: phase, requested/bound capacity,
        access modes, resolved StorageClass (and how: named/annotation/default/static/none),
        provisioner, volumeBindingMode, effective reclaim policy (PV's, else class's), bound PV,
        consumers (pods with node, mounts and read-only flags).
    pv_rows(view) -> list[PVRow]           PersistentVolumes: phase, claimRef, reclaim, capacity...
    class_rows(view) -> list[ClassRow]     StorageClasses: provisioner, reclaim, binding mode,
        default or not, expansion, parameters, number of claims using it.
    findings(view) -> list[Finding]        every storage finding (claims, PVs, classes, pods).
    claim_findings(view) -> dict[(ns, name), tuple[Finding, ...]]   per claim, worst first.
    claim_detail(view, ns, name) -> ClaimDetail | None   the binding chain claim -> class ->
        provisioner -> PV, consumers, recent events (newest first), findings, and the checks
        skipped for want of a fact, each with the reason.

Row types live in storage_model (ClaimRow, PVRow, ClassRow, Consumer, Mount), the provisioner
table in storage_provisioners, the checks in storage_claims / storage_volumes / storage_pods.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlview.analysis.findings import Finding, sort_findings
from mlview.analysis.storage import provisioners as prov
from mlview.analysis.storage.claims import ClaimReport, causes_first, claim_reports
from mlview.analysis.storage.model import (
    ClaimRow,
    ClassRow,
    Consumer,
    Mount,
    PVRow,
    claim_rows,
    class_rows,
    index,
    pv_rows,
)
from mlview.analysis.storage.pods import ephemeral_findings, pod_findings
from mlview.analysis.storage.volumes import class_findings, pv_findings
from mlview.sanitize import clean
from mlview.store import StoreView, event_time

__all__ = [
    "ChainLink",
    "ClaimDetail",
    "ClaimRow",
    "ClassRow",
    "Consumer",
    "EventRow",
    "Mount",
    "PVRow",
    "claim_detail",
    "claim_findings",
    "claim_rows",
    "class_rows",
    "findings",
    "pv_rows",
]

PVC = "PersistentVolumeClaim"
_POD_EVENT_REASONS = ("FailedAttachVolume", "FailedMount", "FailedScheduling")


@dataclass(frozen=True)
class ChainLink:
    kind: str  # PersistentVolumeClaim | StorageClass | Provisioner | PersistentVolume
    name: str
    state: str  # a word or two: "Pending", "missing", "default", "installed", ...
    ok: bool | None  # None: not known
    note: str = ""


@dataclass(frozen=True)
class EventRow:
    time: str
    type: str
    reason: str
    object: str  # "Kind/name"
    message: str  # cleaned, single line
    count: int


@dataclass(frozen=True)
class ClaimDetail:
    row: ClaimRow
    chain: tuple[ChainLink, ...]
    consumers: tuple[Consumer, ...]
    events: tuple[EventRow, ...]
    findings: tuple[Finding, ...]
    skipped: tuple[str, ...]


def findings(view: StoreView) -> list[Finding]:
    """Every storage finding for a view."""

    def build() -> list[Finding]:
        reports = claim_reports(view)
        out = [f for rep in reports.values() for f in rep.findings]
        out += pv_findings(view) + class_findings(view)
        out += pod_findings(view, reports) + ephemeral_findings(view)
        return sort_findings(out)

    return view.memo("storage.findings", build)


def claim_findings(view: StoreView) -> dict[tuple[str, str], tuple[Finding, ...]]:
    return {key: rep.findings for key, rep in claim_reports(view).items()}


def claim_detail(view: StoreView, namespace: str, claim: str) -> ClaimDetail | None:
    rep: ClaimReport | None = claim_reports(view).get((namespace, claim))
    if rep is None:
        return None
    row = rep.row
    extra = [
        f
        for f in findings(view)
        if (f.kind == "PersistentVolume" and row.volume and f.name == row.volume)
        or (
            # a class only matters for a volume it provisioned
            f.kind == "StorageClass"
            and row.storage_class
            and f.name == row.storage_class
            and row.provisioner_from == "class"
        )
        or (
            f.kind == "Pod"
            and f.code == "pod-waiting-on-pvc"
            and f.namespace == namespace
            and any(c.pod == f.name for c in row.consumers)
        )
    ]
    return ClaimDetail(
        row=row,
        chain=tuple(_chain(view, row)),
        consumers=row.consumers,
        events=tuple(_events(view, row)),
        findings=tuple(causes_first(list(rep.findings) + extra)),
        skipped=rep.skipped,
    )


def _chain(view: StoreView, row: ClaimRow) -> list[ChainLink]:
    idx = index(view)
    links = [
        ChainLink(
            PVC,
            f"{row.namespace}/{row.name}",
            row.phase or "no status",
            {"Bound": True, "Lost": False}.get(row.phase),
            f"requests {row.requested or '?'} {row.modes_short or '(no access modes)'}",
        )
    ]
    how = {
        "named": "named",
        "annotation": "named (beta annotation)",
        "default": "default class",
        "static": 'static binding ("")',
        "none": "none named, no default",
    }[row.class_source]
    if row.storage_class:
        state = {True: how, False: "missing", None: f"{how}, not checked"}[row.class_exists]
        links.append(
            ChainLink(
                "StorageClass",
                row.storage_class,
                state,
                row.class_exists,
                f"binding {row.binding_mode or '?'}, reclaim {row.reclaim_policy or '?'}",
            )
        )
    else:
        links.append(
            ChainLink("StorageClass", "(none)", how, None, "binds only to a PV without a class")
        )
    if row.provisioner_from == "pv":
        named = str((idx.classes.get(row.storage_class) or {}).get("provisioner") or "")
        links.append(
            ChainLink(
                "Provisioner",
                row.provisioner,
                "the PV's own source",
                None,
                f"the class names {named}, which only matters for dynamic provisioning",
            )
        )
    elif row.provisioner:
        driver = prov.driver_name(row.provisioner)
        csi = prov.is_csi(row.provisioner)
        if row.provisioner == prov.NO_PROVISIONER:
            links.append(
                ChainLink(
                    "Provisioner",
                    row.provisioner,
                    "static (no provisioner)",
                    None,
                    "PVs are created by hand",
                )
            )
        elif csi and view.has_listed("CSIDriver"):
            ok = driver in idx.csidrivers
            via = f" (in-tree name, served by {driver})" if driver != row.provisioner else ""
            links.append(
                ChainLink(
                    "Provisioner",
                    row.provisioner,
                    "CSIDriver installed" if ok else "no CSIDriver",
                    ok,
                    via.strip(),
                )
            )
        else:
            why = {
                True: "CSIDrivers not listed",
                False: "not a CSI driver",
                None: "unknown provisioner",
            }[csi]
            via = f", served by {driver}" if driver != row.provisioner else ""
            links.append(
                ChainLink("Provisioner", row.provisioner, f"not checked ({why})", None, via[2:])
            )
    elif row.storage_class and row.class_exists is False:
        links.append(ChainLink("Provisioner", "(unknown)", "the class is missing", False))
    if row.volume:
        pv = idx.pvs.get(row.volume)
        phase = str(
            ((pv or {}).get("status") or {}).get("phase")
            or ("missing" if pv is None else "no status")
        )
        links.append(
            ChainLink(
                "PersistentVolume",
                row.volume,
                phase,
                False
                if pv is None and view.has_listed("PersistentVolume")
                else ({"Bound": True}.get(phase)),
                f"capacity {row.capacity or '?'}, reclaim {row.reclaim_policy}",
            )
        )
    else:
        links.append(ChainLink("PersistentVolume", "(not bound)", "", None))
    return links


def _events(view: StoreView, row: ClaimRow, limit: int = 20) -> list[EventRow]:
    evs = [(PVC, row.name, e) for e in view.events_for(PVC, row.namespace, row.name)]
    if row.volume:
        evs += [
            ("PersistentVolume", row.volume, e)
            for e in view.events_for("PersistentVolume", "", row.volume)
        ]
    for c in row.consumers:
        evs += [
            ("Pod", c.pod, e)
            for e in view.events_for("Pod", c.namespace, c.pod)
            if e.get("reason") in _POD_EVENT_REASONS
        ]
    evs.sort(key=lambda t: event_time(t[2]), reverse=True)
    return [
        EventRow(
            time=event_time(e),
            type=str(e.get("type") or ""),
            reason=str(e.get("reason") or ""),
            object=f"{kind}/{obj}",
            message=clean(e.get("message") or "", single_line=True),
            count=int(e.get("count") or (e.get("series") or {}).get("count") or 1),
        )
        for kind, obj, e in evs[:limit]
    ]
