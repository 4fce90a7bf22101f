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
    p.add_argument(
        "--from",
        dest="from_selector",
        metavar="SELECTOR",
        help="sources: pods matching a label selector (kubectl -l syntax); answered by workload",
    )
    p.add_argument(
        "--to",
        dest="to_selector",
        metavar="SELECTOR",
        help="destinations, e.g. --to app=model-store: who may connect to them, by workload",
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
            raise UsageError(str(exc.args[0]) + _did_you_mean(view, args.explain)) from None
        if args.format == "json":
            print(json.dumps(ex.to_json(), indent=2))
        else:
            print("\n".join(clean(line, single_line=True) for line in ex.lines()))
        return EXIT_OK
    mx = compute_matrix(view, port, protocol, args.namespace)
    if getattr(args, "from_selector", None) or getattr(args, "to_selector", None):
        return _by_workload(view, mx, args)
    if args.format == "json":
        # indented for small clusters; one line for large ones (millions of pairs)
        print(json.dumps(to_json(mx), indent=1 if len(mx.pods) <= 50 else None))
    else:
        print_text(mx)
    return EXIT_OK


def _did_you_mean(view, given: list[str]) -> str:
    """For pod names given to --explain: the pods their text is closest to."""
    import difflib

    from mlview.analysis.reachability import model as m

    refs = [p.ref for p in m.pods(view)]
    hints = []
    for text in given:
        if text in refs:
            continue
        starts = [r for r in refs if r.startswith(text) or r.split("/", 1)[-1].startswith(text)]
        close = starts[:3] or difflib.get_close_matches(text, refs, n=3, cutoff=0.7)
        if close:
            hints.append(f"{' or '.join(close)} for {text!r}")
    return f"; did you mean {'; '.join(hints)}?" if hints else ""


def _selected(mx: Matrix, text: str | None, what: str) -> list:
    from mlview import selectors

    if not text:
        return list(mx.pods)
    try:
        sel = selectors.parse(text)
    except selectors.SelectorError as exc:
        raise UsageError(f"{what} {text!r}: {exc}") from None
    return [p for p in mx.pods if selectors.matches(sel, p.labels)]


def _by_workload(view, mx: Matrix, args: argparse.Namespace) -> int:
    """--from/--to: the headline question answered per workload pair."""
    from mlview.analysis.reachability.headline import by_workload, label

    sources = _selected(mx, args.from_selector, "--from")
    dests = _selected(mx, args.to_selector, "--to")
    inbound = bool(args.to_selector)
    answers = by_workload(view, mx, sources, dests, inbound)
    if args.format == "json":
        print(json.dumps(_workload_json(mx, args, answers, inbound), indent=1))
        return EXIT_OK
    to = args.to_selector or "every pod"
    frm = args.from_selector or "every pod"
    print(f"{mx.protocol} {mx.port}: from {frm} ({len(sources)} pods) to {to} ({len(dests)} pods)")
    if not answers:
        side = "--to" if not dests else "--from"
        print(f"no pod matches {side}")
    for a in answers:
        head = "may be reached from" if inbound else "may connect to"
        line = f"{label(a.workload)} {head}:{_unjudged(mx, a.workload.pods)}"
        print(clean(line, single_line=True))
        if not a.peers:
            print("  (no other pod)")
        for p in a.peers:
            tail = f": {p.allowed} of {p.pairs} pod pairs allowed" if p.verdict == "mixed" else ""
            if p.verdict in ("allowed", "denied", "mixed"):
                tail += _unjudged(mx, p.peer.pods)
            print(clean(f"  {p.verdict:<12} {label(p.peer)}{tail}", single_line=True))
    return EXIT_OK


def _unjudged(mx: Matrix, pods: list) -> str:
    """Pods of a workload that get no verdict (host network, no IP yet), named once."""
    marked = [f"{p.name} ({mx.marked[p.ref]})" for p in pods if p.ref in mx.marked]
    return f" [no verdict for {', '.join(marked)}]" if marked else ""


def _workload_json(mx: Matrix, args: argparse.Namespace, answers: list, inbound: bool) -> dict:
    def ref(g) -> str:
        return f"{g.namespace}/{g.kind}/{g.name}"

    return {
        "port": mx.port,
        "protocol": mx.protocol,
        "from": args.from_selector or "",
        "to": args.to_selector or "",
        "direction": "inbound" if inbound else "outbound",
        "workloads": [
            {
                "workload": ref(a.workload),
                "pods": [p.ref for p in a.workload.pods],
                "peers": [
                    {
                        "workload": ref(p.peer),
                        "verdict": p.verdict,
                        "allowed_pairs": p.allowed,
                        "pairs": p.pairs,
                        "unjudged_pairs": p.unjudged,
                    }
                    for p in a.peers
                ],
            }
            for a in answers
        ],
    }


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
