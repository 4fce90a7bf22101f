"""Generate the bundled demo scenarios (demo/<name>.json), deterministically.

    python tools/gen_demo.py [OUTPUT_DIR]      # default: the repository's demo/ folder

Each scenario is one `v1 List` as `kubectl get ... -A -o json` prints it (JSON parses about
fifty times faster than YAML, which keeps `mlview --demo` quick to start), wrapped by
mlview.sources.snapshot.snapshot_list with a fixed recorded-at time. The platform pieces live
in demo_platform.py; this file composes them and plants each scenario's problems.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # sibling builder modules
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the mlview package


from demo_kit import RECORDED_AT, Cluster  # noqa: E402
from demo_net import derive_endpoints  # noqa: E402
from demo_storage import derive_attachments  # noqa: E402
from scenario_incidents import incident_504, incident_pending_pvc  # noqa: E402
from scenario_network import ml_gateway, netpol_lockdown  # noqa: E402
from scenario_platform import ml_platform  # noqa: E402
from scenario_upgrade import after_upgrade, before_upgrade  # noqa: E402

from mlview.kinds import KINDS  # noqa: E402
from mlview.sources.snapshot import snapshot_list  # noqa: E402

CORE_KINDS = [k for k, info in KINDS.items() if not info.optional]
GATEWAY_KINDS = ["GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant"]

# --- writing ---------------------------------------------------------------------------------

SCENARIOS: dict[str, tuple[Callable[[], Cluster], str, list[str]]] = {
    "ml-platform": (
        ml_platform,
        "Healthy ML platform: training job on 4 GPU nodes, three model APIs behind "
        "ingress-nginx, model store, datasets on EBS/EFS.",
        CORE_KINDS,
    ),
    "incident-504": (
        incident_504,
        "504s on /v1/translate: 60 s default read timeout vs a 90 s model; invalid, misspelt "
        "and wrong-controller annotations; llm-api backed by pods that are not ready (one "
        "OOMKilled); a summarize rollout stuck at 1/3 ready (ImagePullBackOff).",
        CORE_KINDS,
    ),
    "incident-pending-pvc": (
        incident_pending_pvc,
        "Storage incident: ROX dataset on an EBS class, a missing StorageClass (a model "
        "server's weights cache: Pending), an unused WaitForFirstConsumer claim, a "
        "Multi-Attach error and a Released volume.",
        CORE_KINDS,
    ),
    "netpol-lockdown": (
        netpol_lockdown,
        "NetworkPolicy lockdown: default-deny without DNS in ml-serving cuts the ingress path; "
        "an AND/OR selector trap, a named port, a policy selecting nothing, a model server "
        "denied the model store.",
        CORE_KINDS,
    ),
    "ml-gateway": (
        ml_gateway,
        "Model APIs through Gateway API (Envoy Gateway): a route not accepted, a 30 s timeout "
        "for a 90 s model, a cross-namespace backend without ReferenceGrant.",
        CORE_KINDS + GATEWAY_KINDS,
    ),
    # The pair `mlview diff --demo` compares.
    "before-upgrade": (
        before_upgrade,
        "Before a Helm upgrade: the healthy ML platform (compare with after-upgrade: "
        "mlview diff --demo).",
        CORE_KINDS,
    ),
    "after-upgrade": (
        after_upgrade,
        "After a Helm upgrade: the read-timeout annotation dropped (504s), a default-deny "
        "that cuts ingress-nginx off, a checkpoint claim recreated on an Immediate class in "
        "the wrong zone; plus a rollout and noise.",
        CORE_KINDS,
    ),
}

_ORDER = {k: i for i, k in enumerate(KINDS)}


def _sorted_keys(value: Any) -> Any:
    """kubectl prints object keys alphabetically; do the same for every item."""
    if isinstance(value, dict):
        return {k: _sorted_keys(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(v) for v in value]
    return value


def build(name: str) -> dict[str, Any]:
    make, description, kinds = SCENARIOS[name]
    cl = make()
    derive_endpoints(cl)
    derive_attachments(cl)
    items = sorted(
        cl.objects,
        key=lambda o: (
            _ORDER[o["kind"]],
            o["metadata"].get("namespace") or "",
            o["metadata"]["name"],
        ),
    )
    return snapshot_list(
        [_sorted_keys(o) for o in items],
        recorded_at=RECORDED_AT,
        context=f"arn:aws:eks:eu-west-1:123456789012:cluster/{name}",
        description=description,
        listed_kinds=kinds,
    )


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "demo"
    out.mkdir(parents=True, exist_ok=True)
    for name in SCENARIOS:
        text = json.dumps(build(name), indent=2, ensure_ascii=False) + "\n"
        (out / f"{name}.json").write_text(text, encoding="utf-8")
        print(f"wrote {out / (name + '.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
