"""`mlview --baseline OLD`: read before the app starts; a bad one is one line and exit 2."""

from __future__ import annotations

from mlview.cli import main


def test_missing_baseline_is_one_line_and_exit_2(tmp_path, capsys):
    missing = tmp_path / "nope.yaml"
    assert main(["--demo", "--baseline", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("mlview: --baseline:")
    assert "nope.yaml" in err and "Traceback" not in err


def test_unknown_demo_baseline_names_the_known_ones(capsys):
    assert main(["--demo", "--baseline", "demo:no-such-scenario"]) == 2
    err = capsys.readouterr().err
    assert "no-such-scenario" in err and "ml-platform" in err


def test_malformed_baseline_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: [unclosed\n")
    assert main(["--demo", "--baseline", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.yaml" in err


def test_app_starts_headless_with_a_demo_baseline():
    # the app's output goes to the terminal Textual drives, not to capsys: the exit says
    assert (
        main(["--demo", "incident-504", "--baseline", "demo:ml-platform", "--headless-check"]) == 0
    )


def test_baseline_file_is_read(small_snapshot):
    assert main(["--demo", "--baseline", str(small_snapshot), "--headless-check"]) == 0
