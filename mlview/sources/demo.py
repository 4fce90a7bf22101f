"""Bundled demo scenarios: snapshot files in the top-level demo/ folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

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
    for path in sorted(demo_dir().glob("*.yaml")):
        out.append(Scenario(path.stem, path, _description(path)))
    # the default first, the rest by name
    return sorted(out, key=lambda s: (s.name != DEFAULT_SCENARIO, s.name))


def _description(path: Path) -> str:
    # The description sits in the List's annotations near the top; read only the head.
    head = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("items:"):
                break
            head.append(line)
    try:
        doc = yaml.safe_load("".join(head)) or {}
    except yaml.YAMLError:
        return ""
    ann = (doc.get("metadata") or {}).get("annotations") or {}
    return str(ann.get(snapshot.ANN_DESCRIPTION, ""))


def scenario_path(name: str) -> Path:
    for sc in scenarios():
        if sc.name == name:
            return sc.path
    known = ", ".join(s.name for s in scenarios())
    raise snapshot.SnapshotError(f"no demo scenario named {name!r} (known: {known})")
