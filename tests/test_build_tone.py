"""A tone build's timings are exact: every cue where its words and the profile's pauses put it."""

from __future__ import annotations

from pathlib import Path

from conftest import TONE, require_tool

from audiobook.assemble import ENCODER_DELAY_SAMPLES
from audiobook.pipeline import BuildOptions, build
from audiobook.synthesise.tone import SAMPLE_RATE_HZ, tone_samples
from audiobook.synthesise.voices import load_profile

TEXT = "# The Harbour\n\nBoats came in. The market opened at dawn.\n\nTraders were glad.\n"


def test_every_cue_starts_and_ends_where_the_words_and_pauses_put_it(tmp_path: Path) -> None:
    require_tool("ffmpeg")
    source = tmp_path / "harbour.md"
    source.write_text(TEXT, encoding="utf-8")
    manifest = build([source], BuildOptions(output_dir=tmp_path / "out", voice=TONE, cache_dir=tmp_path / "cache"))
    profile = load_profile(TONE)
    pauses = profile.pauses
    said = [
        ("The Harbour", profile.headings.pause_ms),
        ("Boats came in.", pauses.sentence_ms),
        ("The market opened at dawn.", pauses.paragraph_ms),
        ("Traders were glad.", 0),
    ]
    expected = []
    at = ENCODER_DELAY_SAMPLES  # samples before the utterance, in the decoded MP3
    for text, pause_ms in said:
        n = tone_samples(text, profile.rate_wpm)
        expected.append((round(at / SAMPLE_RATE_HZ, 3), round((at + n) / SAMPLE_RATE_HZ, 3), text))
        at += n + SAMPLE_RATE_HZ * pause_ms // 1000
    (article,) = manifest.articles
    assert [(c.start_s, c.end_s, c.text) for c in article.cues] == expected
    # The file ends within one MP3 frame (576 samples at 22.05 kHz) after the last word.
    assert 0 <= article.duration_s - expected[-1][1] < 576 / SAMPLE_RATE_HZ + 0.001
