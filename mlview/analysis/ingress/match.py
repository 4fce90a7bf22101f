"""Which route ingress-nginx picks for a URL (for `trace` and the pane's search).

Host: exact server name first, then a wildcard (`*.example.com` matches one label), then rules
without a host. Path, per ingress-nginx: an Exact path wins; otherwise, unless the host is in
regex mode, the longest match where Prefix compares whole path elements (`/foo` matches `/foo` and
`/foo/bar`, not `/foobar`) and ImplementationSpecific is a plain nginx string prefix. A host is in
regex mode when any of its Ingresses sets `use-regex: "true"` or a `rewrite-target`: every path is
then a case-insensitive regex anchored at the start, longest path tried first. Canary Ingresses are
skipped (they take a share of the main route's traffic). No rule matches: on a known host, the
default backend of the oldest Ingress defining that host (it creates the nginx server), else the
controller's default backend (404); on an unknown host, the catch-all server: its host-less rules,
then the default backend of an Ingress without rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from mlview.analysis.ingress.routes import RouteRow, host_matches, route_rows
from mlview.store import StoreView


@dataclass(frozen=True)
class Match:
    row: RouteRow | None  # None: the controller's default backend (404)
    reason: str
    host_rows: list[RouteRow] = field(default_factory=list)  # routes of the chosen host
    canaries: list[RouteRow] = field(default_factory=list)  # canaries on the chosen route


def split_url(url: str) -> tuple[str, str]:
    """(host, path) from "https://h/p?q", "h/p" or "/p"."""
    text = url.strip()
    if "://" not in text and not text.startswith("/"):
        text = "http://" + text
    parts = urlsplit(text)
    return (parts.hostname or "").lower(), parts.path or "/"


def regex_mode(rows: list[RouteRow]) -> bool:
    for r in rows:
        s = r.settings
        if s.get("use-regex") and s["use-regex"].value == "true" and not r.canary:
            return True
        if s.get("rewrite-target") and s["rewrite-target"].value and not r.canary:
            return True
    return False


def _prefix_match(rule: str, path: str) -> bool:
    base = rule.rstrip("/")
    return base == "" or path == base or path.startswith(base + "/")


def _regex_match(rule: str, path: str) -> bool:
    try:
        return re.match(rule, path, re.IGNORECASE) is not None
    except re.error:
        return False


def match_url(view: StoreView, url: str, class_name: str | None = None) -> Match:
    """The route a request to `url` reaches; `class_name` limits to one IngressClass."""
    host, path = split_url(url)
    rows = [r for r in route_rows(view) if class_name is None or r.class_name == class_name]
    host_rows: list[RouteRow] = []
    catch_all = True
    for chooser in (
        lambda h: h == host,
        lambda h: h.startswith("*.") and host_matches(h, host),
    ):
        host_rows = [r for r in rows if not r.default_backend and chooser(r.host)]
        if host_rows:
            catch_all = False
            break
    else:  # no server for this host: the catch-all server (rules without a host)
        host_rows = [r for r in rows if not r.default_backend and r.host == ""]
    served = [r for r in host_rows if not r.canary]
    best, why = _pick(served, path)
    if best is None:
        best, why = _fallback(rows, served, path, catch_all)
    canaries = [r for r in host_rows if r.canary and best is not None and r.path == best.path]
    return Match(best, why, host_rows, canaries)


def _pick(rows: list[RouteRow], path: str) -> tuple[RouteRow | None, str]:
    exact = [r for r in rows if r.path_type == "Exact" and r.path == path]
    if exact:
        return exact[0], f"Exact path {exact[0].path}"
    if regex_mode(rows):
        cands = sorted((r for r in rows if r.path_type != "Exact"), key=lambda r: -len(r.path))
        for r in cands:
            if _regex_match(r.path, path):
                return r, f"regex {r.path} (host in regex mode: use-regex or rewrite-target)"
        return None, "no regex path matched"
    best: RouteRow | None = None
    for r in rows:
        if (
            r.path_type == "Prefix"
            and _prefix_match(r.path, path)
            or (r.path_type not in ("Prefix", "Exact") and path.startswith(r.path or "/"))
        ):
            if best is None or len(r.path.rstrip("/")) > len(best.path.rstrip("/")):
                best = r
    if best is not None:
        return best, f"longest {best.path_type or 'ImplementationSpecific'} match {best.path}"
    return None, "no path matched"


def _fallback(
    rows: list[RouteRow], served: list[RouteRow], path: str, catch_all: bool
) -> tuple[RouteRow | None, str]:
    """No rule matched. A host's "/" goes to the default backend of the oldest Ingress that
    defines the host (it creates the nginx server), else to the controller's default backend;
    the catch-all server's "/" goes to the default backend of an Ingress without rules."""
    defaults = {r.ingress_ref: r for r in rows if r.default_backend}
    if not catch_all and served:
        first = min(served, key=lambda r: (r.created, r.namespace, r.ingress))
        if first.ingress_ref in defaults:
            return defaults[first.ingress_ref], (
                f"no rule for {path}: default backend of Ingress {first.ingress_ref}, "
                "the oldest Ingress of this host"
            )
        return None, f"no rule for {path}: the controller's default backend answers (404)"
    with_rules = {r.ingress_ref for r in rows if not r.default_backend}
    for r in sorted(defaults.values(), key=lambda r: (r.created, r.namespace, r.ingress)):
        if r.ingress_ref not in with_rules:
            return r, f"no rule for {path}: catch-all default backend of {r.ingress_ref}"
    return None, f"no rule for {path}: the controller's default backend answers (404)"
