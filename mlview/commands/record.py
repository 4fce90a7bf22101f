"""`mlview record OUT.yaml`: list the live cluster once and write a snapshot `--snapshot` opens.

The file is a `v1 List` (the format demo scenarios use) whose annotations carry the time, the
context and the kinds listed in full; managedFields are stripped and Secrets hold metadata only.
With -n, namespaced objects of other namespaces are left out (cluster-scoped ones are kept).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mlview.commands.common import EXIT_OK, UsageError, open_store
from mlview.kinds import KINDS
from mlview.sources.snapshot import snapshot_list


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "record", help="list the live cluster once and write a snapshot file (--snapshot opens it)"
    )
    p.add_argument("out", metavar="OUT.yaml", help="file to write")
    # SUPPRESS: given before `record` (mlview --context X record ...), the option must not be
    # reset to None by this subparser's default.
    quiet = argparse.SUPPRESS
    p.add_argument("--context", default=quiet, help="kubeconfig context (default: current)")
    p.add_argument("--kubeconfig", metavar="PATH", default=quiet, help="kubeconfig file")
    p.add_argument(
        "-n", "--namespace", default=quiet, help="only this namespace (plus cluster-scoped kinds)"
    )
    p.add_argument("--description", default="", help="one line stored in the snapshot")
    p.set_defaults(func=run, snapshot=None, demo=None)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix not in (".yaml", ".yml"):
        raise UsageError(f"{out}: the snapshot is YAML, give a name ending in .yaml")
    if not out.parent.is_dir():
        raise UsageError(f"{out.parent}: no such directory")
    namespace = getattr(args, "namespace", None)
    store = open_store(args)
    view = store.view()
    order = {kind: i for i, kind in enumerate(KINDS)}
    objects = [
        o
        for kind in sorted(view.kinds(), key=lambda k: order.get(k, len(order)))
        for o in sorted(view.list(kind), key=_key)
        if not (namespace and KINDS[kind].namespaced and _ns(o) != namespace)
    ]
    description = args.description or (f"namespace {namespace} only" if namespace else "")
    doc = snapshot_list(
        objects,
        recorded_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        context=store.source.context,
        description=description,
        listed_kinds=view.listed_kinds,
    )
    _write_atomically(out, doc)
    missing = sorted(
        f"{kind} ({state})"
        for kind, state in store.source.sync.items()
        if state != "listed" and not (KINDS[kind].optional and state == "not installed")
    )
    print(
        f"mlview: recorded {len(objects)} objects of {len(view.kinds())} kinds from context "
        f"{store.source.context} to {out}"
        + (f"; not recorded: {', '.join(missing)}" if missing else ""),
        file=sys.stderr,
    )
    return EXIT_OK


def _write_atomically(out: Path, doc: dict[str, Any]) -> None:
    """Write beside the target and rename: an interrupted run leaves no half snapshot."""
    import yaml  # here, not at the top: building the CLI parser does not pay for it

    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            # libyaml's dumper writes large recordings several times faster
            dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
            yaml.dump(doc, fh, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _ns(obj: dict[str, Any]) -> str:
    return (obj.get("metadata") or {}).get("namespace") or ""


def _key(obj: dict[str, Any]) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return (meta.get("namespace") or "", meta.get("name") or "")
