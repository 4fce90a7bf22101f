"""The Services tab on a 10,000-pod cluster against the Storage tab's first draw, same data.

    python bench/bench_services.py [--storage-pods 9000] [--ingresses 200] [--repeat 3]

The cluster: the storage benchmark's pods and claims plus the ingress benchmark's model
Services (each with pods, EndpointSlices and an Ingress route): 10,000 pods, 1,000 model
services by default. With the data loaded into a store, an app is started headless
(Textual's pilot) and timed twice on fresh views of that store:

- baseline: from the app's start to the Storage tab drawn with its data;
- measured: from pressing 5 to the Services tab drawn with every row and the card of the
  first service (routes traced, reachability answered).

Prints both and the ratio; exits 1 when the Services draw takes longer than the Storage
tab's first draw (ratio > 1). The issue's target is 0.2 s on the development machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_ingress  # noqa: E402
import bench_storage  # noqa: E402

from mlview.kinds import KINDS  # noqa: E402
from mlview.store import SourceInfo, Store  # noqa: E402

TARGET_RATIO = 1.0


def cluster(storage_pods: int, ingresses: int) -> Store:
    objs = bench_storage.generate(storage_pods, storage_pods * 3 // 10)
    objs += bench_ingress.generate(ingresses, 5)
    store = Store(SourceInfo(label="bench", mode="snapshot", recorded_at="2026-11-27T06:00:00Z"))
    store.put_many(objs)
    store.mark_listed(set(KINDS))
    return store


async def draw_times(store: Store) -> tuple[float, float, int]:
    from textual.widgets import Static

    from mlview.ui.app import MLViewApp
    from mlview.ui.widgets import ObjectTable

    app = MLViewApp(Store(store.source))  # replaced below: the clock starts with the app
    app.store = store
    t0 = time.perf_counter()
    async with app.run_test(size=(160, 48)) as pilot:
        while (
            not app.query("#storage-claims")
            or not app.query_one("#storage-claims", ObjectTable).row_count
        ):
            await pilot.pause(0.005)
        t_storage = time.perf_counter() - t0
        await app.workers.wait_for_complete()
        await pilot.pause()
        t1 = time.perf_counter()
        await pilot.press("5")
        while True:
            tables = app.query("#services-table")
            card = app.query("#services-card-text")
            if tables and tables.first(ObjectTable).row_count and card:
                if "Routes" in str(card.first(Static).content):
                    break
            await pilot.pause(0.005)
        t_services = time.perf_counter() - t1
        rows = app.query_one("#services-table", ObjectTable).row_count
    return t_storage, t_services, rows


def main() -> int:
    quick = os.environ.get("MLVIEW_BENCH_QUICK") == "1"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--storage-pods", type=int, default=2000 if quick else 9000)
    ap.add_argument("--ingresses", type=int, default=40 if quick else 200)
    ap.add_argument("--repeat", type=int, default=2 if quick else 3)
    args = ap.parse_args()
    best_storage, best_services, rows = float("inf"), float("inf"), 0
    for _ in range(args.repeat):
        store = cluster(args.storage_pods, args.ingresses)
        t_storage, t_services, rows = asyncio.run(draw_times(store))
        best_storage, best_services = min(best_storage, t_storage), min(best_services, t_services)
    pods = args.storage_pods + args.ingresses * 5
    ratio = best_services / best_storage
    print(f"pods {pods}  model services {rows}")
    print(
        f"storage first draw {best_storage:.3f}s  services tab + card {best_services:.3f}s  "
        f"RATIO {ratio:.2f} (target <= {TARGET_RATIO})"
    )
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
