"""A hung worker is stopped and its clip retried; two builds sharing one cache both succeed."""

from __future__ import annotations

import os
import signal
import threading
import time
import wave
from pathlib import Path

import pytest

import audiobook.synthesise.pool as pool
from audiobook.errors import EngineError
from audiobook.events import Event, Notice
from audiobook.synthesise import Clip, ClipRequest, SynthesisStats, synthesise
from audiobook.voice import VoiceProfile

from conftest import require_tool
from test_synth_engines import _sentences, signal_worker_when

ESPEAK = VoiceProfile(name="t-espeak", engine="espeak", voice="gmw/en")


def _requests(texts: list[str]) -> list[ClipRequest]:
    return [ClipRequest(t, f"article 1, section 'Lost youth', sentence {i + 1}") for i, t in enumerate(texts)]


def _frames(clip: Clip) -> bytes:
    with wave.open(str(clip.path), "rb") as w:
        return w.readframes(w.getnframes())


@pytest.mark.skipif(not Path("/proc").is_dir() or not hasattr(signal, "SIGSTOP"), reason="POSIX /proc")
def test_hung_worker_is_killed_after_the_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_tool("espeak-ng")
    monkeypatch.setattr(pool, "JOB_TIMEOUT_BASE_S", 1.5)
    monkeypatch.setattr(pool, "JOB_TIMEOUT_PER_CHAR_S", 0.0)
    texts = _sentences()[:150]
    cache_dir = tmp_path / "cache"
    # SIGSTOP: the worker neither answers nor dies, like a hang.
    thread, stopped = signal_worker_when(cache_dir, clips_made=5, sig=signal.SIGSTOP, poll_s=0.005)
    stats = SynthesisStats()
    events: list[Event] = []
    start = time.monotonic()
    clips = synthesise(_requests(texts), ESPEAK, cache_dir=cache_dir, jobs=2, stats=stats, sink=events.append)
    thread.join()
    assert stopped and stats.workers_lost >= 1 and stats.retries >= 1
    notes = [e.message for e in events if isinstance(e, Notice)]
    assert len(notes) == 1 and "clips redone after bad engine output" in notes[0] and "replaced" in notes[0]
    assert len(clips) == len(texts) and all(c.n_samples > 0 for c in clips)
    assert time.monotonic() - start < 30
    with pytest.raises(ProcessLookupError):  # it was killed, not left behind
        for _ in range(100):
            os.kill(stopped[0], 0)
            time.sleep(0.05)


def test_clip_that_keeps_failing_names_article_section_and_sentence(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    stats = SynthesisStats()
    bad_voice = VoiceProfile(name="t", engine="espeak", voice="gmw/no-such")
    with pytest.raises(EngineError) as info:
        synthesise(_requests(["Hello there."]), bad_voice, cache_dir=tmp_path, jobs=1, stats=stats)
    message = str(info.value)
    assert message.startswith("espeak could not speak article 1, section 'Lost youth', sentence 1: ")
    assert "no voice 'gmw/no-such'" in message and "\n" not in message
    assert stats.retries == len(pool.RETRY_FACTORS) - 1


def test_two_builds_sharing_a_cache_both_succeed(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    texts = _sentences()[:80]
    results: list[list[Clip]] = []
    errors: list[BaseException] = []

    def build() -> None:
        try:
            results.append(synthesise(_requests(texts), ESPEAK, cache_dir=tmp_path, jobs=2))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    first, second = results
    assert [_frames(c) for c in first] == [_frames(c) for c in second]
    warm = SynthesisStats()
    synthesise(_requests(texts), ESPEAK, cache_dir=tmp_path, jobs=2, stats=warm)
    assert warm.engine_calls == 0
    leftovers = [n for _d, _s, files in os.walk(tmp_path) for n in files if n.endswith(".part")]
    assert leftovers == []


def test_a_script_without_a_main_guard_can_synthesise(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    import subprocess
    import sys

    script = tmp_path / "unguarded.py"
    script.write_text(
        "from pathlib import Path\n"
        "from audiobook.synthesise import ClipRequest, synthesise\n"
        "from audiobook.voice import VoiceProfile\n"
        "clips = synthesise([ClipRequest('Hello.', 'a'), ClipRequest('World.', 'b')],\n"
        f"    VoiceProfile(name='x', engine='espeak'), cache_dir=Path({str(tmp_path / 'c')!r}), jobs=2)\n"
        "print(len(clips))\n",
        encoding="utf-8",
    )
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "2"


def test_unusable_cache_folder_is_one_clear_error(tmp_path: Path) -> None:
    from audiobook.errors import UsageError

    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(UsageError, match=f"cannot use cache folder {blocker}"):
        synthesise(_requests(["Hello."]), VoiceProfile(name="t-tone", engine="tone"), cache_dir=blocker, jobs=1)
