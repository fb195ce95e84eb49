"""Pure parts of synthesis: clause splitting, plausibility bounds, cache keys and verified entries."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiobook.synthesise.cache import HEADER_BYTES, ClipCache, clip_key, default_cache_dir, wav_bytes
from audiobook.synthesise.clauses import split_clauses
from audiobook.synthesise.plausibility import check_duration, count_words, plausible_range_s

LONG = (
    "The quick brown fox, which had been waiting all day by the river, jumped over the lazy dog; "
    "then it ran away — far, far away — into the forest, where nobody could find it again."
)


def test_short_text_is_one_piece() -> None:
    assert split_clauses("Hello there.", 300) == ("Hello there.",)


def test_whitespace_gives_no_pieces() -> None:
    assert split_clauses("", 300) == ()
    assert split_clauses(" \n\t ", 300) == ()


def test_long_sentence_splits_at_strongest_boundaries() -> None:
    assert split_clauses(LONG, 60) == (
        "The quick brown fox,",
        "which had been waiting all day by the river,",
        "jumped over the lazy dog;",
        "then it ran away — far, far away —",
        "into the forest, where nobody could find it again.",
    )


def test_semicolon_beats_comma() -> None:
    assert split_clauses("one, two; three four five six, seven", 12) == ("one, two;", "three four", "five six,", "seven")


def test_unbroken_run_is_cut_to_size() -> None:
    assert split_clauses("x" * 25, 10) == ("x" * 10, "x" * 10, "x" * 5)


@given(st.text(alphabet=st.sampled_from("abc ,;:—.\n"), max_size=400), st.integers(min_value=5, max_value=120))
def test_split_keeps_every_word_and_respects_the_limit(text: str, limit: int) -> None:
    pieces = split_clauses(text, limit)
    assert all(p and p == p.strip() and len(p) <= limit for p in pieces)
    # Nothing lost: the pieces hold exactly the text's characters apart from whitespace.
    assert "".join("".join(pieces).split()) == "".join(text.split())


def test_plausible_range_scales_with_words_and_rate() -> None:
    text = "one two three four five six seven eight nine ten"
    lo, hi = plausible_range_s(text, 175)
    assert count_words(text) == 10
    assert lo == pytest.approx(0.3 * 10 * 60 / 175)
    assert hi == pytest.approx(2.0 + 0.2 * len(text))
    lo_fast, hi_fast = plausible_range_s(text, 350)
    assert lo_fast == pytest.approx(lo / 2) and hi_fast < hi


def test_check_duration_rejects_empty_truncated_and_runaway_clips() -> None:
    text = "This sentence has exactly seven words."
    assert check_duration(text, 175, 2.4) is None
    assert check_duration(text, 175, 0.0) == "the engine produced no audio"
    assert "too short" in (check_duration(text, 175, 0.3) or "")
    assert "too long" in (check_duration(text, 175, 60.0) or "")


def test_cache_key_covers_text_engine_version_and_params() -> None:
    base = clip_key("Hello.", "espeak", "1.51", {"rate_wpm": 175, "voice": None})
    assert base == clip_key("Hello.", "espeak", "1.51", {"voice": None, "rate_wpm": 175})
    others = {
        clip_key("Hello!", "espeak", "1.51", {"rate_wpm": 175, "voice": None}),
        clip_key("Hello.", "pyttsx3", "1.51", {"rate_wpm": 175, "voice": None}),
        clip_key("Hello.", "espeak", "1.52", {"rate_wpm": 175, "voice": None}),
        clip_key("Hello.", "espeak", "1.51", {"rate_wpm": 176, "voice": None}),
        clip_key("Hello.", "espeak", "1.51", {"rate_wpm": 175, "voice": "gmw/en"}),
    }
    assert base not in others and len(others) == 5


def test_wav_bytes_is_a_canonical_header() -> None:
    data = wav_bytes(b"\x01\x00\x02\x00", 22050)
    assert len(data) == HEADER_BYTES + 4
    assert data[:4] == b"RIFF" and data[8:16] == b"WAVEfmt " and data[36:40] == b"data"


def _pcm(n: int) -> bytes:
    return bytes((i * 7) % 256 for i in range(2 * n))


def test_cache_round_trip(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    entry = cache.put("ab" * 32, _pcm(1000), 22050)
    assert entry.n_samples == 1000 and entry.path.parent.name == "ab"
    got = ClipCache(tmp_path).get("ab" * 32)
    assert got == entry
    assert ClipCache(tmp_path).get("cd" * 32) is None
    assert ClipCache(tmp_path).info() == (1, HEADER_BYTES + 2000)


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "header"])
def test_corrupt_entry_is_a_miss_and_removed(tmp_path: Path, damage: str) -> None:
    entry = ClipCache(tmp_path).put("ef" * 32, _pcm(500), 22050)
    data = bytearray(entry.path.read_bytes())
    if damage == "flip":
        data[HEADER_BYTES + 100] ^= 0xFF
    elif damage == "truncate":
        del data[-10:]
    elif damage == "empty":
        data = bytearray()
    else:
        data[0:4] = b"RIFX"
    entry.path.write_bytes(bytes(data))
    assert ClipCache(tmp_path).get("ef" * 32) is None
    assert not entry.path.exists()
    # And the next put makes it good again.
    ClipCache(tmp_path).put("ef" * 32, _pcm(500), 22050)
    assert ClipCache(tmp_path).get("ef" * 32) is not None


def test_no_temp_files_left_and_clear(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    for i in range(5):
        cache.put(f"{i:064x}", _pcm(10), 16000)
    leftovers = [n for _d, _s, files in os.walk(tmp_path) for n in files if n.startswith(".")]
    assert leftovers == []
    assert cache.clear() == 5
    assert cache.info() == (0, 0)


def test_env_var_sets_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AUDIOBOOK_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("AUDIOBOOK_CACHE_DIR")
    assert default_cache_dir().name == "audiobook"


def _le(values: list[int]) -> bytes:
    return b"".join(v.to_bytes(2, "little", signed=True) for v in values)


def test_trim_silence_keeps_a_margin_around_the_sound() -> None:
    from audiobook.synthesise.silence import trim_silence

    # 1,000 Hz: the 10 ms margin is 10 samples.
    pcm = _le([0] * 50 + [3, -64, 500, -700, 65, 0, 2] + [0] * 40)
    # First sound: 500 (3 and -64 are within the threshold); last: 65.
    assert trim_silence(pcm, 1000) == _le([0] * 8 + [3, -64, 500, -700, 65, 0, 2] + [0] * 8)
    assert trim_silence(_le([1000, 0, 0]), 1000) == _le([1000, 0, 0])
    assert trim_silence(_le([0, 12, -64, 64]), 1000) == b""
    assert trim_silence(b"", 1000) == b""
    assert trim_silence(_le([0] * 30 + [-65]), 1000, keep_ms=0) == _le([-65])
