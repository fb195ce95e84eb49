"""The web page reader: structure, metadata, what is not read, nothing lost, hostile pages."""

from __future__ import annotations

import collections
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from audiobook.errors import InputError
from audiobook.ingest import html as html_reader
from audiobook.ingest.html import read_html

from conftest import FIXTURES

HTML = FIXTURES / "html"
WIKINEWS = HTML / "wikinews-lighthouse.html"
NEWS = HTML / "news-site-article.html"
WORDPRESS = HTML / "wordpress-post.html"
WIKIPEDIA = HTML / "wikipedia-vector-2022.html"


def plan(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audiobook", "plan", "--json", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=120,
    )


def plan_json(*paths: Path) -> dict[str, Any]:
    done = plan(*map(str, paths))
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def spoken_and_listed(result: dict[str, Any]) -> collections.Counter[str]:
    """Every word the plan accounts for: titles, standfirsts, authors, section texts, not-read texts."""
    found: collections.Counter[str] = collections.Counter()
    for article in result["articles"]:
        found.update(words(article["title"]))
        found.update(words(article["standfirst"] or ""))
        found.update(w for name in article["authors"] for w in words(name))
        for section in article["sections"]:
            found.update(words(section["title"]))
            found.update(words(section["text"]))
    for item in result["not_read"]:
        found.update(words(item["text"]))
    return found


def reasons(result: dict[str, Any]) -> dict[str, list[str]]:
    by_reason: dict[str, list[str]] = collections.defaultdict(list)
    for item in result["not_read"]:
        # A group of one repeated text ("[edit]" ×3) stands for each of them.
        by_reason[item["reason"]].extend([item["text"]] * item["count"])
    return by_reason


def all_section_text(result: dict[str, Any]) -> str:
    return "\n".join(s["text"] for a in result["articles"] for s in a["sections"])


# --- a Wikinews page saved from the browser ---------------------------------------------------


def test_wikinews_page_structure_and_metadata() -> None:
    result = plan_json(WIKINEWS)
    [article] = result["articles"]
    title = "Volunteers restore nineteenth-century lighthouse lens in Cornwall"
    assert article["title"] == title
    assert [s["title"] for s in article["sections"]] == [title, "Restoration work", "Reactions", "Sources"]
    assert article["sections"][0]["announce_title"] is False
    assert article["authors"] == ["Wikinews contributors"]
    assert article["publication"] == "Wikinews"
    assert article["issue_date"] == "2024-03-12"
    assert article["language"] == "en"
    assert article["sections"][1]["text"].startswith("The volunteers cleaned each prism by hand")
    assert "Margaret Penrose" in article["sections"][1]["text"]
    assert article["sections"][1]["text"].endswith("raised by the local history society.")
    # The first paragraph starts on line 47 of the saved page.
    assert article["sections"][0]["line"] == 47


def test_wikinews_page_boilerplate_is_listed_not_read() -> None:
    result = plan_json(WIKINEWS)
    spoken = all_section_text(result)
    listed = reasons(result)
    for never in ("cookies", "Jump to", "edit", "Share this", "Related news", "Retrieved from", "Categories",
                  "Navigation menu", "last edited", "RLQ", "From Wikinews", "lantern room.", "concentric rings"):
        assert never not in spoken, never
    assert any("We use cookies" in t for t in listed["cookie banner"])
    assert listed["share buttons"] == ["Share this: Facebook Twitter Reddit"]
    assert listed["image caption"] == ["The restored first-order lens before it was lifted back into the lantern room."]
    assert listed["image description"] == ["A tall glass lens made of concentric rings"]
    assert listed["edit link"] == ["[edit]"] * 3
    assert listed["date"] == ["Tuesday, March 12, 2024"]
    assert any("Related news" in t for t in listed["aside"])
    assert any("Navigation menu" in t for t in listed["navigation"])
    assert any("Creative Commons" in t for t in listed["footer"])
    assert any("wgBackendResponseTime" in t for t in listed["script"])
    assert listed["topic tags"] == ["Categories: March 12, 2024 Published Cornwall Heritage"]


def test_wikipedia_page_in_the_2022_skin() -> None:
    result = plan_json(WIKIPEDIA)
    [article] = result["articles"]
    assert article["title"] == "Ferry Lane Signal Box"
    assert [s["title"] for s in article["sections"]] == ["Ferry Lane Signal Box", "History", "Restoration"]
    spoken = all_section_text(result)
    assert spoken.startswith("Ferry Lane Signal Box is a disused railway signal box")
    assert "sidings of the goods yard." in spoken and "[1]" not in spoken  # citation marks are not read
    assert spoken.endswith("The box now opens to visitors on summer weekends.")
    listed = reasons(result)
    assert listed["note reference"] == ["[1]", "[2]"]
    assert listed["toolbar"] == ["Article Talk Read Edit View history"]
    assert listed["navigation"][0] == "Jump to content" and "Add languages" in listed["navigation"]
    assert any(t.startswith("^ Branch line history society") for t in listed["references"])
    assert listed["aside"] == ["Ferry Lane Signal Box Built 1894 Closed 1979"]  # the infobox
    assert listed["hidden text"][0] == "Disused railway signal box in England"
    for never in ("needs additional citations", "Add languages", "View history", "Harbour Junction", "Categories",
                  "last edited", "From Wikipedia"):
        assert never not in spoken, never


# --- a news site article: standfirst, byline, JSON-LD authors, comments -----------------------


def test_news_site_article() -> None:
    result = plan_json(NEWS)
    [article] = result["articles"]
    assert article["title"] == "The night buses that keep a city moving"
    assert article["standfirst"].startswith("Between midnight and five, a different city rides the buses")
    assert [s["title"] for s in article["sections"]] == [
        "The night buses that keep a city moving",
        "The shift workers",
        "What the money buys: Drivers",  # h2 straight followed by h3: one chapter mark
        "Safety",
    ]
    assert article["authors"] == ["Ada Okafor", "Luis Fernández"]
    assert article["publication"] == "The Harbour Review"
    assert article["issue_date"] == "2025-01-17"
    assert article["language"] == "en"  # <html lang="en-GB">
    assert article["sections"][-1]["text"].endswith("the city's day shift takes over.")
    listed = reasons(result)
    assert listed["byline"] == ["By Ada Okafor and Luis Fernández"]
    assert listed["comments"] == ["Comments (2) I rode the N29 for years. Brilliant piece. More of this, please."]
    assert listed["image caption"] == ["The N29 at its first stop. Photograph: Sam Reyes"]
    assert listed["subscription prompt"] == ["Get the Long Read every Saturday Sign up to our newsletter. Sign up"]
    assert any("cookies" in t for t in listed["cookie banner"])
    assert listed["share buttons"] == ["Share on Facebook Share on X Copy link"]
    assert listed["navigation"][:2] == ["Skip to main content", "Long reads › Cities"]
    for never in ("Read more", "Sign up", "Photograph", "Comments", "All rights reserved", "Accept"):
        assert never not in all_section_text(result), never


def test_inline_notes_do_not_split_paragraphs_and_double_breaks_do() -> None:
    page = (b"<html><body><h1>T</h1><p>Line one<br>still one<br> <br>Second<sup><a href='#fn1'>1</a></sup> end "
            b"[<a href='#n3'>3</a>].</p><h2>Chapter 1</h2><h3>Chapter 1</h3><p>x <img alt='smile'> y</p></body></html>")
    [article], not_read = read_html(page, "p.html")
    assert [(s.title, [p.text for p in s.paragraphs]) for s in article.sections] == [
        ("T", ["Line one still one", "Second end."]),
        ("Chapter 1", ["x y"]),  # the same title twice in a row is said once
    ]
    assert [(n.reason, n.text) for n in not_read] == [
        ("note reference", "1"), ("note reference", "3"), ("image description", "smile")]


def test_wordpress_post() -> None:
    result = plan_json(WORDPRESS)
    [article] = result["articles"]
    assert article["title"] == "Keeping bees on a city roof"
    assert [s["title"] for s in article["sections"]] == [
        "Keeping bees on a city roof", "Choosing the spot", "The first honey"]
    assert (article["authors"], article["publication"], article["issue_date"], article["language"]) == (
        ["Priya Nair"], "Allotment Notes", "2023-06-02", "en")
    assert article["sections"][-1]["text"].endswith("a garden two streets away.")
    assert [(n["reason"], n["text"]) for n in result["not_read"]] == [
        ("navigation", "Skip to content"),
        ("page header", "Allotment Notes Growing food in small spaces Home About"),
        ("byline", "Posted on 2 June 2023 by Priya Nair"),
        ("image description", "A white beehive beside a brick chimney"),
        ("image caption", "Our hive in its first spring."),
        ("share buttons", "Share this: Facebook Email"),
        ("related links", "Related Winter feeding for small colonies"),
        ("footer", "Posted in BeesTagged urban"),
        ("comments", "One thought on “Keeping bees on a city roof” Lovely to read. Did the neighbours mind? "
                     "Leave a Reply Comment"),
        ("aside", "Search for: Recent Posts Winter feeding for small colonies"),
        ("footer", "Proudly powered by WordPress"),
    ]


def test_byline_gives_authors_when_the_page_has_no_metadata() -> None:
    page = (b"<html><body><article><h1>Tide tables</h1><p class='byline'>By Ann Lee and Bo Chan</p>"
            b"<p>The tide turns twice a day.</p></article></body></html>")
    [article], not_read = read_html(page, "tide.html")
    assert article.authors == ("Ann Lee", "Bo Chan")
    assert [(n.reason, n.text) for n in not_read] == [("byline", "By Ann Lee and Bo Chan")]


# --- nothing is lost ------------------------------------------------------------------------


@pytest.mark.parametrize("page, content", [(WIKINEWS, "main"), (NEWS, "main"), (WORDPRESS, "#page"), (WIKIPEDIA, "body")])
def test_every_word_of_the_main_content_is_read_or_listed(page: Path, content: str) -> None:
    result = plan_json(page)
    tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
    node = tree.css_first(content)
    assert node is not None
    expected = collections.Counter(words(node.text(separator=" ")))
    found = spoken_and_listed(result)
    # Inline runs with no space between them ("Bees</span><span>Tagged") are one word to a
    # reader but two to this count: those must still be there, inside a longer word.
    glued = " ".join(found)
    missing = [w for w in expected - found if w not in glued]
    assert not missing, f"lost words: {sorted(missing)}"


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A page of random blocks (text, headings, boilerplate), each word unique, and all body words."""
    counter = iter(range(10**6))

    def text(max_words: int) -> str:
        n = draw(st.integers(1, max_words))
        return " ".join(f"w{next(counter)}" for _ in range(n))

    parts: list[str] = []
    body_words: list[str] = []
    kinds = st.sampled_from(["p", "p", "p", "inline", "h1", "h2", "h3", "h4", "nav", "aside", "figure",
                             "share", "script", "li", "quote", "br", "img", "hidden", "brbr"])
    for kind in draw(st.lists(kinds, min_size=1, max_size=25)):
        words_ = text(12)
        if kind == "inline":
            a, b = text(3), text(3)
            fragment = f"<p>{words_} <b>{a}</b><a href='#'> {b}</a></p>"
            words_ = f"{words_} {a} {b}"
        elif kind in ("h1", "h2", "h3", "h4", "p"):
            fragment = f"<{kind}>{words_}</{kind}>"
        elif kind == "nav":
            fragment = f"<nav><ul><li>{words_}</li></ul></nav>"
        elif kind == "aside":
            fragment = f"<aside><p>{words_}</p></aside>"
        elif kind == "figure":
            fragment = f"<figure><img src='x.jpg'><figcaption>{words_}</figcaption></figure>"
        elif kind == "share":
            fragment = f"<div class='share-buttons'>{words_}</div>"
        elif kind == "script":
            fragment = f"<script>var x = '{words_}';</script>"
        elif kind == "li":
            fragment = f"<ul><li>{words_}</li><li>{text(4)}</li></ul>"
            words_ = fragment.replace("<ul><li>", "").replace("</li><li>", " ").replace("</li></ul>", "")
        elif kind == "quote":
            fragment = f"<blockquote><p>{words_}</p></blockquote>"
        elif kind == "hidden":
            a, b = text(3), text(3)
            fragment = f"<p>{words_}<span aria-hidden='true'>{a}</span><sup><a href='#n1'>1</a></sup> {b}</p>"
            words_ = f"{words_} {a} {b}"
        elif kind == "brbr":
            a, b = text(3), text(3)
            fragment = f"<p>{words_}<br> <br>{a}<br><br><br>{b}</p>"
            words_ = f"{words_} {a} {b}"
        elif kind == "br":
            fragment = f"<p>{words_}<br>{text(5)}</p>"
            words_ = fragment[3:-4].replace("<br>", " ")
        else:
            fragment = f"<p><img src='y.png' alt='{words_}'>{text(4)}</p>"
            words_ = fragment.split("'>", 1)[0].split("alt='", 1)[1] + " " + fragment.split("'>", 1)[1][:-4]
        parts.append(fragment)
        body_words.extend(words_.split())
    page = "<!DOCTYPE html><html><head><title>Page title</title></head><body>" + "\n".join(parts) + "</body></html>"
    return page, body_words


@settings(max_examples=60, deadline=None)
@given(pages())
def test_property_every_word_lands_exactly_once(page_and_words: tuple[str, list[str]]) -> None:
    page, body_words = page_and_words
    try:
        articles, not_read = read_html(page.encode(), "page.html")
    except InputError as exc:
        # Only a page with nothing to read at all may be refused.
        assert "no article text" in str(exc)
        return
    found: collections.Counter[str] = collections.Counter()

    def count(text: str) -> None:
        found.update(re.findall(r"w\d+", text))

    for article in articles:
        count(article.title)
        count(article.standfirst or "")
        for section in article.sections:
            if section.announce_title:
                count(section.title)
            for paragraph in section.paragraphs:
                count(paragraph.text)
                assert " ".join(paragraph.sentences) == paragraph.text
    for item in not_read:
        count(item.text)
    body = collections.Counter(body_words)
    assert {w: found[w] for w in body} == dict(body)


# --- language ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "head, expected",
    [
        ('<html lang="fr-CA"><head>', "fr"),
        ('<html xml:lang="de"><head>', "de"),
        ('<html><head><meta property="og:locale" content="es_ES">', "es"),
        ('<html><head><meta http-equiv="Content-Language" content="it">', "it"),
        ("<html><head>", "en"),
    ],
)
def test_language_from_page_metadata(head: str, expected: str) -> None:
    page = f"{head}<title>T</title></head><body><h1>T</h1><p>Texte.</p></body></html>"
    [article], _ = read_html(page.encode(), "p.html")
    assert article.language == expected


FRENCH = (
    "Le matin, le village se réveille lentement. Les boulangers ouvrent leurs portes avant l'aube et l'odeur "
    "du pain chaud remplit la rue principale. Les enfants partent pour l'école avec leurs cartables, et les "
    "vieux s'assoient sur le banc devant la mairie pour parler du temps qu'il fait. Dans la vallée, la rivière "
    "coule sans bruit entre les champs, et le facteur passe à vélo avec les lettres du jour."
)
GERMAN = (
    "Am Morgen erwacht das Dorf nur langsam. Die Bäcker öffnen ihre Türen vor der Dämmerung, und der Duft von "
    "frischem Brot erfüllt die Hauptstraße. Die Kinder gehen mit ihren Schultaschen zur Schule, und die Alten "
    "sitzen auf der Bank vor dem Rathaus und sprechen über das Wetter. Im Tal fließt der Fluss still zwischen "
    "den Feldern, und der Briefträger fährt mit dem Fahrrad und bringt die Post des Tages."
)


@pytest.mark.parametrize("text, expected", [(FRENCH, "fr"), (GERMAN, "de"), ("Too short to tell.", "en")])
def test_language_detected_when_the_page_does_not_say(text: str, expected: str) -> None:
    page = f"<html><head><meta charset='utf-8'></head><body><h1>T</h1><p>{text}</p></body></html>"
    [article], _ = read_html(page.encode(), "p.html")
    assert article.language == expected


def test_language_guess_needs_a_sentence_not_fifty_words() -> None:
    assert html_reader.guess_language(FRENCH) == "fr"
    # One sentence is enough now (the function-word count needed 50 words, issue 13) ...
    assert html_reader.guess_language("Les boulangers ouvrent leurs portes avant l'aube.") == "fr"
    # ... but four words are too few to tell: the document's default stands.
    assert html_reader.guess_language("Too short to tell.") is None


# --- encodings, odd pages, folders and standard input -----------------------------------------


def test_windows_1252_page_with_declared_charset() -> None:
    page = ('<html><head><meta charset="windows-1252"><title>Quotes</title></head><body>'
            "<h1>Quotes</h1><p>\u201cIt\u2019s fine,\u201d she said \u2014 caf\u00e9.</p></body></html>")
    [article], _ = read_html(page.encode("cp1252"), "q.html")
    assert article.sections[0].paragraphs[0].text == "\u201cIt\u2019s fine,\u201d she said \u2014 caf\u00e9."


def test_page_without_h1_takes_title_from_metadata_and_strips_site_name() -> None:
    page = (b"<html><head><title>Harbour wall repaired - The Coast Times</title>"
            b'<meta property="og:site_name" content="The Coast Times"></head>'
            b"<body><p>Work finished on Friday.</p><h2>Cost</h2><p>It cost a lot.</p></body></html>")
    [article], _ = read_html(page, "wall.html")
    assert article.title == "Harbour wall repaired"
    assert [s.title for s in article.sections] == ["Harbour wall repaired", "Cost"]


def test_declared_headline_beats_a_site_name_h1_outside_the_article() -> None:
    page = (b'<html><head><meta property="og:title" content="Bees on the roof | Allotment Notes">'
            b'<meta property="og:site_name" content="Allotment Notes"></head><body>'
            b"<header><h1>Allotment Notes</h1></header><article><p>We keep bees.</p></article></body></html>")
    [article], not_read = read_html(page, "bees.html")
    assert article.title == "Bees on the roof"
    assert [(n.reason, n.text) for n in not_read] == [("page header", "Allotment Notes")]
    page = b"<html><body><header><h1>Only heading</h1></header><article><p>Text.</p></article></body></html>"
    assert read_html(page, "x.html")[0][0].title == "Only heading"


def test_several_h1_make_several_articles() -> None:
    page = b"<html><body><main><h1>One</h1><p>First text.</p><h1>Two</h1><p>Second text.</p></main></body></html>"
    articles, _ = read_html(page, "two.html")
    assert [(a.title, a.sections[0].paragraphs[0].text) for a in articles] == [
        ("One", "First text."), ("Two", "Second text.")]


def test_cms_export_with_several_articles_reads_them_all() -> None:
    body = " ".join(["Lorem"] * 160)
    page = (f"<html><body><header><h1>Weekly export</h1></header><main>"
            f"<article><h2>First story</h2><p>{body}</p></article>"
            f"<article><h2>Second story</h2><p>Second {body}</p><h3>Aftermath</h3><p>Then calm.</p></article>"
            f"<article><p>A story with no heading.</p><footer>Filed under: weather</footer></article>"
            f"</main></body></html>")
    articles, not_read = read_html(page.encode(), "export.html")
    assert [(a.title, [s.title for s in a.sections]) for a in articles] == [
        ("First story", ["First story"]),
        ("Second story", ["Second story", "Aftermath"]),
        ("Weekly export (3)", ["Weekly export (3)"]),
    ]
    assert [(n.reason, n.text) for n in not_read] == [
        ("page header", "Weekly export"), ("footer", "Filed under: weather")]


def test_page_with_no_text_is_a_clear_error(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<!DOCTYPE html><html><head><title>x</title></head><body><script>x()</script></body></html>")
    done = plan(str(page))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"audiobook: error: {page}: no article text found in the page"]
    assert done.stdout == ""


def test_folder_of_saved_pages_and_stdin(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "1-lighthouse.html").write_bytes(WIKINEWS.read_bytes())
    (folder / "2-buses.htm").write_bytes(NEWS.read_bytes())
    result = plan_json(folder)
    assert [a["title"] for a in result["articles"]] == [
        "Volunteers restore nineteenth-century lighthouse lens in Cornwall",
        "The night buses that keep a city moving",
    ]
    done = plan("-", stdin=NEWS.read_bytes())
    assert done.returncode == 0, done.stderr
    [article] = json.loads(done.stdout)["articles"]
    assert article["title"] == "The night buses that keep a city moving"
    assert len(article["sections"]) == 4


# --- hostile pages ------------------------------------------------------------------------------


def test_twenty_megabyte_page_gives_a_bounded_correct_result() -> None:
    paragraph = "<p>The quick brown fox jumps over the lazy dog by the river.</p>\n"
    count = 20 * 2**20 // len(paragraph)
    chunks = ["<html><body><article><h1>Big page</h1>"]
    for n in range(count):
        if n % 1000 == 0:
            chunks.append(f"<h2>Part {n // 1000 + 1}</h2>\n")
        chunks.append(paragraph)
    raw = ("".join(chunks) + "</article></body></html>").encode()
    assert len(raw) > 20 * 2**20
    [article], not_read = read_html(raw, "big.html")
    assert article.words == count * 12
    assert len(article.sections) == -(-count // 1000)
    assert article.sections[-1].paragraphs[-1].line == count + len(article.sections)
    assert not_read == []


def test_page_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_reader, "MAX_HTML_BYTES", 1000)
    with pytest.raises(InputError, match=r"big.html: page is .* MB; pages over .* MB are refused"):
        read_html(b"<html><body><p>" + b"word " * 300 + b"</p></body></html>", "big.html")


def test_absurdly_deep_nesting_is_refused_quickly() -> None:
    raw = ("<html><body><h1>Deep</h1>" + "<div>" * 100_000 + "<p>x</p>" + "</div>" * 100_000 + "</body></html>")
    with pytest.raises(InputError, match="nest more than 512 levels"):
        read_html(raw.encode(), "deep.html")


def test_deep_inline_nesting_and_many_unclosed_tags_still_read() -> None:
    raw = ("<html><body><article><h1>Deep</h1>" + "<span>" * 20_000 + "inline words" + "</span>" * 20_000
           + "<p>one<p>two<li>three<li>four" + "</article></body></html>")
    [article], _ = read_html(raw.encode(), "deep.html")
    assert [p.text for p in article.sections[0].paragraphs] == ["inline words", "one", "two", "three", "four"]


def test_binary_data_named_html_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "photo.html"
    page.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    done = plan(str(page))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_permalink_marks_leave_titles_taken_from_outside_the_content() -> None:
    page = (b'<!DOCTYPE html><html><head><title>Tools\xc2\xb6</title></head><body><header><h1>Tools'
            b'<a class="headerlink" href="#tools" title="Link to this heading">\xc2\xb6</a></h1></header>'
            b"<main><p>Some text about tools that is long enough to read as a paragraph of prose.</p></main>"
            b"</body></html>")
    [article], not_read = read_html(page, "tools.html")
    assert article.title == "Tools"
    assert not [n for n in not_read if "\u00b6" in n.text]


# A DocBook chunked page (the Debian manuals): banner and navigation, then the page's title as
# an <h2> over <h3> sections, and a heading whose generated id holds the word "share".
DOCBOOK_PAGE = """<!DOCTYPE html><html lang="en"><head><title>7. Documentation</title></head><body>
<p id="banner"><a class="dl" href="x.epub">Download the ebook</a></p>
<div class="navheader"><a accesskey="p" href="ch06.html">Prev</a> <a accesskey="n" href="ch08.html">Next</a></div>
<div class="section"><div class="titlepage"><h2 class="title"><a id="docs"></a>7. Documentation</h2></div>
<p>There is no single work that covers package management in all its facets, so this chapter
lists what is worth reading next to this book and where each of those works is found.</p>
<h3 id="_documentation_in_usr_share_doc">7.1. Documentation in <code>/usr/share/doc/</code></h3>
<p>The second place to look is the documentation kept in the folder of each package on your
system, which holds the changelog, the copyright file and often a README or two.</p>
<h3 id="_further_books">7.2. Further books</h3>
<p>Besides the documents above there are many broader works on Debian and its packaging tools
that are worth a look when the manuals leave a question open.</p></div>
<div class="navfooter"><a href="ch06.html">Prev</a> <a href="index.html">Home</a></div>
</body></html>""".encode()


def test_a_manual_page_s_only_h2_is_its_title_said_once() -> None:
    [article], _ = read_html(DOCBOOK_PAGE, "ch07.html")
    assert article.title == "7. Documentation"
    assert "<h2>" in article.title_evidence
    announced = [s.title for s in article.sections if s.announce_title]
    assert announced == ["7.1. Documentation in /usr/share/doc/", "7.2. Further books"]


def test_a_heading_is_not_chrome_because_of_the_words_in_its_id() -> None:
    [article], not_read = read_html(DOCBOOK_PAGE, "ch07.html")
    assert any(s.title.startswith("7.1.") for s in article.sections)
    assert not [n for n in not_read if n.text.startswith("7.1.")]


# A package README rendered to HTML (pandoc): "##" sections first, a "# Change Log" later.
README_PAGE = ("<!DOCTYPE html><html><head><title>rich</title></head><body>"
               "<p><img alt='PyPI version' src='badge.svg'></p>"
               "<p>Rich is a library for rich text and beautiful formatting in the terminal, with colour, "
               "tables, progress bars, markdown, syntax highlighting and tracebacks out of the box.</p>"
               "<h2 id='compatibility'>Compatibility</h2><p>Rich works with Linux, macOS and Windows. True "
               "colour and emoji work with the new Windows Terminal; the classic terminal has sixteen colours.</p>"
               "<h2 id='installing'>Installing</h2><p>Install it with pip or your favourite package manager, "
               "then run the module to see a sample of what it can draw in your terminal. Nothing else needs "
               "installing: it has few dependencies and works in any terminal that Python itself runs in, "
               "from a Raspberry Pi to a cloud notebook.</p>"
               "<h1 id='library'>Rich Library</h1><p>Rich contains a number of builtin renderables you can use "
               "to create elegant output in your command line applications.</p></body></html>").encode()


def test_sections_before_a_late_h1_are_read_not_taken_for_chrome() -> None:
    readme, library = read_html(README_PAGE, "rich.html")[0]
    assert readme.title == "rich"
    assert [s.title for s in readme.sections if s.announce_title] == ["Compatibility", "Installing"]
    assert readme.sections[0].text.startswith("Rich is a library")
    assert library.title == "Rich Library"


def test_a_kicker_before_the_h1_is_still_not_read() -> None:
    page = (b"<html><body><main><p>Opinion</p><h1>The Headline</h1><p>The story itself, long enough "
            b"to be read as a paragraph of prose by anyone.</p></main></body></html>")
    [article], not_read = read_html(page, "story.html")
    assert article.title == "The Headline"
    assert [(n.text, n.reason) for n in not_read] == [("Opinion", "before the article title")]


def test_a_chapter_index_page_s_contents_are_navigation_however_big() -> None:
    # DocBook's first page of a chapter: the title, its table of contents (most of the page's
    # words, all of them links), then a short paragraph.
    entries = "".join(f'<dt><span class="sect1"><a href="ch01s0{n}.html">1.{n}. Qu\'est-ce que la partie {n} '
                      f"du manuel ?</a></span></dt>" for n in range(1, 9))
    page = (f'<html><body><div class="chapter"><div class="titlepage"><h1 class="title">Chapitre 1. Bienvenue</h1>'
            f'</div><div class="toc"><p><b>Table des matières</b></p><dl class="toc">{entries}</dl></div>'
            f"<p>Ce chapitre propose un survol du projet et de son histoire.</p></div></body></html>").encode()
    [article], not_read = read_html(page, "ch01.html")
    assert article.sections[0].text == "Ce chapitre propose un survol du projet et de son histoire."
    assert [n.reason for n in not_read if n.text.startswith("Table des matières")] == ["navigation"]


def test_an_older_mediawiki_hatnote_is_a_page_label_not_a_heading() -> None:
    # MediaWiki before the "hatnote" class: `<div class="rellink">` (or "mainarticle") under a heading.
    page = (b'<html><body><div id="content"><h1>Rabbit</h1><h2>Ecology</h2>'
            b'<div class="rellink relarticle mainarticle">Main article: <a href="/wiki/Hare">Hare</a></div>'
            b"<p>Rabbits are prey animals that live in burrows and come out to feed at dawn and dusk.</p>"
            b"</div></body></html>")
    [article], not_read = read_html(page, "rabbit.html")
    assert [(s.title, s.text) for s in article.sections if s.announce_title] == [
        ("Ecology", "Rabbits are prey animals that live in burrows and come out to feed at dawn and dusk.")]
    assert [(n.text, n.reason) for n in not_read] == [("Main article: Hare", "page label")]


def test_a_short_section_named_after_its_heading_is_read() -> None:
    # Sphinx: <section id="porter-tools"> over "Porter tools", one sentence long; "tools" alone
    # would name a toolbar.
    page = ('<html><body><main><h1>Porting</h1><p>How to port a package to another architecture.</p>'
            '<section id="porter-tools"><h4><span class="section-number">5.10.3.2. </span>Porter tools'
            '<a class="headerlink" href="#porter-tools" title="Permalink to this heading">¶</a></h4>'
            "<p>Descriptions of several porting tools can be found in Porting tools.</p></section>"
            '<div id="page-tools"><a href="/edit">Edit</a> <a href="/history">History</a></div>'
            '<div id="p-tools"><h3>Tools</h3><ul><li><a href="/links">What links here</a></li>'
            '<li><a href="/changes">Related changes</a></li></ul></div>'
            "</main></body></html>").encode()
    [article], not_read = read_html(page, "porting.html")
    assert [(s.title, s.text) for s in article.sections if s.announce_title] == [
        ("5.10.3.2. Porter tools", "Descriptions of several porting tools can be found in Porting tools.")]
    assert [(n.text, n.reason) for n in not_read] == [
        ("Edit History", "toolbar"), ("Tools What links here Related changes", "toolbar")]
