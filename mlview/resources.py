"""Find the top-level `styles/` and `demo/` folders from a checkout or an installed wheel.

The wheel carries them as `mlview/_data/{styles,demo}` (hatch force-include); an editable
install or a plain checkout has them beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    for candidate in (_PKG / "_data" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"mlview's {name}/ folder is missing from this installation")


def styles_dir() -> Path:
    return data_dir("styles")


def demo_dir() -> Path:
    return data_dir("demo")
