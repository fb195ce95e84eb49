"""What `plan` shows: the edition's structure as plain data, and as a plain-text tree."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import Edition

# Listening-time estimate for plans: a typical narration pace (speech engines at
# their default rate read 150-180 words a minute). One place, so every view agrees.
WORDS_PER_MINUTE = 160


def estimated_seconds(words: int, wpm: int = WORDS_PER_MINUTE) -> int:
    """Seconds to read `words` aloud at `wpm` words a minute."""
    return round(words * 60 / wpm) if wpm > 0 else 0


def format_duration(seconds: int) -> str:
    """3725 → "1 h 02 min"; 125 → "2 min 05 s"; 9 → "9 s"."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def plan_data(
    edition: Edition,
    provenance: dict[str, str],
    speak: Callable[[str, str], str] | None = None,
    wpm: int = WORDS_PER_MINUTE,
    unspeakable: Callable[[str, str], list[str]] | None = None,
) -> dict[str, Any]:
    """The plan as JSON-ready data; with `speak`, each section also carries its spoken text.

    With `unspeakable`, what the normaliser must drop from a paragraph (emoji and
    other symbols no engine can say) joins `not_read`, so nothing goes unlisted.
    """
    articles = []
    dropped: list[dict[str, Any]] = []
    for article in edition.articles:
        sections = []
        for section in article.sections:
            entry: dict[str, Any] = {
                "title": section.title,
                "announce_title": section.announce_title,
                "words": section.words,
                "estimated_seconds": estimated_seconds(section.words, wpm),
                "line": section.line,
                "text": section.text,
                "evidence": section.evidence,
            }
            if speak is not None:
                entry["spoken"] = "\n\n".join(speak(p.text, article.language) for p in section.paragraphs)
            if unspeakable is not None:
                for p in section.paragraphs:
                    for item in unspeakable(p.text, article.language):
                        dropped.append({"source": article.source, "line": p.line, "text": item, "reason": "not speakable"})
            sections.append(entry)
        articles.append(
            {
                "title": article.title,
                "standfirst": article.standfirst,
                "authors": list(article.authors),
                "translators": list(article.translators),
                "publication": article.publication,
                "issue_date": article.issue_date.isoformat() if article.issue_date else None,
                "issue_title": article.issue_title,
                "language": article.language,
                "words": article.words,
                "estimated_seconds": estimated_seconds(article.words, wpm),
                "title_evidence": article.title_evidence,
                "source": article.source,
                "line_start": article.line_start,
                "line_end": article.line_end,
                "sections": sections,
            }
        )
    words = sum(a.words for a in edition.articles)
    return {
        "edition": {
            "title": edition.title,
            "publication": edition.publication,
            "issue_date": edition.issue_date.isoformat() if edition.issue_date else None,
            "provenance": dict(provenance),
            "words": words,
            "estimated_seconds": estimated_seconds(words, wpm),
            "words_per_minute": wpm,
            "sources": list(edition.sources),
        },
        "articles": articles,
        "not_read": [
            {"source": n.source, "line": n.line, "text": n.text, "reason": n.reason, "rule": n.rule}
            for n in edition.not_read
        ]
        + dropped,
    }


def _article_meta(article: dict[str, Any]) -> str:
    bits = []
    if article["authors"]:
        bits.append("by " + ", ".join(article["authors"]))
    if article["translators"]:
        bits.append("translated by " + ", ".join(article["translators"]))
    issue = ", ".join(x for x in (article["publication"], article["issue_date"], article["issue_title"]) if x)
    if issue:
        bits.append(issue)
    return "; ".join(bits)


NO_HEADINGS = ("no section headings found (no underlined, numbered or capitalised heading lines, "
               "no short line followed by prose): read as one section")


def no_headings(article: dict[str, Any], alone: bool = False) -> bool:
    """Whether an article worth navigating (long, or the whole document) is one section: no heading found."""
    sections = article["sections"]
    return len(sections) == 1 and not sections[0]["announce_title"] and (alone or article["words"] >= 1000)


def render_plan(data: dict[str, Any], explain: bool = False) -> str:
    """The plan as a plain-text tree (for pipes and logs; the CLI draws a richer one on a terminal).

    With `explain`, each title, heading and line not read says which rule or evidence decided it.
    """
    ed = data["edition"]
    prov = ed["provenance"]
    lines = [
        f"Edition: {ed['title']}  [{prov.get('title', '?')}]",
        f"Publication: {ed['publication']}  [{prov.get('publication', '?')}]",
        f"Issue date: {ed['issue_date'] or 'none'}  [{prov.get('issue_date', '?')}]",
        f"{plural(len(data['articles']), 'article')}, {plural(ed['words'], 'word')}, about "
        f"{format_duration(ed['estimated_seconds'])} at {ed['words_per_minute']} words a minute",
        "",
    ]
    for n, article in enumerate(data["articles"], start=1):
        lines.append(
            f"{n}. {article['title']}  ({plural(article['words'], 'word')}, {format_duration(article['estimated_seconds'])})"
            f"  {article['source']}:{article['line_start']}-{article['line_end']}"
        )
        meta = _article_meta(article)
        if meta:
            lines.append(f"   {meta}")
        if explain and article.get("title_evidence"):
            lines.append(f"   why a title: {article['title_evidence']}")
        if no_headings(article, len(data["articles"]) == 1):
            lines.append(f"   ({NO_HEADINGS})")
        if article["standfirst"]:
            lines.append(f"   Standfirst: {_clip(article['standfirst'])}")
        for i, section in enumerate(article["sections"]):
            branch = "└─" if i == len(article["sections"]) - 1 else "├─"
            title = section["title"] if section["announce_title"] else f"({section['title']}, opening)"
            lines.append(
                f"   {branch} {title}  ({plural(section['words'], 'word')}, {format_duration(section['estimated_seconds'])})"
            )
            if explain and section.get("evidence"):
                lines.append(f"   {'  ' if branch == '└─' else '│ '}   why a heading: {section['evidence']}")
            if "spoken" in section:
                # The whole text, a paragraph a line: --spoken is for checking what the voice will say.
                for paragraph in section["spoken"].split("\n\n"):
                    lines.append(f"   {'  ' if branch == '└─' else '│ '}   {' '.join(paragraph.split())}")
        lines.append("")
    not_read = data["not_read"]
    lines.append(f"Not read aloud ({len(not_read)}):" if not_read else "Not read aloud: nothing")
    for item in not_read:
        shown = _clip(item["text"]) or item["text"]  # a spacer line shows its odd spaces
        rule = f"  [{item['rule']}]" if explain and item.get("rule") else ""
        lines.append(f"  {item['source']}:{item['line']}  {item['reason']}: {shown!r}{rule}")
    return "\n".join(lines)


def plural(count: int, noun: str) -> str:
    """'1 word', '2 words', '0 articles'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _clip(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
