"""The output-format seam: names, the ffmpeg chapter file, and the formats a machine cannot write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_tool

from audiobook.errors import UsageError
from audiobook.formats import FORMATS, ffmetadata, flat_chapters, parse_formats
from audiobook.tag import Chapter, ChapterGroup, Tags


def test_format_names() -> None:
    assert parse_formats(None) == ("mp3",)
    assert parse_formats("m4b, MP3") == ("mp3", "m4b")  # registry order, case and spaces ignored
    assert parse_formats(["mp3", "m4b,mp3"]) == ("mp3", "m4b")
    with pytest.raises(UsageError, match=r"unknown format 'ogg'; the formats are mp3, m4b"):
        parse_formats("mp3,ogg")
    with pytest.raises(UsageError, match="no format given"):
        parse_formats(" , ")
    assert parse_formats("epub,m4b") == ("m4b", "epub")
    assert {f.extension for f in FORMATS.values()} == {".mp3", ".m4b", ".epub"}
    assert (FORMATS["m4b"].mime_type, FORMATS["epub"].mime_type) == ("audio/mp4", "application/epub+zip")


def test_ffmetadata_exact() -> None:
    groups = (
        ChapterGroup("a1", "A", (Chapter("a1c0", "A", 0, 1500), Chapter("a1c1", "A — x=1; #2\\n", 1500, 4000))),
        ChapterGroup("a2", "B", (Chapter("a2c0", "B\nline", 4000, 5000),)),
    )
    tags = Tags(title="E", artists=(), album="E", album_artist=None, date=None, language="en", groups=groups)
    assert [c.element_id for c in flat_chapters(tags)] == ["a1c0", "a1c1", "a2c0"]
    assert ffmetadata(flat_chapters(tags)) == (
        ";FFMETADATA1\n"
        "[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=A\n"
        "[CHAPTER]\nTIMEBASE=1/1000\nSTART=1500\nEND=4000\ntitle=A — x\\=1\\; \\#2\\\\n\n"
        "[CHAPTER]\nTIMEBASE=1/1000\nSTART=4000\nEND=5000\ntitle=B\\\nline\n"
    )


def test_unknown_format_is_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("Words.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "audiobook", "build", "x.txt", "--format", "mp3,flac", "-o", str(tmp_path)],
                          capture_output=True, text=True, cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "audiobook: error: --format: unknown format 'flac'; the formats are mp3, m4b, epub (comma-separated, e.g. mp3,m4b)"
    ]


def test_an_ffmpeg_without_aac_still_builds_the_mp3s(tmp_path: Path) -> None:
    """A format whose tool is missing is one notice naming what to install; the other formats build."""
    real = require_tool("ffmpeg")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # This ffmpeg lists every encoder but AAC, as a build without it does.
    (bin_dir / "ffmpeg").write_text(
        f'#!/bin/sh\nif [ "$2" = "-encoders" ] || [ "$1" = "-encoders" ]; then "{real}" "$@" | grep -v " aac "; exit 0; fi\nexec "{real}" "$@"\n'
    )
    (bin_dir / "ffmpeg").chmod(0o755)
    source = tmp_path / "note.md"
    source.write_text("# A note\n\nOne short sentence.\n", encoding="utf-8")
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "SOURCE_DATE_EPOCH": "1700000000"}
    proc = subprocess.run(
        [sys.executable, "-m", "audiobook", "build", str(source), "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "c"),
         "--format", "mp3,m4b", "--voice", "tone"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    notes = [line for line in proc.stderr.splitlines() if "m4b" in line]
    assert len(notes) == 1 and "no AAC encoder" in notes[0] and "apt-get install ffmpeg" in notes[0], proc.stderr
    folder = tmp_path / "out" / "a-note"
    assert sorted(p.suffix for p in folder.glob("*.m*")) == [".m3u8", ".mp3", ".mp3"]  # no .m4b
