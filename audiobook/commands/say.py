"""The `say` command (not yet implemented)."""

from __future__ import annotations

from ..errors import AudiobookError


def say() -> None:
    """Not yet implemented."""
    raise AudiobookError("say is not implemented yet")
