"""The plain-text reader: articles, standfirsts, sections and credits found by general rules."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from ..language import language_of
from ..model import Article, NotRead, Paragraph, Section
from .meta import merge_names, parse_date, parse_date_line, split_names
from .repair import clean_spaces, join_lines, rare_word
from .outline import ADDRESS, ASIDE_LABELS, CONFIG_LINE, STEP_NUMBER, Survey, entry_key, next_step, survey
from .rules import Rules, load_rules
from .segment import Block, Boundary, Break, End, Heading, Item, ends_sentence, segment, strip_permalink
from .sentences import split_sentences

CREDIT_REASON = "credit, kept as metadata"
DATE_REASON = "date line, kept as metadata"
TITLE_PAGE_REASON = "title page, kept as metadata"
MASTHEAD_REASON = "issue masthead, kept as metadata"
GUTENBERG_TITLE = "the Project Gutenberg header's Title"
REPEAT_REASON = "heading repeated, said once"
SHORT_LINE_EVIDENCE = "a short line followed by prose"
HANGING_EVIDENCE = "a short line set flush left over indented entries, as the other headings are"
# A title found only by looking like one: it does not show the document marks its headings.
_WEAK_TITLE_EVIDENCE = frozenset({
    "a short title-like line opening the text", "a two-line title opening the text",
    "no title line found: named after the file",
})
_BULLETED = re.compile(r"^[-*•·●◦▪–]\s+\S")
_ABBREVIATION_END = re.compile(r"\b(?:Inc|Ltd|Co|Corp|Bros|Jr|Sr|St|GmbH|AG|S\.A|e\.V)\.$")
_FOR_EXAMPLE = re.compile(r"^(?i:for (?:example|instance)|e\.g\.|par exemple|zum beispiel|z\. ?b\.|por ejemplo|ad esempio),")
# An issue line under a periodical's name: "No. 38 — 23 March 1999", "Vol. 9, No. 46 · November 1962",
# "Issue 34, October 10, 1986", "N° 30 — 20 mars 1964", "Nr. 12 / Juni 2001".
_ISSUE_LINE = re.compile(
    r"^(?P<issue>(?i:(?:vol(?:ume)?\.?|jahrgang|tome)\s*[\dIVXLC]+[,.]?\s*)?(?i:no\.?|number|issue|edition|nr\.?|n[°o]|num[ée]ro|heft|ausgabe)"
    r"\s*\d{1,4})(?:\s*[,·—–/|-]\s*(?P<date>\S.{3,40}))?$"
)
_MASTHEAD_SEPARATOR = re.compile(r"\s*[-–—|·:,(\[]\s*|\s{2,}")


def _split_masthead(line: str) -> tuple[str, str | None, str | None] | None:
    """(name, issue, date) of one line ending in an issue number or a date ("DivX News (Number 20,
    2002-07-19)", "THE ISO17799 NEWSLETTER - EDITION 4", "explorator 5.15 August 15, 2002")."""
    line = line.strip()
    if line.endswith((")", "]")):
        line = line[:-1]
    found: list[tuple[str, str | None, str | None]] = []
    for m in _MASTHEAD_SEPARATOR.finditer(line):
        name, rest = line[: m.start()].strip(), line[m.end():].strip()
        issue = _ISSUE_LINE.match(rest)
        if name and issue is not None:
            found.append((name, issue.group("issue"), issue.group("date")))
        elif name and parse_date_line(rest) is not None:
            found.append((name, None, rest))
    words = line.split()
    for k in range(1, len(words)):
        # No separator before the date: "THE . MOUTHPIECE Monday, August 19th, 2002".
        rest = " ".join(words[k:])
        if re.search(r"\d", rest) and parse_date_line(rest) is not None:
            found.append((" ".join(words[:k]), None, rest))
    # The longest issue or date wins: "Monday, August 19th, 2002", not "August 19th, 2002".
    return min(found, key=lambda f: len(f[0])) if found else None


BYLINE_TITLE = "a line over its byline"
LABEL_EVIDENCE = "a label ending in a colon over prose, one of several"
# A label's name: capitalised words, not a sentence running on ("For example, try the following:").
_LABEL_NAME = re.compile(r"^[A-Z][\w'’&/-]*(?: (?:[A-Z][\w'’&/-]*|of|and|the|for|to|in|on|with|a|an|&))*$")
# Labels of asides and examples (the outline's "Note", "Warning"... and plurals, phrases): no section.
_ASIDE_LABELS = ASIDE_LABELS | {"examples", "beispiele", "for example", "for instance", "par exemple", "zum beispiel"}
_SAID_NOT_TITLED = re.compile(r"(?:[.!]|[:;]-?o?[()DPp])$|^(?i:re|fwd?|aw|wg)\s?:")
# Styles of heading that number parts of one work: never the start of a new article.
_NUMBERING_STYLES = frozenset({"chapter", "decimal", "roman"})
# Words a title page adds around the title and author names.
_TITLE_PAGE_WORDS = frozenset("by and the of a an par et de von und en y e di".split())
_NO_TITLE_END = re.compile(r"[.,;:…\"'”’»\-–—]$")
_TRAILING_ELLIPSIS = re.compile(r"(?<=\w)\s*(?:\.\.\.|…)$")
# Words a title line does not end on, but a soft-wrapped line of prose often does.
_FUNCTION_WORDS = frozenset(
    "a an the and or but nor of to in on at by for with from as that which who whom whose is was are were "
    "be been has have had his her their its our my your this these those than into onto over under".split()
)
_LIST_ITEM = re.compile(r"^(?:[-*•·–]|\d{1,2}[.)])\s+[A-ZÀ-Þ\"“‘'(]")
# A lone lower-case name with a hyphen, digit or dot in it: a program or package, not a word.
_COMMAND_NAME = re.compile(r"^[a-z][a-z0-9]*(?:[-_.+][a-z0-9]+)+$|^[a-z]{2,}[0-9]+[a-z0-9]*$")
_NAMED_PROGRAM = re.compile(r"^(\S+) [-–—] (\S.*)$")
_LIST_NUMBER = re.compile(r"^(?:\d{1,2}|[a-zA-Z])[.)]\s")
# A lone lower-case word no dictionary has ("debconf", "pbuilder"): a name.
_LOWER_NAME = re.compile(r"^[a-z][a-z0-9]{2,24}$")
# A list item going on in lower case: the line above it introduces the list, it is no heading.
_CONTINUED_LIST = re.compile(r"^(?:[-*•·–]|\d{1,2}[.)])\s+[a-zà-ÿ]")
_STARTS_LIKE_TITLE = re.compile(r"^[\d\"“‘'«(]*[^\W\d_]|^\d|^(?:#|\(|\[)\d")
# Words no title ends on, though a wrapped line of prose often does ("Check out the sites at",
# "it is typically invoked with" above a dropped code block); unlike _FUNCTION_WORDS, not "by"
# or "in", which end README headings ("Used by"). ("with" cost no dev heading, gained several.)
_DANGLING_WORDS = frozenset(
    "a an the and or nor of to at that which whose is was are were be been has have had "
    "his her their its our my your this these those than with from into via following follows".split()
)


def _repeats(heading: str, earlier: str) -> bool:
    """Whether a heading only says again what the heading before it said (a page's running title)."""
    new, old = entry_key(heading), entry_key(earlier)
    return new == old or (len(new.split()) >= 2 and f" {new} " in f" {old} ")


def make_paragraph(text: str, line: int) -> Paragraph:
    """A paragraph of cleaned text (spaces normalised) with its sentences: every reader makes them here.

    Text the HTML and EPUB readers cleaned already comes through unchanged (`clean_text` leaves
    no space that `clean_spaces` would touch), so they split sentences exactly as this reader does.
    """
    cleaned = clean_spaces(text)
    return Paragraph(cleaned, split_sentences(cleaned), line)


def humanise_stem(source: str) -> str:
    """A title from a file name: "lost-youth_2017.txt" → "Lost youth 2017"."""
    if source == "-":
        return "Untitled"
    stem = PurePath(source).stem
    words = re.sub(r"[-_.]+", " ", stem).split()
    if not words:
        return "Untitled"
    text = " ".join(words)
    return text[0].upper() + text[1:]


@dataclass
class _Draft:
    """An article being assembled (mutable; frozen into an Article when it ends)."""

    title: str | None
    line_start: int
    line_end: int
    standfirst: str | None = None
    standfirst_line: int = 0
    authors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    publication: str | None = None
    issue_date_text: str | None = None
    issue_title: str | None = None
    title_evidence: str = ""
    # (title, line, announce_title, paragraphs)
    sections: list[tuple[str | None, int, bool, list[Paragraph]]] = field(default_factory=list)
    evidence: dict[int, str] = field(default_factory=dict)  # section line → why it is a heading

    def add_paragraph(self, paragraph: Paragraph) -> None:
        if not self.sections:
            # Untitled opening body text: a section named after the article.
            self.sections.append((None, paragraph.line, False, []))
        self.sections[-1][3].append(paragraph)

    def add_credit(self, kind: str, names: list[str]) -> None:
        if kind == "date":
            date = parse_date_line(names[0])
            # An end-of-article line, when there is one, is the better source of the issue date.
            if date and self.issue_date_text is None:
                self.issue_date_text = date.isoformat()
            return  # a date names no one
        # A byline set in capitals ("BY WALTER KEENE") names Walter Keene.
        names = [n.title() if n.isupper() else n for n in names]
        if kind == "translator":
            self.translators = merge_names(self.translators, names)
        else:
            self.authors = merge_names(self.authors, names)



def match_credit(text: str, rules: Rules) -> tuple[str, list[str]] | None:
    """(kind, names) when `text` is a byline or credit line by the rules (e.g. "X is a journalist with …")."""
    words = len(text.split())
    for rule in rules.credits:
        if words > rule.max_words:
            continue
        m = rule.pattern.match(text)
        if m and len(split_sentences(text)) <= rule.max_sentences:
            names = split_names(m.group("name"))
            if names:
                return rule.kind, names
    return None

class _Parser:
    """One source's blocks → articles: titles, standfirsts, sections, credits, in one pass."""

    def __init__(self, source: str, rules: Rules) -> None:
        self.outline = Survey()
        self.masthead_title: str | None = None
        self.masthead_publication: str | None = None
        self.masthead_date: str | None = None
        self.source = source
        self.rules = rules
        self.layout = rules.layout
        self.not_read: list[NotRead] = []
        self.articles: list[Article] = []
        self.untitled = 0
        self.blocks: dict[int, Block] = {}
        # The parse's state (parse() sets it): the items, which are credits, each item's next
        # content item, items already taken (standfirsts), and the article being read.
        self.items: list[Item] = []
        self.credits: dict[int, tuple[str, list[str]]] = {}
        self.following: list[int | None] = []
        self.skip: set[int] = set()
        self.set_like: set[int] = set()
        self.label_text: set[int] = set()  # first lines of text glued under a label ("Summary:" / its text)
        self.body_indent = 0  # where most prose starts (a text browser sets it in by 3 spaces)
        self.draft: _Draft | None = None
        self.pending_credits: list[tuple[str, list[str]]] = []
        self.after_boundary = False  # just after a lead-image line
        self.after_break = False  # just after a rule or asterisks

    # --- block classification -------------------------------------------------
    def credit(self, block: Block) -> tuple[str, list[str]] | None:
        """("author"|"translator", names) for a credit, ("date", [text]) for a date line, else None."""
        text = block.text
        if len(block.lines) == 1 and parse_date_line(text):
            return "date", [text]
        if len(block.lines) == 2 and (dated := self.dateline(block)) is not None:
            # A dateline and a byline set together ("August 25, 2002" / "By Riva Atlas").
            found = match_credit(block.lines[1 - block.lines.index(dated)], self.rules)
            return found if found and found[0] == "author" else None
        return match_credit(text, self.rules)

    def dateline(self, block: Block) -> str | None:
        """The line of a two-line block that is a date alone, if one is."""
        return next((line for line in block.lines if parse_date_line(line)), None) if len(block.lines) == 2 else None

    def label_line(self, text: str) -> bool:
        """A line that names what follows with a colon: "Overview:", "SECURITY HOLES:"."""
        if not text.endswith(":") or text.endswith("::"):
            return False
        name = text[:-1].rstrip()
        return 0 < len(name.split()) <= 4 and bool(_LABEL_NAME.match(name)) and name.lower() not in _ASIDE_LABELS \
            and not ADDRESS.search(name)

    def plain_prose(self, block: Block) -> bool:
        """Sentences, not a list, an introduction ("... the following:"), a program's output or a heading."""
        text = block.text
        return (len(text.split()) >= self.layout.prose_min_words or ends_sentence(text)) and not text.endswith(":") \
            and not _BULLETED.match(text)

    def label_headings(self, items: list[Item]) -> list[Item]:
        """Labels over their text ("Overview:" alone, or "Summary:" with its text on the next line), as
        advisories and reports set their sections: headings when the document names two or more so, each once."""
        found: dict[int, Block | None] = {}  # item → the text glued under its label, if any
        other: list[int] = []  # labels alone over something else (a dated entry, an address)
        for k, item in enumerate(items):
            if not isinstance(item, Block) or not self.label_line(item.lines[0]):
                continue
            if len(item.lines) > 1:
                rest = Block(item.lines[1:], item.line + 1, item.last_line, item.indent)
                # (a sentence, not "$ python3 prog.py": a program's output under "Output:")
                # (a sentence introducing what follows counts: "The data header is roughly made out to:")
                if (self.plain_prose(rest) or len(rest.text.split()) >= 6) \
                        and (rest.text[:1].isupper() or rest.text[:1] in "\"'“‘«„"):
                    found[k] = rest
                continue
            j = k + 1
            while j < len(items) and isinstance(items[j], Break):
                j += 1
            nxt = items[j] if j < len(items) else None
            # (Straight over prose: "IN UTILITIES:" over a list of products is a kicker.)
            if isinstance(nxt, Block) and self.plain_prose(nxt) and self.heading(nxt) is None:
                found[k] = None
            elif isinstance(nxt, Block) and self.heading(nxt) is None:
                other.append(k)
        # Where most labels alone head prose ("Overview:", "Details:", "Recommendation:"), the
        # others head their sections too ("Vendor Response:" over a dated entry, "GPG-Key:" over an address).
        alone = sum(v is None for v in found.values())
        if alone >= 3 and 2 * alone >= alone + len(other):
            found.update(dict.fromkeys(other))
        # Two names or more, each once: "Output:" twice over a program's output, or a play's speakers
        # ("HAMLET:" over each speech), are no outline.
        names = [item.lines[0].lower() for k, item in enumerate(items) if k in found and isinstance(item, Block)]
        if len(names) < 2 or len(set(names)) < len(names):
            return items
        out: list[Item] = []
        for k, item in enumerate(items):
            if k not in found:
                out.append(item)
                continue
            assert isinstance(item, Block)
            out.append(Heading(item.line, item.line, item.lines[0][:-1].rstrip(), "label", LABEL_EVIDENCE, True))
            glued = found[k]
            if glued is not None:
                out.append(glued)
                self.label_text.add(glued.line)
        return out

    def titled_by_byline(self, block: Block) -> bool:
        """Shaped like a title but for its length: at most three lines, no closing stop or comma
        (an ellipsis may close it: "In the Beginning ...")."""
        text = block.text
        return len(block.lines) <= 3 and len(text.split()) <= 3 * self.layout.heading_max_words \
            and not _NO_TITLE_END.search(_TRAILING_ELLIPSIS.sub("", text)) and text[:1].isupper() and not ADDRESS.search(text) \
            and self.heading(block) is None

    def is_prose(self, block: Block) -> bool:
        """Body text: long enough, or ending like a sentence, or a list of items in sentence case."""
        words = len(block.text.split())
        return words >= self.layout.prose_min_words or ends_sentence(block.text) or (
            # "Use the badge in your README:" introduces what follows, as a sentence does.
            words >= 4 and (bool(_LIST_ITEM.match(block.text)) or block.text.endswith(":")))

    def _short_line(self, text: str, max_words: int, max_chars: int) -> bool:
        """Shaped like a title or heading: short, capitalised, one sentence, no closing punctuation."""
        return (
            len(text.split()) <= max_words
            and len(text) <= max_chars
            and (not _NO_TITLE_END.search(text) or bool(_ABBREVIATION_END.search(text)))  # "Red Hat Inc."
            and bool(_STARTS_LIKE_TITLE.match(text))
            and not text[0].islower()
            and not ADDRESS.search(text)  # "See http://…", "Internet: list@host"
            and not (text.startswith("(") and text.endswith(")"))  # "(Contributed by A. Author.)"
            and not CONFIG_LINE.search(text)  # "Enable=false", "ENCRYPT_METHOD SHA512": a line of code
            # "Why?": a one-word question or exclamation is no title.
            and not (len(text.split()) == 1 and text[-1] in "?!")
            # "Check out the sites at": a wrapped sentence's first line, not a title.
            and not (len(text.split()) > 1 and text.split()[-1].lower() in _DANGLING_WORDS)
            # "1. The Bus" splits like two sentences but is one heading.
            and (len(split_sentences(text)) == 1 or bool(self.layout.numbered_heading.match(text)))
        )

    def is_title(self, block: Block) -> bool:
        text = block.text
        return len(block.lines) == 1 and (
            self._short_line(text, self.layout.title_max_words, self.layout.title_max_chars)
            or bool(_COMMAND_NAME.match(text)) or bool(_LOWER_NAME.match(text) and rare_word(text)))

    def two_line_title(self, block: Block) -> tuple[str, str | None] | None:
        """A two-line block opening an article: (title, subtitle) or a title wrapped over two lines.

        "Losing Momentum" / "How the movement ran out of steam." → title and standfirst (the
        second line ends like a sentence); "Losing Momentum: how Jeremy" / "Corbyn's group
        ran out of steam" → one title. A wrapped paragraph is neither: its first line ends
        in a word like "the" or "and", or its second line goes on in lower case.
        """
        if len(block.lines) != 2:
            return None
        first, second = block.lines
        lay = self.layout
        if not self._short_line(first, lay.title_max_words, lay.title_max_chars) or second[:1].islower():
            return None
        if first.split()[-1].lower() in _FUNCTION_WORDS:
            return None
        if ends_sentence(second) and len(second.split()) <= lay.standfirst_max_words:
            return first, second
        profile = self.heading(block)
        if profile is not None and re.fullmatch(r"[^\W\d_][\w '’.-]*", first):
            return profile, None  # "Kamini" / "Rural rapper": a profile, named as in the body
        joined = f"{first} {second}"
        if self._short_line(joined, lay.title_max_words, lay.title_max_chars):
            return joined, None
        return None

    def heading(self, block: Block) -> str | None:
        """The section title if `block` looks like a heading (ignoring what follows it)."""
        lay = self.layout
        if len(block.lines) == 1:
            text = block.lines[0]
            if self._short_line(text, lay.heading_max_words, lay.heading_max_chars):
                return text
            if _COMMAND_NAME.match(text) or (_LOWER_NAME.match(text) and rare_word(text)):
                return text  # a program's name ("debhelper", "git-buildpackage") heading its section
            m = _NAMED_PROGRAM.match(text)
            if m and (_COMMAND_NAME.match(m.group(1)) or (_LOWER_NAME.match(m.group(1)) and rare_word(m.group(1)))) \
                    and len(text.split()) <= lay.heading_max_words and len(text) <= lay.heading_max_chars \
                    and not _NO_TITLE_END.search(text) and not text.endswith("."):
                return text  # a manual page's name line: "dpkg-source - packs and unpacks source packages"
            return None
        if len(block.lines) == 2:
            name, descriptor = block.lines
            if (
                self._short_line(name, lay.profile_name_max_words, lay.heading_max_chars)
                and self._short_line(descriptor, lay.profile_descriptor_max_words, lay.heading_max_chars)
                and not name.rstrip().endswith(("?", "!"))
                and not lay.numbered_heading.match(descriptor)
            ):
                return f"{name}: {descriptor}"
        return None

    def opens_article(self, i: int, following: list[int | None]) -> bool:
        """Whether block i, a title-like line, has a standfirst and more text under it."""
        j = following[i]
        if j is None or j not in self.blocks:
            return False
        block = self.blocks[j]
        return (
            len(block.text.split()) <= self.layout.standfirst_max_words
            and self.heading(block) is None
            and following[j] is not None
        )

    # --- assembly ---------------------------------------------------------------
    def paragraph(self, block: Block) -> Paragraph:
        text = join_lines(list(block.lines), self.rules.repair)
        return Paragraph(text, split_sentences(text), block.line)

    def finish(self, draft: _Draft) -> None:
        self.demote_lone_short_heading(draft)
        for title, line, announce, paras in draft.sections:
            if not paras and title and announce:
                # A heading with nothing under it before the next article: listed, not lost.
                self.not_read.append(NotRead(self.source, line, title, "heading with no text under it"))
        if not any(paras for *_, paras in draft.sections):
            # Nothing under the title after all (the next article began): what was taken
            # for a standfirst, or else the lone title line, is the article's text.
            if draft.standfirst:
                draft.sections = [(None, draft.standfirst_line, False, [make_paragraph(draft.standfirst, draft.standfirst_line)])]
                draft.standfirst = None
            elif draft.title:
                draft.sections = [(None, draft.line_start, False, [make_paragraph(draft.title, draft.line_start)])]
                draft.title = None
            else:
                return
        if draft.title is None:
            self.untitled += 1
            stem = humanise_stem(self.source)
            draft.title = stem if self.untitled == 1 else f"{stem}, part {self.untitled}"
            draft.title_evidence = "no title line found: named after the file"
        sections = tuple(
            Section(title or draft.title, tuple(paras), line, announce, draft.evidence.get(line, ""))
            for title, line, announce, paras in draft.sections
            if paras
        )
        issue_date = parse_date(draft.issue_date_text) if draft.issue_date_text else None
        self.articles.append(
            Article(
                title=draft.title,
                sections=sections,
                source=self.source,
                line_start=draft.line_start,
                line_end=draft.line_end,
                standfirst=draft.standfirst,
                authors=draft.authors,
                translators=draft.translators,
                publication=draft.publication,
                issue_date=issue_date,
                issue_title=draft.issue_title,
                language=language_of((p.text for s in sections for p in s.paragraphs), self.outline.language),
                title_evidence=draft.title_evidence,
            )
        )

    def demote_lone_short_heading(self, draft: _Draft) -> None:
        """One short line taken for a heading in an article whose title the document marked itself
        ("I. THE RIVER BANK", a mail Subject) is a line of the text when it reads like one: it ends a
        sentence or a smile ("It was the Water Rat!", "changed ofcourse :o)"), or quotes a Subject ("Re: ...")."""
        short = [k for k, (_, line, _, _) in enumerate(draft.sections)
                 if draft.evidence.get(line) == SHORT_LINE_EVIDENCE]
        if len(short) != 1 or draft.title is None or draft.title_evidence in _WEAK_TITLE_EVIDENCE:
            return
        k = short[0]
        title, line, _, paras = draft.sections[k]
        if not _SAID_NOT_TITLED.search(title or ""):
            return  # (a lone subhead under an underlined title is still a subhead)
        moved = [make_paragraph(title or "", line), *paras]
        del draft.evidence[line]
        if k == 0:
            draft.sections[0] = (None, line, False, moved)
        else:
            draft.sections[k - 1][3].extend(moved)
            del draft.sections[k]

    def new_draft(self, line: int, last_line: int) -> _Draft:
        """An article starting at `line`; a Gutenberg header gives the book's title and author."""
        meta = self.outline
        if meta.title and not meta.separated_pieces:
            return _Draft(meta.title, line, last_line, authors=meta.authors, translators=meta.translators,
                          title_evidence=GUTENBERG_TITLE)
        draft = _Draft(None, line, last_line)
        if meta.title or self.masthead_title:
            # One piece of a periodical issue: the issue names the edition.
            draft.issue_title = meta.title or self.masthead_title
        if self.masthead_publication:
            draft.publication = self.masthead_publication
            draft.issue_date_text = self.masthead_date
        return draft

    def issue_masthead(self, item: Item, headings_after: int) -> bool:
        """A periodical's name over its issue line or date at the top ("Open Source Quarterly" / "No. 38 —
        23 March 1999", "SEARCHSECURITY | Security News" / "July 23, 2002", or one line "THE MOUTHPIECE
        Monday, August 19th, 2002"): the publication, issue and date, kept as metadata, not read as a title."""
        if isinstance(item, Heading):
            lines: tuple[str, ...] = (item.title,)
        elif isinstance(item, Block):
            lines = item.lines
        else:
            return False
        found = None
        if len(lines) == 2:
            m = _ISSUE_LINE.match(lines[1])
            if m is not None:
                found = (lines[0], m.group("issue"), m.group("date"))
            elif headings_after >= 2 and parse_date_line(lines[1]) is not None:
                found = (lines[0], None, lines[1])
        elif len(lines) == 1 and headings_after >= 2:
            # Only in a document of several pieces: one article's title may well carry its date.
            found = _split_masthead(lines[0])
        if found is None:
            return False
        name, issue, date = found
        # The issue line or date is the evidence; a name may be lower case or spaced out ("T H E . M O U T H").
        if len(name.split()) > self.layout.title_max_words or len(name) > self.layout.title_max_chars \
                or ADDRESS.search(name) or not re.search(r"[^\W\d_]", name):
            return False
        self.masthead_publication = name.title() if name.isupper() else name
        self.masthead_title = f"{self.masthead_publication}, {issue or date}"
        self.masthead_date = date
        self.not_read.append(NotRead(self.source, item.line, item.text, MASTHEAD_REASON))
        return True

    def masthead(self, draft: _Draft) -> bool:
        """Whether an untitled draft holds only a few short lines (an issue's masthead), no prose."""
        paras = [p for _, _, _, ps in draft.sections for p in ps]
        if self.masthead_title is not None or draft.standfirst is not None:
            return False
        if draft.title is not None:
            # "Le Courrier du Libre" / "N° 30 — 20 mars 1964" taken for a title with nothing under it.
            return not paras and not draft.sections and draft.title_evidence != GUTENBERG_TITLE
        return 0 < len(paras) <= 4 and all(len(p.text.split()) <= self.layout.heading_max_words for p in paras)

    def title_page(self, draft: _Draft, text: str) -> bool:
        """Whether `text`, before the first chapter, only repeats the book's title and authors."""
        if draft.title_evidence != GUTENBERG_TITLE or any(a for _, _, a, _ in draft.sections):
            return False
        known = set(re.findall(r"\w+", " ".join([draft.title or "", *draft.authors, *draft.translators]).lower()))
        words = re.findall(r"\w+", text.lower())
        unknown = [w for w in words if w not in known and w not in _TITLE_PAGE_WORDS]
        # "SIR ARTHUR CONAN DOYLE" under "by": one honorific more than the header's name.
        return bool(words) and len(words) <= 30 and len(unknown) <= len(words) // 4

    def add_heading(self, draft: _Draft, item: Heading) -> None:
        """A section heading; one straight after another (a part, then its chapter) joins it."""
        if draft.sections and not draft.sections[-1][3] and draft.sections[-1][2]:
            title, line, _, paras = draft.sections[-1]
            if _repeats(item.title, title or ""):
                self.not_read.append(NotRead(self.source, item.line, item.title, REPEAT_REASON))
            else:
                draft.sections[-1] = (f"{(title or '').rstrip(':')}: {item.title}", line, True, paras)
                draft.evidence[line] = f"{draft.evidence.get(line, '')}; with {item.evidence}"
            return
        if not draft.sections and draft.title and _repeats(item.title, draft.title):
            self.not_read.append(NotRead(self.source, item.line, item.title, REPEAT_REASON))
            return
        draft.sections.append((item.title, item.line, True, []))
        draft.evidence[item.line] = item.evidence

    def parse(self, lines: list[str]) -> tuple[list[Article], list[NotRead]]:
        """The articles of a text's lines, and what is not read, in one pass over its items."""
        if "-----BEGIN PGP SIGNED MESSAGE-----" in lines:
            # A clear-signed message escapes each line that starts with a dash ("- ----" for a rule).
            lines = [line[2:] if line.startswith("- -") else line for line in lines]
        self.outline = survey(lines, self.rules)
        self.items = self.label_headings(list(segment(lines, self.source, self.rules, self.not_read, self.outline)))
        self.blocks = {i: item for i, item in enumerate(self.items) if isinstance(item, Block)}
        indents = Counter(b.indent for b in self.blocks.values() if len(b.text.split()) >= self.layout.prose_min_words)
        self.body_indent = indents.most_common(1)[0][0] if indents else 0
        self.find_credits()
        self.link_following()
        self.notice_separated_pieces()
        self.set_like = self.set_like_headings()
        self.draft = None
        self.pending_credits = []
        self.after_boundary = False
        self.after_break = False
        self.skip = set()
        items = self.items
        first = next((k for k, item in enumerate(items) if isinstance(item, (Block, Heading))), None)
        if first is not None and self.issue_masthead(items[first], sum(isinstance(it, Heading) for it in items[first + 1:])):
            self.skip.add(first)
        for i, item in enumerate(items):
            if i in self.skip:
                continue
            if isinstance(item, Break):
                self.after_break = True
                continue
            if self.draft is None and self.outline.title and not self.outline.separated_pieces \
                    and isinstance(item, (Block, Heading)) and i not in self.credits:
                # A book inside a Gutenberg wrapper: its header named it; everything is its text.
                self.open_draft(item.line, item.last_line)
            if isinstance(item, Heading):
                self.take_heading(i, item)
                continue
            self.after_break = False
            if isinstance(item, End):
                self.take_end(item)
            elif isinstance(item, Boundary):
                self.after_boundary = True
            else:
                assert isinstance(item, Block)
                self.take_block(i, item)
        if self.draft is not None:
            self.finish(self.draft)
        self.credit_last_article()
        self.not_read.sort(key=lambda n: n.line)  # stable: reading order
        return self.articles, self.not_read

    # --- the parse, step by step ------------------------------------------------

    def find_credits(self) -> None:
        """Which blocks are credits (bylines, dates); a title over its own byline becomes a heading."""
        items = self.items
        self.credits = {}
        for i, item in enumerate(items):
            if isinstance(item, Block):
                found = self.credit(item)
                if found and found[0] == "date" and self.outline.title:
                    found = None  # a date in a book is part of its text (a letter, a diary entry)
                if found:
                    self.credits[i] = found
        for i, item in enumerate(items[:-1]):
            # A title over its byline ("DEBIAN CLAIMS TO BE ABLE TO UPDATE A RUNNING PROGRAM; HOW IS
            # THIS ACCOMPLISHED?" / "By Edward Price"): the byline shows it is a piece's title, however long.
            if isinstance(item, Block) and i not in self.credits and self.bylined(i) \
                    and self.titled_by_byline(item):
                items[i] = Heading(item.line, item.last_line, strip_permalink(item.text), "byline", BYLINE_TITLE, True)

    def bylined(self, i: int) -> bool:
        """Whether the credits straight under item i name an author ("By Ann Lee", or a dateline
        and then "By Ann Lee")."""
        j = i + 1
        while j in self.credits:
            if self.credits[j][0] == "author":
                return True
            j += 1
        return False

    def link_following(self) -> None:
        """following[i]: index of the next non-credit block after item i within the same
        article (None past an end line); one backward pass keeps lookahead linear."""
        self.following = [None] * len(self.items)
        upcoming: int | None = None
        for k in range(len(self.items) - 1, -1, -1):
            self.following[k] = upcoming
            if isinstance(self.items[k], End):
                upcoming = None
            elif isinstance(self.items[k], (Block, Heading)) and k not in self.credits:
                upcoming = k

    def next_content(self, i: int) -> int | None:
        return self.following[i]

    def followed_by_heading(self, i: int) -> bool:
        j = self.next_content(i)
        nxt = self.items[j] if j is not None else None
        return isinstance(nxt, Heading) and nxt.strong

    def over_a_story(self, i: int) -> bool:
        """A department's name over a story's weak title and its prose ("YOUR MONEY" /
        "RESOLUTIONS YOU CAN KEEP" / "Let's face it, ...")."""
        j = self.next_content(i)
        nxt = self.items[j] if j is not None else None
        return isinstance(nxt, Heading) and not nxt.strong and nxt.style == "capitals" \
            and j is not None and self.followed_by_prose(j)

    def followed_by_prose(self, i: int, depth: int = 0) -> bool:
        """Prose after item i, or (a changelog's "Version 2.1" / "Bug fixes" / items) a heading then prose."""
        items = self.items
        j = self.next_content(i)
        if j is None:
            return False
        nxt = items[j]
        if not isinstance(nxt, Block) or _CONTINUED_LIST.match(nxt.text):
            return False
        here = items[i]
        if isinstance(here, Block) and nxt.indent > here.indent + 1 and _LIST_NUMBER.match(here.text):
            return False  # "1.  Load the modules" over its indented description: a list item
        if isinstance(here, Block) and nxt.indent > max(here.indent + 1, self.body_indent) \
                and here.text[:1].islower() and nxt.text[:1].islower():
            # "linux-libc-dev" over "    contains headers ...", set in deeper than the text's
            # prose: a term over its definition (in a dump that sets all prose in, a heading).
            return False
        if isinstance(here, Block) and next_step(here.text, nxt.text):
            return False  # "2.  Make package dependency resolution", then "3.  Fetch ...": a list's items
        if isinstance(here, Block) and _FOR_EXAMPLE.match(here.text):
            return False  # "For example, try the following": a sentence introducing what follows
        if self.heading(nxt) is None:
            if self.is_prose(nxt):
                return True
            if depth == 0 and isinstance(here, Block) and _BULLETED.match(nxt.text) and len(here.text.split()) <= 4 \
                    and not STEP_NUMBER.match(here.text) and not _BULLETED.match(here.text):
                # "Prerequisites" over a list of short items, then prose: a heading over its list.
                k: int | None = j
                while k is not None and isinstance(listed := items[k], Block) and _BULLETED.match(listed.text):
                    k = self.next_content(k)
                after = items[k] if k is not None else None
                return isinstance(after, Block) and self.is_prose(after)
            return False
        if isinstance(here, Block) and self.layout.numbered_heading.match(here.text) \
                and self.layout.numbered_heading.match(nxt.text):
            return False  # "1. Fetch the index" over "2. Resolve": the steps of a list
        return depth < 2 and not self.outline.typographic and self.followed_by_prose(j, depth + 1)

    def take_standfirst(self, draft: _Draft, j: int) -> None:
        """The standfirst: a short paragraph under the title, with more text after it."""
        items = self.items
        nxt = items[j]
        if (
            isinstance(nxt, Block)
            and j not in self.credits
            and len(nxt.text.split()) <= self.layout.standfirst_max_words
            and self.heading(nxt) is None
            # A standfirst is the editor's summary, never a quotation or dialogue.
            and not nxt.text.startswith(("\"", "“", "‘", "'", "«", "-", "–", "—"))
            and not nxt.text.endswith(":")  # it introduces what follows: body text
            and self.next_content(j) is not None
            # In an issue of pieces, the next piece is not this one's body.
            and not any(isinstance(items[k], Break) for k in range(j + 1, self.next_content(j) or j))
        ):
            draft.standfirst = join_lines(list(nxt.lines), self.rules.repair)
            draft.standfirst_line = nxt.line
            draft.line_end = nxt.last_line
            self.skip.add(j)

    def notice_separated_pieces(self) -> None:
        """A dump of many pieces: rules or asterisks, each followed by a piece's own heading."""
        piece_heads = 0
        for k, item in enumerate(self.items):
            j = self.next_content(k) if isinstance(item, Break) else None
            head = self.items[j] if j is not None else None
            if isinstance(head, Heading) and head.style not in _NUMBERING_STYLES:
                piece_heads += 1
        if piece_heads >= 2:
            self.outline = dataclasses.replace(self.outline, separated_pieces=True)

    def set_like_headings(self) -> set[int]:
        """Headings set flush left over indented entries ("Net Security" / "    IE scripting flaw
        uncovered"): when most short lines set that way head prose, the others head their
        entries too, though a list of headlines is no prose."""
        hanging: dict[tuple[int, int], list[tuple[int, bool]]] = {}
        for k, item in enumerate(self.items):
            j = self.next_content(k)
            nxt = self.items[j] if j is not None else None
            # (Not a term over its definition: "linux-libc-dev" / "    contains the headers,")
            if isinstance(item, Block) and isinstance(nxt, Block) and nxt.indent > item.indent \
                    and not nxt.text[:1].islower() and self.heading(item) is not None:
                hanging.setdefault((item.indent, nxt.indent), []).append((k, self.followed_by_prose(k)))
        found: set[int] = set()
        for group in hanging.values():
            over_prose = sum(prose for _, prose in group)
            if over_prose >= 3 and 2 * over_prose >= len(group):
                found.update(k for k, prose in group if not prose)
        return found

    def open_draft(self, line: int, last_line: int) -> _Draft:
        """A new article from this line, holding the credits seen before it."""
        self.draft = draft = self.new_draft(line, last_line)
        for kind, names in self.pending_credits:
            draft.add_credit(kind, names)
        self.pending_credits = []
        return draft

    def take_heading(self, i: int, item: Heading) -> None:
        """A line the segmenter marked as a heading: a piece's title, a section's, or text after all."""
        draft = self.draft
        if draft is not None and self.title_page(draft, item.title):
            self.not_read.append(NotRead(self.source, item.line, item.title, TITLE_PAGE_REASON))
            return
        # (In an issue of pieces, a title right after a rule or asterisks is a piece's,
        # whatever is under it: a list of speakers, a table of votes.)
        if not item.strong and not self.followed_by_prose(i) and not self.followed_by_heading(i) \
                and not (self.after_break and self.outline.separated_pieces):
            # A weak sign (capitals, a numeral) with no prose under it: text after all.
            item_block = Block((item.title,), item.line, item.last_line)
            if draft is None:
                self.draft = draft = self.new_draft(item.line, item.last_line)
            draft.add_paragraph(self.paragraph(item_block))
            self.after_break = False
            return
        # A piece starts after a rule or asterisks, or where a title has a byline of its own.
        bylined = self.bylined(i) and not (self.outline.title and not self.outline.separated_pieces)
        new_piece = ((self.after_break and self.outline.separated_pieces and item.style not in _NUMBERING_STYLES) or bylined) \
            and draft is not None \
            and (draft.standfirst is not None or any(paras for *_, paras in draft.sections))
        self.after_break = False
        if draft is not None and self.outline.separated_pieces and not self.articles and self.masthead(draft):
            self.drop_masthead(draft)
            draft = self.draft = None
        if draft is not None and new_piece:
            self.finish(draft)
            draft = self.draft = None
        if draft is None:
            draft = self.open_draft(item.line, item.last_line)
            if draft.title is None:
                draft.title, draft.title_evidence = item.title, item.evidence
                j = self.next_content(i)
                if j is not None:
                    self.take_standfirst(draft, j)
                return
        draft.line_end = max(draft.line_end, item.last_line)
        self.add_heading(draft, item)

    def drop_masthead(self, draft: _Draft) -> None:
        """The lines above an issue's first piece name the issue, not a piece of it."""
        if draft.title is not None:
            self.not_read.append(NotRead(self.source, draft.line_start, draft.title, MASTHEAD_REASON))
            self.masthead_title = draft.title.rstrip(".")
        for _, _, _, paras in draft.sections:
            for p in paras:
                self.not_read.append(NotRead(self.source, p.line, p.text, MASTHEAD_REASON))
        self.masthead_title = self.masthead_title or draft.sections[0][3][0].text.rstrip(".")

    def take_end(self, item: End) -> None:
        """An article's end line: what it says of the publication and issue, then the article is done."""
        target = self.draft
        if target is None and self.articles and self.articles[-1].publication is None:
            # An end line after a finished article (e.g. below its image credits).
            last = self.articles.pop()
            target = _Draft(last.title, last.line_start, last.line_end)
            self._reopen(target, last)
        if target is not None:
            if item.publication:
                target.publication = clean_spaces(item.publication)
            if item.date:
                target.issue_date_text = item.date
            if item.issue_title:
                target.issue_title = clean_spaces(item.issue_title)
            target.line_end = max(target.line_end, item.line)
            self.finish(target)
        self.draft = None
        self.after_boundary = False

    def take_block(self, i: int, item: Block) -> None:
        """A block of text: a credit, an article's opening title, a short heading, or a paragraph."""
        draft = self.draft
        if draft is not None and self.title_page(draft, item.text):
            self.not_read.append(NotRead(self.source, item.line, item.text, TITLE_PAGE_REASON))
            return
        if i in self.credits:
            kind, names = self.credits[i]
            reason = DATE_REASON if kind == "date" else CREDIT_REASON
            self.not_read.append(NotRead(self.source, item.line, item.text, reason))
            dated = self.dateline(item) if kind == "author" else None
            found = [(kind, names)] + ([("date", [dated])] if dated is not None else [])
            if draft is not None:
                for kind, names in found:
                    draft.add_credit(kind, names)
                draft.line_end = max(draft.line_end, item.last_line)
            else:
                self.pending_credits.extend(found)
            return
        # After a lead-image line, a title with a standfirst-sized paragraph and more text
        # under it starts a new article (a mere section heading after an inline image
        # is usually followed by a long paragraph, or by nothing standfirst-like).
        starts_article = draft is None or (self.after_boundary and self.is_title(item) and self.opens_article(i, self.following))
        self.after_boundary = False
        if starts_article:
            if draft is not None:
                self.finish(draft)
            self.open_article(i, item)
            return
        assert draft is not None
        draft.line_end = max(draft.line_end, item.last_line)
        # (the text a label introduces is that section's text, however short: "Summary:" / "New kernel update available")
        title = self.heading(item) if item.line not in self.label_text else None
        above = self.items[i - 1] if i else None
        if title is not None and _LIST_ITEM.match(title) and isinstance(above, Block) \
                and above.last_line == item.line - 1:
            title = None  # the last item of a list ("10. DivX 1.1.8   1,602 downloads"), prose under it
        if title is not None and isinstance(above, Block) and above.indent == item.indent and next_step(above.text, title):
            title = None  # the last step of a list set with blank lines ("6. Install the files" / "7. Run postinst")
        if title is not None and self.outline.typographic and not (
                draft.sections and draft.sections[-1][2] and not draft.sections[-1][3]):
            # The document marks its headings itself: a short line is text, unless it is
            # the title line straight under a marked heading ("CHAPTER I" / "Loomings").
            title = None
        if title is not None and self.bylined(i) and not (self.outline.title and not self.outline.separated_pieces) \
                and (draft.standfirst is not None or any(paras for *_, paras in draft.sections)):
            # A title with a byline of its own starts the next piece of an issue.
            self.finish(draft)
            draft = self.open_draft(item.line, item.last_line)
            draft.title, draft.title_evidence = strip_permalink(title), BYLINE_TITLE
            j = self.next_content(i)
            if j is not None:
                self.take_standfirst(draft, j)
        elif title is not None and i in self.set_like:
            self.add_heading(draft, Heading(item.line, item.last_line, strip_permalink(title), "short",
                                            HANGING_EVIDENCE, True))
        elif title is not None and (self.followed_by_prose(i) or self.over_a_story(i)):
            evidence = "a numbered line followed by prose" if self.layout.numbered_heading.match(title) else (
                "a two-line profile heading followed by prose" if len(item.lines) == 2
                else SHORT_LINE_EVIDENCE if self.followed_by_prose(i)
                else "a department's name over its first story's title")
            self.add_heading(draft, Heading(item.line, item.last_line, strip_permalink(title), "short", evidence, True))
        else:
            draft.add_paragraph(self.paragraph(item))

    def open_article(self, i: int, item: Block) -> None:
        """A block that starts an article: its title (and standfirst) if it looks like one, else its first paragraph."""
        draft = self.open_draft(item.line, item.last_line)
        j = self.next_content(i)
        two_line = self.two_line_title(item) if j is not None else None
        titled = draft.title is not None  # by a Gutenberg header
        if two_line is not None and not titled:
            draft.title, subtitle = strip_permalink(two_line[0]), two_line[1]
            draft.title_evidence = "a two-line title opening the text"
            if subtitle is not None:
                draft.standfirst, draft.standfirst_line = subtitle, item.last_line
                return
        if (self.is_title(item) or two_line is not None) and j is not None and not titled:
            if draft.title is None:
                draft.title = strip_permalink(item.text)
                draft.title_evidence = "a short title-like line opening the text"
            self.take_standfirst(draft, j)
            return
        draft.add_paragraph(self.paragraph(item))

    def credit_last_article(self) -> None:
        """Credits after the last article's end line belong to that article."""
        if not (self.pending_credits and self.articles):
            return
        last = self.articles[-1]
        extra = _Draft(last.title, last.line_start, last.line_end, authors=last.authors, translators=last.translators)
        for kind, names in self.pending_credits:
            extra.add_credit(kind, names)
        self.articles[-1] = dataclasses.replace(
            last,
            authors=extra.authors,
            translators=extra.translators,
            issue_date=last.issue_date or (parse_date(extra.issue_date_text) if extra.issue_date_text else None),
        )

    def _reopen(self, draft: _Draft, article: Article) -> None:
        draft.standfirst = article.standfirst
        draft.authors = article.authors
        draft.translators = article.translators
        draft.issue_date_text = article.issue_date.isoformat() if article.issue_date else None
        draft.issue_title = article.issue_title
        draft.sections = [
            (s.title if s.announce_title else None, s.line, s.announce_title, list(s.paragraphs))
            for s in article.sections
        ]


def parse_plain_text(text: str, source: str, rules: Rules | None = None) -> tuple[list[Article], list[NotRead]]:
    """Articles and what will not be read, from decoded plain text (LF line ends)."""
    return _Parser(source, rules or load_rules()).parse(text.split("\n"))
