"""The tone engine: exact lengths, deterministic samples, and clips the pipeline never trims or rejects."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from audiobook.synthesise import ClipRequest, synthesise
from audiobook.synthesise.engine import ENGINES, Params, get_engine
from audiobook.synthesise.plausibility import check_duration
from audiobook.synthesise.silence import trim_silence
from audiobook.synthesise.tone import SAMPLE_RATE_HZ, ToneEngine, tone_samples, word_samples
from audiobook.synthesise.voices import load_profile, voice_for_language

TONE = ToneEngine()


def test_registered_under_its_name_and_always_available() -> None:
    assert ENGINES["tone"] is ToneEngine
    assert get_engine("tone").available() == (True, "")


def test_each_word_takes_its_share_of_a_minute() -> None:
    assert word_samples(175) == 7560  # 60 / 175 s at 22050 Hz, exactly
    assert word_samples(200) == 6615
    pcm = TONE.synthesise("Three short words.", None, Params(rate_wpm=175))
    assert (pcm.sample_rate_hz, pcm.n_samples) == (SAMPLE_RATE_HZ, 3 * 7560)
    assert tone_samples("Three short words.", 175) == 3 * 7560
    # Punctuation and spaces are not words: no sound, so no trailing silence to trim.
    assert TONE.synthesise(" — ; ", None, Params()).n_samples == 0


def test_same_input_same_bytes_and_words_voices_pitch_volume_differ() -> None:
    one = TONE.synthesise("alpha beta", "en", Params())
    assert one == TONE.synthesise("alpha beta", "en", Params())
    assert one != TONE.synthesise("beta alpha", "en", Params())  # each word its own pitch
    assert one != TONE.synthesise("alpha beta", "fr", Params())
    assert one != TONE.synthesise("alpha beta", "en", Params(pitch=20))
    quiet = TONE.synthesise("alpha beta", "en", Params(volume=0.5))
    assert quiet.n_samples == one.n_samples and quiet != one


@given(st.text(alphabet=st.sampled_from("ab Zé9,.;—'\n"), max_size=300), st.integers(min_value=80, max_value=450))
def test_never_trimmed_and_always_plausible(text: str, rate_wpm: int) -> None:
    pcm = TONE.synthesise(text, None, Params(rate_wpm=rate_wpm))
    assert pcm.n_samples == tone_samples(text, rate_wpm)
    assert trim_silence(pcm.samples, pcm.sample_rate_hz) == pcm.samples
    assert check_duration(text, rate_wpm, pcm.n_samples / pcm.sample_rate_hz) is None


def test_shipped_profile_reads_every_language_itself() -> None:
    profile = load_profile("tone")  # check_voices: its voice id is one of the engine's
    assert (profile.engine, profile.voice, profile.rate_wpm) == ("tone", "en", 450)
    # Not borrowed from espeak-ng: a tone build needs no speech engine at all.
    assert voice_for_language(profile, "fr").voice == "fr"
    assert voice_for_language(profile, "de-AT").voice == "de"


def test_through_the_worker_pool_the_clip_is_exact(tmp_path: Path) -> None:
    profile = load_profile("tone")
    clips = synthesise([ClipRequest("Four words, then more.", "s1"), ClipRequest("  ", "s2")], profile, cache_dir=tmp_path, jobs=1)
    assert [c.n_samples for c in clips] == [4 * 2940, 0]  # 60 / 450 s a word
    assert clips[0].path.stat().st_size == 44 + 2 * 4 * 2940  # a canonical WAV header, then the samples
