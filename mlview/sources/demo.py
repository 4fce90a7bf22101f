"""Bundled demo scenarios: snapshot files (`kubectl get -o json` Lists) in the top-level demo/."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mlview.resources import demo_dir
from mlview.sources import snapshot

DEFAULT_SCENARIO = "ml-platform"


@dataclass(frozen=True)
class Scenario:
    name: str
    path: Path
    description: str


def scenarios() -> list[Scenario]:
    out = []
    for path in sorted(demo_dir().glob("*.json")):
        out.append(Scenario(path.stem, path, _description(path)))
    # the default first, the rest by name
    return sorted(out, key=lambda s: (s.name != DEFAULT_SCENARIO, s.name))


def _description(path: Path) -> str:
    """The one-line description in the List's annotations (a few ms of JSON per file)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    ann = (doc.get("metadata") or {}).get("annotations") or {}
    return str(ann.get(snapshot.ANN_DESCRIPTION, ""))


def scenario_path(name: str) -> Path:
    path = demo_dir() / f"{name}.json"
    if "/" not in name and path.is_file():  # without reading every scenario's description
        return path
    known = ", ".join(s.name for s in scenarios())
    raise snapshot.SnapshotError(f"no demo scenario named {name!r} (known: {known})")
