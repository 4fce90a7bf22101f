"""`mlview matrix`: which pods may connect to which on one port, and why (NetworkPolicy)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from mlview.commands.common import EXIT_OK, UsageError, add_source_options, open_store
from mlview.sanitize import clean

if TYPE_CHECKING:
    from mlview.analysis.reachability.engine import Matrix

GRID_LIMIT = 40  # more pods than this: one line per source instead of a grid
GLYPHS = {"allowed": "+", "denied": ".", "same-pod": "\\", "host-network": "h", "no-ip": "n"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "matrix", help="pod-to-pod reachability on one port under NetworkPolicy, with reasons"
    )
    add_source_options(p)
    p.add_argument("--port", default="9000", help="destination port (default 9000)")
    p.add_argument("--protocol", default="TCP", help="TCP, UDP or SCTP (default TCP)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--explain",
        nargs=2,
        metavar=("SRC", "DST"),
        help="why SRC may or may not reach DST (pods as namespace/name)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: building the CLI parser (and so the app's start) does not pay for it.
    from mlview.analysis.reachability.engine import BadQuery, check_query, compute_matrix
    from mlview.analysis.reachability.explain import explain

    try:
        port, protocol = check_query(args.port, args.protocol)
    except BadQuery as exc:
        raise UsageError(str(exc)) from None
    view = open_store(args).view()
    if args.explain:
        try:
            ex = explain(view, args.explain[0], args.explain[1], port, protocol)
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
        if args.format == "json":
            print(json.dumps(ex.to_json(), indent=2))
        else:
            print("\n".join(clean(line, single_line=True) for line in ex.lines()))
        return EXIT_OK
    mx = compute_matrix(view, port, protocol, args.namespace)
    if args.format == "json":
        # indented for small clusters; one line for large ones (millions of pairs)
        print(json.dumps(to_json(mx), indent=1 if len(mx.pods) <= 50 else None))
    else:
        print_text(mx)
    return EXIT_OK


def to_json(mx: Matrix) -> dict:
    """The contract: port, protocol, pods, allowed (every pod a key); `marked` is extra:
    pods with no verdict (host-network, no-ip), which appear in no allowed pair."""
    return {
        "port": mx.port,
        "protocol": mx.protocol,
        "pods": [p.ref for p in mx.pods],
        "allowed": mx.allowed_map(),
        "marked": dict(sorted(mx.marked.items())),
    }


def print_text(mx: Matrix) -> None:
    allowed = mx.allowed_map()
    total = sum(len(v) for v in allowed.values())
    refs = [p.ref for p in mx.pods]
    print(f"{mx.protocol} {mx.port}: {len(refs)} pods, {total} allowed ordered pairs")
    if not refs:
        return
    if len(refs) > GRID_LIMIT:
        for ref in refs:
            state = mx.marked.get(ref)
            dsts = allowed[ref]
            tail = f"[{state}]" if state else (", ".join(dsts) if dsts else "(none)")
            print(clean(f"{ref} -> {tail}", single_line=True))
        return
    print(
        "legend: + allowed  . denied  \\ same pod  h host-network  n no-ip; "
        "rows are sources, columns destinations"
    )
    names = [clean(r, single_line=True) for r in refs]
    width = max(len(n) for n in names)
    digits = len(str(len(refs)))
    for d in range(digits):  # column numbers written vertically
        print(
            " " * (width + digits + 3)
            + " ".join(str(i + 1).rjust(digits)[d] for i in range(len(refs)))
        )
    for i, src in enumerate(refs):
        cells = " ".join(GLYPHS[_cell(mx, allowed, src, dst)] for dst in refs)
        print(f"{str(i + 1).rjust(digits)} {names[i].ljust(width)}  {cells}")


def _cell(mx: Matrix, allowed: dict[str, list[str]], src: str, dst: str) -> str:
    if src == dst:
        return "same-pod"
    for ref in (src, dst):
        if ref in mx.marked:
            return mx.marked[ref]
    return "allowed" if dst in allowed[src] else "denied"
