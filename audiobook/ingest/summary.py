"""What `plan` shows: the edition's structure as plain data, and as a plain-text tree."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..language import KNOWN, base_code
from ..model import Edition, NotRead
from ..phrases import format_duration, plural  # noqa: F401  (re-exported: `plan` and tests use them from here)
from .legibility import summary as unreadable_summary

# Listening-time estimate when no voice profile is at hand (library callers): the
# default profile's measured pace (voices/default.toml [estimate], where the command
# that measured it is; a test keeps the two equal). `plan` passes its profile's own.
WORDS_PER_MINUTE = 180


def estimated_seconds(words: int, wpm: int = WORDS_PER_MINUTE) -> int:
    """Seconds to read `words` aloud at `wpm` words a minute."""
    return round(words * 60 / wpm) if wpm > 0 else 0


# Reasons that come in many small pieces (one per character, one per run): listed as
# one line per kind and line range with a count, never one line per piece.
_PIECEMEAL = ("not speakable", "unreadable: ")


def group_not_read(items: Sequence[NotRead]) -> list[dict[str, Any]]:
    """What is not read, as `plan`, `plan --json` and `build` all list it: grouped, in order.

    Consecutive entries of one source and reason make one group when the reason comes
    in pieces (a character the voice cannot say, a run no one could follow) or when
    they repeat one text. A group has the first line and the last (`line_end`), the
    number of entries (`count`) and their text: each character once for "not
    speakable", else the texts joined, so nothing listed is lost.
    """
    groups: list[dict[str, Any]] = []
    texts: list[list[str]] = []
    for n in items:
        last = groups[-1] if groups else None
        if (last is not None and last["source"] == n.source and last["reason"] == n.reason and last["rule"] == n.rule
                and (n.reason.startswith(_PIECEMEAL) or texts[-1][-1] == n.text)):
            last["line_end"] = max(last["line_end"], n.line)
            last["count"] += 1
            texts[-1].append(n.text)
            continue
        groups.append({"source": n.source, "line": n.line, "line_end": n.line, "count": 1,
                       "text": n.text, "reason": n.reason, "rule": n.rule})
        texts.append([n.text])
    for group, parts in zip(groups, texts):
        if group["count"] > 1:
            if group["reason"] == "not speakable":
                group["text"] = "".join(dict.fromkeys(parts))
            elif len(set(parts)) == 1:
                group["text"] = parts[0]
            else:
                group["text"] = " ".join(parts)
    return groups


def describe_not_read(group: dict[str, Any], limit: int = 90) -> tuple[str, str]:
    """A group of `group_not_read` as (where, what): "a.txt:3-9", "not speakable ×351: '─│'"."""
    lines = str(group["line"]) if group["line_end"] == group["line"] else f"{group['line']}-{group['line_end']}"
    count = f" ×{group['count']}" if group["count"] > 1 else ""
    shown = _clip(group["text"], limit) or group["text"]  # a spacer line shows its odd spaces
    return f"{group['source']}:{lines}", f"{group['reason']}{count}: {shown!r}"


def plan_data(
    edition: Edition,
    provenance: dict[str, str],
    speak: Callable[[str, str], str] | None = None,
    wpm: int = WORDS_PER_MINUTE,
) -> dict[str, Any]:
    """The plan as JSON-ready data; with `speak`, each section also carries its spoken text.

    `not_read` is `group_not_read` of the edition's list: pass an edition that went
    through `audiobook.normalise.with_unspeakable`, as `build` does, so both list the same.
    """
    articles = []
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
        "not_read": group_not_read(edition.not_read),
        # One notice for all the text a listener could not follow, as `build` gives it.
        "unreadable": unreadable_summary(edition.not_read),
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
        language = str(article.get("language") or "en")
        if language.split("-")[0].lower() != "en":
            # English is the default and goes unsaid; any other language picks the voice and the numbers.
            lines.append(f"   Language: {KNOWN.get(base_code(language), language)} ({language})")
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
        where, what = describe_not_read(item)
        rule = f"  [{item['rule']}]" if explain and item.get("rule") else ""
        lines.append(f"  {where}  {what}{rule}")
    unreadable = data.get("unreadable")
    if unreadable:
        lines.append(unreadable)
    return "\n".join(lines)


def _clip(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
