"""The typographic outline of a plain-text document: headings, contents lists and wrappers (pure)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from .meta import parse_date_line
from .repair import clean_spaces, join_spaced_letters
from .rules import Rules

# A line of one repeated punctuation character: a setext/reST underline or overline.
# A line of code or configuration a renderer left when it dropped the block around it.
# ("=" alone, not a rule's "=====" run; a setting's NAME_WITH_UNDERSCORES only as the first word,
# since a title in capitals may name one: "CONVERTING FUNCTIONS USING PYARG_UNPACKTUPLE".)
CONFIG_LINE = re.compile(r"(?<!=)=(?!=)|[{}]|\$\{|^[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")
_QUOTE_MARKS = re.compile(r"^[>\s]+")
_RULE_LINE = re.compile(r"^([=\-~*^#+_.:'\"`])\1{2,}$")
_ROMAN = re.compile(r"^(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_STATEMENT_END = re.compile(r"[.!…][\"'”’»)\]]*$")
# A web or mail address in a line: a pointer, a signature or a notice, not a title.
ADDRESS = re.compile(r"://|\bwww\.|[\w.+-]@[\w-]+\.\w")
_ART = frozenset("|/\\_()<>`'-=^~*#[]{}")


def _drawn(line: str) -> bool:
    """A line of a logo drawn in characters: ten or more strokes of three kinds, as many as letters.

    (A rule or a table's border is one or two kinds of stroke.)
    """
    strokes = [c for c in line if c in _ART]
    return len(strokes) >= 10 and len(set(strokes)) >= 3 and len(strokes) * 2 >= sum(not c.isspace() for c in line)


# "01. SECURE IE.  For the past month", "COCKLES OF ONE'S HEART  You may": a title in capitals
# run into its paragraph, then the paragraph going on with a capital.
_RUN_IN = re.compile(
    r"^(?P<head>(?:\d{1,3}[.)]\s+)?[A-Z][A-Z0-9'’&/,!?()\- ]{1,60}?[A-Z0-9!?)'’])"
    r"(?P<gap>[.:]?\s{2,}|[.:]\s)(?P<rest>[A-Z\"“‘(].*)$"
)
_AD_MARKER = re.compile(
    r"^[\W_]*(?i:advertisements?|advertising|anzeigen?|werbung|publicit[ée]|sponsor(?:ed)?(?: message| links?)?"
    r"|(?:a word |a message )?from (?:our|this week.s|today.s) sponsors?|sponsored by:?(?: .{1,40}?)?)[\W_]*$"
)
_SALES_SIGNALS = (
    ("price", re.compile(r"\$\d[\d,]*(?:\.\d\d)?")),
    ("order", re.compile(r"(?i)\b(?:order|buy|subscribe) (?:now|today|yours|online)\b")),
    ("click", re.compile(r"(?i)\bclick (?:here|below)\b")),
    ("anchor", re.compile(r"(?i)<a href=")),
    ("free", re.compile(r"\bFREE\b|(?i:\bfor free\b|\bfree (?:gift|trial|shipping)\b)")),
    ("save", re.compile(r"(?i)\bsave (?:\$|up to|\d)|\bdiscount|\b\d{1,2} ?% off\b|\bonly \$")),
    ("urgency", re.compile(r"(?i)\b(?:act now|don.t wait|limited time|while supplies last|order today)\b")),
)
_CLOSING_RULE = re.compile(r"^(?:[^\w\s]|_){10,}\s*$")
_ADVERT_TITLE = re.compile(
    r"^(?i:advertis(?:ing|ement|ements)|(?:our |platinum |gold |silver )?sponsors?|a word from (?:our|this week.s) sponsors?"
    r"|sponsored (?:by|message|content)|anzeigen?|werbung|publicit[ée])$"
)
_LABELLED = re.compile(r"^[A-Z][\w-]*:\s")
_STARTS_LIKE_SENTENCE = re.compile(r"^[\"“‘'(]?[A-ZÀ-Þ]")
_FIELD = re.compile(r"^[A-Z][\w -]{0,24}:\s+\S")  # "File size: 6.6MB"
_CARD = "a name in capitals over a card of fields"
_LINKED = "a short line in capitals over its page's address"
_BOX_EDGE = re.compile(r"^\s*\+[-=]{3,}\+\s*$")
_BOX_ROW = re.compile(r"^\s*\|(?P<text>[^|]*)\|\s*$")
_LINK_LINE = re.compile(r"^<?(?:https?|ftp)://\S+$")
_GLUED = "a short line in capitals after a rule or its department's name, over its paragraph"
_MAIL_MARKER = re.compile(r"(?i)\b(?:original|forwarded|end of|begin|end) (?:message|mail|pgp)|\bcut here\b")
_NO_HEADING_END = re.compile(r"[,;:\-–—(\[]$")
# Leading bullets and trailing page numbers or dot leaders of a contents entry.
_ENTRY_BULLET = re.compile(r"^(?:[*•·◦▪‣○●□■☆★▸▹►◆◇+–—-]|\[\d+\])\s*")
_ENTRY_PAGE = re.compile(r"(?:\s*\.{2,}\s*|\s{2,}|\s+)(?:\d{1,4}|[ivxlcdm]{1,6})$")
# (The numeral is upper case: in "Using a Virtual Machine" the "a" is an article, not a number.)
_ENTRY_NUMBER = re.compile(
    r"^(?:(?:[^\W\d_]{2,12}\s+)?(?:(?:\d{1,3}|[A-Z])(?:\.\d{1,3})+|\d{1,3}|[IVXLCDM]{1,8}|[A-Z])"
    r"|(?:[ivxlcdm]{1,8}|[a-z])(?=[.)]))[.):]?[\s_]+(?=\S)"
)
_QUOTES = "\"'“‘«„‚‹"
_KEY_JUNK = re.compile(r"[^\w\s]|_")
# Capitalised words an admonition or a label is made of, never a chapter title on their own.
ASIDE_LABELS = frozenset(
    "note notes warning caution tip tips important hint danger attention example remarque avertissement "
    "hinweis achtung beispiel warnung nota aviso".split()
)
_GUTENBERG_START = re.compile(
    r"^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG|^\*END\*THE SMALL PRINT", re.I
)
_GUTENBERG_END = re.compile(r"^\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG", re.I)
_GUTENBERG_END_LINE = re.compile(r"^(?:the )?end of (?:the |this )?project gutenberg", re.I)
_GUTENBERG_FIELD = re.compile(r"^(Title|Author|Language|Translator|Editor):\s*(.*)$", re.I)
_GUTENBERG_FIRST = re.compile(
    r"^(?:the )?project gutenberg(?:'s|’s| e-?book| etext)?(?: of)?,?\s+(?P<title>.+?)(?:,\s+by\s+(?P<author>.+))?$",
    re.I,
)
_BY_LINE = re.compile(r"^(?P<title>[A-Z][^:;]{1,80}?),? by (?P<author>[A-Z][\w.'’ -]{2,60})$")
_PRODUCED_BY = re.compile(
    r"^(?i:produced by|e-?text prepared by|transcribed (?:from .{1,80} )?by|this e-?book was produced by"
    r"|this (?:file|e-?text|e-?book) was (?:derived|produced|prepared|made) (?:from|by))\b")
LANGUAGE_NAMES = {
    "english": "en", "french": "fr", "german": "de", "spanish": "es", "italian": "it", "dutch": "nl",
    "portuguese": "pt", "finnish": "fi", "swedish": "sv", "danish": "da", "norwegian": "no", "polish": "pl",
    "latin": "la", "greek": "el", "russian": "ru", "hungarian": "hu", "czech": "cs", "catalan": "ca",
    "esperanto": "eo", "tagalog": "tl", "chinese": "zh", "japanese": "ja",
}


@dataclass(frozen=True)
class Mark:
    """A heading shown by the layout: its title, the lines it spans, its level and why it is one."""

    line: int  # 1-based first line of the heading's words
    last: int  # 1-based last line belonging to it (underline included)
    title: str
    style: str  # what kind of mark: "under=", "decimal", "capitals"...: one style, one level
    evidence: str
    strong: bool = True  # False: a heading only when prose follows it
    rest: str = ""  # a run-in title's line goes on with its paragraph ("01. SECURE IE.  For the past month")


@dataclass(frozen=True)
class Zone:
    """Consecutive lines that are not read (contents list, Gutenberg header or licence), with why."""

    first: int
    last: int
    reason: str
    rule: str = ""


@dataclass(frozen=True)
class Survey:
    """What the layout of a whole document says before any paragraph is read."""

    marks: dict[int, Mark] = field(default_factory=dict)  # by first line
    zones: tuple[Zone, ...] = ()
    decorations: frozenset[int] = frozenset()  # underlines and overlines: no words, not listed
    title: str | None = None
    authors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    language: str | None = None
    separated_pieces: bool = False  # many pieces, each under a heading after a rule or asterisks

    @property
    def typographic(self) -> bool:
        """Whether the document marks its headings (underlines, numbers): then short lines are text."""
        # (An issue of pieces marks only its pieces' titles: see separated_pieces.)
        # (Titles of one kind only, in capitals or underlined, are an issue's pieces or a page's
        # top headings: their plain short lines may still head sections. A book's "CHAPTER IV"
        # and a manual's "5.6.12" numbering do silence short lines.)
        marked = [m.style for m in self.marks.values() if m.strong and m.style != "contents"]
        return not self.separated_pieces and len(marked) >= 3 and not (
            len(set(marked)) == 1 and (marked[0] == "capitals" or marked[0].startswith("under")))


def entry_key(text: str) -> str:
    """How a contents entry and the heading it points to compare: no bullets, page numbers, case or marks."""
    text = clean_spaces(text)
    text = _ENTRY_BULLET.sub("", text)
    text = _ENTRY_PAGE.sub("", text)
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_KEY_JUNK.sub(" ", text).split())


def title_key(text: str) -> str:
    """The entry key without its number ("I. A Scandal in Bohemia" → "a scandal in bohemia")."""
    text = _ENTRY_BULLET.sub("", clean_spaces(text))
    return entry_key(_ENTRY_NUMBER.sub("", text, count=1))


def roman_value(text: str) -> int:
    total = 0
    for a, b in zip(text, text[1:] + " "):
        value = _ROMAN_VALUES[a]
        total += -value if b != " " and _ROMAN_VALUES.get(b, 0) > value else value
    return total


def _blank(lines: Sequence[str], i: int) -> bool:
    """Whether 0-based line i of cleaned lines is blank or outside the document."""
    return i < 0 or i >= len(lines) or not lines[i]


def _indent(raw: str) -> int:
    return len(raw) - len(raw.lstrip(" \t"))


def _words(text: str) -> int:
    return len(text.split())


_GAP = re.compile(r"\s{3,}")
STEP_NUMBER = re.compile(r"^(\d{1,3})[.)]\s+\S")  # "2.  Resolve the dependencies"
_LETTER_SPACED = re.compile(r"\S(?: \S)+")


def next_step(first: str, second: str) -> bool:
    """Whether `second` is the step after `first` in a numbered list ("2. Resolve" / "3. Unpack")."""
    a, b = STEP_NUMBER.match(first), STEP_NUMBER.match(second)
    return a is not None and b is not None and int(b.group(1)) == int(a.group(1)) + 1


def _capitals(text: str) -> bool:
    """Mostly capital letters, with enough letters to be words (not "I." or "A")."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3:
        return False
    cased = [c for c in letters if c.isupper() or c.islower()]
    return bool(cased) and sum(c.isupper() for c in cased) >= 0.85 * len(cased)


class _Surveyor:
    def __init__(self, lines: Sequence[str], rules: Rules) -> None:
        self.raw = lines
        self.lines = [clean_spaces(line) for line in lines]
        self.rules = rules
        self.lay = rules.layout
        self.marks: dict[int, Mark] = {}
        self.zones: list[Zone] = []
        self.decorations: set[int] = set()
        self.taken: set[int] = set()  # 0-based lines already explained
        self.meta: dict[str, str] = {}
        self.preface = False  # an early etext's Project Gutenberg preface, with no markers
        self._reasons: dict[str, str | None] = {}

    # --- Project Gutenberg's wrapper --------------------------------------------------
    def gutenberg(self) -> tuple[int, int]:
        """The 0-based [start, end) of the book inside a Gutenberg wrapper; zones for the rest."""
        lines = self.lines
        n = len(lines)
        start = next((i for i in range(min(n, 2000)) if _GUTENBERG_START.match(lines[i])), None)
        end = next((i for i in range(n - 1, max(-1, n - 4000), -1) if _GUTENBERG_END.match(lines[i])), None)
        if start is None and end is None:
            lo, hi = self._old_gutenberg(n)
            # A text cut from its Gutenberg wrapper may still open on its transcriber's credit.
            wrapped = self.preface or any("gutenberg" in line.lower() for line in lines[: min(n, 60)])
            self._credits(lo, hi, max_words=None if wrapped else 40)
            return lo, hi
        body_start = 0 if start is None else start + 1
        body_end = n if end is None else end
        if start is not None:
            self._read_header(lines[: start + 1])
            self._zone(0, start, "Project Gutenberg header (title and author kept as metadata)")
        if end is not None:
            # "End of the Project Gutenberg EBook of ..." just above the marker belongs to the licence.
            for i in range(end - 1, max(body_start, end - 12) - 1, -1):
                if _GUTENBERG_END_LINE.match(lines[i]):
                    body_end = i
                    break
            self._zone(body_end, n - 1, "Project Gutenberg licence and end matter")
        self._credits(body_start, body_end)
        return body_start, body_end

    def _credits(self, body_start: int, body_end: int, max_words: int | None = None) -> None:
        """Transcribers' credits near the start of a Gutenberg text ("Produced by ..."), of at most `max_words`."""
        lines = self.lines
        seen = 0
        i = body_start
        while i < body_end and seen < 12:
            if lines[i]:
                seen += 1
                if _PRODUCED_BY.match(lines[i]):
                    j = i
                    while j + 1 < body_end and lines[j + 1]:
                        j += 1
                    if max_words is not None and _words(" ".join(lines[i : j + 1])) > max_words:
                        break
                    self._zone(i, j, "transcriber's credit")
                    i = j
            i += 1

    def _old_gutenberg(self, n: int) -> tuple[int, int]:
        """Early etexts (1991-1996) have no START/END markers: a preface naming Project Gutenberg."""
        lines = self.lines
        opening = [i for i in range(min(n, 200)) if lines[i]][:6]
        if not any("project gutenberg" in lines[i].lower() for i in opening):
            return 0, n
        self.preface = True
        for i in range(min(n, 400)):
            m = _BY_LINE.match(lines[i])
            if m and "gutenberg" not in lines[i].lower():
                self.meta.setdefault("title", m.group("title").strip(" ,."))
                self.meta.setdefault("author", m.group("author").strip(" ,."))
                break
        end = n
        for i in range(n - 1, max(-1, n - n // 3 - 1), -1):
            if _GUTENBERG_END_LINE.match(lines[i]):
                end = i
                self._zone(i, n - 1, "Project Gutenberg end matter")
                break
        return 0, end

    def old_preface(self, lo: int, hi: int) -> None:
        """The preface of an early etext runs to its first marked heading, when that comes early."""
        if not self.preface:
            return
        first = next((m.line - 1 for m in sorted(self.marks.values(), key=lambda m: m.line) if m.strong), None)
        if first is None or first > lo + (hi - lo) // 5:
            return
        self._zone(lo, first - 1, "Project Gutenberg preface (title and author kept as metadata)")

    def _read_header(self, header: Sequence[str]) -> None:
        current = ""
        for line in header:
            m = _GUTENBERG_FIELD.match(line)
            if m:
                current = m.group(1).lower()
                self.meta.setdefault(current, m.group(2).strip())
            elif current and line and not _GUTENBERG_START.match(line) and ":" not in line[:20]:
                self.meta[current] = f"{self.meta[current]} {line}".strip()
            else:
                current = ""
        if "title" not in self.meta:
            first = next((line for line in header if line), "")
            m = _GUTENBERG_FIRST.match(first)
            if m:
                self.meta["title"] = m.group("title").strip(" ,.")
                if m.group("author"):
                    self.meta.setdefault("author", m.group("author").strip(" ,."))

    def _zone(self, first: int, last: int, reason: str, rule: str = "") -> None:
        if last < first:
            return
        self.zones.append(Zone(first + 1, last + 1, reason, rule))
        self.taken.update(range(first, last + 1))

    # --- headings shown by lines around them ---------------------------------------------
    def underlines(self, lo: int, hi: int) -> None:
        lines = self.lines
        styles: list[str] = []
        for i in range(lo, hi - 1):
            text = lines[i]
            rule = lines[i + 1]
            m = _RULE_LINE.match(rule)
            if not text or not m or _RULE_LINE.match(text) or i in self.taken:
                continue
            char = m.group(1)
            over = i > lo and lines[i - 1] == rule[: len(lines[i - 1])] and bool(_RULE_LINE.match(lines[i - 1])) \
                and lines[i - 1][0] == char
            # A rule of another mark above, as long as the one below: "=====" / "2. Title" / "-----".
            mixed = not over and i > lo and bool(_RULE_LINE.match(lines[i - 1])) \
                and abs(len(lines[i - 1]) - len(rule)) <= 2 and len(rule) >= len(text) \
                and not _STATEMENT_END.search(text)  # (a footnote or a notice between rules is a sentence)
            over = over or mixed
            # A title wrapped onto a second line between its rules ("=====" / "4. iSiloXC for Windows," /
            # "   and Solaris" / "-----").
            wrapped = not over and i - 1 > lo and bool(lines[i - 1]) and bool(_RULE_LINE.match(lines[i - 2])) \
                and not _RULE_LINE.match(lines[i - 1]) and abs(len(lines[i - 2]) - len(rule)) <= 2 \
                and len(rule) >= len(lines[i - 1]) and _words(lines[i - 1]) + _words(text) <= 20 \
                and i - 1 not in self.taken and (text[0].islower() or self.raw[i][:1].isspace()) \
                and not _STATEMENT_END.search(text) and not ADDRESS.search(f"{lines[i - 1]} {text}")
            if wrapped:
                self.decorations.update({i - 1, i + 2})
                self.taken.update(range(i - 2, i + 2))
                style = f"over{lines[i - 2][0]}{char}"
                if style not in styles:
                    styles.append(style)
                self.marks[i] = Mark(i, i + 2, f"{lines[i - 1]} {text}", style,
                                     f"over- and underlined with {char * 3} under {lines[i - 2][0] * 3}, over two lines"
                                     f" (style {styles.index(style) + 1})")
                continue
            if not over and not _blank(lines, i - 1):
                continue  # the last line of a paragraph above a horizontal rule
            if _words(text) > 20 or len(text) > 150 or (len(rule) < 0.5 * len(text) and not over) or len(rule) < 3:
                continue
            if ADDRESS.search(text):
                continue  # a banner line between rules ("... sponsored by X http://..."), not a title
            if self.line_reason(text) == "badges":
                continue  # "Test Coverage Package version" over a rule: a row of badges, listed as such
            if text.startswith(("...", "…")):
                continue  # "... can't seem to connect today (hmmmmm...)": a section's text between its rules
            if parse_date_line(text) is not None:
                continue  # "For release: July 25, 2002" boxed in a press release's masthead: its date
            if re.search(r"[.…][\"'”’)\]]*$", text) and _words(text) >= 4 and abs(len(rule) - len(text)) > 3:
                continue  # a one-line paragraph over a page-wide rule; a title's underline is as long as it
            style = f"over{lines[i - 1][0]}{char}" if mixed else f"{'over' if over else 'under'}{char}"
            if style not in styles:
                styles.append(style)
            first = i - 1 if over else i
            self.decorations.update({first + 1, i + 2} if over else {i + 2})
            self.taken.update(range(first, i + 2))
            self.marks[i + 1] = Mark(i + 1, i + 2, text, style,
                                     f"{'over- and ' if over else ''}underlined with {char * 3}"
                                     f"{f' under {lines[i - 1][0] * 3}' if mixed else ''} (style {styles.index(style) + 1})")

    # --- headings shown by their own words --------------------------------------------------
    def numbered(self, lo: int, hi: int) -> None:
        lines = self.lines
        romans: dict[int, int] = {}  # 0-based line → value, for bare numerals
        for i in range(lo, hi):
            text = lines[i]
            if not text or i in self.taken:
                continue
            solid = join_spaced_letters(self.raw[i]) if "   " in self.raw[i] else text  # "R E L E A S E   D E T A I L S"
            if len(solid) > self.lay.heading_max_chars + 30 or _words(solid) > self.lay.heading_max_words + 4:
                continue
            cells = _GAP.split(self.raw[i].strip())
            if len(cells) >= 3 and not any(_LETTER_SPACED.fullmatch(c) for c in cells):
                continue  # "7.3       i686       jalapeno": a table's row, its cells set apart by spaces
            standalone = self._standalone(i)
            bare = text.rstrip(".")
            if standalone and _ROMAN.match(bare) and (len(bare) > 1 or text.endswith(".")):
                romans[i] = roman_value(bare)
                continue
            # Dumps with no blank lines between blocks (html2text): a numbered heading still
            # stands between a finished sentence (or the edge of a block) and a new one.
            # A long heading a text browser wrapped: a short block of at most three lines,
            # blank lines around it ("3.1.1. Sie haben mir empfohlen, ... Was soll" / "ich tun?").
            last = i
            if _blank(lines, i - 1) and not standalone:
                k = i + 1
                raw = self.raw
                indent = len(raw[i]) - len(raw[i].lstrip())
                # A heading at the margin goes on at the margin; an indented line under it
                # ("  by Guido Gonzato (http://...)") is the piece's byline, not the title.
                while k < hi and lines[k] and k - i < 3 and (indent or not raw[k][:1].isspace()):
                    k += 1
                joined = " ".join(lines[i:k])
                if _blank(lines, k) and _words(joined) <= 40 and not _STATEMENT_END.search(joined) \
                        and not any(x in self.taken or self.boilerplate(lines[x]) for x in range(i + 1, k)):
                    last = k - 1  # (a paragraph that opens "Chapter 3 of the report ..." ends a sentence)
            set_apart = standalone or last > i or (
                (_blank(lines, i - 1) or bool(_SENTENCE_END.search(lines[i - 1])) or lines[i - 1].endswith(":")
                 or i in self.decorations or (i - 1) in self.taken or self.boilerplate(lines[i - 1]))
                and (_blank(lines, i + 1) or not lines[i + 1][:1].islower()
                     # a byline set in under the heading ("  by Guido Gonzato"), not its sentence going on
                     or len(self.raw[i + 1]) - len(self.raw[i + 1].lstrip()) > len(self.raw[i]) - len(self.raw[i].lstrip()))
                # A question may be a heading (a FAQ's); a statement ending in a full stop is text,
                # unless a label says what the line is ("Subject: The Linux Counter...").
                and (not _STATEMENT_END.search(re.sub(r"^\S+\s*", "", text)) or bool(_LABELLED.match(text))))
            # A title closed by its own ornaments ("***** lintian *****") under the end of a
            # paragraph is set apart by them, even with its section's text straight under it.
            closed = (_blank(lines, i - 1) or bool(_SENTENCE_END.search(lines[i - 1])) or (i - 1) in self.taken) \
                and any(rule.strong and "title" in rule.pattern.groupindex and (m := rule.pattern.match(text))
                        and m.group("title") and m.end("title") < len(text) for rule in self.rules.headings)
            if not (set_apart or closed):
                continue
            for rule in self.rules.headings:
                if not standalone and not rule.strong:
                    continue
                m = rule.pattern.match(text)
                # (a closing ":::" is no dangling colon, nor a closing "---" a dash when a blank line
                # follows: "--- ping statistics ---" over a program's output, and "-----Original
                # Message-----" over a quoted mail, stay text)
                ornamented = "title" in rule.pattern.groupindex and bool(m and m.group("title")) \
                    and not _MAIL_MARKER.search(text)
                if m and (not _NO_HEADING_END.search(text) or ornamented and (
                        text.endswith("::") or text.endswith(("--", "=-")) and _blank(lines, i + 1))):
                    title = " ".join(lines[i : last + 1])
                    if "title" in rule.pattern.groupindex and m.group("title"):
                        # ">> HARD NEWS <<": the words, not the ornaments. The ornaments close the
                        # title, so a line under it ("life-long pursuits") is a strapline: text.
                        spaced = rule.pattern.match(self.raw[i].strip())  # letter-spacing kept for the title
                        title = (spaced or m).group("title").strip()
                        last = i
                    self.marks[i + 1] = Mark(i + 1, last + 1, title, rule.style, rule.evidence, strong=rule.strong)
                    self.taken.update(range(i, last + 1))
                    break
        # A bare numeral is a heading when its neighbours in the sequence are there too
        # ("I." ... "II."), so a lone "I." in dialogue or verse stays text.
        values = set(romans.values())
        for i, value in romans.items():
            if value + 1 not in values and value - 1 not in values:
                continue
            self.taken.add(i)
            title, last = lines[i], i
            j = i + 1
            while j < hi and not lines[j]:
                j += 1
            # The numeral stands above the chapter's title line ("I." / "A SCANDAL IN BOHEMIA").
            if j < hi and j - i <= 3 and j not in self.taken and self._title_line(j):
                title, last = f"{lines[i].rstrip('.')}. {lines[j]}", j
                self.taken.add(j)
            self.marks[i + 1] = Mark(i + 1, last + 1, title, "roman",
                                     "roman numeral in a sequence" + (", above its title line" if last > i else ""))

    def _title_line(self, j: int) -> bool:
        text = self.lines[j]
        return (
            _words(text) <= self.lay.heading_max_words
            and not _SENTENCE_END.search(text.rstrip(".") if _capitals(text) else text)
            and not text[0].islower()
            and self._standalone(j)
        )

    def _prose_follows(self, i: int, depth: int = 0) -> bool:
        """Whether the block after line i (past blank lines, and past one line standing alone
        over it, a subtitle) is a paragraph of prose."""
        block = next(self._paragraphs(i + 1, len(self.lines)), None)
        if block is None:
            return False
        text = " ".join(self.lines[k] for k in block)
        if len(block) == 1 and depth == 0 and _words(text) <= self.lay.heading_max_words:
            return self._prose_follows(block[0], depth + 1)
        return _words(text) >= self.lay.prose_min_words and bool(re.search(r"[.!?]", text)) \
            and not _ENTRY_BULLET.match(text)

    def _standalone(self, i: int) -> bool:
        """A line with a blank line (or the document's edge) before and after it."""
        return _blank(self.lines, i - 1) and _blank(self.lines, i + 1)

    def _after_break(self, i: int) -> bool:
        """Whether the last line above 0-based line i, past blank lines, is a section break."""
        k = i - 1
        while k >= 0 and not self.lines[k]:
            k -= 1
        return k >= 0 and k < i - 1 and self.line_reason(self.lines[k]) == "section break"

    def _ruled(self, i: int) -> bool:
        """Whether 0-based line i is a rule (a row of one repeated mark, or of marks alone)."""
        return 0 <= i < len(self.lines) and bool(_RULE_LINE.match(self.lines[i]) or _CLOSING_RULE.match(self.lines[i]))

    def _department(self, i: int) -> bool:
        """Whether the last line above i (0-based, past blank lines) is a short title in capitals
        set off above by a rule or a blank line: a department's name over its stories."""
        while i >= 0 and not self.lines[i]:
            i -= 1
        return i >= 0 and _capitals(self.lines[i]) and _words(self.lines[i]) <= self.lay.heading_max_words \
            and not _NO_HEADING_END.search(self.lines[i]) and (_blank(self.lines, i - 1) or self._ruled(i - 1))

    def _glued_title(self, i: int) -> str | None:
        """A line in capitals opening a block whose other lines are a paragraph of prose in
        sentence case ("OTHER STORIES" / "In addition to the headlines below, ..."): a title
        typed with no blank line under it."""
        lines = self.lines
        if not lines[i][:1].isalnum():
            return None  # "--------------06986E0E1E19": a MIME boundary over its part's header fields
        k = i + 1
        while k < len(lines) and k - i <= 3 and _LINK_LINE.match(lines[k]):
            k += 1
        if k > i + 1 and _blank(lines, k) and _blank(lines, i - 1):
            return _LINKED  # "SEE & DO" / "http://example.org/see_do.html": a title and its page's address
        if _blank(lines, i + 1) or _capitals(lines[i + 1]) or not _STARTS_LIKE_SENTENCE.match(lines[i + 1]):
            return None
        if _indent(self.raw[i + 1]) > _indent(self.raw[i]):
            return None  # "OPTIONS" over its indented description: a term and its definition
        # A product's name over its card of fields ("DECK" / "Version: 3.5" / "File size: 6.6MB").
        if _blank(lines, i - 1) and all(not _blank(lines, k) and _FIELD.match(lines[k]) for k in (i + 1, i + 2)):
            return _CARD
        # Or set off from what is above by a rule, as a newsletter sets its stories, or under its
        # department's title ("YOUR MONEY" / "" / "RESOLUTIONS YOU CAN KEEP"), over prose. Not a
        # term after a paragraph ("BAITING" / "This essentially involves..."): a list's entry.
        department = i > 1 and _blank(lines, i - 1) and self._department(i - 2)
        if i == 0 or not (self._ruled(i - 1) or department):
            return None
        k = i + 1
        while k < len(lines) and lines[k] and not _RULE_LINE.match(lines[k]):
            k += 1
        text = " ".join(lines[i + 1:k])
        # (under a department's name, a story may open with a short answer: "Um, no.")
        long_enough = department or _words(text) >= self.lay.prose_min_words
        return _GLUED if long_enough and re.search(r"[.!?]", text) else None

    def capitals(self, lo: int, hi: int) -> None:
        """Short ALL-CAPS lines standing alone: titles in books and magazine dumps."""
        lines = self.lines
        for i in range(lo, hi):
            text = lines[i]
            # (A story's title glued over its paragraph may carry its source after a bar:
            # "PHP FLAW HITS SERVERS | News: Wire"; standing alone, such a line is a masthead.)
            kicked = " | " in text and not _capitals(text) and _capitals(text.split(" | ", 1)[0])
            if not text or i in self.taken or not (_capitals(text) or kicked) or text[0] in _QUOTES:
                continue  # ('"TOM!"' in capitals is a shout, not a title)
            glued = None if self._standalone(i) else self._glued_title(i)
            if kicked and (glued != _GLUED or parse_date_line(lines[i + 1]) is not None):
                continue  # ("SEARCHNETWORKING | Voice over IP Tip" / "July 25, 2002": the masthead)
            if glued is None and not self._standalone(i):
                continue
            if text.rstrip(".:").lower() in ASIDE_LABELS:
                continue
            # A piece's title after a break may run long ("SOME USERS LIKE MAWK, OTHERS LIKE GAWK; ...;
            # HOW DOES DEBIAN SUPPORT DIVERSITY?"): standing alone, in capitals, it is still its title.
            if _words(text) > self.lay.heading_max_words * (3 if self._after_break(i) and glued is None else 1):
                continue
            if _NO_HEADING_END.search(text) or any(r.pattern.match(text) for r in self.rules.credits):
                continue
            if self.boilerplate(text):
                continue  # an image credit or an end line in capitals is what its rule says
            if CONFIG_LINE.search(text):
                continue  # "ENCRYPT_METHOD SHA512": a setting, not a title
            # (A name over a card of fields has no prose under it, yet is a title.)
            self.marks[i + 1] = Mark(i + 1, i + 1, text, "capitals", glued or "a short line in capitals, standing alone",
                                     strong=glued == _CARD)
            self.taken.add(i)

    def boxes(self, lo: int, hi: int) -> None:
        """Titles in boxes drawn in characters, one column each ("+----+" / "| Perl 5.8.0 Released |" /
        "|   posted by hfb on Friday July 19 |" / "+----+"): the first line in each is its piece's title,
        when the document sets two boxes or more so. The lines under it stay what their rules say."""
        lines = self.lines
        found: list[tuple[int, int, str]] = []
        i = lo
        while i < hi:
            if not _BOX_EDGE.match(lines[i]):
                i += 1
                continue
            k = i + 1
            while k < hi and _BOX_ROW.match(lines[k]):
                k += 1
            if k > i + 1 and k < hi and _BOX_EDGE.match(lines[k]) and i + 1 not in self.taken:
                m = _BOX_ROW.match(lines[i + 1])
                assert m is not None
                title = clean_spaces(m.group("text"))
                if title and _words(title) <= self.lay.heading_max_words and not _STATEMENT_END.search(title) \
                        and not title[0].islower() and not ADDRESS.search(title) and not self.boilerplate(title):
                    found.append((i + 1, k - 1, title))
            i = max(k, i + 1)
        if len(found) < 2:
            return
        for k, last, title in found:
            self.marks[k + 1] = Mark(k + 1, k + 1, title, "boxed", "the first line in a box drawn in characters")
            self.taken.add(k)
            if last > k and not any(x in self.taken for x in range(k + 1, last + 1)):
                self.zones.append(Zone(k + 2, last + 1, "a boxed title's details (poster, date, address)"))
                self.taken.update(range(k + 1, last + 1))

    # --- contents lists ----------------------------------------------------------------------
    def usual_gap(self) -> int:
        """The commonest number of blank lines between two blocks of the document."""
        runs: dict[int, int] = {}
        gap = 0
        for line in self.lines:
            if line:
                if gap:
                    runs[gap] = runs.get(gap, 0) + 1
                gap = 0
            else:
                gap += 1
        return max(runs, key=lambda g: runs[g]) if runs else 1

    def line_reason(self, text: str) -> str | None:
        """The reason of the rule that sets this line aside (boilerplate or an article end), or None.

        Cached: the passes ask about the same lines many times, and each asks every rule.
        """
        if text not in self._reasons:
            hit = self.rules.line_rule(text)
            self._reasons[text] = hit[0].reason if hit else None
        return self._reasons[text]

    def boilerplate(self, text: str) -> bool:
        return self.line_reason(text) is not None

    def contents(self, lo: int, hi: int) -> set[str]:
        """Contents lists become zones; their entries' keys are returned as evidence for headings."""
        lines = self.lines
        # Where the entries point: lines shaped like headings (standing alone or underlined,
        # no list bullet), so a sentence repeated in the text or a list is no evidence.
        later: dict[str, list[int]] = {}
        numbered: dict[str, list[tuple[int, set[str]]]] = {}  # "4" -> (line, the title's words)
        for i in range(lo, hi):
            text = lines[i]
            if not text or _words(text) > 24:
                continue
            # A heading by its own words, with its byline under it ("[001] - abcm2ps 3.1.1").
            worded = _blank(lines, i - 1) and any(r.strong and r.pattern.match(text) for r in self.rules.headings)
            if worded or not _ENTRY_BULLET.match(text) and (
                    self._standalone(i) or i + 1 in self.marks or (_blank(lines, i - 1) and i + 2 in self.decorations)):
                for key in {entry_key(text), title_key(text)}:
                    if len(key) >= 3:
                        later.setdefault(key, []).append(i)
                if (number := _ENTRY_NUMBER.match(text)) is not None:
                    numbered.setdefault(number.group(0).strip(" .):_"), []).append((i, set(title_key(text).split())))

        for key in [k for k, at in later.items() if len(at) > 8]:
            del later[key]  # a line printed over and over ("License: GPL" under every item) is no heading

        def target(i: int, after: int) -> int | None:
            """The line after `after` that entry i names as a heading, if any."""
            text = lines[i]
            if text[0] in _QUOTES or (_SENTENCE_END.search(_ENTRY_PAGE.sub("", text)) and not _ENTRY_NUMBER.match(text)):
                return None  # dialogue ("Yes." ... "Yes."), not a listing
            for key in {entry_key(lines[i]), title_key(lines[i])}:
                if len(key) >= 3 and (at := later.get(key, ())[-1:]) and at[0] > after:
                    return at[0]
            # A numbered entry worded a little differently from its heading ("1. iSilo for Palm OS,
            # Pocket PC, and Windows" / "1. iSilo for Palm OS and Pocket PC"): same number, most words.
            number = _ENTRY_NUMBER.match(text)
            words = set(title_key(text).split())
            if number is None or len(words) < 3:
                return None
            return next((j for j, heading in numbered.get(number.group(0).strip(" .):_"), ())
                         if j > after and len(words & heading) >= 0.6 * len(words | heading)), None)

        def printed_again(targets: set[int]) -> bool:
            """Whether most of the lines named stand straight over another of them or over the
            next step of their list ("2. Resolve" / "3. Unpack"): a list printed again (the same
            steps under each command), not sections."""
            over_nothing = 0
            for t in targets:
                n = t + 1
                while n < hi and not lines[n]:
                    n += 1
                over_nothing += n >= hi or n in targets or next_step(lines[t], lines[n])
            return 2 * over_nothing > len(targets)

        keys: set[str] = set()
        keyword = self.lay.contents_heading
        # calibre's text output puts four blank lines between paragraphs: a listing's entries
        # may stand as far apart as the document's paragraphs do.
        max_gap = max(6, 2 * self.usual_gap() + 1)
        heading_lines = {m.line - 1 for m in self.marks.values()}
        i = lo
        while i < hi:
            text = lines[i]
            sidebar = bool(text) and bool(self.lay.sidebar_label.match(text)) and i not in self.taken
            titled = sidebar or (bool(text) and bool(keyword.match(text)) and (i not in self.taken or i in heading_lines))
            if not titled and (not text or i in self.taken):
                i += 1
                continue
            if titled and i in heading_lines:
                # An underlined "Contents": the underline is part of the listing's heading.
                mark = self.marks.pop(i + 1)
                self.decorations.discard(mark.last)
                self.taken.discard(i)
                self.taken.discard(mark.last - 1)
                i_end = mark.last - 1
            else:
                i_end = i
            start = i_end + 1 if titled else i
            # The run: short lines, with at most two blank lines between them.
            run: list[int] = []
            listed_count = indented_count = 0
            wrap_end = -2  # the last line of the entry being read
            run_keys: set[str] = set()
            j = start
            gap = 0
            while j < hi:
                if not lines[j]:
                    gap += 1
                    if gap > max_gap:
                        break
                    j += 1
                    continue
                entry = lines[j]
                if sidebar:
                    # A menu box: its link titles are bulleted (or the one under the label).
                    if j in self.taken or self.lay.sidebar_label.match(entry) or keyword.match(entry) or (
                            run and not (_ENTRY_BULLET.match(entry) or self.boilerplate(entry))):
                        break
                    run.append(j)
                    gap = 0
                    j += 1
                    continue
                if j in self.taken or (run and (keyword.match(entry) or self.lay.sidebar_label.match(entry))) \
                        or (self.boilerplate(entry) and not (titled and self.line_reason(entry) != "section break")):
                    break  # (under "Contents", "HELPERS FOR DEBIAN/RULES" is an entry, not a photo credit)
                listed = bool(_ENTRY_BULLET.match(entry) or _ENTRY_NUMBER.match(entry))
                wrapped = bool(run) and wrap_end == j - 1 and (entry[0].islower() or (
                    self.raw[j][:1].isspace() and not listed and len(self.raw[j]) - len(self.raw[j].lstrip())
                    > len(self.raw[run[-1]]) - len(self.raw[run[-1]].lstrip())))
                if entry[0].islower() and not wrapped:
                    break  # wrapped prose, not a listing
                if wrapped:
                    wrap_end = j  # an entry wrapped onto a further line
                    j += 1
                    continue
                if not listed and not self.raw[j][:1].isspace() and j + 1 < hi and lines[j + 1][:1].islower():
                    break
                indented = self.raw[j][:1].isspace()
                if run and not indented and not listed and indented_count == len(run) >= 2:
                    break  # indented entries, then a line at the margin: the text again
                bare = title_key(entry)
                opening = title_key(lines[run[0]]) if run else ""
                if entry_key(entry) in run_keys or (
                        # "01. SECURE IE.  For the past month": the first entry's title run into its text
                        len(opening) >= 4 and bare.startswith(opening + " ") and bool(_RUN_IN.match(self.raw[j].strip()))) or (
                        # "Kapitel 1. Einführung" after the listing's "1. Einführung": the chapter itself
                        len(bare) >= 4 and run and bare == title_key(lines[run[0]])
                        and entry.split()[0].isalpha() and not lines[run[0]].split()[0].isalpha()):
                    break  # the first entry again: its heading, where the text begins
                listed = listed or indented
                if not listed and len(run) >= 2 and listed_count * 3 >= 2 * len(run):
                    break  # numbered or indented entries, then a plain line: the text again
                listed_count += listed
                indented_count += indented
                run_keys.add(entry_key(entry))
                if _words(entry) > 24 or (not listed and _SENTENCE_END.search(entry) and _words(entry) > 12
                                          and not _ENTRY_PAGE.search(entry)):
                    break
                run.append(j)
                wrap_end = j
                gap = 0
                j += 1
            end = max(run[-1], wrap_end) if run else i
            targets = {k: t for k in run if (t := target(k, k)) is not None}
            hits = list(targets)
            if len({entry_key(lines[k]) for k in hits}) < len(hits):
                hits = []  # a listing names each heading once
            elif not titled and hits and printed_again(set(targets.values())):
                hits = []
            first_hit = hits[0] if hits else i
            k = first_hit - 1
            while k >= lo and not lines[k] and k > first_hit - 3:
                k -= 1
            if not titled and k >= lo and lines[k].endswith(":") and not lines[k].endswith("::"):
                hits = []  # a list the text introduces ("...are referred to in:"), read as text
            if sidebar:
                # A menu box: its label and the few link titles under it, not a page of text.
                while run and (len(run) > 40 or any(_SENTENCE_END.search(lines[k]) and _words(lines[k]) > 8 for k in run)):
                    run.pop()
                end = run[-1] if run else i
                self._zone(i, end, "page navigation", "[layout] sidebar_label")
                i = end + 1
                continue
            if (titled and len(run) >= 1) or (len(run) >= 3 and len(hits) >= 3 and len(hits) * 2 >= len(run)):
                if not titled:
                    # Only the listing itself: lines before or after it that point nowhere are text.
                    while run and run[-1] not in hits:
                        run.pop()
                    while run and run[0] not in hits:
                        run.pop(0)
                    end = run[-1]
                    while end + 1 <= wrap_end and lines[end + 1][:1].islower():
                        end += 1  # the last entry wrapped onto a further line ("   and Solaris enters beta1")
                    i = run[0]
                for k in run:
                    keys.add(entry_key(lines[k]))
                    if title_key(lines[k]) != entry_key(lines[k]):
                        # A numbered entry names a numbered heading, not any line with its words.
                        keys.add("#" + title_key(lines[k]))
                    self.marks.pop(k + 1, None)
                    self.decorations.discard(k + 2)
                reason = "table of contents" + ("" if titled else " (its entries are headings below)")
                self._zone(i, end, reason, "[layout] contents_heading" if titled else "entries named again as headings below")
                i = end + 1
                continue
            # Not a listing: no run starting inside this one can be (a keyword line ends runs),
            # so go on after it; scanning every start again would be quadratic in verse.
            i = max(i + 1, (run[-1] + 1) if run and not titled else i + 1)
        keys.discard("")
        return keys

    def advertisements(self, hi: int) -> None:
        """A section a newsletter titles as an advertisement ("::: A D V E R T I S I N G :::",
        "PLATINUM SPONSORS"): a zone from its title to the next rule or heading."""
        lines = self.lines
        for line in sorted(self.marks):
            mark = self.marks.get(line)
            if mark is None or not _ADVERT_TITLE.match(join_spaced_letters(self.raw[line - 1]).strip(" :>-=*#~<").strip()):
                continue
            k = mark.last  # 0-based line after the title
            while k < hi and (k + 1) not in self.marks and k not in self.taken \
                    and self.line_reason(lines[k]) != "section break":
                k += 1
            self._section_zone(line, k, "advertisement", "a section titled as an advertisement")

    def _section_zone(self, line: int, k: int, reason: str, rule: str) -> None:
        """The section under the heading marked at `line` (1-based), to before 0-based line `k`: one zone,
        its heading no longer a heading."""
        del self.marks[line]
        self.zones = [z for z in self.zones if not line <= z.first <= k]
        self._zone(line - 1, k - 1, reason, rule)

    def ad_boxes(self, lo: int, hi: int) -> None:
        """An advertisement a newsletter marks with a decorated line ("<----Advertisement---->",
        "~~~~ sponsor ~~~~", "FROM OUR SPONSOR:") and closes with a rule: a zone, markers and all."""
        lines = self.lines
        for i in range(lo, hi):
            text = lines[i]
            if not text or i in self.taken or not _AD_MARKER.match(text):
                continue
            if not (text.endswith(":") or len(re.findall(r"[\W_]", text.replace(" ", ""))) >= 3):
                continue  # a bare "Advertising" may be a department of a story about it
            close = next((k for k in range(i + 1, min(hi, i + 40)) if _CLOSING_RULE.match(lines[k])), None)
            if close is None or any(k in self.taken or (k + 1) in self.marks for k in range(i + 1, close)):
                continue
            self._zone(i, close, "advertisement", "a line marking an advertisement, to the rule closing it")

    def sales_boxes(self, lo: int, hi: int) -> None:
        """A box between two rules that sells: prices, offers and a call to order or click ("You can
        order your pin today for $29.99. Order today! ... Click Here"): an advertisement, listed."""
        lines = self.lines
        rules = [k for k in range(lo, hi) if lines[k] and self._ruled(k)]
        for a, b in zip(rules, rules[1:]):
            box = range(a + 1, b)
            if len(box) < 2 or any(k in self.taken or (k + 1) in self.marks for k in box):
                continue
            text = " ".join(lines[k] for k in box)
            kinds = {name for name, pattern in _SALES_SIGNALS if pattern.search(text)}
            # (three kinds, one a call to act: a story about a sale has prices and "free", not "Order now!")
            if _words(text) <= 150 and len(kinds) >= 3 and kinds & {"order", "click", "anchor", "urgency"}:
                self._zone(a + 1, b - 1, "advertisement", "a box between rules with prices, offers and a call to order")

    def notice_sections(self, hi: int) -> None:
        """A newsletter's department about itself ("CONTRIBUTIONS", ">> SMALL PRINT <<", "NEWSLETTER REMINDER")
        whose short text says how to subscribe, write in or leave: a zone, title and all."""
        lines = self.lines
        for line in sorted(self.marks):
            mark = self.marks.get(line)
            if mark is None:
                continue
            title = join_spaced_letters(self.raw[line - 1]).strip(" :>-=*#~<")
            if re.match(r"\d+\.\d", title) or not self.lay.notice_title.match(_ENTRY_NUMBER.sub("", title, count=1).strip()):
                continue  # (a manual's "2.2. How to contribute" is a chapter of it)
            k = mark.last  # 0-based line after the title
            while k < hi and (k + 1) not in self.marks and not (k in self.taken and self.line_reason(lines[k]) is None):
                k += 1
            body = " ".join(lines[j] for j in range(mark.last, k) if j not in self.taken)
            if _words(body) > 250 or not self.lay.notice_signal.search(body):
                continue
            self._section_zone(line, k, "newsletter notice (a department about the newsletter itself)",
                               "[layout] notice_title")

    def run_ins(self, lo: int, hi: int) -> None:
        """Titles in capitals that open their paragraph ("01. SECURE IE.  For the past month..."), when the
        document sets at least two that way."""
        found: list[Mark] = []
        for block in self.blocks(lo, hi):
            raw = self.raw[block[0]].strip()
            m = _RUN_IN.match(raw)
            if m is None:
                continue
            head, rest = m.group("head"), m.group("rest")
            bare = re.sub(r"^\d{1,3}[.)]\s+", "", head)
            numbered = bare != head
            if not numbered and (len(bare.split()) < 2 or not re.match(r"^\S+\s{2,}", m.group("gap") + "x")):
                continue  # unnumbered: two words at least, and two spaces after them, as a typist set them
            if bare.lower() in ASIDE_LABELS or not any(c.islower() for c in rest[:40]):
                continue  # "NOTE:  ...", or a licence's paragraph in capitals
            found.append(Mark(block[0] + 1, block[0] + 1, clean_spaces(head), "run-in",
                              "a run-in title in capitals opening its paragraph", True, clean_spaces(rest)))
        if len(found) >= 2:
            for mark in found:
                self.marks[mark.line] = mark
                self.taken.add(mark.line - 1)

    def blocks(self, lo: int, hi: int) -> Iterator[range]:
        """Runs of non-blank lines (0-based) none of which is explained yet."""
        return (block for block in self._paragraphs(lo, hi) if not self._explained(block))

    def _explained(self, block: range) -> bool:
        return any(k in self.taken or (k + 1) in self.marks for k in block)

    def drawings(self, lo: int, hi: int) -> None:
        """A logo drawn in characters (a newsletter's masthead): a zone."""
        for block in list(self.blocks(lo, hi)):
            drawn = sum(_drawn(self.raw[k]) for k in block)
            if drawn >= 3 and drawn * 2 > len(block):
                self._zone(block[0], block[-1], "ASCII art (a logo drawn in characters)", "characters drawn, not words")

    def notices(self, lo: int, hi: int) -> None:
        """A newsletter's notices (how to leave the list, sponsors, copyright): zones."""
        lines = self.lines
        parts = [part for run in self._paragraphs(lo, hi) for part in self._between_rules(run)]
        for block in [part for part in parts if not self._explained(part)]:
            text = " ".join(lines[k] for k in block)
            words = _words(text)
            if words > 60:
                continue  # (a paragraph on how the project's mailing lists work is the text)
            # ("subscription" and "subscribe" are one signal; "unsubscribe" is another)
            signals = {m.group(0).casefold()[:7] for m in self.lay.notice_signal.finditer(text)}
            # An address makes a notice of one signal only in a short paragraph, not in a story.
            if len(signals) + (words <= 40 and bool(ADDRESS.search(text))) >= 2:
                self._zone(block[0], block[-1], "newsletter notice (subscription, sponsors, copyright)",
                           "[layout] notice_signal")

    def signed_message(self) -> None:
        """An OpenPGP clear-signed message: its armour lines and the signature block are zones."""
        lines = self.lines
        for i, text in enumerate(lines):
            if text == "-----BEGIN PGP SIGNED MESSAGE-----":
                k = i + 1
                while k < len(lines) and lines[k].startswith("Hash:"):
                    k += 1
                self._zone(i, k - 1, "digital signature (OpenPGP)", "an OpenPGP armour line")
            elif text == "-----BEGIN PGP SIGNATURE-----":
                k = i + 1
                while k < len(lines) and lines[k] != "-----END PGP SIGNATURE-----":
                    k += 1
                if k < len(lines):
                    self._zone(i, k, "digital signature (OpenPGP)", "an OpenPGP armour line")

    def signatures(self, lo: int, hi: int) -> None:
        """A mail signature: the "-- " line and the few lines under it (name, company, telephone)."""
        # (also one quoted in a reply: "> >>-- ")
        unquoted = [_QUOTE_MARKS.sub("", line) for line in self.lines[:hi]]
        for i in range(lo, hi):
            if unquoted[i].strip() != "--" or i in self.taken:
                continue
            k = i + 1
            while k < hi and unquoted[k].strip() and k not in self.taken and (k + 1) not in self.marks:
                k += 1
            if 1 < k - i <= 7:
                self._zone(i, k - 1, "mail signature", "a '-- ' line, then the sender's name and contacts")

    def _paragraphs(self, lo: int, hi: int) -> Iterator[range]:
        """Runs of non-blank lines (0-based), explained or not."""
        i = lo
        while i < hi:
            if not self.lines[i]:
                i += 1
                continue
            j = i
            while j < hi and self.lines[j]:
                j += 1
            yield range(i, j)
            i = j

    def _between_rules(self, block: range) -> Iterator[range]:
        """A block cut at the rule lines inside it (a newsletter stacks banners between rules, no blank line)."""
        start = block.start
        for k in block:
            if _RULE_LINE.match(self.lines[k]):
                if k > start:
                    yield range(start, k)
                start = k + 1
        if start < block.stop:
            yield range(start, block.stop)

    def listing_titles(self) -> None:
        """A newsletter's styled title over a listing and nothing else ("::: RELEASE HEADLINES (107) :::") is the listing's."""
        lines = self.lines
        for n, zone in enumerate(self.zones):
            if zone.rule != "entries named again as headings below":
                continue
            k = zone.first - 2  # 0-based line before the zone
            while k >= 0 and not lines[k]:
                k -= 1
            mark = self.marks.get(k + 1)
            if mark is None or mark.last != k + 1 or mark.style not in ("ornament", "capitals"):
                continue  # (a numbered chapter over its own contents is still the chapter)
            del self.marks[k + 1]
            self.zones[n] = Zone(k + 1, zone.last, "table of contents", zone.rule)
            self.taken.add(k)

    def contents_evidence(self, keys: set[str], lo: int, hi: int) -> None:
        """Standalone short lines that a contents entry names are headings, even without other marks."""
        lines = self.lines
        for i in range(lo, hi):
            text = lines[i]
            if not text or i in self.taken or not self._standalone(i) or _words(text) > 20:
                continue
            # A bulleted line is a heading only with prose under it ("* Progress of the bill", the
            # contents list's own words), not an item of a list of them.
            bullet = _ENTRY_BULLET.match(text)
            if bullet and not self._prose_follows(i):
                continue
            if self.named(text, keys) and not self.boilerplate(text) and text[0] not in _QUOTES:
                title = text[bullet.end():] if bullet else text
                self.marks[i + 1] = Mark(i + 1, i + 1, title, "contents", "named by the table of contents")
                self.taken.add(i)
        named = 0
        for mark in list(self.marks.values()):
            if mark.evidence and self.named(mark.title, keys) and "contents" not in mark.evidence:
                self.marks[mark.line] = replace(mark, evidence=f"{mark.evidence}; named by the table of contents",
                                                strong=True)
                named += 1
        if named >= 3:
            # The contents list says which lines are headings: capitals it does not name are
            # notices and signs in the text ("THE RED-HEADED LEAGUE IS DISSOLVED").
            for mark in list(self.marks.values()):
                if mark.style == "capitals" and not mark.strong:
                    del self.marks[mark.line]
                    self.taken.discard(mark.line - 1)

    @staticmethod
    def named(text: str, keys: set[str]) -> bool:
        """Whether a contents entry names this line (by its words, or by its title after a number)."""
        full, bare = entry_key(text), title_key(text)
        if full in keys or (bare != full and len(bare) >= 4 and "#" + bare in keys):
            return True
        if bare == full or len(full.split()) < 3:
            return False
        # A numbered entry may say more or less than its heading: "2. Pick of the Week: Deck"
        # names "2. Pick of the Week"; "4. Updates & Drivers" names "4. Updates & Drivers: Stay on Top".
        return any(key.startswith(full + " ") or (full.startswith(key + " ") and len(key.split()) >= 3)
                   for key in keys if key[:1].isdigit() and key.split()[0] == full.split()[0])

    def footer(self, lo: int, hi: int) -> int:
        """A saved page's footer (copyright, licence, "Last updated", the menus above them): a zone; returns its start."""
        lines = self.lines
        marker = self.lay.footer_marker
        first = None
        seen = 0
        i = hi - 1
        while i >= lo and seen < 40:
            if lines[i]:
                seen += 1
                if marker.search(lines[i]):
                    first = i
            i -= 1
        if first is None:
            return hi
        # Back to the start of its block, then over navigation lines and menus just above it.
        while first > lo and lines[first - 1]:
            first -= 1
        k = first - 1
        while k >= lo:
            text = lines[k]
            if text and not (self.boilerplate(text) or self.lay.sidebar_label.match(text)
                             or (k in self.taken and not any(z.first - 1 <= k <= z.last - 1 and "contents" in z.reason
                                                            for z in self.zones))):
                break
            k -= 1
        first = k + 1
        while first < hi and not lines[first]:
            first += 1
        # Everything after it must be footer-like: short lines, markers, menus (no heading, no long prose).
        # What is not yet explained (menus, navigation rows are) must look like a footer.
        after = [j for j in range(first, hi) if lines[j] and j not in self.taken and not self.boilerplate(lines[j])]
        if len(after) > 25:
            return hi  # a footer is a few lines; this is the text going on
        for j in after:
            text = lines[j]
            if (j + 1) in self.marks or (_words(text) > 30 and not marker.search(text)) \
                    or any(r.pattern.match(text) for r in self.rules.headings) \
                    or (self.lay.numbered_heading.match(text) and self._standalone(j)):
                return hi
        self.zones = [z for z in self.zones if z.last - 1 < first]
        self.taken = {t for t in self.taken if t < first}
        self._zone(first, hi - 1, "page footer", "[layout] footer_marker")
        return first

    def release_end(self, lo: int, hi: int) -> int:
        """What follows a press release's end mark ("###"): its contacts and notes to editors, a zone;
        returns where the text ends."""
        lines = self.lines
        mark = next((i for i in range(hi - 1, lo - 1, -1) if self.lay.end_mark.match(lines[i])), None)
        if mark is None:
            return hi
        after = [j for j in range(mark + 1, hi) if lines[j]]
        if len(after) > 40 or any((j + 1) in self.marks or self._title_line(j) for j in after):
            return hi  # more than a release's tail: the text goes on, under headings of its own
        self._zone(mark, hi - 1, "after a press release's end mark: contacts and notes to editors", "[layout] end_mark")
        return mark

    def page_header(self, lo: int, hi: int) -> int:
        """A saved page's top: banner, logo links and a previous/next row before the text begins."""
        lines = self.lines
        top = [i for i in range(lo, min(hi, lo + 80)) if lines[i]][:12]
        # (lynx puts the page's <link rel> titles first, as one "#Start Contents Next ..." line,
        # wrapped over as many lines as the titles take)
        links: set[int] = set(next(self._paragraphs(top[0], hi))) if top and lines[top[0]].startswith("#") else set()
        head: list[int] = []
        last = -1
        for i in top:
            navigation = self.line_reason(lines[i]) == "navigation links"
            if i in self.taken or (i not in links and (_words(lines[i]) > 8 and not navigation
                                                      or _SENTENCE_END.search(lines[i]))):
                break  # the text has begun (a short page's bottom row is no header)
            head.append(i)
            if navigation:
                last = i
        if last < 0:
            return lo
        # A navigation row the browser wrapped goes on, indented, on the next line.
        while last + 1 < hi and lines[last + 1] and self.raw[last + 1][:1].isspace() and _words(lines[last + 1]) <= 8 \
                and not _SENTENCE_END.search(lines[last + 1]) and last + 1 not in self.taken:
            last += 1
        self._zone(head[0], last, "page header (banner and navigation links)", "a previous/next row above the text")
        return last + 1

    def bottom_navigation(self, lo: int, hi: int) -> int:
        """A manual page's previous/next table under a last rule ("Zurück  Weiter" / chapter names)."""
        lines = self.lines
        tail = [i for i in range(hi - 1, max(lo, hi - 60) - 1, -1) if lines[i]][:8]
        for i in tail:
            if self.line_reason(lines[i]) != "section break":
                continue
            after = [k for k in range(i + 1, hi) if lines[k]]
            # (a story under the last rule is not a navigation row, even with a link line under it)
            prose = any(_words(" ".join(lines[k] for k in block)) >= 10 and lines[block[-1]].endswith((".", "!", "?"))
                        and not any(self.boilerplate(lines[k]) for k in block)
                        for block in self._paragraphs(i + 1, hi))
            if after and not prose and any(self.boilerplate(lines[k]) for k in after) \
                    and all(_words(lines[k]) <= 16 for k in after):
                self.zones = [z for z in self.zones if z.last - 1 < i]
                self.taken = {t for t in self.taken if t < i}
                self._zone(i, hi - 1, "page navigation", "a rule, then previous/next links at the end")
                return i
        return hi

    def front_matter(self, lo: int, hi: int) -> None:
        """A manual's legal page (version, copyright, licence) between its title and first chapter."""
        lines = self.lines
        marked = [m.line - 1 for m in self.marks.values() if m.strong and m.line - 1 > lo]
        numbered = next((i for i in range(lo + 1, min(hi, lo + 400)) if lines[i] and i not in self.taken
                         and self.lay.numbered_heading.match(lines[i]) and self._standalone(i)), None)
        first = min([*marked, *([numbered] if numbered is not None else [])], default=None)
        if first is None or first - lo > max(120, (hi - lo) // 6):
            return
        region = [i for i in range(lo, first) if lines[i] and i not in self.taken]
        marked = [i for i in region if self.lay.footer_marker.search(lines[i])]
        if not marked:
            return
        # From the block after the title (the first block) to the chapter, but no listing.
        start = next((i for i in region if i > region[0] and _blank(lines, i - 1)), marked[0])
        start = min(start, marked[0])
        if start == region[0] or sum(_words(lines[i]) for i in region if i >= start) > 400:
            return
        end = first - 1
        while end > start and (not lines[end] or end in self.taken):
            end -= 1
        if any(start <= t <= end for t in self.taken):
            end = min(t for t in self.taken if start <= t <= end) - 1
        self._zone(start, end, "front matter (version, copyright and licence)", "[layout] footer_marker before the first chapter")

    def running_heads(self, lo: int, hi: int) -> None:
        """A page header or footer repeated with its page number ("NetHack Guidebook   42")."""
        lines = self.lines
        seen: dict[str, list[int]] = {}
        for i in range(lo, hi):
            text = lines[i]
            # The page number set off at the margin by a run of spaces, as pages print it.
            if text and i not in self.taken and re.search(r"\S {3,}\d{1,4}\s*$", self.raw[i]) and _words(text) <= 8:
                key = re.sub(r"\d+", "#", " ".join(text.split()))
                if re.search(r"[^\W\d_]{2}", key):
                    seen.setdefault(key, []).append(i)
        for key, found in seen.items():
            if len(found) >= 3:
                for i in found:
                    self._zone(i, i, "running head (page header or footer)", "a line repeated with page numbers")

    def captions(self) -> None:
        """A heading between two parts of a contents list ("Appendices" over its entries) is the list's."""
        lines = self.lines
        ends = {z.last - 1 for z in self.zones if z.reason.startswith("table of contents")}
        starts = {z.first - 1 for z in self.zones if z.reason.startswith("table of contents")}
        for mark in list(self.marks.values()):
            before = mark.line - 2
            while before >= 0 and not lines[before]:
                before -= 1
            after = mark.last
            while after < len(lines) and not lines[after]:
                after += 1
            if before in ends and after in starts:
                del self.marks[mark.line]
                self.decorations.difference_update(range(mark.line, mark.last + 1))
                self._zone(mark.line - 1, mark.last - 1, "table of contents (a caption in it)")

    def survey(self) -> Survey:
        self.signed_message()
        lo, hi = self.gutenberg()
        self.underlines(lo, hi)
        keys = self.contents(lo, hi)
        self.captions()
        hi = self.footer(lo, hi)
        hi = self.bottom_navigation(lo, hi)
        self.drawings(lo, hi)
        lo = self.page_header(lo, hi)
        self.running_heads(lo, hi)
        self.numbered(lo, hi)
        self.old_preface(lo, hi)
        self.front_matter(lo, hi)
        self.capitals(lo, hi)
        self.boxes(lo, hi)
        self.run_ins(lo, hi)
        hi = self.release_end(lo, hi)  # (after the headings are found: a heading past the mark keeps the text going)
        self.advertisements(hi)
        self.ad_boxes(lo, hi)
        self.sales_boxes(lo, hi)
        self.notice_sections(hi)
        self.signatures(lo, hi)
        self.notices(lo, hi)
        if keys:
            self.contents_evidence(keys, lo, hi)
        self.listing_titles()
        languages = self.meta.get("language", "").lower().split()
        language = next((LANGUAGE_NAMES[w.strip(",;")] for w in languages if w.strip(",;") in LANGUAGE_NAMES), None)
        authors = tuple(a.strip() for a in re.split(r"\s+and\s+|;\s*", self.meta.get("author", "")) if a.strip())
        translators = tuple(a.strip() for a in re.split(r"\s+and\s+|;\s*", self.meta.get("translator", ""))
                            if a.strip())
        return Survey(
            marks=dict(sorted(self.marks.items())),
            zones=tuple(sorted(self.zones, key=lambda z: z.first)),
            decorations=frozenset(self.decorations),
            title=self.meta.get("title") or None,
            authors=authors,
            translators=translators,
            language=language,
        )


def survey(lines: Sequence[str], rules: Rules) -> Survey:
    """The outline of a document from its layout alone (lines as read, LF-split)."""
    return _Surveyor(lines, rules).survey()
