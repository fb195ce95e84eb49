"""The editions under an output folder, with only the files that are complete on disk."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..atomic import write_text
from ..errors import AudiobookError
from ..manifest import MANIFEST_NAME, ArticleEntry, FileEntry, Manifest, read_manifest


@dataclass(frozen=True)
class PublishedEdition:
    """One edition folder as publish sees it."""

    folder: str  # the folder's name under output/, used in URLs
    manifest: Manifest
    articles: tuple[ArticleEntry, ...]  # only those whose MP3 is complete
    extras: dict[int, dict[str, FileEntry]]  # article number → complete extras by kind
    edition_file_ok: bool
    cover_ok: bool

    @property
    def date(self) -> str:
        """The date an edition sorts and publishes by: issue date, else build date."""
        return self.manifest.issue_date or self.manifest.build_date[:10]


MEMO_NAME = ".audiobook-hashes.json"


class HashMemo:
    """sha256 of files already read, keyed by what stat says about them.

    Every build republishes the whole output folder, and hashing a year of
    editions each time would take minutes. A file whose size, inode, mtime and
    ctime are unchanged has not been written since it was hashed (ctime cannot
    be set back by a program), so its recorded hash is reused.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._old: dict[str, list[Any]] = {}
        self._new: dict[str, list[Any]] = {}
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    self._old = {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 5}
            except (OSError, ValueError):
                pass  # no memo, or a damaged one: hash everything again

    def sha256(self, path: Path, stat: os.stat_result) -> str:
        key = str(path.resolve())
        sig = [stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns]
        known = self._old.get(key)
        if known is not None and known[:4] == sig:
            digest = str(known[4])
        else:
            hasher = hashlib.sha256()
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    hasher.update(chunk)
            digest = hasher.hexdigest()
        self._new[key] = [*sig, digest]
        return digest

    def save(self) -> None:
        """Keep what was seen this time (so removed files drop out); best effort."""
        if self.path is None or self._new == self._old:
            return
        try:
            write_text(self.path, json.dumps(self._new, sort_keys=True))
        except OSError:
            pass  # a read-only output folder still publishes; it just hashes again next time


def file_is_complete(folder: Path, entry: FileEntry, memo: HashMemo | None = None) -> bool:
    """True when the file exists with exactly the manifest's size and sha256.

    A half-copied or rebuilt-in-progress file must never be offered to
    subscribers, so size alone is not trusted.
    """
    rel = Path(entry.path)
    if rel.is_absolute() or ".." in rel.parts:
        return False
    path = folder / rel
    try:
        stat = path.stat()
        if not path.is_file() or stat.st_size != entry.size_bytes:
            return False
        return (memo or HashMemo(None)).sha256(path, stat) == entry.sha256
    except OSError:
        return False


def scan_editions(output_dir: Path) -> tuple[list[PublishedEdition], list[str]]:
    """Every <edition>/edition.json under output_dir, newest first, and notices about what was left out."""
    editions: list[PublishedEdition] = []
    notices: list[str] = []
    memo = HashMemo(output_dir / MEMO_NAME)
    for manifest_path in sorted(output_dir.glob(f"*/{MANIFEST_NAME}")):
        folder = manifest_path.parent
        try:
            manifest = read_manifest(manifest_path)
        except AudiobookError as exc:
            notices.append(f"skipped {folder.name}: {exc}")
            continue
        articles = []
        extras: dict[int, dict[str, FileEntry]] = {}
        for article in manifest.articles:
            if not file_is_complete(folder, article.file, memo):
                notices.append(f"{folder.name}: {article.file.path} is missing or incomplete; not published")
                continue
            articles.append(article)
            extras[article.number] = {k: e for k, e in article.extras.items() if file_is_complete(folder, e, memo)}
        editions.append(
            PublishedEdition(
                folder=folder.name,
                manifest=manifest,
                articles=tuple(articles),
                extras=extras,
                edition_file_ok=file_is_complete(folder, manifest.edition_file, memo),
                cover_ok=file_is_complete(folder, manifest.cover, memo),
            )
        )
    memo.save()
    editions.sort(key=lambda e: e.folder)
    editions.sort(key=lambda e: e.date, reverse=True)
    return _one_per_identity(editions, notices), notices


def _one_per_identity(editions: list[PublishedEdition], notices: list[str]) -> list[PublishedEdition]:
    """Keep one folder per edition identity (publication + slug): episode GUIDs come from it.

    Two folders claiming the same edition (a copy, a renamed folder) would give
    every episode twice under one GUID; the most recent build wins (ties: the
    last folder name).
    """
    best: dict[tuple[str | None, str], PublishedEdition] = {}
    for edition in editions:
        key = (edition.manifest.publication, edition.manifest.slug)
        other = best.get(key)
        if other is None or (edition.manifest.build_date, edition.folder) > (other.manifest.build_date, other.folder):
            best[key] = edition
    for edition in editions:
        winner = best[(edition.manifest.publication, edition.manifest.slug)]
        if winner is not edition:
            notices.append(f"skipped {edition.folder}: same edition as {winner.folder} (the newest build is published)")
    return [e for e in editions if best[(e.manifest.publication, e.manifest.slug)] is e]
