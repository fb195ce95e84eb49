"""Text a listener could not follow: found at ingest, listed as not read, never spelled out.

A speech engine reads whatever it is given. A 200,000-letter line becomes an hour of
spelled letters, a base64 blob or a hex dump minutes of noise. These pure functions find
such text in the paragraphs every reader produced (text, Markdown, HTML, EPUB alike), so
`plan` and `build` see the same edition: a run inside prose is cut out of its paragraph, a
paragraph of one kind is set aside whole, and each is listed with its kind. The limits are
data ([legibility] in the rules), and a rules file can read any of it anyway.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from ..model import Article, NotRead, Paragraph, Section
from ..normalise.addresses import _DOMAIN, _EMAIL, _URL
from .rules import Legibility, Rules
from .sentences import split_sentences

# One reason per kind, fixed, so that a list of them groups by kind.
REASONS = {
    "long": "unreadable: a run without spaces",
    "base64": "unreadable: encoded data (base64)",
    "hex": "unreadable: hex digits",
    "symbols": "unreadable: symbols",
    "numbers": "unreadable: table of numbers",
    "code": "unreadable: code",
}
REASON_PREFIX = "unreadable: "

_EDGE_OPEN = "\"'([{<«“‘"
_EDGE_CLOSE = ".,;:!?)]}>»”’\"'"
# The words of a run: what lies between its punctuation, or its CamelCase humps.
_PIECES = re.compile(r"[\W_]+|(?<=[a-z])(?=[A-Z])")
# Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Tibetan,
# Myanmar, Khmer): a sentence of them is one run, and is read. They count as spaces.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u3000-\u30ff\u3100-\u312f\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]+"
)
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")
_HEX_RUN = re.compile(r"(?:0x)?[0-9a-fA-F]+")
# A hex dump's tokens: addresses ("00000010", "0010:"), bytes and words ("7f", "4c46").
_HEX_TOKEN = re.compile(r"(?:0x)?[0-9a-fA-F]{2,16}:?")
_NUMBER = re.compile(r"[-+−(]?[$£€¥]?\d[\d.,:/%]*[)%]?")
_CODE_CHARS = frozenset(";{}()=<>[]")


def _address(run: str) -> bool:
    """A web or e-mail address: the normaliser reads those by their parts."""
    return any(p.fullmatch(run) for p in (_URL, _EMAIL, _DOMAIN))


def _changes(run: str) -> int:
    """How often the run's letters and digits switch between lower case, upper case and digits."""
    kinds = [0 if c.islower() else 1 if c.isupper() else 2 for c in run if c.isalnum()]
    return sum(a != b for a, b in zip(kinds, kinds[1:]))


def _blob(run: str, s: Legibility) -> str | None:
    """"hex" or "base64" for a run of encoded data, else None."""
    if len(run) < s.blob_min_chars:
        return None
    if _HEX_RUN.fullmatch(run) and any(c.isdigit() for c in run) and any(c.isalpha() for c in run[2:]):
        return "hex"
    # Random letters and digits switch class every two or three characters; a word, or a
    # long CamelCase identifier, every five or more.
    # Both cases in good measure, too: a path or an address is mostly lower case.
    if (_BASE64.fullmatch(run) and sum(c.isdigit() for c in run) >= 2 and _changes(run) >= 0.3 * len(run)
            and min(sum(c.isupper() for c in run), sum(c.islower() for c in run)) >= 0.15 * len(run)):
        return "base64"
    return None


def run_kind(token: str, s: Legibility) -> str | None:
    """The kind of an unreadable run without spaces, or None when it can be read."""
    if len(token) < min(s.symbol_run_chars, s.blob_min_chars, s.max_word_chars):
        return None
    if not any(c.isalnum() for c in token):
        return "symbols" if len(token) >= s.symbol_run_chars else None
    run = token.lstrip(_EDGE_OPEN).rstrip(_EDGE_CLOSE)
    if _UNSPACED.search(run):
        return max((run_kind(part, s) for part in _UNSPACED.split(run)), key=bool, default=None)
    # Pieces between separators, for data inside an address or a path; not split at
    # CamelCase, which base64 is full of.
    for piece in [run, *re.split(r"[/.:\\@?&=#]+", run)]:
        kind = _blob(piece, s)
        if kind:
            return kind
    if any(len(p) > s.max_word_chars for p in _PIECES.split(run)):
        return "long"
    if len(run) > s.max_run_chars and not _address(run):
        return "long"
    return None


def paragraph_kind(text: str, s: Legibility) -> str | None:
    """The kind of a paragraph that is unreadable as a whole (a dump, a table, a drawing, code)."""
    tokens = text.split()
    if len(tokens) >= 8 and any(c.isdigit() for c in text):
        hexes = [t for t in tokens if _HEX_TOKEN.fullmatch(t)]
        # Mostly hex, with digits in most and letters in some: "a bad face" is no dump.
        if (len(hexes) >= 0.6 * len(tokens) and sum(any(c.isdigit() for c in t) for t in hexes) >= 0.5 * len(hexes)
                and any(c in "abcdefABCDEF" for t in hexes for c in t.removeprefix("0x"))):
            return "hex"
        numbers = sum(1 for t in tokens if _NUMBER.fullmatch(t))
        if numbers >= s.table_min_numbers and numbers >= 0.6 * len(tokens):
            return "numbers"
    # Box-drawing and block characters draw a table around words worth reading; the
    # normaliser drops them, listed as not speakable.
    visible = "".join(c for c in text if not c.isspace() and not "\u2500" <= c <= "\u259f")
    if len(visible) >= 12 and sum(c.isalnum() for c in visible) < 0.3 * len(visible):
        return "symbols"
    # Code ends statements and assigns: prose with many brackets does neither.
    # (A rule of "=====" in prose is symbols, not code: code uses brackets of several kinds too.)
    if len(visible) >= 120 and text.count(";") + text.count("=") >= 3 and len(_CODE_CHARS & set(text)) >= 4:
        if sum(c in _CODE_CHARS for c in visible) >= 0.08 * len(visible):
            return "code"
    return None


def _forced(text: str, kind: str, s: Legibility) -> bool:
    return kind in s.read or any(p.search(text) for p in s.read_anyway)


def _note(source: str, line: int, text: str, kind: str, s: Legibility) -> NotRead:
    how = f'[legibility] read = ["{kind}"] or a [[read_anyway]] pattern reads it'
    return NotRead(source, line, text, REASONS[kind], f"{s.where} [legibility]; {how}")


def _paragraph(p: Paragraph, source: str, s: Legibility) -> tuple[Paragraph | None, list[NotRead]]:
    """The paragraph with what cannot be followed taken out (None when nothing is left), and what was."""
    kind = paragraph_kind(p.text, s)
    if kind and not _forced(p.text, kind, s):
        return None, [_note(source, p.line, p.text, kind, s)]
    kept: list[str] = []
    notes: list[NotRead] = []
    for token in p.text.split(" "):
        kind = run_kind(token, s)
        if kind and not _forced(token, kind, s):
            notes.append(_note(source, p.line, token, kind, s))
        else:
            kept.append(token)
    if not notes:
        return p, []
    text = " ".join(t for t in kept if t)
    if not any(c.isalnum() for c in text):
        # Only punctuation is left around what was cut: nothing to say, listed with it.
        if text:
            notes.append(NotRead(source, p.line, text, REASONS["symbols"], notes[0].rule))
        return None, notes
    return Paragraph(text, split_sentences(text), p.line), notes


def set_aside(articles: Sequence[Article], rules: Rules) -> tuple[list[Article], list[NotRead]]:
    """Articles without the text a listener could not follow, and that text as not read.

    A section left with no paragraph keeps its heading; an article left with no
    paragraph at all is dropped, its title listed with the rest.
    """
    s = rules.legibility
    out: list[Article] = []
    notes: list[NotRead] = []
    for article in articles:
        found: list[NotRead] = []
        sections: list[Section] = []
        for section in article.sections:
            paragraphs: list[Paragraph] = []
            for p in section.paragraphs:
                kept, cut = _paragraph(p, article.source, s)
                found.extend(cut)
                if kept is not None:
                    paragraphs.append(kept)
            changed = len(paragraphs) != len(section.paragraphs) or any(a is not b for a, b in zip(paragraphs, section.paragraphs))
            sections.append(replace(section, paragraphs=tuple(paragraphs)) if changed else section)
        standfirst = article.standfirst
        if standfirst:
            kept, cut = _paragraph(Paragraph(standfirst, (standfirst,), article.line_start), article.source, s)
            if cut:
                found[:0] = cut
                standfirst = kept.text if kept is not None else None
        if not found:
            out.append(article)
            continue
        article = replace(article, standfirst=standfirst)
        if standfirst or any(s_.paragraphs for s_ in sections):
            out.append(replace(article, sections=tuple(sections)))
        else:
            titles = [article.title] + [x.title for x in article.sections if x.announce_title]
            found.insert(0, NotRead(article.source, article.line_start, " / ".join(titles), "title of text not read"))
        notes.extend(found)
    return out, notes


def merge_by_line(listed: Sequence[NotRead], more: Sequence[NotRead]) -> list[NotRead]:
    """Both lists as one, in reading order: sources in the order they come, lines in order within each."""
    order: dict[str, int] = {}
    for item in [*listed, *more]:
        order.setdefault(item.source, len(order))
    # A stable sort: entries of one line keep the order they were listed in.
    return sorted([*listed, *more], key=lambda n: (order[n.source], n.line))


def summary(items: Sequence[NotRead]) -> str | None:
    """One notice for everything set aside as unreadable, or None when nothing was."""
    kinds: Counter[str] = Counter()
    chars = 0
    for item in items:
        if item.reason.startswith(REASON_PREFIX):
            kinds[item.reason.removeprefix(REASON_PREFIX)] += 1
            chars += len(item.text)
    if not kinds:
        return None
    total = sum(kinds.values())
    what = ", ".join(f"{kind} ({n})" for kind, n in kinds.items())
    return (
        f"{total} {'passage' if total == 1 else 'passages'} a listener could not follow "
        f"({chars:,} characters) {'is' if total == 1 else 'are'} not read: {what}; "
        "to read them anyway, see [legibility] and [[read_anyway]] in the rules (--rules)"
    )
