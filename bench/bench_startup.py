"""Startup: time to the first rendered screen of `mlview --demo` vs a bare Textual app.

Both run as fresh processes (imports included), headless, and print a line the moment their
first screen with data is drawn; the time from spawning the process to that line is measured
(mlview's includes loading the demo snapshot and analysing it for the visible tab). Runs
alternate so machine noise hits both alike. Target: mlview at most 1.5x the bare app.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

TARGET = 1.5
MARKER = "first screen drawn"
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
        self.call_after_refresh(lambda: print("bare: first screen drawn", flush=True))

async def main():
    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()

asyncio.run(main())
"""


def time_to_marker(cmd: list[str]) -> float:
    """Seconds from spawning `cmd` to the line carrying MARKER (the process then finishes)."""
    env = {**os.environ, "CI": ""}
    env.pop("NO_COLOR", None)
    # Byte-compiled modules are cached as on any user's machine (pip compiles a wheel's modules
    # at install; an editable checkout writes them on first run): without this an environment
    # setting PYTHONDONTWRITEBYTECODE would recompile mlview's own modules on every start while
    # Textual's, compiled by pip, load from cache.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if MARKER in line:
                elapsed = time.perf_counter() - start
                break
        else:
            raise SystemExit(f"{cmd[:3]}... never printed {MARKER!r}")
        proc.stdout.read()
    if proc.returncode:
        raise SystemExit(f"{cmd[:3]}... exited {proc.returncode}")
    return elapsed


def main() -> int:
    rounds = 3 if os.environ.get("MLVIEW_BENCH_QUICK") else 9
    mlview_cmd = [sys.executable, "-m", "mlview", "--demo", "--headless-check"]
    bare_cmd = [sys.executable, "-c", BARE_APP]
    time_to_marker(mlview_cmd), time_to_marker(bare_cmd)  # warm the page cache, write .pyc files
    ours, bare = [], []
    for _ in range(rounds):
        ours.append(time_to_marker(mlview_cmd))
        bare.append(time_to_marker(bare_cmd))
    m_ours, m_bare = statistics.median(ours), statistics.median(bare)
    ratio = m_ours / m_bare
    print(
        f"startup to first screen: mlview --demo {m_ours:.2f}s, bare Textual app "
        f"{m_bare:.2f}s (median of {rounds}); ratio {ratio:.2f}x (target <= {TARGET}x)"
    )
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
