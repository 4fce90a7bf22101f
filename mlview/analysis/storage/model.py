"""Storage rows: claims, volumes and classes joined once per view (see storage.py for the API).

Every join is a dict lookup built in one pass (pods by claim, PVs by claimRef, classes by name),
memoised on the StoreView, so the analysis stays linear in the number of objects.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from mlview import selectors
from mlview.analysis.shared.objects import annotations as annotations_of
from mlview.analysis.shared.objects import labels, meta, name, namespace, pod_phase, virtual_of
from mlview.analysis.storage import provisioners as prov
from mlview.analysis.storage.types import (
    CLASS_ANN_BETA,
    DEFAULT_ANN,
    DEFAULT_ANN_BETA,
    TERMINAL,
    ClaimRow,
    ClassRow,
    Consumer,
    Mount,
    PVRow,
    parse_quantity,
)
from mlview.store import StoreView

Obj = Mapping[str, Any]
__all__ = [
    "TERMINAL",
    "ClaimRow",
    "ClassRow",
    "Consumer",
    "Mount",
    "PVRow",
    "parse_quantity",
]


# ---------------------------------------------------------------- the index


@dataclass
class Index:
    classes: dict[str, Obj] = field(default_factory=dict)
    defaults: list[Obj] = field(default_factory=list)  # default classes, the one used first
    pvs: dict[str, Obj] = field(default_factory=dict)
    pv_by_claim: dict[tuple[str, str], Obj] = field(default_factory=dict)
    free_pvs: dict[str, list[Obj]] = field(default_factory=dict)  # unclaimed PVs by class
    consumers: dict[tuple[str, str], list[Consumer]] = field(default_factory=dict)
    pod_claims: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    csidrivers: set[str] = field(default_factory=set)
    local_path_shared: bool | None = None

    @property
    def default_class(self) -> Obj | None:
        return self.defaults[0] if self.defaults else None


def is_default_class(sc: Obj) -> bool:
    ann = annotations_of(sc)
    return str(ann.get(DEFAULT_ANN, ann.get(DEFAULT_ANN_BETA, ""))).lower() == "true"


def pv_class(pv: Obj) -> str:
    ann = annotations_of(pv).get(CLASS_ANN_BETA)
    return str(ann if ann is not None else (pv.get("spec") or {}).get("storageClassName") or "")


def index(view: StoreView) -> Index:
    """The joins every storage question needs, built once per view."""
    return view.memo("storage.index", lambda: _build_index(view))


def _build_index(view: StoreView) -> Index:
    idx = Index()
    for sc in view.list("StorageClass"):
        idx.classes[name(sc)] = sc
    # Kubernetes (1.26+) gives class-less claims the most recently created default class,
    # breaking ties by name: sort newest first, then by name.
    defaults = sorted((c for c in idx.classes.values() if is_default_class(c)), key=name)
    defaults.sort(key=lambda c: meta(c).get("creationTimestamp") or "", reverse=True)
    idx.defaults = defaults
    for pv in view.list("PersistentVolume"):
        idx.pvs[name(pv)] = pv
        ref = (pv.get("spec") or {}).get("claimRef") or {}
        if ref.get("name"):
            idx.pv_by_claim[(ref.get("namespace") or "", ref["name"])] = pv
        elif ((pv.get("status") or {}).get("phase") or "Available") == "Available":
            idx.free_pvs.setdefault(pv_class(pv), []).append(pv)
    idx.csidrivers = {name(d) for d in view.list("CSIDriver")}
    idx.local_path_shared = _local_path_shared(view)
    _index_pods(view, idx)
    return idx


def _local_path_shared(view: StoreView) -> bool | None:
    for cm in view.list("ConfigMap"):
        if name(cm) != "local-path-config":
            continue
        try:
            cfg = json.loads((cm.get("data") or {}).get("config.json") or "{}")
        except (ValueError, TypeError):
            return None
        return isinstance(cfg, dict) and bool(cfg.get("sharedFileSystemPath"))
    return None


def _index_pods(view: StoreView, idx: Index) -> None:
    sts_templates: dict[tuple[str, str], list[str]] = {}
    for pod in view.list("Pod"):
        ns, pname = namespace(pod), name(pod)
        spec = pod.get("spec") or {}
        mounts: dict[str, list[Mount]] = {}
        for c in spec.get("containers") or []:
            for vm in c.get("volumeMounts") or []:
                mounts.setdefault(vm.get("name") or "", []).append(
                    Mount(c.get("name") or "", vm.get("mountPath") or "", bool(vm.get("readOnly")))
                )
            for vd in c.get("volumeDevices") or []:
                mounts.setdefault(vd.get("name") or "", []).append(
                    Mount(c.get("name") or "", vd.get("devicePath") or "", False)
                )
        uses: list[tuple[str, str, str, bool]] = []  # (claim, volume, via, volume readOnly)
        seen_vols = set()
        for vol in spec.get("volumes") or []:
            vname = vol.get("name") or ""
            seen_vols.add(vname)
            if vol.get("persistentVolumeClaim"):
                src = vol["persistentVolumeClaim"]
                uses.append((src.get("claimName") or "", vname, "claim", bool(src.get("readOnly"))))
            elif (vol.get("ephemeral") or {}).get("volumeClaimTemplate") is not None:
                uses.append((f"{pname}-{vname}", vname, "ephemeral", False))
        # A StatefulSet's pods use claims "<template>-<pod>"; the pod spec normally carries them,
        # but hand-written snapshots may not: add any template the pod spec lacks.
        for owner in meta(pod).get("ownerReferences") or []:
            if owner.get("kind") != "StatefulSet":
                continue
            key = (ns, owner.get("name") or "")
            if key not in sts_templates:
                sts = view.get("StatefulSet", *key)
                tpls = ((sts or {}).get("spec") or {}).get("volumeClaimTemplates") or []
                sts_templates[key] = [name(t) for t in tpls if name(t)]
            for tname in sts_templates[key]:
                if tname not in seen_vols:
                    uses.append((f"{tname}-{pname}", tname, "statefulset", False))
        node = spec.get("nodeName") or ""
        phase = pod_phase(pod)
        for claim, vname, via, vol_ro in uses:
            ms = tuple(
                Mount(m.container, m.path, m.read_only or vol_ro) for m in mounts.get(vname, [])
            )
            cons = Consumer(ns, pname, node, phase, vname, via, ms, virtual_of(pod))
            idx.consumers.setdefault((ns, claim), []).append(cons)
            idx.pod_claims.setdefault((ns, pname), []).append((claim, via))


# ---------------------------------------------------------------- rows


def resolve_class(idx: Index, pvc: Obj) -> tuple[str, str]:
    """(class name, how it was chosen) as the PV controller would see the claim."""
    ann = annotations_of(pvc).get(CLASS_ANN_BETA)
    if ann is not None:  # the legacy annotation wins over the field, as in Kubernetes
        return str(ann), "annotation" if ann else "static"
    sc = (pvc.get("spec") or {}).get("storageClassName")
    if sc is None:
        default = idx.default_class
        return (name(default), "default") if default is not None else ("", "none")
    return (str(sc), "named") if sc else ("", "static")


def bound_pv(idx: Index, pvc: Obj) -> Obj | None:
    vol = (pvc.get("spec") or {}).get("volumeName")
    if vol:
        return idx.pvs.get(vol)
    pv = idx.pv_by_claim.get((namespace(pvc), name(pvc)))
    phase = ((pv or {}).get("status") or {}).get("phase")
    return pv if pv is not None and phase in ("Bound", None) else None


def claim_row(view: StoreView, idx: Index, pvc: Obj) -> ClaimRow:
    spec, status = pvc.get("spec") or {}, pvc.get("status") or {}
    sc_name, source = resolve_class(idx, pvc)
    sc = idx.classes.get(sc_name) if sc_name else None
    exists = (sc is not None) if sc_name and view.has_listed("StorageClass") else None
    pv = bound_pv(idx, pvc)
    pv_spec = (pv or {}).get("spec") or {}
    if pv_spec.get("persistentVolumeReclaimPolicy"):
        reclaim, reclaim_from = pv_spec["persistentVolumeReclaimPolicy"], "pv"
    elif sc is not None:
        reclaim, reclaim_from = sc.get("reclaimPolicy") or "Delete", "class"
    else:
        reclaim, reclaim_from = "", ""
    provisioner, provisioner_from = _provisioner(sc, pv)
    return ClaimRow(
        namespace=namespace(pvc),
        name=name(pvc),
        phase=str(status.get("phase") or ""),
        requested=str(((spec.get("resources") or {}).get("requests") or {}).get("storage") or ""),
        capacity=str((status.get("capacity") or {}).get("storage") or ""),
        access_modes=tuple(spec.get("accessModes") or ()),
        volume_mode=spec.get("volumeMode") or "Filesystem",
        storage_class=sc_name,
        class_source=source,
        class_exists=exists,
        provisioner=str(provisioner),
        binding_mode=(sc.get("volumeBindingMode") or "Immediate") if sc is not None else "",
        reclaim_policy=str(reclaim),
        reclaim_from=reclaim_from,
        volume=name(pv) if pv is not None else str(spec.get("volumeName") or ""),
        consumers=tuple(idx.consumers.get((namespace(pvc), name(pvc)), ())),
        provisioner_from=provisioner_from,
    )


# In-tree volume source types and the provisioner name that creates them.
_IN_TREE_TYPES = {
    "awsElasticBlockStore": "kubernetes.io/aws-ebs",
    "gcePersistentDisk": "kubernetes.io/gce-pd",
    "azureDisk": "kubernetes.io/azure-disk",
    "azureFile": "kubernetes.io/azure-file",
    "cinder": "kubernetes.io/cinder",
    "vsphereVolume": "kubernetes.io/vsphere-volume",
    "portworxVolume": "kubernetes.io/portworx-volume",
    "rbd": "kubernetes.io/rbd",
}


def pv_provisioner(pv: Obj) -> str:
    """What serves a PV: its CSI driver, the in-tree provisioner of its type, else its type."""
    source = pv_source(pv)
    return _IN_TREE_TYPES.get(source, source)


def _provisioner(sc: Obj | None, pv: Obj | None) -> tuple[str, str]:
    """The provisioner shown for a claim, and where it comes from ("class" or "pv").

    The class's name is kept while the bound PV agrees with it (an in-tree name served by its
    migrated CSI driver agrees); a PV from another source wins, since it is what the pods get.
    """
    csi_driver = str((((pv or {}).get("spec") or {}).get("csi") or {}).get("driver") or "")
    from_class = str((sc or {}).get("provisioner") or "")
    if not from_class:
        return csi_driver, "class"  # no class: only a CSI driver names a provisioner
    from_pv = pv_provisioner(pv) if pv is not None else ""
    if not from_pv or from_pv == "csi" or from_class == prov.NO_PROVISIONER:
        return from_class, "class"  # nothing to compare, or a class of hand-made PVs
    if prov.driver_name(from_class) == prov.driver_name(from_pv):
        return from_class, "class"
    return from_pv, "pv"


def claim_rows(view: StoreView) -> list[ClaimRow]:
    """One row per PersistentVolumeClaim, sorted by namespace and name."""

    def build() -> list[ClaimRow]:
        idx = index(view)
        rows = [claim_row(view, idx, pvc) for pvc in view.list("PersistentVolumeClaim")]
        return sorted(rows, key=lambda r: (r.namespace, r.name))

    return view.memo("storage.claim_rows", build)


def pv_source(pv: Obj) -> str:
    spec = pv.get("spec") or {}
    if spec.get("csi"):
        return str(spec["csi"].get("driver") or "csi")
    skip = {
        "capacity",
        "accessModes",
        "claimRef",
        "persistentVolumeReclaimPolicy",
        "storageClassName",
        "mountOptions",
        "volumeMode",
        "nodeAffinity",
        "volumeAttributesClassName",
    }
    return next((k for k in spec if k not in skip), "")


def pv_rows(view: StoreView) -> list[PVRow]:
    def build() -> list[PVRow]:
        rows = []
        for pv in view.list("PersistentVolume"):
            spec = pv.get("spec") or {}
            ref = spec.get("claimRef") or {}
            claim = f"{ref.get('namespace') or ''}/{ref['name']}" if ref.get("name") else ""
            rows.append(
                PVRow(
                    name=name(pv),
                    phase=str((pv.get("status") or {}).get("phase") or ""),
                    claim=claim,
                    reclaim_policy=str(spec.get("persistentVolumeReclaimPolicy") or ""),
                    capacity=str((spec.get("capacity") or {}).get("storage") or ""),
                    access_modes=tuple(spec.get("accessModes") or ()),
                    storage_class=pv_class(pv),
                    volume_mode=spec.get("volumeMode") or "Filesystem",
                    source=pv_source(pv),
                )
            )
        return sorted(rows, key=lambda r: r.name)

    return view.memo("storage.pv_rows", build)


def class_rows(view: StoreView) -> list[ClassRow]:
    def build() -> list[ClassRow]:
        counts: dict[str, int] = {}
        for row in claim_rows(view):
            counts[row.storage_class] = counts.get(row.storage_class, 0) + 1
        rows = []
        for sc in view.list("StorageClass"):
            params = sc.get("parameters") or {}
            rows.append(
                ClassRow(
                    name=name(sc),
                    provisioner=str(sc.get("provisioner") or ""),
                    reclaim_policy=str(sc.get("reclaimPolicy") or "Delete"),
                    binding_mode=str(sc.get("volumeBindingMode") or "Immediate"),
                    is_default=is_default_class(sc),
                    allow_expansion=bool(sc.get("allowVolumeExpansion")),
                    parameters=tuple(sorted((str(k), str(v)) for k, v in params.items())),
                    claims=counts.get(name(sc), 0),
                )
            )
        return sorted(rows, key=lambda r: r.name)

    return view.memo("storage.class_rows", build)


def pv_matches(pv: Obj, row: ClaimRow, pvc: Obj) -> bool:
    """Could this PV bind the claim statically (class, size, modes, volumeMode, labels)?"""
    spec = pv.get("spec") or {}
    if pv_class(pv) != row.storage_class:
        return False
    if (spec.get("volumeMode") or "Filesystem") != row.volume_mode:
        return False
    if not set(row.access_modes) <= set(spec.get("accessModes") or ()):
        return False
    want = parse_quantity(row.requested) or Decimal(0)
    have = parse_quantity((spec.get("capacity") or {}).get("storage"))
    if have is None or have < want:
        return False
    sel = (pvc.get("spec") or {}).get("selector")
    if sel is not None:
        try:
            return selectors.matches(sel, labels(pv))
        except selectors.SelectorError:
            return False
    return True
