"""SVG snapshots, one per tab, on the scenario that tab explains (Textual is pinned in
pyproject.toml so these stay stable), at 140x44 and at 80x24 (the size the README promises).
Update with: pytest tests/ui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from tests.uitext import make_app, settle


@pytest.mark.parametrize(
    ("scenario", "key"),
    [
        ("incident-pending-pvc", "1"),
        ("incident-504", "2"),
        ("netpol-lockdown", "3"),
        ("ml-platform", "4"),
    ],
)
def test_tab_snapshot(snap_compare, scenario, key):
    assert snap_compare(
        make_app(scenario, label=f"demo: {scenario}"),
        terminal_size=(140, 44),
        run_before=_show_tab(key),
    )


@pytest.mark.parametrize(
    ("scenario", "key"),
    [
        ("incident-pending-pvc", "1"),
        ("incident-504", "2"),
        ("netpol-lockdown", "3"),
        ("ml-platform", "4"),
        ("incident-504", "5"),
    ],
)
def test_tab_snapshot_80x24(snap_compare, scenario, key):
    assert snap_compare(
        make_app(scenario, label=f"demo: {scenario}"),
        terminal_size=(80, 24),
        run_before=_show_tab(key),
    )


def _show_tab(key: str):
    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press(key)
        await settle(pilot.app, pilot)

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_baseline_marks_snapshot(snap_compare, size):
    """mlview --baseline: the demo upgrade pair, Findings tab (new findings marked, the legend
    line above the tabs)."""
    from tests.ui.test_baseline import compared

    async def run_before(pilot) -> None:
        await compared(pilot.app, pilot)
        await pilot.press("4")
        await compared(pilot.app, pilot)

    app = make_app("after-upgrade", label="demo: after-upgrade", baseline="before-upgrade")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
