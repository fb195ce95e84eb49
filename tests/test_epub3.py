"""The narrated EPUB's pure builders: exact XHTML, SMIL, nav and package text, and the zip's layout."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from audiobook.manifest import Cue
from audiobook.model import Article, NotRead, Paragraph, Section
from audiobook.publish import epub3
from audiobook.publish.epub3 import Block, Document, Package, Span
from audiobook.script import HEADING, SENTENCE, TITLE, ArticleScript, ScriptSection, Utterance

DOC = Document(
    name="01-a",
    title='Fish & <chips> "now"',
    language="en",
    blocks=(
        Block("h1", (Span("u1", 'Fish & <chips> "now"', (0, 900)),)),
        Block("p", (Span("u2", "One 𝄞 note.", (1200, 2500)), Span("u3", "مرحبا بالعالم.", (2800, 4000)))),
        Block("not-read", (Span("", "PHOTO: A & B", None),), note="image credit"),
        Block("h2", (Span("u4", "Empty", None),), anchor="s2"),
        Block("p", (Span("u5", "…", None),)),
        Block("h2", (Span("u6", "Last", (4500, 5000)),), anchor="s3"),
        Block("p", (Span("u7", "End.", (5300, 6000)),)),
    ),
    audio="audio/01-a.mp3",
)

PKG = Package(
    identifier=epub3.identifier("The Paper", "the-paper-1-may"),
    title="The Paper, 1 May",
    publication="The Paper",
    authors=("Ann Smith",),
    translators=("Bo Li",),
    languages=("en",),
    issue_date="2024-05-01",
    modified="2023-11-14T22:13:20Z",
    narrator="synthetic voice 'espeak' (espeak-ng, en)",
    documents=(DOC,),
)


def test_content_document_exact() -> None:
    assert epub3.build_content(DOC) == (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en" dir="ltr">\n'
        "<head>\n"
        '<meta charset="utf-8"/>\n'
        "<title>Fish &amp; &lt;chips&gt; &quot;now&quot;</title>\n"
        '<link rel="stylesheet" type="text/css" href="style.css"/>\n'
        "</head>\n"
        "<body>\n"
        '<section id="chapter" epub:type="chapter" role="doc-chapter" aria-labelledby="u1">\n'
        "<header>\n"
        '<h1 id="u1">Fish &amp; &lt;chips&gt; &quot;now&quot;</h1>\n'
        "</header>\n"
        '<p><span id="u2">One 𝄞 note.</span> <span id="u3">مرحبا بالعالم.</span></p>\n'
        '<p class="not-read" title="not read aloud: image credit">PHOTO: A &amp; B</p>\n'
        '<section id="s2" aria-labelledby="u4">\n'
        '<h2 id="u4">Empty</h2>\n'
        '<p><span id="u5">…</span></p>\n'
        "</section>\n"
        '<section id="s3" aria-labelledby="u6">\n'
        '<h2 id="u6">Last</h2>\n'
        '<p><span id="u7">End.</span></p>\n'
        "</section>\n"
        "</section>\n"
        "</body>\n</html>\n"
    )


def test_overlay_exact_and_a_section_with_nothing_spoken_has_no_seq() -> None:
    smil = epub3.build_overlay(DOC)
    assert smil == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">\n'
        "<body>\n"
        '<seq epub:textref="01-a.xhtml#chapter" epub:type="chapter">\n'
        '<par id="p-u1"><text src="01-a.xhtml#u1"/><audio src="audio/01-a.mp3" clipBegin="0:00:00.000" clipEnd="0:00:00.900"/></par>\n'
        '<par id="p-u2"><text src="01-a.xhtml#u2"/><audio src="audio/01-a.mp3" clipBegin="0:00:01.200" clipEnd="0:00:02.500"/></par>\n'
        '<par id="p-u3"><text src="01-a.xhtml#u3"/><audio src="audio/01-a.mp3" clipBegin="0:00:02.800" clipEnd="0:00:04.000"/></par>\n'
        "</seq>\n"
        '<seq epub:textref="01-a.xhtml#s3">\n'
        '<par id="p-u6"><text src="01-a.xhtml#u6"/><audio src="audio/01-a.mp3" clipBegin="0:00:04.500" clipEnd="0:00:05.000"/></par>\n'
        '<par id="p-u7"><text src="01-a.xhtml#u7"/><audio src="audio/01-a.mp3" clipBegin="0:00:05.300" clipEnd="0:00:06.000"/></par>\n'
        "</seq>\n"
        "</body>\n</smil>\n"
    )
    assert "s2" not in smil and "u5" not in smil
    assert DOC.duration_ms == 900 + 1300 + 1200 + 500 + 700


def test_nav_exact() -> None:
    assert epub3.build_nav(PKG) == (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en" dir="ltr">\n'
        "<head>\n"
        '<meta charset="utf-8"/>\n'
        "<title>The Paper, 1 May</title>\n"
        '<link rel="stylesheet" type="text/css" href="style.css"/>\n'
        "</head>\n"
        "<body>\n"
        '<nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-title">\n'
        '<h1 id="toc-title">Contents</h1>\n<ol>\n'
        '<li><a href="01-a.xhtml">Fish &amp; &lt;chips&gt; &quot;now&quot;</a>'
        '<ol><li><a href="01-a.xhtml#s2">Empty</a></li><li><a href="01-a.xhtml#s3">Last</a></li></ol></li>\n'
        "</ol>\n</nav>\n"
        '<nav epub:type="landmarks" id="landmarks" aria-labelledby="landmarks-title" hidden="hidden">\n'
        '<h2 id="landmarks-title">Landmarks</h2>\n<ol>\n'
        '<li><a epub:type="toc" href="nav.xhtml#toc">Contents</a></li>\n'
        '<li><a epub:type="bodymatter" href="01-a.xhtml">Fish &amp; &lt;chips&gt; &quot;now&quot;</a></li>\n'
        "</ol>\n</nav>\n</body>\n</html>\n"
    )


def test_package_exact() -> None:
    assert epub3.build_opf(PKG) == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="en">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'<dc:identifier id="pub-id">{PKG.identifier}</dc:identifier>\n'
        "<dc:title>The Paper, 1 May</dc:title>\n"
        "<dc:language>en</dc:language>\n"
        '<dc:creator id="aut1">Ann Smith</dc:creator>\n'
        '<meta refines="#aut1" property="role" scheme="marc:relators">aut</meta>\n'
        '<dc:contributor id="trl1">Bo Li</dc:contributor>\n'
        '<meta refines="#trl1" property="role" scheme="marc:relators">trl</meta>\n'
        "<dc:contributor id=\"nrt1\">synthetic voice 'espeak' (espeak-ng, en)</dc:contributor>\n"
        '<meta refines="#nrt1" property="role" scheme="marc:relators">nrt</meta>\n'
        "<dc:publisher>The Paper</dc:publisher>\n"
        "<dc:date>2024-05-01</dc:date>\n"
        '<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>\n'
        '<meta property="schema:accessMode">textual</meta>\n'
        '<meta property="schema:accessMode">auditory</meta>\n'
        '<meta property="schema:accessModeSufficient">textual</meta>\n'
        '<meta property="schema:accessModeSufficient">auditory</meta>\n'
        '<meta property="schema:accessModeSufficient">textual,auditory</meta>\n'
        '<meta property="schema:accessibilityFeature">synchronizedAudioText</meta>\n'
        '<meta property="schema:accessibilityFeature">structuralNavigation</meta>\n'
        '<meta property="schema:accessibilityFeature">tableOfContents</meta>\n'
        '<meta property="schema:accessibilityFeature">readingOrder</meta>\n'
        '<meta property="schema:accessibilityFeature">displayTransformability</meta>\n'
        '<meta property="schema:accessibilityHazard">none</meta>\n'
        f'<meta property="schema:accessibilitySummary">{epub3.escape(epub3.summary(PKG))}</meta>\n'
        '<meta property="media:duration" refines="#mo1">0:00:04.600</meta>\n'
        '<meta property="media:duration">0:00:04.600</meta>\n'
        "<meta property=\"media:narrator\">synthetic voice 'espeak' (espeak-ng, en)</meta>\n"
        '<meta property="media:active-class">ab-active</meta>\n'
        "</metadata>\n<manifest>\n"
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>\n'
        '<item id="css" href="style.css" media-type="text/css"/>\n'
        '<item id="cover" href="cover.jpg" media-type="image/jpeg" properties="cover-image"/>\n'
        '<item id="doc1" href="01-a.xhtml" media-type="application/xhtml+xml" media-overlay="mo1"/>\n'
        '<item id="mo1" href="01-a.smil" media-type="application/smil+xml"/>\n'
        '<item id="audio1" href="audio/01-a.mp3" media-type="audio/mpeg"/>\n'
        "</manifest>\n<spine>\n"
        '<itemref idref="nav" linear="no"/>\n'
        '<itemref idref="doc1"/>\n'
        "</spine>\n</package>\n"
    )
    assert "synthetic speech" in epub3.summary(PKG) and PKG.narrator in epub3.summary(PKG)


def test_identifier_is_stable_and_per_edition() -> None:
    assert epub3.identifier("The Paper", "x") == epub3.identifier("The Paper", "x")
    assert epub3.identifier("The Paper", "x") != epub3.identifier("The Paper", "y")
    assert epub3.identifier(None, "x").startswith("urn:uuid:")


def test_hostile_text_stays_well_formed_xhtml() -> None:
    nasty = "</span><script>alert(1)</script> &amp; \"q\" 'a' \x00\x07 \u202eevil \U0001f600 שלום ]]> <!-- x"
    doc = Document(
        "01-x",
        nasty,
        "he",
        (Block("h1", (Span("u1", nasty, (0, 10)),)), Block("p", (Span("u2", nasty, (10, 20)),))),
        "audio/01-x.mp3",
    )
    pkg = Package("urn:x", nasty, nasty, (nasty,), (nasty,), ("he",), None, "2023-11-14T22:13:20Z", nasty, (doc,))
    for text in (epub3.build_content(doc), epub3.build_overlay(doc), epub3.build_nav(pkg), epub3.build_opf(pkg)):
        ElementTree.fromstring(text.encode("utf-8"))  # raises on anything not well-formed
    content = epub3.build_content(doc)
    assert 'dir="rtl"' in content and 'xml:lang="he"' in content
    assert "<script>" not in content and "\U0001f600" in content and "\x00" not in content
    root = ElementTree.fromstring(content.encode("utf-8"))
    span = root.find(".//{http://www.w3.org/1999/xhtml}span[@id='u2']")
    assert span is not None and span.text == nasty.replace("\x00", "").replace("\x07", "")


def test_clips_never_empty_or_overlapping() -> None:
    def u(spoken: str) -> Utterance:
        return Utterance(spoken, spoken, SENTENCE, 0)

    cues = [Cue(0.0, 1.0, "a"), Cue(0.9996, 2.0, "b"), Cue(2.0, 2.0, "c"), Cue(2.5, 3.0, "…"), Cue(3.0, 3.0004, "d")]
    got = epub3.clips(cues, [u("a"), u("b"), u("c"), u("…"), u("d")])
    assert got == [(0, 1000), (1000, 2000), None, None, None]


def test_document_follows_the_script_and_keeps_unspoken_headings() -> None:
    article = Article(
        title="T",
        sections=(
            Section("T", (Paragraph("One. Two.", ("One.", " Two."), 3),), 2, announce_title=False),
            Section("Quiet", (Paragraph("Three.", ("Three.",), 6),), 5),
            Section("Spoken", (), 8),
        ),
        source="a.txt",
        line_start=1,
        line_end=9,
    )
    utterances = (
        Utterance("T", "T", TITLE, 100),
        Utterance("One.", "One.", SENTENCE, 100),
        Utterance("Two.", "Two.", SENTENCE, 100),
        Utterance("Three.", "Three.", SENTENCE, 100),  # this profile reads no heading for "Quiet"...
        Utterance("Spoken", "Spoken", HEADING, 0),
    )
    script = ArticleScript("T", (ScriptSection("T", utterances[:3]), ScriptSection("Quiet", utterances[3:4]), ScriptSection("Spoken", utterances[4:])))
    cues = [Cue(0.0, 0.5, "T"), Cue(0.6, 1.0, "One."), Cue(1.1, 1.5, "Two."), Cue(1.6, 2.0, "Three."), Cue(2.1, 2.5, "Spoken")]
    credit = NotRead("a.txt", 4, "PHOTO: X", "image credit")
    chrome = NotRead("a.txt", 4, "Share this", "web page control")
    contents = NotRead("a.txt", 4, "1. Quiet ... 3", "table of contents")
    doc = epub3.document("01-t", article, script, cues, "audio/01-t.mp3", "fr", [credit, chrome, contents])
    assert doc.blocks == (
        Block("h1", (Span("u1", "T", (0, 500)),)),
        Block("p", (Span("u2", "One.", (600, 1000)), Span("u3", "Two.", (1100, 1500)))),
        Block("not-read", (Span("", "PHOTO: X", None),), note="image credit"),
        Block("h2", (Span("u4", "Quiet", None),), anchor="s2"),  # ...so it is in the text, not in the overlay
        Block("p", (Span("u5", "Three.", (1600, 2000)),)),
        Block("h2", (Span("u6", "Spoken", (2100, 2500)),), anchor="s3"),
    )
    assert doc.language == "fr" and doc.sections == (("Quiet", "s2"), ("Spoken", "s3"))


def test_lines_not_read_go_to_their_article_or_the_one_after() -> None:
    def art(a: int, b: int) -> Article:
        return Article("x", (), "s.txt", a, b)

    items = [NotRead("s.txt", n, str(n), "image credit") for n in (2, 11, 15, 30)] + [NotRead("other.txt", 2, "o", "image credit")]
    got = epub3.assign([art(1, 10), art(14, 20)], items)
    assert [[n.text for n in group] for group in got] == [["2"], ["11", "15"]]


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_active_class_rule_is_visible_with_at_least_4_5_to_1_contrast() -> None:
    fg, bg = epub3.ACTIVE_COLOURS
    assert f".{epub3.ACTIVE_CLASS} {{ background-color: {bg}; color: {fg}; }}" in epub3.STYLE_CSS
    light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5
    # The highlight differs from the page's white, so the sentence visibly stands out.
    assert "background: #ffffff" in epub3.STYLE_CSS and bg != "#ffffff"


def test_zip_is_ocf_shaped_and_deterministic() -> None:
    files = epub3.members(PKG, b"\xff\xd8jpeg", [b"ID3mp3"])
    one, two = epub3.pack(files), epub3.pack(files)
    assert one == two
    assert one[30:38] == b"mimetype" and one[38:58] == b"application/epub+zip"
    with zipfile.ZipFile(io.BytesIO(one)) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == [
            "mimetype",
            "META-INF/container.xml",
            "EPUB/package.opf",
            "EPUB/nav.xhtml",
            "EPUB/style.css",
            "EPUB/cover.jpg",
            "EPUB/01-a.xhtml",
            "EPUB/01-a.smil",
            "EPUB/audio/01-a.mp3",
        ]
        assert infos[0].compress_type == zipfile.ZIP_STORED and not infos[0].extra
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert zf.read("EPUB/audio/01-a.mp3") == b"ID3mp3"
