"""A source named in one word, for commands that read two of them (`mlview diff OLD NEW`,
`mlview check --baseline OLD`):

- `live`: the cluster of the current kubeconfig context (--context/--kubeconfig apply), listed
  once;
- `demo:NAME`: a bundled demo scenario (`mlview --demo --list` lists them);
- anything else: a snapshot file or folder (kubectl -o yaml/json, .gz, plain manifests);
  `-` reads stdin. A file literally named `live` is written `./live`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mlview.commands.common import UsageError, open_live
from mlview.sources import demo, snapshot
from mlview.store import Store

LIVE = "live"
DEMO_PREFIX = "demo:"
HELP = (
    "a snapshot file or folder (plain manifests too), `live` (the kubeconfig context) or demo:NAME"
)


def open_named(text: str, args: argparse.Namespace) -> Store:
    """The store of one named source; UsageError (one line, exit 2) when it cannot be read."""
    if text == LIVE:
        # `live` was asked for: the alternative is another name, not --snapshot/--demo
        return open_live(
            args, offline_hint="name a snapshot file or demo:NAME instead of live"
        ).list_once()
    try:
        if text.startswith(DEMO_PREFIX):
            name = text.removeprefix(DEMO_PREFIX)
            return snapshot.load([demo.scenario_path(name)]).to_store("demo", label=text)
        if text != "-" and not Path(text).exists():
            raise UsageError(f"{text}: no such file or folder (or write live, or demo:NAME)")
        snap = snapshot.load([text], namespace=getattr(args, "namespace", None))
        return snap.to_store("snapshot", label=text)
    except snapshot.SnapshotError as exc:
        raise UsageError(str(exc)) from None
