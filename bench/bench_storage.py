"""Storage analysis cost against snapshot load time, measured in the same run.

    python bench/bench_storage.py [--pods 10000] [--claims 3000] [--repeat 3]

Generates a cluster in memory (pods, claims, PVs, classes, CSIDrivers, events), writes it as a
YAML v1 List to a temp dir, times `snapshot.load` + building the store view, then times the
storage analysis (claim/PV/class rows and findings) on fresh views of the same store. Prints
both and the ratio analysis/load; exits 1 when the ratio is over the target (0.2).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mlview.analysis import storage  # noqa: E402
from mlview.sources import snapshot  # noqa: E402
from mlview.store import StoreView  # noqa: E402

TARGET = 0.2
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

CLASSES = [
    ("gp3", "ebs.csi.aws.com", "WaitForFirstConsumer", "Delete", True),
    ("io2", "ebs.csi.aws.com", "WaitForFirstConsumer", "Retain", False),
    ("efs", "efs.csi.aws.com", "Immediate", "Retain", False),
    ("gp2", "kubernetes.io/aws-ebs", "WaitForFirstConsumer", "Delete", False),
    ("fsx", "fsx.csi.aws.com", "Immediate", "Delete", False),  # driver not installed
]
MODES = ["ReadWriteOnce", "ReadWriteOnce", "ReadWriteOnce", "ReadWriteMany", "ReadOnlyMany"]


def generate(n_pods: int, n_claims: int, seed: int = 7) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    objs: list[dict[str, Any]] = []
    for name, prov, mode, reclaim, default in CLASSES:
        ann = {"storageclass.kubernetes.io/is-default-class": "true"} if default else {}
        objs.append(
            {
                "apiVersion": "storage.k8s.io/v1",
                "kind": "StorageClass",
                "metadata": {
                    "name": name,
                    "annotations": ann,
                    "creationTimestamp": "2026-01-01T00:00:00Z",
                },
                "provisioner": prov,
                "volumeBindingMode": mode,
                "reclaimPolicy": reclaim,
                "parameters": {"type": name},
            }
        )
    for drv in ("ebs.csi.aws.com", "efs.csi.aws.com"):
        objs.append(
            {"apiVersion": "storage.k8s.io/v1", "kind": "CSIDriver", "metadata": {"name": drv}}
        )
    namespaces = [f"team-{i:02d}" for i in range(30)]
    nodes = [f"ip-10-0-{i // 250}-{i % 250}.ec2.internal" for i in range(200)]
    claims = []
    for i in range(n_claims):
        ns = namespaces[i % len(namespaces)]
        cls = CLASSES[rnd.randrange(len(CLASSES))][0]
        if i % 50 == 0:
            cls = ""  # static binding
        mode = MODES[rnd.randrange(len(MODES))]
        phase = "Bound" if rnd.random() < 0.85 else "Pending"
        name = f"data-{i:05d}"
        spec: dict[str, Any] = {
            "accessModes": [mode],
            "storageClassName": cls,
            "resources": {"requests": {"storage": f"{rnd.choice([10, 50, 100, 500])}Gi"}},
        }
        status: dict[str, Any] = {"phase": phase}
        if phase == "Bound":
            pv_name = f"pvc-{i:08x}-0000-4000-8000-{i:012x}"
            spec["volumeName"] = pv_name
            status["capacity"] = {"storage": spec["resources"]["requests"]["storage"]}
            status["accessModes"] = [mode]
            objs.append(
                {
                    "apiVersion": "v1",
                    "kind": "PersistentVolume",
                    "metadata": {"name": pv_name},
                    "spec": {
                        "capacity": {"storage": spec["resources"]["requests"]["storage"]},
                        "accessModes": [mode],
                        "storageClassName": cls,
                        "persistentVolumeReclaimPolicy": rnd.choice(["Delete", "Retain"]),
                        "claimRef": {"namespace": ns, "name": name},
                        "csi": {"driver": "ebs.csi.aws.com", "volumeHandle": f"vol-{i:017x}"},
                    },
                    "status": {"phase": "Bound"},
                }
            )
        objs.append(
            {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": {"name": name, "namespace": ns},
                "spec": spec,
                "status": status,
            }
        )
        claims.append((ns, name))
        if phase == "Pending" and i % 3 == 0:
            objs.append(_event(ns, name, "ProvisioningFailed", f"failed to provision {name}"))
    for i in range(200):  # spare static PVs, some Released
        objs.append(
            {
                "apiVersion": "v1",
                "kind": "PersistentVolume",
                "metadata": {"name": f"static-{i}"},
                "spec": {
                    "capacity": {"storage": "100Gi"},
                    "accessModes": ["ReadWriteOnce"],
                    "storageClassName": "",
                    "persistentVolumeReclaimPolicy": "Retain",
                    "nfs": {"server": "10.0.0.5", "path": f"/exports/{i}"},
                },
                "status": {"phase": "Released" if i % 10 == 0 else "Available"},
            }
        )
    for i in range(n_pods):
        ns = namespaces[i % len(namespaces)]
        volumes: list[dict[str, Any]] = [{"name": "scratch", "emptyDir": {}}]
        mounts = [{"name": "scratch", "mountPath": "/tmp/scratch"}]
        # about a third of the pods mount one claim, some claims are shared by several pods
        if i % 3 == 0:
            cns, cname = claims[(i // 3) % len(claims)]
            if cns == ns:
                volumes.append({"name": "data", "persistentVolumeClaim": {"claimName": cname}})
                mounts.append({"name": "data", "mountPath": "/data", "readOnly": i % 2 == 0})
        if i % 97 == 0:
            volumes.append({"name": "checkpoints", "emptyDir": {}})
            mounts.append({"name": "checkpoints", "mountPath": "/checkpoints"})
        phase = "Running" if i % 20 else rnd.choice(["Pending", "Succeeded"])
        objs.append(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": f"worker-{i:05d}",
                    "namespace": ns,
                    "labels": {"app": f"job-{i % 400}"},
                    "ownerReferences": [
                        {"kind": "Job", "name": f"job-{i % 400}", "controller": True}
                    ],
                },
                "spec": {
                    "nodeName": "" if phase == "Pending" else nodes[rnd.randrange(len(nodes))],
                    "containers": [{"name": "main", "image": "trainer:1", "volumeMounts": mounts}],
                    "volumes": volumes,
                },
                "status": {"phase": phase},
            }
        )
    return objs


def _event(ns: str, name: str, reason: str, message: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{name}.{reason}", "namespace": ns},
        "involvedObject": {"kind": "PersistentVolumeClaim", "namespace": ns, "name": name},
        "reason": reason,
        "message": message,
        "type": "Warning",
        "lastTimestamp": "2026-11-27T05:00:00Z",
        "count": 3,
    }


def analyse(view: StoreView) -> int:
    rows = storage.claim_rows(view)
    storage.pv_rows(view)
    storage.class_rows(view)
    found = storage.findings(view)
    return len(rows) + len(found)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pods", type=int, default=10_000)
    ap.add_argument("--claims", type=int, default=3_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    objs = generate(args.pods, args.claims)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cluster.yaml"
        doc = snapshot.snapshot_list(objs, listed_kinds={o["kind"] for o in objs})
        path.write_text(yaml.dump(doc, Dumper=_Dumper, sort_keys=False), encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
        load_times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            store = snapshot.load([path]).to_store()
            base = store.view()
            load_times.append(time.perf_counter() - t0)
    load = min(load_times)

    analysis_times = []
    for _ in range(args.repeat):
        # a fresh view of the same objects: nothing memoised yet
        view = StoreView(base._objects, base.version, base.listed_kinds, base.source)
        t0 = time.perf_counter()
        analyse(view)
        analysis_times.append(time.perf_counter() - t0)
    cost = min(analysis_times)

    view = StoreView(base._objects, base.version, base.listed_kinds, base.source)
    analyse(view)
    codes: dict[str, int] = {}
    for f in storage.findings(view):
        codes[f.code] = codes.get(f.code, 0) + 1
    ratio = cost / load
    print(
        f"cluster: {args.pods} pods, {args.claims} claims, {len(objs)} objects, "
        f"{size_mb:.1f} MB of YAML"
    )
    print(f"load (snapshot.load + store view): {load:.3f} s (best of {args.repeat})")
    print(f"storage analysis (rows + findings): {cost:.3f} s (best of {args.repeat})")
    per_code = ", ".join(f"{k} {v}" for k, v in sorted(codes.items()))
    print(f"findings: {sum(codes.values())} ({per_code})")
    verdict = "OK" if ratio <= TARGET else "OVER TARGET"
    print(f"RATIO analysis/load = {ratio:.3f} (target <= {TARGET}) {verdict}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
