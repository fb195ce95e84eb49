"""edition.json: what a build produced, the contract between build and publish."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .atomic import write_text
from .errors import AudiobookError

# The lock a build holds on its edition folder, and `publish` takes before reading it.
EDITION_LOCK_NAME = ".audiobook.lock"
MANIFEST_NAME = "edition.json"
SCHEMA_VERSION = 1


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file's bytes, as a manifest records it (read in 1 MiB blocks)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative to the edition folder, POSIX separators
    size_bytes: int
    sha256: str


@dataclass(frozen=True)
class Cue:
    """One sentence as heard: original wording, times in the article file."""

    start_s: float
    end_s: float
    text: str
    # What the engine was given (normalised, lexicons applied), so `check` can accept a
    # respelling as heard; "" in editions built before it was recorded.
    spoken: str = ""


@dataclass(frozen=True)
class SectionEntry:
    id: str  # ID3 CHAP element id in the article file
    title: str
    start_s: float  # in the article file
    end_s: float
    edition_start_s: float  # in the whole-edition file
    edition_end_s: float


@dataclass(frozen=True)
class ArticleEntry:
    number: int  # 1-based reading order
    slug: str
    title: str
    standfirst: str | None
    authors: tuple[str, ...]
    translators: tuple[str, ...]
    language: str
    issue_date: str | None  # ISO date
    duration_s: float
    file: FileEntry  # the article MP3
    sections: tuple[SectionEntry, ...]
    cues: tuple[Cue, ...]
    # Other files about this article (transcripts, chapters JSON) by kind:
    # "vtt", "srt", "transcript_json", "chapters_json"; filled by publish.
    extras: dict[str, FileEntry] = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    slug: str
    title: str
    publication: str | None
    issue_date: str | None  # ISO date
    language: str
    build_date: str  # ISO 8601 UTC; fixed by SOURCE_DATE_EPOCH for reproducible builds
    tool_version: str
    voice: dict[str, Any]  # the voice profile used, as plain data
    duration_s: float
    edition_file: FileEntry
    playlist: FileEntry
    cover: FileEntry
    articles: tuple[ArticleEntry, ...]
    # Where each field came from ("text", "flag", "fallback"), as shown by plan.
    provenance: dict[str, str] = field(default_factory=dict)
    schema: int = SCHEMA_VERSION
    # The whole edition in other formats, by format name ("m4b"); the MP3 is edition_file.
    packages: dict[str, FileEntry] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=False) + "\n"

    def write(self, folder: Path) -> Path:
        path = folder / MANIFEST_NAME
        write_text(path, self.to_json())
        return path


def _file(d: dict[str, Any]) -> FileEntry:
    return FileEntry(path=d["path"], size_bytes=int(d["size_bytes"]), sha256=d["sha256"])


def manifest_from_dict(d: dict[str, Any]) -> Manifest:
    """Rebuild a Manifest from its JSON form."""
    articles = tuple(
        ArticleEntry(
            number=a["number"],
            slug=a["slug"],
            title=a["title"],
            standfirst=a.get("standfirst"),
            authors=tuple(a.get("authors", ())),
            translators=tuple(a.get("translators", ())),
            language=a.get("language", "en"),
            issue_date=a.get("issue_date"),
            duration_s=float(a["duration_s"]),
            file=_file(a["file"]),
            sections=tuple(SectionEntry(**s) for s in a["sections"]),
            cues=tuple(Cue(**c) for c in a.get("cues", ())),
            extras={k: _file(v) for k, v in a.get("extras", {}).items()},
        )
        for a in d["articles"]
    )
    return Manifest(
        slug=d["slug"],
        title=d["title"],
        publication=d.get("publication"),
        issue_date=d.get("issue_date"),
        language=d.get("language", "en"),
        build_date=d["build_date"],
        tool_version=d["tool_version"],
        voice=d.get("voice", {}),
        duration_s=float(d["duration_s"]),
        edition_file=_file(d["edition_file"]),
        playlist=_file(d["playlist"]),
        cover=_file(d["cover"]),
        articles=articles,
        provenance=d.get("provenance", {}),
        schema=d.get("schema", SCHEMA_VERSION),
        packages={k: _file(v) for k, v in d.get("packages", {}).items()},
    )


def read_manifest(path: Path) -> Manifest:
    """Read an edition.json; a malformed one is an AudiobookError naming the file."""
    try:
        return manifest_from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AudiobookError(f"{path}: not a valid edition manifest ({exc})") from exc
