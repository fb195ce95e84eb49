"""The Markdown reader: front matter, `#` articles, `##`/`###` sections, paragraphs and lists."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from selectolax.lexbor import LexborHTMLParser

from ..language import language_of
from ..model import Article, NotRead, Paragraph, Section
from .html import Block, _LineIndex, join_titles, walk_blocks
from .meta import merge_names, name_key, parse_date, split_names
from .repair import clean_spaces, join_lines
from .rules import Rules, load_rules
from .segment import special_line
from .sentences import split_sentences
from .text import CREDIT_REASON, humanise_stem, match_credit

_FRONT_KEY = re.compile(r"^([A-Za-z][\w-]*)\s*:\s*(.*)$")
_LIST_ITEM = re.compile(r"^\s*-\s+(.*)$")
# Front-matter keys we use, by meaning.
_TITLE_KEYS = {"title"}
_AUTHOR_KEYS = {"author", "authors", "by", "byline"}
_TRANSLATOR_KEYS = {"translator", "translators", "translated_by", "translated-by"}
_DATE_KEYS = {"date", "issue_date", "issue-date", "published"}
_PUBLICATION_KEYS = {"publication", "magazine", "publisher", "site"}
_ISSUE_TITLE_KEYS = {"issue", "issue_title", "issue-title"}
_STANDFIRST_KEYS = {"standfirst", "description", "summary", "subtitle", "dek", "excerpt"}
_LANGUAGE_KEYS = {"lang", "language"}


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_front_matter(lines: list[str]) -> tuple[dict[str, list[str]], int]:
    """Simple `key: value` front matter between `---` lines; lists as `[a, b]` or `- a` lines.

    Returns the values by lower-cased key and the number of lines it took (0 if none).
    """
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return {}, 0
    body = [line for line in lines[1:end] if line.strip()]
    if not body or not all(_FRONT_KEY.match(line) or _LIST_ITEM.match(line) for line in body):
        return {}, 0  # a thematic break (---) around ordinary text, not front matter
    values: dict[str, list[str]] = {}
    key: str | None = None
    for line in lines[1:end]:
        item = _LIST_ITEM.match(line)
        if item and key is not None:
            values[key].append(_unquote(item.group(1)))
            continue
        m = _FRONT_KEY.match(line)
        if not m:
            continue
        key = m.group(1).lower()
        raw = m.group(2).strip()
        if raw.startswith("[") and raw.endswith("]"):
            values[key] = [_unquote(v) for v in raw[1:-1].split(",") if v.strip()]
        else:
            values[key] = [_unquote(raw)] if raw else []
    return values, end + 1


def _first(values: dict[str, list[str]], keys: set[str]) -> str | None:
    for key in keys:
        if values.get(key):
            return values[key][0]
    return None


def _all(values: dict[str, list[str]], keys: set[str]) -> list[str]:
    out: list[str] = []
    for key in sorted(keys):
        for v in values.get(key, []):
            out.extend(split_names(v))
    return out


@dataclass
class _Draft:
    title: str | None
    line_start: int
    line_end: int
    authors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    sections: list[tuple[str | None, int, list[Paragraph]]] = field(default_factory=list)
    title_from_heading: bool = False  # else from front matter (already listed) or none
    last_level: int = 0  # level of the last section heading
    # From an end-of-article line; the front matter's values apply otherwise.
    publication: str | None = None
    issue_date: dt.date | None = None
    issue_title: str | None = None


def _inline_text(token: Token, source: str, line: int, not_read: list[NotRead]) -> str:
    """An inline token's plain text: markup dropped, images listed as not read."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            alt = "".join(c.content for c in child.children or []) or child.content
            not_read.append(NotRead(source, line, f"![{alt}]({child.attrGet('src') or ''})", "image"))
    return "".join(parts)


def _html_block(content: str) -> list[Block]:
    """The blocks of a raw HTML block, as the web page reader walks them (lines from 1)."""
    tree = LexborHTMLParser(content)
    body = tree.body
    if body is None:
        return []
    return walk_blocks(body, _LineIndex(content, tree), guard=False)


def parse_markdown(text: str, source: str, rules: Rules | None = None) -> tuple[list[Article], list[NotRead]]:
    """Articles from Markdown: `#` starts an article, `##`/`###` start sections."""
    rules = rules or load_rules()
    lines = text.split("\n")
    front, offset = parse_front_matter(lines)
    not_read: list[NotRead] = []
    known = (
        _TITLE_KEYS | _AUTHOR_KEYS | _TRANSLATOR_KEYS | _DATE_KEYS | _PUBLICATION_KEYS
        | _ISSUE_TITLE_KEYS | _STANDFIRST_KEYS | _LANGUAGE_KEYS
    )
    used = False
    for number in range(1, offset + 1):
        fm_line = lines[number - 1]
        m = _FRONT_KEY.match(fm_line)
        if m:
            used = m.group(1).lower() in known  # "- item" lines below share their key's fate
        if fm_line.strip() and fm_line.strip() not in ("---", "..."):
            reason = "front matter, kept as metadata" if used else "front matter, not used"
            not_read.append(NotRead(source, number, fm_line, reason))

    fm_title = _first(front, _TITLE_KEYS)
    date_text = _first(front, _DATE_KEYS)
    issue_date = parse_date(date_text[:10] if date_text and re.match(r"\d{4}-\d\d-\d\d", date_text) else date_text or "")
    publication = _first(front, _PUBLICATION_KEYS)
    issue_title = _first(front, _ISSUE_TITLE_KEYS)
    standfirst = _first(front, _STANDFIRST_KEYS)
    declared = _first(front, _LANGUAGE_KEYS)

    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse("\n".join(lines[offset:]))
    articles: list[Article] = []
    draft: _Draft | None = None
    untitled = 0

    def finish(d: _Draft | None) -> None:
        nonlocal untitled
        if d is None:
            return
        # Headings with nothing under them are listed, not silently dropped.
        for title, ln, paras in d.sections:
            if title is not None and not paras:
                not_read.append(NotRead(source, ln, title, "heading with no text under it"))
        if not any(paras for _, _, paras in d.sections):
            if d.title is not None and d.title_from_heading:
                not_read.append(NotRead(source, d.line_start, d.title, "title with no text under it"))
            return
        if d.title is None:
            untitled += 1
            stem = humanise_stem(source)
            d.title = stem if untitled == 1 else f"{stem}, part {untitled}"
            evidence = "no title line found: named after the file"
        else:
            evidence = "a `#` heading" if d.title_from_heading else "the front matter's title"
        first = not articles
        sections = tuple(Section(t or d.title, tuple(p), ln, t is not None) for t, ln, p in d.sections if p)
        articles.append(
            Article(
                title=d.title,
                sections=sections,
                source=source,
                line_start=d.line_start,
                line_end=d.line_end,
                standfirst=standfirst if first else None,
                authors=merge_names(_all(front, _AUTHOR_KEYS), d.authors),
                translators=merge_names(_all(front, _TRANSLATOR_KEYS), d.translators),
                publication=d.publication or publication,
                issue_date=d.issue_date or issue_date,
                issue_title=d.issue_title or issue_title,
                language=language_of((p.text for s in sections for p in s.paragraphs), declared),
                title_evidence=evidence,
            )
        )

    def current(line: int) -> _Draft:
        nonlocal draft
        if draft is None:
            draft = _Draft(fm_title if not articles else None, line, line)
        return draft

    def heading(title: str, level: int, line: int, last: int) -> None:
        nonlocal draft
        if level == 1:
            if draft is None and not articles and fm_title:
                draft = _Draft(fm_title, line, last)
                if name_key(fm_title) == name_key(title):
                    not_read.append(NotRead(source, line, title, "title, same as the front matter's"))
                else:
                    # Front matter names the article; this heading opens a section.
                    draft.sections.append((title, line, []))
                    draft.last_level = 1
                return
            if draft is not None and draft.title is None and not draft.sections:
                draft.title = title  # only credits came before it
                draft.title_from_heading = True
                return
            finish(draft)
            draft = _Draft(title, line, last, title_from_heading=True)
            return
        d = current(line)
        previous = d.sections[-1] if d.sections else None
        if previous is not None and previous[0] is not None and not previous[2] and level > d.last_level:
            # A heading right under its parent ("## Version 2.0" then "### Highlights"): one
            # chapter mark for both, as the HTML and EPUB readers make, not a parent lost as empty.
            joined = join_titles(previous[0], title)
            if joined == previous[0]:
                not_read.append(NotRead(source, line, title, "heading repeating the one just above it"))
            d.sections[-1] = (joined, previous[1], previous[2])
        else:
            d.sections.append((title, line, []))
        d.last_level = level
        d.line_end = last

    def paragraph(body: str, line: int, last: int, one_line: bool) -> None:
        d = current(line)
        d.line_end = max(d.line_end, last)
        special = special_line(body, rules) if one_line else None
        credit = match_credit(body, rules)
        if special is not None:
            # The same boilerplate and end-of-article lines as in plain text.
            rule, m = special
            not_read.append(NotRead(source, line, body, rule.reason))
            if m is not None:
                found = m.groupdict()
                d.publication = clean_spaces(found["publication"]) if found.get("publication") else d.publication
                d.issue_date = parse_date(found["date"]) if found.get("date") else d.issue_date
                d.issue_title = clean_spaces(found["issue_title"]) if found.get("issue_title") else d.issue_title
        elif credit is not None:
            kind, names = credit
            not_read.append(NotRead(source, line, body, CREDIT_REASON))
            if kind == "translator":
                d.translators = merge_names(d.translators, names)
            else:
                d.authors = merge_names(d.authors, names)
        else:
            if not d.sections:
                d.sections.append((None, line, []))
            d.sections[-1][2].append(Paragraph(body, split_sentences(body), line))

    list_stack: list[str] = []  # "ul" or "ol", to number ordered items
    item_number = ""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        line = (tok.map[0] + 1 + offset) if tok.map else offset + 1
        last = (tok.map[1] + offset) if tok.map else line
        if tok.type == "heading_open":
            title = clean_spaces(_inline_text(tokens[i + 1], source, line, not_read))
            i += 3
            if title:
                heading(title, int(tok.tag[1:]), line, last)
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            list_stack.append(tok.tag)
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
        elif tok.type == "list_item_open":
            item_number = tok.info if list_stack and list_stack[-1] == "ol" else ""
        elif tok.type == "inline" and tokens[i - 1].type == "paragraph_open":
            raw = _inline_text(tok, source, line, not_read)
            body = join_lines(raw.split("\n"), rules.repair)
            if item_number:
                body, item_number = f"{item_number}. {body}", ""
            if body:
                paragraph(body, line, last, "\n" not in raw.strip())
        elif tok.type in ("fence", "code_block"):
            not_read.append(NotRead(source, line, tok.content.rstrip("\n"), "code block"))
        elif tok.type == "html_block":
            # Raw HTML is rendered by every Markdown viewer (a README's centred <h2>, its row
            # of badges): its headings and text are read as such, its images and widgets listed.
            blocks = _html_block(tok.content)
            if not any(b.kind != "skip" for b in blocks):
                # Nothing to read (a comment, a lone tag, an image): listed whole, as it is written.
                not_read.append(NotRead(source, line, tok.content.rstrip("\n"), "HTML block"))
                blocks = []
            for block in blocks:
                at = line + block.line - 1
                if block.kind == "skip":
                    not_read.append(NotRead(source, at, block.text, block.reason))
                elif block.kind == "heading":
                    heading(block.text, block.level, at, at)
                else:
                    paragraph(block.text, at, at, True)
        elif tok.type == "table_open":
            end = i
            while tokens[end].type != "table_close":
                end += 1
            cells = [clean_spaces(t.content) for t in tokens[i:end] if t.type == "inline"]
            not_read.append(NotRead(source, line, " | ".join(cells), "table"))
            i = end
        i += 1
    finish(draft)
    not_read.sort(key=lambda n: n.line)  # stable: reading order
    return articles, not_read
