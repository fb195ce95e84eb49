"""The `plan` command (not yet implemented)."""

from __future__ import annotations

from ..errors import AudiobookError


def plan() -> None:
    """Not yet implemented."""
    raise AudiobookError("plan is not implemented yet")
