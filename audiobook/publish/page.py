"""The web pages: one per edition (players, chapters, live transcript) and the index of editions."""

from __future__ import annotations

import html
from collections.abc import Sequence
from importlib import resources
from urllib.parse import quote

from ..manifest import ArticleEntry, Cue, FileEntry, Manifest, SectionEntry
from .catalog import PublishedEdition
from .text import clean, clock, ms

PAGE_NAME = "index.html"
DOWNLOAD_LABELS = {"vtt": "WebVTT captions", "srt": "SRT captions", "transcript_json": "JSON transcript", "chapters_json": "Chapters (JSON)"}


def esc(text: str) -> str:
    """Text or attribute value, escaped for HTML (quotes too) and stripped of control characters."""
    return html.escape(clean(text), quote=True)


def href(path: str) -> str:
    """A relative link to a file in an edition folder, percent-encoded and escaped."""
    return esc(quote(path))


def _asset(name: str) -> str:
    return resources.files("audiobook.publish").joinpath("assets", name).read_text(encoding="utf-8")


def _head(title: str, language: str) -> list[str]:
    # Inline CSS and JS: a page opened from file:// or offline needs nothing else.
    return [
        "<!DOCTYPE html>",
        f'<html lang="{esc(language or "en")}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>\n{_asset('style.css')}</style>",
        "</head>",
        "<body>",
    ]


def _seconds_attr(seconds: float) -> str:
    return f"{ms(seconds) / 1000:.3f}"


def _seek_list(items: Sequence[tuple[float, str]], label: str) -> list[str]:
    out = [f'<nav aria-label="{esc(label)}">', '<ol class="chapters">']
    for start_s, title in items:
        out.append(
            f'<li><button type="button" class="seek" data-start="{_seconds_attr(start_s)}">'
            f'<span class="time">{clock(start_s)}</span> <span class="title">{esc(title)}</span></button></li>'
        )
    out += ["</ol>", "</nav>"]
    return out


def group_cues(sections: Sequence[SectionEntry], cues: Sequence[Cue]) -> list[tuple[str | None, list[Cue]]]:
    """Cues under the section they are heard in (the last section starting at or before them)."""
    groups: list[tuple[str | None, list[Cue]]] = [(s.title, []) for s in sections] or [(None, [])]
    for cue in cues:
        index = 0
        for i, section in enumerate(sections):
            if section.start_s <= cue.start_s + 0.0005:
                index = i
        groups[index][1].append(cue)
    return [g for g in groups if g[1]]


def _transcript(article: ArticleEntry, hid: str) -> list[str]:
    if not article.cues:
        return []
    out = [
        f'<section class="transcript" aria-labelledby="{hid}-t">',
        f'<h3 id="{hid}-t">Transcript</h3>',
        '<p class="hint">Select a sentence to listen from there. In the transcript, arrow keys move between sentences and Enter plays.</p>',
        '<div class="cues">',
    ]
    first = True
    groups = group_cues(article.sections, article.cues)
    for title, cues in groups:
        if title and len(groups) > 1:
            out.append(f"<h4>{esc(title)}</h4>")
        spans = []
        for cue in cues:
            tab = "0" if first else "-1"
            first = False
            spans.append(
                f'<span class="cue" role="button" tabindex="{tab}" data-start="{_seconds_attr(cue.start_s)}" '
                f'data-end="{_seconds_attr(cue.end_s)}">{esc(cue.text)}</span>'
            )
        out.append("<p>" + " ".join(spans) + "</p>")
    out += ["</div>", "</section>"]
    return out


def _article_block(article: ArticleEntry, extras: dict[str, FileEntry]) -> list[str]:
    hid = f"article-{article.number}"
    title = clean(article.title) or f"Article {article.number}"
    out = [
        f'<article class="player" id="{hid}" data-player lang="{esc(article.language)}" aria-labelledby="{hid}-h">',
        f'<h2 id="{hid}-h">{esc(title)}</h2>',
    ]
    if article.standfirst:
        out.append(f'<p class="standfirst">{esc(article.standfirst)}</p>')
    byline = []
    if article.authors:
        byline.append("By " + esc(", ".join(article.authors)))
    if article.translators:
        byline.append("Translated by " + esc(", ".join(article.translators)))
    byline.append(f"{clock(article.duration_s)} listening")
    out.append(f'<p class="byline">{" · ".join(byline)}</p>')
    out.append(
        f'<audio controls preload="metadata" src="{href(article.file.path)}" aria-label="Listen: {esc(title)}"></audio>'
    )
    links = [f'<a href="{href(article.file.path)}" download>MP3</a>']
    links += [f'<a href="{href(extras[k].path)}">{v}</a>' for k, v in DOWNLOAD_LABELS.items() if k in extras]
    out.append(f'<p class="downloads">Download: {" · ".join(links)}</p>')
    if article.sections:
        out.append(f'<h3 id="{hid}-c">Chapters</h3>')
        out += _seek_list([(s.start_s, s.title) for s in article.sections], f"Chapters of {title}")
    out += _transcript(article, hid)
    out.append("</article>")
    return out


def _edition_chapters(manifest: Manifest) -> list[tuple[float, str]]:
    items = []
    for article in manifest.articles:
        if article.sections:
            items.append((article.sections[0].edition_start_s, article.title))
    return items


def build_edition_page(manifest: Manifest, *, has_edition_file: bool = True, has_cover: bool = True) -> str:
    """The edition's page: a player for the whole edition and one per article, with chapters and transcript."""
    title = clean(manifest.title) or manifest.slug
    out = _head(f"{title} — audio edition", manifest.language)
    out.append('<a class="skip" href="#main">Skip to the players</a>')
    out.append('<header class="masthead">')
    if has_cover:
        out.append(f'<img src="{href(manifest.cover.path)}" alt="" width="120" height="120">')
    meta = [esc(manifest.publication)] if manifest.publication else []
    if manifest.issue_date:
        meta.append(f'<time datetime="{esc(manifest.issue_date)}">{esc(manifest.issue_date)}</time>')
    n = len(manifest.articles)
    meta.append(f"{n} article{'s' if n != 1 else ''}")
    meta.append(f"{clock(manifest.duration_s)} in all")
    out += [
        "<div>",
        '<p class="meta"><a href="../index.html">All editions</a></p>',
        f"<h1>{esc(title)}</h1>",
        f'<p class="meta">{" · ".join(meta)}</p>',
        "</div>",
        "</header>",
        '<main id="main" tabindex="-1">',
    ]
    if has_edition_file:
        out += [
            '<section class="player" id="whole-edition" data-player aria-labelledby="whole-edition-h">',
            '<h2 id="whole-edition-h">Whole edition</h2>',
            f'<audio controls preload="metadata" src="{href(manifest.edition_file.path)}" '
            f'aria-label="Listen to the whole edition: {esc(title)}"></audio>',
            f'<p class="downloads">Download: <a href="{href(manifest.edition_file.path)}" download>MP3</a>'
            f' · <a href="{href(manifest.playlist.path)}">Playlist (M3U)</a></p>',
        ]
        out += _seek_list(_edition_chapters(manifest), "Articles in the whole edition")
        out.append("</section>")
    for article in manifest.articles:
        out += _article_block(article, article.extras)
    out += ["</main>", f"<script>\n{_asset('player.js')}</script>", "</body>", "</html>", ""]
    return "\n".join(out)


def build_index_page(editions: Sequence[PublishedEdition], title: str, has_feed: bool, language: str = "en") -> str:
    """output/index.html: every edition, newest first, with its complete episodes."""
    out = _head(title, language)
    out.append('<a class="skip" href="#main">Skip to the editions</a>')
    out += ["<header>", f"<h1>{esc(title)}</h1>"]
    if has_feed:
        out.append('<p class="meta">Subscribe in a podcast app: <a href="feed.xml">podcast feed (RSS)</a></p>')
    out += ["</header>", '<main id="main" tabindex="-1">']
    if not editions:
        out.append("<p>No editions yet.</p>")
    for i, edition in enumerate(editions, 1):
        m = edition.manifest
        page = f"{quote(edition.folder)}/{PAGE_NAME}"
        out += [
            f'<section class="player" aria-labelledby="edition-{i}-h" lang="{esc(m.language)}">',
            f'<h2 id="edition-{i}-h"><a href="{esc(page)}">{esc(m.title or m.slug)}</a></h2>',
        ]
        meta = [esc(m.publication)] if m.publication else []
        meta.append(f'<time datetime="{esc(edition.date)}">{esc(edition.date)}</time>')
        meta.append(f"{clock(m.duration_s)} in all")
        out.append(f'<p class="meta">{" · ".join(meta)}</p>')
        out.append(f'<ol class="episodes" aria-label="Articles in {esc(m.title or m.slug)}">')
        for article in edition.articles:
            out.append(
                f'<li><a href="{esc(page)}#article-{article.number}">{esc(article.title)}</a> '
                f'<span class="time">({clock(article.duration_s)})</span></li>'
            )
        out += ["</ol>", "</section>"]
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)
