"""Storage builders for the demo scenarios: StorageClasses, CSIDrivers, claims and volumes.

A bound claim creates its PersistentVolume (named `pvc-<claim uid>` like the external
provisioner does) with claimRef, reclaim policy and zone affinity taken from the class and
the node the consumer runs on.
"""

from __future__ import annotations

from demo_kit import Cluster, Node, Obj, attach_volume, hexid, metadata, ts

EBS = "ebs.csi.aws.com"
EFS = "efs.csi.aws.com"
IN_TREE_EBS = "kubernetes.io/aws-ebs"


def storageclass(
    cl: Cluster,
    name: str,
    provisioner: str,
    *,
    parameters: dict[str, str] | None = None,
    reclaim: str = "Delete",
    binding: str = "WaitForFirstConsumer",
    default: bool = False,
    expansion: bool | None = None,
) -> Obj:
    ann = {"storageclass.kubernetes.io/is-default-class": "true"} if default else None
    sc: Obj = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": metadata(cl, "StorageClass", name, annotations=ann, age=60 * 24 * 150),
        "provisioner": provisioner,
    }
    if parameters:
        sc["parameters"] = dict(parameters)
    sc["reclaimPolicy"] = reclaim
    sc["volumeBindingMode"] = binding
    if expansion is not None:
        sc["allowVolumeExpansion"] = expansion
    cl.classes[name] = sc
    return cl.add(sc)


def csidriver(
    cl: Cluster, name: str, *, attach_required: bool, fs_group: str = "ReadWriteOnceWithFSType"
) -> Obj:
    return cl.add(
        {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "CSIDriver",
            "metadata": metadata(
                cl,
                "CSIDriver",
                name,
                age=60 * 24 * 150,
                labels={"app.kubernetes.io/name": name.split(".")[0] + "-csi-driver"},
            ),
            "spec": {
                "attachRequired": attach_required,
                "fsGroupPolicy": fs_group,
                "podInfoOnMount": False,
                "requiresRepublish": False,
                "seLinuxMount": False,
                "storageCapacity": False,
                "volumeLifecycleModes": ["Persistent"],
            },
        }
    )


def volume_handle(cl: Cluster, driver: str, claim_key: str) -> str:
    if driver == EFS:
        return f"fs-0{hexid(cl.name, 'efs', n=16)}::fsap-0{hexid(claim_key, n=16)}"
    return f"vol-0{hexid(cl.name, claim_key, n=16)}"


def pvc(
    cl: Cluster,
    ns: str,
    name: str,
    *,
    sc: str | None,
    size: str,
    modes: list[str],
    node_: Node | None = None,
    bound: bool = True,
    volume_name: str | None = None,
    labels: dict[str, str] | None = None,
    age: float = 60 * 24 * 12,
) -> tuple[Obj, Obj | None]:
    """A claim; when `bound`, also its PV. `volume_name` binds to a pre-provisioned PV."""
    cls = cl.classes.get(sc or "")
    provisioner = (cls or {}).get("provisioner", "")
    csi = EBS if provisioner == IN_TREE_EBS else provisioner
    ann: dict[str, str] = {}
    if bound:
        ann["pv.kubernetes.io/bind-completed"] = "yes"
        if not volume_name:
            ann["pv.kubernetes.io/bound-by-controller"] = "yes"
    if provisioner == IN_TREE_EBS and not volume_name:
        ann["pv.kubernetes.io/migrated-to"] = EBS
    if csi and not volume_name:
        ann["volume.beta.kubernetes.io/storage-provisioner"] = csi
        ann["volume.kubernetes.io/storage-provisioner"] = csi
    if node_ is not None and cls and cls.get("volumeBindingMode") == "WaitForFirstConsumer":
        ann["volume.kubernetes.io/selected-node"] = node_.name
    meta = metadata(
        cl, "PersistentVolumeClaim", name, ns, labels=labels, annotations=ann or None, age=age
    )
    meta["finalizers"] = ["kubernetes.io/pvc-protection"]
    pv_name = volume_name or f"pvc-{meta['uid']}"
    spec: Obj = {"accessModes": list(modes), "resources": {"requests": {"storage": size}}}
    if sc is not None:
        spec["storageClassName"] = sc
    spec["volumeMode"] = "Filesystem"
    if bound:
        spec["volumeName"] = pv_name
    claim: Obj = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": meta,
        "spec": spec,
    }
    if bound:
        claim["status"] = {
            "accessModes": list(modes),
            "capacity": {"storage": size},
            "phase": "Bound",
        }
    else:
        claim["status"] = {"phase": "Pending"}
    cl.add(claim)
    if not bound or volume_name:
        return claim, None
    volume = pv(
        cl,
        pv_name,
        sc=sc or "",
        size=size,
        modes=modes,
        claim=claim,
        provisioner=provisioner,
        zone=node_.zone if node_ else "eu-west-1a",
        age=age,
    )
    return claim, volume


def pv(
    cl: Cluster,
    name: str,
    *,
    sc: str,
    size: str,
    modes: list[str],
    claim: Obj | None = None,
    claim_ref: Obj | None = None,
    provisioner: str = "",
    zone: str = "eu-west-1a",
    phase: str = "Bound",
    reclaim: str | None = None,
    source: Obj | None = None,
    age: float = 60 * 24 * 12,
) -> Obj:
    """A PersistentVolume. Dynamic ones get the provisioner's annotations and source."""
    cls = cl.classes.get(sc) or {}
    reclaim = reclaim or cls.get("reclaimPolicy", "Delete")
    ann: dict[str, str] = {}
    if provisioner:
        ann["pv.kubernetes.io/provisioned-by"] = provisioner
    if provisioner == IN_TREE_EBS:
        ann["pv.kubernetes.io/migrated-to"] = EBS
    if provisioner in (EBS, EFS):
        ann["volume.kubernetes.io/provisioner-deletion-secret-name"] = ""
        ann["volume.kubernetes.io/provisioner-deletion-secret-namespace"] = ""
    meta = metadata(cl, "PersistentVolume", name, annotations=ann or None, age=age)
    meta["finalizers"] = ["kubernetes.io/pv-protection"]
    if claim is not None:
        cm = claim["metadata"]
        claim_ref = {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "name": cm["name"],
            "namespace": cm["namespace"],
            "resourceVersion": cm["resourceVersion"],
            "uid": cm["uid"],
        }
    spec: Obj = {"accessModes": list(modes), "capacity": {"storage": size}}
    if claim_ref:
        spec["claimRef"] = claim_ref
    handle = volume_handle(cl, EFS if provisioner == EFS else EBS, name)
    if source is not None:
        spec.update(source)
    elif provisioner == IN_TREE_EBS:
        spec["awsElasticBlockStore"] = {"fsType": "ext4", "volumeID": f"aws://{zone}/{handle}"}
    elif provisioner == EFS:
        spec["csi"] = {"driver": EFS, "volumeHandle": handle}
    else:
        spec["csi"] = {
            "driver": EBS,
            "fsType": "ext4",
            "volumeAttributes": {
                "storage.kubernetes.io/csiProvisionerIdentity": "1763200000000-7153-ebs.csi.aws.com"
            },
            "volumeHandle": handle,
        }
    if provisioner in (EBS, IN_TREE_EBS):
        spec["nodeAffinity"] = {
            "required": {
                "nodeSelectorTerms": [
                    {
                        "matchExpressions": [
                            {
                                "key": "topology.kubernetes.io/zone",
                                "operator": "In",
                                "values": [zone],
                            }
                        ]
                    }
                ]
            }
        }
    spec["persistentVolumeReclaimPolicy"] = reclaim
    spec["storageClassName"] = sc
    spec["volumeMode"] = "Filesystem"
    return cl.add(
        {
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": meta,
            "spec": spec,
            "status": {"lastPhaseTransitionTime": ts(age - 0.2), "phase": phase},
        }
    )


def ebs_handle(volume: Obj) -> str:
    spec = volume["spec"]
    if "csi" in spec:
        return spec["csi"]["volumeHandle"]
    return spec["awsElasticBlockStore"]["volumeID"].rsplit("/", 1)[-1]


def derive_attachments(cl: Cluster) -> None:
    """Node.status.volumesAttached/volumesInUse for EBS volumes of running pods, as the
    attach/detach controller and kubelet report them (EFS needs no attach)."""
    claims = {
        (o["metadata"]["namespace"], o["metadata"]["name"]): o
        for o in cl.objects
        if o["kind"] == "PersistentVolumeClaim" and o["status"]["phase"] == "Bound"
    }
    volumes = {o["metadata"]["name"]: o for o in cl.objects if o["kind"] == "PersistentVolume"}
    nodes = {n.name: n for n in cl.nodes}
    done: set[tuple[str, str]] = set()
    for p in [o for o in cl.objects if o["kind"] == "Pod"]:
        if p["status"]["phase"] != "Running":
            continue
        for vol in p["spec"]["volumes"]:
            src = vol.get("persistentVolumeClaim")
            claim = src and claims.get((p["metadata"]["namespace"], src["claimName"]))
            volume = claim and volumes.get(claim["spec"]["volumeName"])
            if not volume or (volume["spec"].get("csi") or {}).get("driver") == EFS:
                continue
            key = (p["spec"]["nodeName"], volume["metadata"]["name"])
            if key not in done:
                done.add(key)
                attach_volume(cl, nodes[key[0]], key[1], ebs_handle(volume))
