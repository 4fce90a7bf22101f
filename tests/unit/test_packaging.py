"""The wheel carries styles/ and demo/: an installed (not editable) mlview finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("mlview-*.whl"))


def test_wheel_contains_styles_and_demo(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("mlview/_data/styles/") and n.endswith(".tcss") for n in names)
    assert any(n.startswith("mlview/_data/demo/") and n.endswith(".json") for n in names)


def test_installed_wheel_runs_demo_headless(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("NO_COLOR", None)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import mlview, mlview.resources as r; print(mlview.__file__); "
            "print(r.styles_dir()); print(r.demo_dir())",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    for line in probe.stdout.split():
        assert line.startswith(str(target)), probe.stdout  # not the checkout
    run = subprocess.run(
        [sys.executable, "-m", "mlview", "--demo", "--headless-check"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "headless check ok" in run.stdout
