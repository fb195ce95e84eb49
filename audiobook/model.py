"""The document model: Edition → Article → Section → Paragraph → sentences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """One cleaned paragraph as it will be spoken (before normalisation)."""

    text: str
    sentences: tuple[str, ...]  # `text` split into sentences; joined by spaces they give `text`
    line: int  # 1-based line in the source where the paragraph starts


@dataclass(frozen=True)
class Section:
    """A chapter of an article; `title` is what the chapter mark shows."""

    title: str
    paragraphs: tuple[Paragraph, ...]
    line: int
    # False for the untitled opening section, named after the article: its
    # heading is the article title, which is announced once, not twice.
    announce_title: bool = True
    # Why the reader took this for a heading (shown by `plan --explain`), "" when it is not one.
    evidence: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def words(self) -> int:
        return sum(len(p.text.split()) for p in self.paragraphs)


@dataclass(frozen=True)
class Article:
    title: str
    sections: tuple[Section, ...]
    source: str  # file path as given, or "-" for standard input
    line_start: int
    line_end: int
    standfirst: str | None = None
    authors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    publication: str | None = None
    issue_date: dt.date | None = None
    issue_title: str | None = None
    language: str = "en"
    # Where the title came from (shown by `plan --explain`).
    title_evidence: str = ""

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sections)


@dataclass(frozen=True)
class NotRead:
    """Input text that will not be read aloud, and why (nothing is dropped silently)."""

    source: str
    line: int
    text: str
    reason: str
    # The rule that set it aside (shown by `plan --explain`), when a rule file decided it.
    rule: str = ""


@dataclass(frozen=True)
class Edition:
    """Everything read from the inputs, in reading order."""

    articles: tuple[Article, ...]
    not_read: tuple[NotRead, ...] = ()
    title: str | None = None  # from the text or flags; see pipeline for fallbacks
    publication: str | None = None
    issue_date: dt.date | None = None
    sources: tuple[str, ...] = field(default=())
