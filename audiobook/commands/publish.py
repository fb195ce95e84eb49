"""The `publish` command: regenerate the feed, the index and every edition's pages from an output folder."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from ..manifest import MANIFEST_NAME
from . import checks


def publish(
    output: Annotated[Path, typer.Argument(help="Output folder holding one folder per edition (each with edition.json).", metavar="OUTPUT", show_default=False)],
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="Public URL where OUTPUT is hosted, e.g. https://example.org/audio.",
            show_default="[publish] base_url in OUTPUT/audiobook.toml, else no feed",
        ),
    ] = None,
    pages: Annotated[
        bool, typer.Option("--pages/--no-pages", help="Also rewrite each edition's transcripts, chapters JSON and page.")
    ] = True,
) -> None:
    """Regenerate OUTPUT/feed.xml and OUTPUT/index.html from every edition in OUTPUT.

    Example: audiobook publish output --base-url https://example.org/audio
    """
    if not output.is_dir():
        raise UsageError(f"{output}: not a folder; give the folder `build -o` wrote")
    base_url = checks.check_base_url(base_url)
    checks.check_publish_config(output)
    if not any(output.glob(f"*/{MANIFEST_NAME}")):
        # Publishing nothing would write an empty feed titled from nothing: say what to run instead.
        raise UsageError(
            f"{output}: no built editions here (no {output / '*' / MANIFEST_NAME}); "
            f"run `{checks.invocation()} build INPUT -o {shlex.quote(str(output))}` first"
        )
    checks.check_output_folder(output, flag="OUTPUT")
    from ..publish import FEED_NAME, FEED_SKIPPED, PAGE_NAME, publish_site, republish_editions  # not on every start

    notices = republish_editions(output) if pages else []
    notices += publish_site(output, base_url)
    for notice in notices:
        typer.echo(f"audiobook: note: {notice}", err=True)
    feed_written = not any(n.startswith(FEED_SKIPPED) for n in notices)
    written = [output / PAGE_NAME] + ([output / FEED_NAME] if feed_written else [])
    typer.echo("wrote " + " and ".join(str(p) for p in written))
