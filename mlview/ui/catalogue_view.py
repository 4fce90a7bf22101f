"""A findings catalogue entry as rich Text: the Findings tab's block and the help screen's view.

Both show what `mlview explain CODE` prints (mlview/commands/checks.py), from the same data
(mlview/analysis/catalogue.py)."""

from __future__ import annotations

from rich.text import Text

from mlview import theme


def catalogue_lines(code: str, heading: bool = False) -> list[Text]:
    """The entry of `code` (none when it is not catalogued); `heading` adds the code line."""
    from mlview.analysis.catalogue import CATALOGUE, manifest_verdict, needs_text

    entry = CATALOGUE.get(code)
    if entry is None:
        return []
    lines = [Text()]
    if heading:
        lines.append(
            Text(entry.code, style=theme.STRONG)
            + Text(f"  {entry.severity}", style=theme.SEVERITY_STYLE[entry.severity])
            + Text(f"  {entry.domain}; on {', '.join(entry.kinds)}", style=theme.DIM)
        )
    lines += [
        Text(entry.title, style=theme.HEADING),
        Text("What it means: ", style=theme.STRONG) + Text(entry.means),
        Text("What you see: ", style=theme.STRONG) + Text(entry.sees),
        Text("How to fix: ", style=theme.STRONG) + Text(entry.fix),
        Text("What it needs: ", style=theme.STRONG) + Text(manifest_verdict(entry)),
    ]
    lines += [Text(f"  - {need}") for need in needs_text(entry)]
    if entry.needs_note:
        lines.append(Text(f"  {entry.needs_note}", style=theme.DIM))
    lines.append(Text("Sources:", style=theme.STRONG))
    lines += [Text(f"  {url}") for url in entry.sources]
    lines.append(Text())
    return lines
