"""`mlview check` on a terminal: a table where it fits with its codes whole, else a list."""

from __future__ import annotations

import io
import re

from rich.console import Console

from mlview.analysis.findings import Finding, Severity
from mlview.commands import check

CODE = "ingress-timeout-below-latency"
HINT_WORDS = 'Set nginx.ingress.kubernetes.io/proxy-read-timeout: "91" or more on the Ingress.'


def findings() -> list[Finding]:
    message = (
        "Ingress ml-serving/ml-api-ingress route api.ml.example.com/v1/translate: "
        "proxy-read-timeout is 60s (built-in default) but the model allows 90s; "
        "slower requests end in 504."
    )
    return [
        Finding(
            CODE, Severity.ERROR, "Ingress", "ml-serving", "ml-api-ingress", message, HINT_WORDS
        ),
        Finding(
            "netpol-namespace-unprotected",
            Severity.INFO,
            "Namespace",
            "",
            "monitoring",
            "No NetworkPolicy selects any pod of namespace monitoring.",
            "",
        ),
    ]


def printed(width: int) -> list[str]:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, force_terminal=False)
    check._print_rich(findings(), {"error": 1, "warning": 0, "info": 1}, "demo: x", [], console)
    lines = out.getvalue().splitlines()
    assert all(len(line) <= width for line in lines)
    return lines


def test_80_columns_get_a_list_with_whole_codes_and_hanging_lines():
    lines = printed(80)
    assert not any("┃" in line or "│" in line for line in lines)  # no table
    assert f"error  {CODE}" in lines
    assert "info  netpol-namespace-unprotected" in lines
    body = lines[
        lines.index(f"error  {CODE}") + 1 : lines.index("info  netpol-namespace-unprotected")
    ]
    body = [line for line in body if line]
    assert body[0] == "  Ingress/ml-serving/ml-api-ingress"
    assert len(body) > 3  # the message wrapped...
    assert all(line.startswith("  ") and line[2] != " " for line in body)  # ...under the block
    assert " ".join(line.strip() for line in body).endswith("hint: " + HINT_WORDS)
    assert lines[-1] == "1 error, 0 warning, 1 info"


def test_160_columns_keep_the_table_with_whole_codes():
    lines = printed(160)
    assert any("┃ severity" in line for line in lines)
    # every code on one line of its cell, never folded mid-word
    cells = [re.split(r"│", line)[2].strip() for line in lines if line.startswith("│")]
    assert CODE in cells and "netpol-namespace-unprotected" in cells
    assert lines[-1] == "1 error, 0 warning, 1 info"


def test_the_layout_choice_follows_the_longest_code():
    assert not check.table_fits(findings(), 80)
    assert check.table_fits(findings(), 160)
    assert check.table_fits([], 20)
