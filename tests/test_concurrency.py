"""Concurrency: two builds on one output folder never corrupt it; builds sharing a sentence cache are safe."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import require_tool
from test_faults_kit import SMALL_MD, Builder, check_complete, feed_enclosures, tree_hashes, visible_files

SLUG = "the-harbour-reopens"
OTHER_MD = """\
# Night Trains Return

The sleeper service to the north runs again from May. Tickets go on sale next week.
"""


def _source(tmp_path: Path, name: str = "small.md", text: str = SMALL_MD) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_second_build_of_the_same_edition_stops_with_one_line_and_the_first_finishes(tmp_path: Path) -> None:
    require_tool("ffmpeg")
    builder = Builder(tmp_path, _source(tmp_path))
    out = tmp_path / "out"
    # The first build is held (5 s) before it joins the edition file, so it surely still owns the folder.
    first, first_log = builder.start(out, {"AB_TEST_SLEEP_AT": "*/builds/*/edition.mp3=5"})
    lock = out / SLUG / ".audiobook.lock"
    deadline = time.monotonic() + 60
    while not lock.exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    second = builder.run(out)
    finished = builder.finish(first, first_log)
    assert finished.code == 0, finished.stderr
    assert second.code == 1
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("audiobook: error: another build is writing"), second.stderr
    assert second.engine_calls == 0  # it stopped before doing any work
    for path in visible_files(out).values():
        check_complete(path)
    # Run again now the folder is free: it finishes, reusing everything.
    again = builder.run(out)
    assert again.code == 0 and again.engine_calls == 0, again.stderr


def test_builds_sharing_a_cache_at_once_agree_and_leave_a_valid_cache(tmp_path: Path) -> None:
    require_tool("ffmpeg")
    source = _source(tmp_path)
    builder = Builder(tmp_path, source, cache=tmp_path / "shared-cache")
    a = builder.start(tmp_path / "a")
    b = builder.start(tmp_path / "b")
    assert builder.finish(*a).code == 0 and builder.finish(*b).code == 0
    assert tree_hashes(tmp_path / "a") == tree_hashes(tmp_path / "b")
    # Every cache entry is whole: a third build finds them all and speaks nothing.
    third = builder.run(tmp_path / "c")
    assert third.code == 0 and third.engine_calls == 0, third.stderr
    assert tree_hashes(tmp_path / "c") == tree_hashes(tmp_path / "a")
    assert not list((tmp_path / "shared-cache").rglob("*.part*"))


def test_two_editions_finishing_together_both_stay_in_the_feed(tmp_path: Path) -> None:
    require_tool("ffmpeg")
    out = tmp_path / "out"
    one = Builder(tmp_path / "one", _source(tmp_path), cache=tmp_path / "cache")
    two = Builder(tmp_path / "two", _source(tmp_path, "other.md", OTHER_MD), cache=tmp_path / "cache")
    # Edition one is slow to rename its feed: edition two builds and publishes in between.
    slow = one.start(out, {"AB_TEST_SLEEP_AT": "*/feed.xml=8"})
    deadline = time.monotonic() + 120
    while not any(line.startswith("sleeping before") for line in _lines(tmp_path / "one")) and time.monotonic() < deadline:
        time.sleep(0.05)
    fast = two.run(out)
    assert fast.code == 0, fast.stderr
    assert one.finish(*slow).code == 0
    listed = {path.relative_to(out).parts[0] for path, _length in feed_enclosures(out)}
    assert listed == {SLUG, "night-trains-return"}, listed


def _lines(root: Path) -> list[str]:
    lines: list[str] = []
    for log in root.glob("run-*.log"):
        lines += log.read_text(encoding="utf-8").splitlines()
    return lines
