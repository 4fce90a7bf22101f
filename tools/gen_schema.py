"""Generate mlview/schema.json: the OpenAPI types of every kind mlview reads.

    python tools/gen_schema.py          # rewrite the file
    python tools/gen_schema.py --check  # exit 1 when the file is out of date

Core kinds come from the official `kubernetes` client's models (`openapi_types` and
`attribute_map`: the API server's own OpenAPI document, generated into Python), so the types
are the API server's, not ours. The client is a tool dependency only: mlview reads the JSON at
runtime and never imports it (startup time). The client types every quantity as a string and
every int-or-string as `object`, so those are corrected by field name below. The CRDs (Gateway
API, KServe) are not in the client: their types are written here as data, for the fields mlview
reads (the rest of a CRD object is not checked).

Type strings in the file: str, int, bool, float, date (RFC 3339, a YAML timestamp is accepted),
any, intstr (integer or string), quantity (string or number), name (a non-empty string),
labels (a map of label keys to label values), [T] (a list of T), {T} (a map of strings to T),
or the name of a type in "types".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mlview.kinds import KINDS  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "mlview" / "schema.json"

# The client types these `dict[str, str]` / `str`; the API server reads a resource.Quantity,
# which a manifest may write as a number (`cpu: 0.5`).
QUANTITY_FIELDS = {
    "limits",
    "requests",
    "capacity",
    "allocatable",
    "allocatedResources",
    "hard",
    "used",
    "sizeLimit",
}
# The client types these `object`; the API server reads an IntOrString.
INT_OR_STRING_FIELDS = {"targetPort", "port", "maxUnavailable", "maxSurge"}
SKIPPED_FIELDS = {"managedFields"}  # dropped by the loader before the store

# Gateway API v1 (and ReferenceGrant v1beta1), the fields mlview reads.
_PARENT_REF = {
    "group": "str",
    "kind": "str",
    "namespace": "str",
    "name": "str",
    "sectionName": "str",
    "port": "int",
}
_BACKEND_REF = {
    "group": "str",
    "kind": "str",
    "namespace": "str",
    "name": "str",
    "port": "int",
    "weight": "int",
    "filters": "[any]",
}
_CONDITION = {
    "type": "str",
    "status": "str",
    "reason": "str",
    "message": "str",
    "lastTransitionTime": "date",
    "observedGeneration": "int",
}
CRD_TYPES: dict[str, dict[str, str]] = {
    "GwCondition": _CONDITION,
    "GwParentRef": _PARENT_REF,
    "GwBackendRef": _BACKEND_REF,
    "GatewayClass": {"metadata": "V1ObjectMeta", "spec": "GatewayClassSpec", "status": "GwStatus"},
    "GatewayClassSpec": {"controllerName": "str", "description": "str"},
    "GwStatus": {"conditions": "[GwCondition]"},
    "Gateway": {"metadata": "V1ObjectMeta", "spec": "GatewaySpec", "status": "GatewayStatus"},
    "GatewaySpec": {
        "gatewayClassName": "str",
        "listeners": "[GwListener]",
        "addresses": "[GwAddress]",
    },
    "GwAddress": {"type": "str", "value": "str"},
    "GwListener": {
        "name": "str",
        "hostname": "str",
        "port": "int",
        "protocol": "str",
        "tls": "GwListenerTLS",
        "allowedRoutes": "GwAllowedRoutes",
    },
    "GwListenerTLS": {"mode": "str", "certificateRefs": "[GwObjectRef]", "options": "{str}"},
    "GwObjectRef": {"group": "str", "kind": "str", "name": "str", "namespace": "str"},
    "GwAllowedRoutes": {"namespaces": "GwRouteNamespaces", "kinds": "[GwRouteKind]"},
    "GwRouteNamespaces": {"from": "str", "selector": "V1LabelSelector"},
    "GwRouteKind": {"group": "str", "kind": "str"},
    "GatewayStatus": {
        "addresses": "[GwAddress]",
        "conditions": "[GwCondition]",
        "listeners": "[GwListenerStatus]",
    },
    "GwListenerStatus": {
        "name": "str",
        "attachedRoutes": "int",
        "conditions": "[GwCondition]",
        "supportedKinds": "[GwRouteKind]",
    },
    "HTTPRoute": {"metadata": "V1ObjectMeta", "spec": "HTTPRouteSpec", "status": "RouteStatus"},
    "GRPCRoute": {"metadata": "V1ObjectMeta", "spec": "GRPCRouteSpec", "status": "RouteStatus"},
    "HTTPRouteSpec": {
        "parentRefs": "[GwParentRef]",
        "hostnames": "[str]",
        "rules": "[HTTPRouteRule]",
    },
    "GRPCRouteSpec": {
        "parentRefs": "[GwParentRef]",
        "hostnames": "[str]",
        "rules": "[GRPCRouteRule]",
    },
    "HTTPRouteRule": {
        "name": "str",
        "matches": "[HTTPRouteMatch]",
        "filters": "[HTTPRouteFilter]",
        "backendRefs": "[GwBackendRef]",
        "timeouts": "HTTPRouteTimeouts",
    },
    "GRPCRouteRule": {
        "name": "str",
        "matches": "[GRPCRouteMatch]",
        "filters": "[any]",
        "backendRefs": "[GwBackendRef]",
    },
    "HTTPRouteMatch": {
        "path": "HTTPPathMatch",
        "headers": "[GwMatchValue]",
        "queryParams": "[GwMatchValue]",
        "method": "str",
    },
    "GRPCRouteMatch": {"method": "GRPCMethodMatch", "headers": "[GwMatchValue]"},
    "GRPCMethodMatch": {"type": "str", "service": "str", "method": "str"},
    "HTTPPathMatch": {"type": "str", "value": "str"},
    "GwMatchValue": {"type": "str", "name": "str", "value": "str"},
    "HTTPRouteFilter": {"type": "str", "requestRedirect": "HTTPRequestRedirect"},
    "HTTPRequestRedirect": {
        "scheme": "str",
        "hostname": "str",
        "path": "any",
        "port": "int",
        "statusCode": "int",
    },
    "HTTPRouteTimeouts": {"request": "str", "backendRequest": "str"},
    "RouteStatus": {"parents": "[RouteParentStatus]"},
    "RouteParentStatus": {
        "parentRef": "GwParentRef",
        "controllerName": "str",
        "conditions": "[GwCondition]",
    },
    "ReferenceGrant": {"metadata": "V1ObjectMeta", "spec": "ReferenceGrantSpec"},
    "ReferenceGrantSpec": {"from": "[GwObjectRef]", "to": "[GwObjectRef]"},
    # KServe v1beta1: mlview reads each component's timeout (seconds).
    "InferenceService": {
        "metadata": "V1ObjectMeta",
        "spec": "IsvcSpec",
        "status": "any",
    },
    "IsvcSpec": {
        "predictor": "IsvcComponent",
        "transformer": "IsvcComponent",
        "explainer": "IsvcComponent",
    },
    "IsvcComponent": {"timeout": "int", "minReplicas": "int", "maxReplicas": "int"},
    # GKE cloud.google.com/v1 BackendConfig: mlview reads the backend service's timeout.
    "BackendConfig": {"metadata": "V1ObjectMeta", "spec": "BackendConfigSpec", "status": "any"},
    "BackendConfigSpec": {"timeoutSec": "int"},
}


def _convert(client_type: str, field: str, owner: str, want: set[str]) -> str:
    """A client type string ('list[V1Container]', 'dict[str, str]', 'object'...) as ours."""
    m = re.fullmatch(r"list\[(.+)\]", client_type)
    if m:
        return f"[{_convert(m.group(1), field, owner, want)}]"
    m = re.fullmatch(r"dict\(str, (.+)\)|dict\[str, (.+)\]", client_type)
    if m:
        inner = m.group(1) or m.group(2)
        if field in QUANTITY_FIELDS and inner == "str":
            return "{quantity}"
        if field in ("labels", "matchLabels") and inner == "str":
            return "labels"
        return "{" + _convert(inner, field, owner, want) + "}"
    if client_type == "object":
        return "intstr" if field in INT_OR_STRING_FIELDS else "any"
    if client_type == "str":
        if field in QUANTITY_FIELDS:
            return "quantity"
        if owner == "V1ObjectMeta" and field == "name":
            return "name"
        return "str"
    if client_type == "datetime":
        return "date"
    if client_type in ("int", "bool", "float"):
        return client_type
    want.add(client_type)
    return client_type


def _client_model(kind: str) -> str:
    from kubernetes.client import models

    for name in (f"V1{kind}", f"CoreV1{kind}", f"V1beta1{kind}"):
        if hasattr(models, name):
            return name
    raise SystemExit(f"no kubernetes client model for {kind}")


def build() -> dict[str, object]:
    from kubernetes.client import models

    types: dict[str, dict[str, str]] = {}
    kinds: dict[str, str] = {}
    todo: set[str] = set()
    for kind in KINDS:
        if kind in CRD_TYPES:
            kinds[kind] = kind
            continue
        kinds[kind] = _client_model(kind)
        todo.add(kinds[kind])
    while todo:
        name = todo.pop()
        if name in types:
            continue
        cls = getattr(models, name)
        fields: dict[str, str] = {}
        want: set[str] = set()
        for attr, client_type in sorted(cls.openapi_types.items()):
            field = cls.attribute_map[attr]
            if field in SKIPPED_FIELDS:
                continue
            fields[field] = _convert(client_type, field, name, want)
        types[name] = fields
        todo |= want - set(types)
    for name, fields in CRD_TYPES.items():
        types[name] = dict(fields)
    missing = {
        t.strip("[]{}")
        for f in types.values()
        for t in f.values()
        if t.strip("[]{}")[:1].isupper() and t.strip("[]{}") not in types
    }
    if missing:
        raise SystemExit(f"types used but not defined: {sorted(missing)}")
    return {"kinds": dict(sorted(kinds.items())), "types": dict(sorted(types.items()))}


def render() -> str:
    return json.dumps(build(), separators=(",", ":"), sort_keys=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.name} is out of date: run tools/gen_schema.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
