"""The EPUB reader: chapters, metadata, cover, front and back matter, nothing lost, hostile archives."""

from __future__ import annotations

import collections
import importlib.util
import io
import json
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from selectolax.lexbor import LexborHTMLParser

from audiobook.errors import InputError
from audiobook.ingest.epub import edition_cover, epub_cover, read_epub
from audiobook.ingest.reader import is_epub

from conftest import FIXTURES

EPUB = FIXTURES / "epub"
AESOP = EPUB / "aesop-three-fables.epub"
LINCOLN = EPUB / "lincoln-two-speeches.epub"


def _load_fixture_maker() -> Any:
    spec = importlib.util.spec_from_file_location("make_fixtures", EPUB / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


texts = _load_fixture_maker()


def plan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "audiobook", "plan", "--json", *args],
                          capture_output=True, text=True, timeout=120)


def plan_json(*paths: Path) -> dict[str, Any]:
    done = plan(*map(str, paths))
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def refused(path: Path) -> str:
    """The one error line the CLI prints for a bad book (exit 2, nothing on stdout)."""
    done = plan(str(path))
    assert done.returncode == 2, (done.stdout[:300], done.stderr)
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("audiobook: error: "), done.stderr
    return lines[0]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower().replace("&nbsp;", " "))


CONTAINER = texts.CONTAINER.format(opf="OPS/package.opf")


def package(manifest: str, spine: str, metadata: str = "", version: str = "3.0") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="{version}" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:test</dc:identifier><dc:title>Test Book</dc:title>
    {metadata or "<dc:language>en</dc:language>"}
  </metadata>
  <manifest>{manifest}</manifest>
  <spine>{spine}</spine>
</package>"""


def chapter(title: str, body: str) -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>'
            f"<title>{title}</title></head><body>{body}</body></html>")


def simple_book(extra: dict[str, str | bytes] | None = None, metadata: str = "",
                manifest_extra: str = "", spine_extra: str = "") -> bytes:
    """A book without nav or NCX: two chapter files."""
    files: dict[str, str | bytes] = {
        "META-INF/container.xml": CONTAINER,
        "OPS/package.opf": package(
            '<item id="c1" href="one.xhtml" media-type="application/xhtml+xml"/>'
            '<item id="c2" href="two.xhtml" media-type="application/xhtml+xml"/>' + manifest_extra,
            '<itemref idref="c1"/><itemref idref="c2"/>' + spine_extra, metadata),
        "OPS/one.xhtml": chapter("One", "<h1>The First</h1><p>Alpha beta gamma.</p><h2>Aside</h2><p>Delta.</p>"),
        "OPS/two.xhtml": chapter("Second file", "<p>Epsilon zeta.</p>"),
    }
    files.update(extra or {})
    data: bytes = texts.build_epub(files)
    return data


# --- the two fixture books -------------------------------------------------------------------


def test_epub2_in_project_gutenberg_layout() -> None:
    result = plan_json(AESOP)
    [book] = result["articles"]
    assert book["title"] == "Three Fables of Aesop"
    assert [s["title"] for s in book["sections"]] == [
        "The Fox and the Grapes", "The Town Mouse and the Country Mouse", "The Hare and the Tortoise"]
    assert all(s["announce_title"] for s in book["sections"])
    assert book["authors"] == ["Aesop"]
    assert book["translators"] == ["George Fyler Townsend"]
    assert book["publication"] == "Audiobook Test Fixtures"
    assert book["issue_date"] == "2008-06-25"  # the publication date, not the conversion date
    assert book["language"] == "en"
    fox, mice, hare = (s["text"] for s in book["sections"])
    assert fox == texts.FOX  # the heading THE FOX AND THE GRAPES is the chapter title, not read twice
    assert mice == "\n\n".join(texts.MICE)
    assert hare == texts.HARE + "\n\nSlow but steady wins the race."  # &nbsp;: not well-formed, read as HTML
    listed = {item["reason"]: item["text"] for item in result["not_read"]}
    assert listed["cover (OEBPS/wrap0000.xhtml)"] == "Cover"
    assert listed["title page (OEBPS/title.xhtml)"].startswith("This ebook is for the use of anyone anywhere.")
    assert listed["table of contents (OEBPS/contents.xhtml)"].startswith("CONTENTS The Fox and the Grapes")
    assert listed["licence (OEBPS/license.xhtml)"].startswith("LICENSE This electronic edition")
    assert listed["image caption"] == "The Hare takes a rest."
    assert listed["image description"] == "A hare asleep under a tree"


def test_epub3_in_standard_ebooks_layout() -> None:
    result = plan_json(LINCOLN)
    [book] = result["articles"]
    assert book["title"] == "Two Speeches"  # the main title, not the subtitle
    # A part with nothing of its own before its first chapter gives one chapter mark.
    assert [s["title"] for s in book["sections"]] == [
        "Two Speeches: Farewell Address at Springfield", "The Gettysburg Address"]
    assert book["authors"] == ["Abraham Lincoln"]  # the bkp contributor is not an author
    assert book["translators"] == []
    assert book["publication"] == "Audiobook Fixture Press"
    assert book["issue_date"] == "2024-05-01"
    assert book["language"] == "en"  # en-US
    farewell, gettysburg = (s["text"] for s in book["sections"])
    assert farewell == "\n\n".join(["February 11, 1861", *texts.FAREWELL])
    assert gettysburg == "\n\n".join(texts.GETTYSBURG)  # the note reference "1" is not read
    listed = [(item["reason"], item["text"]) for item in result["not_read"]]
    assert listed == [
        ("title page (epub/text/titlepage.xhtml)", "Two Speeches By Abraham Lincoln."),
        ("colophon (epub/text/imprint.xhtml)",
         "This ebook was produced for the audiobook test suite from public domain texts."),
        ("note reference", "1"),
        ("notes (epub/text/endnotes.xhtml)",
         "Endnotes This is the Bliss copy, the last of five known manuscripts. ↩"),
        ("colophon (epub/text/colophon.xhtml)",
         "Two Speeches was set in a serif typeface for the audiobook test suite."),
        ("copyright page (epub/text/uncopyright.xhtml)",
         "The source text and artwork in this ebook are believed to be in the public domain."),
    ]


def test_front_and_back_matter_can_be_read_on_request() -> None:
    [book], not_read = read_epub(AESOP.read_bytes(), "aesop.epub", include_matter=True)
    # The cover page holds only an image, so it has nothing to read.
    assert [s.title for s in book.sections] == [
        "Title Page", "Contents", "The Fox and the Grapes", "The Town Mouse and the Country Mouse",
        "The Hare and the Tortoise", "License"]
    assert [n.reason for n in not_read] == ["image description", "publisher's boilerplate", "image description",
                                            "image caption"]


@pytest.mark.parametrize("book", [AESOP, LINCOLN])
def test_every_word_of_every_document_is_read_or_listed(book: Path) -> None:
    result = plan_json(book)
    found: collections.Counter[str] = collections.Counter()
    for article in result["articles"]:
        for section in article["sections"]:
            found.update(words(section["title"]))
            found.update(words(section["text"]))
    for item in result["not_read"]:
        found.update(words(item["text"]))
    expected: collections.Counter[str] = collections.Counter()
    with zipfile.ZipFile(book) as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml") and "toc" not in name:
                body = LexborHTMLParser(archive.read(name).decode()).body
                assert body is not None
                expected.update(words(body.text(separator=" ")))
                for img in body.css("img"):
                    expected.update(words(img.attributes.get("alt") or ""))
    missing = expected - found
    assert not missing, f"lost words: {sorted(missing)}"


@pytest.mark.parametrize("book, colour", [(AESOP, (120, 40, 30)), (LINCOLN, (20, 40, 110))])
def test_cover_image_from_the_package(book: Path, colour: tuple[int, int, int]) -> None:
    cover = epub_cover(book.read_bytes())
    assert cover is not None
    image = Image.open(io.BytesIO(cover))
    assert image.size == (600, 900)
    assert image.convert("RGB").getpixel((2, 2)) == colour


def test_edition_cover_is_the_first_epub_cover_among_the_sources(tmp_path: Path) -> None:
    page = FIXTURES / "html" / "news-site-article.html"
    missing = tmp_path / "gone.epub"
    assert edition_cover([str(page), "-", str(missing), str(LINCOLN), str(AESOP)]) == epub_cover(LINCOLN.read_bytes())
    assert edition_cover([str(page)]) is None


def test_no_cover_gives_none_and_detection_by_content() -> None:
    raw = simple_book()
    assert epub_cover(raw) is None
    assert is_epub(raw) and is_epub(AESOP.read_bytes())
    assert not is_epub(b"PK\x03\x04 some other zip")


# --- books without a table of contents, languages, odd packages ---------------------------------


def test_without_nav_or_ncx_chapters_come_from_headings() -> None:
    [book], not_read = read_epub(simple_book(), "b.epub")
    assert [(s.title, s.text) for s in book.sections] == [
        ("The First", "Alpha beta gamma.\n\nAside\n\nDelta."),
        ("Second file", "Epsilon zeta."),  # no heading: the document's title
    ]
    assert not_read == []


@pytest.mark.parametrize("tag, expected", [("fr", "fr"), ("pt-BR", "pt"), ("", "en")])
def test_language_from_dc_language(tag: str, expected: str) -> None:
    metadata = f"<dc:language>{tag}</dc:language>" if tag else ""
    [book], _ = read_epub(simple_book(metadata=metadata or "<dc:creator>X</dc:creator>"), "b.epub")
    assert book.language == expected


def test_non_linear_unlisted_and_image_documents_are_listed() -> None:
    raw = simple_book(
        extra={"OPS/notes.xhtml": chapter("Notes", "<p>A note.</p>"),
               "OPS/orphan.xhtml": chapter("Orphan", "<p>Unlisted.</p>"),
               "OPS/plate.png": texts.cover_png("PLATE", (0, 0, 0))},
        manifest_extra='<item id="n" href="notes.xhtml" media-type="application/xhtml+xml"/>'
                       '<item id="o" href="orphan.xhtml" media-type="application/xhtml+xml"/>'
                       '<item id="img" href="plate.png" media-type="image/png"/>',
        spine_extra='<itemref idref="n" linear="no"/><itemref idref="img"/>',
    )
    _, not_read = read_epub(raw, "b.epub")
    assert [(n.reason, n.text) for n in not_read] == [
        ("outside the reading order (linear=no) (OPS/notes.xhtml)", "A note."),
        ("not a text document (image/png), not read", "plate.png"),
        ("document not in the reading order (not in the spine)", "orphan.xhtml"),
    ]


def test_spine_document_missing_from_the_archive_is_listed() -> None:
    raw = simple_book(manifest_extra='<item id="m" href="gone.xhtml" media-type="application/xhtml+xml"/>',
                      spine_extra='<itemref idref="m"/>')
    [book], not_read = read_epub(raw, "b.epub")
    assert len(book.sections) == 2
    assert [(n.reason, n.text) for n in not_read] == [("missing from the archive, ignored", "gone.xhtml")]


def test_book_with_only_front_matter_is_a_clear_error(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "META-INF/container.xml": CONTAINER,
        "OPS/package.opf": package('<item id="t" href="titlepage.xhtml" media-type="application/xhtml+xml"/>',
                                   '<itemref idref="t"/>'),
        "OPS/titlepage.xhtml": chapter("Title", "<h1>Test Book</h1>"),
    }
    path = tmp_path / "front.epub"
    path.write_bytes(texts.build_epub(files))
    assert refused(path) == f"audiobook: error: {path}: no readable chapters in the book"


# --- hostile archives ---------------------------------------------------------------------------


def test_zip_bomb_is_refused_from_the_declared_size(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        archive.writestr("META-INF/container.xml", CONTAINER)
        archive.writestr("OPS/package.opf", package(
            '<item id="c" href="bomb.xhtml" media-type="application/xhtml+xml"/>', '<itemref idref="c"/>'))
        with archive.open("OPS/bomb.xhtml", "w", force_zip64=True) as member:
            chunk = b" " * 2**20
            for _ in range(40):
                member.write(chunk)
    path = tmp_path / "bomb.epub"
    path.write_bytes(out.getvalue())
    assert path.stat().st_size < 200_000
    assert refused(path) == (f"audiobook: error: {path}: OPS/bomb.xhtml is 40 MB when decompressed; "
                             "over 32 MB is refused")


def test_zip_bomb_under_the_size_cap_is_refused_by_its_ratio() -> None:
    raw = simple_book(extra={"OPS/two.xhtml": chapter("Two", "<p>" + " " * 5 * 2**20 + "x</p>")})
    with pytest.raises(InputError, match=r"OPS/two.xhtml is compressed \d+:1, which only a zip bomb does"):
        read_epub(raw, "b.epub")


def test_zip_bomb_that_lies_about_its_size_stays_bounded() -> None:
    raw = bytearray(simple_book(extra={"OPS/two.xhtml": chapter("Two", "<p>" + "ab " * 2**20 + "</p>")}))
    # Rewrite the declared size of OPS/two.xhtml (local header and central directory) to 1000 bytes.
    name = b"OPS/two.xhtml"
    patched = 0
    for start in [m.start() for m in re.finditer(re.escape(name), bytes(raw))]:
        if raw[start - 30:start - 26] == b"PK\x03\x04":
            struct.pack_into("<I", raw, start - 30 + 22, 1000)
            patched += 1
        elif raw[start - 46:start - 42] == b"PK\x01\x02":
            struct.pack_into("<I", raw, start - 46 + 24, 1000)
            patched += 1
    assert patched == 2
    with pytest.raises(InputError, match="OPS/two.xhtml cannot be decompressed"):
        read_epub(bytes(raw), "b.epub")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def test_billion_laughs_in_the_package_is_refused(tmp_path: Path) -> None:
    opf = package('<item id="c1" href="one.xhtml" media-type="application/xhtml+xml"/>', '<itemref idref="c1"/>',
                  "<dc:language>&lol9;</dc:language>")
    path = tmp_path / "lol.epub"
    path.write_bytes(simple_book(extra={"OPS/package.opf": BILLION_LAUGHS + opf.split("?>", 1)[1]}))
    assert refused(path) == (f"audiobook: error: {path}: OPS/package.opf declares XML entities or external "
                             "references, which are refused for safety (an XML bomb?)")


def test_billion_laughs_in_a_chapter_is_refused() -> None:
    bomb = BILLION_LAUGHS + '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;</p></body></html>'
    with pytest.raises(InputError, match="OPS/two.xhtml declares XML entities"):
        read_epub(simple_book(extra={"OPS/two.xhtml": bomb}), "b.epub")


def test_external_entity_is_refused() -> None:
    xxe = ('<?xml version="1.0"?><!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
           '<rootfile full-path="OPS/package.opf" media-type="application/oebps-package+xml"/>'
           "</rootfiles>&xxe;</container>")
    with pytest.raises(InputError, match="META-INF/container.xml declares XML entities"):
        read_epub(simple_book(extra={"META-INF/container.xml": xxe}), "b.epub")


def test_paths_outside_the_archive_are_ignored_and_listed(tmp_path: Path) -> None:
    raw = simple_book(
        extra={"../../evil.xhtml": chapter("Evil", "<p>Should never be read.</p>")},
        manifest_extra='<item id="e" href="../../evil.xhtml" media-type="application/xhtml+xml"/>'
                       '<item id="p" href="../../../etc/passwd" media-type="application/xhtml+xml"/>',
        spine_extra='<itemref idref="e"/><itemref idref="p"/>',
    )
    [book], not_read = read_epub(raw, "b.epub")
    assert [s.title for s in book.sections] == ["The First", "Second file"]
    assert "Should never" not in " ".join(s.text for s in book.sections)
    assert [(n.reason, n.text) for n in not_read] == [
        ("archive member with an unsafe path, ignored", "../../evil.xhtml"),
        ("link outside the archive, ignored", "../../evil.xhtml"),
        ("link outside the archive, ignored", "../../../etc/passwd"),
    ]
    evil_container = CONTAINER.replace("OPS/package.opf", "../package.opf")
    path = tmp_path / "escape.epub"
    path.write_bytes(simple_book(extra={"META-INF/container.xml": evil_container}))
    assert refused(path) == f"audiobook: error: {path}: the package path '../package.opf' points outside the archive"


def test_too_many_members_is_refused() -> None:
    extra: dict[str, str | bytes] = {f"OPS/x{n}.css": "" for n in range(10_001)}
    with pytest.raises(InputError, match="archive has 10006 files; more than 10000 are refused"):
        read_epub(simple_book(extra=extra), "b.epub")


def test_truncated_and_drm_books_are_clear_errors(tmp_path: Path) -> None:
    truncated = tmp_path / "cut.epub"
    truncated.write_bytes(AESOP.read_bytes()[:3000])
    assert refused(truncated).startswith(f"audiobook: error: {truncated}: not a readable EPUB (zip archive)")
    encryption = ('<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                  'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
                  '<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
                  '<enc:CipherData><enc:CipherReference URI="OPS/one.xhtml"/></enc:CipherData>'
                  "</enc:EncryptedData></encryption>")
    with pytest.raises(InputError, match="DRM-protected"):
        read_epub(simple_book(extra={"META-INF/encryption.xml": encryption}), "b.epub")


def test_mixed_folder_reads_every_format(tmp_path: Path) -> None:
    (tmp_path / "1-fables.epub").write_bytes(AESOP.read_bytes())
    (tmp_path / "2-page.html").write_bytes((FIXTURES / "html" / "news-site-article.html").read_bytes())
    (tmp_path / "3-note.txt").write_text("A short note\n\nIt has one paragraph of text in it.\n")
    result = plan_json(tmp_path)
    assert [a["title"] for a in result["articles"]][:2] == [
        "Three Fables of Aesop", "The night buses that keep a city moving"]
    assert len(result["articles"]) == 3


# --- nothing lost, over generated books ---------------------------------------------------------


@st.composite
def books(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    """A book of 1-4 documents of random blocks (unique words), with or without a nav document."""
    counter = iter(range(10**6))

    def text(most: int) -> str:
        return " ".join(f"w{next(counter)}" for _ in range(draw(st.integers(1, most))))

    use_nav = draw(st.booleans())
    body_words: list[str] = []
    files: dict[str, str | bytes] = {"META-INF/container.xml": CONTAINER}
    toc: list[str] = []
    n_docs = draw(st.integers(1, 4))
    for d in range(n_docs):
        parts: list[str] = []
        for b, kind in enumerate(draw(st.lists(st.sampled_from(["p", "p", "h1", "h2", "h3", "skip", "inline"]),
                                               min_size=1, max_size=8))):
            words_ = text(6)
            anchor = f"d{d}b{b}"
            if kind == "skip":
                parts.append(f"<figure><figcaption>{words_}</figcaption></figure>")
            elif kind == "inline":
                more = text(3)
                parts.append(f"<p id='{anchor}'>{words_} <em>{more}</em></p>")
                words_ = f"{words_} {more}"
            else:
                parts.append(f"<{kind} id='{anchor}'>{words_}</{kind}>")
            body_words.extend(words_.split())
            # The first document's first entry opens the book, so nothing is front matter.
            if (d == 0 and b == 0) or (kind != "skip" and draw(st.booleans())):
                href = f"doc{d}.xhtml" if b == 0 else f"doc{d}.xhtml#{anchor}"
                toc.append(f'<li><a href="{href}">Label {len(toc)}</a></li>')
        files[f"OPS/doc{d}.xhtml"] = chapter(f"Doc {d}", "".join(parts))
    manifest = "".join(f'<item id="d{d}" href="doc{d}.xhtml" media-type="application/xhtml+xml"/>'
                       for d in range(n_docs))
    if use_nav:
        manifest += '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        files["OPS/nav.xhtml"] = (
            '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body>'
            f'<nav epub:type="toc"><ol>{"".join(toc)}</ol></nav></body></html>')
    files["OPS/package.opf"] = package(manifest, "".join(f'<itemref idref="d{d}"/>' for d in range(n_docs)))
    data: bytes = texts.build_epub(files)
    return data, body_words


@settings(max_examples=40, deadline=None)
@given(books())
def test_property_every_word_of_a_book_lands_exactly_once(book_and_words: tuple[bytes, list[str]]) -> None:
    raw, body_words = book_and_words
    try:
        articles, not_read = read_epub(raw, "b.epub")
    except InputError as exc:
        # Only a book whose every block is set aside (captions) may have no chapters.
        assert "no readable chapters" in str(exc)
        return
    found: collections.Counter[str] = collections.Counter()
    for article in articles:
        for section in article.sections:
            found.update(re.findall(r"w\d+", section.title))
            for paragraph in section.paragraphs:
                found.update(re.findall(r"w\d+", paragraph.text))
                assert " ".join(paragraph.sentences) == paragraph.text
    for item in not_read:
        found.update(re.findall(r"w\d+", item.text))
    expected = collections.Counter(body_words)
    assert {w: found[w] for w in expected} == dict(expected)


# --- front matter known by its text or its epub:type ---------------------------------------------------


def _book_with_front(front: str, body_type: str = "") -> bytes:
    files: dict[str, str | bytes] = {
        "META-INF/container.xml": CONTAINER,
        "OPS/package.opf": package(
            '<item id="f" href="front.xhtml" media-type="application/xhtml+xml"/>'
            '<item id="c1" href="one.xhtml" media-type="application/xhtml+xml"/>',
            '<itemref idref="f"/><itemref idref="c1"/>', "<dc:language>en</dc:language><dc:creator>Ann Author</dc:creator>"),
        "OPS/front.xhtml": chapter("Front", front).replace(
            "<body>", f'<body xmlns:epub="http://www.idpf.org/2007/ops" epub:type="{body_type}">' if body_type
            else "<body>"),
        "OPS/one.xhtml": chapter("One", "<h1>The First</h1><p>" + "Alpha beta gamma. " * 40 + "</p>"),
    }
    return bytes(texts.build_epub(files))


@pytest.mark.parametrize("front, body_type, reason", [
    ("<p>For my mother, who read to me.</p>", "dedication", "dedication"),
    ("<p>Dedicated to the memory of my father.</p>", "", "dedication"),
    ("<h1>Test Book</h1><p>by Ann Author</p><p>Copyright © 2021 Ann Author. All rights reserved.</p>"
     "<p>ISBN 978-0-00-000000-0</p>", "", "copyright page"),
    ("<h1>Test Book</h1><p>Ann Author</p><p>Second edition</p>", "", "title page"),
])
def test_title_copyright_and_dedication_pages_are_listed(front: str, body_type: str, reason: str) -> None:
    [book], not_read = read_epub(_book_with_front(front, body_type), "b.epub")
    assert [s.title for s in book.sections] == ["The First"]
    assert [n.reason for n in not_read] == [f"{reason} (OPS/front.xhtml)"]


def test_a_short_first_chapter_of_prose_is_read() -> None:
    front = "<h1>Prologue</h1><p>It was a cold morning when the letter came, and nobody in the house would open it.</p>"
    [book], not_read = read_epub(_book_with_front(front), "b.epub")
    assert "It was a cold morning" in book.sections[0].text
    assert not_read == []


ABOUT = ("<h1>1. About this manual</h1><p>This manual tells how a live system is built, from the first "
         "command to the finished image.</p>")


def _book_with_contents(first_body: str, second_body: str = ABOUT) -> bytes:
    """An EPUB 3 whose contents open with an entry named like the book (its title page, as
    DocBook's and SiSU's books have), then one chapter."""
    nav = chapter("Contents", '<nav epub:type="toc" xmlns:epub="http://www.idpf.org/2007/ops"><ol>'
                  '<li><a href="one.xhtml">Test Book</a></li>'
                  '<li><a href="two.xhtml">1. About this manual</a></li></ol></nav>')
    files: dict[str, str | bytes] = {
        "META-INF/container.xml": CONTAINER,
        "OPS/package.opf": package(
            '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
            '<item id="c1" href="one.xhtml" media-type="application/xhtml+xml"/>'
            '<item id="c2" href="two.xhtml" media-type="application/xhtml+xml"/>',
            '<itemref idref="c1"/><itemref idref="c2"/>'),
        "OPS/nav.xhtml": nav,
        "OPS/one.xhtml": chapter("Test Book", first_body),
        "OPS/two.xhtml": chapter("About", second_body),
    }
    data: bytes = texts.build_epub(files)
    return data


def test_a_chapter_named_like_the_book_is_not_announced_again() -> None:
    body = ("<h1>Test Book</h1><p>This short history tells how the project began, who led it and how "
            "each of its releases came about, year after year, until today.</p>")
    [book], _ = read_epub(_book_with_contents(body), "b.epub")
    assert book.title == "Test Book"
    assert [(s.title, s.announce_title) for s in book.sections] == [
        ("Test Book", False), ("1. About this manual", True)]



@pytest.mark.parametrize("opening", [
    "<h1>Chapter 1. About this manual</h1>",  # DocBook: the label before the number
    '<p class="bold"><a name="h1"></a>1. About this manual</p>',  # SiSU: a bold paragraph
])
def test_a_chapter_s_own_title_is_not_read_after_its_mark(opening: str) -> None:
    body = opening + "<p>This manual tells how a live system is built, from the first command on.</p>"
    [book], _ = read_epub(_book_with_contents("<h1>Test Book</h1><p>A short abstract of the book.</p>", body),
                          "b.epub")
    assert book.sections[-1].title == "1. About this manual"
    assert book.sections[-1].text == "This manual tells how a live system is built, from the first command on."


def test_a_first_line_that_says_more_than_the_title_is_read() -> None:
    body = "<h2>About this manual and the people who wrote it</h2><p>Many hands made it, over ten years.</p>"
    [book], not_read = read_epub(_book_with_contents("<h1>Test Book</h1><p>A short abstract of the book.</p>", body),
                                 "b.epub")
    assert book.sections[-1].text.startswith("About this manual and the people who wrote it")
    body = "<h1>Chapter 1. About this manual</h1><p>Many hands made it, over ten years.</p>"
    [book], not_read = read_epub(_book_with_contents("<h1>Test Book</h1><p>A short abstract of the book.</p>", body),
                                 "b.epub")
    assert ("Chapter 1. About this manual", "the chapter's title again, said at its mark") in [
        (n.text, n.reason) for n in not_read]
