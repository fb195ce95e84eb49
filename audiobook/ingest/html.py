"""Web page reader: main content, headings and metadata from a saved HTML page."""

from __future__ import annotations

import bisect
import codecs
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..errors import InputError
from ..language import detect_language
from ..model import Article, NotRead, Paragraph, Section
from .meta import parse_iso_date
from .text import make_paragraph

# A saved article page is rarely over a few MB; past this we refuse rather than
# spend minutes and gigabytes on what is almost certainly not an article.
MAX_HTML_BYTES = 40 * 1024 * 1024
# Chromium's parser also stops nesting at 512. Deeper block nesting makes the HTML tree
# builder's scope checks quadratic (100,000 nested <div>s take a minute), and no real page needs it.
MAX_NESTING = 512
# Not-read text is shown to people, so long blocks are cut (with a word count).
NOT_READ_CHARS = 200

# Invisible characters that only steer line breaking; speech engines stumble on them.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)

# Elements whose text is never prose: listed, with these reasons.
_TAG_REASONS = {
    "script": "script",
    "style": "style sheet",
    "noscript": "script fallback",
    "template": "template",
    "svg": "graphic",
    "math": "formula",
    "canvas": "graphic",
    "iframe": "embedded frame",
    "object": "embedded object",
    "embed": "embedded object",
    "video": "media player",
    "audio": "media player",
    "button": "button",
    "select": "form control",
    "textarea": "form control",
    "input": "form control",
    "nav": "navigation",
    "aside": "aside",
    "figcaption": "image caption",
    # An article's own <footer> holds tags, credits and copyright lines, not the story.
    "footer": "footer",
    "dialog": "pop-up",
}
_ROLE_REASONS = {
    "navigation": "navigation",
    "menu": "navigation",
    "menubar": "navigation",
    "banner": "page header",
    "contentinfo": "footer",
    "complementary": "aside",
    "search": "search form",
    "dialog": "pop-up",
    "alertdialog": "pop-up",
    "toolbar": "toolbar",
    "doc-toc": "table of contents",
    "doc-pagebreak": "page number",
    "doc-noteref": "note reference",
    "doc-backlink": "note reference",
    "doc-footnote": "notes",
    "doc-footnotes": "notes",
    "doc-endnote": "notes",
    "doc-endnotes": "notes",
    "doc-rearnote": "notes",
    "doc-rearnotes": "notes",
}
# Tokens of class and id values (split on spaces, dashes and underscores).
_TOKEN_REASONS = {
    **dict.fromkeys(["nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "navbox",
                     "pagination", "pager", "skip", "jump", "toc", "dropdown", "portlet"], "navigation"),
    **dict.fromkeys(["cookie", "cookies", "consent", "gdpr"], "cookie banner"),
    **dict.fromkeys(["share", "sharing", "social", "sharebar", "sharetools"], "share buttons"),
    **dict.fromkeys(["newsletter", "subscribe", "subscription", "signup", "paywall", "registration"],
                    "subscription prompt"),
    **dict.fromkeys(["ad", "ads", "advert", "adverts", "advertisement", "sponsored", "promo"], "advertisement"),
    **dict.fromkeys(["related", "recommended", "trending", "popular", "outbrain", "taboola"], "related links"),
    **dict.fromkeys(["comments", "comment", "disqus", "replies"], "comments"),
    **dict.fromkeys(["byline", "author", "authors", "meta"], "byline"),
    **dict.fromkeys(["dateline", "timestamp", "published", "pubdate"], "date"),
    **dict.fromkeys(["caption", "credit", "credits", "figcaption", "thumbcaption"], "image caption"),
    **dict.fromkeys(["tags", "topics", "categories", "catlinks", "keywords"], "topic tags"),
    **dict.fromkeys(["editsection"], "edit link"),
    **dict.fromkeys(["references", "reflist", "footnotes", "endnotes", "citations"], "references"),
    **dict.fromkeys(["infobox", "sidebar", "widget", "sidebox"], "aside"),
    **dict.fromkeys(["pullquote", "pullout"], "pull quote"),
    **dict.fromkeys(["hatnote", "rellink", "mainarticle", "sitesub", "tagline", "kicker", "eyebrow"],
                    "page label"),
    **dict.fromkeys(["ambox", "ombox", "tmbox", "dablink"], "editor's note"),
    **dict.fromkeys(["modal", "popup", "overlay"], "pop-up"),
    **dict.fromkeys(["search", "searchform", "searchbox"], "search form"),
    **dict.fromkeys(["footer", "colophon"], "footer"),
    **dict.fromkeys(["banner", "masthead", "topbar"], "page header"),
    **dict.fromkeys(["hidden", "printfooter"], "hidden text"),
    **dict.fromkeys(["boilerplate", "pgheader", "pgfooter"], "publisher's boilerplate"),
    **dict.fromkeys(["toolbar", "actions", "tools"], "toolbar"),
}
# Stems that mark boilerplate even inside longer names ("jp-relatedposts", "sharedaddy").
_STEM_REASONS = (
    ("cookie", "cookie banner"), ("consent", "cookie banner"), ("newsletter", "subscription prompt"),
    ("subscribe", "subscription prompt"), ("paywall", "subscription prompt"), ("related", "related links"),
    ("sharing", "share buttons"), ("sharedaddy", "share buttons"), ("social", "share buttons"),
    ("advert", "advertisement"), ("sponsor", "advertisement"), ("breadcrumb", "navigation"),
)
_STANDFIRST_TOKENS = {"standfirst", "dek", "deck", "subtitle", "subheadline", "strapline", "summary",
                      "excerpt", "lede"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")

# Elements that start and end a block of text (a paragraph to read).
_BLOCK_TAGS = frozenset(
    "p div section article main header footer blockquote pre li dd dt td th tr caption address "
    "h1 h2 h3 h4 h5 h6 ul ol dl table tbody thead tfoot figure hgroup center body details summary "
    "fieldset legend form button option".split()
)
_HEADING_LEVEL = {f"h{n}": n for n in range(1, 7)}
_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo cite code data dfn em font i kbd label mark q s samp small span strong sub sup time u var "
    "img input select textarea button svg math script style wbr".split()
)
_EMPTY_BRACKETS = re.compile(r"\[\s*\]|\(\s*\)")
_BR = "\n"  # a line break in the text buffer (collapsed to a space in the paragraph)
_NOTE_MARK = re.compile(r"^[\[(]?(?:\d{1,3}|[*†‡§])[\])]?$")
# Block elements whose start line is worth looking up (see _LineIndex).
_LINE_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div", "td", "th",
              "figcaption", "nav", "footer", "header", "aside", "section", "article", "script", "style",
              "dd", "dt", "figure", "button", "form", "table", "noscript", "iframe", "main")


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of a walked page: text to read, a heading, text not read, or an anchor."""

    kind: str  # "text", "heading", "standfirst", "skip", "anchor" or "article" (an <article> starts)
    text: str  # for "anchor": the id
    line: int
    level: int = 0  # heading level 1-6
    reason: str = ""  # for "skip"


def clean_text(text: str) -> str:
    """Collapse whitespace the way a browser does, and drop invisible formatting characters."""
    if not text.isascii():
        text = text.translate(_INVISIBLE)
    # str.split() also splits on no-break and other Unicode spaces.
    return " ".join(text.split())


def shorten(text: str) -> str:
    """Text of a not-read item: one line, cut to a readable length with its word count."""
    text = clean_text(text)
    if len(text) <= NOT_READ_CHARS:
        return text
    cut = text[:NOT_READ_CHARS].rsplit(" ", 1)[0]
    return f"{cut} … ({len(text.split())} words)"


def decode_html(raw: bytes) -> str:
    """Decode page bytes: BOM, then the declared charset, then UTF-8, then Windows-1252."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(codec, errors="replace")
    head = raw[:4096].decode("ascii", errors="replace")
    declared = re.search(r"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", head, re.I) or re.search(
        r"""<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", head, re.I)
    if declared:
        try:
            codec = codecs.lookup(declared.group(1)).name
        except LookupError:
            codec = ""
        # Pages declare latin-1 but mean windows-1252 (as browsers assume).
        if codec in ("latin-1", "iso8859-1", "ascii"):
            codec = "cp1252"
        if codec and not codec.startswith("utf-16"):
            return raw.decode(codec, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


_XHTML = re.compile(r"<\?xml\b|<html[^>]*\sxmlns\s*=\s*[\"']http://www\.w3\.org/1999/xhtml", re.I)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SELF_CLOSED = re.compile(r"<([A-Za-z][\w:-]*)((?:\s[^<>]*?)?)/>")


def close_empty_elements(text: str) -> str:
    """In an XHTML page, `<a id="x"/>` as `<a id="x"></a>`, which is what its author meant.

    An HTML parser takes `<a id="x"/>` as an open anchor that wraps all the text after it,
    so the anchor's name ("_the_pager", "_unix_text_tools") would be judged as the text's.
    Plain HTML pages are left alone: there a browser reads the tag as open, and so do we.
    """
    if not _XHTML.search(text[:2048]):
        return text
    return _SELF_CLOSED.sub(lambda m: m.group(0) if m.group(1).lower() in _VOID
                            else f"<{m.group(1)}{m.group(2)}></{m.group(1)}>", text)


# Block elements whose start tag makes the tree builder scan the open-element stack.
_NESTING_TAG = re.compile(
    r"<(/?)(?:div|section|article|aside|blockquote|ul|ol|dl|nav|header|footer|main|figure|fieldset|details|"
    r"center|form|address|menu|dir|hgroup|search)(?=[\s/>])",
    re.I,
)


def check_nesting(text: str, source: str) -> None:
    """Refuse a page whose block elements nest deeper than any real page (a cheap linear scan)."""
    depth = deepest = 0
    for m in _NESTING_TAG.finditer(text):
        if m.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_NESTING:
                    raise InputError(
                        f"{source}: elements nest more than {MAX_NESTING} levels deep; no real page does, refused"
                    )


class _LineIndex:
    """Source line of each block element, found by matching start tags in the source in order.

    The parser does not report positions, but the n-th <p> in the tree is the n-th
    `<p` start tag in the source (outside comments, scripts and styles) nearly always;
    when the parser invents an element the numbers drift a little, never fail.
    """

    _TAG = re.compile(
        r"<!--.*?(?:-->|$)|<(script|style|textarea)\b.*?(?:</\1\s*>|$)|<(" + "|".join(_LINE_TAGS) + r")(?=[\s/>])",
        re.I | re.S,
    )

    def __init__(self, text: str, tree: LexborHTMLParser) -> None:
        newlines = [m.start() for m in re.finditer("\n", text)]
        offsets: dict[str, list[int]] = {}
        for m in self._TAG.finditer(text):
            name = (m.group(1) or m.group(2) or "").lower()
            if name:
                offsets.setdefault(name, []).append(m.start())
        self._line: dict[int, int] = {}
        for name, found in offsets.items():
            for node, offset in zip(tree.css(name), found):
                self._line[node.mem_id] = bisect.bisect_right(newlines, offset) + 1

    def line(self, node: LexborNode, default: int) -> int:
        return self._line.get(node.mem_id, default)


def _tokens(attrs: dict[str, str | None], tag: str = "") -> list[str]:
    # A heading's id is made from its own words ("_dokumentation_in_usr_share_doc"): it names
    # the topic, not a widget, so only its classes are looked at.
    name = "" if tag in _HEADING_LEVEL else attrs.get("id") or ""
    value = f"{attrs.get('class') or ''} {name}".lower()
    return [t for t in _TOKEN_SPLIT.split(value) if t]


def _words(node: LexborNode) -> int:
    return len((node.text(deep=True, separator=" ") or "").split())


def _skip_reason(node: LexborNode, attrs: dict[str, str | None], root_words: Callable[[], int]) -> str:
    """Why an element inside the content is not read, or "" when it is read.

    `root_words` gives the words of the whole content (0: no guard), counted only when needed.
    """
    tag = node.tag or ""
    if tag in _TAG_REASONS:
        if tag == "script" and (attrs.get("type") or "").lower() == "application/ld+json":
            return "page metadata"
        return _TAG_REASONS[tag]
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return "hidden text"
    if _HIDDEN_STYLE.search(attrs.get("style") or ""):
        return "hidden text"
    if tag in ("sup", "a") and _is_note_mark(node):
        return "note reference"
    if tag == "pre" and _is_code_block(node, attrs):
        return "code block"
    if tag == "a" and _is_permalink(node, attrs):
        return "permalink"
    if not attrs:
        return ""
    if tag in ("a", "span") and _in_heading(node):
        # A heading's own text wrapped in a link back to the contents (docutils' "toc-backref"):
        # what a class or role says of the link does not make the title chrome ("[edit]" still is).
        return ""
    tokens = _tokens(attrs, tag)
    if tag == "sup" and any(t in ("reference", "noteref") for t in tokens):
        return "citation mark"
    # Names first: a cookie banner is often also role="dialog", and "cookie banner" says more.
    for token in tokens:
        reason = _TOKEN_REASONS.get(token) or next((r for stem, r in _STEM_REASONS if stem in token), "") or (
            # DocBook's "docnav", "navheader", "navfooter": the previous/next links of a manual's page.
            "navigation" if token.startswith(("nav", "docnav")) and token not in ("navigate", "navigating") else "")
        if reason:
            # A wrapper named "ad-free" or "has-sidebar" may hold the whole article: a
            # boilerplate name on something holding most of the text is a false alarm.
            total = root_words()
            if total > 50 and _words(node) > total // 2 and not _mostly_links(node):
                break
            # A name alone never drops a part of the document: a section called
            # "authors-and-maintainers" or "sharing-configuration-files" is text to read.
            if _is_document_part(node):
                break
            # A section named after its own heading (id="porter-tools" over "Porter tools"):
            # the name is its topic, whatever the length of its text.
            if _named_after_heading(node, attrs):
                continue
            return reason
    epub_type = (attrs.get("epub:type") or "").lower().split()
    for role in [*(attrs.get("role") or "").lower().split(), *(f"doc-{t}" for t in epub_type)]:
        if role in ("doc-backlink", "doc-noteref") and len(clean_text(node.text() or "")) > 4:
            # docutils links every section title back to the contents: the title is the text.
            continue
        if role in _ROLE_REASONS:
            return _ROLE_REASONS[role]
    return ""


# Class names that mark preformatted text as code (Sphinx, DocBook, highlight.js, Prism, GitHub...).
_CODE_TOKENS = frozenset({"code", "highlight", "sourcecode", "source", "programlisting", "screen", "literal",
                          "literal-block", "console", "shell", "terminal", "syntax", "brush", "prettyprint",
                          "codehilite", "hljs", "doctest", "synopsis", "example"})
_CODE_CHARS = re.compile(r"[{}\[\]()<>=;$#/\\|*_~^`]")
_INLINE_CODE_TAGS = frozenset({"code", "kbd", "samp", "tt"})


def _is_code_block(node: LexborNode, attrs: dict[str, str | None]) -> bool:
    """Whether a <pre> holds code (a listing, a shell session), not preformatted prose such as a poem."""
    def coded(element: LexborNode | None) -> bool:
        if element is None or not element.attributes:
            return False
        return any(t in _CODE_TOKENS or t.startswith(("highlight", "language", "lang", "brush"))
                   for t in _tokens(element.attributes))

    if coded(node) or coded(node.parent) or (node.parent is not None and coded(node.parent.parent)):
        return True
    if node.css_first("code, kbd, samp, var") is not None:
        return True
    text = node.text(deep=True) or ""
    words = len(re.findall(r"[^\W\d_]{2,}", text))
    # Prose set as preformatted text (a poem, a plain-text article): words, hardly any code symbols.
    return words < 20 or len(_CODE_CHARS.findall(text)) * 25 > len(text)


# Marks a page puts beside a heading to link to it (Sphinx's ¶, § and # elsewhere, an icon).
_PERMALINK_MARK = re.compile(r"^(?:[¶§#🔗⚓]|link to this (?:heading|headline|section)|"
                             r"permalink(?: to this (?:heading|headline|section|definition))?|anchor)$", re.I)
_PERMALINK_TOKENS = frozenset({"headerlink", "headerlinks", "anchorlink", "anchor-link", "permalink",
                               "heading-anchor", "header-anchor", "anchorjs-link", "hash-link"})


def _is_permalink(node: LexborNode, attrs: dict[str, str | None]) -> bool:
    """A link to the heading it sits in, written as a mark: `<a class="headerlink" href="#x">¶</a>`."""
    if not (attrs.get("href") or "").startswith("#"):
        return False
    if _PERMALINK_TOKENS & set(_TOKEN_SPLIT.split(f"{attrs.get('class') or ''}".lower())):
        return True
    text = clean_text(node.text() or "")
    label = clean_text(attrs.get("title") or attrs.get("aria-label") or "")
    return bool((not text or _PERMALINK_MARK.match(text)) and (_PERMALINK_MARK.match(label) or text))


_PERMALINK_TAIL = re.compile(r"(?:\s*(?:[¶§🔗⚓]|\blink to this (?:heading|headline)|\bpermalink to this "
                             r"(?:heading|headline)))+\s*$", re.I)


def strip_permalinks(title: str) -> str:
    """A heading or title without the permalink marks pages put after it ("Tools¶" → "Tools")."""
    return _PERMALINK_TAIL.sub("", title).strip()


# Spoken names of symbols, for inline code that is nothing else (If `/` and `*` are not present).
_SYMBOL_NAMES: dict[str, dict[str, str]] = {
    "en": {"->": "arrow", "=>": "double arrow", "**": "double asterisk", "//": "double slash", "==": "double equals",
           "!=": "not equals", "<=": "less than or equal", ">=": "greater than or equal", "...": "ellipsis",
           "/": "slash", "*": "asterisk", "\\": "backslash", "+": "plus", "-": "dash", "=": "equals",
           "<": "less than", ">": "greater than", "|": "pipe", "&": "ampersand", "~": "tilde", "^": "caret",
           "%": "percent", "$": "dollar", "#": "hash", "@": "at", "!": "exclamation mark", "?": "question mark",
           ":": "colon", ";": "semicolon", ".": "dot", ",": "comma", "(": "open bracket", ")": "close bracket",
           "[": "open square bracket", "]": "close square bracket", "{": "open brace", "}": "close brace",
           "_": "underscore", "`": "backtick", "'": "quote", '"': "double quote"},
    "fr": {"/": "barre oblique", "*": "astérisque", "\\": "barre oblique inversée", "+": "plus", "-": "tiret",
           "=": "égal", "<": "inférieur à", ">": "supérieur à", "|": "barre verticale", "&": "esperluette",
           "~": "tilde", "%": "pour cent", "$": "dollar", "#": "dièse", "@": "arobase", ".": "point",
           ",": "virgule", ":": "deux-points", ";": "point-virgule", "_": "tiret bas"},
    "de": {"/": "Schrägstrich", "*": "Sternchen", "\\": "umgekehrter Schrägstrich", "+": "Plus", "-": "Minus",
           "=": "Gleich", "<": "kleiner als", ">": "größer als", "|": "senkrechter Strich", "&": "Und-Zeichen",
           "~": "Tilde", "%": "Prozent", "$": "Dollar", "#": "Raute", "@": "at", ".": "Punkt", ",": "Komma",
           ":": "Doppelpunkt", ";": "Semikolon", "_": "Unterstrich"},
}


def say_symbols(code: str, language: str = "en") -> str:
    """Inline code made only of symbols, as words: "/" → "slash", "**" → "double asterisk"."""
    names = {**_SYMBOL_NAMES["en"], **_SYMBOL_NAMES.get(language, {})}
    words: list[str] = []
    for chunk in code.split():
        i = 0
        while i < len(chunk):
            for size in (3, 2, 1):
                piece = chunk[i : i + size]
                if len(piece) == size and piece in names:
                    words.append(names[piece])
                    i += size
                    break
            else:
                words.append(chunk[i])
                i += 1
    return " ".join(words)


def _is_inline_code(node: LexborNode, attrs: dict[str, str | None]) -> bool:
    if node.tag in _INLINE_CODE_TAGS:
        return True
    return node.tag == "span" and "pre" in (attrs.get("class") or "").split()


def _page_language(node: LexborNode) -> str:
    """The nearest declared language of an element (`lang`, `xml:lang`), or "en"."""
    element: LexborNode | None = node
    while element is not None:
        attrs = element.attributes if element.is_element_node else {}
        value = attrs.get("lang") or attrs.get("xml:lang")
        if value:
            return re.split(r"[-_]", value.strip())[0].lower() or "en"
        element = element.parent
    return "en"


# A part of the document, not a widget: it has a heading of its own and this much prose.
PART_PROSE_WORDS = 40
PART_PROSE_BLOCKS = 200
_PROSE_SELECTOR = "p, li, dd, blockquote"


def _is_document_part(node: LexborNode) -> bool:
    """Whether an element holds a heading (h1-h6) and prose: PART_PROSE_WORDS words in paragraphs or
    list items, not counting link text (a menu or a table of contents is a list of links).

    Only the first PART_PROSE_BLOCKS innermost prose blocks are looked at, so nested named
    elements cost little however big the page.
    """
    if node.tag in _HEADING_LEVEL or node.css_first("h1, h2, h3, h4, h5, h6") is None:
        return False
    words = 0
    for count, block in enumerate(node.css(_PROSE_SELECTOR)):
        if count >= PART_PROSE_BLOCKS:
            break
        if len(block.css(_PROSE_SELECTOR)) > 1:  # the match list starts with the block itself
            continue  # its inner blocks are counted
        words += _words(block) - sum(_words(link) for link in block.css("a"))
        if words >= PART_PROSE_WORDS:
            return True
    return False


def _named_after_heading(node: LexborNode, attrs: dict[str, str | None]) -> bool:
    """Whether an element's id is a slug of the heading it opens with and its classes name nothing
    (a generated section id such as "porter-tools" or "s-sharing-files")."""
    name = set(_TOKEN_SPLIT.split((attrs.get("id") or "").lower())) - {""}
    if not name or any(_TOKEN_REASONS.get(t) for t in _TOKEN_SPLIT.split((attrs.get("class") or "").lower())):
        return False
    heading = node.css_first("h1, h2, h3, h4, h5, h6")
    if heading is None:
        return False
    words = {w for w in re.findall(r"\w+", (heading.text() or "").lower()) if not w.isdigit()}
    # Every word of the heading in the id, at most one more (a prefix), and prose, not a list of
    # links (a portlet `<div id="p-tools"><h3>Tools</h3>` of links is still a toolbar).
    return bool(words) and words <= name and len(name - words) <= 1 and not _mostly_links(node)


def _mostly_links(node: LexborNode) -> bool:
    """Whether an element's text is nearly all link text (a chapter's table of contents, a menu):
    however much of the page it is, it is not the article."""
    words = _words(node)
    return words > 0 and sum(_words(link) for link in node.css("a")) * 10 >= words * 8


def _in_heading(node: LexborNode) -> bool:
    """Whether an inline element holds most of the text of the heading it is in."""
    parent = node.parent
    for _ in range(3):
        if parent is None:
            return False
        if parent.tag in _HEADING_LEVEL:
            own = len(clean_text(node.text() or ""))
            return own * 2 > len(clean_text(parent.text() or ""))
        parent = parent.parent
    return False


def _is_note_mark(node: LexborNode) -> bool:
    """A footnote marker: "1", "[2]" or "*" linking to a place in a page (a link, or a superscript holding one)."""
    link = node if node.tag == "a" else node.css_first("a")
    if link is None or "#" not in (link.attributes.get("href") or ""):
        return False
    return bool(_NOTE_MARK.match(clean_text(node.text() or "")))


def _is_standfirst(attrs: dict[str, str | None]) -> bool:
    return bool(attrs) and any(t in _STANDFIRST_TOKENS for t in _tokens(attrs))


def flat_text(node: LexborNode, lines: _LineIndex) -> str:
    """All text of an element on one line, spaced as a reader sees it (blocks apart, inline runs joined)."""
    if node.is_text_node:
        return clean_text(node.text_content or "")
    return " ".join(b.text for b in walk_blocks(node, lines, classify=False) if b.kind != "skip")


def walk_blocks(
    root: LexborNode,
    lines: _LineIndex,
    anchors: frozenset[str] = frozenset(),
    root_line: int = 1,
    *,
    classify: bool = True,
    guard: bool = True,
) -> list[Block]:
    """The blocks of `root` in reading order; iterative, so deep nesting cannot overflow the stack.

    With `classify` off nothing is set aside (used to flatten an element that is not read);
    with `guard` off a boilerplate name is trusted even on an element holding most of the text.
    """
    blocks: list[Block] = []
    counted: list[int] = []

    def root_words() -> int:
        if not (classify and guard):
            return 0
        if not counted:
            counted.append(_words(root))
        return counted[0]
    buffer: list[str] = []
    # Innermost open block element: (kind, line, level).
    context: list[tuple[str, int, int]] = [("text", lines.line(root, root_line), 0)]

    # Parallel to `context`: whether that block is (inside) an <article>.
    in_article = [root.tag == "article"]
    last_line = [context[0][1]]

    def seen(node: LexborNode) -> int:
        # Elements whose start tag was not indexed take the last line seen before them.
        last_line[0] = lines.line(node, last_line[0])
        return last_line[0]

    language: list[str] = []  # the root's language, looked up when first needed

    # Text set aside inside a paragraph (a note mark, an icon): listed after the paragraph,
    # which it must not split.
    inline_skips: list[Block] = []

    def flush() -> None:
        if buffer:
            text = clean_text("".join(buffer))
            if inline_skips:
                text = clean_text(_EMPTY_BRACKETS.sub("", text).replace(" .", ".").replace(" ,", ","))
            buffer.clear()
            kind, line, level = context[-1]
            if kind == "heading":
                text = strip_permalinks(text)
            if text:
                blocks.append(Block(kind, text, line, level))
        blocks.extend(inline_skips)
        inline_skips.clear()

    # Stack items: a node to enter, or None meaning "leave the innermost block".
    stack: list[LexborNode | None] = [None]
    stack.extend(reversed(list(root.iter(include_text=True))))
    while stack:
        node = stack.pop()
        if node is None:
            flush()
            context.pop()
            in_article.pop()
            continue
        if node.is_text_node:
            text = node.text_content
            # Whitespace between blocks is most of the text nodes in a page: skip it cheaply.
            if text and (buffer or not text.isspace()) and not (buffer and buffer[-1] == _BR and text.isspace()):
                buffer.append(text)
            continue
        if not node.is_element_node:
            continue  # comments and processing instructions are not page text
        tag = node.tag or ""
        attrs = node.attributes
        for anchor in (attrs.get("id"), attrs.get("name") if tag == "a" else None):
            if anchor and anchor in anchors:
                flush()
                blocks.append(Block("anchor", anchor, seen(node)))
        if tag == "br":
            # Old pages separate paragraphs with <br><br>: a break with nothing since the last one.
            if classify and buffer and buffer[-1] == _BR:
                flush()
            else:
                buffer.append(_BR)
            continue
        if tag == "img":
            alt = clean_text(attrs.get("alt") or "")
            if alt and classify:
                inline_skips.append(Block("skip", alt, last_line[0], reason="image description"))
            continue
        if classify and _is_inline_code(node, attrs):
            code = clean_text(node.text(deep=True) or "")
            if code and not any(ch.isalnum() for ch in code):
                # Symbols alone vanish in speech ("If / and * are not present" is said
                # "If and are not present"): they are said by name.
                if not language:
                    language.append(_page_language(root))
                buffer.append(f" {say_symbols(code, language[0])} ")
                continue
        reason = _skip_reason(node, attrs, root_words) if classify else ""
        if reason:
            text = flat_text(node, lines)
            item = Block("skip", shorten(text), seen(node), reason=reason)
            if reason == "permalink" and not re.search(r"\w", text):
                continue  # a "¶" has nothing to say or to list
            if tag in _INLINE_TAGS:
                if text:
                    inline_skips.append(item)
            else:
                flush()
                if text:
                    blocks.append(item)
            continue
        children = list(node.iter(include_text=True))
        if tag in _BLOCK_TAGS:
            flush()
            line = seen(node)
            if tag in _HEADING_LEVEL:
                context.append(("heading", line, _HEADING_LEVEL[tag]))
            elif _is_standfirst(attrs):
                context.append(("standfirst", line, 0))
            else:
                # Text directly inside a container keeps the container's kind (a heading
                # wrapping a <span> block is still a heading).
                kind, _, level = context[-1]
                context.append((kind, line, level))
            if tag == "article" and not in_article[-1] and classify:
                # One of several articles on a page (a CMS export): its first heading is its title.
                blocks.append(Block("article", "", line))
            in_article.append(in_article[-1] or tag == "article")
            stack.append(None)
        stack.extend(reversed(children))
    return blocks


def join_titles(first: str, second: str) -> str:
    """One chapter title for two marks with no text between them ("Part One: The Bus").

    A repeat (a part and its chapter both called "Chapter 1") is said once.
    """
    words = set(re.findall(r"\w+", first.lower()))
    if set(re.findall(r"\w+", second.lower())) <= words:
        return first
    return f"{first}: {second}"


# --- metadata -------------------------------------------------------------------------------


@dataclass
class PageMeta:
    """What the page says about itself, from <meta>, Open Graph and JSON-LD."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: dt.date | None = None
    publication: str | None = None
    language: str | None = None
    description: str | None = None
    title_tag: str | None = None


def language_code(value: str | None) -> str | None:
    """Primary language subtag of an HTML/BCP 47 tag: "en-GB" → "en", "pt_BR" → "pt"."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip())[0].lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def _names(value: Any) -> list[str]:
    """Person or organisation names from a JSON-LD value (string, object or list)."""
    if isinstance(value, str):
        return [clean_text(value)] if value.strip() else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _ld_objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _ld_objects(item)
    elif isinstance(value, dict):
        yield value
        yield from _ld_objects(value.get("@graph"))


_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                  "opinionnewsarticle", "scholarlyarticle", "techarticle", "report", "webpage"}


def _add_unique(into: list[str], names: Iterable[str]) -> None:
    for name in names:
        if name and not name.lower().startswith(("http://", "https://")) and name not in into:
            into.append(name)


def read_meta(tree: LexborHTMLParser) -> PageMeta:
    """Title, authors, date, publication and language declared by the page."""
    meta = PageMeta()
    named: dict[str, str] = {}
    authors: list[str] = []
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").strip().lower()
        content = clean_text(attrs.get("content") or "")
        if not key or not content:
            continue
        if key in ("author", "article:author", "dc.creator", "citation_author", "parsely-author", "sailthru.author"):
            _add_unique(authors, [content])
        named.setdefault(key, content)
    ld_authors: list[str] = []
    ld_title = ld_date = ld_publisher = ld_language = None
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text() or "")
        except ValueError:
            continue  # broken JSON-LD is common; the other metadata still stands
        for obj in _ld_objects(data):
            types = obj.get("@type")
            type_names = {t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
            if not type_names & _ARTICLE_TYPES:
                continue
            headline = obj.get("headline") or obj.get("name")
            if ld_title is None and isinstance(headline, str):
                ld_title = clean_text(headline)
            _add_unique(ld_authors, _names(obj.get("author")))
            ld_date = ld_date or (obj.get("datePublished") if isinstance(obj.get("datePublished"), str) else None)
            ld_publisher = ld_publisher or next(iter(_names(obj.get("publisher"))), None)
            if isinstance(obj.get("inLanguage"), str):
                ld_language = ld_language or obj["inLanguage"]
    title_node = tree.css_first("title")
    meta.title_tag = strip_permalinks(clean_text(title_node.text())) if title_node is not None else None
    meta.title = named.get("og:title") or ld_title or named.get("twitter:title") or named.get("dc.title") or None
    _add_unique(meta.authors, ld_authors)
    _add_unique(meta.authors, authors)
    meta.date = next(
        (d for d in map(parse_iso_date, [named.get("article:published_time"), ld_date, named.get("date"),
                                      named.get("dc.date"), named.get("dc.date.issued"),
                                      named.get("citation_publication_date"), named.get("og:updated_time")]) if d),
        None,
    )
    meta.publication = named.get("og:site_name") or ld_publisher or named.get("application-name") or None
    html = tree.css_first("html")
    meta.language = (
        language_code(html.attributes.get("lang") or html.attributes.get("xml:lang") if html is not None else None)
        or language_code(named.get("content-language") or named.get("dc.language"))
        or language_code(ld_language)
        or language_code(named.get("og:locale"))
    )
    for node in tree.css("meta[http-equiv]"):
        if (node.attributes.get("http-equiv") or "").lower() == "content-language":
            meta.language = meta.language or language_code(node.attributes.get("content"))
    meta.description = named.get("og:description") or named.get("description")
    return meta


def guess_language(text: str) -> str | None:
    """The language of a page or book that does not declare one (audiobook.language), or None when too short."""
    return detect_language(text)


def _title_from_tag(title_tag: str, publication: str | None) -> str:
    """A <title> without the site name: "Storm hits coast - Wikinews" → "Storm hits coast"."""
    parts = re.split(r"\s+[|\-–—:·]\s+", title_tag)
    if len(parts) > 1:
        if publication and parts[-1].strip().lower() == publication.lower():
            return " - ".join(parts[:-1])
        if publication and parts[0].strip().lower() == publication.lower():
            return " - ".join(parts[1:])
        if len(parts[-1].split()) <= 4:
            return " - ".join(parts[:-1])
    return title_tag


# --- the page -------------------------------------------------------------------------------


def _main_root(tree: LexborHTMLParser, source: str) -> LexborNode:
    """The element holding the article: the biggest <article>, else <main>, else the body."""
    body = tree.body
    if body is None:
        frames = " (it is a frameset: open the framed pages instead)" if tree.css_first("frameset") else ""
        raise InputError(f"{source}: the page has no body to read{frames}")
    container = tree.css_first("main") or tree.css_first('[role="main"]') or body
    articles = [a for a in tree.css("article") if not _has_ancestor(a, "article")]
    # Several full articles with their own headings (a CMS export) are all read.
    full = [a for a in articles if _words(a) >= 150 and a.css_first("h1, h2") is not None]
    if len(full) >= 2:
        return container if all(_has_ancestor_node(a, container) for a in full) else body
    if articles:
        best = max(articles, key=_words)
        # A small <article> is a teaser card, not the story the page is about.
        if _words(best) * 10 >= _words(container) * 3:
            return best
    return container


def _has_ancestor_node(node: LexborNode, ancestor: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


def _has_ancestor(node: LexborNode, tag: str) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.parent
    return False


def _outside_blocks(body: LexborNode, root: LexborNode, lines: _LineIndex) -> list[Block]:
    """Everything in the body outside the main content as not-read blocks, with a "root" marker in its place."""
    path: set[int] = set()
    node: LexborNode | None = root
    while node is not None:
        path.add(node.mem_id)
        node = node.parent
    blocks: list[Block] = []
    # A stack of child iterators keeps document order without recursion.
    stack: list[Iterator[LexborNode]] = [iter(body.iter(include_text=True))]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.mem_id == root.mem_id:
            blocks.append(Block("root", "", 0))
        elif child.mem_id in path:
            stack.append(iter(child.iter(include_text=True)))
        elif child.is_text_node:
            text = clean_text(child.text_content or "")
            if text:
                blocks.append(Block("skip", shorten(text), 1, reason="outside the main content"))
        elif child.is_element_node:
            text = flat_text(child, lines)
            if not text:
                continue
            reason = _skip_reason(child, child.attributes, lambda: 0) or {"header": "page header", "footer": "footer"}.get(
                child.tag or "", "outside the main content")
            blocks.append(Block("skip", shorten(text), lines.line(child, 1), reason=reason))
    return blocks


_BYLINE = re.compile(r"^(?:by|words by|written by|text by|von|par|por)\s+(.+)$", re.I)


def _byline_authors(text: str) -> list[str]:
    m = _BYLINE.match(text.strip())
    if not m:
        return []
    names = re.split(r",\s*|\s+and\s+|\s*&\s*", re.split(r"\s+[|•·]\s+|\s+\d", m.group(1))[0])
    return [n.strip() for n in names if 1 <= len(n.split()) <= 4]


@dataclass
class _Draft:
    """An article being assembled from blocks."""

    title: str
    line: int
    standfirst: str | None = None
    # (title, line, announce, paragraphs, evidence: why the title is a heading, for `plan --explain`)
    sections: list[tuple[str, int, bool, list[Paragraph], str]] = field(default_factory=list)
    last_line: int = 0
    title_evidence: str = ""


def _assemble(
    blocks: Sequence[Block], source: str, fallback_title: str, fallback_evidence: str = ""
) -> tuple[list[_Draft], list[NotRead], list[str]]:
    """Articles from walked blocks: h1 starts an article, h2-h4 a section; returns byline authors too."""
    drafts: list[_Draft] = []
    not_read: list[NotRead] = []
    byline: list[str] = []
    blocks = _promote_article_titles(_promote_page_title(blocks), fallback_title)
    has_h1 = any(b.kind == "heading" and b.level == 1 for b in blocks)
    if has_h1 and _leads_with_document(blocks):
        has_h1 = False  # what comes before the first <h1> is read, under the page's title
    pending_heading: tuple[str, int, str] | None = None  # (title, line, evidence)

    def current() -> _Draft:
        if not drafts:
            drafts.append(_Draft(fallback_title, blocks[0].line if blocks else 1, title_evidence=fallback_evidence))
        return drafts[-1]

    def close_heading() -> None:
        nonlocal pending_heading
        if pending_heading is not None:
            not_read.append(NotRead(source, pending_heading[1], pending_heading[0], "heading with no text under it"))
            pending_heading = None

    for block in blocks:
        if block.kind == "skip":
            not_read.append(NotRead(source, block.line, block.text, block.reason))
            if block.reason == "byline":
                _add_unique(byline, _byline_authors(block.text))
            continue
        if block.kind == "anchor":
            continue
        if has_h1 and not drafts and not (block.kind == "heading" and block.level == 1):
            not_read.append(NotRead(source, block.line, block.text, "before the article title"))
            continue
        if block.kind == "heading" and block.level == 1:
            close_heading()
            drafts.append(_Draft(block.text, block.line, title_evidence=block.reason or "an <h1> heading"))
        elif block.kind == "heading" and block.level <= 4:
            # Consecutive headings (a part title, then a chapter title) make one chapter mark.
            if pending_heading is not None:
                pending_heading = (join_titles(pending_heading[0], block.text), pending_heading[1],
                                   f"{pending_heading[2]}, joined with the <h{block.level}> right after it")
            else:
                pending_heading = (block.text, block.line, f"an <h{block.level}> heading")
            current()
        elif block.kind == "standfirst" and drafts and not drafts[-1].sections and pending_heading is None \
                and drafts[-1].standfirst is None:
            drafts[-1].standfirst = block.text
        else:
            draft = current()
            if pending_heading is not None:
                draft.sections.append((pending_heading[0], pending_heading[1], True, [], pending_heading[2]))
                pending_heading = None
            elif not draft.sections:
                draft.sections.append((draft.title, block.line, False, [], ""))
            draft.sections[-1][3].append(make_paragraph(block.text, block.line))
        if drafts:
            drafts[-1].last_line = max(drafts[-1].last_line, block.line)
    close_heading()
    return drafts, not_read, byline


# Text before a page's first <h1> is chrome (a kicker, a date, a breadcrumb) unless it is a part
# of the document itself: sections with headings of their own and this much prose.
LEADING_PART_WORDS = 100


def _leads_with_document(blocks: Sequence[Block]) -> bool:
    """Whether the blocks before the first <h1> hold sections (an <h2>-<h4> with text under it) and
    LEADING_PART_WORDS words of text: a README rendered to HTML opens with its "## Installation"
    and "## Usage" before a later "# Change Log"."""
    words = 0
    headed = False
    heading_seen = False
    for block in blocks:
        if block.kind == "heading" and block.level == 1:
            break
        if block.kind == "heading":
            heading_seen = True
        elif block.kind == "text":
            words += len(block.text.split())
            headed = headed or heading_seen
    return headed and words >= LEADING_PART_WORDS


def _promote_page_title(blocks: Sequence[Block]) -> list[Block]:
    """On a page with no <h1>, a heading that opens the content and is the only one of the top
    level there (a manual's page: its <h2> title over <h3> sections) is the page's title."""
    headings = [b for b in blocks if b.kind == "heading"]
    if not headings or any(b.level == 1 for b in headings) or any(b.kind == "article" for b in blocks):
        return list(blocks)
    first = next((i for i, b in enumerate(blocks) if b.kind in ("text", "heading", "standfirst")), None)
    if first is None or blocks[first].kind != "heading":
        return list(blocks)
    top = blocks[first]
    if sum(1 for b in headings if b.level <= top.level) > 1:
        return list(blocks)
    promoted = Block("heading", top.text, top.line, 1,
                     reason=f"the <h{top.level}> opening the content, the only one of its level (the page has no <h1>)")
    return [*blocks[:first], promoted, *blocks[first + 1:]]


def _promote_article_titles(blocks: Sequence[Block], fallback_title: str) -> list[Block]:
    """Each <article> of several becomes an article: its first heading, if it opens it, is an h1."""
    out: list[Block] = []
    opening = False
    count = 0
    several = sum(1 for b in blocks if b.kind == "article") > 1
    for block in blocks:
        if block.kind == "article":
            opening = True
            continue
        if opening and block.kind in ("text", "heading", "standfirst"):
            opening = False
            count += 1
            if block.kind == "heading" and block.level <= 4:
                block = Block("heading", block.text, block.line, 1, reason=f"the <h{block.level}> opening an <article>")
            elif several:
                # No heading of its own: still a new article, named like the page.
                out.append(Block("heading", f"{fallback_title} ({count})", block.line, 1,
                                 reason="an <article> with no heading, named after the page"))
        out.append(block)
    return out


def read_html(raw: bytes, source: str) -> tuple[list[Article], list[NotRead]]:
    """Articles in a saved web page, and what on the page is not read (with reasons)."""
    if len(raw) > MAX_HTML_BYTES:
        raise InputError(
            f"{source}: page is {len(raw) / 2**20:.0f} MB; pages over {MAX_HTML_BYTES // 2**20} MB are refused"
        )
    if b"\x00" in raw[:4096] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{source}: binary data, not a web page")
    text = close_empty_elements(decode_html(raw))
    check_nesting(text, source)
    tree = LexborHTMLParser(text)
    lines = _LineIndex(text, tree)
    meta = read_meta(tree)
    root = _main_root(tree, source)
    body = tree.body
    assert body is not None  # _main_root checked
    blocks: list[Block] = []
    for block in _outside_blocks(body, root, lines) if root.mem_id != body.mem_id else [Block("root", "", 0)]:
        if block.kind == "root":
            blocks.extend(walk_blocks(root, lines))
        else:
            blocks.append(block)
    outside_h1 = None
    if not any(b.kind == "heading" and b.level == 1 for b in blocks if b.kind != "skip"):
        h1 = tree.css_first("h1")
        outside_h1 = strip_permalinks(clean_text(h1.text())) if h1 is not None else None
    # The page's declared headline beats an <h1> outside the content, which is often the site's name.
    fallback_title, fallback_evidence = next((title, why) for title, why in (
        (_title_from_tag(meta.title, meta.publication) if meta.title else None,
         "the headline the page declares (Open Graph, JSON-LD or <meta>)"),
        (outside_h1, "the page's <h1>, outside the main content"),
        (_title_from_tag(meta.title_tag, meta.publication) if meta.title_tag else None, "the page's <title>"),
        (PurePath(source).stem, "the file name (the page names no title)"),
    ) if title)
    # The parsed page is the biggest thing in memory; the blocks hold all that is needed now.
    del tree, lines, root, body
    drafts, not_read, byline = _assemble(blocks, source, fallback_title, fallback_evidence)
    drafts = [d for d in drafts if _keep(d, source, not_read)]
    if not drafts:
        raise InputError(f"{source}: no article text found in the page")
    authors = tuple(meta.authors or byline)
    language = meta.language or guess_language(
        " ".join(p.text for d in drafts for _, _, _, ps, _ in d.sections for p in ps[:40])) or "en"
    articles = [
        Article(
            title=d.title,
            sections=tuple(Section(t, tuple(ps), line, announce, evidence)
                           for t, line, announce, ps, evidence in d.sections),
            source=source,
            line_start=d.line,
            line_end=max(d.last_line, d.line),
            standfirst=d.standfirst,
            authors=authors,
            publication=meta.publication,
            issue_date=meta.date,
            language=language,
            title_evidence=d.title_evidence,
        )
        for d in drafts
    ]
    return articles, not_read


def _keep(draft: _Draft, source: str, not_read: list[NotRead]) -> bool:
    """Drop an article that has a title but no text, listing the title."""
    if draft.sections:
        return True
    not_read.append(NotRead(source, draft.line, draft.title, "article title with no text under it"))
    return False
