"""What validating objects at the store's door costs, against the load time it is part of.

    python bench/bench_validate.py [--pods 10000] [--claims 3000] [--repeat 5]

With MLVIEW_BENCH_QUICK=1 (CI) the default is 2,000 pods and 600 claims.

Writes the storage benchmark's cluster (bench_storage.generate: 10,000 pods, claims, PVs,
classes, events) as a YAML List and as a JSON List, times `snapshot.load` + `to_store` +
`view()` with the validator replaced by a no-op, then the validator alone over the same
objects (best of --repeat each, in the same run: timing the two loads against each other
drowns a 100 ms difference in the noise of a shared machine). Prints the validator's time as
a fraction of the load time for both formats; exits 1 when the YAML snapshot (the benchmark's
format) pays more than 10%. JSON parses several times faster than YAML, so its ratio is the
stricter figure and is printed too.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_storage import generate  # noqa: E402

import mlview.store  # noqa: E402
from mlview.sources import snapshot  # noqa: E402
from mlview.validate import check_object  # noqa: E402

TARGET = 0.10
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _no_check(obj: Any, origin: str = "") -> tuple[bool, list[Any]]:
    return True, []


def load_time(path: Path, repeat: int) -> tuple[float, list[dict[str, Any]]]:
    """Best load + store + view time with the validator replaced by a no-op, and the objects."""
    real = mlview.store.check_object
    mlview.store.check_object = _no_check
    best = float("inf")
    try:
        for _ in range(repeat):
            gc.collect()
            start = time.perf_counter()
            snap = snapshot.load([path])
            snap.to_store().view()
            best = min(best, time.perf_counter() - start)
    finally:
        mlview.store.check_object = real
    return best, snap.objects


def validation_time(objs: list[dict[str, Any]], repeat: int) -> float:
    """Best time of the validator alone over the same objects (what the door adds)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for obj in objs:
            keep, problems = check_object(obj)
        best = min(best, time.perf_counter() - start)
        assert keep and not problems
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    quick = os.environ.get("MLVIEW_BENCH_QUICK") == "1"  # CI: a fifth of the size, same ratio
    ap.add_argument("--pods", type=int, default=2_000 if quick else 10_000)
    ap.add_argument("--claims", type=int, default=600 if quick else 3_000)
    ap.add_argument("--repeat", type=int, default=3 if quick else 5)
    args = ap.parse_args()
    objs = generate(args.pods, args.claims)
    doc = {"apiVersion": "v1", "kind": "List", "metadata": {}, "items": objs}
    ratios = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = {"yaml": Path(tmp) / "cluster.yaml", "json": Path(tmp) / "cluster.json"}
        files["yaml"].write_text(yaml.dump(doc, Dumper=_Dumper), encoding="utf-8")
        files["json"].write_text(json.dumps(doc), encoding="utf-8")
        for fmt, path in files.items():
            load, loaded = load_time(path, args.repeat if fmt == "json" else 2)
            check = validation_time(loaded, args.repeat)
            ratios[fmt] = check / load
            print(
                f"{fmt}: {len(loaded)} objects, load {load * 1000:.0f} ms, "
                f"validation {check * 1000:.0f} ms: +{ratios[fmt]:.1%}"
            )
    ok = ratios["yaml"] <= TARGET
    print(f"validation cost on the YAML snapshot: +{ratios['yaml']:.1%} (target <= {TARGET:.0%})")
    print("OK" if ok else "MISS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
