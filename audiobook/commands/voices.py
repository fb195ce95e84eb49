"""The `voices` command (not yet implemented)."""

from __future__ import annotations

from ..errors import AudiobookError


def voices() -> None:
    """Not yet implemented."""
    raise AudiobookError("voices is not implemented yet")
