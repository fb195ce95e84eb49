"""The `check` command: hear a built edition back offline and say whether every sentence was spoken as written."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .. import limits
from ..check import CHECK_HTML, CHECK_JSON, DEFAULT_MAX_FLAGGED, DEFAULT_THRESHOLD, Report
from ..phrases import format_duration, plural
from ..progress import make_sink


def default_jobs() -> int:
    """Recogniser threads when --jobs is not given: the cores this process may use (it scales to about four)."""
    return min(4, limits.default_jobs())


THRESHOLD_HELP = (
    "A sentence is flagged when its score is below this. Score = 1 - cost / words (words: the sentence's "
    "spoken words, at least 4), once the transcript and the text are aligned: a word heard wrong, missing or "
    "extra costs 1, one that sounds like what was written (a name the recogniser spells its own way) 1/2, "
    "a wrong number always 1; British/American spellings, digits, split compounds, homophones and a lexicon "
    "respelling that sounds like its word cost nothing. A word the build rewrote that is heard wrong nearly "
    "everywhere flags every sentence it is in, as does a number the engine was given differently, and so does "
    "a silence in its audio (0.4 s at its start or end, 1.4 s inside it), whatever its score. 0.5: a dropped, wrong or half-cut clip scores below it, while "
    "on the espeak-built sample 1.3% of clean sentences do (see README)."
)
MAX_FLAGGED_HELP = (
    "The edition fails when more than this share of its sentences is flagged by the recogniser, or two "
    "flagged sentences come next to each other, or any sentence is flagged for a silence, a number or a word "
    "heard wrong everywhere, or a file changed. 2: the recogniser's slips on sound speech are scattered, "
    "1-1.6% of sentences with espeak-ng and under 1% with the other voices (see README); one is always allowed."
)


def check(
    edition: Annotated[Path, typer.Argument(help="An edition folder that `build` wrote (OUTPUT/<edition-slug>, holding edition.json).", metavar="EDITION_DIR", show_default=False)],
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0, metavar="SCORE", help=THRESHOLD_HELP)] = DEFAULT_THRESHOLD,
    max_flagged: Annotated[float, typer.Option("--max-flagged", min=0.0, max=100.0, metavar="PERCENT", help=MAX_FLAGGED_HELP)] = DEFAULT_MAX_FLAGGED * 100,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, metavar="N", help="Recogniser threads.", show_default="CPU count, at most 4")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Check an edition offline: its files against edition.json, then every sentence heard back by a speech recogniser.

    Writes EDITION_DIR/check.json (every sentence: its times, text, what was heard, its score) and
    EDITION_DIR/check.html (the flagged sentences, each with a button playing it). Exit 0 when every
    file is as built, no sentence is shown wrong by its audio or the build, and the recogniser's flags
    are few and scattered (see --max-flagged); 1 otherwise, 2 for bad input. Needs the `asr` extra
    (Whisper tiny, English).

    Example: audiobook check output/new-statesman-23-march-2017
    """
    report = run_check(edition, threshold, jobs, quiet, max_flagged / 100)
    if not report.summary.passed:
        raise typer.Exit(1)


def run_check(edition: Path, threshold: float, jobs: int | None, quiet: bool, max_flagged: float = DEFAULT_MAX_FLAGGED) -> Report:
    """Check the edition, drawing progress, and print the summary; `build --check` uses it too."""
    from ..check import check_edition  # numpy and the recogniser: only when checking

    # Progress is for a person watching: a log or a pipe gets the summary alone.
    with make_sink(quiet or not sys.stderr.isatty()) as sink:
        report = check_edition(edition, threshold=threshold, max_flagged=max_flagged, jobs=jobs or default_jobs(), sink=sink)
    for line in summary_lines(report, edition):
        typer.echo(line)
    return report


def summary_lines(report: Report, edition: Path) -> list[str]:
    """What the terminal shows: the verdict, coverage, changed files, the worst sentences with their times."""
    from ..check import clock

    s = report.summary
    lines = [
        f"checked {plural(s.sentences, 'sentence')} ({format_duration(round(s.audio_s))} of audio) in {s.seconds:.0f} s: "
        f"{s.coverage * 100:.1f}% of words heard as written, {s.flagged} flagged (threshold {s.threshold:g})"
    ]
    if s.unjudged:
        lines.append(f"{plural(s.unjudged, 'sentence')} holding a web address or an ISBN heard differently: not flagged, listed in the report")
    for changed in s.changed:
        lines.append(f"changed since the build: {changed}")
    worst = report.worst()
    if worst:
        lines.append("worst:")
    for j in worst:
        sen = j.sentence
        lines.append(f"  article {sen.article}, sentence {sen.index}, {clock(sen.start_s)}-{clock(sen.end_s)}, score {j.score:.2f}: {j.reason}")
        lines.append(f"     text:  {sen.text}")
        lines.append(f"     heard: {j.heard or '(nothing)'}")
    if s.flagged > len(worst):
        lines.append(f"  ... and {s.flagged - len(worst)} more")
    verdict = "passed" if s.passed else "FAILED"
    lines.append(f"{verdict}: {s.verdict}")
    lines.append(f"report: {edition / CHECK_HTML} (play the flagged sentences), {edition / CHECK_JSON}")
    return lines
