"""The layers stay honest: data flows sources -> store -> analysis -> ui.

Each core module is imported in a fresh interpreter and `sys.modules` is checked: nothing
below ui/ pulls in Textual or Rich, and only sources/ pulls in the kubernetes client. This is
what happens at run time; `lint-imports` (pyproject.toml) checks every import statement,
including those inside functions, against the layer contracts.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import mlview.analysis

# Every module of every domain package, not only the top level.
ANALYSIS = [m.name for m in pkgutil.walk_packages(mlview.analysis.__path__, "mlview.analysis.")]
CORE = [
    "mlview.store",
    "mlview.selectors",
    "mlview.kinds",
    "mlview.domains",
    "mlview.sanitize",
    "mlview.errors",
    "mlview.resources",
    "mlview.sources.snapshot",
    "mlview.sources.demo",
    *ANALYSIS,
]


def imported_by(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


@pytest.mark.parametrize("module", CORE)
def test_core_modules_import_no_ui_and_no_kubernetes_client(module):
    top = imported_by(module)
    assert "textual" not in top, f"{module} imports Textual"
    assert "rich" not in top, f"{module} imports Rich"
    assert "kubernetes" not in top, f"{module} imports the kubernetes client"


def test_cli_imports_neither_ui_nor_kubernetes_until_needed():
    top = imported_by("mlview.cli")
    assert "kubernetes" not in top
    code = "import sys, mlview.cli; print(any(m.startswith('mlview.ui') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_nothing_but_cli_imports_ui():
    import pathlib

    root = pathlib.Path(mlview.analysis.__file__).parent.parent
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("ui/") or rel == "cli.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "from mlview.ui" in text or "import mlview.ui" in text:
            offenders.append(rel)
    assert offenders == []
