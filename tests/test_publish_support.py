"""Real small editions for publish tests: MP3s encoded by ffmpeg, a real cover, a real manifest."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from audiobook.gateway import run_ffmpeg, run_ffprobe
from audiobook.manifest import ArticleEntry, Cue, FileEntry, Manifest, SectionEntry, read_manifest
from conftest import require_tool

HOSTILE = "<script>alert('x')</script> & ]]> \"quoted\" --> end"
_TONES: dict[tuple[float, int], Path] = {}


def file_entry(folder: Path, rel: str) -> FileEntry:
    data = (folder / rel).read_bytes()
    return FileEntry(path=rel, size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest())


def encode_tone(path: Path, duration_s: float, frequency_hz: int) -> None:
    """A real MP3 of a sine tone; encoded once per (duration, pitch) and copied, to keep tests fast."""
    key = (duration_s, frequency_hz)
    cached = _TONES.get(key)
    if cached is None or not cached.exists():
        cache_dir = Path(__file__).parent / "artifacts" / "tones"
        cache_dir.mkdir(parents=True, exist_ok=True)
        cached = cache_dir / f"tone-{frequency_hz}-{duration_s}.mp3"
        if not cached.exists():
            # Per-process temp name: several test runs may share this cache at once.
            tmp = cache_dir / f".{cached.stem}.{os.getpid()}.part.mp3"
            run_ffmpeg(
                ["-f", "lavfi", "-i", f"sine=frequency={frequency_hz}:duration={duration_s}",
                 "-ac", "1", "-ar", "22050", "-c:a", "libmp3lame", "-b:a", "32k", str(tmp)]
            )
            tmp.replace(cached)
        _TONES[key] = cached
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, path)


def make_cover(path: Path, size_px: int = 1400) -> None:
    from PIL import Image

    Image.new("RGB", (size_px, size_px), (20, 60, 110)).save(path, "JPEG", quality=70)


def make_edition(
    output: Path,
    slug: str = "the-weekly-2024-03-01",
    *,
    title: str = "The Weekly, 1 March 2024",
    publication: str | None = "The Weekly",
    issue_date: str | None = "2024-03-01",
    build_date: str = "2024-03-01T06:00:00Z",
    article_titles: tuple[str, ...] = ("Rivers of & <b>Iron</b>", "The quiet year"),
    section_s: float = 4.0,
) -> Manifest:
    """An edition folder as build leaves it (before publish): each article has two 4 s sections of two sentences."""
    require_tool("ffmpeg")
    folder = output / slug
    folder.mkdir(parents=True, exist_ok=True)
    articles = []
    offset_s = 0.0
    for n, article_title in enumerate(article_titles, 1):
        rel = f"{n:02d}-article-{n}.mp3"
        duration_s = 2 * section_s
        encode_tone(folder / rel, duration_s, 300 + 100 * n)
        sections = tuple(
            SectionEntry(
                id=f"chp{k}",
                title=article_title if k == 0 else f"Part {k + 1}: {HOSTILE}",
                start_s=k * section_s,
                end_s=(k + 1) * section_s,
                edition_start_s=offset_s + k * section_s,
                edition_end_s=offset_s + (k + 1) * section_s,
            )
            for k in range(2)
        )
        half = section_s / 2
        cues = tuple(
            Cue(start_s=i * half, end_s=(i + 1) * half - 0.25, text=f"Sentence {i + 1} of article {n}{' ' + HOSTILE if i == 3 else '.'}")
            for i in range(4)
        )
        articles.append(
            ArticleEntry(
                number=n,
                slug=f"article-{n}",
                title=article_title,
                standfirst=f"Standfirst {n} with {HOSTILE}" if n == 1 else None,
                authors=("Ann Writer",) if n == 1 else (),
                translators=(),
                language="en",
                issue_date=issue_date,
                duration_s=duration_s,
                file=file_entry(folder, rel),
                sections=sections,
                cues=cues,
            )
        )
        offset_s += duration_s
    encode_tone(folder / f"{slug}.mp3", offset_s, 500)
    (folder / f"{slug}.m3u8").write_text("#EXTM3U\n" + "".join(f"{a.file.path}\n" for a in articles), encoding="utf-8")
    make_cover(folder / "cover.jpg")
    manifest = Manifest(
        slug=slug,
        title=title,
        publication=publication,
        issue_date=issue_date,
        language="en",
        build_date=build_date,
        tool_version="0.1.0",
        voice={"name": "test"},
        duration_s=offset_s,
        edition_file=file_entry(folder, f"{slug}.mp3"),
        playlist=file_entry(folder, f"{slug}.m3u8"),
        cover=file_entry(folder, "cover.jpg"),
        articles=tuple(articles),
    )
    manifest.write(folder)
    return manifest


def publish_built(output: Path, **kw: object) -> Manifest:
    """make_edition + publish_edition + write the manifest, as build does."""
    from audiobook.publish import publish_edition

    manifest = make_edition(output, **kw)  # type: ignore[arg-type]
    folder = output / manifest.slug
    published = publish_edition(manifest, folder)
    published.write(folder)
    return published


def probe_duration_s(path: Path) -> float:
    out = run_ffprobe(["-show_entries", "format=duration", "-of", "json", str(path)]).stdout
    return float(json.loads(out)["format"]["duration"])


def test_made_edition_is_real(tmp_path: Path) -> None:
    manifest = make_edition(tmp_path)
    require_tool("ffprobe")
    folder = tmp_path / manifest.slug
    for article in manifest.articles:
        assert probe_duration_s(folder / article.file.path) == pytest.approx(article.duration_s, abs=0.1)
    assert read_manifest(folder / "edition.json") == manifest
    assert replace(manifest) == manifest
