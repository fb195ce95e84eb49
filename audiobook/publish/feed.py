"""The podcast feed: RSS 2.0 with iTunes and Podcasting 2.0 tags, built with feedgen and lxml."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from lxml import etree

from .. import __version__ as _version
from ..manifest import ArticleEntry
from .catalog import PublishedEdition
from .config import FEED_NAME as FEED_NAME, PublishConfig
from .text import clean, one_line

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
# The namespace the Podcasting 2.0 spec fixes for podcast:guid.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
# Our own namespace for episode GUIDs; a constant, so GUIDs never change.
EPISODE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://audiobook.invalid/episode-guid/v1")

# Transcript kinds in manifest extras → (MIME type, rel attribute or None).
TRANSCRIPT_TYPES: dict[str, tuple[str, str | None]] = {
    "vtt": ("text/vtt", "captions"),
    "srt": ("application/x-subrip", "captions"),
    "transcript_json": ("application/json", None),
}


def podcast_guid(feed_url: str) -> str:
    """podcast:guid per the spec: UUIDv5 of the feed URL without scheme and trailing slashes."""
    bare = feed_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


UNNAMED_PUBLICATION = "Audiobook"  # what builds called an unnamed publication, kept only inside GUIDs
NEUTRAL_TITLE = "Audio editions"  # a channel of editions from several publications, or unnamed ones


def episode_guid(publication: str | None, edition_slug: str, article_slug: str | None) -> str:
    """A GUID from what the episode *is*, never from bytes or build time or URL.

    A rebuild, a re-encode or a move to another host keeps every GUID, so
    podcast apps never show an old article as a new episode.
    """
    # An edition without a publication was built as "Audiobook" before it was left unnamed: same GUIDs.
    identity = "\x1f".join([publication or UNNAMED_PUBLICATION, edition_slug, article_slug or "(whole edition)"])
    return f"urn:uuid:{uuid.uuid5(EPISODE_NAMESPACE, identity)}"


def _parse_date(iso: str | None) -> dt.date | None:
    if not iso:
        return None
    try:
        return dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None


def _build_datetime(iso: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def episode_date(edition: PublishedEdition, number: int, article_date: str | None = None) -> dt.datetime:
    """Midnight UTC of the issue date (build date as fallback), plus one minute per article.

    An article's own date wins over the edition's (a collection of web pages
    has one per article). The minutes keep reading order for apps that sort
    or play by date.
    """
    day = (
        _parse_date(article_date)
        or _parse_date(edition.manifest.issue_date)
        or _parse_date(edition.manifest.build_date)
        or dt.date(1970, 1, 1)
    )
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) + dt.timedelta(minutes=number - 1)


class PodcastIndexExtension(BaseExtension):
    """Channel-level podcast: tags (guid) and itunes:explicit in Apple's current true/false form."""

    def __init__(self) -> None:
        self.guid: str | None = None
        self.explicit: bool | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def extend_rss(self, feed: Any) -> Any:
        channel = feed[0]
        if self.explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = "true" if self.explicit else "false"
        if self.guid:
            xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = self.guid
        return feed


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item-level podcast: tags: chapters and transcripts."""

    def __init__(self) -> None:
        self.chapters_url: str | None = None
        self.transcripts: list[dict[str, str]] = []

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def extend_rss(self, item: Any) -> Any:
        for attrs in self.transcripts:
            xml_elem(f"{{{PODCAST_NS}}}transcript", item, **attrs)
        if self.chapters_url:
            xml_elem(f"{{{PODCAST_NS}}}chapters", item, url=self.chapters_url, type="application/json+chapters")
        return item


def _url(base_url: str, folder: str, rel: str) -> str:
    return f"{base_url}/{quote(folder)}/{quote(rel)}"


def _has_artwork(edition: PublishedEdition) -> bool:
    """A complete cover whose URL ends in .jpg or .png, as Apple (and feedgen) require."""
    return edition.cover_ok and edition.manifest.cover.path.endswith((".jpg", ".png"))


def _duration(seconds: float) -> str:
    return str(max(0, round(seconds)))


def channel_title(editions: Sequence[PublishedEdition], config: PublishConfig) -> str:
    """The configured title, else the publication every edition shares, else a neutral name."""
    if one_line(config.title or ""):
        return one_line(config.title or "")
    publications = {one_line(e.manifest.publication or "") for e in editions}
    if len(publications) == 1 and "" not in publications:
        return publications.pop()
    return NEUTRAL_TITLE


def channel_description(title: str) -> str:
    """The channel's description when none is configured; the neutral title is not "of" anything (pure)."""
    what = NEUTRAL_TITLE if title == NEUTRAL_TITLE else f"{NEUTRAL_TITLE} of {title}"
    return f"{what}, read aloud by an offline text-to-speech voice, with chapters and transcripts."


def article_title(article: ArticleEntry) -> str:
    """An episode title that is never empty."""
    return one_line(article.title) or f"Article {article.number}"


def edition_title(edition: PublishedEdition) -> str:
    """An edition title that is never empty."""
    return one_line(edition.manifest.title) or edition.manifest.slug


def article_summary(article: ArticleEntry, edition: str, most: int = 5) -> str:
    """An episode description when the article has no standfirst: where it is from, else what is in it (pure).

    A book or a one-article edition has the article's own title, so "X, from
    X." said nothing; its chapters say what the listener will hear.
    """
    title = article_title(article)
    if title.casefold() != edition.casefold():
        return f"{title}, from {edition}."
    names = [one_line(s.title) for s in article.sections if one_line(s.title) and one_line(s.title).casefold() != title.casefold()]
    if not names:
        return f"{title}, read aloud."
    more = len(names) - most
    listed = "; ".join(names[:most]) + (f"; and {more} more" if more > 0 else "")
    return f"{title}, read aloud. Chapters: {listed}."


def _article_item(fe: FeedEntry, edition: PublishedEdition, article: ArticleEntry, config: PublishConfig, author: str) -> None:
    base = config.base_url or ""
    m = edition.manifest
    fe.guid(episode_guid(m.publication, m.slug, article.slug), permalink=False)
    fe.title(article_title(article))
    description = one_line(article.standfirst or "") or article_summary(article, edition_title(edition))
    if article.authors:
        stop = "" if description[-1:] in ".!?…" else "."
        description += f"{stop} By " + ", ".join(one_line(a) for a in article.authors) + "."
    fe.description(description)
    fe.link(href=f"{base}/{quote(edition.folder)}/index.html#article-{article.number}")
    fe.enclosure(_url(base, edition.folder, article.file.path), str(article.file.size_bytes), "audio/mpeg")
    fe.pubDate(episode_date(edition, article.number, article.issue_date))
    fe.podcast.itunes_duration(_duration(article.duration_s))
    fe.podcast.itunes_episode(article.number)
    fe.podcast.itunes_episode_type("full")
    fe.podcast.itunes_author(", ".join(one_line(a) for a in article.authors) or author)
    if _has_artwork(edition):
        # Episode art: each edition's own cover, so old issues keep their look.
        fe.podcast.itunes_image(_url(base, edition.folder, m.cover.path))
    extras = edition.extras.get(article.number, {})
    ext: PodcastIndexEntryExtension = fe.podcastindex
    for kind, (mime, rel) in TRANSCRIPT_TYPES.items():
        if kind in extras:
            attrs = {"url": _url(base, edition.folder, extras[kind].path), "type": mime, "language": one_line(article.language)}
            if rel:
                attrs["rel"] = rel
            ext.transcripts.append(attrs)
    if "chapters_json" in extras:
        ext.chapters_url = _url(base, edition.folder, extras["chapters_json"].path)


def _edition_item(fe: FeedEntry, edition: PublishedEdition, config: PublishConfig, author: str) -> None:
    base = config.base_url or ""
    m = edition.manifest
    fe.guid(episode_guid(m.publication, m.slug, None), permalink=False)
    fe.title(f"{edition_title(edition)} (whole edition)")
    titles = "; ".join(article_title(a) for a in m.articles)
    fe.description(f"Every article of {edition_title(edition)} in one file: {titles}.")
    fe.link(href=f"{base}/{quote(edition.folder)}/index.html")
    fe.enclosure(_url(base, edition.folder, m.edition_file.path), str(m.edition_file.size_bytes), "audio/mpeg")
    # After the articles of its day, so date-sorted apps keep them together.
    fe.pubDate(episode_date(edition, len(m.articles) + 1))
    fe.podcast.itunes_duration(_duration(m.duration_s))
    fe.podcast.itunes_episode_type("bonus")
    fe.podcast.itunes_author(author)


def build_feed(editions: Sequence[PublishedEdition], config: PublishConfig) -> bytes:
    """The whole feed as UTF-8 bytes; the same editions and config always give the same bytes."""
    if not config.base_url:
        raise ValueError("build_feed needs config.base_url")
    base = config.base_url
    title = channel_title(editions, config)
    author = one_line(config.author or "") or title
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension)
    fg.title(title)
    # feedgen takes the channel <link> from the last link given, so the page goes last.
    fg.link(href=f"{base}/{FEED_NAME}", rel="self", type="application/rss+xml")
    fg.link(href=f"{base}/", rel="alternate")
    fg.description(
        one_line(config.description or "")
        or channel_description(title)
    )
    # The newest edition's language: a show that changes language follows its latest issue.
    fg.language(one_line(config.language or (editions[0].manifest.language if editions else "") or "en"))
    fg.generator("audiobook", version=_version)
    fg.podcast.itunes_author(author)
    cat, _, sub = clean(config.category).partition("/")
    category = {"cat": cat.strip()} | ({"sub": sub.strip()} if sub.strip() else {})
    fg.podcast.itunes_category(category)
    fg.podcast.itunes_type("episodic")
    if config.owner_email:
        fg.podcast.itunes_owner(name=author, email=one_line(config.owner_email))
    covers = [e for e in editions if _has_artwork(e)]
    if covers:
        image = _url(base, covers[0].folder, covers[0].manifest.cover.path)
        fg.podcast.itunes_image(image)
        fg.image(url=image, title=title, link=f"{base}/")
    fg.podcastindex.explicit = config.explicit
    fg.podcastindex.guid = podcast_guid(f"{base}/{FEED_NAME}")
    if editions:
        fg.lastBuildDate(max(_build_datetime(e.manifest.build_date) for e in editions))
    for edition in editions:
        for article in edition.articles:
            _article_item(fg.add_entry(order="append"), edition, article, config, author)
        if config.edition_items and edition.edition_file_ok:
            _edition_item(fg.add_entry(order="append"), edition, config, author)
    data: bytes = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    if not editions:
        # feedgen would stamp "now"; an empty feed has no build date at all.
        root = etree.fromstring(data)
        for node in root.iter("lastBuildDate"):
            node.getparent().remove(node)
        data = etree.tostring(root, pretty_print=True, encoding="UTF-8", xml_declaration=True)
    return data
