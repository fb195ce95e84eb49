"""The `publish` command (not yet implemented)."""

from __future__ import annotations

from ..errors import AudiobookError


def publish() -> None:
    """Not yet implemented."""
    raise AudiobookError("publish is not implemented yet")
