"""Narrated EPUB 3: content documents, media overlays, nav, package and the zip, as pure builders."""

from __future__ import annotations

import io
import shutil
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..manifest import Cue
from ..model import Article, NotRead
from ..script import BYLINE, HEADING, SENTENCE, STANDFIRST, TITLE, ArticleScript, Utterance
from .text import clean

ACTIVE_CLASS = "ab-active"
CSS_NAME = "style.css"
NAV_NAME = "nav.xhtml"
COVER_NAME = "cover.jpg"
OPF_NAME = "package.opf"
CHAPTER_ID = "chapter"  # the article's outer section, which the overlay's first seq points at
ROOT = "EPUB"  # the folder inside the zip holding the publication
# A fixed zip time (the earliest a zip can hold): member timestamps never depend on the build.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
EPUB_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://audiobook.invalid/epub-identifier/v1")
# Scripts written right to left: the document gets dir="rtl" so lines start on the right.
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku", "ps", "sd", "syr", "ug", "ur", "yi"})
# Where a not-read line is part of the content a reader would see on the page (as opposed to
# a site's or a book's chrome), it is kept in the text, visibly, but not synchronised.
# Anything else (menus, share buttons, footers, contents lists, title and copyright pages,
# end-of-article lines whose facts are in the package metadata) is chrome, and left out.
CONTENT_REASONS = ("image", "caption", "figure", "code", "table", "credit", "unreadable")

# The highlight: black on yellow is 17.2:1, far above WCAG's 4.5:1; the body text is
# #1a1a1a on white (17.4:1). Both are tested.
STYLE_CSS = f"""body {{ font-family: serif; line-height: 1.5; color: #1a1a1a; background: #ffffff; }}
h1, h2, h3 {{ font-family: sans-serif; line-height: 1.2; }}
.byline {{ font-style: italic; }}
.standfirst {{ font-weight: bold; }}
.not-read {{ font-size: 0.9em; color: #4d4d4d; border-left: 0.2em solid #767676; padding-left: 0.5em; }}
.{ACTIVE_CLASS} {{ background-color: #ffeb3b; color: #000000; }}
"""
ACTIVE_COLOURS = ("#000000", "#ffeb3b")  # foreground, background of the active class


@dataclass(frozen=True)
class Span:
    """A heading or sentence in the text; `clip` is its audio in the article file, in ms, or None."""

    id: str
    text: str
    clip: tuple[int, int] | None


@dataclass(frozen=True)
class Block:
    """A heading (h1, h2), a paragraph (p), a byline or standfirst, or text not read aloud."""

    kind: str  # "h1", "h2", "byline", "standfirst", "p", "not-read"
    spans: tuple[Span, ...]
    anchor: str = ""  # id of the section a heading opens
    note: str = ""  # why a not-read block is not read


@dataclass(frozen=True)
class Document:
    """One article: its content document, overlay and audio."""

    name: str  # file stem, e.g. "01-lost-youth"
    title: str
    language: str
    blocks: tuple[Block, ...]
    audio: str  # path of the MP3 inside ROOT, e.g. "audio/01-lost-youth.mp3"

    @property
    def xhtml(self) -> str:
        return f"{self.name}.xhtml"

    @property
    def smil(self) -> str:
        return f"{self.name}.smil"

    @property
    def duration_ms(self) -> int:
        """The overlay's playing time: the sum of its clips (what readers and EPUBCheck add up)."""
        return sum(s.clip[1] - s.clip[0] for b in self.blocks for s in b.spans if s.clip)

    @property
    def sections(self) -> tuple[tuple[str, str], ...]:
        """(title, fragment) of each section heading, for the table of contents."""
        return tuple((" ".join(s.text for s in b.spans), b.anchor) for b in self.blocks if b.kind == "h2")


@dataclass(frozen=True)
class Package:
    """The whole publication's metadata and documents."""

    identifier: str
    title: str
    publication: str | None
    authors: tuple[str, ...]
    translators: tuple[str, ...]
    languages: tuple[str, ...]
    issue_date: str | None  # ISO date
    modified: str  # CCYY-MM-DDThh:mm:ssZ
    narrator: str
    documents: tuple[Document, ...]


# --- text ---------------------------------------------------------------------------


def escape(text: str) -> str:
    """Text for XML content or a double-quoted attribute: markup characters as entities, invalid characters dropped."""
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def clock(ms: int) -> str:
    """A SMIL full clock value with milliseconds: 1:02:03.456."""
    h, rest = divmod(max(0, ms), 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h}:{m:02d}:{s:02d}.{milli:03d}"


def identifier(publication: str | None, edition_slug: str) -> str:
    """The book's identifier, from what the edition is: the same on every rebuild."""
    return f"urn:uuid:{uuid.uuid5(EPUB_NAMESPACE, (publication or '') + chr(31) + edition_slug)}"


def direction(language: str) -> str:
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


# --- from the build to documents ------------------------------------------------------------


def clips(cues: Sequence[Cue], utterances: Sequence[Utterance]) -> list[tuple[int, int] | None]:
    """Each utterance's clip in whole ms; None when nothing was spoken or the clip would be empty.

    A clip never starts before the previous one ends, so no two overlap even after rounding.
    """
    out: list[tuple[int, int] | None] = []
    last_end = 0
    for cue, utterance in zip(cues, utterances, strict=True):
        begin, end = max(round(cue.start_s * 1000), last_end), round(cue.end_s * 1000)
        if not utterance.speakable or end <= begin:
            out.append(None)
            continue
        out.append((begin, end))
        last_end = end
    return out


def assign(articles: Sequence[Article], not_read: Sequence[NotRead]) -> list[list[NotRead]]:
    """Lines not read, per article: those inside an article, and those just before it (a picture's credit heads its article)."""
    out: list[list[NotRead]] = [[] for _ in articles]
    for item in not_read:
        for k, article in enumerate(articles):
            if article.source == item.source and item.line <= article.line_end:
                if k == 0 or articles[k - 1].source != item.source or item.line > articles[k - 1].line_end:
                    out[k].append(item)
                break
    return out


def _is_content(item: NotRead) -> bool:
    reason = item.reason.lower()
    return "contents" not in reason and any(word in reason for word in CONTENT_REASONS)


def document(
    name: str,
    article: Article,
    script: ArticleScript,
    cues: Sequence[Cue],
    audio: str,
    language: str,
    not_read: Sequence[NotRead] = (),
) -> Document:
    """The article as blocks of spans, each utterance matched with its clip.

    Walks the article as `script_article` does, so every heading and sentence
    is in the text, and those that were spoken carry their clip. Lines not read
    aloud that belong to the content (image credits, code) are placed by line;
    `not_read` holds the lines of this article (see `assign`).
    """
    utterances = script.utterances
    timed = clips(cues, utterances)
    pos = 0
    ids = iter(range(1, 1_000_000))

    def take(kind: str, text: str) -> Span:
        nonlocal pos
        if pos < len(utterances) and utterances[pos].kind == kind:
            u, clip = utterances[pos], timed[pos]
            pos += 1
            return Span(f"u{next(ids)}", u.text, clip)
        return Span(f"u{next(ids)}", text, None)  # in the text, never spoken (a heading the voice skips)

    extras = sorted((n for n in not_read if _is_content(n)), key=lambda n: n.line)
    blocks: list[Block] = [Block("h1", (take(TITLE, article.title),))]
    if pos < len(utterances) and utterances[pos].kind == BYLINE:
        blocks.append(Block("byline", (take(BYLINE, ""),)))
    if pos < len(utterances) and utterances[pos].kind == STANDFIRST:
        blocks.append(Block("standfirst", (take(STANDFIRST, ""),)))

    def place(before_line: int | None) -> None:
        while extras and (before_line is None or extras[0].line < before_line):
            item = extras.pop(0)
            blocks.append(Block("not-read", (Span("", item.text, None),), note=item.reason))

    for s_index, section in enumerate(article.sections):
        title = section.title.strip()
        if title and (s_index > 0 or section.announce_title):
            place(section.line)
            blocks.append(Block("h2", (take(HEADING, title),), anchor=f"s{s_index + 1}"))
        for para in section.paragraphs:
            place(para.line)
            sentences = [s.strip() for s in para.sentences if s.strip()] or ([para.text.strip()] if para.text.strip() else [])
            if sentences:
                blocks.append(Block("p", tuple(take(SENTENCE, s) for s in sentences)))
    place(None)
    return Document(name, article.title, language, tuple(blocks), audio)


# --- XHTML ------------------------------------------------------------------------------


def _span(span: Span) -> str:
    return f'<span id="{span.id}">{escape(span.text)}</span>'


def _block(block: Block) -> str:
    if block.kind == "h1":
        span = block.spans[0]
        return f'<h1 id="{span.id}">{escape(span.text)}</h1>'
    if block.kind == "h2":
        span = block.spans[0]
        return f'<h2 id="{span.id}">{escape(span.text)}</h2>'
    if block.kind == "not-read":
        return f'<p class="not-read" title="{escape("not read aloud: " + block.note)}">{escape(block.spans[0].text)}</p>'
    cls = f' class="{block.kind}"' if block.kind in ("byline", "standfirst") else ""
    return f"<p{cls}>" + " ".join(_span(s) for s in block.spans) + "</p>"


def _head(title: str) -> str:
    return (
        "<head>\n"
        '<meta charset="utf-8"/>\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="stylesheet" type="text/css" href="{CSS_NAME}"/>\n'
        "</head>\n"
    )


def _html_open(language: str) -> str:
    lang = escape(language)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'xml:lang="{lang}" lang="{lang}" dir="{direction(language)}">\n'
    )


def build_content(doc: Document) -> str:
    """The article's XHTML content document: one chapter, a section per heading, every sentence in an element with an id."""
    lines = [_html_open(doc.language) + _head(doc.title) + "<body>"]
    title_id = doc.blocks[0].spans[0].id
    lines.append(f'<section id="{CHAPTER_ID}" epub:type="chapter" role="doc-chapter" aria-labelledby="{title_id}">')
    lines.append("<header>")
    open_section = False
    in_header = True
    for block in doc.blocks:
        if in_header and block.kind not in ("h1", "byline", "standfirst"):
            lines.append("</header>")
            in_header = False
        if block.kind == "h2":
            if open_section:
                lines.append("</section>")
            lines.append(f'<section id="{block.anchor}" aria-labelledby="{block.spans[0].id}">')
            open_section = True
        lines.append(_block(block))
    if in_header:
        lines.append("</header>")
    if open_section:
        lines.append("</section>")
    lines.append("</section>\n</body>\n</html>\n")
    return "\n".join(lines)


# --- SMIL -------------------------------------------------------------------------------


def _runs(doc: Document) -> Iterator[tuple[str, list[Span]]]:
    """The spoken spans grouped by section: (textref fragment, spans); sections with nothing spoken are left out."""
    anchor = ""
    spans: list[Span] = []
    for block in doc.blocks:
        if block.kind == "h2":
            if spans:
                yield anchor, spans
            anchor, spans = block.anchor, []
        spans.extend(s for s in block.spans if s.clip is not None)
    if spans:
        yield anchor, spans


def build_overlay(doc: Document) -> str:
    """The media overlay: a seq per section, a par per spoken heading and sentence."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">',
        "<body>",
    ]
    for anchor, spans in _runs(doc):
        ref = f"{doc.xhtml}#{anchor or CHAPTER_ID}"
        kind = ' epub:type="chapter"' if not anchor else ""
        lines.append(f'<seq epub:textref="{ref}"{kind}>')
        for span in spans:
            assert span.clip is not None
            begin, end = span.clip
            lines.append(
                f'<par id="p-{span.id}"><text src="{doc.xhtml}#{span.id}"/>'
                f'<audio src="{doc.audio}" clipBegin="{clock(begin)}" clipEnd="{clock(end)}"/></par>'
            )
        lines.append("</seq>")
    lines.append("</body>\n</smil>\n")
    return "\n".join(lines)


# --- nav, package, container ---------------------------------------------------------------


def build_nav(pkg: Package) -> str:
    """The navigation document: contents by article and section, and landmarks."""
    items = []
    for doc in pkg.documents:
        subs = "".join(f'<li><a href="{doc.xhtml}#{anchor}">{escape(title)}</a></li>' for title, anchor in doc.sections)
        inner = f"<ol>{subs}</ol>" if subs else ""
        items.append(f'<li><a href="{doc.xhtml}">{escape(doc.title)}</a>{inner}</li>')
    first = pkg.documents[0].xhtml
    return (
        _html_open(pkg.languages[0])
        + _head(pkg.title)
        + "<body>\n"
        + '<nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-title">\n'
        + '<h1 id="toc-title">Contents</h1>\n<ol>\n'
        + "\n".join(items)
        + "\n</ol>\n</nav>\n"
        + '<nav epub:type="landmarks" id="landmarks" aria-labelledby="landmarks-title" hidden="hidden">\n'
        + '<h2 id="landmarks-title">Landmarks</h2>\n<ol>\n'
        + f'<li><a epub:type="toc" href="{NAV_NAME}#toc">Contents</a></li>\n'
        + f'<li><a epub:type="bodymatter" href="{first}">{escape(pkg.documents[0].title)}</a></li>\n'
        + "</ol>\n</nav>\n</body>\n</html>\n"
    )


def summary(pkg: Package) -> str:
    return (
        "The full text with synchronised narration: each sentence is highlighted as it is read. "
        f"The narration is synthetic speech ({pkg.narrator}), not a human reader. "
        "Headings and a table of contents give structure; image credits and code that are not read "
        "aloud are in the text, marked as not read."
    )


def build_opf(pkg: Package) -> str:
    """The package document: metadata (accessibility and media overlays included), manifest, spine."""
    meta = [
        f'<dc:identifier id="pub-id">{escape(pkg.identifier)}</dc:identifier>',
        f"<dc:title>{escape(pkg.title)}</dc:title>",
    ]
    meta += [f"<dc:language>{escape(lang)}</dc:language>" for lang in pkg.languages]
    for n, name in enumerate(pkg.authors, 1):
        meta.append(f'<dc:creator id="aut{n}">{escape(name)}</dc:creator>')
        meta.append(f'<meta refines="#aut{n}" property="role" scheme="marc:relators">aut</meta>')
    for n, name in enumerate(pkg.translators, 1):
        meta.append(f'<dc:contributor id="trl{n}">{escape(name)}</dc:contributor>')
        meta.append(f'<meta refines="#trl{n}" property="role" scheme="marc:relators">trl</meta>')
    meta.append(f'<dc:contributor id="nrt1">{escape(pkg.narrator)}</dc:contributor>')
    meta.append('<meta refines="#nrt1" property="role" scheme="marc:relators">nrt</meta>')
    if pkg.publication:
        meta.append(f"<dc:publisher>{escape(pkg.publication)}</dc:publisher>")
    if pkg.issue_date:
        meta.append(f"<dc:date>{escape(pkg.issue_date)}</dc:date>")
    meta.append(f'<meta property="dcterms:modified">{pkg.modified}</meta>')
    meta += [
        '<meta property="schema:accessMode">textual</meta>',
        '<meta property="schema:accessMode">auditory</meta>',
        '<meta property="schema:accessModeSufficient">textual</meta>',
        '<meta property="schema:accessModeSufficient">auditory</meta>',
        '<meta property="schema:accessModeSufficient">textual,auditory</meta>',
    ]
    meta += [
        f'<meta property="schema:accessibilityFeature">{f}</meta>'
        for f in ("synchronizedAudioText", "structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability")
    ]
    meta.append('<meta property="schema:accessibilityHazard">none</meta>')
    meta.append(f'<meta property="schema:accessibilitySummary">{escape(summary(pkg))}</meta>')
    total = 0
    for n, doc in enumerate(pkg.documents, 1):
        total += doc.duration_ms
        meta.append(f'<meta property="media:duration" refines="#mo{n}">{clock(doc.duration_ms)}</meta>')
    meta.append(f'<meta property="media:duration">{clock(total)}</meta>')
    meta.append(f'<meta property="media:narrator">{escape(pkg.narrator)}</meta>')
    meta.append(f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>')

    items = [
        f'<item id="nav" href="{NAV_NAME}" media-type="application/xhtml+xml" properties="nav"/>',
        f'<item id="css" href="{CSS_NAME}" media-type="text/css"/>',
        f'<item id="cover" href="{COVER_NAME}" media-type="image/jpeg" properties="cover-image"/>',
    ]
    # The nav is in the spine (out of the reading order) because the landmarks link to it.
    spine = ['<itemref idref="nav" linear="no"/>']
    for n, doc in enumerate(pkg.documents, 1):
        items.append(f'<item id="doc{n}" href="{doc.xhtml}" media-type="application/xhtml+xml" media-overlay="mo{n}"/>')
        items.append(f'<item id="mo{n}" href="{doc.smil}" media-type="application/smil+xml"/>')
        items.append(f'<item id="audio{n}" href="{doc.audio}" media-type="audio/mpeg"/>')
        spine.append(f'<itemref idref="doc{n}"/>')
    lang = escape(pkg.languages[0])
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="{lang}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        + "\n".join(meta)
        + "\n</metadata>\n<manifest>\n"
        + "\n".join(items)
        + "\n</manifest>\n<spine>\n"
        + "\n".join(spine)
        + "\n</spine>\n</package>\n"
    )


CONTAINER_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">\n'
    f'<rootfiles><rootfile full-path="{ROOT}/{OPF_NAME}" media-type="application/oebps-package+xml"/></rootfiles>\n'
    "</container>\n"
)


def members(pkg: Package, cover_jpeg: bytes, audio: Sequence[bytes | Path]) -> list[tuple[str, bytes | Path]]:
    """Every file of the publication, in the order it is zipped (mimetype first); audio as bytes or the MP3's path."""
    out: list[tuple[str, bytes | Path]] = [
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", CONTAINER_XML.encode()),
        (f"{ROOT}/{OPF_NAME}", build_opf(pkg).encode()),
        (f"{ROOT}/{NAV_NAME}", build_nav(pkg).encode()),
        (f"{ROOT}/{CSS_NAME}", STYLE_CSS.encode()),
        (f"{ROOT}/{COVER_NAME}", cover_jpeg),
    ]
    for doc in pkg.documents:
        out.append((f"{ROOT}/{doc.xhtml}", build_content(doc).encode()))
        out.append((f"{ROOT}/{doc.smil}", build_overlay(doc).encode()))
    for doc, data in zip(pkg.documents, audio, strict=True):
        out.append((f"{ROOT}/{doc.audio}", data))
    return out


def write_zip(files: Sequence[tuple[str, bytes | Path]], fh: BinaryIO) -> None:
    """Zip the files into `fh` as EPUB's OCF wants it, byte-identical for the same files.

    `mimetype` is stored (uncompressed) so its bytes sit at offset 38; every member
    has the same fixed timestamp and permissions. Already compressed media (MP3,
    JPEG) is stored too: deflating it saves nothing. Files given by path are
    streamed, so a long book's audio is never held in memory.
    """
    with zipfile.ZipFile(fh, "w") as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the building machine
            stored = name == "mimetype" or name.endswith((".mp3", ".jpg"))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            if isinstance(data, bytes):
                zf.writestr(info, data, compresslevel=None if stored else 9)
                continue
            info.file_size = data.stat().st_size  # decides ZIP64 up front, as writestr does
            with open(data, "rb") as src, zf.open(info, "w") as dest:
                shutil.copyfileobj(src, dest, 1 << 20)


def pack(files: Sequence[tuple[str, bytes | Path]]) -> bytes:
    """The zip of `write_zip` as bytes."""
    buffer = io.BytesIO()
    write_zip(files, buffer)
    return buffer.getvalue()
