"""Every style mlview puts on text, by meaning: one table for the app (mlview/ui) and the CLI's
terminal output (mlview/commands), so the two never disagree.

The values are Rich style names (plain strings: importing this module pulls in nothing). They
are ANSI colours on purpose: `mlview check` prints them with Rich outside any Textual theme, and
the app shows the same words in the same colours. Widget colours (backgrounds, borders, focus)
are Textual theme variables in styles/*.tcss; only text styled here uses these names.
The analysis layer does not import this module: findings and verdicts are data, their look is
decided here.
"""

from __future__ import annotations

# ---- semantic colours ------------------------------------------------------------------------
OK = "green"  # fine: bound, ready, allowed, no findings
WARNING = "yellow"  # degraded or worth a look
ERROR = "bold red"  # broken: the thing the on-call engineer must see first
BAD = "red"  # broken, in a line that already says so loudly (a detail, a reason)
DIM = "dim"  # secondary: labels, counts, "none", keys help
ACCENT = "cyan"  # the current narrowing, a default, a source that is set explicitly
NOTICE = "magenta"  # unusual but not wrong: the filter, a canary, an unknown verdict

# ---- text emphasis (no colour) ---------------------------------------------------------------
STRONG = "bold"
HEADING = "bold underline"
BANNER = "bold reverse"
QUOTE = "italic"  # a one-line reason, a default backend
HINT = "bold cyan"  # "hint:" before a finding's advice, key names in the help

# Strong variants, for a verdict that is the point of its line.
OK_STRONG = "bold green"
WARNING_STRONG = "bold yellow"

# ---- tables by meaning -----------------------------------------------------------------------
# A finding's severity (the app's tables and detail views, `mlview check`).
SEVERITY_STYLE = {"error": ERROR, "warning": WARNING, "info": ACCENT}
# A trace step's verdict (the trace screen, `mlview trace`).
VERDICT_STYLE = {"ok": OK, "warning": WARNING, "failing": ERROR, "skipped": DIM}
# A reachability cell's verdict (the Reachability tab).
REACH_STYLE = {"allowed": OK_STRONG, "denied": ERROR, "mixed": WARNING_STRONG}
# A chain link's state: True fine, False broken, None unknown.
OK_STYLE = {True: OK, False: ERROR, None: WARNING}
# A PersistentVolume(Claim)'s phase.
PHASE_STYLE = {
    "Bound": OK,
    "Pending": WARNING,
    "Lost": ERROR,
    "Available": ACCENT,
    "Released": WARNING,
    "Failed": ERROR,
}


def status_style(code: int) -> str:
    """An HTTP status predicted by a trace: an error from 400 on."""
    return ERROR if code >= 400 else OK_STRONG


# The YAML of an object in the detail view (a Pygments theme, for rich.syntax.Syntax).
YAML_SYNTAX = "monokai"
