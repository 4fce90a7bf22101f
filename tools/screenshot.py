"""Write docs/screenshot.svg: the demo app as a newcomer first sees it, for the README.

    python tools/screenshot.py                                # incident-504, Ingress tab
    python tools/screenshot.py --scenario ml-platform --key 1 --out /tmp/storage.svg

Drives the app headless through Textual's pilot and saves `app.save_screenshot()`; the output
depends only on the bundled demo and the pinned Textual, so rerunning it is safe.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from textual.worker import WorkerCancelled

from mlview.sources import demo
from mlview.sources.snapshot import load
from mlview.ui.app import MLViewApp

ROOT = Path(__file__).resolve().parent.parent
# The Ingress tab, cursor on /v1/translate: a 504 in the making, with its finding and hint.
DEFAULT_KEYS = ["2"]  # the rows are worst first: /v1/translate leads


async def _settle(app: MLViewApp, pilot) -> None:
    """Wait for the analysis workers and the redraw after them (a replaced worker is
    cancelled: wait for its successor)."""
    for _ in range(3):
        for _ in range(50):
            try:
                await app.workers.wait_for_complete()
                break
            except WorkerCancelled:
                continue
        await pilot.pause()


async def shoot(scenario: str, keys: list[str], size: tuple[int, int], out: Path) -> None:
    store = load([demo.scenario_path(scenario)]).to_store("demo", label=f"demo: {scenario}")
    app = MLViewApp(store)
    async with app.run_test(size=size) as pilot:
        await _settle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(app, pilot)
        app.save_screenshot(filename=out.name, path=str(out.parent))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="incident-504")
    ap.add_argument("--key", action="append", help="a key to press first (repeatable)")
    ap.add_argument("--size", default="120x34", help="columns x rows")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.svg")
    args = ap.parse_args(argv)
    cols, rows = (int(n) for n in args.size.lower().split("x"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    keys = args.key or DEFAULT_KEYS
    asyncio.run(shoot(args.scenario, keys, (cols, rows), args.out))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
