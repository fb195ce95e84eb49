"""The publish stage: transcripts, chapters JSON, web pages and the podcast feed of an output folder."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path, PurePosixPath

from filelock import FileLock, Timeout

from ..atomic import write_bytes, write_text
from ..errors import AudiobookError, LockError
from ..manifest import EDITION_LOCK_NAME, MANIFEST_NAME, ArticleEntry, FileEntry, Manifest, read_manifest
from .catalog import PublishedEdition, scan_editions
from .chapters import build_chapters_json
# The feed (feedgen, lxml, dateutil: about 30 ms) is imported when a site is published: a
# build checks the output folder's configuration on every start, through .config, and an
# unchanged rebuild publishes nothing.
from .config import FEED_NAME, PublishConfig, load_config, with_base_url
from .page import PAGE_NAME, build_edition_page, build_index_page
from .transcript import build_srt, build_transcript_json, build_vtt

__all__ = [
    "FEED_NAME",
    "FEED_SKIPPED",
    "PAGE_NAME",
    "PublishConfig",
    "extra_paths",
    "publish_edition",
    "publish_site",
    "republish_editions",
]

# Extras beside each article MP3, by manifest kind → file-name suffix replacing ".mp3".
EXTRA_SUFFIXES = {
    "vtt": ".vtt",
    "srt": ".srt",
    "transcript_json": ".transcript.json",
    "chapters_json": ".chapters.json",
}
COVER_MIN_PX, COVER_MAX_PX = 1400, 3000
# Builds of different editions publish the same feed.xml: one at a time, or a
# publisher that scanned before another edition finished would drop it.
SITE_LOCK_NAME = ".audiobook-site.lock"
SITE_LOCK_TIMEOUT_S = 120.0
FEED_SKIPPED = f"{FEED_NAME} not written"


def extra_paths(article: ArticleEntry) -> dict[str, str]:
    """Where each extra of an article lives, relative to the edition folder: 01-x.mp3 → 01-x.vtt...

    A manifest is input too (`audiobook publish` reads any edition.json), so a
    path that could lead outside the edition folder is refused, not followed.
    """
    mp3 = PurePosixPath(article.file.path)
    if mp3.is_absolute() or ".." in mp3.parts or "\\" in article.file.path or not mp3.name or mp3.name.startswith("."):
        raise AudiobookError(f"article {article.number}: unsafe file path {article.file.path!r} in the manifest")
    stem = mp3.with_suffix("")
    return {kind: f"{stem}{suffix}" for kind, suffix in EXTRA_SUFFIXES.items()}


def _write_article_extras(article: ArticleEntry, paths: dict[str, str], edition_dir: Path) -> dict[str, FileEntry]:
    texts = {
        "vtt": build_vtt(article.cues),
        "srt": build_srt(article.cues),
        "transcript_json": build_transcript_json(article.cues),
        "chapters_json": build_chapters_json(article.sections),
    }
    extras: dict[str, FileEntry] = {}
    for kind, rel in paths.items():
        data = texts[kind].encode("utf-8")
        write_bytes(edition_dir / rel, data)
        extras[kind] = FileEntry(path=rel, size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    return extras


def publish_edition(manifest: Manifest, edition_dir: Path) -> Manifest:
    """Write every article's transcripts and chapters JSON, and the edition page.

    Returns the manifest with ArticleEntry.extras filled; the caller writes it
    as edition.json (the feed lists only extras recorded there).
    """
    # Every path is checked before anything is written.
    paths = [extra_paths(a) for a in manifest.articles]
    articles = tuple(
        replace(a, extras=_write_article_extras(a, p, edition_dir)) for a, p in zip(manifest.articles, paths, strict=True)
    )
    published = replace(manifest, articles=articles)
    page = build_edition_page(
        published,
        has_edition_file=(edition_dir / manifest.edition_file.path).is_file(),
        has_cover=(edition_dir / manifest.cover.path).is_file(),
    )
    write_text(edition_dir / PAGE_NAME, page)
    return published


def _cover_notice(edition: PublishedEdition, output_dir: Path) -> str | None:
    """Apple wants a square cover of 1400–3000 px; say so when the feed's cover is not."""
    from PIL import Image, UnidentifiedImageError

    path = output_dir / edition.folder / edition.manifest.cover.path
    try:
        with Image.open(path) as image:
            width, height = image.size
    except (OSError, UnidentifiedImageError):
        return f"{edition.folder}: cover {edition.manifest.cover.path} is not a readable image"
    if width != height or not COVER_MIN_PX <= width <= COVER_MAX_PX:
        return (
            f"{edition.folder}: cover is {width}×{height} px; podcast directories want a square "
            f"{COVER_MIN_PX}–{COVER_MAX_PX} px image"
        )
    return None


def publish_site(output_dir: Path, base_url: str | None) -> list[str]:
    """Write feed.xml and index.html over every <edition>/edition.json under output_dir.

    The base URL comes from the argument, else from output/audiobook.toml; without
    one the feed is not written (an existing feed.xml is left as it was) and a
    notice says so. Returns notices for the user.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(output_dir / SITE_LOCK_NAME), timeout=SITE_LOCK_TIMEOUT_S):
            return _publish_site_locked(output_dir, base_url)
    except Timeout:
        raise LockError(f"another build kept {output_dir} busy for {SITE_LOCK_TIMEOUT_S:.0f} s; run `audiobook publish` later") from None


def _publish_site_locked(output_dir: Path, base_url: str | None) -> list[str]:
    from .feed import build_feed, channel_title

    config = with_base_url(load_config(output_dir), base_url)
    editions, notices = scan_editions(output_dir)
    feed_path = output_dir / FEED_NAME
    if config.base_url:
        covers = [e for e in editions if e.cover_ok]
        if covers:
            notice = _cover_notice(covers[0], output_dir)
            if notice:
                notices.append(notice)
        write_bytes(feed_path, build_feed(editions, config))
    else:
        notices.append(f"{FEED_SKIPPED}: needs --base-url (or base_url under [publish] in {output_dir / 'audiobook.toml'})")
    title = channel_title(editions, config)
    language = config.language or (editions[0].manifest.language if editions else "en")
    write_text(output_dir / PAGE_NAME, build_index_page(editions, title, feed_path.is_file(), language))
    return notices


def republish_editions(output_dir: Path) -> list[str]:
    """Rerun publish_edition over every edition under output_dir, updating edition.json when extras change.

    Lets `audiobook publish` bring editions built by an older version (or
    whose pages were deleted) up to date without rebuilding any audio.
    """
    notices: list[str] = []
    for manifest_path in sorted(output_dir.glob(f"*/{MANIFEST_NAME}")):
        folder = manifest_path.parent
        lock = FileLock(str(folder / EDITION_LOCK_NAME))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            notices.append(f"skipped {folder.name}: a build is writing it (its own build publishes it)")
            continue
        try:
            manifest = read_manifest(manifest_path)
            published = publish_edition(manifest, folder)
            if published.to_json() != manifest.to_json():
                published.write(folder)
        except AudiobookError as exc:
            notices.append(f"skipped {folder.name}: {exc}")
        finally:
            lock.release()
    return notices
