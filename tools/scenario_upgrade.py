"""The diff pair, before-upgrade -> after-upgrade: the healthy platform, then the same cluster
after a Helm upgrade that broke three things (`mlview diff --demo` shows them):

- the ml-serving chart dropped the ingress-nginx read-timeout annotation of ml-api-ingress
  (120 s -> the 60 s default, below the translation model's 90 s: 504s);
- it added a default-deny ingress policy, and its allow-ingress-nginx policy now names the
  namespace `ingress` (a values change) instead of `ingress-nginx`: the controller is cut off;
- the ml-training chart recreated checkpoint-pvc on a new class, gp3-immediate, without
  WaitForFirstConsumer: its volume was made in another zone than the node of the pod using it.

And what a diff must summarise or ignore: a rollout of embedding-model (new image, both pods
replaced: one line), every resourceVersion moved, node heartbeats ticked, and kubectl's
last-applied-configuration annotation rewritten on a Service.
"""

from __future__ import annotations

import json

from demo_kit import Cluster, Obj, suffix, ts
from demo_net import netpol
from demo_storage import EBS, pvc, storageclass
from scenario_platform import ml_platform

SERVING, TRAINING = "ml-serving", "ml-training"
ROLLED = "embedding-model"
NEW_IMAGE = "seldonio/mlserver:1.6.2"


def before_upgrade() -> Cluster:
    """The healthy platform (ml-platform's objects)."""
    return ml_platform()


def after_upgrade() -> Cluster:
    cl = ml_platform()
    _drop_read_timeout(cl)
    _lock_down_serving(cl)
    _recreate_checkpoint_claim(cl)
    _roll_out(cl, SERVING, ROLLED, NEW_IMAGE)
    _noise(cl)
    return cl


def _drop_read_timeout(cl: Cluster) -> None:
    ing = cl.find("Ingress", SERVING, "ml-api-ingress")
    ing["metadata"]["annotations"].pop("nginx.ingress.kubernetes.io/proxy-read-timeout")
    ing["metadata"]["generation"] = 2


def _lock_down_serving(cl: Cluster) -> None:
    netpol(
        cl,
        SERVING,
        "default-deny-ingress",
        {"podSelector": {}, "policyTypes": ["Ingress"]},
        age=25,
    )
    pol = cl.find("NetworkPolicy", SERVING, "allow-ingress-nginx")
    for rule in pol["spec"]["ingress"]:
        for peer in rule["from"]:
            peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] = "ingress"


def _recreate_checkpoint_claim(cl: Cluster) -> None:
    old = cl.find("PersistentVolumeClaim", TRAINING, "checkpoint-pvc")
    volume = cl.find("PersistentVolume", None, old["spec"]["volumeName"])
    cl.objects = [o for o in cl.objects if o is not old and o is not volume]
    storageclass(cl, "gp3-immediate", EBS, parameters={"type": "gp3"}, binding="Immediate")
    # Immediate binding: the volume is made before any pod needs it, in a zone of the
    # provisioner's choosing (not the zone of the node training-pod runs on).
    pod = cl.find("Pod", TRAINING, "training-pod")
    node_zone = next(n.zone for n in cl.nodes if n.name == pod["spec"]["nodeName"])
    elsewhere = next(n for n in cl.nodes if n.zone != node_zone and n.pool == "cpu")
    _pin_to_zone(pod, node_zone)
    claim, fresh = pvc(
        cl,
        TRAINING,
        "checkpoint-pvc",
        sc="gp3-immediate",
        size="100Gi",
        modes=["ReadWriteOnce"],
        node_=elsewhere,
        age=25,
    )
    # A new object: a new uid, so a new volume name (pvc-<uid>).
    assert fresh is not None
    uid = cl.uid("PersistentVolumeClaim", TRAINING, "checkpoint-pvc#recreated")
    claim["metadata"]["uid"] = uid
    claim["spec"]["volumeName"] = fresh["metadata"]["name"] = f"pvc-{uid}"
    fresh["metadata"]["uid"] = cl.uid("PersistentVolume", None, f"pvc-{uid}")
    fresh["spec"]["claimRef"]["uid"] = uid


def _pin_to_zone(pod: Obj, zone: str) -> None:
    """The chart recreated training-pod too, pinned to the zone of its dataset: it cannot be
    scheduled where its new volume is (the scheduler's words in its condition)."""
    spec = pod["spec"]
    del spec["nodeName"]
    spec["nodeSelector"] = {"topology.kubernetes.io/zone": zone}
    pod["metadata"]["creationTimestamp"] = ts(24)
    pod["status"] = {
        "conditions": [
            {
                "lastProbeTime": None,
                "lastTransitionTime": ts(24),
                "message": "0/7 nodes are available: 3 node(s) didn't match Pod's node "
                "affinity/selector, 4 node(s) had volume node affinity conflict. preemption: "
                "0/7 nodes are available: 7 Preemption is not helpful for scheduling.",
                "reason": "Unschedulable",
                "status": "False",
                "type": "PodScheduled",
            }
        ],
        "phase": "Pending",
        "qosClass": pod["status"].get("qosClass", "BestEffort"),
    }


def _roll_out(cl: Cluster, ns: str, name: str, image: str) -> None:
    """A finished rollout: the Deployment's template has the new image, its ReplicaSet and
    pods carry the new pod-template-hash (new names, new IPs)."""
    dep = cl.find("Deployment", ns, name)
    new_hash = suffix(cl.name, ns, name, "rs", "upgrade", n=10)
    for c in dep["spec"]["template"]["spec"]["containers"]:
        c["image"] = image
    dep["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = "4"
    dep["metadata"]["generation"] = 2
    rs = next(
        o
        for o in cl.objects
        if o["kind"] == "ReplicaSet"
        and o["metadata"].get("namespace") == ns
        and o["metadata"]["ownerReferences"][0]["name"] == name
    )
    old_rs_name = rs["metadata"]["name"]
    rs_name = f"{name}-{new_hash}"
    _rehash(cl, rs, "ReplicaSet", ns, rs_name, new_hash, image)
    rs["metadata"]["creationTimestamp"] = ts(20)
    rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = "4"
    rs["spec"]["selector"]["matchLabels"]["pod-template-hash"] = new_hash
    tmpl = rs["spec"]["template"]
    tmpl["metadata"]["labels"]["pod-template-hash"] = new_hash
    for c in tmpl["spec"]["containers"]:
        c["image"] = image
    pods = [
        o
        for o in cl.objects
        if o["kind"] == "Pod"
        and o["metadata"].get("namespace") == ns
        and o["metadata"]["ownerReferences"][0]["name"] == old_rs_name
    ]
    for i, pod in enumerate(pods):
        pod_name = f"{rs_name}-{suffix(cl.name, ns, name, 'upgrade', i)}"
        _rehash(cl, pod, "Pod", ns, pod_name, new_hash, image)
        pod["metadata"]["creationTimestamp"] = ts(19 - i)
        ref = pod["metadata"]["ownerReferences"][0]
        ref["name"], ref["uid"] = rs_name, rs["metadata"]["uid"]
        node = next(n for n in cl.nodes if n.name == pod["spec"]["nodeName"])
        ip = cl.pod_ip(node)
        pod["status"]["podIP"] = ip
        pod["status"]["podIPs"] = [{"ip": ip}]
        for st in pod["status"].get("containerStatuses") or []:
            st["image"] = image


def _rehash(cl: Cluster, obj: Obj, kind: str, ns: str, name: str, hash_: str, image: str) -> None:
    obj["metadata"]["name"] = name
    obj["metadata"]["uid"] = cl.uid(kind, ns, name)
    obj["metadata"]["labels"]["pod-template-hash"] = hash_
    for c in (obj.get("spec") or {}).get("containers") or []:
        c["image"] = image


def _noise(cl: Cluster) -> None:
    """What changes between two recordings of an unchanged cluster: resourceVersions, node
    heartbeats, and an apply tool rewriting its own annotation."""
    for obj in cl.objects:
        obj["metadata"]["resourceVersion"] = cl.rv()
    for obj in cl.objects:
        if obj["kind"] == "Node":
            for cond in obj["status"]["conditions"]:
                cond["lastHeartbeatTime"] = ts(0.2)
    svc = cl.find("Service", SERVING, "sentiment-model-svc")
    applied = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "sentiment-model-svc"}}
    svc["metadata"].setdefault("annotations", {})[
        "kubectl.kubernetes.io/last-applied-configuration"
    ] = json.dumps(applied, sort_keys=True) + "\n"
