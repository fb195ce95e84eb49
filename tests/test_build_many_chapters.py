"""A book with more sections than one CTOC frame can list (255) builds: nested tables of contents, every chapter seen by ffprobe and mutagen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TONE, build_root
from mutagen.id3 import ID3

# One full sub-table of 255 and a partial one of 1: the smallest book that needs the nesting
# (each section costs a build about 0.2 s of CPU, in two ffmpeg processes: 1,000 took 40% of the
# whole suite's time, and 300 was still its slowest fixture, 60 s on a loaded machine).
N_SECTIONS = 256


def chapters(path: Path) -> list[dict[str, str]]:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(path)], capture_output=True, check=True).stdout
    found: list[dict[str, str]] = json.loads(out)["chapters"]
    return found


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = build_root(tmp_path_factory, "many", speech=False)
    text = ["# Many sections", ""]
    for i in range(1, N_SECTIONS + 1):
        text += [f"## Section {i}", "", f"Part {i} is short.", ""]
    source = root / "sections.md"
    source.write_text("\n".join(text), encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    proc = subprocess.run(
        [sys.executable, "-m", "audiobook", "build", str(source), "-o", str(root / "out"), "--cache-dir", str(root / "cache"), "-q",
         "--voice", TONE],  # the test is about the tags, not the speech
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return root / "out" / "many-sections"


@pytest.mark.parametrize("name", ["01-many-sections.mp3", "many-sections.mp3"])
def test_every_section_is_a_chapter_tiling_the_file(book: Path, name: str) -> None:
    path = book / name
    found = chapters(path)
    assert len(found) == N_SECTIONS
    assert found[0]["start_time"] == "0.000000"
    assert all(a["end"] == b["start"] for a, b in zip(found, found[1:]))
    assert found[-1]["tags"]["title"].endswith(f"Section {N_SECTIONS}")
    id3 = ID3(path)
    assert len(id3.getall("CHAP")) == N_SECTIONS
    tocs = id3.getall("CTOC")
    assert max(len(t.child_element_ids) for t in tocs) <= 255
    assert sum(1 for t in tocs if int(t.flags) & 2) == 1  # one top-level table
