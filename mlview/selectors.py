"""Label selectors (metav1.LabelSelector), implemented once for every analyzer.

Semantics follow the API reference: matchLabels and matchExpressions are ANDed; an empty
selector ({}) matches everything; a missing (None) selector matches nothing where the API
says so, which callers decide (e.g. a Service without a selector selects no pods).
"""

from __future__ import annotations

import re
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


# ---------------------------------------------------------------- kubectl-style text

_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")
_PREFIX = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
_SET = re.compile(r"^(?P<key>\S+)\s+(?P<op>in|notin)\s*\((?P<values>[^()]*)\)$")


def parse(text: str) -> dict[str, Any]:
    """`app=x,tier!=y,env in (a,b),gpu,!legacy` (kubectl -l syntax) as a LabelSelector.

    Raises SelectorError saying what is wrong and where: an unclosed parenthesis, an
    operator without a key or value, a key or value that is not a valid label.
    """
    labels: dict[str, str] = {}
    exprs: list[dict[str, Any]] = []
    for part in _split(text):
        if not part:
            continue
        key, op, values = _requirement(part)
        _check_key(key, part)
        for v in values:
            _check_value(v, key)
        if op == "=":
            labels[key] = values[0]
        else:
            exprs.append({"key": key, "operator": op, **({"values": values} if values else {})})
    return {"matchLabels": labels, "matchExpressions": exprs}


def _split(text: str) -> list[str]:
    """Top-level comma-separated parts (commas inside `( )` belong to a set)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth:
                raise SelectorError(f"nested '(' at column {i + 1} of {text!r}")
            depth = 1
        elif ch == ")":
            if not depth:
                raise SelectorError(f"')' without '(' at column {i + 1} of {text!r}")
            depth = 0
        elif ch == "," and not depth:
            parts.append(text[start:i].strip())
            start = i + 1
    if depth:
        raise SelectorError(f"unclosed '(' in {text!r}: close the value list with ')'")
    parts.append(text[start:].strip())
    return parts


def _requirement(part: str) -> tuple[str, str, list[str]]:
    m = _SET.match(part)
    if m:
        values = [v.strip() for v in m["values"].split(",")]
        if not any(values):
            raise SelectorError(f"{part!r}: '{m['op']}' needs at least one value")
        if "" in values:
            raise SelectorError(f"{part!r}: empty value in the list")
        return m["key"], "In" if m["op"] == "in" else "NotIn", values
    if "(" in part:
        raise SelectorError(f"{part!r}: a value list goes after 'in' or 'notin', as `key in (a,b)`")
    for sign, op in (("!=", "NotIn"), ("==", "="), ("=", "=")):
        if sign in part:
            key, _, value = (s.strip() for s in part.partition(sign))
            if not key:
                raise SelectorError(f"{part!r}: no label key before '{sign}'")
            return key, op, [value]
    if part.startswith("!"):
        return part[1:].strip(), "DoesNotExist", []
    return part, "Exists", []


def _check_key(key: str, part: str) -> None:
    if not key:
        raise SelectorError(f"{part!r}: no label key")
    if " " in key:
        raise SelectorError(
            f"{part!r}: a label key has no spaces (for a set use `key in (a,b)`, "
            "for a value `key=value`)"
        )
    prefix, _, name = key.rpartition("/")
    if (prefix and not _PREFIX.match(prefix)) or not _NAME.match(name):
        raise SelectorError(
            f"label key {key!r} is not valid: [prefix/]name, name up to 63 letters, digits, "
            "'-', '_' or '.', starting and ending with a letter or digit"
        )


def _check_value(value: str, key: str) -> None:
    if value and not _NAME.match(value):
        raise SelectorError(
            f"label value {value!r} (key {key!r}) is not valid: up to 63 letters, digits, "
            "'-', '_' or '.', starting and ending with a letter or digit"
        )
