"""Shared test helpers: real tools are required under CI, optional on a laptop."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "new-statesman-two-articles.txt"
EXPECTED = FIXTURES / "new-statesman-two-articles.expected.json"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# AUDIOBOOK_TEST_WITHOUT_ESPEAK=1: run as on a machine without espeak-ng (its programs off PATH,
# its library refused to this process and every Python process it starts), to count the tests
# that need no speech engine. Tests that need it skip (fail under CI) or fail.
WITHOUT_ESPEAK = os.environ.get("AUDIOBOOK_TEST_WITHOUT_ESPEAK", "") == "1"
_REFUSE_ESPEAK = """
import ctypes, ctypes.util
_find, _init = ctypes.util.find_library, ctypes.CDLL.__init__
def _no_find(name):
    return None if "espeak" in name else _find(name)
def _no_init(self, name, *a, **k):
    if name and "espeak" in str(name):
        raise OSError(f"{name}: cannot open shared object file: No such file or directory")
    _init(self, name, *a, **k)
ctypes.util.find_library, ctypes.CDLL.__init__ = _no_find, _no_init
"""


def _hide_espeak() -> None:
    hidden = Path(tempfile.mkdtemp(prefix="audiobook-no-espeak-"))
    (hidden / "sitecustomize.py").write_text(_REFUSE_ESPEAK, encoding="utf-8")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(hidden), os.environ.get("PYTHONPATH", "")) if p)
    exec(_REFUSE_ESPEAK, {})  # this process too (pytest started before the variable was set)
    bin_dir = hidden / "bin"
    bin_dir.mkdir()
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not os.path.isdir(folder):
            continue
        for entry in os.scandir(folder):
            target = bin_dir / entry.name
            if not entry.name.startswith("espeak") and not target.exists() and os.access(entry.path, os.X_OK):
                target.symlink_to(entry.path)
    os.environ["PATH"] = str(bin_dir)
    assert shutil.which("espeak-ng") is None


if WITHOUT_ESPEAK:
    _hide_espeak()


def require_tool(name: str) -> str:
    """Path of a system tool; skip the test without it, except under CI where it must exist."""
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is required under CI but not installed")
        pytest.skip(f"{name} not installed")
    return path


# The tone engine's shipped profile (`--voice tone`): a sine tone per word, each exactly
# 60/450 s, made instantly. Tests about what the pipeline does with audio (assembly, tags,
# publishing, faults) build with it; tests about speech keep espeak-ng.
TONE = "tone"


def build_root(tmp_path_factory: pytest.TempPathFactory, name: str, *, speech: bool = True) -> Path:
    """A fresh folder for a test build, once ffmpeg (and, for a speech build, espeak-ng) is known to be there."""
    if speech:
        require_tool("espeak-ng")
    require_tool("ffmpeg")
    return tmp_path_factory.mktemp(name)


def require_module(name: str) -> None:
    """Skip without an optional Python package, except under CI."""
    try:
        __import__(name)
    except ImportError:
        if IN_CI:
            pytest.fail(f"python package {name} is required under CI but not installed")
        pytest.skip(f"{name} not installed")


@pytest.fixture
def sample_text() -> Path:
    return SAMPLE


# --- scheduling over pytest-xdist workers (`make test` runs `pytest -n auto`) ---------------
# Each module's tests run on one worker (--dist loadscope, pyproject's addopts): a build shared by
# a module's tests (a module- or session-scoped fixture) is made once, not once per worker that
# happens to get one of them. (loadgroup would group only those modules, but it does not group
# anything with pytest 9.2 and xdist 3.8: xdist renames the test ids by writing Item._nodeid,
# which pytest 9.2 no longer reads.)
# The longest work first (seconds measured on the 2-core machine), so that no long module or test
# starts last and runs alone at the end while the other worker idles (--no-loadscope-reorder keeps
# this order). The rest follow in their usual order.
LONGEST_FIRST = [  # whole modules, longest first (each runs on one worker)
    "test_epub_build", "test_batch", "test_faults_tools", "test_build", "test_cluster", "test_faults_interrupt", "test_build_many_chapters",
    "test_unreadable", "test_interrupt", "test_concurrency", "test_synth_engines", "test_epub_real", "test_language_voices",
    "test_intelligibility", "test_ingest_readers", "test_html", "test_publish_build", "test_hostile", "test_cli_text",
    "test_normalise_properties_languages", "test_estimate", "test_readme_commands", "test_epub", "test_determinism",
]  # fmt: skip


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(rank)))  # stable: each module's order is kept
