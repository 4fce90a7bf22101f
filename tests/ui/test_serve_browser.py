"""`mlview serve` in a real browser: headless Chromium (Debian's package) opens the page, the
app's screen arrives over textual-serve's websocket, and keys typed into the page reach it.

The terminal is drawn on a canvas, so what the page shows is read from the websocket frames
the browser receives (the app's terminal output), not from the DOM.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Without these, Chromium tries to reach Google's services at start (no network here).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - loopback only
                if r.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def served_demo():
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlview", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/")
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_serve_shows_the_app_in_chromium_and_keys_work(served_demo, tmp_path):
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium); .ci/run installs it")
    sync_api = pytest.importorskip("playwright.sync_api")
    received = bytearray()

    def on_websocket(ws) -> None:
        ws.on(
            "framereceived",
            lambda payload: received.extend(
                payload if isinstance(payload, bytes) else payload.encode()
            ),
        )

    def wait_for(*words: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = received.decode("utf-8", "ignore")
            if all(w in text for w in words):
                return
            page.wait_for_timeout(200)
        missing = [w for w in words if w not in received.decode("utf-8", "ignore")]
        raise AssertionError(f"the browser never received {missing}")

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("websocket", on_websocket)
            page.goto(served_demo)
            # the tab bar and a claim of the demo's Storage tab
            wait_for("Storage", "Ingress", "Reachability", "imagenet-dataset")
            page.mouse.click(700, 450)  # focus the terminal
            received.clear()
            page.keyboard.press("2")
            wait_for("ml-api-ingress", "/v1/translate")
            shot = Path(tmp_path) / "serve.png"
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()


def test_serve_refuses_stdin_and_warns_off_loopback(capsys):
    from mlview import cli
    from mlview.commands import serve

    assert cli.main(["serve", "--snapshot", "-"]) == 2
    assert "standard input" in capsys.readouterr().err
    assert serve.is_loopback("127.0.0.1") and serve.is_loopback("::1")
    assert serve.is_loopback("localhost") and not serve.is_loopback("0.0.0.0")
