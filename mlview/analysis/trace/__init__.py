"""`trace`: walk a request's path and predict the status code a client most likely gets, and why.

API: `trace(view, url, method="GET", body=None, latency=None, via="auto") -> Trace` (pure).
`Trace.to_json()` is the contract of `mlview trace --format json`:

    {"url", "method", "via": "ingress"|"gateway"|"none", "status": 200|308|404|413|500|502|503|504,
     "verdict_reason": one line,
     "steps": [{"step": "route"|"tls"|"settings"|"body-size"|"backend"|"endpoints"|
                        "network-policy"|"timeouts",
                "verdict": "ok"|"warning"|"failing"|"skipped", "detail": one line,
                "status": the code this step predicts (optional),
                "refs": [{"kind", "namespace", "name"}], "lines": [...] (optional)}]}

Steps come in request order; `status` is the first failing step's code, else 200. Which router
serves the URL: the Ingress or the Gateway API route that has a rule for it (`via="ingress"` or
`"gateway"` forces one); when both do, the Ingress (say so in the route step). A URL without a
scheme is plain http. Module map: trace_model (data, option parsing), trace_ingress,
trace_settings (ingress-nginx settings, body size, retries), trace_gateway, trace_backend
(Service, endpoints, NetworkPolicy), trace_hops (proxy pods, load balancers), trace_timeouts
(which hop cuts first).
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from mlview.analysis.gateway import match as gateway_match
from mlview.analysis.gateway.match import unattached
from mlview.analysis.ingress.match import match_url
from mlview.analysis.trace.gateway import gateway_steps
from mlview.analysis.trace.ingress import ingress_steps
from mlview.analysis.trace.model import (
    FAILING,
    OptionError,
    Trace,
    TraceStep,
    parse_latency,
    parse_size,
)
from mlview.store import StoreView

__all__ = [
    "OptionError",
    "Trace",
    "TraceStep",
    "normalise_url",
    "parse_latency",
    "parse_size",
    "trace",
]

VIAS = ("auto", "ingress", "gateway")


def normalise_url(url: str) -> tuple[str, str, str, str]:
    """(url with scheme, scheme, host, path). Raises OptionError on a URL without a host."""
    text = (url or "").strip()
    if not text:
        raise OptionError("no URL given")
    if "://" not in text:
        text = "http://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError as exc:
        raise OptionError(f"URL {url!r} is malformed: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise OptionError(f"URL {url!r}: scheme {scheme!r} is not http or https")
    if not host:
        raise OptionError(f"URL {url!r} has no host")
    return text, scheme, host, parts.path or "/"


def choose_router(view: StoreView, url: str, scheme: str, host: str, path: str) -> tuple[str, str]:
    """("ingress" | "gateway", why) for a URL both kinds might serve."""
    ing = match_url(view, url)
    ing_rule = ing.row is not None and not ing.row.default_backend
    gw = gateway_match(view, host, path, scheme)
    gw_rule = gw.row is not None
    if ing_rule and gw_rule:
        return "ingress", (
            f"an HTTPRoute ({gw.row.route_ref if gw.row else ''}) also matches: traced through "
            "the Ingress; use --via gateway for the other path"
        )
    if gw_rule:
        return "gateway", ""
    if ing.row is not None:
        return "ingress", ""
    if unattached(view, host, path):
        return "gateway", ""  # its 404 names the route that would serve the URL, and why not
    if view.count("Ingress") == 0 and (view.count("HTTPRoute") or view.count("Gateway")):
        return "gateway", ""
    return "ingress", ""


def trace(
    view: StoreView,
    url: str,
    method: str = "GET",
    body: int | None = None,
    latency: float | None = None,
    via: str = "auto",
) -> Trace:
    """The predicted answer to one request, step by step. Raises OptionError on a bad URL."""
    full, scheme, host, path = normalise_url(url)
    method = (method or "GET").upper()
    if via not in VIAS:
        raise OptionError(f"--via {via!r}: use auto, ingress or gateway")
    note = ""
    if via == "auto":
        via, note = choose_router(view, full, scheme, host, path)
    if via == "gateway":
        steps = gateway_steps(view, full, scheme, method, body, latency)
    else:
        steps = ingress_steps(view, full, scheme, method, body, latency)
    if note and steps:
        first = steps[0]
        steps[0] = dataclasses.replace(first, detail=f"{first.detail} ({note})")
    if len(steps) == 1 and steps[0].verdict == FAILING and steps[0].status == 404:
        via = via if (view.count("Ingress") or view.count("HTTPRoute")) else "none"
    return Trace(full, method, via, tuple(steps))
