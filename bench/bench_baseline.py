"""Benchmark: what `mlview --baseline OLD` adds to the app, on 2,000 Ingresses / 10,000 routes.

Two ratios, each against a baseline measured in the same run:

- a filter keystroke on the Ingress tab with a baseline (mark column, removed rows built from
  the baseline's view) against the same keystroke without one: per keystroke the best of the
  runs, then the worst and the median keystroke (bench_filter.py's keystrokes and timing);
- the comparison the app runs in its worker after each analysed view (the engine on two views
  whose analyses are already cached) against that analysis itself.

The baseline differs from the current snapshot by 1% of Ingresses removed and 1% with a read
timeout annotation changed, so marks and removed rows are on screen.

    python bench/bench_baseline.py [--ingresses 2000] [--paths 5] [--repeats 3]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import gc
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_filter import keystroke, keystrokes  # noqa: E402
from bench_ingress import KINDS, generate  # noqa: E402

from mlview.analysis.overrides import NO_OVERRIDES  # noqa: E402
from mlview.analysis.registry import run_checked  # noqa: E402
from mlview.analysis.shared.virtual_pods import complete  # noqa: E402
from mlview.sources import snapshot  # noqa: E402
from mlview.store import Store  # noqa: E402
from mlview.ui import baseline as ui_baseline  # noqa: E402
from mlview.ui.app import MLViewApp  # noqa: E402
from mlview.ui.widgets import ObjectTable  # noqa: E402

TIMEOUT = "nginx.ingress.kubernetes.io/proxy-read-timeout"


def older(objs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The baseline: 1% more Ingresses (removed since), 1% with another read timeout."""
    out = []
    for obj in objs:
        if obj.get("kind") == "Ingress":
            i = int(obj["metadata"]["name"].rsplit("-", 1)[-1])
            if i % 100 == 1:
                continue  # added since the baseline
            if i % 100 == 2:
                obj = copy.deepcopy(obj)
                obj["metadata"].setdefault("annotations", {})[TIMEOUT] = "300"
            if i % 100 == 3:
                extra = copy.deepcopy(obj)
                extra["metadata"]["name"] += "-old"
                out.append(extra)  # removed since the baseline
        out.append(obj)
    return out


def write(objs: list[dict[str, Any]], tmp: str, name: str) -> Path:
    path = Path(tmp) / name
    doc = snapshot.snapshot_list(objs, recorded_at="2026-11-27T06:00:00Z", listed_kinds=KINDS)
    path.write_text(json.dumps(doc))
    return path


async def run(store: Store, baseline: Store | None) -> list[tuple[str, int, float]]:
    gc.disable()
    gc.freeze()
    app = MLViewApp(store, baseline=baseline)
    out = []
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        for _ in range(600):  # the analysis, then (with a baseline) the comparison
            await pilot.pause(0.05)
            if app._ctx is not None and not app._analyzing:
                if baseline is None or (app.changes is not None and not app._comparing):
                    break
        await pilot.pause()
        table = app.query_one("#ingress-routes", ObjectTable)
        while table._require_update_dimensions:
            await pilot.pause()
        for text in keystrokes():
            app.filter_text = text
            out.append((text, *await keystroke(app, table)))
            await pilot.pause()
    return out


def compare_cost(now: Path, old: Path) -> tuple[float, float]:
    """CPU seconds of the analysis of a view, and of the comparison the app runs after it
    (both sides' analyses cached by then, as in the app). Fresh stores: nothing cached."""
    base = ui_baseline.analyse_baseline(snapshot.load([old]).to_store(), NO_OVERRIDES)
    view = complete(snapshot.load([now]).to_store().view())  # as the app analyses it
    gc.collect()
    gc.disable()  # a collection of the big heap in one timing but not the other: noise
    try:
        t0 = time.process_time()
        run_checked(view)
        analysis = time.process_time() - t0
        t0 = time.process_time()
        ui_baseline.compare_with(base, view, NO_OVERRIDES, (9000,))
        return analysis, time.process_time() - t0
    finally:
        gc.enable()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ingresses", type=int, default=2000)
    ap.add_argument("--paths", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    objs = generate(args.ingresses, args.paths)
    with tempfile.TemporaryDirectory() as tmp:
        now_path, old_path = write(objs, tmp, "now.json"), write(older(objs), tmp, "old.json")
        store = snapshot.load([now_path]).to_store()
        old = snapshot.load([old_path]).to_store()
        # The best of a few runs per keystroke: the machine's other load only ever adds time.
        plain = [asyncio.run(run(store, None)) for _ in range(args.repeats)]
        marked = [asyncio.run(run(store, old)) for _ in range(args.repeats)]
        # per keystroke the best of the runs (other load only adds), then worst and median
        best_plain = [min(r[i][2] for r in plain) for i in range(len(plain[0]))]
        best_marked = [min(r[i][2] for r in marked) for i in range(len(marked[0]))]
        for label, pick in (("worst", max), ("median", statistics.median)):
            a, b = pick(best_plain), pick(best_marked)
            print(
                f"{label} filter keystroke (10,000 routes): without baseline {a * 1000:.1f} ms,"
                f" with {b * 1000:.1f} ms  RATIO {b / a:.2f}x"
            )
        costs = [compare_cost(now_path, old_path) for _ in range(args.repeats)]
        analysis, comparison = min(c[0] for c in costs), min(c[1] for c in costs)
        print(
            f"comparison after an analysed view: {comparison * 1000:.0f} ms vs the analysis "
            f"{analysis * 1000:.0f} ms  RATIO {comparison / analysis:.2f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
