"""The `serve` command (not yet implemented)."""

from __future__ import annotations

from ..errors import AudiobookError


def serve() -> None:
    """Not yet implemented."""
    raise AudiobookError("serve is not implemented yet")
