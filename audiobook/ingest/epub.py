"""EPUB reader: chapters in spine order from the nav document or NCX, package metadata and cover, parsed safely."""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from urllib.parse import unquote, urlsplit

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException
from selectolax.lexbor import LexborHTMLParser

from ..errors import InputError
from ..model import Article, NotRead, Paragraph, Section
from .html import (
    Block,
    _LineIndex,
    check_nesting,
    clean_text,
    close_empty_elements,
    decode_html,
    guess_language,
    join_titles,
    language_code,
    shorten,
    strip_permalinks,
    walk_blocks,
)
from .meta import parse_iso_date
from .reader import is_epub
from .text import make_paragraph

# Limits that keep a hostile archive from eating the machine. Real books are a few MB;
# the biggest illustrated ones stay well under these.
MAX_EPUB_BYTES = 512 * 2**20
MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 32 * 2**20  # one decompressed file
MAX_TOTAL_BYTES = 256 * 2**20  # everything decompressed while reading one book
MAX_RATIO = 100  # deflate rarely beats 10:1 on text; a 100:1 member over 1 MB is a bomb

_OPS = "{http://www.idpf.org/2007/ops}"
_OPF = "{http://www.idpf.org/2007/opf}"
_XML = "{http://www.w3.org/XML/1998/namespace}"

# Package-declared kinds of document that are not read by default.
_MATTER = {
    "cover": "cover",
    "titlepage": "title page",
    "title-page": "title page",
    "halftitlepage": "title page",
    "copyright-page": "copyright page",
    "dedication": "dedication",
    "toc": "table of contents",
    "toc-brief": "table of contents",
    "loi": "list of illustrations",
    "lot": "list of tables",
    "colophon": "colophon",
    "imprint": "colophon",
    "imprimatur": "colophon",
    "index": "index",
    "endnotes": "notes",
    "rearnotes": "notes",
    "footnotes": "notes",
    "notes": "notes",
    "bibliography": "bibliography",
}
_MATTER_STEMS = {
    "cover": "cover", "title": "title page", "titlepage": "title page", "title_page": "title page",
    "title-page": "title page", "halftitle": "title page", "copyright": "copyright page", "dedication": "dedication", "toc": "table of contents",
    "contents": "table of contents", "colophon": "colophon", "imprint": "colophon", "license": "licence",
    "licence": "licence",
}
_MATTER_LABEL = re.compile(
    r"^(?:(?:table of )?contents|copyright(?: page| notice)?|title ?page|cover|colophon|imprint|"
    r"(?:the )?(?:full )?(?:project gutenberg )?licen[cs]e(?: agreement)?|about this e?book)$",
    re.I,
)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element: ET.Element) -> str:
    return clean_text("".join(element.itertext()))


def _unsafe(name: str) -> bool:
    """A member name that would point outside the archive if anyone extracted it."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or bool(re.match(r"^[A-Za-z]:", name))


class _Archive:
    """The zip container, read member by member within the size limits."""

    def __init__(self, raw: bytes, source: str) -> None:
        self.source = source
        if len(raw) > MAX_EPUB_BYTES:
            raise InputError(f"{source}: book is {len(raw) // 2**20} MB; books over {MAX_EPUB_BYTES // 2**20} MB "
                             "are refused")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(raw))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
            raise InputError(f"{source}: not a readable EPUB (zip archive): {exc}") from None
        if len(infos) > MAX_MEMBERS:
            raise InputError(f"{source}: archive has {len(infos)} files; more than {MAX_MEMBERS} are refused")
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.unsafe: list[str] = []
        for info in infos:
            if _unsafe(info.filename):
                self.unsafe.append(info.filename)
            elif not info.is_dir():
                self.members.setdefault(info.filename, info)
        self._folded = {name.casefold(): name for name in self.members}
        self.total = 0

    def find(self, name: str) -> str | None:
        """The member called `name`, forgiving case (books made on Windows mix it)."""
        if name in self.members:
            return name
        return self._folded.get(name.casefold())

    def read(self, name: str) -> bytes:
        info = self.members[name]
        where = f"{self.source}: {name}"
        if info.flag_bits & 0x1:
            raise InputError(f"{where} is encrypted (a DRM-protected book cannot be read)")
        if info.file_size > MAX_MEMBER_BYTES:
            raise InputError(f"{where} is {info.file_size // 2**20} MB when decompressed; "
                             f"over {MAX_MEMBER_BYTES // 2**20} MB is refused")
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(f"{where} is compressed {info.file_size // max(info.compress_size, 1)}:1, "
                             "which only a zip bomb does; refused")
        try:
            with self.zip.open(info) as member:
                # Sizes in the zip directory can lie: the cap holds whatever it says.
                data = member.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise InputError(f"{where} cannot be decompressed: {exc}") from None
        if len(data) > MAX_MEMBER_BYTES:
            raise InputError(f"{where} decompresses past {MAX_MEMBER_BYTES // 2**20} MB; refused")
        self.total += len(data)
        if self.total > MAX_TOTAL_BYTES:
            raise InputError(f"{self.source}: book decompresses past {MAX_TOTAL_BYTES // 2**20} MB; refused")
        return data

    def xml(self, name: str, *, lenient: bool = False, data: bytes | None = None) -> ET.Element | None:
        """A member (or its bytes, already read) parsed as XML, entity declarations and external references refused."""
        if data is None:
            data = self.read(name)
        try:
            return DET.fromstring(data)
        except DefusedXmlException:
            raise InputError(
                f"{self.source}: {name} declares XML entities or external references, "
                "which are refused for safety (an XML bomb?)"
            ) from None
        except ET.ParseError as exc:
            if lenient:
                return None
            raise InputError(f"{self.source}: {name} is not well-formed XML: {exc}") from None


@dataclass
class _Item:
    id: str
    member: str | None  # None when the href is unsafe or missing
    href: str
    media_type: str
    properties: frozenset[str]
    outside: bool = False  # the href leaves the archive (listed once, where the manifest is read)


@dataclass
class _Package:
    """What content.opf says: metadata, manifest, spine, guide."""

    opf: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    translators: list[str] = field(default_factory=list)
    language: str | None = None
    publisher: str | None = None
    date: dt.date | None = None
    items: dict[str, _Item] = field(default_factory=dict)
    spine: list[tuple[_Item, bool]] = field(default_factory=list)  # (item, linear)
    ncx: _Item | None = None
    guide: dict[str, str] = field(default_factory=dict)  # member → type
    cover: _Item | None = None
    not_read: list[NotRead] = field(default_factory=list)


def _resolve(base: str, href: str) -> tuple[str, str] | None:
    """(member path, fragment) for an href relative to the folder `base`; None if it leaves the archive."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return (base, unquote(parts.fragment))
    joined = posixpath.normpath(posixpath.join(base, path))
    if _unsafe(joined) or joined == ".":
        return None
    return joined, unquote(parts.fragment)


def _package(archive: _Archive) -> _Package:
    """Locate and read the package document (content.opf)."""
    source = archive.source
    opf: str | None = None
    named: str | None = None  # the package path container.xml gives
    container = archive.find("META-INF/container.xml")
    if container is not None:
        root = archive.xml(container)
        assert root is not None
        for rootfile in root.iter():
            if _local(rootfile.tag) == "rootfile" and rootfile.get("full-path"):
                path = rootfile.get("full-path", "")
                if _unsafe(path):
                    raise InputError(f"{source}: the package path {path!r} points outside the archive")
                opf = archive.find(path)
                named = named or path
                if rootfile.get("media-type", "application/oebps-package+xml") == "application/oebps-package+xml":
                    break
    if opf is None:
        opf = next((name for name in archive.members if name.lower().endswith(".opf")), None)
    if opf is None and named is not None:
        raise InputError(f"{source}: malformed EPUB: the package document {named!r} named by "
                         "META-INF/container.xml is not in the archive")
    if opf is None:
        raise InputError(f"{source}: not an EPUB: no package document (content.opf) in the archive")
    root = archive.xml(opf)
    assert root is not None
    pkg = _Package(opf)
    base = posixpath.dirname(opf)

    children = {_local(child.tag): child for child in root}
    metadata = children.get("metadata")
    if metadata is not None:
        _read_metadata(metadata, pkg)
    manifest = children.get("manifest")
    cover_id = None
    if metadata is not None:
        for meta in metadata.iter():
            if _local(meta.tag) == "meta" and meta.get("name") == "cover":
                cover_id = meta.get("content")
    for item in manifest.iter() if manifest is not None else ():
        if _local(item.tag) != "item":
            continue
        href = item.get("href", "")
        resolved = _resolve(base, href)
        member = archive.find(resolved[0]) if resolved else None
        entry = _Item(item.get("id", ""), member, href, item.get("media-type", ""),
                      frozenset(item.get("properties", "").split()), outside=resolved is None)
        if resolved is None:
            pkg.not_read.append(NotRead(source, 0, href, "link outside the archive, ignored"))
        pkg.items[entry.id] = entry
        if "cover-image" in entry.properties:
            pkg.cover = entry
    if pkg.cover is None and cover_id in pkg.items:
        pkg.cover = pkg.items[cover_id or ""]
    spine = children.get("spine")
    if spine is not None:
        pkg.ncx = pkg.items.get(spine.get("toc", ""))
        for ref in spine:
            spine_item = pkg.items.get(ref.get("idref", "")) if _local(ref.tag) == "itemref" else None
            if spine_item is not None:
                pkg.spine.append((spine_item, ref.get("linear", "yes") != "no"))
    if pkg.ncx is None:
        pkg.ncx = next((i for i in pkg.items.values() if i.media_type == "application/x-dtbncx+xml"), None)
    guide = children.get("guide")
    for ref in guide if guide is not None else ():
        resolved = _resolve(base, ref.get("href", ""))
        member = archive.find(resolved[0]) if resolved else None
        if member and ref.get("type"):
            pkg.guide.setdefault(member, ref.get("type", "").lower())
            if pkg.cover is None and ref.get("type", "").lower() == "cover" and member:
                images = [i for i in pkg.items.values() if i.member == member and i.media_type.startswith("image/")]
                pkg.cover = images[0] if images else None
    if pkg.cover is None:
        pkg.cover = next((i for i in pkg.items.values() if i.media_type.startswith("image/")
                          and "cover" in f"{i.id} {i.href}".lower()), None)
    return pkg


def _read_metadata(metadata: ET.Element, pkg: _Package) -> None:
    """Dublin Core metadata, with EPUB 3 refinements (roles, main title) and EPUB 2 opf:role."""
    refines: dict[str, dict[str, str]] = {}
    # OPF 2 books sometimes wrap Dublin Core in <dc-metadata>: look at every descendant.
    elements = list(metadata.iter())[1:]
    for meta in elements:
        if _local(meta.tag) == "meta" and meta.get("refines", "").startswith("#") and meta.get("property"):
            refines.setdefault(meta.get("refines", "")[1:], {})[meta.get("property", "")] = (meta.text or "").strip()
    titles: list[tuple[str, str]] = []
    dates: list[tuple[str, str]] = []
    for element in elements:
        name = _local(element.tag)
        text = _text(element)
        if not text:
            continue
        extra = refines.get(element.get("id", ""), {})
        if name == "title":
            titles.append((extra.get("title-type", ""), text))
        elif name in ("creator", "contributor"):
            role = (element.get(f"{_OPF}role") or element.get("role") or extra.get("role", "")).lower()
            if role == "trl":
                pkg.translators.append(text)
            elif role in ("aut", "") and name == "creator":
                pkg.authors.append(text)
        elif name == "language" and pkg.language is None:
            pkg.language = language_code(text)
        elif name == "publisher" and pkg.publisher is None:
            pkg.publisher = text
        elif name == "date":
            dates.append(((element.get(f"{_OPF}event") or element.get("event") or "").lower(), text))
    main = [t for kind, t in titles if kind == "main"]
    pkg.title = next(iter(main or [t for _, t in titles]), None)
    # EPUB 2 can list creation, publication and modification dates; publication is the one meant.
    dates.sort(key=lambda d: d[0] not in ("publication", "original-publication", ""))
    # calibre writes 0101-01-01 for "no date".
    pkg.date = next((d for d in (parse_iso_date(text) for _, text in dates) if d and d.year > 1000), None)


@dataclass(frozen=True)
class _TocEntry:
    label: str
    member: str
    fragment: str


def _toc(archive: _Archive, pkg: _Package) -> tuple[list[_TocEntry], dict[str, str]]:
    """Table of contents entries in document order, and landmark types by member.

    From the EPUB 3 navigation document when there is one, else the EPUB 2 NCX.
    """
    entries: list[_TocEntry] = []
    landmarks: dict[str, str] = {}
    nowhere: list[tuple[str, str]] = []  # (table of contents, href) of entries whose document is absent
    nav = next((i for i in pkg.items.values() if "nav" in i.properties and i.member), None)
    if nav is not None and nav.member is not None:
        root = archive.xml(nav.member, lenient=True)
        base = posixpath.dirname(nav.member)
        for element in root.iter() if root is not None else ():
            if _local(element.tag) != "nav":
                continue
            types = (element.get(f"{_OPS}type") or element.get("epub:type") or "").split()
            for link in element.iter():
                if _local(link.tag) != "a" or not link.get("href"):
                    continue
                resolved = _resolve(base, link.get("href", ""))
                member = archive.find(resolved[0]) if resolved else None
                if resolved is None or member is None:
                    if "toc" in types:
                        nowhere.append((nav.member, link.get("href", "")))
                    continue
                if "landmarks" in types:
                    kind = (link.get(f"{_OPS}type") or link.get("epub:type") or "").lower()
                    if kind and not resolved[1]:
                        landmarks.setdefault(member, kind)
                elif "toc" in types:
                    entries.append(_TocEntry(strip_permalinks(_text(link)), member, resolved[1]))
    if not entries and pkg.ncx is not None and pkg.ncx.member is not None:
        root = archive.xml(pkg.ncx.member, lenient=True)
        base = posixpath.dirname(pkg.ncx.member)
        for point in root.iter() if root is not None else ():
            if _local(point.tag) != "navPoint":
                continue
            label = next((_text(t) for t in point.iter() if _local(t.tag) == "text"), "")
            content = next((c for c in point if _local(c.tag) == "content"), None)
            resolved = _resolve(base, content.get("src", "")) if content is not None else None
            member = archive.find(resolved[0]) if resolved else None
            if resolved is not None and member is not None:
                entries.append(_TocEntry(strip_permalinks(label), member, resolved[1]))
            elif content is not None:
                nowhere.append((pkg.ncx.member, content.get("src", "")))
    if not entries and nowhere:
        where, href = nowhere[0]
        raise InputError(f"{archive.source}: malformed EPUB: the table of contents ({where}) points to no "
                         f"document in the archive (the first entry is {href!r})")
    return entries, landmarks


def _xhtml_to_html(root: ET.Element) -> str:
    """Serialise parsed XHTML as HTML, so `<a id="x"/>` cannot swallow the text after it."""
    for element in root.iter():
        element.tag = _local(element.tag)
        for key in [k for k in element.attrib if k.startswith("{")]:
            prefix = "epub:" if key.startswith(_OPS) else "xml:" if key.startswith(_XML) else ""
            element.attrib[prefix + _local(key)] = element.attrib.pop(key)
    return ET.tostring(root, encoding="unicode", method="html")


@dataclass
class _Doc:
    blocks: list[Block]
    title: str
    types: frozenset[str]  # epub:type values on the body and its top-level sections


def _document(archive: _Archive, member: str, anchors: frozenset[str]) -> _Doc:
    """Walk one content document into blocks (XHTML checked with defusedxml first)."""
    data = archive.read(member)
    check_nesting(decode_html(data), f"{archive.source}: {member}")
    root = archive.xml(member, lenient=True, data=data)
    text = ""
    if root is not None:
        try:
            text = _xhtml_to_html(root)
        except RecursionError:  # the serialiser recurses; absurd inline nesting goes the HTML way
            text = ""
    # Not well-formed (HTML entities such as &nbsp;, unclosed tags): read it as HTML.
    text = text or close_empty_elements(decode_html(data))
    tree = LexborHTMLParser(text)
    body = tree.body
    title_node = tree.css_first("title")
    title = strip_permalinks(clean_text(title_node.text())) if title_node is not None else ""
    if body is None:
        return _Doc([], title, frozenset())
    types: set[str] = set()
    for node in [body, *body.iter()]:
        types.update((node.attributes.get("epub:type") or "").lower().split())
    return _Doc(walk_blocks(body, _LineIndex(text, tree), anchors, guard=False), title, frozenset(types))


def _matter(member: str, pkg: _Package, doc_types: frozenset[str], landmarks: dict[str, str],
            labels: list[str]) -> str:
    """Why a whole document is front or back matter (not read by default), or ""."""
    for kind in (landmarks.get(member, ""), pkg.guide.get(member, ""), *sorted(doc_types)):
        if kind in _MATTER:
            return _MATTER[kind]
    if any("nav" in i.properties for i in pkg.items.values() if i.member == member):
        return "table of contents"
    stem = PurePath(member).stem.lower()
    if stem in _MATTER_STEMS:
        return _MATTER_STEMS[stem]
    for label in labels:
        if _MATTER_LABEL.match(label):
            return label.lower()
    return ""


# Lines of a title, copyright or dedication page, judged by what they say (many books mark
# none of their pages: calibre's Quick Start guides, most self-published books).
_COPYRIGHT_LINE = re.compile(
    r"copyright|©|\(c\)\s*\d{4}|all rights reserved|tous droits réservés|alle rechte vorbehalten|"
    r"\bisbn\b|licen[cs]ed under|creative commons|published by|first published|printed in|"
    r"publié par|dépôt légal|\bimpressum\b|verlag", re.I)
_DEDICATION_LINE = re.compile(r"^(?:dedicated to|dedication|for my|to my|à mon|à ma|à mes|für meine?n?)\b", re.I)
_TITLE_PAGE_LINE = re.compile(
    r"^(?:(?:by|par|von|di|av|de|written by|edited by|translated by)\s*:?\s+\S.{0,60}|"
    r"(?:\w+\s+)?(?:edition|édition|auflage|ausgabe|edizione|utgåvan?|version)(?:\s+\S+)?|"
    r"\d{4}|[\w\s.,'’&-]{1,40}(?:press|publishing|books|éditions|verlag))$", re.I)
FRONT_MATTER_WORDS = 150  # a title or copyright page is short


def _matter_by_content(blocks: Sequence[Block], pkg: _Package, label: str) -> str:
    """Why a short document is a title, copyright or dedication page by its text alone, or ""."""
    lines = [b.text for b in blocks if b.kind in ("text", "heading", "standfirst") and b.text]
    words = sum(len(line.split()) for line in lines)
    if not lines or words > FRONT_MATTER_WORDS:
        return ""
    names = [pkg.title or "", label, *pkg.authors, *pkg.translators, pkg.publisher or ""]
    known = set().union(*(_words(n) for n in names if n))
    kinds: set[str] = set()
    matter_words = 0
    for line in lines:
        n = len(line.split())
        if _COPYRIGHT_LINE.search(line):
            kinds.add("copyright page")
        elif _DEDICATION_LINE.match(line):
            kinds.add("dedication")
        elif _TITLE_PAGE_LINE.match(line) or (_words(line) and _words(line) <= known):
            kinds.add("title page")
        else:
            continue
        matter_words += n
    # Mostly such lines, or a copyright line among short ones (an edition or a translator's
    # credit in a language the patterns do not know); never a heading that only repeats the title.
    mostly = matter_words * 10 >= words * 8
    short = "copyright page" in kinds and max(len(line.split()) for line in lines) <= 30
    if not (mostly or short) or not kinds - {"title page"} and len(lines) < 2:
        return ""
    for kind in ("copyright page", "dedication", "title page"):
        if kind in kinds:
            return kind
    return ""


def _is_document(item: _Item) -> bool:
    """Whether a spine item is a text document (an image or SVG page has nothing to read)."""
    if item.media_type:
        return item.media_type in ("application/xhtml+xml", "text/html", "application/xml", "text/xml")
    return item.href.lower().endswith((".xhtml", ".html", ".htm", ".xml"))


def _words(text: str) -> set[str]:
    """The words of a text, without section numbers ("1. About this manual" → {about, this, manual})."""
    return {w for w in re.findall(r"\w+", text.lower()) if not w.isdigit()}


def _repeats_title(block: Block, title: str) -> str:
    """How the first block of a chapter only repeats its title (see read_epub), or "".

    "heading": the title as a heading (said at the mark, nothing to list); "repeat": the title
    with a numbered label before it, or as a paragraph (listed as not read).
    """
    said, marked = _words(block.text), _words(title)
    if block.kind == "heading" and said <= marked:
        return "heading"
    if not marked or not said >= marked:
        return ""
    if said == marked:
        return "repeat"
    numbers = re.findall(r"\d+", block.text)
    # "Chapter 1. Introduction" under "1. Introduction": one label word, the same number.
    if block.kind == "heading" and len(said - marked) == 1 and numbers and numbers == re.findall(r"\d+", title):
        return "repeat"
    return ""


@dataclass
class _Chapter:
    title: str
    line: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    evidence: str = ""  # why this is a chapter, for `plan --explain`


def _toc_evidence(entry: _TocEntry) -> str:
    if entry.label:
        return "an entry of the book's table of contents"
    return "the document's <title> (its entry in the table of contents has no label)"


def _events(archive: _Archive, pkg: _Package, toc: list[_TocEntry], landmarks: dict[str, str],
            not_read: list[NotRead], include_matter: bool) -> Iterator[tuple[str, str, Block, str]]:
    """("chapter", title, block, evidence) and ("block", member, block, "") events across the spine in reading order."""
    source = archive.source
    by_member: dict[str, list[_TocEntry]] = {}
    for entry in toc:
        by_member.setdefault(entry.member, []).append(entry)
    spine_members = {item.member for item, _ in pkg.spine}
    use_toc = any(entry.member in spine_members for entry in toc)
    part = 0
    read_words = 0  # words read so far: title and copyright pages come before the book's prose
    seen: set[str] = set()
    for item, linear in pkg.spine:
        if item.member is None:
            if not item.outside:
                not_read.append(NotRead(source, 0, item.href, "missing from the archive, ignored"))
            continue
        member = item.member
        if member in seen:
            # Some generators (SiSU) list one file in the spine once per section, as
            # "ch.xhtml#o8": the file is read once, its chapters found by the contents.
            continue
        seen.add(member)
        if not _is_document(item):
            not_read.append(NotRead(source, 0, item.href, f"not a text document ({item.media_type}), not read"))
            continue
        entries = by_member.get(member, [])
        doc = _document(archive, member, frozenset(e.fragment for e in entries if e.fragment))
        matter = "" if include_matter else _matter(member, pkg, doc.types, landmarks,
                                                   [e.label for e in entries if not e.fragment])
        if not matter and not include_matter and read_words < FRONT_MATTER_WORDS:
            matter = _matter_by_content(doc.blocks, pkg, next((e.label for e in entries), doc.title))
        reason = "outside the reading order (linear=no)" if not linear else matter
        if not reason:
            read_words += sum(len(b.text.split()) for b in doc.blocks if b.kind in ("text", "standfirst"))
        if reason:
            text = " ".join(b.text for b in doc.blocks if b.kind != "anchor")
            if text:
                line = next((b.line for b in doc.blocks), 1)
                not_read.append(NotRead(source, line, shorten(text), f"{reason} ({member})"))
            continue
        if use_toc:
            found = {b.text for b in doc.blocks if b.kind == "anchor"}
            for entry in entries:
                if not entry.fragment or entry.fragment not in found:
                    yield "chapter", entry.label or doc.title or "Untitled chapter", Block("anchor", "", 1), _toc_evidence(entry)
            for block in doc.blocks:
                if block.kind == "anchor":
                    for entry in entries:
                        if entry.fragment == block.text:
                            yield "chapter", entry.label or doc.title or "Untitled chapter", block, _toc_evidence(entry)
                else:
                    yield "block", member, block, ""
        else:
            # No usable table of contents: chapters start at top-level headings, or at each document.
            levels = [b.level for b in doc.blocks if b.kind == "heading" and b.level <= 3]
            top = min(levels, default=0)
            first = next((b for b in doc.blocks if b.kind != "anchor"), None)
            if first is None:
                continue
            if not top or first.kind != "heading" or first.level != top:
                part += 1
                yield "chapter", doc.title or f"Part {part}", Block("anchor", "", 1), (
                    "the document's <title> (the book has no usable table of contents)" if doc.title
                    else "a new document in the spine, with no title or heading")
            for block in doc.blocks:
                if block.kind == "heading" and block.level == top:
                    yield "chapter", block.text, block, f"an <h{block.level}> heading, the top level of its document " \
                        "(the book has no usable table of contents)"
                elif block.kind != "anchor":
                    yield "block", member, block, ""


def read_epub(raw: bytes, source: str, *, include_matter: bool = False) -> tuple[list[Article], list[NotRead]]:
    """One article per book, its chapters as sections, and what is not read (front and back matter...).

    With `include_matter`, title, copyright, contents and other front and back matter pages are read too.
    """
    archive = _Archive(raw, source)
    not_read = [NotRead(source, 0, name, "archive member with an unsafe path, ignored") for name in archive.unsafe]
    _refuse_drm(archive)
    pkg = _package(archive)
    not_read.extend(pkg.not_read)
    toc, landmarks = _toc(archive, pkg)
    chapters: list[_Chapter] = []
    pending: tuple[str, int, str] | None = None  # a chapter mark with no text yet: (title, line, evidence)
    front: dict[str, list[Block]] = {}
    book_words = _words(pkg.title or "")
    for event, name, block, evidence in _events(archive, pkg, toc, landmarks, not_read, include_matter):
        if event == "chapter":
            # Marks with nothing between them (a part, then its first chapter) make one chapter.
            if pending:
                joined = join_titles(pending[0], name)
                why = pending[2] if joined == pending[0] else f"{pending[2]}, joined with the next one (no text between)"
                pending = (joined, pending[1], why)
            else:
                pending = (clean_text(name), block.line, evidence)
            continue
        if block.kind == "skip":
            not_read.append(NotRead(source, block.line, block.text, block.reason))
            continue
        if pending is None and not chapters:
            if not include_matter:
                front.setdefault(name, []).append(block)
                continue
            pending = ("Front matter", block.line, "text before the first chapter (front matter is read on request)")
        if pending is not None:
            # The chapter's own heading is its title, announced already: not read twice. So is
            # the same title with a label before it ("Chapter 1. Introduction" under the mark
            # "1. Introduction"), or set as a bold paragraph rather than a heading.
            repeat = _repeats_title(block, pending[0])
            if repeat == "repeat":
                not_read.append(NotRead(source, block.line, block.text, "the chapter's title again, said at its mark"))
            if repeat:
                continue
            chapters.append(_Chapter(pending[0], block.line, evidence=pending[2]))
            pending = None
        chapters[-1].paragraphs.append(make_paragraph(block.text, block.line))
    if pending is not None:
        not_read.append(NotRead(source, pending[1], pending[0], "chapter with no text"))
    for member, blocks in front.items():
        not_read.append(NotRead(source, blocks[0].line, shorten(" ".join(b.text for b in blocks)),
                                f"front matter before the first chapter ({member})"))
    listed = {item.member for item, _ in pkg.spine} | {pkg.ncx.member if pkg.ncx else None}
    for item in pkg.items.values():
        if item.member and item.member not in listed and "nav" not in item.properties \
                and item.media_type in ("application/xhtml+xml", "text/html"):
            not_read.append(NotRead(source, 0, item.href, "document not in the reading order (not in the spine)"))
    if not chapters:
        raise InputError(f"{source}: no readable chapters in the book")
    title = pkg.title or PurePath(source).stem
    title_evidence = "the book's package metadata (dc:title)" if pkg.title else "the file name (the book has no dc:title)"
    article = Article(
        title=title,
        # A chapter named like the book (its title page and preface) is not announced: the
        # book's title opens the edition already.
        sections=tuple(Section(c.title, tuple(c.paragraphs), c.line, not (book_words and _words(c.title) == book_words),
                               c.evidence) for c in chapters),
        source=source,
        line_start=1,
        line_end=max(p.line for c in chapters for p in c.paragraphs),
        authors=tuple(pkg.authors),
        translators=tuple(pkg.translators),
        publication=pkg.publisher,
        issue_date=pkg.date,
        language=pkg.language
        or guess_language(" ".join(p.text for c in chapters[:3] for p in c.paragraphs[:20]))
        or "en",
        title_evidence=title_evidence,
    )
    return [article], not_read


# Font obfuscation is the only encryption a readable book may carry.
_FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")


def _refuse_drm(archive: _Archive) -> None:
    encryption = archive.find("META-INF/encryption.xml")
    if encryption is None:
        return
    root = archive.xml(encryption, lenient=True)
    for method in root.iter() if root is not None else ():
        if _local(method.tag) == "EncryptionMethod" and method.get("Algorithm") not in _FONT_OBFUSCATION:
            raise InputError(f"{archive.source}: the book is DRM-protected (encrypted), so its text cannot be read")


def epub_cover(raw: bytes) -> bytes | None:
    """The cover image declared by an EPUB's package (for the edition artwork), or None."""
    archive = _Archive(raw, "book")
    pkg = _package(archive)
    if pkg.cover is None or pkg.cover.member is None or not pkg.cover.media_type.startswith("image/"):
        return None
    return archive.read(pkg.cover.member)


def edition_cover(sources: Sequence[str]) -> bytes | None:
    """The cover image of the first EPUB among an edition's sources that has one (for its artwork), or None.

    Sources that cannot be opened are passed over: reading them already reported the problem.
    A placeholder cover (under 300 px, or one flat colour: calibre's Quick Start guides carry
    a 1×1 pixel) is passed over too, so the generated cover, which names the edition, is used.
    """
    from ..cover import is_placeholder

    for source in sources:
        path = Path(source)
        if source == "-" or not path.is_file():
            continue
        try:
            with path.open("rb") as handle:
                if not handle.read(4).startswith(b"PK\x03\x04"):
                    continue
            raw = path.read_bytes()
            if not is_epub(raw):
                continue
            cover = epub_cover(raw)
        except (OSError, InputError):
            continue
        if cover is not None and not is_placeholder(cover):
            return cover
    return None
