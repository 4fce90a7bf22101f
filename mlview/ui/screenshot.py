"""Palette -> Screenshot: save an SVG where the user will find it, and say where (or why not).

Textual's own command saves to ~/Downloads, which a server or container often lacks, and its
notice does not name a folder it fell back to. Here: ~/Downloads when it exists, else the
current directory; the notice names the file, or the reason it could not be written.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App


def screenshot_dir() -> Path:
    downloads = Path.home() / "Downloads"
    return downloads if downloads.is_dir() else Path.cwd()


def save(app: App, filename: str | None = None) -> Path | None:
    folder = screenshot_dir()
    try:
        path = Path(app.save_screenshot(filename, str(folder)))
    except OSError as exc:
        why = exc.strerror or str(exc)
        app.notify(
            f"Could not save the screenshot in {folder}: {why}",
            title="Screenshot",
            severity="error",
            markup=False,
        )
        return None
    app.notify(f"Saved to {path}", title="Screenshot", markup=False)
    return path
