"""`mlview diff` on two big snapshots: the second a mutation of the first (a NetworkPolicy edited,
a route moved to another Service and its read timeout dropped, the pods of one Deployment
replaced, every resourceVersion moved). Prints the time of the comparison against the time to
load both snapshots, measured in the same run, twice: against YAML loads (the target's ratio,
at most 1.5x: snapshots as `mlview record` writes them) and against JSON loads (`kubectl get -o
json`; stricter, since the loader reads JSON faster).

    python bench/bench_diff.py                  # 10,000 pods
    python bench/bench_diff.py --pods 20000
    MLVIEW_BENCH_QUICK=1 python bench/bench_diff.py   # 2,000 pods (CI)
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.netpol_gen import ROLES, generate  # noqa: E402
from mlview.store import StoreView  # noqa: E402

QUICK = os.environ.get("MLVIEW_BENCH_QUICK") == "1"
TARGET = 1.5
P = "nginx.ingress.kubernetes.io/"


def cluster(n_pods: int, n_pols: int) -> list[dict[str, Any]]:
    """netpol_gen's pods and policies, plus what a diff reads around them: owners (a
    ReplicaSet per pod-template-hash), a Service per app, Ingresses in front of the APIs."""
    objs = generate(n_pods, n_pols)
    _kubectl_hashes(objs)
    rv = iter(range(1000, 10**9))
    apps: dict[tuple[str, str], tuple[str, str]] = {}
    for obj in objs:
        meta = obj["metadata"]
        meta["resourceVersion"] = str(next(rv))
        meta["uid"] = f"uid-{meta['resourceVersion']}"
        if obj["kind"] != "Pod":
            continue
        labels = meta.get("labels") or {}
        app, role = labels.get("app"), labels.get("role")
        if not app:
            continue
        apps[meta["namespace"], app] = (role, labels["pod-template-hash"])
        if role != "store":
            rs = f"{app}-{labels['pod-template-hash']}"
            meta["ownerReferences"] = [{"kind": "ReplicaSet", "name": rs, "controller": True}]
    ingresses: dict[str, list[dict[str, Any]]] = {}
    for (ns, app), (role, _) in sorted(apps.items()):
        port_name, _number = ROLES[role][0]
        svc = {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"namespace": ns, "name": app, "resourceVersion": str(next(rv))},
            "spec": {
                "selector": {"app": app},
                "ports": [{"name": "http", "port": 80, "targetPort": port_name}],
            },
        }
        objs.append(svc)
        if role in ("api", "web") and len(ingresses.get(ns, [])) < 4:
            ingresses.setdefault(ns, []).append(
                {"path": f"/{app}", "pathType": "Prefix", "backend": _backend(app)}
            )
    objs.append(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "IngressClass",
            "metadata": {"name": "nginx"},
            "spec": {"controller": "k8s.io/ingress-nginx"},
        }
    )
    for ns, paths in sorted(ingresses.items()):
        objs.append(
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "Ingress",
                "metadata": {
                    "namespace": ns,
                    "name": "api",
                    "annotations": {P + "proxy-read-timeout": "300"},
                    "resourceVersion": str(next(rv)),
                },
                "spec": {
                    "ingressClassName": "nginx",
                    "rules": [{"host": f"{ns}.example.com", "http": {"paths": paths}}],
                },
            }
        )
    return objs


_KUBECTL = str.maketrans("0123456789abcdef", "bcdfghjklmnpqrst")


def _kubectl_hashes(objs: list[dict[str, Any]]) -> None:
    """pod-template-hash in kubectl's alphabet (no vowels, not all digits): netpol_gen's hex
    hashes include YAML 1.1 numbers (0b21...), which send a whole dump to the slow loader."""
    for obj in objs:
        meta = obj["metadata"]
        old = (meta.get("labels") or {}).get("pod-template-hash")
        if old:
            new = old.translate(_KUBECTL)
            meta["labels"]["pod-template-hash"] = new
            meta["name"] = meta["name"].replace(old, new)


def _backend(svc: str) -> dict[str, Any]:
    return {"service": {"name": svc, "port": {"number": 80}}}


def mutate(objs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """The second snapshot, and what was done to it."""
    new = copy.deepcopy(objs)
    said = []
    # a namespace's default-deny edited to deny egress too: its pods lose every connection
    pol = next(
        o
        for o in new
        if o["kind"] == "NetworkPolicy"
        and o["spec"] == {"podSelector": {}, "policyTypes": ["Ingress"]}
    )
    pol["spec"]["policyTypes"] = ["Ingress", "Egress"]
    said.append(
        f"NetworkPolicy {pol['metadata']['namespace']}/{pol['metadata']['name']} edited "
        "(default-deny now denies egress too)"
    )
    ing = next(o for o in new if o["kind"] == "Ingress" and len(_paths(o)) > 1)
    paths = _paths(ing)
    paths[0]["backend"] = copy.deepcopy(paths[1]["backend"])
    del ing["metadata"]["annotations"][P + "proxy-read-timeout"]
    said.append(f"Ingress {ing['metadata']['namespace']}/api: a path moved, timeout dropped")
    pods = [o for o in new if o["kind"] == "Pod" and o["metadata"].get("ownerReferences")]
    rs = pods[0]["metadata"]["ownerReferences"][0]["name"]
    replaced = [p for p in pods if p["metadata"]["ownerReferences"][0]["name"] == rs]
    app = replaced[0]["metadata"]["labels"]["app"]
    for i, p in enumerate(replaced):
        p["metadata"]["name"] = f"{app}-feedbeef-{i}"
        p["metadata"]["labels"]["pod-template-hash"] = "feedbeef"
        p["metadata"]["ownerReferences"][0]["name"] = f"{app}-feedbeef"
    said.append(f"{len(replaced)} pods of {app} replaced")
    for o in new:
        o["metadata"]["resourceVersion"] = str(int(o["metadata"].get("resourceVersion", 0)) + 7)
    said.append("every resourceVersion moved")
    return new, said


def _paths(ing: dict[str, Any]) -> list[dict[str, Any]]:
    return ing["spec"]["rules"][0]["http"]["paths"]


def write(path: Path, objs: list[dict[str, Any]]) -> None:
    """As `mlview record` writes a snapshot (YAML), or as `kubectl get -o json` (.json)."""
    doc = {"apiVersion": "v1", "kind": "List", "items": objs}
    if path.suffix == ".json":
        path.write_text(json.dumps(doc))
        return
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120)


def load(path: Path) -> Any:
    from mlview.sources import snapshot

    return snapshot.load([path]).to_store("snapshot", label=path.name)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pods", type=int, default=2_000 if QUICK else 10_000)
    ap.add_argument("--policies", type=int, default=None, help="default: one per 25 pods")
    args = ap.parse_args()
    from mlview.analysis import diff

    objs = cluster(args.pods, args.policies or max(8, args.pods // 25))
    new, said = mutate(objs)
    # imports are paid once per process, by whichever comes first: not by either figure
    diff.compare(StoreView.from_objects(objs[:50]), StoreView.from_objects(new[:50]))
    with tempfile.TemporaryDirectory() as tmp:
        paths = {
            fmt: (Path(tmp) / f"old.{fmt}", Path(tmp) / f"new.{fmt}") for fmt in ("yaml", "json")
        }
        for old_path, new_path in paths.values():
            write(old_path, objs)
            write(new_path, new)
        del objs, new
        loads = {}
        for fmt, (old_path, new_path) in paths.items():
            gc.collect()
            t = time.perf_counter()
            a, b = load(old_path), load(new_path)
            loads[fmt] = time.perf_counter() - t
        gc.collect()
        t = time.perf_counter()
        result = diff.compare(a, b)
        t_diff = time.perf_counter() - t
    pods = a.view().count("Pod")
    print(f"bench_diff: {pods} pods, {a.view().count('NetworkPolicy')} policies; {'; '.join(said)}")
    print(f"load both snapshots, YAML (as mlview record writes them): {loads['yaml']:6.2f} s")
    print(f"load both snapshots, JSON (kubectl get -o json):          {loads['json']:6.2f} s")
    print(f"diff:                                                     {t_diff:6.2f} s")
    print(
        f"  {len(result.new_findings)} new / {len(result.resolved_findings)} resolved findings, "
        f"{len(result.reachability)} reachability change(s) on {len(result.ports)} ports, "
        f"{len(result.routes)} route change(s), {len(result.objects.changed)} object(s) "
        f"changed, pods: {', '.join(p.text for p in result.objects.pods)}"
    )
    for fmt, role in (("yaml", "the target's ratio"), ("json", "stricter, not the target's")):
        ratio = t_diff / loads[fmt]
        verdict = "ok" if ratio <= TARGET else "above"
        print(f"ratio diff / load ({fmt}): {ratio:.2f}x ({role}; <= {TARGET}x: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
