"""One style table (mlview/theme.py) for the app and the CLI: every severity and verdict has a
style, both sides read it from there, and nothing below the UI imports it."""

from __future__ import annotations

import sys

from mlview import theme
from mlview.analysis.findings import Severity, finding


def test_every_severity_and_trace_verdict_has_a_style():
    assert set(theme.SEVERITY_STYLE) == {s.value for s in Severity}
    assert set(theme.VERDICT_STYLE) == {"ok", "warning", "failing", "skipped"}
    assert set(theme.OK_STYLE) == {True, False, None}
    assert theme.status_style(504) == theme.ERROR and theme.status_style(200) == theme.OK_STRONG


def test_the_error_colour_is_what_check_has_always_printed():
    # `mlview check` on a terminal: red and bold for errors, as before the theme existed.
    assert theme.SEVERITY_STYLE == {"error": "bold red", "warning": "yellow", "info": "cyan"}


def test_check_colours_severities_from_the_theme(monkeypatch, capsys):
    from mlview.commands import check

    monkeypatch.setitem(theme.SEVERITY_STYLE, "error", "bold magenta")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    f = finding("pod-waiting-on-pvc", "error", ("Pod", "ns", "p"), "broken", "fix it")
    check.print_text([f], {"error": 1, "warning": 0, "info": 0}, "test")
    out = capsys.readouterr().out
    assert "\x1b[1;35merror" in out  # bold magenta: the patched theme, not a copy in check


def test_the_app_colours_severities_from_the_theme(monkeypatch):
    from mlview.ui.widgets import severity_text

    monkeypatch.setitem(theme.SEVERITY_STYLE, "warning", "bold magenta")
    assert str(severity_text(Severity.WARNING).style) == "bold magenta"


def test_trace_command_colours_verdicts_from_the_theme(monkeypatch, capsys):
    from mlview.analysis.trace import trace
    from mlview.commands import trace as trace_cmd
    from mlview.sources.demo import scenario_path
    from mlview.sources.snapshot import load

    monkeypatch.setitem(theme.VERDICT_STYLE, "ok", "bold magenta")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    view = load([scenario_path("ml-platform")]).to_store().view()
    trace_cmd.print_text(trace(view, "https://api.ml.example.com/v1/translate"))
    assert "\x1b[1;35mOK" in capsys.readouterr().out


def test_nothing_below_the_ui_imports_the_theme():
    import pathlib

    import mlview

    root = pathlib.Path(mlview.__file__).parent
    below = [*root.glob("analysis/**/*.py"), *root.glob("sources/**/*.py")]
    below += [root / f for f in ("store.py", "selectors.py", "sanitize.py", "kinds.py")]
    below += [root / "domains.py"]
    offenders = [
        p.relative_to(root).as_posix()
        for p in below
        if "mlview.theme" in p.read_text(encoding="utf-8")
        or "from mlview import theme" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
