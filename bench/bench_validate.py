"""What validating objects at the store's door costs, against the load time it is part of.

    python bench/bench_validate.py [--pods 10000] [--claims 3000] [--repeat 5]

Writes the storage benchmark's cluster (bench_storage.generate: 10,000 pods, claims, PVs,
classes, events) as a YAML List and as a JSON List, and times `snapshot.load` + `to_store` +
`view()` with the validator and with it replaced by a no-op, best of --repeat, in the same run.
Prints the added cost as a fraction of the load time for both formats; exits 1 when the YAML
snapshot (the benchmark's format) pays more than 10%. JSON parses several times faster than
YAML, so its ratio is the stricter figure and is printed too.
"""

from __future__ import annotations

import argparse
import gc
import json
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

TARGET = 0.10
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _no_check(obj: Any, origin: str = "") -> tuple[bool, list[Any]]:
    return True, []


def load_time(path: Path, repeat: int, validate: bool) -> float:
    real = mlview.store.check_object
    mlview.store.check_object = real if validate else _no_check
    best = float("inf")
    try:
        for _ in range(repeat):
            gc.collect()
            start = time.perf_counter()
            store = snapshot.load([path]).to_store()
            store.view()
            best = min(best, time.perf_counter() - start)
            assert not store.source.invalid
    finally:
        mlview.store.check_object = real
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pods", type=int, default=10_000)
    ap.add_argument("--claims", type=int, default=3_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    objs = generate(args.pods, args.claims)
    doc = {"apiVersion": "v1", "kind": "List", "metadata": {}, "items": objs}
    ratios = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = {"yaml": Path(tmp) / "cluster.yaml", "json": Path(tmp) / "cluster.json"}
        files["yaml"].write_text(yaml.dump(doc, Dumper=_Dumper), encoding="utf-8")
        files["json"].write_text(json.dumps(doc), encoding="utf-8")
        load_time(files["json"], 1, True)  # warm up: the schema is read and compiled once
        for fmt, path in files.items():
            # interleaved, so drift on a shared machine hits both sides alike
            without = min(load_time(path, 1, False) for _ in range(args.repeat))
            with_ = min(load_time(path, 1, True) for _ in range(args.repeat))
            ratios[fmt] = (with_ - without) / without
            print(
                f"{fmt}: {len(objs)} objects, load {without * 1000:.0f} ms without validation, "
                f"{with_ * 1000:.0f} ms with: +{ratios[fmt]:.1%}"
            )
    ok = ratios["yaml"] <= TARGET
    print(f"validation cost on the YAML snapshot: +{ratios['yaml']:.1%} (target <= {TARGET:.0%})")
    print("OK" if ok else "MISS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
