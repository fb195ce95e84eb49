"""publish_edition's files and the pages: escaped, accessible, self-contained, readable contrast."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

from audiobook.manifest import read_manifest
from audiobook.publish import publish_site
from audiobook.publish.catalog import file_is_complete
from audiobook.publish.transcript import caption_cues
from test_publish_support import HOSTILE, make_edition, publish_built


class _Page(HTMLParser):
    """Collect tags with attributes, and text per tag, to check a page as a browser parses it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[tuple[str, str]] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self._stack and self._stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.text.append((self._stack[-1] if self._stack else "", data))

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_publish_edition_writes_extras_and_records_them(tmp_path: Path) -> None:
    manifest = make_edition(tmp_path)
    folder = tmp_path / manifest.slug
    from audiobook.publish import publish_edition

    published = publish_edition(manifest, folder)
    assert manifest.articles[0].extras == {}
    for article in published.articles:
        assert set(article.extras) == {"vtt", "srt", "transcript_json", "chapters_json"}
        stem = article.file.path.removesuffix(".mp3")
        assert article.extras["vtt"].path == f"{stem}.vtt"
        assert article.extras["chapters_json"].path == f"{stem}.chapters.json"
        assert all(file_is_complete(folder, e) for e in article.extras.values())
        chapters = json.loads((folder / article.extras["chapters_json"].path).read_text(encoding="utf-8"))
        assert [(c["startTime"], c["title"]) for c in chapters["chapters"]] == [
            (round(s.start_s, 3), s.title) for s in article.sections
        ]
        vtt = (folder / article.extras["vtt"].path).read_text(encoding="utf-8")
        assert vtt.count(" --> ") == len(caption_cues(article.cues)) >= len(article.cues)
    # Same input, same bytes: a rebuild does not churn the extras.
    assert publish_edition(manifest, folder) == published
    published.write(folder)
    assert read_manifest(folder / "edition.json") == published


def test_edition_page_is_escaped_accessible_and_self_contained(tmp_path: Path) -> None:
    manifest = publish_built(tmp_path, title=f"Issue {HOSTILE}", article_titles=(HOSTILE, "Plain"))
    path = tmp_path / manifest.slug / "index.html"
    html = path.read_text(encoding="utf-8")
    assert html.count("<script") == 1 and "alert('x')</script>" not in html and "]]>" not in html
    assert "http://" not in html and "https://" not in html, "no external resources"
    assert len(html.encode()) < 40_000

    page = _parse(path)
    assert page.find("html")[0]["lang"] == "en"
    assert page.find("a", class_="skip")[0]["href"] == "#main"
    assert page.find("main")[0]["id"] == "main"
    h1 = [t for tag, t in page.text if tag == "h1"]
    assert h1 == [f"Issue {HOSTILE}"]
    h2 = [t for tag, t in page.text if tag == "h2"]
    assert h2 == ["Whole edition", HOSTILE, "Plain"]

    audios = page.find("audio")
    assert [a["src"] for a in audios] == [manifest.edition_file.path] + [a.file.path for a in manifest.articles]
    assert all(a["aria-label"] and "controls" in a for a in audios)
    assert audios[1]["aria-label"] == f"Listen: {HOSTILE}"

    buttons = page.find("button", class_="seek")
    article_starts = [f"{s.start_s:.3f}" for a in manifest.articles for s in a.sections]
    edition_starts = [f"{a.sections[0].edition_start_s:.3f}" for a in manifest.articles]
    assert [b["data-start"] for b in buttons] == edition_starts + article_starts
    assert all(b["type"] == "button" for b in buttons)

    cues = page.find("span", class_="cue")
    assert len(cues) == sum(len(a.cues) for a in manifest.articles)
    assert all(c["role"] == "button" for c in cues)
    tabbable = [c for c in cues if c["tabindex"] == "0"]
    assert len(tabbable) == len(manifest.articles), "one tab stop per transcript (roving tabindex)"
    cue_texts = [t for tag, t in page.text if tag == "span" and t.startswith("Sentence")]
    assert cue_texts == [c.text for a in manifest.articles for c in a.cues]


def test_index_page_lists_editions_newest_first(tmp_path: Path) -> None:
    publish_built(tmp_path)
    publish_built(tmp_path, slug="the-weekly-2024-03-08", title="The Weekly, 8 <March>", issue_date="2024-03-08")
    publish_site(tmp_path, "https://example.org")
    page = _parse(tmp_path / "index.html")
    links = [a["href"] for a in page.find("a")]
    assert links[0] == "#main"
    assert "feed.xml" in links
    editions = [h for h in links if h and h.endswith("/index.html")]
    assert editions == ["the-weekly-2024-03-08/index.html", "the-weekly-2024-03-01/index.html"]
    assert "the-weekly-2024-03-01/index.html#article-2" in links
    assert ("a", "The Weekly, 8 <March>") in page.text


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_every_text_colour_pair_meets_wcag_aa() -> None:
    css = resources.files("audiobook.publish").joinpath("assets", "style.css").read_text(encoding="utf-8")
    blocks = re.findall(r":root\s*{([^}]*)}", css)
    assert len(blocks) == 2, "light and dark palettes"
    pairs = [("fg", "bg"), ("muted", "bg"), ("link", "bg"), ("fg", "panel"), ("fg", "hover"), ("now-fg", "now"),
             ("muted", "panel")]
    for block in blocks:
        colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", block))
        for fg, bg in pairs:
            ratio = _contrast(colours[fg], colours[bg])
            assert ratio >= 4.5, f"{fg} on {bg}: {ratio:.2f}"
        # The focus ring must stand out from the page (WCAG 1.4.11: 3:1 for UI).
        assert _contrast(colours["focus"], colours["bg"]) >= 3


def test_transcript_layout_recovers_headings_and_paragraphs() -> None:
    from audiobook.manifest import Cue, SectionEntry
    from audiobook.publish.page import TranscriptSection, layout_transcript, paragraph_gap_s

    assert paragraph_gap_s({"pauses": {"sentence_ms": 300, "paragraph_ms": 700}}) == 0.5
    assert paragraph_gap_s({"pauses": {"sentence_ms": 200, "paragraph_ms": 1000}}) == 0.6
    assert paragraph_gap_s({}) == 0.5
    sections = (SectionEntry("c0", "Lost youth", 0, 10, 0, 10), SectionEntry("c1", "Part two", 10, 20, 10, 20))
    heading = Cue(0.0, 0.5, "Lost  youth")
    a, b = Cue(1.3, 3.0, "A."), Cue(3.3, 5.0, "B.")  # 0.3 s apart: one paragraph
    c = Cue(5.7, 9.0, "C.")  # 0.7 s after B: a new paragraph
    d = Cue(10.0, 12.0, "Not the title.")
    assert layout_transcript(sections, (heading, a, b, c, d), 0.5) == [
        TranscriptSection("Lost youth", heading, ((a, b), (c,))),
        TranscriptSection("Part two", None, ((d,),)),
    ]
    # The first chapter starts at 0 s, so the article's title and standfirst come before its spoken heading.
    title, standfirst = Cue(0.0, 1.0, "Losing Momentum"), Cue(1.7, 4.0, "Tom Watson says.")
    bus, e = Cue(4.8, 5.5, "1. The Bus"), Cue(6.3, 8.0, "The bus leaves.")
    assert layout_transcript(sections[:1], (title, standfirst, bus, e), 0.5) == [
        TranscriptSection("Lost youth", None, ((title,), (standfirst,), (bus,), (e,))),
    ]
    first = (SectionEntry("c0", "1. The Bus", 0, 10, 0, 10),)
    assert layout_transcript(first, (title, standfirst, bus, e), 0.5) == [
        TranscriptSection("1. The Bus", bus, ((e,),), lead=((title,), (standfirst,))),
    ]
    # No sections at all: everything in one untitled part.
    assert layout_transcript((), (a, b), 0.5) == [TranscriptSection(None, None, ((a, b),))]


def test_language_attributes() -> None:
    from audiobook.publish.page import lang_attrs

    assert lang_attrs("en") == 'lang="en"'
    assert lang_attrs("ar") == 'lang="ar" dir="rtl"'
    assert lang_attrs("he-IL") == 'lang="he-IL" dir="rtl"'
    assert lang_attrs('x"><script>') == 'lang="x&quot;&gt;&lt;script&gt;"'
    assert lang_attrs(None) == 'lang="en"'


def test_non_ascii_folder_names_are_percent_encoded(tmp_path: Path) -> None:
    from lxml import etree

    publish_built(tmp_path, slug="été 2024", title="Été")
    publish_site(tmp_path, "https://example.org")
    item = next(etree.fromstring((tmp_path / "feed.xml").read_bytes()).iter("item"))
    assert item.find("enclosure").get("url") == "https://example.org/%C3%A9t%C3%A9%202024/01-article-1.mp3"
    links = [a["href"] for a in _parse(tmp_path / "index.html").find("a")]
    assert "%C3%A9t%C3%A9%202024/index.html" in links



def _landmark_names(html_text: str) -> list[str]:
    """Accessible names of the page's sections and navs, from aria-label or aria-labelledby's headings."""
    import html as html_lib

    headings = {m[0]: html_lib.unescape(re.sub("<[^>]+>", "", m[1])) for m in re.findall(r'<h\d id="([^"]+)">(.*?)</h\d>', html_text)}
    names = []
    for tag in re.findall(r"<(?:section|nav)\b[^>]*>", html_text):
        if m := re.search(r'aria-labelledby="([^"]+)"', tag):
            names.append(" ".join(headings[i] for i in m[1].split()))
        elif m := re.search(r'aria-label="([^"]+)"', tag):
            names.append(html_lib.unescape(m[1]))
    return names


def test_landmarks_have_unique_names(tmp_path: Path) -> None:
    manifest = publish_built(tmp_path, article_titles=("Rivers", "The quiet year", "Rivers again"))
    names = _landmark_names((tmp_path / manifest.slug / "index.html").read_text(encoding="utf-8"))
    assert "Transcript Rivers" in names and "Transcript The quiet year" in names  # was "Transcript" three times
    assert len(names) == len(set(names)) == 1 + 1 + 3 * 2  # whole edition and its list; chapters and transcript per article


def test_an_undated_edition_shows_no_date(tmp_path: Path) -> None:
    publish_built(tmp_path, issue_date=None, build_date="2024-05-06T23:59:00Z")
    publish_site(tmp_path, "https://example.org")
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "2024-05-06" not in index and "<time" not in index
    publish_built(tmp_path, slug="dated", issue_date="2024-03-08")
    publish_site(tmp_path, "https://example.org")
    assert '<time datetime="2024-03-08">2024-03-08</time>' in (tmp_path / "index.html").read_text(encoding="utf-8")
