"""Shared fixtures. NO_COLOR changes rendering, so tests run without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.pop("NO_COLOR", None)

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def small_snapshot() -> Path:
    return FIXTURES / "small.yaml"
