"""What each known provisioner can provide: access modes, CSI or not, in-tree migration.

The table answers two questions the storage analysis asks of a StorageClass:
  * can its provisioner give the access modes a claim requests (`mode_verdict`)?
  * which CSIDriver object must exist for it to work (`driver_name`, `Provisioner.csi`)?

A provisioner not in the table gets no verdict (None), never a guess.

Facts and where they come from (each driver's own documentation or source):
  * AWS EBS (`ebs.csi.aws.com`, EKS Auto Mode `ebs.csi.eks.amazonaws.com`): single-node modes;
    multi-attach (ReadWriteMany) only for io2 volumes in Block mode.
    https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/multi-attach.md
    https://docs.aws.amazon.com/eks/latest/userguide/create-storage-class.html (Auto Mode)
  * GCE PD (`pd.csi.storage.gke.io`): the driver rejects MULTI_NODE_MULTI_WRITER with a mount
    (filesystem) access type and accepts MULTI_NODE_READER_ONLY (read-only multi-attach, for a
    disk pre-populated from a snapshot or clone).
    pkg/gce-pd-csi-driver/utils.go validateVolumeCapability, in
    https://github.com/kubernetes-sigs/gcp-compute-persistent-disk-csi-driver
  * Azure Disk (`disk.csi.azure.com`): every multi-node mode is rejected for mount volumes, and
    in Block mode needs `maxShares` >= 2 ("access mode ... is not supported for non-shared disk").
    pkg/azureutils/azure_disk_utils.go IsValidVolumeCapabilities, in
    https://github.com/kubernetes-sigs/azuredisk-csi-driver ; docs/shared-disk.md there.
  * AWS EFS (`efs.csi.aws.com`): SINGLE_NODE_WRITER and MULTI_NODE_MULTI_WRITER only (no ROX).
    pkg/driver/node.go volumeCaps, in https://github.com/kubernetes-sigs/aws-efs-csi-driver
  * Filestore (`filestore.csi.storage.gke.io`): RWO/ROX/RWX.
    https://cloud.google.com/filestore/docs/csi-driver
  * Azure Files (`file.csi.azure.com`): RWO/ROX/RWX.
    https://github.com/kubernetes-sigs/azurefile-csi-driver (docs/driver-parameters.md)
  * CephFS (`cephfs.csi.ceph.com`, Rook's `<ns>.cephfs.csi.ceph.com`): RWO/ROX/RWX; Ceph RBD
    (`rbd.csi.ceph.com`): multi-node modes only in Block mode.
    https://github.com/ceph/ceph-csi (docs/deploy-cephfs.md, docs/deploy-rbd.md)
  * NFS CSI (`nfs.csi.k8s.io`): RWO/ROX/RWX. https://github.com/kubernetes-csi/csi-driver-nfs
  * Longhorn (`driver.longhorn.io`): RWO, and RWX through its share-manager (NFS), no ROX.
    https://longhorn.io/docs/latest/nodes-and-volumes/volumes/rwx-volumes/
  * local-path (`rancher.io/local-path`): node-local, RWO/RWOP, unless its config.json sets a
    `sharedFileSystemPath` (then RWX/ROX too).
    https://github.com/rancher/local-path-provisioner (README, "Configuration")
  * ReadWriteOncePod: external-provisioner passes it as SINGLE_NODE_SINGLE_WRITER only to drivers
    that advertise SINGLE_NODE_MULTI_WRITER, else as SINGLE_NODE_WRITER, so every driver that
    provides RWO provides RWOP. https://github.com/kubernetes-csi/csi-lib-utils (accessmodes)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

RWO, ROX, RWX, RWOP = "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"
SHORT = {RWO: "RWO", ROX: "ROX", RWX: "RWX", RWOP: "RWOP"}
MULTI_NODE = frozenset({ROX, RWX})
_SINGLE = frozenset({RWO, RWOP})
_FILE = frozenset({RWO, ROX, RWX, RWOP})


@dataclass(frozen=True)
class Provisioner:
    name: str
    fs_modes: frozenset[str]  # modes for volumeMode Filesystem
    block_modes: frozenset[str]  # modes for volumeMode Block (empty: no block volumes)
    csi: bool  # served by a CSI driver (a CSIDriver object must exist)
    label: str  # what the storage is, for messages
    multi_hint: str = ""  # what to use instead when a multi-node mode is refused


_EBS_HINT = (
    "EBS volumes attach to one node: use ReadWriteOnce (one writer pod, or pods on one node), "
    "or an EFS class (efs.csi.aws.com) for ReadWriteMany."
)
_PD_HINT = (
    "use ReadWriteOnce, ReadOnlyMany on a disk cloned from a snapshot, or a Filestore class "
    "(filestore.csi.storage.gke.io) for ReadWriteMany."
)
_AZDISK_HINT = (
    "Azure Disks attach to one node for filesystem volumes: use ReadWriteOnce, or an Azure "
    "Files class (file.csi.azure.com) for ReadWriteMany/ReadOnlyMany."
)

_TABLE = [
    Provisioner("ebs.csi.aws.com", _SINGLE, _SINGLE | {RWX}, True, "AWS EBS", _EBS_HINT),
    Provisioner(
        "ebs.csi.eks.amazonaws.com",
        _SINGLE,
        _SINGLE | {RWX},
        True,
        "EBS (EKS Auto Mode)",
        _EBS_HINT,
    ),
    Provisioner(
        "pd.csi.storage.gke.io", _SINGLE | {ROX}, _FILE, True, "GCE Persistent Disk", _PD_HINT
    ),
    Provisioner("disk.csi.azure.com", _SINGLE, _FILE, True, "Azure Disk", _AZDISK_HINT),
    Provisioner(
        "efs.csi.aws.com",
        _SINGLE | {RWX},
        frozenset(),
        True,
        "AWS EFS",
        "EFS has no ReadOnlyMany: request ReadWriteMany and mount it readOnly in the pods.",
    ),
    Provisioner("filestore.csi.storage.gke.io", _FILE, frozenset(), True, "GCP Filestore"),
    Provisioner("file.csi.azure.com", _FILE, frozenset(), True, "Azure Files"),
    Provisioner("cephfs.csi.ceph.com", _FILE, frozenset(), True, "CephFS"),
    Provisioner(
        "rbd.csi.ceph.com",
        _SINGLE,
        _FILE,
        True,
        "Ceph RBD",
        "RBD images attach to one node for filesystem volumes: use ReadWriteOnce or a CephFS "
        "class (cephfs.csi.ceph.com) for shared access.",
    ),
    Provisioner("nfs.csi.k8s.io", _FILE, frozenset(), True, "NFS (csi-driver-nfs)"),
    Provisioner(
        "driver.longhorn.io",
        _SINGLE | {RWX},
        _SINGLE,
        True,
        "Longhorn",
        "Longhorn shares volumes as ReadWriteMany (via its NFS share-manager), not ReadOnlyMany.",
    ),
    Provisioner(
        "rancher.io/local-path",
        _SINGLE,
        _SINGLE,
        False,
        "local-path (node-local disk)",
        "local-path volumes live on one node: use ReadWriteOnce, or configure "
        "sharedFileSystemPath in its local-path-config ConfigMap.",
    ),
    Provisioner(
        "k8s-sigs.io/nfs-subdir-external-provisioner",
        _FILE,
        frozenset(),
        False,
        "NFS subdir provisioner",
    ),
]
PROVISIONERS: dict[str, Provisioner] = {p.name: p for p in _TABLE}

# Rook names its CSI drivers "<operator-namespace>.<driver>": match on the suffix.
_SUFFIXED = ("cephfs.csi.ceph.com", "rbd.csi.ceph.com")

# In-tree volume plugins and the CSI driver CSI migration hands them to. Those marked None were
# removed from Kubernetes without migration: their classes cannot provision at all.
# https://kubernetes.io/docs/concepts/storage/volumes/ and KEP-625 (CSI migration).
IN_TREE: dict[str, str | None] = {
    "kubernetes.io/aws-ebs": "ebs.csi.aws.com",
    "kubernetes.io/gce-pd": "pd.csi.storage.gke.io",
    "kubernetes.io/azure-disk": "disk.csi.azure.com",
    "kubernetes.io/azure-file": "file.csi.azure.com",
    "kubernetes.io/cinder": "cinder.csi.openstack.org",
    "kubernetes.io/vsphere-volume": "csi.vsphere.vmware.com",
    "kubernetes.io/portworx-volume": "pxd.portworx.com",
    "kubernetes.io/rbd": "rbd.csi.ceph.com",
    "kubernetes.io/glusterfs": None,
    "kubernetes.io/scaleio": None,
    "kubernetes.io/storageos": None,
    "kubernetes.io/quobyte": None,
}
NO_PROVISIONER = "kubernetes.io/no-provisioner"  # static local volumes: PVs made by hand


def driver_name(provisioner: str) -> str:
    """The CSI driver that actually serves a provisioner name (in-tree names are migrated)."""
    return IN_TREE.get(provisioner) or provisioner


def lookup(provisioner: str) -> Provisioner | None:
    name = driver_name(provisioner)
    if name in PROVISIONERS:
        return PROVISIONERS[name]
    for suffix in _SUFFIXED:
        if name.endswith("." + suffix):
            return PROVISIONERS[suffix]
    return None


def is_csi(provisioner: str) -> bool | None:
    """True for a CSI driver, False for an external or static provisioner, None if unknown."""
    if provisioner == NO_PROVISIONER:
        return False
    if provisioner in IN_TREE:
        return IN_TREE[provisioner] is not None
    entry = lookup(provisioner)
    if entry is not None:
        return entry.csi
    # CSI driver names are DNS names and nearly all carry "csi" in them; otherwise we cannot tell.
    return True if "csi" in provisioner.split(".") or ".csi." in provisioner else None


@dataclass(frozen=True)
class Verdict:
    ok: bool | None  # None: no verdict (unknown provisioner or configuration)
    refused: tuple[str, ...] = ()  # requested modes the provisioner cannot give
    reason: str = ""


def mode_verdict(
    provisioner: str,
    parameters: Mapping[str, str] | None,
    modes: list[str] | tuple[str, ...],
    volume_mode: str = "Filesystem",
    local_path_shared: bool | None = None,
) -> Verdict:
    """Can `provisioner` (with these StorageClass parameters) provide every mode in `modes`?

    `local_path_shared` says whether local-path's config sets sharedFileSystemPath (None: the
    ConfigMap was not seen).
    """
    entry = lookup(provisioner)
    if entry is None or not modes:
        return Verdict(None, reason=f"no table entry for provisioner {provisioner!r}")
    params = {str(k).lower(): str(v) for k, v in (parameters or {}).items()}
    block = volume_mode == "Block"
    allowed = set(entry.block_modes if block else entry.fs_modes)
    notes: list[str] = []
    if entry.name == "rancher.io/local-path" and set(modes) & MULTI_NODE:
        if local_path_shared is None:
            return Verdict(None, reason="local-path-config ConfigMap not seen")
        if local_path_shared:
            allowed |= {RWX, ROX}
    if entry.name in ("ebs.csi.aws.com", "ebs.csi.eks.amazonaws.com") and block:
        if params.get("type", "gp3").lower() != "io2":
            allowed.discard(RWX)
            notes.append("multi-attach needs an io2 volume type")
    if entry.name == "disk.csi.azure.com" and block:
        try:
            shares = int(params.get("maxshares", "1"))
        except ValueError:
            shares = 1
        if shares < 2:
            allowed -= MULTI_NODE
            notes.append("shared disks need maxShares >= 2")
    if block and not entry.block_modes:
        notes.append(f"{entry.label} has no Block volumes")
    refused = tuple(m for m in modes if m not in allowed)
    if not refused:
        return Verdict(True)
    kind = "Block" if block else "filesystem"
    gives = ", ".join(sorted(allowed, key=list(SHORT).index)) or "nothing"
    reason = f"{entry.label} provides {gives} for {kind} volumes"
    if notes:
        reason += " (" + "; ".join(notes) + ")"
    return Verdict(False, refused, reason)
