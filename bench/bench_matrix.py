"""`mlview matrix --format json` on a big cluster: the grouped form (the default above 2,000 pods)
against every pair (--pairs, streamed), each in its own process for its peak RSS; and the cost of
deriving virtual pods (shared/virtual_pods.py) against the matrix it feeds.

    python bench/bench_matrix.py             # 3,000 pods (quick)
    python bench/bench_matrix.py --pods 12400

Figures are ratios against a baseline measured in the same run: the grouped output's time and
memory against the pairs', and the virtual-pod derivation against computing the matrix.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.netpol_gen import generate  # noqa: E402

CHILD = """
import resource, sys, time
from mlview.cli import main
t = time.perf_counter()
with open({out!r}, "w") as sys.stdout:
    main(["matrix", "--snapshot", {snap!r}, "--port", "9000", "--format", "json", *{extra!r}])
sys.stdout = sys.__stdout__
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run_child(snap: Path, out: Path, extra: list[str]) -> tuple[float, float, int]:
    """(seconds, peak RSS MB, output bytes) of one `mlview matrix` in a fresh process."""
    code = CHILD.format(snap=str(snap), out=str(out), extra=extra)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    secs, rss_kb = res.stdout.split()
    return float(secs), int(rss_kb) / 1024, out.stat().st_size


def virtual_cost(objs: list[dict]) -> tuple[float, float]:
    """(derive virtual pods, compute the matrix) in seconds, on the cluster as workloads."""
    from mlview.analysis.reachability.engine import compute_matrix
    from mlview.analysis.shared.virtual_pods import complete
    from mlview.store import StoreView

    workloads: dict[tuple[str, str], dict] = {}
    rest = []
    for obj in objs:
        if obj["kind"] != "Pod":
            rest.append(obj)
            continue
        meta = obj["metadata"]
        app = meta["labels"].get("app", meta["name"])
        key = (meta["namespace"], app)
        if key not in workloads:
            workloads[key] = {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": app, "namespace": meta["namespace"]},
                "spec": {
                    "replicas": 0,
                    "selector": {"matchLabels": {"app": app}},
                    "template": {"metadata": {"labels": meta["labels"]}, "spec": obj["spec"]},
                },
            }
        workloads[key]["spec"]["replicas"] += 1
    base = StoreView.from_objects(rest + list(workloads.values()))
    t = time.perf_counter()
    full = complete(base)
    derive = time.perf_counter() - t
    t = time.perf_counter()
    compute_matrix(full, 9000)
    return derive, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pods", type=int, default=3000)
    ap.add_argument("--policies", type=int, default=0, help="default: pods / 20")
    ap.add_argument("--pairs-max", type=int, default=5000, help="skip --pairs above this size")
    args = ap.parse_args()
    objs = generate(args.pods, args.policies or args.pods // 20)
    with tempfile.TemporaryDirectory() as tmp:
        snap = Path(tmp) / "cluster.json"
        snap.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": objs}))
        out = Path(tmp) / "out.json"
        g_secs, g_rss, g_size = run_child(snap, out, ["--grouped"])
        pairs = run_child(snap, out, ["--pairs"]) if args.pods <= args.pairs_max else None
    print(f"{args.pods} pods, matrix --format json on TCP 9000 (each in a fresh process)")
    print(f"  grouped:          {g_secs:6.2f} s  peak RSS {g_rss:7.0f} MB  {g_size / 1e6:8.1f} MB")
    if pairs is not None:
        p_secs, p_rss, p_size = pairs
        print(
            f"  pairs (streamed): {p_secs:6.2f} s  peak RSS {p_rss:7.0f} MB  {p_size / 1e6:8.1f} MB"
        )
        print(
            f"  grouped / pairs: time {g_secs / p_secs:.2f}x, RSS {g_rss / p_rss:.2f}x, "
            f"output {g_size / p_size:.4f}x"
        )
    derive, matrix = virtual_cost(objs)
    print(
        f"the same cluster as Deployments without pods: deriving its {args.pods} virtual pods "
        f"{derive:.2f} s = {derive / matrix:.2f}x the matrix on them ({matrix:.2f} s)"
    )


if __name__ == "__main__":
    main()
