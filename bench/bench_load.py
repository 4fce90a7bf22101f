"""Snapshot load: mlview's YAML reading against PyYAML's C loader and json.loads, same run.

    python bench/bench_load.py [--mb 100] [--repeat 3]

Generates a `kubectl get -A -o yaml`-shaped dump (bench/dump_gen.py: pods with status,
managedFields and ownerReferences, Deployments, Services, Endpoints, ConfigMaps, Events;
100 MB, or 20 MB with MLVIEW_BENCH_QUICK=1) and the same content as JSON. Each measurement
runs in a fresh process spawned by a small parent (ru_maxrss counts the parent's size at
fork, so the dump is generated in a child too), so peak RSS is that load's alone:

- mlview: `snapshot.load` of the YAML file (best of --repeat), and its peak RSS;
- PyYAML: `yaml.load(text, CSafeLoader)` (once: it is slow), which also checks that
  mlview's YAML reading (yamlfast.load_all) gives identical objects;
- json: `json.loads` of the JSON file (best of --repeat).

Prints the ratios; exits 1 when mlview is not at least 10x faster than PyYAML's C loader.
Peak RSS is reported against its own target (at most 4x the dump's size, for dumps of 50 MB
and more; on smaller ones the interpreter's own ~35 MB dominates the ratio).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TARGET_SPEEDUP = 10.0
TARGET_RSS = 4.0
RSS_TARGET_FROM_MB = 50
QUICK = os.environ.get("MLVIEW_BENCH_QUICK") == "1"

# Each child prints one JSON line: {"seconds": ..., "rss_mb": ..., ...}
CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
what, path = sys.argv[2], sys.argv[3]
out = {}
if what == "generate":  # the YAML dump and its JSON twin (the same objects)
    sys.path.insert(0, sys.argv[1] + "/bench")
    import yaml
    from dump_gen import generate
    text = generate(int(float(sys.argv[4]) * 1e6))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    with open(path[: -len(".yaml")] + ".json", "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=4)
    out["objects"] = len(data["items"])
elif what == "mlview":
    from mlview.sources import snapshot
    t0 = time.perf_counter()
    snap = snapshot.load([path])
    out["seconds"] = time.perf_counter() - t0
    out["objects"] = len(snap.objects)
elif what == "pyyaml":
    import yaml
    from mlview.sources import yamlfast
    text = open(path, encoding="utf-8").read()
    t0 = time.perf_counter()
    ref = yaml.load(text, Loader=yaml.CSafeLoader)
    out["seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = yamlfast.load_all(text)
    out["yamlfast_seconds"] = time.perf_counter() - t0
    out["identical"] = ours == [ref]
elif what == "baseline":  # the same imports, nothing loaded: the interpreter's own size
    from mlview.sources import snapshot, yamlfast
    out["seconds"] = 0.0
elif what == "json":
    text = open(path, encoding="utf-8").read()
    t0 = time.perf_counter()
    json.loads(text)
    out["seconds"] = time.perf_counter() - t0
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def run(what: str, path: Path, *extra: str) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), what, str(path), *extra],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def time_to_first_screen(path: Path) -> float:
    """Seconds from spawning the app on the dump to its first drawn screen with data (the
    headless check prints a line at that moment; the rest of the analysis follows)."""

    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlview", "--snapshot", str(path), "--headless-check"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "first screen drawn" in line:
            elapsed = time.perf_counter() - started
            proc.kill()
            proc.wait()
            return elapsed
    proc.wait()
    return float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20 if QUICK else 100)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        yaml_path = Path(tmp) / "dump.yaml"
        json_path = Path(tmp) / "dump.json"
        n_items = int(run("generate", yaml_path, str(args.mb))["objects"])
        size_mb = yaml_path.stat().st_size / 1e6

        base = run("baseline", yaml_path)
        ours = [run("mlview", yaml_path) for _ in range(args.repeat)]
        ref = run("pyyaml", yaml_path)
        js = [run("json", json_path) for _ in range(args.repeat)]
        first_screen = time_to_first_screen(yaml_path)

    load = min(r["seconds"] for r in ours)
    rss = min(r["rss_mb"] for r in ours)
    json_load = min(r["seconds"] for r in js)
    speedup = ref["seconds"] / load
    rss_ratio = rss / size_mb
    net_ratio = (rss - base["rss_mb"]) / size_mb
    print(f"dump: {size_mb:.1f} MB of YAML, {n_items} objects (kubectl get -A -o yaml shape)")
    print(f"PyYAML CSafeLoader:      {ref['seconds']:.2f} s (peak RSS {ref['rss_mb']:.0f} MB)")
    print(f"mlview snapshot.load:    {load:.2f} s (best of {args.repeat}, peak RSS {rss:.0f} MB)")
    print(f"mlview yamlfast.load_all {ref['yamlfast_seconds']:.2f} s (YAML reading alone)")
    print(f"json.loads (same, JSON): {json_load:.2f} s (peak RSS {js[0]['rss_mb']:.0f} MB)")
    print(f"identical objects to PyYAML: {'yes' if ref['identical'] else 'NO'}")
    print(f"RATIO mlview/json.loads = {load / json_load:.2f}")
    print(f"interpreter + imports alone: peak RSS {base['rss_mb']:.0f} MB")
    print(
        f"app's first screen on it: {first_screen:.2f} s from spawning `mlview --snapshot` "
        f"(RATIO to the load: {first_screen / load:.2f})"
    )
    if size_mb >= RSS_TARGET_FROM_MB:
        verdict = "OK" if rss_ratio <= TARGET_RSS else "OVER TARGET"
    else:  # on small dumps the interpreter's own size dominates the ratio
        verdict = f"(target applies from {RSS_TARGET_FROM_MB} MB)"
    print(
        f"RATIO peak RSS/dump size = {rss_ratio:.2f} ({net_ratio:.2f} without the "
        f"interpreter's own) (target <= {TARGET_RSS}) {verdict}"
    )
    ok = speedup >= TARGET_SPEEDUP and ref["identical"]
    verdict = "OK" if ok else "MISSED"
    print(f"RATIO PyYAML/mlview = {speedup:.1f}x (target >= {TARGET_SPEEDUP:.0f}x) {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
