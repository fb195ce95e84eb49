"""Plain text → a stream of blocks and markers: blank-line paragraphs, boilerplate, article ends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import NotRead
from .outline import Survey
from .repair import clean_spaces, join_spaced_letters
from .rules import LineRule, Rules

_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")


@dataclass(frozen=True)
class Block:
    """Consecutive non-blank lines: one paragraph, heading or title (cleaned lines, no blanks)."""

    lines: tuple[str, ...]
    line: int  # 1-based number of the first line
    last_line: int
    indent: int = 0  # columns of space before the first line (a list item's body is indented)

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class Boundary:
    """A boilerplate line that usually sits between articles (a lead image credit)."""

    line: int


@dataclass(frozen=True)
class End:
    """An end-of-article line, with what it says about the article."""

    line: int
    publication: str | None
    date: str | None
    issue_title: str | None


@dataclass(frozen=True)
class Heading:
    """A heading the layout shows (underlined, numbered, in capitals, named by the contents)."""

    line: int
    last_line: int
    title: str
    style: str
    evidence: str
    strong: bool  # False: a heading only when prose follows it

    @property
    def text(self) -> str:
        return self.title


@dataclass(frozen=True)
class Break:
    """A line of asterisks or a rule: a scene break, or the gap between two pieces."""

    line: int


Item = Block | Boundary | End | Heading | Break


# Marks that web pages put after headings to link to them (Sphinx "¶", "§", "#"), kept by text dumps.
_PERMALINK = re.compile(r"(?:\s*(?:[¶§#]|\[?(?i:link to this heading|permalink to this (?:headline|heading|section))\]?))+$")


def strip_permalink(title: str) -> str:
    """A heading as a listener should hear it: no permalink mark ("Tools¶" → "Tools"), no letter-spacing."""
    title = join_spaced_letters(title)
    cleaned = _PERMALINK.sub("", clean_spaces(title))
    return cleaned or clean_spaces(title)


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


_TITLE_LIKE = re.compile(r"^[\"“‘'(]?[A-Z0-9À-Þ].*[^.,;:\-–—]$")


def _title_then_paragraph(line: str, next_raw: str, title_max_chars: int, wrap: int) -> bool:
    """A short title-like line directly above a long paragraph line: a title, not a soft wrap."""
    if len(line) > title_max_chars or not _TITLE_LIKE.match(line):
        return False
    following = clean_spaces(next_raw)
    return len(following) > wrap and bool(_TITLE_LIKE.match(following[:1] + "x"))


_BULLET = re.compile(r"^(?:[-*•·–]|\d{1,2}[.)])\s+\S")


def _starts_paragraph(raw: str, line: str, previous: str) -> bool:
    """A new paragraph with no blank line before it: a list item, or an indented first line."""
    if _BULLET.match(line):
        # "- item" after an item or after a line ending ":" or a sentence; not a dash
        # that a soft wrap happened to put at the start of a line mid-sentence.
        return bool(_BULLET.match(previous)) or previous.endswith(":") or ends_sentence(previous)
    indented = raw.startswith(("\t", "  ")) and not raw.startswith("\u00a0")
    return indented and ends_sentence(previous)


def special_line(line: str, rules: Rules) -> tuple[LineRule, re.Match[str] | None] | None:
    """The end-of-article rule (with its match) or boilerplate rule (match None) a line fits."""
    return rules.line_rule(line)


def segment(lines: list[str], source: str, rules: Rules, not_read: list[NotRead],
            outline: Survey | None = None) -> Iterator[Item]:
    """Yield blocks and markers in order; boilerplate goes to `not_read` (never silently dropped)."""
    wrap = rules.layout.soft_wrap_max_chars
    current: list[str] = []
    start = 0
    last = 0
    outline = outline or Survey()
    zones = {zone.first: zone for zone in outline.zones}
    skip_to = 0  # lines up to this one were consumed by a zone or a heading

    def flush() -> Iterator[Block]:
        if current:
            first = lines[start - 1]
            yield Block(tuple(current), start, last, len(first) - len(first.lstrip(" \t")))
            current.clear()

    lay = rules.layout
    for number, raw in enumerate(lines, start=1):
        if number <= skip_to:
            continue
        zone = zones.get(number)
        if zone is not None:
            yield from flush()
            text = "\n".join(clean_spaces(x) for x in lines[zone.first - 1 : zone.last] if x.strip())
            if text:
                not_read.append(NotRead(source, zone.first, text, zone.reason, zone.rule))
            skip_to = zone.last
            continue
        if number in outline.decorations:
            yield from flush()
            continue
        mark = outline.marks.get(number)
        if mark is not None:
            yield from flush()
            yield Heading(mark.line, mark.last, strip_permalink(mark.title), mark.style, mark.evidence, mark.strong)
            skip_to = mark.last
            if mark.rest:  # a run-in title: its paragraph starts on the same line
                start = last = mark.line
                current.append(mark.rest)
            continue
        line = clean_spaces(raw)
        if not line:
            if raw.strip(" \t\f\v"):
                # A line holding only non-breaking spaces: a layout spacer, listed for the record.
                not_read.append(NotRead(source, number, raw, "spacer line of non-breaking spaces"))
            yield from flush()
            continue
        hit = special_line(line, rules)
        # Only a line standing on its own can be boilerplate or an end line: a soft-wrapped
        # piece of a sentence that happens to start "Read more" is prose.
        if hit is not None and (not current or ends_sentence(current[-1]) or hit[0].anywhere):
            following = clean_spaces(lines[number]) if number < len(lines) else ""
            if not following[:1].islower() or hit[0].anywhere:
                yield from flush()
                rule, m = hit
                not_read.append(NotRead(source, number, line, rule.reason, rule.where))
                if m is not None:
                    groups = m.groupdict()
                    yield End(number, groups.get("publication"), groups.get("date"), groups.get("issue_title"))
                elif rule.boundary:
                    yield Boundary(number)
                elif rule.reason == "section break":
                    yield Break(number)
                continue
        if current and _starts_paragraph(raw, line, current[-1]):
            yield from flush()
        if not current:
            start = number
        current.append(line)
        last = number
        # One paragraph per line, no blank lines between: a long line that ends a
        # sentence is a whole paragraph, not a soft-wrapped piece of one.
        if len(line) > wrap and ends_sentence(line):
            yield from flush()
        elif number < len(lines) and _title_then_paragraph(line, lines[number], lay.title_max_chars, wrap):
            yield from flush()
    yield from flush()
