"""The `cache` commands: where the sentence cache lives, how big it is, and clearing it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..synthesise.cache import ClipCache, resolve_cache_dir
from .checks import cache_default

app = typer.Typer(help="Inspect or clear the sentence cache.", no_args_is_help=True)

CacheDir = Annotated[
    Optional[Path],  # noqa: UP007
    typer.Option("--cache-dir", metavar="FOLDER", help="The cache folder.", show_default=cache_default()),
]


@app.command("info")
def info(cache_dir: CacheDir = None) -> None:
    """Show where the sentence cache is, how many clips it holds and their size."""
    root = resolve_cache_dir(cache_dir)
    count, size = ClipCache(root).info()
    typer.echo(f"cache: {root}")
    typer.echo(f"clips: {count}")
    typer.echo(f"size: {size / 1e6:.1f} MB")


@app.command("clear")
def clear(cache_dir: CacheDir = None) -> None:
    """Delete every cached clip (the next build synthesises everything again)."""
    root = resolve_cache_dir(cache_dir)
    removed = ClipCache(root).clear()
    typer.echo(f"removed {removed} clip{'' if removed == 1 else 's'} from {root}")
