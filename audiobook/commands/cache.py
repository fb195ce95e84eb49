"""The `cache` commands (not yet implemented)."""

from __future__ import annotations

import typer

from ..errors import AudiobookError

app = typer.Typer(help="Inspect or clear the sentence cache.", no_args_is_help=True)


@app.command("info")
def info() -> None:
    """Show where the cache is and how big it is."""
    raise AudiobookError("cache info is not implemented yet")


@app.command("clear")
def clear() -> None:
    """Delete every cached clip."""
    raise AudiobookError("cache clear is not implemented yet")
