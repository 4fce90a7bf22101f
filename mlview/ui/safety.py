"""The app's last line of defence: cluster text in toasts stays literal, a crash says so clearly.

- Every toast may carry cluster text (an Ingress path such as `/files[/]download`, a reason
  with a regex): Textual parses toast messages as markup by default, which mangles them or
  raises MarkupError and kills the app. Here they are never markup and never carry control
  sequences.
- An unexpected exception ends the app with exit status 1 (Textual sets it) and one plain
  line on stderr (`crash_message`, printed by the CLI) instead of Textual's long traceback
  with locals (locals can hold cluster text and fill a screen); the full report goes to a
  file the line names, for the bug report.
"""

from __future__ import annotations

import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from mlview.sanitize import clean

REPORT_HINT = "please attach it to a bug report, with `mlview --version`"


class SafeApp:
    """Mix in before textual's App: `class MLViewApp(SafeApp, App[None])`."""

    _crash: BaseException | None = None
    crash_message: str = ""  # set on an unexpected error; the CLI prints it after exit

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,  # ignored: a toast is never parsed as markup
    ) -> None:
        kwargs: dict[str, Any] = {"title": clean(title, single_line=True), "severity": severity}
        if timeout is not None:
            kwargs["timeout"] = timeout
        super().notify(clean(message), markup=False, **kwargs)  # type: ignore[misc]

    def _handle_exception(self, error: Exception) -> None:
        if self._crash is None:
            self._crash = error
        super()._handle_exception(error)  # type: ignore[misc]  # sets return code 1, exits

    def _fatal_error(self) -> None:
        error = self._crash
        report = write_crash_report(error) if error is not None else None
        what = f"{type(error).__name__}: {error}" if error is not None else "unknown error"
        line = f"mlview: stopped on an unexpected error ({clean(what, single_line=True)[:300]})."
        if report is not None:
            line += f" Full report: {report} ({REPORT_HINT})."
        # Printed by the CLI once the terminal is restored, as one plain line (Textual's
        # console would wrap it at the terminal's width).
        self.crash_message = line
        self.bell()  # type: ignore[attr-defined]
        self._close_messages_no_wait()  # type: ignore[attr-defined]


def write_crash_report(error: BaseException) -> Path | None:
    """The traceback in a file of the temp directory; None when it cannot be written."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = Path(tempfile.gettempdir()) / f"mlview-crash-{stamp}.txt"
    try:
        with path.open("w", encoding="utf-8", errors="replace") as out:
            out.writelines(traceback.format_exception(error))
    except OSError:
        return None
    return path
