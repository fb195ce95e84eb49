"""Ctrl-C: a real SIGINT to a real `audiobook build`, in synthesis and in assembly, then a rerun that resumes.

Timing is not asserted beyond a generous bound (the machine may be shared and slow);
the stop latency per stage is measured and reported separately (/tmp/issue12/C.md).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import require_tool

SAMPLE = Path(__file__).parent / "fixtures" / "new-statesman-two-articles.txt"
STOPPED = re.compile(r"^audiobook: stopped; run the same command again to resume: (\d+) of (\d+) clips are kept$")
REUSING = re.compile(r"^synthesise: started, reusing (\d+) of (\d+) clips; (\d+) to make$")
STOP_BOUND_S = 60.0  # "it stopped at all"; the 2 s target is measured, not asserted here


def _cmd(out: Path) -> list[str]:
    return [sys.executable, "-m", "audiobook", "build", str(SAMPLE), "-o", str(out), "--voice", "espeak"]


def _env(cache: Path) -> dict[str, str]:
    return dict(os.environ, AUDIOBOOK_CACHE_DIR=str(cache), PYTHONUNBUFFERED="1")


def _group_members(pgid: int) -> list[str]:
    """Live (not zombie) processes still in the build's process group."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(f"{entry.name} {stat[: stat.rindex(')') + 1]}")
    return found


def _ctrl_c_as_in_a_terminal() -> None:
    """SIGINT as a shell in a terminal leaves it: a suite started with `nohup … &` (or by a CI runner
    that ignores SIGINT) passes SIG_IGN down, and Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupt(out: Path, cache: Path, stage: str, whole_group: bool, ready: int = 0) -> tuple[int, list[str], float]:
    """Start a build, SIGINT it once `stage` has started (and `ready` clips are cached); (exit code, stderr lines, stop seconds)."""
    proc = subprocess.Popen(
        _cmd(out), env=_env(cache), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )
    assert proc.stderr is not None
    stream = proc.stderr
    lines: list[str] = []
    reached = threading.Event()

    def read() -> None:  # the plain progress lines (stderr is not a terminal), to the end
        for line in stream:
            lines.append(line.rstrip("\n"))
            if line.startswith(f"{stage}: started"):
                reached.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    while not reached.wait(0.05):
        if proc.poll() is not None:
            reader.join(5)
            pytest.fail(f"the build never reached {stage}: {lines[-5:]}")
    deadline = time.monotonic() + 120
    while ready and len(list(cache.rglob("*.wav"))) < ready and time.monotonic() < deadline:
        time.sleep(0.05)
    sent = time.monotonic()
    if whole_group:
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    else:
        proc.send_signal(signal.SIGINT)  # the CLI alone (kill -INT): it must stop its workers itself
    try:
        proc.wait(timeout=STOP_BOUND_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        pytest.fail(f"the build did not stop within {STOP_BOUND_S:.0f} s of SIGINT during {stage}")
    took = time.monotonic() - sent
    reader.join(10)
    # Workers and tools go with it: nothing keeps running (or writing) after the CLI exits.
    deadline = time.monotonic() + 10
    while (left := _group_members(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left == [], left
    return proc.returncode, lines, took


def _no_partial_files(*folders: Path) -> None:
    leftovers = [str(p) for folder in folders for p in folder.rglob("*") if ".part" in p.name]
    assert leftovers == [], leftovers


def _resume(out: Path, cache: Path) -> tuple[int, int, int, list[str]]:
    done = subprocess.run(_cmd(out), env=_env(cache), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    found = [m for line in lines if (m := REUSING.match(line))]
    assert len(found) == 1, [line for line in lines if "synthesise" in line]
    reused, total, to_make = (int(x) for x in found[0].groups())
    assert reused + to_make == total
    return reused, total, to_make, lines


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_tool("espeak-ng")
    require_tool("ffmpeg")


def test_ctrl_c_during_synthesis_stops_says_what_is_kept_and_the_rerun_reuses_it(tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    code, lines, took = _interrupt(out, cache, "synthesise", whole_group=True, ready=5)
    print(f"\nstopped {took:.2f} s after SIGINT during synthesis")
    assert code == 130, lines
    assert STOPPED.match(lines[-1]), lines[-3:]
    assert not any("Traceback" in line or line.startswith("audiobook: error") for line in lines), lines
    kept, total = (int(x) for x in STOPPED.match(lines[-1]).groups())  # type: ignore[union-attr]
    assert 0 < total and kept < total
    _no_partial_files(out, cache)

    reused, again_total, to_make, _ = _resume(out, cache)
    assert again_total == total
    # Every clip counted as kept is reused (and perhaps a few more finished as it stopped);
    # the rest is made now.
    assert kept <= reused < total and to_make > 0


def test_ctrl_c_during_assembly_stops_removes_partial_files_and_the_rerun_finishes(tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    # The CLI alone is signalled: it has to kill the ffmpeg encodes its threads wait on.
    code, lines, took = _interrupt(out, cache, "assemble", whole_group=False)
    print(f"\nstopped {took:.2f} s after SIGINT during assembly")
    assert code == 130, lines
    match = STOPPED.match(lines[-1])
    assert match, lines[-3:]
    kept, total = (int(x) for x in match.groups())
    assert kept == total  # synthesis had finished: every clip is kept
    _no_partial_files(out, cache)
    edition = next(out.iterdir())
    assert not (edition / f"{edition.name}.mp3").exists()  # it stopped before the edition existed

    reused, again_total, to_make, resumed = _resume(out, cache)
    assert (reused, again_total, to_make) == (total, total, 0)
    # Consistent counts: the last assembly progress line (if any) ends at the stage's total.
    started = next(line for line in resumed if line.startswith("assemble: started"))
    chunks = int(re.search(r"(\d+) to do", started).group(1))  # type: ignore[union-attr]
    ends = [int(m.group(2)) for line in resumed if (m := re.match(r"assemble: (\d+)/(\d+)", line))]
    assert all(end == chunks for end in ends), (started, ends)
    _no_partial_files(out, cache)

    # The espeak estimate holds on what was built: within 10% of the real length.
    plan = subprocess.run(
        [sys.executable, "-m", "audiobook", "plan", "--json", "--voice", "espeak", str(SAMPLE)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    estimate = json.loads(plan.stdout)["edition"]["estimated_seconds"]
    built = json.loads((edition / "edition.json").read_text(encoding="utf-8"))["duration_s"]
    assert abs(estimate - built) / built < 0.10, (estimate, built)


# --- the pieces, without a build ------------------------------------------------


def test_a_resumed_stage_says_what_it_reuses_and_its_pace_ignores_what_was_reused() -> None:
    import io

    from audiobook.events import Progress, StageStarted
    from audiobook.progress import PlainSink

    now = [0.0]
    out = io.StringIO()
    sink = PlainSink(out, interval_s=5.0, clock=lambda: now[0])
    sink(StageStarted("synthesise", 302, reused=290))
    sink(Progress("synthesise", 290, 302))
    now[0] = 6.0
    sink(Progress("synthesise", 296, 302))
    assert out.getvalue().splitlines() == [
        "synthesise: started, reusing 290 of 302 clips; 12 to make",
        # 6 clips in 6 s since the first progress: 6 s for the last 6, not 0.1 s (296 in 6 s).
        "synthesise: 296/302, about 6 s left",
    ]
    # Assembly meters every chunk before its first encode ends: the pace starts there.
    out = io.StringIO()
    sink = PlainSink(out, interval_s=5.0, clock=lambda: now[0])
    now[0] = 0.0
    sink(StageStarted("assemble", 440))
    now[0] = 100.0
    sink(Progress("assemble", 1, 440))
    now[0] = 110.0
    sink(Progress("assemble", 11, 440))
    assert out.getvalue().splitlines()[-1] == "assemble: 11/440, about 429 s left"


def test_a_clip_write_killed_midway_leaves_a_temp_file_the_rerun_removes(tmp_path: Path) -> None:
    from audiobook.synthesise.cache import ClipCache

    cache = ClipCache(tmp_path)
    first = cache.put("ab" + "0" * 62, b"\x01\x00" * 100, 22050)
    dead = subprocess.Popen(["true"])
    dead.wait()
    orphan = first.path.parent / f".{first.path.name}.{dead.pid}-x1.part"
    live = first.path.parent / f".{first.path.name}.{os.getpid()}-x2.part"  # a writer at work: left alone
    orphan.write_bytes(b"half")
    live.write_bytes(b"half")
    again = cache.put("ab" + "0" * 62, b"\x01\x00" * 100, 22050)
    assert again.path == first.path
    assert not orphan.exists() and live.exists()


def test_temp_files_of_killed_clip_writers_are_swept_zombies_included(tmp_path: Path) -> None:
    from audiobook.synthesise.cache import remove_dead_temps

    zombie = subprocess.Popen(["true"])  # exits and is not reaped: a zombie, as under an init that never reaps
    deadline = time.monotonic() + 10
    while Path(f"/proc/{zombie.pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    shard = tmp_path / "ab"
    shard.mkdir()
    dead = shard / f".ab12-0000abcd.wav.{zombie.pid}-x1.part"
    live = shard / f".ab34-0000abcd.wav.{os.getpid()}-x2.part"
    whole = shard / "ab12-0000abcd.wav"
    for path in (dead, live, whole):
        path.write_bytes(b"x")
    remove_dead_temps(shard)
    assert not dead.exists() and live.exists() and whole.exists()
    zombie.wait()


_START_AND_SIGINT = """
import os, signal, sys, tempfile, threading, time
from pathlib import Path
from audiobook.synthesise.pool import Job, PoolStats, WorkerPool
jobs = [Job(f"k{i}", f"Sentence number {i}.", "x", None, {"rate_wpm": 180, "pitch": 50, "volume": 1.0}) for i in range(40)]
def press() -> None:
    time.sleep(float(sys.argv[1]))
    os.killpg(0, signal.SIGINT)  # a terminal's Ctrl-C: the whole group, workers still starting included
threading.Thread(target=press, daemon=True).start()
try:
    WorkerPool("espeak", 500, Path(tempfile.mkdtemp()), 2, PoolStats()).run(jobs, lambda done: None)
except KeyboardInterrupt:
    print("stopped")
time.sleep(1.0)  # a worker dying of the signal prints its traceback meanwhile
"""


def test_ctrl_c_while_workers_start_prints_no_worker_traceback() -> None:
    require_tool("espeak-ng")
    # The clean-clone run once printed a worker's KeyboardInterrupt traceback: a spawned worker
    # still importing died of the group's SIGINT. Several moments cover a worker's start-up.
    for delay_s in (0.05, 0.1, 0.15, 0.25):
        run = subprocess.run([sys.executable, "-c", _START_AND_SIGINT, str(delay_s)], capture_output=True, text=True,
                             start_new_session=True, timeout=120, cwd=Path(__file__).resolve().parents[1])  # fmt: skip
        assert "stopped" in run.stdout, (delay_s, run.stdout, run.stderr[-2000:])
        assert "Traceback" not in run.stderr, (delay_s, run.stderr[-2000:])
