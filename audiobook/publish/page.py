"""The web pages: one per edition (players, chapters, live transcript) and the index of editions."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import quote

from ..manifest import ArticleEntry, Cue, FileEntry, Manifest, SectionEntry
from .catalog import PublishedEdition
from .text import clean, clock, ms, one_line

PAGE_NAME = "index.html"
DOWNLOAD_LABELS = {
    "vtt": "WebVTT captions",
    "srt": "SRT captions",
    "transcript_json": "JSON transcript",
    "chapters_json": "Chapters (JSON)",
}


def esc(text: str) -> str:
    """Text or attribute value, escaped for HTML (quotes too) and stripped of control characters."""
    return html.escape(clean(text), quote=True)


def href(path: str) -> str:
    """A relative link to a file in an edition folder, percent-encoded and escaped."""
    return esc(quote(path))


# Languages written right to left: their text needs dir="rtl" to read and align correctly.
RTL_LANGUAGES = frozenset({"ar", "arc", "dv", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi"})


def lang_attrs(language: str | None) -> str:
    """lang (and dir for right-to-left scripts) attributes for an element holding text in `language`."""
    code = (language or "en").strip() or "en"
    rtl = code.lower().replace("_", "-").split("-")[0] in RTL_LANGUAGES
    return f'lang="{esc(code)}"' + (' dir="rtl"' if rtl else "")


def _asset(name: str) -> str:
    return resources.files("audiobook.publish").joinpath("assets", name).read_text(encoding="utf-8")


def _head(title: str, language: str) -> list[str]:
    # Inline CSS and JS: a page opened from file:// or offline needs nothing else.
    return [
        "<!DOCTYPE html>",
        f"<html {lang_attrs(language)}>",
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


@dataclass(frozen=True)
class TranscriptSection:
    """How one section's cues are laid out: what comes before its spoken heading, the heading, then paragraphs."""

    title: str | None
    heading_cue: Cue | None  # the cue that speaks the title, shown as the heading itself
    paragraphs: tuple[tuple[Cue, ...], ...]
    # Heard before the heading in the same chapter: the article's title and
    # standfirst when the first chapter starts at 0 s.
    lead: tuple[tuple[Cue, ...], ...] = ()


DEFAULT_PARAGRAPH_GAP_S = 0.5
HEADING_SEARCH = 4


def paragraph_gap_s(voice: dict[str, Any]) -> float:
    """The silence that separates paragraphs: halfway between the sentence and paragraph pauses.

    The manifest has no paragraph marks, but the voice's pauses put them in
    the timing, so the page can show the text in paragraphs again.
    """
    pauses = voice.get("pauses") if isinstance(voice, dict) else None
    try:
        return (float(pauses["sentence_ms"]) + float(pauses["paragraph_ms"])) / 2000  # type: ignore[index]
    except (TypeError, KeyError, ValueError):
        return DEFAULT_PARAGRAPH_GAP_S


def layout_transcript(sections: Sequence[SectionEntry], cues: Sequence[Cue], gap_s: float) -> list[TranscriptSection]:
    """Cues under the section they are heard in (the last one starting at or before them), in paragraphs."""
    grouped: list[list[Cue]] = [[] for _ in sections] or [[]]
    for cue in cues:
        index = 0
        for i, section in enumerate(sections):
            if section.start_s <= cue.start_s + 0.0005:
                index = i
        grouped[index].append(cue)
    layout = []
    for i, group in enumerate(grouped):
        if not group:
            continue
        title = sections[i].title if sections else None
        heading_cue, lead = None, []
        if title is not None:
            key = one_line(title).casefold()
            # The heading is spoken within the first few cues (after the article's title and standfirst at most).
            for k, cue in enumerate(group[:HEADING_SEARCH]):
                if one_line(cue.text).casefold() == key:
                    heading_cue, lead, group = cue, group[:k], group[k + 1 :]
                    break
        layout.append(TranscriptSection(title, heading_cue, _paragraphs(group, gap_s), _paragraphs(lead, gap_s)))
    return layout


def _paragraphs(cues: Sequence[Cue], gap_s: float) -> tuple[tuple[Cue, ...], ...]:
    paragraphs: list[list[Cue]] = []
    for cue in cues:
        if not paragraphs or cue.start_s - paragraphs[-1][-1].end_s >= gap_s - 0.0005:
            paragraphs.append([])
        paragraphs[-1].append(cue)
    return tuple(tuple(p) for p in paragraphs)


def _cue_span(cue: Cue, tabindex: str) -> str:
    return (
        f'<span class="cue" role="button" tabindex="{tabindex}" data-start="{_seconds_attr(cue.start_s)}" '
        f'data-end="{_seconds_attr(cue.end_s)}">{esc(cue.text)}</span>'
    )


def _transcript(article: ArticleEntry, hid: str, gap_s: float) -> list[str]:
    if not article.cues:
        return []
    out = [
        # Named "Transcript" and the article's title: a page of several articles has one such region each,
        # and landmarks must be told apart by name (axe landmark-unique).
        f'<section class="transcript" aria-labelledby="{hid}-t {hid}-h">',
        f'<h3 id="{hid}-t">Transcript</h3>',
        '<p class="hint">Select a sentence to listen from there. In the transcript, arrow keys move between sentences and Enter plays.</p>',
        '<div class="cues">',
    ]
    tabindex = "0"  # roving tabindex: the transcript is one tab stop, arrows move within
    layout = layout_transcript(article.sections, article.cues, gap_s)
    # The spoken article title is a heading whether or not the first chapter is named after it
    # (else one article's title was an h4 and the next one's a paragraph).
    title_key = one_line(article.title).casefold()
    title_pending = bool(title_key)

    def paragraph_html(paragraph: tuple[Cue, ...]) -> None:
        nonlocal tabindex, title_pending
        if title_pending and paragraph and one_line(paragraph[0].text).casefold() == title_key:
            out.append(f"<h4>{_cue_span(paragraph[0], tabindex)}</h4>")
            tabindex, paragraph = "-1", paragraph[1:]
        title_pending = False  # only the first thing heard can be the title
        if paragraph:
            out.append("<p>" + " ".join(_cue_span(c, tabindex if i == 0 else "-1") for i, c in enumerate(paragraph)) + "</p>")
            tabindex = "-1"

    for part in layout:
        for paragraph in part.lead:
            paragraph_html(paragraph)
        if part.heading_cue is not None:
            title_pending = False
            out.append(f"<h4>{_cue_span(part.heading_cue, tabindex)}</h4>")
            tabindex = "-1"
        elif part.title and len(layout) > 1:
            out.append(f"<h4>{esc(part.title)}</h4>")
        for paragraph in part.paragraphs:
            paragraph_html(paragraph)
    out += ["</div>", "</section>"]
    return out


def _article_block(article: ArticleEntry, extras: dict[str, FileEntry], gap_s: float) -> list[str]:
    hid = f"article-{article.number}"
    title = clean(article.title) or f"Article {article.number}"
    out = [
        f'<article class="player" id="{hid}" data-player {lang_attrs(article.language)} aria-labelledby="{hid}-h">',
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
    out += _transcript(article, hid, gap_s)
    out.append("</article>")
    return out


def _edition_chapters(manifest: Manifest) -> list[tuple[float, str]]:
    items = []
    for article in manifest.articles:
        if article.sections:
            items.append((article.sections[0].edition_start_s, clean(article.title) or f"Article {article.number}"))
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
            f' · <a href="{href(manifest.playlist.path)}">Playlist (M3U)</a>'
            + "".join(f' · <a href="{href(e.path)}" download>{esc(k.upper())} audiobook</a>' for k, e in sorted(manifest.packages.items()))
            + "</p>",
        ]
        out.append("<h3>Articles</h3>")
        out += _seek_list(_edition_chapters(manifest), "Articles in the whole edition")
        out.append("</section>")
    for article in manifest.articles:
        out += _article_block(article, article.extras, paragraph_gap_s(manifest.voice))
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
            f'<section class="player" aria-labelledby="edition-{i}-h" {lang_attrs(m.language)}>',
            f'<h2 id="edition-{i}-h"><a href="{esc(page)}">{esc(m.title or m.slug)}</a></h2>',
        ]
        meta = [esc(m.publication)] if m.publication else []
        if m.issue_date:  # an undated edition shows no date: its build date is not when it was published
            meta.append(f'<time datetime="{esc(m.issue_date)}">{esc(m.issue_date)}</time>')
        meta.append(f"{clock(m.duration_s)} in all")
        out.append(f'<p class="meta">{" · ".join(meta)}</p>')
        out.append(f'<ol class="episodes" aria-label="Articles in {esc(m.title or m.slug)}">')
        for article in edition.articles:
            out.append(
                f'<li><a href="{esc(page)}#article-{article.number}">{esc(article.title or f"Article {article.number}")}</a> '
                f'<span class="time">({clock(article.duration_s)})</span></li>'
            )
        out += ["</ol>", "</section>"]
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)
