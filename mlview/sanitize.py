"""Make cluster-supplied text safe to show: no terminal control sequences, no markup.

Names, annotations and event messages come from whoever can write to the cluster. They are
shown literally: escape sequences are removed here, and the UI wraps the result in
`rich.text.Text` (never parses it as markup).
"""

from __future__ import annotations

import re

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte ESC sequences, then any
# remaining C0/C1 control character except tab and newline.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
# Also invisible characters that change how the rest of a line is shown: bidi overrides and
# isolates (U+202E turns "gpj.exe" around), zero-width characters and the BOM (text that looks
# equal but is not; they also shift box borders in some terminals).
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# Lone surrogates (JSON "\ud800") cannot be encoded for a terminal or a pipe: shown as U+FFFD.
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: object, *, single_line: bool = False) -> str:
    """Strip terminal control sequences; with single_line, fold newlines and tabs to spaces."""
    s = "" if text is None else str(text)
    if "\x1b" in s or "\x9b" in s:
        s = _ANSI.sub("", s)
    s = _CONTROL.sub("", s)
    s = _SURROGATE.sub("\ufffd", s)
    s = s.replace("\u2028", "\n").replace("\u2029", "\n")  # line/paragraph separators
    if single_line:
        s = s.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return s


def shorten(text: str, width: int) -> str:
    """Cut to `width` characters with an ellipsis."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
