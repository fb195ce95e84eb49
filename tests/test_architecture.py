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


def test_the_executor_seam_holds_the_local_pool_and_the_cluster() -> None:
    from audiobook.synthesise.executor import EXECUTORS, LocalExecutor, open_executor

    assert list(EXECUTORS) == ["local", "dask"]
    assert isinstance(open_executor(None, jobs=2), LocalExecutor)


def test_dask_is_imported_only_when_a_cluster_is_asked_for() -> None:
    """A local build (the default) must not pay for Dask's import, nor need it installed."""
    for module in ("synthesise/cluster.py", "synthesise/executor.py", "synthesise/__init__.py", "pipeline.py"):
        tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        names = {a.name for n in top if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in top if isinstance(n, ast.ImportFrom)}
        assert not {n for n in names if n.split(".")[0] in ("dask", "distributed")}, module
        assert "cluster" not in {n.module for n in top if isinstance(n, ast.ImportFrom) and n.level}, module
