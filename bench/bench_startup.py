"""Startup: time to the first rendered screen of `mlview --demo` vs a bare Textual app.

Both run as fresh processes (imports included), headless, and exit after their first full
render; the mlview run includes loading the demo snapshot and the first analysis. Runs
alternate so machine noise hits both alike. Target: mlview at most 1.5x the bare app.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

TARGET = 1.5
BARE_APP = r"""
import asyncio
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()
    def on_mount(self):
        t = self.query_one(DataTable)
        t.add_columns("a", "b", "c")
        for i in range(20):
            t.add_row(str(i), "x", "y")

async def main():
    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()

asyncio.run(main())
"""


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "CI": ""})
    return time.perf_counter() - start


def main() -> int:
    rounds = 3 if os.environ.get("MLVIEW_BENCH_QUICK") else 7
    mlview_cmd = [sys.executable, "-m", "mlview", "--demo", "--headless-check"]
    bare_cmd = [sys.executable, "-c", BARE_APP]
    timed(mlview_cmd), timed(bare_cmd)  # warm the page cache and .pyc files
    ours, bare = [], []
    for _ in range(rounds):
        ours.append(timed(mlview_cmd))
        bare.append(timed(bare_cmd))
    m_ours, m_bare = statistics.median(ours), statistics.median(bare)
    ratio = m_ours / m_bare
    print(f"startup: mlview --demo {m_ours:.2f}s, bare Textual app {m_bare:.2f}s "
          f"(median of {rounds}); ratio {ratio:.2f}x (target <= {TARGET}x)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
