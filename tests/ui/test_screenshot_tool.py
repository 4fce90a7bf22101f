"""tools/screenshot.py still drives the app: the README's screenshot can be regenerated."""

from __future__ import annotations

import importlib.util
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "screenshot.py"


async def test_screenshot_tool_writes_the_ingress_tab_svg(tmp_path):
    spec = importlib.util.spec_from_file_location("screenshot", TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    out = tmp_path / "shot.svg"
    await tool.shoot("incident-504", tool.DEFAULT_KEYS, (120, 34), out)
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    # The cursor row's route and its finding are in the panel (spaces are &#160; in the SVG).
    assert "ingress-timeout-below-latency" in svg.replace("&#160;", " ")
