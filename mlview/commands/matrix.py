"""`mlview matrix`: which pods may connect to which on one port, and why (NetworkPolicy)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

from mlview.commands.common import EXIT_OK, UsageError, add_source_options, open_store
from mlview.sanitize import clean

if TYPE_CHECKING:
    from mlview.analysis.reachability.engine import Matrix

GRID_LIMIT = 40  # more pods than this: one line per source instead of a grid
GROUPED_ABOVE = 2000  # more pods than this: equivalence classes instead of pairs (--pairs)
ROWS_HELD = 2_000_000  # destination refs cached across a class's pods when streaming pairs
VIRTUAL_MARK = "*"
VIRTUAL_LEGEND = "* virtual: not in the snapshot, would be created by its workload"
GLYPHS = {"allowed": "+", "denied": ".", "same-pod": "\\", "host-network": "h", "no-ip": "n"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "matrix", help="pod-to-pod reachability on one port under NetworkPolicy, with reasons"
    )
    add_source_options(p)
    p.add_argument("--port", default="9000", help="destination port (default 9000)")
    p.add_argument("--protocol", default="TCP", help="TCP, UDP or SCTP (default TCP)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    shape = p.add_mutually_exclusive_group()
    shape.add_argument(
        "--pairs",
        action="store_true",
        help=f"list every allowed pair even above {GROUPED_ABOVE} pods (the default below)",
    )
    shape.add_argument(
        "--grouped",
        action="store_true",
        help=f"group pods that get the same verdicts (the default above {GROUPED_ABOVE} pods)",
    )
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
    from mlview.analysis.shared.virtual_pods import complete, virtual_refs

    view = complete(open_store(args).view())
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
    virtual = [r for r in virtual_refs(view) if r in mx.class_of or r in mx.marked]
    grouped = args.grouped or (len(mx.pods) > GROUPED_ABOVE and not args.pairs)
    out = sys.stdout
    if args.format == "json":
        if grouped:
            write_grouped_json(mx, virtual, out)
        elif len(mx.pods) <= 50:  # indented for small clusters
            out.write(json.dumps(to_json(mx, virtual), indent=1) + "\n")
        else:  # one line, written as it is built: millions of pairs never make one string
            write_pairs_json(mx, virtual, out)
    elif grouped:
        print_grouped(mx, virtual, out)
    else:
        print_text(mx, virtual)
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


def to_json(mx: Matrix, virtual: list[str] | None = None) -> dict:
    """The contract: port, protocol, pods, allowed (every pod a key); `marked` is extra:
    pods with no verdict (host-network, no-ip), which appear in no allowed pair; `virtual`
    (only when there are some): pods that do not exist yet, stood for by a workload's template."""
    data = {
        "port": mx.port,
        "protocol": mx.protocol,
        "pods": [p.ref for p in mx.pods],
        "allowed": mx.allowed_map(),
        "marked": dict(sorted(mx.marked.items())),
    }
    if virtual:
        data["virtual"] = list(virtual)
    return data


def allowed_rows(mx: Matrix) -> Iterator[tuple[str, list[str]]]:
    """(pod, the pods it may reach) in pod order, one class's list built once and reused."""
    from mlview.analysis.reachability.bits import bit_list

    per_class: dict[int, list[str]] = {}
    held = 0  # refs held in per_class: bounded, so memory stays flat on big clusters
    for pod in mx.pods:
        c = mx.class_of.get(pod.ref)
        if c is None:
            yield pod.ref, []
            continue
        if c not in per_class:
            row = mx.row(c)
            per_class[c] = sorted(p.ref for d in bit_list(row) for p in mx.classes[d].members)
            held += len(per_class[c])
            if held > ROWS_HELD:
                per_class = {c: per_class[c]}
                held = len(per_class[c])
        yield pod.ref, [r for r in per_class[c] if r != pod.ref]


def write_pairs_json(mx: Matrix, virtual: list[str], out: TextIO) -> None:
    """What json.dumps(to_json(mx)) prints on one line, written piece by piece."""
    out.write(f'{{"port": {json.dumps(mx.port)}, "protocol": {json.dumps(mx.protocol)}, ')
    out.write('"pods": ' + json.dumps([p.ref for p in mx.pods]) + ', "allowed": {')
    for i, (ref, dsts) in enumerate(allowed_rows(mx)):
        out.write((", " if i else "") + json.dumps(ref) + ": " + json.dumps(dsts))
    out.write('}, "marked": ' + json.dumps(dict(sorted(mx.marked.items()))))
    if virtual:
        out.write(', "virtual": ' + json.dumps(virtual))
    out.write("}\n")


def group_id(index: int) -> str:
    return f"g{index}"


def group_rows(mx: Matrix, counter: list[int]) -> Iterator[tuple[str, list[str]]]:
    """(group id, ids of the groups it reaches) per class; counter[0] adds up the allowed
    pairs of distinct pods as the rows go (one pass over the bitsets, not two)."""
    from mlview.analysis.reachability.bits import bit_list

    ids = [group_id(c.index) for c in mx.classes]
    sizes = [len(c.members) for c in mx.classes]
    for c in mx.classes:
        dsts = bit_list(mx.row(c.index))
        n = sum(map(sizes.__getitem__, dsts))
        self_reach = bool(dsts) and (mx.row(c.index) >> c.index) & 1
        counter[0] += sizes[c.index] * n - (sizes[c.index] if self_reach else 0)
        yield ids[c.index], list(map(ids.__getitem__, dsts))


def write_grouped_json(mx: Matrix, virtual: list[str], out: TextIO) -> None:
    """The engine's equivalence classes: pods of a group get the same verdict from and to every
    other pod, so `allowed` maps a group to the groups its pods may reach (a pod never counts
    as reaching itself). One line, written group by group."""
    out.write(f'{{"port": {json.dumps(mx.port)}, "protocol": {json.dumps(mx.protocol)}, ')
    out.write(f'"pods": {len(mx.pods)}, "groups": [')
    for i, c in enumerate(mx.classes):
        group = {"id": group_id(c.index), "namespace": c.namespace}
        group["pods"] = [p.ref for p in c.members]  # type: ignore[assignment]
        out.write((", " if i else "") + json.dumps(group))
    out.write('], "allowed": {')
    pairs = [0]
    for i, (gid, dsts) in enumerate(group_rows(mx, pairs)):
        out.write((", " if i else "") + json.dumps(gid) + ": " + json.dumps(dsts))
    out.write('}, "allowed_pairs": ' + str(pairs[0]))
    out.write(', "marked": ' + json.dumps(dict(sorted(mx.marked.items()))))
    out.write(', "virtual": ' + json.dumps(virtual) + "}\n")


def print_grouped(mx: Matrix, virtual: list[str], out: TextIO) -> None:
    """The text form of the grouped matrix: each group's pods, then what each group reaches,
    then the number of allowed pairs."""
    virt = set(virtual)
    out.write(f"{mx.protocol} {mx.port}: {len(mx.pods)} pods in {len(mx.classes)} groups\n")
    out.write("pods of a group get the same verdicts; a pod never counts as reaching itself\n")
    if virt:
        out.write(VIRTUAL_LEGEND + "\n")
    for c in mx.classes:
        names = ", ".join(p.ref + (VIRTUAL_MARK if p.ref in virt else "") for p in c.members)
        line = f"{group_id(c.index)} ({len(c.members)} pods): {names}"
        out.write(clean(line, single_line=True) + "\n")
    pairs = [0]
    for gid, dsts in group_rows(mx, pairs):
        out.write(f"{gid} -> {', '.join(dsts) if dsts else '(none)'}\n")
    for ref, state in sorted(mx.marked.items()):
        out.write(clean(f"{ref} [{state}]", single_line=True) + "\n")
    out.write(f"{pairs[0]} allowed ordered pairs\n")


def print_text(mx: Matrix, virtual: list[str] | None = None) -> None:
    virt = set(virtual or ())
    total = mx.count_allowed()
    refs = [p.ref for p in mx.pods]
    print(f"{mx.protocol} {mx.port}: {len(refs)} pods, {total} allowed ordered pairs")
    if not refs:
        return
    if virt:
        print(VIRTUAL_LEGEND)
    if len(refs) > GRID_LIMIT:
        for ref, dsts in allowed_rows(mx):
            state = mx.marked.get(ref)
            tail = f"[{state}]" if state else (", ".join(dsts) if dsts else "(none)")
            mark = VIRTUAL_MARK if ref in virt else ""
            print(clean(f"{ref}{mark} -> {tail}", single_line=True))
        return
    allowed = mx.allowed_map()
    print(
        "legend: + allowed  . denied  \\ same pod  h host-network  n no-ip; "
        "rows are sources, columns destinations"
    )
    names = [clean(r + (VIRTUAL_MARK if r in virt else ""), single_line=True) for r in refs]
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
