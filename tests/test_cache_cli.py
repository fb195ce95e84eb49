"""The say, voices and cache commands in real processes, and the progress sink's output."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import wave
from pathlib import Path

from audiobook.events import Notice, Progress, StageFinished, StageStarted, ignore
from audiobook.progress import PlainSink, make_sink

from conftest import require_tool


def _run(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AUDIOBOOK_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-m", "audiobook", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def test_say_writes_a_wav_and_fills_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    proc = _run("say", "Good morning. This is the news.", "--voice", "tone", "-o", "clip.wav", cwd=tmp_path, cache=cache)
    assert proc.returncode == 0, proc.stderr
    assert "wrote clip.wav" in proc.stdout and "Traceback" not in proc.stderr
    with wave.open(str(tmp_path / "clip.wav"), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 22050)
        # The tone profile: six words of 60/450 s each, and one 300 ms pause between the two sentences.
        assert w.getnframes() == 6 * 2940 + 6615
    info = _run("cache", "info", cwd=tmp_path, cache=cache)
    assert f"cache: {cache}" in info.stdout and "clips: 2" in info.stdout
    cleared = _run("cache", "clear", "--cache-dir", str(cache), cwd=tmp_path, cache=tmp_path / "other")
    assert f"removed 2 clips from {cache}" in cleared.stdout
    assert "clips: 0" in _run("cache", "info", cwd=tmp_path, cache=cache).stdout


def test_say_mp3_and_show_text(tmp_path: Path) -> None:
    require_tool("ffmpeg")
    proc = _run("say", "It cost £5 on 3 March 2017.", "--voice", "tone", "-o", "clip.mp3", "--show-text", cwd=tmp_path, cache=tmp_path / "c")
    assert proc.returncode == 0, proc.stderr
    spoken = proc.stdout.strip()
    assert spoken and "£" not in spoken and "5" not in spoken  # the normaliser's words, as sent to the engine
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,channels", "-of", "json", str(tmp_path / "clip.mp3")],
        capture_output=True, text=True, check=True,
    )
    stream = json.loads(probe.stdout)["streams"][0]
    assert (stream["codec_name"], stream["channels"]) == ("mp3", 1)
    assert not list(tmp_path.glob(".*part*"))


def test_say_errors_are_one_line(tmp_path: Path) -> None:
    for args, message in [
        (("say", "  "), "nothing to say"),
        (("say", "hi", "-o", "x.ogg"), "-o must end in .wav or .mp3"),
        (("say", "hi", "--voice", "nope"), "unknown voice profile 'nope'"),
    ]:
        proc = _run(*args, cwd=tmp_path, cache=tmp_path / "c")
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith("audiobook: error: ") and message in proc.stderr
        assert proc.stderr.count("\n") == 1


def test_voices_lists_engines_and_profiles(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    proc = _run("voices", cwd=tmp_path, cache=tmp_path / "c")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "pyttsx3: available" in out and "espeak: available" in out
    assert "piper: " in out  # available, or the reason why not
    assert "gmw/en-us" in out
    assert "profiles (--voice NAME):" in out and "piper-joe" in out
    only = _run("voices", "--engine", "espeak", "--language", "en-gb", cwd=tmp_path, cache=tmp_path / "c").stdout
    assert only.startswith("espeak: available") and "gmw/en-gb-x-rp" in only and "gmw/en-us " not in only
    bad = _run("voices", "--engine", "festival", cwd=tmp_path, cache=tmp_path / "c")
    assert bad.returncode == 2 and "choose one of pyttsx3, espeak, piper, tone" in bad.stderr


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_plain_sink_prints_periodic_lines() -> None:
    out = io.StringIO()
    clock = _Clock()
    sink = PlainSink(out, interval_s=5.0, clock=clock)
    sink(StageStarted("synthesise", 100))
    clock.now = 1.0
    sink(Progress("synthesise", 10, 100, 30.0))  # too soon: no line
    clock.now = 6.0
    sink(Progress("synthesise", 50, 100, 150.0))
    clock.now = 7.0
    sink(Notice("used the fallback voice"))
    clock.now = 12.0
    sink(Progress("synthesise", 100, 100, 300.0))
    sink(StageFinished("synthesise"))
    assert out.getvalue().splitlines() == [
        "synthesise: started, 100 to do",
        "synthesise: 50/100, 2.5 min audio, about 6 s left",
        "note: used the fallback voice",
        "synthesise: 100/100, 5.0 min audio",
        "synthesise: done in 12.0 s, 5.0 min audio",
    ]


def test_make_sink_quiet_and_not_a_terminal() -> None:
    out = io.StringIO()
    with make_sink(quiet=True, stream=out) as sink:
        assert sink is ignore
        sink(StageStarted("synthesise", 3))
    assert out.getvalue() == ""
    with make_sink(quiet=False, stream=out) as sink:
        assert isinstance(sink, PlainSink)
        sink(StageStarted("synthesise", 3))
    assert out.getvalue() == "synthesise: started, 3 to do\n"


def test_rich_bar_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    with make_sink(quiet=False, stream=out) as sink:
        sink(StageStarted("synthesise", 4))
        sink(Progress("synthesise", 4, 4, 120.0))
        sink(StageFinished("synthesise"))
    text = out.getvalue()
    assert "synthesise" in text and "4/4" in text and "2.0 min audio" in text


def test_cache_info_and_clear_cover_the_build_work_folders(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    work = cache / "builds" / "0123456789abcdef-weekly"
    work.mkdir(parents=True)
    (work / "c-1.mp3").write_bytes(b"\xff" * 2_000_000)
    info = _run("cache", "info", cwd=tmp_path, cache=cache)
    assert "build work folders: 1, 2.0 MB" in info.stdout, info.stdout
    cleared = _run("cache", "clear", cwd=tmp_path, cache=cache)
    assert f"removed 0 clips from {cache}; removed 1 build work folder" in cleared.stdout
    assert not work.exists() and "build work folders" not in _run("cache", "info", cwd=tmp_path, cache=cache).stdout
