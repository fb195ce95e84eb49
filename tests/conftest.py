"""Shared test helpers: real tools are required under CI, optional on a laptop."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "new-statesman-two-articles.txt"
EXPECTED = FIXTURES / "new-statesman-two-articles.expected.json"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_tool(name: str) -> str:
    """Path of a system tool; skip the test without it, except under CI where it must exist."""
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is required under CI but not installed")
        pytest.skip(f"{name} not installed")
    return path


def build_root(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A fresh folder for a test build, once espeak-ng and ffmpeg are known to be there."""
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
