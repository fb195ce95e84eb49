"""The leaves of docs/architecture.md import nothing of the package beyond other leaves."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "audiobook"
LEAVES = ("model", "errors", "events", "atomic", "gateway", "limits", "voice")
# What a leaf may lean on: the other leaves, and the table of languages (itself importing only leaves).
ALLOWED = {*LEAVES, "language"}


def imported_modules(path: Path) -> set[str]:
    """The package modules a file imports, at any depth of the file (functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("audiobook."):
            found.add((node.module or "").split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("audiobook."))
    return found


@pytest.mark.parametrize("leaf", LEAVES)
def test_a_leaf_imports_no_stage(leaf: str) -> None:
    assert imported_modules(PACKAGE / f"{leaf}.py") <= ALLOWED


def test_the_check_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("def f():\n    from .synthesise.engine import get_engine\n", encoding="utf-8")
    assert imported_modules(path) == {"synthesise"}
