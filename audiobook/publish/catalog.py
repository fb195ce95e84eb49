"""The editions under an output folder, with only the files that are complete on disk."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

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


def file_is_complete(folder: Path, entry: FileEntry) -> bool:
    """True when the file exists with exactly the manifest's size and sha256.

    A half-copied or rebuilt-in-progress file must never be offered to
    subscribers, so size alone is not trusted.
    """
    rel = Path(entry.path)
    if rel.is_absolute() or ".." in rel.parts:
        return False
    path = folder / rel
    try:
        if not path.is_file() or path.stat().st_size != entry.size_bytes:
            return False
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return False
    return digest.hexdigest() == entry.sha256


def scan_editions(output_dir: Path) -> tuple[list[PublishedEdition], list[str]]:
    """Every <edition>/edition.json under output_dir, newest first, and notices about what was left out."""
    editions: list[PublishedEdition] = []
    notices: list[str] = []
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
            if not file_is_complete(folder, article.file):
                notices.append(f"{folder.name}: {article.file.path} is missing or incomplete; not published")
                continue
            articles.append(article)
            extras[article.number] = {k: e for k, e in article.extras.items() if file_is_complete(folder, e)}
        editions.append(
            PublishedEdition(
                folder=folder.name,
                manifest=manifest,
                articles=tuple(articles),
                extras=extras,
                edition_file_ok=file_is_complete(folder, manifest.edition_file),
                cover_ok=file_is_complete(folder, manifest.cover),
            )
        )
    editions.sort(key=lambda e: e.folder)
    editions.sort(key=lambda e: e.date, reverse=True)
    return editions, notices
