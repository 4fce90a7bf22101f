"""The one time format of the app and the CLI: kubectl's relative age (`5m`, `3h`, `2d`) in
tables, the age plus the absolute UTC time in details (`3h ago (2026-11-27 05:40Z)`).

Pure (no Textual or Rich), so commands and the ui share it. Cluster timestamps are RFC 3339
strings; one that does not parse shows as `?` rather than raising.
"""

from __future__ import annotations

from datetime import UTC, datetime


def parse(timestamp: str | None) -> datetime | None:
    """An RFC 3339 timestamp as an aware datetime; None when absent or not a time."""
    if not timestamp:
        return None
    try:
        then = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except (ValueError, TypeError, AttributeError):
        return None
    return then if then.tzinfo else then.replace(tzinfo=UTC)


def age(timestamp: str | None, now: datetime) -> str:
    """kubectl-style age: 45s, 12m, 3h, 5d; `-` when there is no time, `?` when it is not one."""
    if not timestamp:
        return "-"
    then = parse(timestamp)
    if then is None:
        return "?"
    secs = int((now - then).total_seconds())
    if secs < 0:  # a clock ahead of ours: just now
        return "0s"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if secs >= size:
            return f"{secs // size}{unit}"
    return f"{secs}s"


def absolute(timestamp: str | None) -> str:
    """`2026-11-27 05:40Z`: UTC to the minute (the age beside it gives the seconds when they
    matter); the text as given when it is not a time, `-` when absent."""
    if not timestamp:
        return "-"
    then = parse(timestamp)
    if then is None:
        return timestamp
    return then.astimezone(UTC).strftime("%Y-%m-%d %H:%MZ")


def ago(timestamp: str | None, now: datetime) -> str:
    """`3h ago`, or `-` when there is no time."""
    if not timestamp:
        return "-"
    return f"{age(timestamp, now)} ago"


def when(timestamp: str | None, now: datetime) -> str:
    """`3h ago (2026-11-27 05:40Z)`: relative first, the absolute time beside it."""
    if not timestamp:
        return "-"
    return f"{ago(timestamp, now)} ({absolute(timestamp)})"
