"""Storage row types and Kubernetes quantities (the data the storage pane shows)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from mlview.analysis.storage import provisioners as prov

Obj = Mapping[str, Any]
DEFAULT_ANN = "storageclass.kubernetes.io/is-default-class"
DEFAULT_ANN_BETA = "storageclass.beta.kubernetes.io/is-default-class"
CLASS_ANN_BETA = "volume.beta.kubernetes.io/storage-class"  # legacy claim/PV class annotation
TERMINAL = ("Succeeded", "Failed")  # pods in these phases hold no attachment

# ---------------------------------------------------------------- quantities

_QTY = re.compile(
    r"^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$"
)
_MULT: dict[str, int | Decimal] = {
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
    "Pi": 2**50,
    "Ei": 2**60,
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "k": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "P": 10**15,
    "E": 10**18,
}


def parse_quantity(text: Any) -> Decimal | None:
    """A Kubernetes quantity ("500Gi", "1.5T", "1e9") as a number; None when malformed."""
    m = _QTY.match(str(text).strip()) if text not in (None, "") else None
    if not m:
        return None
    try:
        value = Decimal(m.group(1))
        if m.group(2):
            value *= Decimal(10) ** int(m.group(2)[1:])
        elif m.group(3):
            value *= Decimal(_MULT[m.group(3)])
    except (InvalidOperation, ValueError):
        return None
    return value


# ---------------------------------------------------------------- row types


@dataclass(frozen=True)
class Mount:
    container: str
    path: str
    read_only: bool


@dataclass(frozen=True)
class Consumer:
    """A pod that uses a claim, through one of its volumes."""

    namespace: str
    pod: str
    node: str  # "" while unscheduled
    phase: str
    volume: str  # the pod's volume name
    via: str  # "claim" | "ephemeral" | "statefulset"
    mounts: tuple[Mount, ...]
    virtual: str = ""  # the workload that would create this pod (shared/virtual_pods.py)

    @property
    def active(self) -> bool:
        return self.phase not in TERMINAL

    @property
    def read_only(self) -> bool:
        return bool(self.mounts) and all(m.read_only for m in self.mounts)


@dataclass(frozen=True)
class ClaimRow:
    namespace: str
    name: str
    phase: str  # "" when the object has no status (a manifest)
    requested: str
    capacity: str
    access_modes: tuple[str, ...]  # full names, e.g. "ReadWriteOnce"
    volume_mode: str
    storage_class: str  # resolved class name; "" for static binding
    class_source: str  # named | annotation | default | static | none (no class, no default)
    class_exists: bool | None  # None: StorageClasses not listed, or no class involved
    provisioner: str
    binding_mode: str
    reclaim_policy: str  # effective: the bound PV's, else the class's
    reclaim_from: str  # "pv" | "class" | ""
    volume: str  # bound PV name
    consumers: tuple[Consumer, ...] = ()
    # "pv" when the bound PV's own source (CSI driver, in-tree type) differs from the class's
    # provisioner: the PV decides what the volume can do, the class only mattered for
    # dynamic provisioning (a static EFS PV bound through an EBS class).
    provisioner_from: str = "class"

    @property
    def modes_short(self) -> str:
        return ",".join(prov.SHORT.get(m, m) for m in self.access_modes)

    @property
    def active_consumers(self) -> tuple[Consumer, ...]:
        return tuple(c for c in self.consumers if c.active)


@dataclass(frozen=True)
class PVRow:
    name: str
    phase: str
    claim: str  # "ns/name" from claimRef, or ""
    reclaim_policy: str
    capacity: str
    access_modes: tuple[str, ...]
    storage_class: str
    volume_mode: str
    source: str  # csi driver, or the volume source type (hostPath, nfs, local, ...)


@dataclass(frozen=True)
class ClassRow:
    name: str
    provisioner: str
    reclaim_policy: str
    binding_mode: str
    is_default: bool
    allow_expansion: bool
    parameters: tuple[tuple[str, str], ...]
    claims: int = 0
