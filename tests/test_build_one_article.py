"""A one-article edition (a book) stores its audio once: the article's MP3 and the edition's are one file."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import require_tool

from audiobook.manifest import read_manifest
from audiobook.pipeline import work_dir

BOOK = """# A short book

## The first part

The train left at nine. Nobody on the platform waved.

## The second part

By noon the hills had turned to plain, and the plain to sea.
"""
SLUG = "a-short-book"


def build(source: Path, out: Path, cache: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    args = [sys.executable, "-m", "audiobook", "build", str(source), "-o", str(out), "--cache-dir", str(cache), "-q",
            "--voice", "tone", "--base-url", "https://example.org/audio"]  # fmt: skip
    proc = subprocess.run(args, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_one_article_edition_is_one_file_under_two_names_and_a_rebuild_replaces_both(tmp_path: Path) -> None:
    require_tool("ffmpeg")
    source, out, cache = tmp_path / "book.md", tmp_path / "out", tmp_path / "cache"
    source.write_text(BOOK, encoding="utf-8")
    build(source, out, cache)
    folder = out / SLUG
    m = read_manifest(folder / "edition.json")
    article, edition = folder / m.articles[0].file.path, folder / m.edition_file.path
    assert article != edition and os.path.samefile(article, edition)
    assert (m.edition_file.size_bytes, m.edition_file.sha256) == (m.articles[0].file.size_bytes, m.articles[0].file.sha256)
    assert (m.edition_file.size_bytes, m.edition_file.sha256) == (article.stat().st_size, sha256(article))
    assert not (work_dir(folder, cache) / "edition.mp3").exists()  # nor a second copy in the cache
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    lengths = re.findall(r'<enclosure url="[^"]*/([^/"]+)" length="(\d+)"', feed)
    assert lengths and all(int(n) == (folder / name).stat().st_size for name, n in lengths)

    # An edit: both names move to the new file together; the old file's bytes are never written through.
    kept = tmp_path / "old.mp3"
    os.link(article, kept)
    old = sha256(kept)
    source.write_text(BOOK.replace("Nobody on the platform waved.", "Nobody waved."), encoding="utf-8")
    build(source, out, cache)
    m = read_manifest(folder / "edition.json")
    assert os.path.samefile(article, edition) and not os.path.samefile(article, kept)
    assert sha256(kept) == old != sha256(article) == m.edition_file.sha256 == m.articles[0].file.sha256
