"""Fault-injection kit shared by the reliability tests (no tests here): real builds, injected faults, output checks."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

EPOCH = "1700000000"
BASE_URL = "https://example.org/audio/"
REPO = Path(__file__).resolve().parent.parent

# A small two-article edition: quick to build, yet it has sections, credits and
# two article files, so every stage (synthesis, encoding, tagging, publishing) runs.
SMALL_MD = """\
# The Harbour Reopens

By Ann Writer

The harbour reopened on Monday after three weeks of repairs. Fishing boats queued at dawn.

The council said the work cost less than expected. Traders welcomed the news.

# A Winter Garden

By Ben Grower

Frost came early this year. The gardeners covered the beds with straw.

## Planting

Bulbs went in late, but most of them flowered. The tulips were the best in years.
"""

# Loaded by every Python process of a build (the CLI and its spawned engine
# workers) through PYTHONPATH. It is the fault injector: the product code has no
# test hooks. Everything is off unless its environment variable is set.
SITECUSTOMIZE = textwrap.dedent(
    '''
    """Test fault injector (see tests/test_faults_kit.py)."""
    import fnmatch, os, signal, subprocess, time

    _LOG = os.environ.get("AB_TEST_LOG")
    _KILL_AT = os.environ.get("AB_TEST_KILL_AT")  # glob on a destination path, optional "#n"
    _KILL_COUNT = os.environ.get("AB_TEST_KILL_COUNT")  # counter file shared across processes
    _HIDE = [n for n in os.environ.get("AB_TEST_HIDE", "").split(",") if n]  # libraries/modules "not installed"
    _SLEEP_AT = os.environ.get("AB_TEST_SLEEP_AT")  # "glob=seconds": a slow disk at one rename
    _ENGINE_FAULT = os.environ.get("AB_TEST_ENGINE_FAULT")  # "marker=crash|hang|garbage[=once-file]"


    if _HIDE:
        import ctypes, ctypes.util, sys

        _real_find, _real_cdll_init = ctypes.util.find_library, ctypes.CDLL.__init__

        def _find(name):
            return None if any(h in name for h in _HIDE) else _real_find(name)

        def _cdll_init(self, name, *a, **k):
            if name and any(h in str(name) for h in _HIDE):
                raise OSError(f"{name}: cannot open shared object file: No such file or directory")
            _real_cdll_init(self, name, *a, **k)

        ctypes.util.find_library, ctypes.CDLL.__init__ = _find, _cdll_init

        class _Hidden:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in _HIDE:
                    raise ModuleNotFoundError(f"No module named {name!r}", name=name)
                return None

        sys.meta_path.insert(0, _Hidden())


    def _log(line):
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as fh:
                fh.write(line.replace("\\n", " ") + "\\n")


    if _KILL_AT:
        _pattern, _, _nth = _KILL_AT.partition("#")
        _nth = int(_nth or 1)
        _real_replace = os.replace

        def _replace(src, dst, *a, **k):
            if fnmatch.fnmatch(os.fspath(dst), _pattern):
                with open(_KILL_COUNT, "a") as fh:
                    fh.write("x")
                # ">=": threads renaming at the same moment may both count before either
                # checks, and "==" would then miss the kill; the first to see it kills all.
                if os.path.getsize(_KILL_COUNT) >= _nth:
                    _log("killed before " + os.fspath(dst))
                    # A power cut: the whole build (CLI and workers) dies at once.
                    os.killpg(os.getpgrp(), signal.SIGKILL)
            return _real_replace(src, dst, *a, **k)

        os.replace = _replace

    if _SLEEP_AT:
        _sleep_pattern, _, _sleep_s = _SLEEP_AT.partition("=")
        _replace_before_sleep = os.replace

        def _slow_replace(src, dst, *a, **k):
            if fnmatch.fnmatch(os.fspath(dst), _sleep_pattern):
                _log("sleeping before " + os.fspath(dst))
                time.sleep(float(_sleep_s))
            return _replace_before_sleep(src, dst, *a, **k)

        os.replace = _slow_replace

    if os.environ.get("AB_TEST_ENOSPC_AT"):
        import errno

        _full_pattern = os.environ["AB_TEST_ENOSPC_AT"]
        _replace_unless_full = os.replace

        def _full_replace(src, dst, *a, **k):
            if fnmatch.fnmatch(os.fspath(dst), _full_pattern):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(src))
            return _replace_unless_full(src, dst, *a, **k)

        os.replace = _full_replace

    if os.environ.get("AB_TEST_JOB_TIMEOUT_S"):
        # A hang is found by the pool's per-clip deadline; shorten it so tests wait seconds.
        from audiobook.synthesise import pool as _pool

        _pool.JOB_TIMEOUT_BASE_S = float(os.environ["AB_TEST_JOB_TIMEOUT_S"])
        _pool.JOB_TIMEOUT_PER_CHAR_S = 0.0

    if _LOG:
        # Every way of starting a tool goes through Popen (the gateway keeps its Popen
        # objects so that Ctrl-C can kill them; subprocess.run uses one too).
        _real_popen_init = subprocess.Popen.__init__

        def _popen_init(self, args, *a, **k):
            _log("tool " + os.path.basename(str(args[0])))
            _real_popen_init(self, args, *a, **k)

        subprocess.Popen.__init__ = _popen_init

    if _LOG or _ENGINE_FAULT:
        try:
            from audiobook.synthesise import engine as _engine
        except Exception:  # not every Python process here is a build
            _engine = None
        if _engine is not None:
            # The engines builds here use: espeak-ng where a test is about a real engine, else the tone.
            _real_synths = {cls: cls.synthesise for cls in (_engine.EspeakEngine, _engine.ToneEngine)}

            def _synth(self, text, voice, params):
                _log("engine " + text)
                if _ENGINE_FAULT:
                    marker, action, *once = _ENGINE_FAULT.split("=")
                    if marker in text and not (once and os.path.exists(once[0])):
                        if once:
                            open(once[0], "w").close()
                        if action == "crash":
                            os.kill(os.getpid(), signal.SIGSEGV)
                        elif action == "hang":
                            time.sleep(3600)
                        elif action == "garbage":
                            return _engine.Pcm(b"\\x00\\x7f" * 50, 22050)
                return _real_synths[type(self)](self, text, voice, params)

            for cls in _real_synths:
                cls.synthesise = _synth
    '''
)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    log: list[str]

    @property
    def engine_calls(self) -> int:
        return sum(1 for line in self.log if line.startswith("engine "))

    def tool_calls(self, name: str) -> int:
        return sum(1 for line in self.log if line == f"tool {name}")


class Builder:
    """Runs `audiobook build` as a real subprocess with the fault injector loaded.

    The voice is the tone engine's unless a test is about a real engine: what these tests
    check (atomic files, resumed builds, identical rebuilds) does not depend on speech.
    """

    def __init__(self, root: Path, source: Path, cache: Path | None = None, voice: str = "tone") -> None:
        self.root = root
        self.source = source
        self.cache = cache or root / "cache"
        self.voice = voice
        self.inject = root / "inject"
        self.inject.mkdir(parents=True, exist_ok=True)
        (self.inject / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
        self._n = 0

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AB_TEST_")}
        # The checkout these tests are in is the one built, whatever is installed.
        env.update(SOURCE_DATE_EPOCH=EPOCH, PYTHONPATH=f"{self.inject}{os.pathsep}{REPO}", COLUMNS="200")
        if os.environ.get("AUDIOBOOK_TEST_WITHOUT_ESPEAK") == "1":  # conftest's sitecustomize is not on this PYTHONPATH
            env["AB_TEST_HIDE"] = "espeak"
        env.update(extra or {})
        return env

    def command(self, out: Path, *args: str) -> list[str]:
        return [
            sys.executable, "-m", "audiobook", "build", str(self.source), "-o", str(out),
            "--cache-dir", str(self.cache), "--voice", self.voice, "--base-url", BASE_URL, "-q", *args,
        ]  # fmt: skip

    def start(self, out: Path, extra: dict[str, str] | None = None, *args: str) -> tuple[subprocess.Popen[bytes], Path]:
        """Start a build; its output goes to files (an orphaned engine fork holding a pipe cannot stall a test)."""
        self._n += 1
        log = self.root / f"run-{self._n}.log"
        env = self.env({"AB_TEST_LOG": str(log), **(extra or {})})
        with open(log.with_suffix(".out"), "wb") as stdout, open(log.with_suffix(".err"), "wb") as stderr:
            proc = subprocess.Popen(
                self.command(out, *args), env=env, cwd=self.root,
                stdout=stdout, stderr=stderr, start_new_session=True,
            )  # fmt: skip
        return proc, log

    def finish(self, proc: subprocess.Popen[bytes], log: Path, timeout_s: float = 300) -> Run:
        """Wait for a started build, kill what is left of its process group, and collect what it said."""
        try:
            proc.wait(timeout=timeout_s)
        finally:
            _kill_group(proc)
        out = log.with_suffix(".out").read_text(encoding="utf-8", errors="replace")
        err = log.with_suffix(".err").read_text(encoding="utf-8", errors="replace")
        return Run(proc.returncode, out, err, _read_log(log))

    def run(self, out: Path, extra: dict[str, str] | None = None, *args: str, timeout_s: float = 300) -> Run:
        proc, log = self.start(out, extra, *args)
        return self.finish(proc, log, timeout_s)

    def run_killed_at(self, out: Path, pattern: str) -> Run:
        """A build that SIGKILLs its whole process group just before renaming a file matching `pattern`."""
        self._n += 1
        counter = self.root / f"kill-count-{self._n}"
        counter.write_text("")
        return self.run(out, {"AB_TEST_KILL_AT": pattern, "AB_TEST_KILL_COUNT": str(counter)})

    def run_killed_after(self, out: Path, delay_s: float) -> Run:
        """A build SIGKILLed (with its workers) `delay_s` after it started, wherever it is."""
        proc, log = self.start(out)
        try:
            proc.wait(timeout=delay_s)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
        return self.finish(proc, log)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    # Spawned engine workers inherit the group; give them a moment to vanish.
    for _ in range(50):
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)


def _read_log(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def visible_files(out: Path) -> dict[str, Path]:
    """Final-named files a listener or web server could see: no dot-files, no work folder."""
    found: dict[str, Path] = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            found[rel.as_posix()] = path
    return found


def tree_hashes(out: Path) -> dict[str, str]:
    return {rel: sha256(path) for rel, path in visible_files(out).items()}


def check_complete(path: Path) -> None:
    """Raise AssertionError unless the file is whole by its own format."""
    data = path.read_bytes()
    assert data, f"{path} is empty"
    suffix = path.suffix
    if suffix == ".mp3":
        from mutagen.mp3 import MP3

        audio = MP3(path)
        assert audio.info is not None and audio.info.length > 0.5, f"{path} is not playable audio"
        assert audio.tags is not None and "TIT2" in audio.tags, f"{path} has no title tag"
        decoded = subprocess.run(
            ["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True, text=True, check=False
        )
        assert decoded.returncode == 0 and not decoded.stderr.strip(), f"{path}: {decoded.stderr[-300:]}"
    elif suffix == ".json":
        json.loads(data)
    elif suffix in {".xml"}:
        ET.fromstring(data)
    elif suffix in {".html"}:
        assert data.rstrip().endswith(b"</html>"), f"{path} is cut short"
    elif suffix in {".vtt"}:
        assert data.startswith(b"WEBVTT") and data.endswith(b"\n"), f"{path} is cut short"
    elif suffix == ".jpg":
        from PIL import Image

        with Image.open(path) as image:
            image.load()
    else:
        data.decode("utf-8")
        assert data.endswith(b"\n"), f"{path} is cut short"


def feed_enclosures(out: Path) -> list[tuple[Path, int]]:
    """(local file, declared length) for every enclosure in out/feed.xml."""
    root = ET.fromstring((out / "feed.xml").read_bytes())
    found = []
    for enc in root.iter("enclosure"):
        url = urlparse(enc.attrib["url"])
        assert url.geturl().startswith(BASE_URL), url.geturl()
        rel = unquote(url.path[len(urlparse(BASE_URL).path) :])
        found.append((out / rel, int(enc.attrib["length"])))
    return found


def check_visible_outputs(out: Path, reference: dict[str, str]) -> list[str]:
    """Every final-named file is complete; the feed lists only complete files. Returns names differing from the reference."""
    differing = []
    for rel, path in visible_files(out).items():
        if reference.get(rel) != sha256(path):
            check_complete(path)  # not the finished file: it must still be whole
            differing.append(rel)
    if (out / "feed.xml").exists():
        for path, length in feed_enclosures(out):
            assert path.is_file(), f"feed lists missing {path}"
            assert path.stat().st_size == length, f"feed lists {path} at {length} bytes, it has {path.stat().st_size}"
            check_complete(path)
    return differing
