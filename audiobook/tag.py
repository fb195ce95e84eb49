"""ID3 tags and chapters (CHAP/CTOC) for the MP3s, with mutagen.

ID3v2.3, not 2.4: Windows Explorer/Media Player, many car units and older
players read only 2.3, and everything here (CHAP/CTOC, APIC, USLT, COMM) is
defined for 2.3 by the chapter addendum. The date is written as 2.3's
TYER/TDAT (mutagen's save as 2.3 keeps a 2.4 TDRC, which 2.3 readers such
as eyeD3 ignore); multiple artists are joined with "/".
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDAT,
    TIT2,
    TIT3,
    TLAN,
    TPE1,
    TPE2,
    TRCK,
    TYER,
    USLT,
    CTOCFlags,
    Encoding,
    PictureType,
)

from mutagen.id3._tags import save_frame

from .assemble import FrameRun, with_info_frame
from .atomic import atomic_path

UTF16 = Encoding.UTF16  # the only Unicode text encoding ID3v2.3 has
NO_OFFSET = 0xFFFFFFFF  # CHAP byte offsets unused: times are authoritative
TOC_ID = "toc"
# Bump when a tagged file changes shape for the same audio and tags, so rebuilds rewrite it (2: Xing frame, TYER/TDAT).
TAG_FORMAT = 2
MAX_TOC_ENTRIES = 255  # a CTOC frame counts its entries in one byte

# ISO 639-1 → ISO 639-2/B codes ID3 wants in TLAN, COMM and USLT.
_LANG3 = {
    "en": "eng", "fr": "fre", "de": "ger", "es": "spa", "it": "ita", "nl": "dut",
    "pt": "por", "sv": "swe", "da": "dan", "no": "nor", "fi": "fin", "pl": "pol",
    "cs": "cze", "ru": "rus", "el": "gre", "tr": "tur", "ar": "ara", "he": "heb",
    "ja": "jpn", "zh": "chi", "ko": "kor", "hi": "hin", "cy": "wel", "ga": "gle",
    "nb": "nob", "nn": "nno", "ca": "cat", "ro": "rum", "hu": "hun",  # the rest of audiobook.language.KNOWN
}  # fmt: skip


def language_code(language: str) -> str:
    """A three-letter ISO 639-2 code for an ISO 639-1 tag like 'en' or 'en-GB'."""
    base = language.lower().replace("_", "-").split("-")[0]
    if len(base) == 3 and base.isalpha():
        return base
    return _LANG3.get(base, "und")


@dataclass(frozen=True)
class Chapter:
    element_id: str
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class ChapterGroup:
    """A nested table of contents: one article's chapters in the edition file."""

    element_id: str
    title: str
    chapters: tuple[Chapter, ...]


@dataclass(frozen=True)
class Tags:
    title: str
    artists: tuple[str, ...]
    album: str
    album_artist: str | None
    date: str | None  # ISO date
    language: str  # ISO 639-1, e.g. "en"
    track: int | None = None
    track_total: int | None = None
    description: str | None = None  # the standfirst
    lyrics: str | None = None  # the transcript, original wording
    cover_jpeg: bytes | None = None
    chapters: tuple[Chapter, ...] = ()  # flat: listed by one top-level CTOC
    groups: tuple[ChapterGroup, ...] = ()  # nested: top-level CTOC → one CTOC per group


class OrderedID3(ID3):
    """ID3 that writes CTOC/CHAP frames in the order they were added.

    mutagen sorts frames by size, and ffmpeg lists chapters in the order the
    CHAP frames are stored, so without this chapters come out shuffled.
    """

    def _write(self, config: object) -> bytearray:
        first = ["TIT2", "TPE1", "TRCK", "TALB", "TPOS", "TYER", "TDAT", "TCON"]

        def rank(item: tuple[int, object]) -> tuple[int, int, int]:
            i, frame = item
            fid = getattr(frame, "FrameID", "")
            if fid in first:
                return (0, first.index(fid), i)
            if fid in ("CTOC", "CHAP"):
                return (2, 0, i)
            return (3, 0, i) if fid == "APIC" else (1, 0, i)

        frames = [f for _, f in sorted(enumerate(self.values()), key=rank)]
        return bytearray().join(save_frame(f, config=config) for f in frames)


_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_frames(iso_date: str) -> list[TYER | TDAT]:
    """ID3v2.3 date frames for an ISO date: TYER "YYYY", and TDAT "DDMM" when the day is known."""
    found = _ISO_DATE.match(iso_date)
    if found is None:
        return []
    year, month, day = found.groups()
    frames: list[TYER | TDAT] = [TYER(encoding=Encoding.LATIN1, text=[year])]
    if month and day:
        frames.append(TDAT(encoding=Encoding.LATIN1, text=[f"{day}{month}"]))
    return frames


def tile_chapters(starts_ms: Sequence[int], titles: Sequence[str], end_ms: int, prefix: str = "ch") -> list[Chapter]:
    """Chapters that tile [0, end_ms): the first starts at 0, each ends where the next starts."""
    chapters = []
    for i, title in enumerate(titles):
        start = 0 if i == 0 else starts_ms[i]
        end = end_ms if i == len(titles) - 1 else starts_ms[i + 1]
        chapters.append(Chapter(f"{prefix}{i}", title, start, max(start, end)))
    return chapters


_CONTROL = {c: None for c in range(32) if chr(c) not in "\n\t"} | {0x7F: None}


def clean(text: str) -> str:
    """Text without control characters (NUL, BEL...): players print them as boxes or stop at NUL."""
    return text.translate(_CONTROL)


def _chap(ch: Chapter) -> CHAP:
    return CHAP(
        element_id=ch.element_id,
        start_time=ch.start_ms,
        end_time=ch.end_ms,
        start_offset=NO_OFFSET,
        end_offset=NO_OFFSET,
        sub_frames=[TIT2(encoding=UTF16, text=[clean(ch.title)])],
    )


def build_id3(tags: Tags) -> ID3:
    """The ID3 frames for a file (pure: nothing is written)."""
    id3 = OrderedID3()
    lang = language_code(tags.language)
    id3.add(TIT2(encoding=UTF16, text=[clean(tags.title)]))
    if tags.artists:
        id3.add(TPE1(encoding=UTF16, text=[clean(a) for a in tags.artists]))
    id3.add(TALB(encoding=UTF16, text=[clean(tags.album)]))
    if tags.album_artist:
        id3.add(TPE2(encoding=UTF16, text=[clean(tags.album_artist)]))
    if tags.track is not None:
        track = f"{tags.track}/{tags.track_total}" if tags.track_total else str(tags.track)
        id3.add(TRCK(encoding=UTF16, text=[track]))
    if tags.date:
        for frame in date_frames(tags.date):
            id3.add(frame)
    id3.add(TCON(encoding=UTF16, text=["Speech"]))
    id3.add(TLAN(encoding=UTF16, text=[lang]))
    if tags.description:
        id3.add(TIT3(encoding=UTF16, text=[clean(tags.description)]))
        id3.add(COMM(encoding=UTF16, lang=lang, desc="", text=[clean(tags.description)]))
    if tags.lyrics:
        id3.add(USLT(encoding=UTF16, lang=lang, desc="", text=clean(tags.lyrics)))
    if tags.cover_jpeg:
        id3.add(APIC(encoding=UTF16, mime="image/jpeg", type=PictureType.COVER_FRONT, desc="Cover", data=tags.cover_jpeg))
    top = CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    if tags.groups:
        for toc in toc_tree(TOC_ID, top, tags.title, [g.element_id for g in tags.groups], [g.title for g in tags.groups]):
            id3.add(toc)
        for group in tags.groups:
            children = [c.element_id for c in group.chapters]
            for toc in toc_tree(group.element_id, CTOCFlags.ORDERED, group.title, children, [c.title for c in group.chapters]):
                id3.add(toc)
            for ch in group.chapters:
                id3.add(_chap(ch))
    elif tags.chapters:
        for toc in toc_tree(TOC_ID, top, tags.title, [c.element_id for c in tags.chapters], [c.title for c in tags.chapters]):
            id3.add(toc)
        for ch in tags.chapters:
            id3.add(_chap(ch))
    return id3


def render_id3(tags: Tags) -> bytes:
    """The tag as it will be written: a build checks this before synthesis, so no tag can fail after it."""
    out = io.BytesIO()
    build_id3(tags).save(out, v1=0, v2_version=3)
    return out.getvalue()


def toc_tree(element_id: str, flags: int, title: str, children: Sequence[str], titles: Sequence[str]) -> list[CTOC]:
    """CTOC frames listing `children` in order, nested so that no frame holds more than 255 entries.

    A CTOC's entry count is one byte. Longer lists are cut into runs of at
    most 255 under child CTOCs ("<id>.1", "<id>.2", ...), titled by the first
    and last entries they hold; the runs are cut again while there are more
    than 255 of them. CHAP frames are untouched, so the chapters still tile
    the file and readers that ignore CTOCs (ffmpeg) see every one.
    """
    levels: list[list[CTOC]] = []
    ids, names = list(children), list(titles)
    while len(ids) > MAX_TOC_ENTRIES:
        level: list[CTOC] = []
        level_ids: list[str] = []
        level_names: list[str] = []
        for at in range(0, len(ids), MAX_TOC_ENTRIES):
            run, run_titles = ids[at : at + MAX_TOC_ENTRIES], names[at : at + MAX_TOC_ENTRIES]
            k = at // MAX_TOC_ENTRIES + 1
            run_id = f"{element_id}.{k}" if not levels else f"{element_id}.{len(levels) + 1}-{k}"
            label = run_titles[0] if len(run) == 1 else f"{run_titles[0]} – {run_titles[-1]}"
            level.append(_toc(run_id, CTOCFlags.ORDERED, run, label))
            level_ids.append(run_id)
            level_names.append(label)
        levels.append(level)
        ids, names = level_ids, level_names
    # Parents before children, as a reader walking from the top-level CTOC meets them.
    return [_toc(element_id, flags, ids, title), *(toc for level in reversed(levels) for toc in level)]


def _toc(element_id: str, flags: int, children: list[str], title: str) -> CTOC:
    """A table-of-contents frame: players list chapters only when one stands beside the CHAPs."""
    return CTOC(
        element_id=element_id,
        flags=flags,
        child_element_ids=children,
        sub_frames=[TIT2(encoding=UTF16, text=[clean(title)])],
    )


def write_tagged(audio: Path, dest: Path, tags: Tags, run: FrameRun | None = None) -> None:
    """Copy an MP3's audio frames to `dest` behind an Info frame, with its tags, atomically.

    The Info frame gives the exact frame count, so players know the exact
    duration instead of estimating it from the file size. `run`: the audio's
    frames when known, so they are not scanned again.
    """
    id3 = build_id3(tags)
    with atomic_path(dest) as tmp:
        with_info_frame(audio, tmp, run)
        id3.save(tmp, v1=0, v2_version=3)
