"""The `build` command: articles in, the chaptered, tagged audio edition out."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Annotated

import typer

from ..events import Event, EventSink, Notice
from ..pipeline import DEFAULT_VOICE, BuildOptions
from ..pipeline import build as run_build


def _sink(quiet: bool) -> AbstractContextManager[EventSink]:
    """The CLI's progress display (audiobook.progress.make_sink), or notices only without it."""
    try:
        from ..progress import make_sink

        return make_sink(quiet)
    except ImportError:

        def notices(event: Event) -> None:
            if isinstance(event, Notice) and not quiet:
                typer.echo(f"audiobook: note: {event.message}", err=True)

        return nullcontext(notices)


def build(
    inputs: Annotated[list[Path], typer.Argument(help="Text, Markdown, HTML or EPUB files, folders, or - for standard input.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for editions; the edition goes in OUTPUT/<edition-slug>/.")] = Path("output"),
    voice: Annotated[str, typer.Option("--voice", help="Voice profile name or TOML file (see `audiobook voices`).")] = DEFAULT_VOICE,
    title: Annotated[str | None, typer.Option("--title", help="Edition title (else from the text).")] = None,
    publication: Annotated[str | None, typer.Option("--publication", help="Publication name (else from the text).")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Issue date, e.g. 2017-03-23 (else from the text).")] = None,
    cover: Annotated[Path | None, typer.Option("--cover", help="Cover image (made square, at least 1400 px); else one is generated.")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Parallel workers (default: CPU count).")] = None,
    cache_dir: Annotated[Path | None, typer.Option("--cache-dir", help="Sentence clip cache folder.")] = None,
    rules: Annotated[Path | None, typer.Option("--rules", help="A rules file extending the plain-text segmentation rules (as for plan).")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="Public URL of OUTPUT, to write the podcast feed.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Build the audio edition: one chaptered, tagged MP3 per article, the whole edition, playlist, cover, manifest.

    Example: audiobook build tests/fixtures/new-statesman-two-articles.txt -o output
    """
    options = BuildOptions(
        output_dir=output,
        voice=voice,
        title=title,
        publication=publication,
        date=date,
        cover=cover,
        jobs=jobs,
        cache_dir=cache_dir,
        rules=rules,
        base_url=base_url,
    )
    with _sink(quiet) as sink:
        manifest = run_build([str(p) for p in inputs], options, sink)
    folder = output / manifest.slug
    minutes = manifest.duration_s / 60
    count = len(manifest.articles)
    typer.echo(f"built {count} article{'' if count == 1 else 's'}, {minutes:.1f} min: {folder}/{manifest.edition_file.path}")
