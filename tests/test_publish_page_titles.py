"""On the edition page every article's spoken title is the same kind of heading, whatever its first chapter is called."""

from __future__ import annotations

import re

from audiobook.manifest import ArticleEntry, Cue, FileEntry, SectionEntry
from audiobook.publish.page import DEFAULT_PARAGRAPH_GAP_S, _transcript


def _section(title: str, start_s: float, end_s: float) -> SectionEntry:
    return SectionEntry(id=f"chp-{start_s}", title=title, start_s=start_s, end_s=end_s, edition_start_s=start_s, edition_end_s=end_s)


def _article(number: int, title: str, first_section: str) -> ArticleEntry:
    # As build times them: title, a pause, standfirst, a pause, the first heading, its text.
    cues = (
        Cue(0.0, 1.0, title),
        Cue(2.0, 4.0, "A standfirst that says what the piece is about."),
        Cue(5.0, 6.0, first_section) if first_section != title else Cue(5.0, 8.0, "The first paragraph."),
        Cue(7.0, 9.0, "The opening paragraph, heard under the first heading."),
        Cue(10.0, 11.0, "Part two"),
        Cue(12.0, 14.0, "The last paragraph."),
    )
    sections = (_section(first_section, 0.0, 10.0), _section("Part two", 10.0, 14.0))
    return ArticleEntry(
        number=number, slug=f"a{number}", title=title, standfirst=None, authors=(), translators=(), language="en",
        issue_date=None, duration_s=14.0, file=FileEntry(f"a{number}.mp3", 1, "0" * 64), sections=sections, cues=cues,
    )


def _elements(html: str) -> list[tuple[str, str]]:
    return [(tag, re.sub(r"<[^>]+>", "", inner)) for tag, inner in re.findall(r"<(h4|p)>(.*?)</\1>", html)]


def test_spoken_title_is_an_h4_whether_or_not_the_first_chapter_is_named_after_it() -> None:
    named_after = "\n".join(_transcript(_article(1, "Lost youth", "Lost youth"), "article-1", DEFAULT_PARAGRAPH_GAP_S))
    numbered = "\n".join(_transcript(_article(2, "Losing Momentum", "1. The Bus"), "article-2", DEFAULT_PARAGRAPH_GAP_S))
    assert ("h4", "Lost youth") in _elements(named_after)
    assert ("h4", "Losing Momentum") in _elements(numbered)
    assert ("p", "Losing Momentum") not in _elements(numbered)
    # The chapter headings are still headings, and nothing heard is lost.
    assert ("h4", "1. The Bus") in _elements(numbered) and ("h4", "Part two") in _elements(numbered)
    assert [text for _, text in _elements(numbered)][1:] == [
        "A standfirst that says what the piece is about.", "1. The Bus",
        "The opening paragraph, heard under the first heading.", "Part two", "The last paragraph.",
    ]
