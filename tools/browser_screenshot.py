"""Write docs/serve.png: `mlview serve --demo` as headless Chromium shows it (for the README).

python tools/browser_screenshot.py   # needs Debian's chromium and the test extras
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def main() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "mlview", "serve", "--demo", "incident-504", "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 760})
            page.goto(url)
            page.wait_for_timeout(4000)
            page.mouse.click(640, 380)
            page.keyboard.press("2")
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ROOT / "docs" / "serve.png"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print("wrote docs/serve.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
