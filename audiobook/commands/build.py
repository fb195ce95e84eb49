"""The `build` command (not yet implemented)."""

from __future__ import annotations

from ..errors import AudiobookError


def build() -> None:
    """Not yet implemented."""
    raise AudiobookError("build is not implemented yet")
