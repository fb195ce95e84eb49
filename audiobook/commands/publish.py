"""The `publish` command: regenerate the feed, the index and every edition's pages from an output folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from ..publish import FEED_NAME, FEED_SKIPPED, PAGE_NAME, publish_site, republish_editions


def publish(
    output: Annotated[Path, typer.Argument(help="Output folder holding one folder per edition (each with edition.json).")],
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="Public URL where OUTPUT is hosted, e.g. https://example.org/audio (else [publish] base_url in OUTPUT/audiobook.toml)."),
    ] = None,
    pages: Annotated[
        bool, typer.Option("--pages/--no-pages", help="Also rewrite each edition's transcripts, chapters JSON and page.")
    ] = True,
) -> None:
    """Regenerate OUTPUT/feed.xml and OUTPUT/index.html from every edition in OUTPUT.

    Example: audiobook publish output --base-url https://example.org/audio
    """
    if not output.is_dir():
        raise UsageError(f"{output}: not a folder")
    notices = republish_editions(output) if pages else []
    notices += publish_site(output, base_url)
    for notice in notices:
        typer.echo(f"audiobook: note: {notice}", err=True)
    feed_written = not any(n.startswith(FEED_SKIPPED) for n in notices)
    written = [output / PAGE_NAME] + ([output / FEED_NAME] if feed_written else [])
    typer.echo("wrote " + " and ".join(str(p) for p in written))
