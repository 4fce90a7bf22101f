from __future__ import annotations

from mlview.sanitize import clean, shorten


def test_strips_csi_osc_and_controls():
    assert clean("\x1b[31mred\x1b[0m") == "red"
    assert clean("a\x1b]0;title\x07b") == "ab"
    assert clean("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b") == "alinkb"
    assert clean("bell\x07 nul\x00 del\x7f c1\x9b2J") == "bell nul del c1"
    assert clean("keep\ttabs\nand newlines") == "keep\ttabs\nand newlines"
    assert clean("one\nline\r", single_line=True) == "one line"


def test_markup_is_left_alone_for_text_objects():
    # clean() does not touch markup: the UI wraps the result in rich Text, never parses it.
    assert clean("[bold red]x[/]") == "[bold red]x[/]"
    assert clean(None) == ""


def test_shorten():
    assert shorten("abcdef", 4) == "abc…"
    assert shorten("abc", 4) == "abc"


def test_strips_bidi_overrides_and_zero_width_characters():
    # U+202E turns the rest of a line around; zero-width characters make look-alike names.
    assert clean("model\u202egpj.exe") == "modelgpj.exe"
    assert clean("a\u2066b\u2069c\u200bd\u200de\ufefff\u061cg") == "abcdefg"


def test_lone_surrogates_become_replacement_characters():
    # JSON may carry "\ud800": printing it to a terminal or a pipe would raise.
    assert clean("n\ud800x") == "n\ufffdx"
    clean("n\ud800x").encode("utf-8")  # encodable


def test_line_separators_are_newlines():
    assert clean("a\u2028b\u2029c") == "a\nb\nc"
    assert clean("a\u2028b", single_line=True) == "a b"
