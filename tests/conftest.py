"""Shared fixtures. NO_COLOR changes rendering, so tests run without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.pop("NO_COLOR", None)
# A finding whose code or severity is not in mlview/analysis/catalogue.py raises in tests
# (and in the CLI subprocesses tests start); users just get the finding.
os.environ["MLVIEW_STRICT_FINDINGS"] = "1"

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def small_snapshot() -> Path:
    return FIXTURES / "small.yaml"
