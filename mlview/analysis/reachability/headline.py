"""The headline question by workload: who may connect to these pods (or where may these pods
connect), one verdict per pair of workloads. For `mlview matrix --to/--from`.

A pair of workloads is "allowed" or "denied" when every pod pair agrees, "mixed" otherwise
(with the count); pods without a verdict (host network, no IP) keep their state.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlview.analysis.reachability.engine import Matrix
from mlview.analysis.reachability.groups import Group, workload_groups
from mlview.analysis.reachability.model import PodInfo
from mlview.store import StoreView

ORDER = ("allowed", "mixed", "denied", "host-network", "no-ip")


@dataclass(frozen=True)
class PeerVerdict:
    peer: Group  # the workload on the other side
    verdict: str  # allowed | denied | mixed | host-network | no-ip
    allowed: int  # allowed pod pairs
    pairs: int  # pod pairs (a pod with itself does not count)
    unjudged: int = 0  # pod pairs without a verdict (a pod on the host network, or no IP)


@dataclass(frozen=True)
class WorkloadAnswer:
    workload: Group  # a destination (inbound) or a source (outbound)
    peers: tuple[PeerVerdict, ...]  # allowed first, then mixed, denied, no verdict


def label(g: Group) -> str:
    return f"{g.namespace}/{g.name} ({g.kind}, {len(g.pods)} pod{'s' if len(g.pods) != 1 else ''})"


def by_workload(
    view: StoreView, mx: Matrix, sources: list[PodInfo], dests: list[PodInfo], inbound: bool
) -> list[WorkloadAnswer]:
    """Per destination workload its source workloads (inbound), or per source workload its
    destination workloads (outbound)."""
    outer, inner = (dests, sources) if inbound else (sources, dests)
    inner_groups = workload_groups(view, inner)
    out = []
    for g in workload_groups(view, outer):
        peers = []
        for peer in inner_groups:
            verdicts: dict[str, int] = {}
            for a in g.pods:
                for b in peer.pods:
                    if a.ref == b.ref:
                        continue
                    src, dst = (b, a) if inbound else (a, b)
                    v = mx.verdict(src.ref, dst.ref)
                    verdicts[v] = verdicts.get(v, 0) + 1
            if not verdicts:
                continue
            peers.append(_verdict(peer, verdicts))
        peers.sort(key=lambda p: ORDER.index(p.verdict))
        out.append(WorkloadAnswer(g, tuple(peers)))
    return out


def _verdict(peer: Group, counts: dict[str, int]) -> PeerVerdict:
    """Allowed or denied when the judged pairs agree, mixed when they do not; a pair of
    workloads with no judged pair keeps the state of its pods (host-network, no-ip)."""
    allowed, denied = counts.get("allowed", 0), counts.get("denied", 0)
    pairs = sum(counts.values())
    if allowed and denied:
        verdict = "mixed"
    elif allowed or denied:
        verdict = "allowed" if allowed else "denied"
    else:
        verdict = min(counts, key=ORDER.index)
    return PeerVerdict(peer, verdict, allowed, pairs, pairs - allowed - denied)
