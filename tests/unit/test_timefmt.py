"""The one time format: kubectl ages in tables, age plus absolute UTC in details."""

from datetime import UTC, datetime

import pytest

from mlview.timefmt import absolute, age, ago, when

NOW = datetime(2026, 11, 27, 8, 40, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("2026-11-27T08:39:15Z", "45s"),
        ("2026-11-27T08:28:00Z", "12m"),
        ("2026-11-27T05:40:00Z", "3h"),
        ("2026-11-22T08:40:00Z", "5d"),
        ("2026-11-27T08:41:00Z", "0s"),  # a clock ahead of ours
        ("2026-11-27T09:40:00+01:00", "0s"),  # an offset is honoured: the same instant
        ("", "-"),
        (None, "-"),
        ("yesterday", "?"),
    ],
)
def test_age_is_kubectls_relative_form(stamp, expected):
    assert age(stamp, NOW) == expected


def test_absolute_is_utc_to_the_minute():
    assert absolute("2026-11-27T05:40:30Z") == "2026-11-27 05:40Z"
    assert absolute("2026-11-27T06:40:00+01:00") == "2026-11-27 05:40Z"
    assert absolute("2026-11-27T05:40:00") == "2026-11-27 05:40Z"  # naive: taken as UTC
    assert absolute("not a time") == "not a time"
    assert absolute(None) == "-"


def test_detail_form_is_relative_then_absolute():
    assert ago("2026-11-27T05:40:00Z", NOW) == "3h ago"
    assert when("2026-11-27T05:40:00Z", NOW) == "3h ago (2026-11-27 05:40Z)"
    assert when("", NOW) == "-"
