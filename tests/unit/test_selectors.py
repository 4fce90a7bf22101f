from __future__ import annotations

import re

import pytest

from mlview import selectors
from mlview.selectors import SelectorError, describe, matches, matches_map, validate

LABELS = {"app": "trainer", "tier": "gpu", "empty": ""}


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ({}, True),  # empty selector selects everything
        ({"matchLabels": {}}, True),
        ({"matchLabels": {"app": "trainer"}}, True),
        ({"matchLabels": {"app": "server"}}, False),
        ({"matchLabels": {"app": "trainer", "tier": "cpu"}}, False),  # AND
        ({"matchLabels": {"empty": ""}}, True),  # empty value is a value
        ({"matchLabels": {"missing": ""}}, False),
        ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["gpu", "tpu"]}]}, True),
        ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["cpu"]}]}, False),
        ({"matchExpressions": [{"key": "nope", "operator": "In", "values": ["x"]}]}, False),
        ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["cpu"]}]}, True),
        ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["gpu"]}]}, False),
        # NotIn matches when the key is absent
        ({"matchExpressions": [{"key": "nope", "operator": "NotIn", "values": ["x"]}]}, True),
        ({"matchExpressions": [{"key": "app", "operator": "Exists"}]}, True),
        ({"matchExpressions": [{"key": "nope", "operator": "Exists"}]}, False),
        ({"matchExpressions": [{"key": "empty", "operator": "Exists"}]}, True),
        ({"matchExpressions": [{"key": "nope", "operator": "DoesNotExist"}]}, True),
        ({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, False),
        (
            {
                "matchLabels": {"app": "trainer"},
                "matchExpressions": [{"key": "tier", "operator": "In", "values": ["cpu"]}],
            },
            False,
        ),
    ],
)
def test_matches(selector, expected):
    assert matches(selector, LABELS) is expected


def test_none_selector_selects_nothing_and_missing_labels_are_empty():
    assert matches(None, LABELS) is False
    assert matches({}, None) is True
    assert matches({"matchLabels": {"a": "b"}}, None) is False


@pytest.mark.parametrize(
    "selector",
    [
        {"matchExpressions": [{"key": "a", "operator": "Equals", "values": ["x"]}]},
        {"matchExpressions": [{"key": "a", "operator": "In", "values": []}]},
        {"matchExpressions": [{"key": "a", "operator": "NotIn"}]},
        {"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]},
        {"matchExpressions": [{"operator": "Exists"}]},
        {"matchLabels": ["a"]},
    ],
)
def test_validate_rejects_malformed(selector):
    with pytest.raises(SelectorError):
        validate(selector)


def test_matches_raises_on_unknown_operator():
    with pytest.raises(SelectorError):
        matches({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]}, {})


def test_map_selector():
    assert matches_map({"app": "trainer"}, LABELS)
    assert not matches_map({"app": "x"}, LABELS)
    assert not matches_map({}, LABELS)  # a Service without selector selects no pods
    assert not matches_map(None, LABELS)


def test_describe():
    assert describe({}) == "all"
    assert describe(None) == "none"
    sel = {
        "matchLabels": {"app": "x"},
        "matchExpressions": [
            {"key": "t", "operator": "In", "values": ["a", "b"]},
            {"key": "u", "operator": "DoesNotExist"},
        ],
    }
    assert describe(sel) == "app=x,t in (a,b),!u"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("app=x,tier!=dev", {"matchLabels": {"app": "x"}, "matchExpressions": [
            {"key": "tier", "operator": "NotIn", "values": ["dev"]}]}),
        ("env in (a, b), gpu, !legacy", {"matchLabels": {}, "matchExpressions": [
            {"key": "env", "operator": "In", "values": ["a", "b"]},
            {"key": "gpu", "operator": "Exists"},
            {"key": "legacy", "operator": "DoesNotExist"}]}),
        ("app.kubernetes.io/name==web", {"matchLabels": {"app.kubernetes.io/name": "web"},
                                          "matchExpressions": []}),
    ],
)  # fmt: skip
def test_parse_kubectl_syntax(text, want):
    assert selectors.parse(text) == want


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("app in (a,b", "unclosed '('"),
        ("app=x)", "')' without '('"),
        ("app notin ()", "needs at least one value"),
        ("=x", "no label key"),
        ("app (a)", "after 'in' or 'notin'"),
        ("app=bad value", "label value 'bad value'"),
        ("-app=x", "label key '-app'"),
    ],
)
def test_parse_says_what_is_wrong(text, says):
    with pytest.raises(selectors.SelectorError, match=re.escape(says)):
        selectors.parse(text)
