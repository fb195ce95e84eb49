"""The `batch` command: many editions into one site in one run, resumable, with a summary."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from ..formats import DEFAULT_FORMATS, FORMATS, parse_formats
from ..pipeline import DEFAULT_VOICE, BuildOptions, Stopped
from . import checks


def batch(
    sources: Annotated[list[str], typer.Argument(help="Editions: each file or folder is one; a quoted pattern ('texts/*.txt', ** for any depth) its matches; @FILE or a .list file one source a line.", metavar="SOURCE", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", metavar="SITE", help="Folder of the site: each edition in SITE/<edition-slug>/, one feed and index over them all.")] = Path("output"),
    voice: Annotated[str, typer.Option("--voice", metavar="NAME|FILE", help="Voice profile name or TOML file (see `audiobook voices`).")] = DEFAULT_VOICE,
    publication: Annotated[str | None, typer.Option("--publication", metavar="NAME", help="Publication name of every edition.", show_default="from each text")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, metavar="N", help="Parallel workers within an edition.", show_default="CPU count")] = None,
    cache_dir: Annotated[Path | None, typer.Option("--cache-dir", metavar="FOLDER", help="Sentence clip cache folder.", show_default=checks.cache_default())] = None,
    rules: Annotated[Path | None, typer.Option("--rules", metavar="FILE", help="A rules file extending the plain-text segmentation rules (as for plan).", show_default="none")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", metavar="URL", help="Public URL of SITE, to write the podcast feed.", show_default="[publish] base_url in SITE/audiobook.toml, else no feed")] = None,
    formats: Annotated[str, typer.Option("--format", metavar="LIST", help=f"Packages of each edition, comma-separated: {', '.join(FORMATS)} (the MP3s are always made).")] = ",".join(DEFAULT_FORMATS),
    language: Annotated[str | None, typer.Option("--language", metavar="CODE", help="The language of every article, e.g. fr or en-US.", show_default="declared, else detected per article")] = None,
    cluster: Annotated[str | None, typer.Option("--cluster", metavar="ADDRESS", help="Synthesise on this Dask cluster (its scheduler's address, e.g. tcp://10.0.0.5:8786), one connection for the whole batch. See docs/scale.md.", show_default="[build] cluster in SITE/audiobook.toml, else this machine")] = None,
    cluster_cache: Annotated[Path | None, typer.Option("--cluster-cache", metavar="FOLDER", help="A clip cache folder every cluster worker sees at the same path (a shared file system).", show_default="[build] cluster_cache in SITE/audiobook.toml, else each worker's own cache")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display (the summary is still printed).")] = False,
) -> None:
    """Build many editions into one site: each file or folder is an edition; one feed and index; a summary at the end.

    Run it again after a crash or Ctrl-C and it redoes only the editions not finished;
    finished ones are skipped after a hash and a few stats. An edition that cannot be
    built is reported with its reason and skipped; the others are built. Exit status:
    0 when every edition is built or unchanged, 1 when any failed, 2 for a usage error.

    Example: audiobook batch 'tests/fixtures/batch/*.txt' -o site
    """
    from ..batch import FAILED, EditionResult, expand_sources, run_batch, summary_lines
    from ..progress import make_batch_sink

    url = checks.check_base_url(base_url)
    checks.check_rules(rules)
    checks.check_voice(voice)
    checks.check_output_folder(output)
    checks.check_publish_config(output)
    if cache_dir is not None:
        checks.check_output_folder(cache_dir, flag="--cache-dir")
    cluster, cluster_cache = checks.resolve_cluster(cluster, cluster_cache, output)
    editions, missing = expand_sources(sources)
    # The batch's options, which each edition's are made from in one place: batch.edition_options.
    options = BuildOptions(
        formats=parse_formats(formats),
        output_dir=output,
        voice=voice,
        publication=publication,
        jobs=jobs,
        cache_dir=cache_dir,
        rules=rules,
        base_url=url,
        language=checks.check_language(language),
        cluster=cluster,
        cluster_cache=cluster_cache,
    )
    results: list[EditionResult] = []
    try:
        with make_batch_sink(quiet) as sink:
            run_batch(editions, options, sink, missing, results)
    except (Stopped, KeyboardInterrupt) as exc:
        # What was finished before Ctrl-C, then one line saying how to resume (printed by cli.main),
        # wherever the interrupt fell: inside an edition's build (Stopped says what it keeps) or between.
        for line in summary_lines(results):
            typer.echo(line)
        finished = sum(r.status != FAILED for r in results)
        said = str(exc) if isinstance(exc, Stopped) else "stopped; run the same command again to resume"
        raise Stopped(f"{said}; {finished} finished edition{'' if finished == 1 else 's'} will be skipped") from None
    for line in summary_lines(results):
        typer.echo(line)
    typer.echo(f"page: {output / 'index.html'} (open it in a browser)")
    typer.echo(f"listen: {checks.invocation()} serve {shlex.quote(str(output))}, then go to http://127.0.0.1:8000/")
    if any(r.status == FAILED for r in results):
        raise typer.Exit(1)
