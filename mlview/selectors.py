"""Label selectors (metav1.LabelSelector), implemented once for every analyzer.

Semantics follow the API reference: matchLabels and matchExpressions are ANDed; an empty
selector ({}) matches everything; a missing (None) selector matches nothing where the API
says so, which callers decide (e.g. a Service without a selector selects no pods).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


class SelectorError(ValueError):
    """A selector the API server would reject (unknown operator, missing values)."""


def validate(selector: Mapping[str, Any] | None) -> None:
    """Raise SelectorError when a selector is malformed."""
    if selector is None:
        return
    if not isinstance(selector, Mapping):
        raise SelectorError(f"selector must be a mapping, got {type(selector).__name__}")
    labels = selector.get("matchLabels") or {}
    if not isinstance(labels, Mapping):
        raise SelectorError("matchLabels must be a mapping")
    for expr in selector.get("matchExpressions") or []:
        if not isinstance(expr, Mapping) or "key" not in expr:
            raise SelectorError("matchExpressions entry needs a key")
        op = expr.get("operator")
        values = expr.get("values") or []
        if op not in OPERATORS:
            raise SelectorError(f"unknown operator {op!r} for key {expr['key']!r}")
        if op in ("In", "NotIn") and not values:
            raise SelectorError(f"operator {op} on key {expr['key']!r} needs values")
        if op in ("Exists", "DoesNotExist") and values:
            raise SelectorError(f"operator {op} on key {expr['key']!r} takes no values")


def matches(selector: Mapping[str, Any] | None, labels: Mapping[str, str] | None) -> bool:
    """True when `labels` satisfy a LabelSelector. None selects nothing, {} selects all.

    A malformed selector raises SelectorError; analyzers turn that into a finding.
    """
    if selector is None:
        return False
    labels = labels or {}
    match_labels = selector.get("matchLabels") or {}
    for key, value in match_labels.items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        if not _expression_matches(expr, labels):
            return False
    return True


def _expression_matches(expr: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    key: str | None = expr.get("key")
    op = expr.get("operator")
    values = expr.get("values") or []
    if op == "In":
        if not values:
            raise SelectorError(f"operator In on key {key!r} needs values")
        return key is not None and key in labels and labels[key] in values
    if op == "NotIn":
        if not values:
            raise SelectorError(f"operator NotIn on key {key!r} needs values")
        return key is None or key not in labels or labels[key] not in values
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    raise SelectorError(f"unknown operator {op!r} for key {key!r}")


def matches_map(selector: Mapping[str, str] | None, labels: Mapping[str, str] | None) -> bool:
    """A plain map selector (Service.spec.selector): empty or None selects nothing."""
    if not selector:
        return False
    labels = labels or {}
    return all(labels.get(k) == v for k, v in selector.items())


def describe(selector: Mapping[str, Any] | None) -> str:
    """A short human form: `app=x,tier in (a,b)`; `{}` is 'all', None is 'none'."""
    if selector is None:
        return "none"
    parts = [f"{k}={v}" for k, v in (selector.get("matchLabels") or {}).items()]
    for expr in selector.get("matchExpressions") or []:
        op = expr.get("operator")
        key = expr.get("key")
        vals = ",".join(str(v) for v in expr.get("values") or [])
        if op == "In":
            parts.append(f"{key} in ({vals})")
        elif op == "NotIn":
            parts.append(f"{key} notin ({vals})")
        elif op == "Exists":
            parts.append(f"{key}")
        elif op == "DoesNotExist":
            parts.append(f"!{key}")
        else:
            parts.append(f"{key} {op}?")
    return ",".join(parts) if parts else "all"
