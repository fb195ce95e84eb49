"""The `build` command: articles in, the chaptered, tagged audio edition out."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from ..formats import DEFAULT_FORMATS, FORMATS, parse_formats
from ..phrases import format_duration, plural
from ..pipeline import DEFAULT_VOICE, BuildOptions
from ..pipeline import build as run_build
from ..progress import make_sink
from . import checks


def build(
    inputs: Annotated[list[Path], typer.Argument(help="Text, Markdown, HTML, EPUB or PDF files, folders, or - for standard input.", metavar="INPUT", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FOLDER", help="Folder for editions; the edition goes in OUTPUT/<edition-slug>/.")] = Path("output"),
    voice: Annotated[str, typer.Option("--voice", metavar="NAME|FILE", help="Voice profile name or TOML file (see `audiobook voices`).")] = DEFAULT_VOICE,
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT", help="Edition title.", show_default="from the text")] = None,
    publication: Annotated[str | None, typer.Option("--publication", metavar="NAME", help="Publication name.", show_default="from the text")] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="DATE", help="Issue date, e.g. 2017-03-23.", show_default="from the text")] = None,
    cover: Annotated[Path | None, typer.Option("--cover", metavar="IMAGE", help="Cover image (made square, at least 1400 px).", show_default="an EPUB's cover, else generated")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, metavar="N", help="Parallel workers.", show_default="CPU count")] = None,
    cache_dir: Annotated[Path | None, typer.Option("--cache-dir", metavar="FOLDER", help="Sentence clip cache folder.", show_default=checks.cache_default())] = None,
    rules: Annotated[Path | None, typer.Option("--rules", metavar="FILE", help="A rules file extending the plain-text segmentation rules (as for plan).", show_default="none")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", metavar="URL", help="Public URL of OUTPUT, to write the podcast feed.", show_default="[publish] base_url in OUTPUT/audiobook.toml, else no feed")] = None,
    formats: Annotated[str, typer.Option("--format", metavar="LIST", help=f"Packages of the whole edition, comma-separated: {', '.join(FORMATS)} (the MP3s are always made; m4b: an audiobook with chapters; epub: a narrated EPUB 3, the text highlighted as it is read).")] = ",".join(DEFAULT_FORMATS),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    language: Annotated[str | None, typer.Option("--language", metavar="CODE", help="The language of every article, e.g. fr or en-US, over what the documents say and what detection finds.", show_default="declared, else detected per article")] = None,
    cluster: Annotated[str | None, typer.Option("--cluster", metavar="ADDRESS", help="Synthesise on this Dask cluster (its scheduler's address, e.g. tcp://10.0.0.5:8786); the output is the same as a local build's. See docs/scale.md.", show_default="[build] cluster in OUTPUT/audiobook.toml, else this machine")] = None,
    cluster_cache: Annotated[Path | None, typer.Option("--cluster-cache", metavar="FOLDER", help="A clip cache folder every cluster worker sees at the same path (a shared file system).", show_default="[build] cluster_cache in OUTPUT/audiobook.toml, else each worker's own cache")] = None,
    check: Annotated[bool, typer.Option("--check", help="Then hear the edition back offline, as `audiobook check` does (default threshold); exit 1 when it fails.")] = False,
) -> None:
    """Build the audio edition: one chaptered, tagged MP3 per article, the whole edition, playlist, cover, manifest.

    Example: audiobook build tests/fixtures/new-statesman-two-articles.txt -o output
    """
    base_url = validate([str(p) for p in inputs], output, voice, date, cover, rules, base_url, cache_dir)
    cluster, cluster_cache = checks.resolve_cluster(cluster, cluster_cache, output)
    chosen = parse_formats(formats)
    language = checks.check_language(language)
    if check:
        from ..check import require_recogniser

        require_recogniser()  # a missing asr extra is one line now, not after the build
    options = BuildOptions(
        formats=chosen,
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
        language=language,
        cluster=cluster,
        cluster_cache=cluster_cache,
    )
    with make_sink(quiet) as sink:
        manifest = run_build([str(p) for p in inputs], options, sink)
    folder = output / manifest.slug
    count = len(manifest.articles)
    # The same duration format as plan's estimate, so the two can be compared at a glance.
    length = format_duration(round(manifest.duration_s))
    typer.echo(f"built {plural(count, 'article')}, {length}: {folder}/{manifest.edition_file.path}")
    for entry in manifest.packages.values():
        typer.echo(f"also: {folder}/{entry.path}")
    # The page and the server are how a listener gets at the files: say so here, not in a Makefile.
    typer.echo(f"page: {output / 'index.html'} (open it in a browser)")
    typer.echo(f"listen: {checks.invocation()} serve {shlex.quote(str(output))}, then go to http://127.0.0.1:8000/")
    if check:
        from ..check import DEFAULT_THRESHOLD
        from .check import run_check

        if not run_check(folder, DEFAULT_THRESHOLD, jobs, quiet).summary.passed:
            raise typer.Exit(1)


def validate(
    inputs: list[str],
    output: Path,
    voice: str,
    date: str | None,
    cover: Path | None,
    rules: Path | None,
    base_url: str | None,
    cache_dir: Path | None = None,
) -> str | None:
    """Every argument checked before reading or synthesis (UsageError/ConfigError, exit 2); the clean base URL."""
    checks.check_inputs(inputs)
    url = checks.check_base_url(base_url)
    checks.check_date(date)
    checks.check_cover(cover)
    checks.check_rules(rules)
    checks.check_voice(voice)
    checks.check_output_folder(output)
    checks.check_publish_config(output)
    if cache_dir is not None:
        checks.check_output_folder(cache_dir, flag="--cache-dir")
    return url
