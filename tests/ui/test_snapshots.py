"""SVG snapshots, one per tab, on the scenario that tab explains (Textual is pinned in
pyproject.toml so these stay stable). Update with: pytest tests/test_snapshots.py --snapshot-update
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
    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press(key)
        await settle(pilot.app, pilot)

    assert snap_compare(
        make_app(scenario, label=f"demo: {scenario}"),
        terminal_size=(140, 44),
        run_before=run_before,
    )
