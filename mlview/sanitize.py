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
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: object, *, single_line: bool = False) -> str:
    """Strip terminal control sequences; with single_line, fold newlines and tabs to spaces."""
    s = "" if text is None else str(text)
    if "\x1b" in s or "\x9b" in s:
        s = _ANSI.sub("", s)
    s = _CONTROL.sub("", s)
    if single_line:
        s = s.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return s


def shorten(text: str, width: int) -> str:
    """Cut to `width` characters with an ellipsis."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
