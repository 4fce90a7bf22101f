"""The reachability questions of one model service, answered by the engine for its pods.

- model store: may the service's pods open TCP 9000 (the model store's port, the Reachability
  tab's default question) to the pods that expose it?
- DNS: may they reach the cluster DNS pods (label k8s-app=kube-dns) on UDP 53?
- inbound: who may connect to the service's pods on its serving port: the ingress controller
  and Gateway data-plane pods first, then other namespaces.

Each answer carries the deciding policy and rule (the engine's explanation of one pair) and is
None where the snapshot cannot tell (no destination pods, pods without IPs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mlview.analysis.reachability.engine import BadQuery, compute_matrix
from mlview.analysis.reachability.explain import Explanation, explain
from mlview.analysis.shared import objects as o
from mlview.store import StoreView

MODEL_STORE_PORT = 9000
DNS_LABEL = ("k8s-app", "kube-dns")
PROXY_WORDS = ("ingress-nginx", "envoy", "gateway")


@dataclass(frozen=True)
class Reach:
    question: str  # "TCP 9000 to the model store"
    allowed: bool | None  # None: the snapshot cannot tell
    because: str  # the deciding line of the explanation, or why there is no answer
    pairs: str = ""  # "3 of 3 pods" / "0 of 2 pods"

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "allowed": self.allowed,
            "because": self.because,
            "pairs": self.pairs,
        }


def _with_ip(pods: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Pods a verdict can be given for: with an IP, or virtual (a manifest folder's)."""
    return [p for p in pods if o.has_ip(p)]


def _deciding(expl: Explanation, prefer: str) -> str:
    """Which policy and rule decide: the denying side(s) of a denied pair, else the side the
    question is about (egress for where the pods may go, ingress for who may come in)."""
    sides = [s for s in (expl.egress, expl.ingress) if s is not None]
    denying = [s for s in sides if not s.allowed]
    chosen = denying or [s for s in sides if s.direction.lower() == prefer] or sides
    return "; ".join(f"{s.direction}: {s.reason}" for s in chosen)


def _because(
    view: StoreView, mx: Any, src: str, dst: str, port: int, protocol: str, prefer: str
) -> str:
    """The deciding rule for a pair, computed once per pair of pod classes (pods of one class
    are decided by the same rules, so the answer is the same for all of them)."""
    key = (
        "services",
        "because",
        port,
        protocol,
        prefer,
        mx.class_of.get(src, src),
        mx.class_of.get(dst, dst),
    )
    return view.memo(key, lambda: _deciding(explain(view, src, dst, port, protocol), prefer))


def reach(
    view: StoreView,
    srcs: Sequence[Mapping[str, Any]],
    dsts: Sequence[Mapping[str, Any]],
    port: int,
    protocol: str,
    question: str,
) -> Reach:
    """Can each source pod reach at least one destination pod?"""
    srcs, dsts = _with_ip(srcs), _with_ip(dsts)
    if not srcs:
        return Reach(question, None, "no pod of this service has an IP in the snapshot")
    if not dsts:
        return Reach(question, None, "no destination pod (with an IP) in the snapshot")
    try:
        mx = compute_matrix(view, port, protocol)
    except BadQuery as exc:
        return Reach(question, None, str(exc))
    ok = 0
    sample: tuple[str, str] | None = None
    for s in srcs:
        verdicts = {}
        for d in dsts:
            if o.ref(d) == o.ref(s):
                continue
            try:
                verdicts[o.ref(d)] = mx.verdict(o.ref(s), o.ref(d))
            except KeyError:
                continue
        allowed = [d for d, v in verdicts.items() if v == "allowed"]
        if allowed:
            ok += 1
            sample = sample or (o.ref(s), allowed[0])
        elif verdicts and sample is None:
            sample = (o.ref(s), next(iter(verdicts)))
    if sample is None:
        return Reach(question, None, "no verdict: the pods are on the host network or the same")
    because = _because(view, mx, sample[0], sample[1], port, protocol, "egress")
    return Reach(question, ok == len(srcs), because, f"{ok} of {len(srcs)} pods")


def model_store_pods(view: StoreView, exclude: Sequence[Mapping[str, Any]]) -> list[dict]:
    """Pods exposing the model store's port, other than `exclude` (the asking service's)."""
    every = view.memo(
        ("services", "store-pods"),
        lambda: [p for p in view.list("Pod") if exposes_model_store([p])],
    )
    mine = {o.ref(p) for p in exclude}
    return [p for p in every if o.ref(p) not in mine]


def exposes_model_store(pods: Sequence[Mapping[str, Any]]) -> bool:
    return any(_port_number(cp) == MODEL_STORE_PORT for p in pods for cp in o.container_ports(p))


def dns_pods(view: StoreView) -> list[dict]:
    key, value = DNS_LABEL
    return view.memo(
        ("services", "dns-pods"),
        lambda: [p for p in view.list("Pod") if o.labels(p).get(key) == value],
    )


def _port_number(cp: Mapping[str, Any]) -> int | None:
    value = cp.get("containerPort")
    return value if isinstance(value, int) else None


def inbound(
    view: StoreView, pods: Sequence[Mapping[str, Any]], port: int | None
) -> list[tuple[str, Reach]]:
    """(source group, answer) for the proxies in front and for every other namespace."""
    if port is None or not pods:
        return []
    mine = {o.ref(p) for p in pods}
    out = []
    for group, members in source_groups(view):
        others = [p for p in members if o.ref(p) not in mine]
        if others:
            out.append((group, _any_reaches(view, others, pods, port)))
    return out


def source_groups(view: StoreView) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Every pod once: the proxies (ingress controller, Gateway data planes) by workload, the
    rest by namespace; proxies first. Once per view: every card asks the same."""

    def build() -> list[tuple[str, list[Mapping[str, Any]]]]:
        groups: dict[str, list[Mapping[str, Any]]] = {}
        for p in view.list("Pod"):
            text = " ".join([o.name(p), *o.labels(p).values()]).lower()
            if any(w in text for w in PROXY_WORDS):  # owners only for these few
                wl_kind, wl = o.owner_workload(view, p)
                groups.setdefault(f"proxy {wl_kind} {o.namespace(p)}/{wl}", []).append(p)
            else:
                groups.setdefault(f"namespace {o.namespace(p)}", []).append(p)
        order = sorted(groups, key=lambda g: (not g.startswith("proxy"), g))
        return [(g, groups[g]) for g in order]

    return view.memo(("services", "source-groups"), build)


def _any_reaches(
    view: StoreView, srcs: Sequence[Mapping[str, Any]], dsts: Sequence[Mapping[str, Any]], port: int
) -> Reach:
    """Inbound: allowed when some pod of the group may connect to some pod of the service."""
    question = f"TCP {port} from this group"
    srcs, dsts = _with_ip(srcs), _with_ip(dsts)
    if not srcs or not dsts:
        return Reach(question, None, "no pods with IPs on one side")
    try:
        mx = compute_matrix(view, port, "TCP")
    except BadQuery as exc:
        return Reach(question, None, str(exc))
    n = sum(
        1
        for s in srcs
        if any(_verdict(mx, o.ref(s), o.ref(d)) == "allowed" for d in dsts if d is not s)
    )
    because = _because(view, mx, o.ref(srcs[0]), o.ref(dsts[0]), port, "TCP", "ingress")
    return Reach(question, n > 0, because, f"{n} of {len(srcs)} pods")


def _verdict(mx: Any, src: str, dst: str) -> str:
    try:
        return str(mx.verdict(src, dst))
    except KeyError:
        return "unknown"
