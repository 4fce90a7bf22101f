"""The timeout budget: which hop cuts a request that takes as long as the backend needs.

Hops are listed in request order (load balancer, proxy). A hop cuts a request whose expected
latency is above its timeout; among those, the one whose answer reaches the client first decides
(a proxy that retries answers only after all its attempts, so a load balancer with a shorter idle
timeout may cut first). On a tie, the outer hop. The client gets that hop's status (504).
"""

from __future__ import annotations

from mlview.analysis.shared.hops import Hop
from mlview.analysis.trace.model import FAILING, OK, SKIPPED, WARNING, Ref, TraceStep, fmt_secs


def first_cut(hops: list[Hop], need: float | None = None) -> Hop | None:
    """The hop whose answer reaches the client first among those that cut a `need`-second
    request (every hop with a known timeout when `need` is None). On a tie, the outer hop."""
    known = [h for h in hops if h.seconds is not None and h.seconds > 0]
    if need is not None:
        known = [h for h in known if need > (h.seconds or 0.0)]
    if not known:
        return None
    return min(known, key=lambda h: h.fires_at or 0.0)  # min keeps the first on a tie


def _cut_text(h: Hop) -> str:
    when = fmt_secs(h.seconds or 0)
    if h.fires_at is not None and h.fires_at != h.seconds:
        when += f" per attempt, answering after {fmt_secs(h.fires_at)}"
    return f"{h.name} cuts at {when} ({h.source})"


def timeouts_step(hops: list[Hop], declared: tuple[float, str] | None, ref: Ref) -> TraceStep:
    lines = []
    for h in hops:
        value = fmt_secs(h.seconds) if h.seconds is not None else "unknown"
        lines.append(f"{h.name}: {value}  ({h.source})")
        if h.note:
            lines.append(f"  note: {h.note}")
    if declared is not None:
        lines.append(f"backend latency: {fmt_secs(declared[0])}  ({declared[1]})")
    refs = (ref, *(h.ref for h in hops if h.ref is not None and h.ref != ref))
    shortest = first_cut(hops)
    if shortest is None:
        return TraceStep(
            "timeouts", SKIPPED, "no timeout we can read on this path", None, refs, tuple(lines)
        )
    if declared is None:
        return TraceStep(
            "timeouts",
            SKIPPED,
            "no expected latency (give --expected-latency or annotate the Service "
            f"mlview.io/expected-latency); shortest: {_cut_text(shortest)}",
            None,
            refs,
            tuple(lines),
        )
    need, source = declared
    cut = first_cut(hops, need)
    if cut is not None:
        return TraceStep(
            "timeouts",
            FAILING,
            f"the backend may take {fmt_secs(need)} ({source}); {_cut_text(cut)}: the client "
            f"gets {cut.status}",
            cut.status,
            refs,
            tuple(lines),
        )
    unknown = [h.name for h in hops if h.seconds is None]
    if unknown:
        return TraceStep(
            "timeouts",
            WARNING,
            f"{fmt_secs(need)} ({source}) fits the timeouts we can read (shortest: "
            f"{_cut_text(shortest)}); unknown: {', '.join(unknown)}",
            None,
            refs,
            tuple(lines),
        )
    return TraceStep(
        "timeouts",
        OK,
        f"{fmt_secs(need)} ({source}) fits; shortest: {_cut_text(shortest)}",
        None,
        refs,
        tuple(lines),
    )
