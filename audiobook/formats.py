"""Output formats of the whole edition behind one small protocol: MP3 (always), M4B (audiobook apps), narrated EPUB 3."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .atomic import atomic_path, write_text
from .errors import ToolError, UsageError
from .gateway import run_ffmpeg, run_tool

if TYPE_CHECKING:
    # The writers import mutagen (through .tag) when they run: `build` needs the format names
    # on every start, and an unchanged rebuild writes nothing.
    from .assemble import FrameRun
    from .tag import Chapter, Tags
    from .voice import Encoding

DEFAULT_FORMATS = ("mp3",)
# ffmpeg's native AAC encoder is the only one a stock ffmpeg has, and its default
# "twoloop" coder is slow: 27.9 s CPU for the 31-minute sample against 8.7 s for
# "fast", with a higher SNR against the MP3 it is made from (29.5 dB against
# 21.7 dB) and the same loudness (-16.6 LUFS both). Speech from a TTS voice has no
# content above 11 kHz for twoloop's finer noise shaping to spend bits on.
M4B_AAC_CODER = "fast"
# AAC-LC mono in the fast coder's quality (VBR) mode, not at a fixed 64 kbit/s: on the
# sample, -q:a 1.3 makes the same size as -b:a 64k (18.1 MB against 17.7 MB, about
# 78 kbit/s with the container) with a higher SNR against the MP3 it is made from
# (33.5 dB against 30.3 dB; speech blocks 37.6 dB against 35.9 dB), the same
# loudness (-16.5 LUFS against -16.6), in 0.56x the CPU time (5.6 s against
# 10.0 s on a loaded machine): CBR's rate control quantises each frame again to hit
# the rate. -q:a 1 is smaller (62 kbit/s) but 1.4 dB below CBR.
M4B_AAC_QUALITY = 1.3
M4B_MEDIA_KIND = 2  # iTunes 'stik' 2: Audiobook (apps file it with books, remember the position)


@dataclass(frozen=True)
class EditionPackage:
    """What every format packages: the whole edition's audio, chapters and tags (pure data)."""

    audio: Path  # the edition's joined, untagged MP3 frames (the work folder's edition.mp3)
    tags: Tags  # with groups: one per article, its sections as chapters
    encoding: Encoding
    narrator: str | None = None  # the voice, for formats with a narrator tag
    audio_run: FrameRun | None = None  # the audio's MP3 frames, when known (not scanned again)
    # The narrated EPUB's members (name, bytes or a file to stream), made from the text by the
    # pipeline when the EPUB is asked for (audiobook.publish.epub3).
    book: tuple[tuple[str, bytes | Path], ...] = ()


class OutputFormat(Protocol):
    """One way to package the edition: a file extension, a MIME type, a check for its tools, a writer."""

    name: str
    extension: str  # with the dot
    mime_type: str

    def check(self) -> None:
        """Raise ToolError (one line saying what to install) when this machine cannot write the format."""

    def write(self, package: EditionPackage, dest: Path) -> None:
        """Write the package to `dest`, atomically."""


class Mp3Format:
    """The edition as one MP3 (ID3v2.3, nested CHAP/CTOC chapters, Xing frame): frames joined, never re-encoded."""

    name = "mp3"
    extension = ".mp3"
    mime_type = "audio/mpeg"

    def check(self) -> None:
        pass  # the build already needs ffmpeg with libmp3lame for every article

    def write(self, package: EditionPackage, dest: Path) -> None:
        from .tag import write_tagged

        write_tagged(package.audio, dest, package.tags, package.audio_run)


def flat_chapters(tags: Tags) -> list[Chapter]:
    """Chapters in one list: MP4 has no nested chapters, so a section's title carries its article's (pure)."""
    if tags.groups:
        return [ch for group in tags.groups for ch in group.chapters]
    return list(tags.chapters)


def _escape_ffmetadata(text: str) -> str:
    """A value for ffmpeg's metadata file: '=', ';', '#', '\\' and newlines escaped."""
    from .tag import clean

    out = clean(text).replace("\\", "\\\\")
    for ch in "=;#\n":
        out = out.replace(ch, "\\" + ch)
    return out


def ffmetadata(chapters: Sequence[Chapter]) -> str:
    """ffmpeg's metadata file with one [CHAPTER] per chapter, in milliseconds (pure)."""
    lines = [";FFMETADATA1"]
    for ch in chapters:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={ch.start_ms}", f"END={ch.end_ms}", f"title={_escape_ffmetadata(ch.title)}"]
    return "\n".join(lines) + "\n"


@functools.cache
def _has_aac_encoder() -> bool:
    encoders = run_tool(["ffmpeg", "-hide_banner", "-encoders"]).stdout.decode("utf-8", "replace")
    return any(line.split()[1:2] == ["aac"] for line in encoders.splitlines() if line.strip())


class M4bFormat:
    """The edition as an M4B audiobook: AAC-LC in MP4, a chapter per section, cover, tags, audiobook media kind.

    ffmpeg writes both chapter forms players read: a QuickTime chapter track
    (Apple Books, BookPlayer) and a Nero 'chpl' list (mutagen, Smart
    AudioBook Player). The audio comes from the edition's MP3 frames, already
    at the loudness target: decoding them and encoding AAC keeps the level
    (within 0.1 LU measured) and the timing (ffmpeg's edit list removes the
    AAC priming), so chapter times carry over unchanged. Tags are written by
    mutagen afterwards, since ffmpeg has no narrator or media-kind key that
    every reader agrees on.
    """

    name = "m4b"
    extension = ".m4b"
    mime_type = "audio/mp4"

    def check(self) -> None:
        if not _has_aac_encoder():
            raise ToolError("this ffmpeg has no AAC encoder, so no M4B: install a full ffmpeg (`sudo apt-get install ffmpeg`)")

    def write(self, package: EditionPackage, dest: Path) -> None:
        self.check()
        with atomic_path(dest) as tmp:
            meta = tmp.with_name(tmp.name + ".ffmeta")
            try:
                write_text(meta, ffmetadata(flat_chapters(package.tags)))
                run_ffmpeg(
                    [
                        "-fflags", "+bitexact", "-i", str(package.audio),
                        "-f", "ffmetadata", "-i", str(meta),
                        # No -map_metadata -1: it also empties the chapter titles (ffmpeg then drops
                        # the QuickTime chapter track); the untagged MP3 brings no metadata anyway.
                        "-map", "0:a", "-map_chapters", "1",
                        "-c:a", "aac", "-profile:a", "aac_low", "-aac_coder", M4B_AAC_CODER, "-q:a", str(M4B_AAC_QUALITY),
                        "-ac", "1", "-ar", str(package.encoding.sample_rate_hz),
                        "-flags:a", "+bitexact", "-fflags", "+bitexact", "-movflags", "+faststart",
                        "-f", "ipod", str(tmp),
                    ]
                )  # fmt: skip
            finally:
                meta.unlink(missing_ok=True)
            _tag_m4b(tmp, package)


def _tag_m4b(path: Path, package: EditionPackage) -> None:
    """iTunes-style MP4 tags: title, author, album, narrator, year, description, genre, cover, media kind."""
    from mutagen.mp4 import MP4, MP4Cover

    from .tag import clean

    tags = package.tags
    mp4 = MP4(path)
    if mp4.tags is None:
        mp4.add_tags()
    t = mp4.tags
    assert t is not None
    t["\xa9nam"] = [clean(tags.title)]
    t["\xa9alb"] = [clean(tags.album)]
    if tags.artists:
        t["\xa9ART"] = ["/".join(clean(a) for a in tags.artists)]
    if tags.album_artist:
        t["aART"] = [clean(tags.album_artist)]
    if package.narrator:
        t["\xa9nrt"] = [clean(package.narrator)]  # Audiobookshelf's and Apple's narrator atom
    if tags.date:
        t["\xa9day"] = [tags.date]
    if tags.description:
        t["desc"] = [clean(tags.description)]
        t["\xa9cmt"] = [clean(tags.description)]
    t["\xa9gen"] = ["Audiobook"]
    t["stik"] = [M4B_MEDIA_KIND]
    if tags.cover_jpeg:
        t["covr"] = [MP4Cover(tags.cover_jpeg, imageformat=MP4Cover.FORMAT_JPEG)]
    mp4.save()


class EpubFormat:
    """The edition as a narrated EPUB 3: each article's text with a media overlay on its MP3 (issue 15)."""

    name = "epub"
    extension = ".epub"
    mime_type = "application/epub+zip"

    def check(self) -> None:
        pass  # pure Python: the zip is written by the standard library

    def write(self, package: EditionPackage, dest: Path) -> None:
        from .publish import epub3

        if not package.book:
            raise ValueError("the EPUB's members were not prepared")  # a pipeline bug, not the user's
        with atomic_path(dest) as tmp, open(tmp, "wb") as fh:
            epub3.write_zip(package.book, fh)


FORMATS: dict[str, OutputFormat] = {"mp3": Mp3Format(), "m4b": M4bFormat(), "epub": EpubFormat()}


def parse_formats(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """Format names from `--format mp3,m4b` (or a list), in registry order; an unknown name is a UsageError."""
    if value is None:
        return DEFAULT_FORMATS
    parts = value.split(",") if isinstance(value, str) else [p for v in value for p in v.split(",")]
    names = [p.strip().lower() for p in parts if p.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        what = f"unknown format {unknown[0]!r}" if unknown else "no format given"
        raise UsageError(f"--format: {what}; the formats are {', '.join(FORMATS)} (comma-separated, e.g. mp3,m4b)")
    return tuple(n for n in FORMATS if n in names)
