"""`audiobook batch`: sources into editions, a summary, and a SIGKILLed batch resumed to the same site as an uninterrupted one."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, build_root, require_tool

from audiobook.batch import FAILED, STATE_NAME, EditionResult, expand_sources, summary_lines
from audiobook.errors import UsageError
from audiobook.events import BatchProgress, Notice, Progress, StageStarted
from audiobook.progress import BatchTracker, PlainBatchSink, batch_eta_s

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = sorted((FIXTURES / "batch").glob("*.txt"))
EPOCH = "1700000000"
BASE_URL = "https://example.org/audio"
# A per-folder memo of hashes by absolute path and inode times (publish/catalog.py): it differs
# between any two folders by design and is not published content.
MEMO = ".audiobook-hashes.json"


# --- sources into editions (no build) -----------------------------------------------------


def test_a_file_a_folder_and_a_pattern_are_editions_each_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("B\n", encoding="utf-8")
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "1.txt").write_text("one\n", encoding="utf-8")
    editions, missing = expand_sources([str(tmp_path / "a.txt"), str(folder), str(tmp_path / "*.*"), str(tmp_path / "a.txt")])
    assert [e.path for e in editions] == [tmp_path / "a.txt", folder, tmp_path / "b.md"]
    assert missing == []
    assert editions[1].size_bytes == 4  # a folder's inputs, for the ETA


def test_a_list_holds_one_source_a_line_relative_to_itself(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_text("A\n", encoding="utf-8")
    (tmp_path / "texts" / "b.txt").write_text("B\n", encoding="utf-8")
    listing = tmp_path / "catalogue.txt"
    listing.write_text("# the back catalogue\ntexts/a.txt\n\ntexts/gone.txt\ntexts/b*.txt\n", encoding="utf-8")
    editions, missing = expand_sources([f"@{listing}"])
    assert [e.path.name for e in editions] == ["a.txt", "b.txt"]
    # A stale line is one failed edition, not the end of the batch.
    assert missing == [EditionResult("texts/gone.txt", FAILED, reason=f"no such file or folder (line 4 of {listing})")]
    renamed = listing.rename(tmp_path / "catalogue.list")
    assert [e.path.name for e in expand_sources([str(renamed)])[0]] == ["a.txt", "b.txt"]


def test_a_missing_source_or_an_empty_pattern_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or folder"):
        expand_sources([str(tmp_path / "nothing.txt")])
    with pytest.raises(UsageError, match="nothing matches the pattern"):
        expand_sources([str(tmp_path / "*.txt")])


def test_the_summary_is_an_aligned_table_with_counts() -> None:
    lines = summary_lines([
        EditionResult("texts/a.txt", "built", "a"),
        EditionResult("texts/long-name.txt", "unchanged", "long-name"),
        EditionResult("b.bin", FAILED, reason="b.bin: is a PDF"),
    ])  # fmt: skip
    assert lines == [
        "EDITION              STATUS     FOLDER OR REASON",
        "texts/a.txt          built      a",
        "texts/long-name.txt  unchanged  long-name",
        "b.bin                failed     b.bin: is a PDF",
        "3 editions: 1 built, 1 unchanged, 1 failed",
    ]


# --- progress -------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_eta_is_paced_by_the_input_bytes_of_built_editions() -> None:
    assert batch_eta_s(0.0, 0, 100) is None
    assert batch_eta_s(10.0, 100, 300) == 30.0
    clock = Clock()
    tracker = BatchTracker(clock)
    # An unchanged edition costs nothing and leaves the pace alone.
    tracker.update(BatchProgress(0, 3, "a", "", 100, 0, 300))
    clock.now = 0.1
    tracker.update(BatchProgress(1, 3, "a", "unchanged", 100, 0, 200))
    tracker.update(BatchProgress(1, 3, "b", "", 100, 0, 200))
    # Halfway through b's sentences after 5 s: 50 bytes in 5 s, 150 bytes to go.
    tracker.update(StageStarted("synthesise", 10))
    tracker.update(Progress("synthesise", 5, 10))
    clock.now = 5.1
    assert tracker.eta_s() == pytest.approx(15.0)
    tracker.update(Progress("synthesise", 10, 10))
    clock.now = 10.1
    tracker.update(BatchProgress(2, 3, "b", "built", 100, 100, 100))
    assert tracker.eta_s() == pytest.approx(10.0)
    assert tracker.summary() == "editions 2/3, 10 sentences, about 10 s left"


def test_a_log_gets_one_line_per_edition_and_the_notices() -> None:
    stream = io.StringIO()
    sink = PlainBatchSink(stream, clock=Clock())
    sink(BatchProgress(0, 2, "a.txt", "", 10, 0, 20))
    sink(Progress("synthesise", 3, 3))
    sink(Notice("a.txt: not read: line 3: a table"))
    sink(BatchProgress(1, 2, "a.txt", "built", 10, 10, 10))
    assert stream.getvalue().splitlines() == [
        "note: a.txt: not read: line 3: a table",
        "a.txt: built; editions 1/2, 3 sentences",
    ]


# --- real batches with espeak-ng --------------------------------------------------------------


@dataclass
class Batch:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_kb: int  # the client's (and its reaped workers') peak, from wait4


def _command(site: Path, cache: Path, sources: list[str]) -> list[str]:
    # libespeak-ng directly: each clip made in a fresh fork, so its samples do not depend on which
    # clips shared a worker (the default pyttsx3 voice serves blocks of 16 from one engine process,
    # and two cold builds of one edition were seen to differ by a millisecond in a few clips).
    return [sys.executable, "-m", "audiobook", "batch", *sources, "-o", str(site), "--cache-dir", str(cache), "--base-url", BASE_URL,
            "--voice", "espeak"]  # fmt: skip


def _env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT)}


def _start(site: Path, cache: Path, sources: list[str], log: Path) -> subprocess.Popen[bytes]:
    # Its own process group, so a SIGKILL takes its synthesis workers too (as a crash would).
    with open(log, "wb") as out:
        return subprocess.Popen(_command(site, cache, sources), env=_env(), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip


def _run(site: Path, cache: Path, sources: list[str]) -> Batch:
    """A batch run to its end, with the peak RSS of the client (its reaped workers' peaks included: wait4)."""
    site.parent.mkdir(parents=True, exist_ok=True)
    out, err = site.parent / f"{site.name}.stdout", site.parent / f"{site.name}.stderr"
    started = time.monotonic()
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        proc = subprocess.Popen(_command(site, cache, sources), env=_env(), cwd=ROOT, stdout=stdout, stderr=stderr,
                                start_new_session=True)  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    return Batch(proc.returncode, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"), seconds, usage.ru_maxrss)


def _hashes(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name != MEMO
    }


def _statuses(stdout: str) -> dict[str, str]:
    rows = [line.split() for line in stdout.splitlines()[1:] if len(line.split()) >= 2]
    return {row[0]: row[1] for row in rows if row[1] in ("built", "unchanged", "failed")}


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The 21 real editions, and one bad input (a binary file) among them."""
    assert len(EDITIONS) >= 20
    root = build_root(tmp_path_factory, "batch-inputs")
    bad = root / "scanned-issue.txt"
    bad.write_bytes(b"\x00\x01\x02\x03 not text \x00" * 20)
    return [str(p.relative_to(ROOT)) for p in EDITIONS[:10]] + [str(bad)] + [str(p.relative_to(ROOT)) for p in EDITIONS[10:]]


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory, sources: list[str]) -> tuple[Path, Batch]:
    root = build_root(tmp_path_factory, "batch-whole")
    run = _run(root / "site", root / "cache", sources)
    return root / "site", run


@pytest.mark.slow
def test_a_batch_builds_every_edition_and_skips_the_bad_one(uninterrupted: tuple[Path, Batch], sources: list[str]) -> None:
    site, run = uninterrupted
    assert run.code == 1, run.stderr  # one edition failed
    statuses = _statuses(run.stdout)
    assert list(statuses) == sources
    bad = sources[10]
    assert statuses.pop(bad) == "failed"
    assert set(statuses.values()) == {"built"}
    (row,) = [line for line in run.stdout.splitlines() if line.startswith(f"{bad} ")]
    assert row.split(None, 2)[2] == f"{bad}: looks like a binary file, not text"
    assert f"{len(sources)} editions: {len(EDITIONS)} built, 0 unchanged, 1 failed" in run.stdout
    # One site: every edition in the feed and the index, the state holding each.
    assert len(list(site.glob("*/edition.json"))) == len(EDITIONS)
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == len(EDITIONS)
    assert len(json.loads((site / STATE_NAME).read_text(encoding="utf-8"))["editions"]) == len(EDITIONS)
    assert "Traceback" not in run.stderr
    # The client builds one edition at a time and keeps only a row per edition: its memory is
    # that of one small build (measured: see the report in bench_batch.py), far under this bound.
    print(f"batch of {len(sources)} editions: {run.seconds:.0f} s, peak RSS {run.peak_rss_kb / 1024:.0f} MB")
    assert run.peak_rss_kb < 600 * 1024


@pytest.mark.slow
def test_a_killed_batch_resumed_ends_identical_to_an_uninterrupted_one(
    uninterrupted: tuple[Path, Batch], sources: list[str], tmp_path: Path
) -> None:
    reference, _ = uninterrupted
    site, cache = tmp_path / "site", tmp_path / "cache"
    proc = _start(site, cache, sources, tmp_path / "killed.log")
    deadline = time.monotonic() + 600
    finished = 0
    while finished < 5 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
        try:
            finished = len(json.loads((site / STATE_NAME).read_text(encoding="utf-8"))["editions"])
        except (OSError, ValueError, KeyError):
            pass
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the batch ended before it could be killed"
    assert 5 <= finished < len(EDITIONS)

    again = _run(site, cache, sources)
    assert again.code == 1, again.stderr
    statuses = _statuses(again.stdout)
    assert statuses[sources[10]] == "failed"
    counts = {s: list(statuses.values()).count(s) for s in ("built", "unchanged")}
    # What the killed batch finished is skipped; the rest (the edition it was killed in among them) is built.
    assert counts["unchanged"] >= finished and counts["unchanged"] + counts["built"] == len(EDITIONS)
    assert counts["built"] >= 1
    assert _hashes(site) == _hashes(reference)
    assert [p for p in site.rglob("*") if ".part" in p.name] == []


@pytest.mark.slow
def test_a_finished_batch_run_again_is_all_unchanged_and_changes_nothing(
    uninterrupted: tuple[Path, Batch], sources: list[str]
) -> None:
    site, first = uninterrupted
    before = _hashes(site)
    again = _run(site, site.parent / "cache", sources)
    assert again.code == 1
    statuses = _statuses(again.stdout)
    assert statuses.pop(sources[10]) == "failed"
    assert set(statuses.values()) == {"unchanged"}
    assert _hashes(site) == before
    assert again.seconds < first.seconds / 3, (again.seconds, first.seconds)


@pytest.mark.slow
def test_a_folder_is_one_edition_and_unchanged_when_run_again(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    require_tool("ffmpeg")
    folder = tmp_path / "issue-1"
    folder.mkdir()
    for path in EDITIONS[:2]:
        shutil.copy(path, folder / path.name)
    site, cache = tmp_path / "site", tmp_path / "cache"
    first = _run(site, cache, [str(folder)])
    assert first.code == 0, first.stderr
    assert _statuses(first.stdout) == {str(folder): "built"}
    (edition,) = [json.loads(p.read_text(encoding="utf-8")) for p in site.glob("*/edition.json")]
    assert len(edition["articles"]) == 2
    again = _run(site, cache, [str(folder)])
    assert _statuses(again.stdout) == {str(folder): "unchanged"}


@pytest.mark.slow
def test_ctrl_c_stops_the_batch_with_its_summary_and_a_site_of_what_is_built(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    require_tool("ffmpeg")
    site = tmp_path / "site"
    log = tmp_path / "stopped.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            _command(site, tmp_path / "cache", [str(p) for p in EDITIONS[:6]]), env=_env(), cwd=ROOT, stdout=out, stderr=out,
            start_new_session=True,
            # A terminal's Ctrl-C: SIGINT to the whole group (a shell's background job would ignore it).
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )  # fmt: skip
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
        try:
            if len(json.loads((site / STATE_NAME).read_text(encoding="utf-8"))["editions"]) >= 2:
                break
        except (OSError, ValueError, KeyError):
            pass
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=60) == 130
    text = log.read_text(encoding="utf-8")
    assert "audiobook: stopped; run the same command again to resume" in text
    skipped = re.search(r"(\d+) finished editions? will be skipped", text)
    done = [line.split()[0] for line in text.splitlines() if line.split()[1:2] == ["built"]]
    # At least the one edition finished before the stop (the count may lag the record by one when
    # Ctrl-C lands between its save and its summary row, a window a loaded machine makes real).
    assert skipped and int(skipped[1]) == len(done) >= 1 and "Traceback" not in text
    # The feed and index list what was finished, and nothing half-made.
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == len(list(site.glob("*/edition.json"))) >= 2
    assert [p for p in site.rglob("*") if ".part" in p.name] == []


@pytest.mark.slow
def test_two_editions_with_one_title_do_not_share_a_folder(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    require_tool("ffmpeg")
    first, second = tmp_path / "issue-1.txt", tmp_path / "issue-2.txt"
    first.write_text("The Weekly\n\nThe harbour reopened on Monday after a long winter.\n", encoding="utf-8")
    second.write_text("The Weekly\n\nThe ferry returned on Tuesday with the first visitors.\n", encoding="utf-8")
    run = _run(tmp_path / "site", tmp_path / "cache", [str(first), str(second)])
    assert run.code == 1, run.stderr
    assert _statuses(run.stdout) == {str(first): "built", str(second): "failed"}
    assert f"its title gives the folder the-weekly, which {first} has" in run.stdout
    # The first edition was not replaced by the second.
    assert "harbour" in (tmp_path / "site" / "the-weekly" / "index.html").read_text(encoding="utf-8")
