"""Any text at all survives publishing: escaped where it is written, read back as it was."""

from __future__ import annotations

import html
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from audiobook.manifest import ArticleEntry, Cue, FileEntry, Manifest, SectionEntry
from audiobook.publish.catalog import PublishedEdition
from audiobook.publish.chapters import build_chapters_json
from audiobook.publish.config import PublishConfig
from audiobook.publish.feed import build_feed
from audiobook.publish.page import build_edition_page
from audiobook.publish.text import clean, one_line
from audiobook.publish.transcript import build_srt, build_transcript_json, build_vtt
from test_publish_page import _Page

# Everything Unicode has, with markup and caption syntax made likely.
PIECES = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=8),
    st.sampled_from(["<", ">", "&", "-->", "]]>", "\n", "\n\n", "\x00", '"', "</script>", "<!--", "&amp;", " "]),
)
TEXT = st.lists(PIECES, max_size=10).map("".join)
FILE = FileEntry("01-a.mp3", 10, "0" * 64)


def _article(title: str, text: str) -> ArticleEntry:
    return ArticleEntry(
        1, "a", title, text, (text,), (), "en", "2024-01-01", 9.0, FILE,
        (SectionEntry("c0", title, 0.0, 4.0, 0.0, 4.0), SectionEntry("c1", text, 4.0, 9.0, 4.0, 9.0)),
        (Cue(0.0, 1.0, text), Cue(1.5, 3.0, title)),
    )


def _manifest(title: str, text: str) -> Manifest:
    return Manifest("ed", title, text, "2024-01-01", "en", "2024-01-01T00:00:00Z", "t", {}, 9.0, FILE, FILE, FILE,
                    (_article(title, text),))


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXT, max_size=6))
def test_captions_read_back_as_written(texts: list[str]) -> None:
    cues = [Cue(i, i + 0.5, t) for i, t in enumerate(texts)]
    expected = [one_line(t) for t in texts if one_line(t)]
    vtt = build_vtt(cues)
    blocks = vtt.split("\n\n")
    assert blocks[0] == "WEBVTT" if expected else vtt == "WEBVTT\n"
    # Captions of at most two lines of 42 characters, holding every character of the sentences in order.
    captions = [[line for line in b.split("\n")[2:] if line] for b in blocks[1:]]
    assert all(1 <= len(c) <= 2 for c in captions)
    lines = [line for c in captions for line in c]
    assert all("<" not in line and "-->" not in line for line in lines)
    assert all(len(html.unescape(line)) <= 42 for line in lines)
    assert "".join(html.unescape(line) for line in lines).replace(" ", "") == "".join(expected).replace(" ", "")
    srt_lines = [line for b in build_srt(cues).split("\n\n") if b for line in b.split("\n")[2:] if line]
    assert srt_lines == [line for line in lines if line]
    body = build_transcript_json(cues)
    assert "<" not in body and "&" not in body
    assert [s["body"] for s in json.loads(body)["segments"]] == expected


@settings(max_examples=100, deadline=None)
@given(TEXT, TEXT)
def test_chapter_titles_read_back_exactly(a: str, b: str) -> None:
    sections = [SectionEntry("c0", a, 0, 1, 0, 1), SectionEntry("c1", b, 1, 2, 1, 2)]
    text = build_chapters_json(sections)
    assert "<" not in text and ">" not in text
    assert [c["title"] for c in json.loads(text)["chapters"]] == [a, b]


@settings(max_examples=100, deadline=None)
@given(TEXT, TEXT)
def test_feed_holds_any_title(title: str, text: str) -> None:
    manifest = _manifest(title, text)
    edition = PublishedEdition("ed", manifest, manifest.articles, {1: {}}, True, True)
    feed = build_feed([edition], PublishConfig(base_url="https://example.org"))
    item = etree.fromstring(feed).find("channel/item")
    assert item.findtext("title") == (one_line(title) or "Article 1")
    assert b"<script" not in feed and b"]]>" not in feed


@settings(max_examples=100, deadline=None)
@given(TEXT, TEXT)
def test_page_holds_any_text(title: str, text: str) -> None:
    page_html = build_edition_page(_manifest(title, text))
    assert page_html.count("<script") == 1
    page = _Page()
    page.feed(page_html)
    # The article heading reads as the title, whatever it holds.
    headings = [t for tag, t in page.text if tag == "h2"]
    assert headings[0] == "Whole edition"
    assert "".join(headings[1:]) == (clean(title) or "Article 1")
    assert re.search(r"<script>(.*)</script>", page_html, re.S)
