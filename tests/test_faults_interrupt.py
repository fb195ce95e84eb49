"""Interrupted builds: real SIGKILLs at named moments and at random times, then a rebuild that matches byte for byte."""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import require_tool
from test_faults_kit import SMALL_MD, Builder, Run, check_visible_outputs, feed_enclosures, tree_hashes

SLUG = "the-harbour-reopens"

# Kill points: the build dies (SIGKILL to the CLI and its workers) just before the
# n-th rename of a file matching the glob, i.e. with that file fully written under
# its temp name: the worst moment for a half-visible output.
KILL_POINTS = {
    "synthesis (3rd sentence clip)": "*/clips/*.wav#3",
    "stitching an article": "*/builds/*.wav#1",
    "encoding an article": "*/builds/*.mp3#1",
    "joining the edition": "*/builds/*/edition.mp3",
    "cover": f"*/{SLUG}/cover.jpg",
    "tagging article 1": f"*/{SLUG}/01-*.mp3",
    "tagging the edition file": f"*/{SLUG}/{SLUG}.mp3",
    "manifest before publishing": f"*/{SLUG}/edition.json#1",
    "transcripts": f"*/{SLUG}/02-*.vtt",
    "edition page": f"*/{SLUG}/index.html",
    "manifest after publishing": f"*/{SLUG}/edition.json#2",
    "feed": "*/feed.xml",
    "site index page": "*/out/index.html",
}
# CI runs the points that exercise distinct code paths; AUDIOBOOK_FAULTS_FULL=1 runs them all.
QUICK = {
    "synthesis (3rd sentence clip)", "encoding an article", "joining the edition", "tagging article 1",
    "tagging the edition file", "manifest before publishing", "transcripts", "feed",
}  # fmt: skip
FULL = os.environ.get("AUDIOBOOK_FAULTS_FULL", "") == "1"
RANDOM_KILLS = 3 if FULL else 2
TALLY: dict[str, int] = {"kills": 0, "rebuilds matched": 0, "files compared": 0}


@dataclass
class Reference:
    builder: Builder
    out: Path
    hashes: dict[str, str]
    run: Run
    seconds: float
    cold_root: Path = field(default_factory=Path)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    require_tool("ffmpeg")
    root = tmp_path_factory.mktemp("interrupt")
    source = root / "small.md"
    source.write_text(SMALL_MD, encoding="utf-8")
    builder = Builder(root, source)
    started = time.monotonic()
    run = builder.run(root / "ref")
    seconds = time.monotonic() - started
    assert run.code == 0, run.stderr
    hashes = tree_hashes(root / "ref")
    assert f"{SLUG}/{SLUG}.mp3" in hashes and "feed.xml" in hashes
    return Reference(builder, root / "ref", hashes, run, seconds, root)


def _rebuild_matches(ref: Reference, out: Path, builder: Builder) -> Run:
    again = builder.run(out)
    assert again.code == 0, again.stderr
    assert again.stderr.strip() == "", again.stderr
    assert tree_hashes(out) == ref.hashes
    # Nothing the killed build left behind survives the rebuild (no growing litter of temp files).
    leftovers = [p.name for p in out.rglob("*.part*")]
    assert leftovers == [], leftovers
    TALLY["rebuilds matched"] += 1
    TALLY["files compared"] += len(ref.hashes)
    return again


@pytest.mark.parametrize("moment", [m for m in KILL_POINTS if FULL or m in QUICK])
def test_killed_build_leaves_only_whole_files_and_rebuilds_identically(reference: Reference, moment: str, tmp_path: Path) -> None:
    pattern = KILL_POINTS[moment]
    builder = reference.builder
    if moment.startswith("synthesis"):
        # A cold cache of its own, so the kill lands among real engine calls.
        builder = Builder(tmp_path, reference.builder.source, cache=tmp_path / "cache")
    out = tmp_path / "out"
    killed = builder.run_killed_at(out, pattern)
    assert killed.code == -9, f"the kill point {pattern} was never reached: {killed.stderr}"
    assert any(line.startswith("killed before") for line in killed.log)
    TALLY["kills"] += 1
    check_visible_outputs(out, reference.hashes)
    cached = len(list((tmp_path / "cache").rglob("*.wav")))

    again = _rebuild_matches(reference, out, builder)
    if moment.startswith("synthesis"):
        # Only what the killed build had not finished is spoken again.
        assert 0 < cached and 0 < again.engine_calls < reference.run.engine_calls
        assert again.engine_calls == reference.run.engine_calls - cached
    else:
        assert again.engine_calls == 0, "the sentence cache was not reused"
    if moment in ("tagging article 1", "tagging the edition file", "feed", "manifest before publishing"):
        # Encoded articles in the work folder are reused: no ffmpeg encode runs again.
        assert again.tool_calls("ffmpeg") == 0, again.log


def test_killed_at_random_moments_and_rebuilt(reference: Reference, tmp_path: Path) -> None:
    rng = random.Random(7)
    for i in range(RANDOM_KILLS):
        out = tmp_path / f"out{i}"
        cold = Builder(tmp_path / f"b{i}", reference.builder.source, cache=tmp_path / f"cache{i}")
        delay_s = rng.uniform(0.2, 0.9) * reference.seconds
        killed = cold.run_killed_after(out, delay_s)
        TALLY["kills"] += 1
        if out.exists():
            check_visible_outputs(out, reference.hashes)
        _rebuild_matches(reference, out, cold)
    print(f"\ninterrupted builds: {TALLY}")


def test_killed_rebuild_of_a_changed_edition_never_leaves_the_feed_describing_replaced_files(
    reference: Reference, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    builder = Builder(tmp_path, reference.builder.source, cache=reference.builder.cache)
    assert builder.run(out).code == 0
    edited = tmp_path / "edited.md"
    edited.write_text(SMALL_MD.replace("Traders welcomed the news.", "Traders welcomed the news at once."), encoding="utf-8")
    changed = Builder(tmp_path, edited, cache=reference.builder.cache)
    # Killed after article 1 was replaced, before the edition file: the old feed must not describe the new file.
    killed = changed.run_killed_at(out, f"*/{SLUG}/{SLUG}.mp3")
    assert killed.code == -9
    TALLY["kills"] += 1
    check_visible_outputs(out, {})
    again = changed.run(out)
    assert again.code == 0, again.stderr
    check_visible_outputs(out, {})
    assert len(feed_enclosures(out)) == 2
