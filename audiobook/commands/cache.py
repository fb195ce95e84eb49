"""The `cache` commands: where the sentence cache lives, how big it is, and clearing it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated, Optional

import typer

from .checks import cache_default

app = typer.Typer(help="Inspect or clear the sentence cache.", no_args_is_help=True)

CacheDir = Annotated[
    Optional[Path],  # noqa: UP007
    typer.Option("--cache-dir", metavar="FOLDER", help="The cache folder.", show_default=cache_default()),
]


@app.command("info")
def info(cache_dir: CacheDir = None) -> None:
    """Show where the sentence cache is, how many clips it holds and their size."""
    from ..synthesise.cache import ClipCache, resolve_cache_dir  # not on every start

    root = resolve_cache_dir(cache_dir)
    count, size = ClipCache(root).info()
    typer.echo(f"cache: {root}")
    typer.echo(f"clips: {count}")
    typer.echo(f"size: {size / 1e6:.1f} MB")
    folders = _build_folders(root)
    if folders:
        work = sum(f.stat().st_size for folder in folders for f in folder.rglob("*") if f.is_file())
        typer.echo(f"build work folders: {len(folders)}, {work / 1e6:.1f} MB (encoded pieces rebuilds reuse)")


@app.command("clear")
def clear(cache_dir: CacheDir = None) -> None:
    """Delete every cached clip and build work folder (the next build synthesises and encodes everything again)."""
    from ..synthesise.cache import ClipCache, resolve_cache_dir  # not on every start

    root = resolve_cache_dir(cache_dir)
    removed = ClipCache(root).clear()
    folders = _build_folders(root)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    work = f"; removed {len(folders)} build work folder{'' if len(folders) == 1 else 's'}" if folders else ""
    typer.echo(f"removed {removed} clip{'' if removed == 1 else 's'} from {root}{work}")


def _build_folders(root: Path) -> list[Path]:
    """The editions' work folders the build keeps in the cache (audiobook.pipeline.work_dir)."""
    from ..pipeline import WORK_ROOT

    builds = root / WORK_ROOT
    return sorted(p for p in builds.iterdir() if p.is_dir()) if builds.is_dir() else []
