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
