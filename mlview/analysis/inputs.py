"""Findings about the input itself: objects the API server would have rejected, and objects
given twice. The store's door (mlview/validate.py) records them; this reports them.

- `object-invalid` (error): a field of the wrong type (the object is left out of the analysis)
  or a wrong direct field of `status` (that field is left out, the object is kept).
- `object-duplicate` (warning): the same kind, namespace and name twice; the later one is used.
"""

from __future__ import annotations

from mlview.analysis.findings import Finding, Severity, finding
from mlview.store import StoreView

INVALID = "object-invalid"
DUPLICATE = "object-duplicate"


def findings(view: StoreView) -> list[Finding]:
    source = view.source
    out: list[Finding] = []
    for p in source.invalid:
        where = f"{p.origin}: " if p.origin else ""
        field = f"{p.path}: " if p.path else ""
        outcome = (
            "the object is left out of the analysis"
            if p.dropped
            else "this field is left out, the rest of the object is read"
        )
        out.append(
            finding(
                INVALID,
                Severity.ERROR,
                (p.kind or "(unknown kind)", p.namespace, p.name or "(no name)"),
                f"{where}{field}{p.message} ({outcome})",
                "the API server would reject this object: fix the manifest or snapshot",
            )
        )
    for kind, ns, name, first in source.duplicates:
        where = f" (first in {first})" if first else ""
        out.append(
            finding(
                DUPLICATE,
                Severity.WARNING,
                (kind, ns, name),
                f"given more than once{where}; the later copy is used",
                "keep one copy of each object in the input",
            )
        )
    return out
