"""PDF reader: text lines in reading order from the page layout, headings from typography and the outline."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from ..errors import InputError
from ..model import Article, NotRead, Paragraph, Section
from .html import guess_language, join_titles, language_code
from .meta import parse_iso_date, split_names
from .repair import clean_spaces, join_lines
from .rules import Repair, Rules
from .text import CREDIT_REASON, make_paragraph

MAX_PAGES = 5000  # a 5000-page PDF is a phone book, not an audio edition

OCR_MESSAGE = "is a scanned PDF with no text layer: it needs OCR (text recognition) first, which audiobook does not do"
RUNNING_REASON = "running head or footer, not read"
PAGE_NUMBER_REASON = "page number, not read"
FOOTNOTE_REASON = "footnote, not read"
CAPTION_REASON = "caption, not read"
PULL_QUOTE_REASON = "pull quote (repeats the text), not read"
NO_TEXT_PAGE_REASON = "page has no text layer (a scanned image): needs OCR"
OUTLINE_EVIDENCE = "PDF outline (bookmarks)"


# --- What the PDF library gives, as plain frozen data ------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of text as printed: its page, box (top-down coordinates) and typography."""

    page: int  # 1-based
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    size: float  # the font size most of its characters have
    bold: bool = False
    italic: bool = False
    box: int = 0  # the layout box (pdfminer's LTTextBox) it was found in, per page
    tag: str = ""  # its structure type in a tagged PDF ("H2", "P", "Caption", "Note"), "" when untagged
    artifact: bool = False  # marked as an artifact (page furniture) in a tagged PDF
    marks: str = ""  # raised note marks taken out of its text ("1", "*"), space-separated


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    figures: tuple[tuple[float, float, float, float], ...] = ()  # (x0, top, x1, bottom) of images
    has_text: bool = True


@dataclass(frozen=True)
class OutlineEntry:
    level: int  # 1 = top
    title: str
    page: int | None  # 1-based, when the bookmark says


@dataclass(frozen=True)
class PdfMeta:
    title: str | None = None
    authors: tuple[str, ...] = ()
    date: dt.date | None = None
    language: str | None = None


@dataclass(frozen=True)
class Extracted:
    pages: tuple[Page, ...]
    outline: tuple[OutlineEntry, ...] = ()
    meta: PdfMeta = PdfMeta()


# --- Pure layout logic over extracted lines -----------------------------------------------------

_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st", "\ua732": "AA", "\ua733": "aa"}
_LIGATURE_RE = re.compile("[" + "".join(_LIGATURES) + "]")


def expand_ligatures(text: str) -> str:
    """Typographic ligatures as their letters ("ﬁrst" → "first"): a voice cannot say U+FB01."""
    return _LIGATURE_RE.sub(lambda m: _LIGATURES[m.group()], text)


_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|seite|página|pagina)\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:/|of|von|de|di)\s*\d{1,4})?$",
    re.I)
_MARGIN = 0.1  # running heads and footers sit in the top or bottom tenth of the page


def _same_row(a: Line, b: Line) -> bool:
    return abs(a.bottom - b.bottom) < min(a.size, b.size) * 0.4 and abs(a.size - b.size) < 1.5


def join_fragments(lines: Sequence[Line]) -> list[Line]:
    """Pieces of one printed line the PDF library split at wide justified spaces, joined again.

    Two pieces on one baseline are one line when a line of the same size nearby spans the
    whole gap between them (a wide word space in a column's text); a gutter no line spans.
    """
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: (ln.bottom, ln.x0)):
        if rows and _same_row(rows[-1][0], line):
            rows[-1].append(line)
        else:
            rows.append([line])
    joined: list[Line] = []
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
        current = row[0]
        for piece in row[1:]:
            gap = piece.x0 - current.x1
            # Lines of the same size within three lines above or below: a title or a footnote set
            # across both columns does not make their gutter a word space.
            near = current.size * 4
            crossed = gap < current.size * 0.6 or any(
                o.x0 <= current.x1 + 1 and o.x1 >= piece.x0 - 1 for o in lines
                if o is not current and o is not piece and abs(o.top - current.top) < near
                and abs(o.size - current.size) < 0.6 and not _same_row(o, current))
            if crossed and gap < current.size * 10:
                current = Line(current.page, current.x0, min(current.top, piece.top), piece.x1,
                               max(current.bottom, piece.bottom), current.text.rstrip("\n") + " " + piece.text,
                               current.size, current.bold and piece.bold, current.italic and piece.italic, current.box,
                               current.tag, current.artifact and piece.artifact,
                               " ".join(m for m in (current.marks, piece.marks) if m))
            else:
                joined.append(current)
                current = piece
        joined.append(current)
    return joined


_DROP_CAP_TEXT = re.compile(r"^[\"“‘'(]?[^\W\d_]$")


def attach_drop_caps(lines: Sequence[Line]) -> tuple[Line, ...]:
    """A drop capital (one big letter beside a paragraph's first lines) put back on its word.

    The letter goes to the line that starts right of it at its top, which starts in lower
    case ("F" + "or thirty years" → "For thirty years"); it is no heading.
    """
    out = list(lines)
    dropped: set[int] = set()
    for i, cap in enumerate(lines):
        if not _DROP_CAP_TEXT.match(cap.text.strip()):
            continue
        beside = [(j, ln) for j, ln in enumerate(lines) if j != i and ln.size * 1.8 <= cap.size
                  and 0 <= ln.x0 - cap.x1 <= cap.size and abs(ln.top - cap.top) < cap.size * 0.6
                  and ln.text.strip()[:1].islower()]
        if beside:
            j, line = min(beside, key=lambda item: item[1].top)
            out[j] = Line(line.page, line.x0, line.top, line.x1, line.bottom,
                          cap.text.strip() + line.text.lstrip(), line.size, line.bold, line.italic, line.box,
                          line.tag, line.artifact, line.marks)
            dropped.add(i)
    return tuple(ln for i, ln in enumerate(out) if i not in dropped)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.casefold().split()))


def _zone(line: Line, page: Page) -> str:
    if line.bottom <= page.height * _MARGIN * 1.2:
        return "top"
    if line.top >= page.height * (1 - _MARGIN * 1.2):
        return "bottom"
    return ""


def find_furniture(pages: Sequence[Page], source: str) -> tuple[set[tuple[int, int]], list[NotRead]]:
    """Running heads, footers and page numbers: (page, index) of each such line, and one listing per kind.

    A line in the top or bottom margin is furniture when the same words (numbers aside) stand
    in that margin on several pages, or when it is only a page number. Repetition, not position
    alone, decides: a title at the top of page one is no running head.
    """
    seen: dict[tuple[str, str, int], list[tuple[int, int]]] = defaultdict(list)
    for page in pages:
        for i, line in enumerate(page.lines):
            zone = _zone(line, page)
            if zone:
                # Page numbers are one kind whatever the number: "ii", "iii", "1 / 21".
                key = "#page" if _PAGE_NUMBER.match(line.text.strip()) else _furniture_key(line.text)
                # The size too: page one's title over a running head of the same words is no running head.
                seen[(zone, key, round(line.size))].append((page.number, i))
    text_pages = sum(1 for p in pages if p.lines)
    needed = max(2, round(text_pages * 0.4)) if text_pages > 2 else 2
    found: set[tuple[int, int]] = set()
    listed: list[NotRead] = []
    by_page = {p.number: p for p in pages}
    for (zone, key, _size), where in seen.items():
        page_count = len({p for p, _ in where})
        first = by_page[where[0][0]].lines[where[0][1]]
        is_number = bool(_PAGE_NUMBER.match(first.text.strip()))
        # A tagged PDF marks its page furniture as artifacts: no repetition is needed then.
        marked = all(by_page[p].lines[i].artifact for p, i in where)
        if page_count >= needed or marked or (is_number and (text_pages > 1 or len(where) == 1)):
            found.update(where)
            reason = PAGE_NUMBER_REASON if is_number else RUNNING_REASON
            on = f" (on {page_count} pages)" if page_count > 1 else ""
            listed.append(NotRead(source, first.page, clean_spaces(expand_ligatures(first.text)), reason + on))
    return found, listed


_LEADER = re.compile(r"(?:\s?[.·…_]){4,}\s*(?:\d{1,4}|[ivxlc]{1,6})?\s*$", re.I)
_PAGE_REF = re.compile(r"^(?:\d{1,4}|[ivxlc]{1,6})$", re.I)
_CONTENTS_LABEL = re.compile(r"^(?:table of )?contents|inhalt(?:sverzeichnis)?|table des mati[èe]res|sommaire|"
                             r"[íi]ndice|indice|contenido|sumario|inhoud(?:sopgave)?$", re.I)
CONTENTS_REASON = "table of contents, not read"


def _page_ref(text: str) -> int | None:
    text = text.strip()
    if not _PAGE_REF.match(text):
        return None
    return int(text) if text.isdigit() else 0  # roman numbers number the front matter: before page 1


def find_contents(page: Page, skip: set[int]) -> set[int]:
    """A table of contents on the page: the lines of its entries (a title, dot leaders, a page number).

    At least three rows must end in a page number (set apart at the right, or after dot
    leaders), the numbers never going back; the "Contents" label over them goes with them.
    """
    rows: list[list[int]] = []
    for i in sorted((i for i in range(len(page.lines)) if i not in skip),
                    key=lambda i: (page.lines[i].bottom, page.lines[i].x0)):
        if rows and _same_row(page.lines[rows[-1][0]], page.lines[i]):
            rows[-1].append(i)
        else:
            rows.append([i])
    entries: list[tuple[list[int], int]] = []
    leaders = 0
    for row in rows:
        row.sort(key=lambda i: page.lines[i].x0)
        last = page.lines[row[-1]].text.strip()
        number = _page_ref(last) if len(row) >= 2 else None
        tail = re.search(r"(?:\s?[.·…_]){4,}\s*(\d{1,4}|[ivxlc]{1,6})\s*$", last, re.I)
        if tail:
            number = int(tail.group(1)) if tail.group(1).isdigit() else 0
        if number is not None:
            entries.append((row, number))
            leaders += 1 if tail or any(_LEADER.search(page.lines[i].text.strip()) for i in row) else 0
    numbers = [n for _, n in entries]
    if len(entries) < 3 or (leaders == 0 and len(entries) < 5) or numbers != sorted(numbers):
        return set()
    found = {i for row, _ in entries for i in row}
    first_top = min(page.lines[i].top for i in found)
    for i, line in enumerate(page.lines):
        if i not in skip and line.top <= first_top and _CONTENTS_LABEL.match(clean_spaces(line.text)):
            found.add(i)
    return found


@dataclass(frozen=True)
class _Box:
    lines: tuple[Line, ...]
    x0: float
    top: float
    x1: float
    bottom: float


def _box_of(lines: Sequence[Line]) -> _Box:
    return _Box(tuple(lines), min(ln.x0 for ln in lines), min(ln.top for ln in lines),
                max(ln.x1 for ln in lines), max(ln.bottom for ln in lines))


def _split(boxes: Sequence[_Box], vertical: bool, min_gap: float) -> list[list[_Box]]:
    """Groups of boxes separated by a clear gap across all of them (x gaps when vertical, else y gaps)."""
    if vertical:
        spans = sorted(boxes, key=lambda b: b.x0)
        lo, hi = (lambda b: b.x0), (lambda b: b.x1)
    else:
        spans = sorted(boxes, key=lambda b: b.top)
        lo, hi = (lambda b: b.top), (lambda b: b.bottom)
    groups: list[list[_Box]] = [[spans[0]]]
    edge = hi(spans[0])
    for box in spans[1:]:
        if lo(box) - edge >= min_gap:
            groups.append([box])
        else:
            groups[-1].append(box)
        edge = max(edge, hi(box))
    return groups


def _gutters(boxes: Sequence[_Box], min_gap: float) -> list[tuple[float, float]]:
    groups = _split(boxes, True, min_gap)
    return [(max(b.x1 for b in left), min(b.x0 for b in right)) for left, right in zip(groups, groups[1:])]


def _order(boxes: list[_Box], min_gap: float) -> list[_Box]:
    """Columns, then down the page: a recursive cut of the page at its gutters and its blank bands.

    Bands that share a gutter (the paragraphs of a two-column text, whose gaps may line up
    across the columns) are one band, so a column is read to its foot before the next.
    """
    if len(boxes) <= 1:
        return boxes
    columns = _split(boxes, True, min_gap)
    if len(columns) > 1:
        return [b for column in columns for b in _order(column, min_gap)]
    bands = _split(boxes, False, 0.01)
    if len(bands) == 1:
        return sorted(boxes, key=lambda b: (b.top, b.x0))
    merged: list[list[_Box]] = [bands[0]]
    gutters = [_gutters(bands[0], min_gap)]
    for band in bands[1:]:
        these = _gutters(band, min_gap)
        shared = [(max(a0, b0), min(a1, b1)) for a0, a1 in gutters[-1] for b0, b1 in these
                  if min(a1, b1) - max(a0, b0) >= min_gap]
        # A band that stays inside the columns (a column's last lines, or a heading at its
        # foot) belongs to them too.
        inside = bool(gutters[-1]) and not any(b.x0 < g1 and b.x1 > g0 for b in band for g0, g1 in gutters[-1])
        if shared or inside:
            merged[-1].extend(band)
            gutters[-1] = shared or gutters[-1]
        else:
            merged.append(band)
            gutters.append(these)
    if len(merged) == 1:
        return sorted(boxes, key=lambda b: (b.top, b.x0))  # cannot happen (a shared gutter splits); stay safe
    return [b for band in merged for b in _order(band, min_gap)]


def order_lines(page: Page, skip: set[int] = frozenset()) -> list[Line]:  # type: ignore[assignment]
    """The page's lines in reading order, furniture (`skip`, by index) left out."""
    by_box: dict[int, list[Line]] = defaultdict(list)
    for i, line in enumerate(page.lines):
        if i not in skip:
            by_box[line.box].append(line)
    if not by_box:
        return []
    sizes = [ln.size for ln in page.lines] or [10.0]
    boxes = [_box_of(sorted(ls, key=lambda ln: (ln.top, ln.x0))) for ls in by_box.values()]
    ordered = _order(boxes, max(4.0, statistics.median(sizes) * 0.6))
    return [ln for box in ordered for ln in box.lines]


@dataclass(frozen=True)
class Block:
    """A paragraph or heading candidate: consecutive lines of one style."""

    lines: tuple[Line, ...]
    text: str

    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def size(self) -> float:
        return Counter(round(ln.size * 2) / 2 for ln in self.lines).most_common(1)[0][0]

    @property
    def bold(self) -> bool:
        return all(ln.bold for ln in self.lines)

    @property
    def italic(self) -> bool:
        return all(ln.italic for ln in self.lines)

    @property
    def tag(self) -> str:
        return Counter(ln.tag for ln in self.lines).most_common(1)[0][0]


def _same_style(a: Line, b: Line) -> bool:
    return abs(a.size - b.size) < 0.6 and a.bold == b.bold and (a.tag == b.tag or not (_HEADING_TAG.match(a.tag)
                                                                                      or _HEADING_TAG.match(b.tag)))


_HEADING_TAG = re.compile(r"^H([1-6]?)$")
TAGS_EVIDENCE = "PDF tags ({tag})"


_SENTENCE_END = re.compile(r"[.!?:;…\"”’)\]]$")


def _starts_paragraph(prev: Line, line: Line, pitch: float) -> bool:
    if line.box != prev.box or line.page != prev.page or not _same_style(prev, line):
        return True
    gap = line.top - prev.bottom
    if gap > max(pitch * 0.8, line.size * 0.6):
        return True
    # A first-line indent.
    if line.x0 > prev.x0 + line.size * 0.8 and abs(line.x1 - prev.x1) < line.size * 3:
        return True
    # The last line of a paragraph stops short, and a sentence ends there.
    return bool(_SENTENCE_END.search(prev.text.strip())) and prev.x1 < line.x1 - line.size * 4


def _line_text(text: str) -> str:
    text = expand_ligatures(text).rstrip("\n")
    # Private-use glyphs (a font's own symbols) are no letters anyone can say.
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Co")
    # A soft or Unicode hyphen at a line's end is print hyphenation: join_lines decides on it.
    return re.sub(r"[\u00ad\u2010]\s*$", "-", text)


def _resumed(groups: Sequence[list[Line]], line: Line) -> int:
    """The paragraph a line on a new page or column goes on with, past the small print between
    (a footnote, a folio), or -1: a sentence left open in the same style, the line in lower case."""
    if not line.text.strip()[:1].islower():
        return -1
    for k in range(len(groups) - 1, -1, -1):
        last = groups[k][-1]
        if _same_style(last, line):
            opened = (last.page != line.page or last.box != line.box) and not _SENTENCE_END.search(last.text.strip())
            return k if opened and k < len(groups) - 1 else -1
        if groups[k][0].size >= line.size * 0.92:
            return -1  # text of another size but not small print lies between: a new paragraph
    return -1


def make_blocks(lines: Sequence[Line], repair: Repair) -> list[Block]:
    """Lines (in reading order) grouped into paragraphs and heading candidates.

    A paragraph that runs on across a column or page (no sentence end, the next one of the
    same style starting in lower case) is one paragraph, its hyphen rejoined like a line's.
    """
    if not lines:
        return []
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:])
            if a.box == b.box and a.page == b.page and b.top > a.bottom - 1]
    pitch = statistics.median(gaps) if gaps else 2.0
    groups: list[list[Line]] = [[lines[0]]]
    current = 0  # the group the next line may continue (not always the last: see below)
    for line in lines[1:]:
        prev = groups[current][-1]
        if _starts_paragraph(prev, line, max(pitch, 0.5) * 2.5):
            runs_on = (line.box != prev.box or line.page != prev.page) and _same_style(prev, line) \
                and not _SENTENCE_END.search(prev.text.strip()) and line.text.strip()[:1].islower()
            if not runs_on:
                current = _resumed(groups, line)
                if current < 0:
                    groups.append([line])
                    current = len(groups) - 1
                    continue
        groups[current].append(line)
    return [Block(tuple(g), join_lines([_line_text(ln.text) for ln in g], repair)) for g in groups
            if any(ln.text.strip() for ln in g)]


def body_size(blocks: Sequence[Block]) -> float:
    """The size most of the text is set in (weighted by characters)."""
    weights: Counter[float] = Counter()
    for block in blocks:
        for line in block.lines:
            weights[round(line.size * 2) / 2] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 10.0


_NUMBERED = re.compile(r"^(?:(?:chapter|part|section|appendix)\s+)?(?:\d+(?:\.\d+)*|[A-Z]|[IVXLC]+)(?:\.|\s|:)\s*\S", re.I)
_BYLINE = re.compile(r"^(?:by|words by|text by|written by|von|par|por|di)\s+(\S.{1,80})$", re.I)
_LABEL = re.compile(r"^(?:chapter|part|appendix|book|kapitel|teil|anhang|chapitre|partie|annexe|cap[íi]tulo|"
                    r"parte|ap[ée]ndice|capitolo|appendice)\s+[\w.]{1,8}$", re.I)
_CAPTION = re.compile(r"^(?:fig(?:ure)?|table|plate|photo(?:graph)?|image|illustration|chart|map|exhibit)\.?\s*"
                      r"[\dIVX]+[a-z]?\s*[.:—–-]", re.I)


def _heading_style(block: Block, body: float, body_bold: bool) -> str:
    """Why a block looks like a heading ("" when it does not)."""
    text = block.text.strip()
    words = len(text.split())
    if not text or words > 20 or len(text) > 160 or len(block.lines) > 3:
        return ""
    if text.endswith((",", ";")) or (text.endswith(".") and words > 12):
        return ""
    if not re.search(r"[^\W\d_]", text):
        return ""
    style = f"font {block.size:g}pt{' bold' if block.bold else ''}, body {body:g}pt"
    if block.size >= body * 1.12:
        return style
    if block.bold and not body_bold and block.size >= body * 0.95 and not text.endswith("."):
        return style + (", numbered" if _NUMBERED.match(text) else "")
    return ""


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", expand_ligatures(text).casefold())


_NUMBER_PREFIX = re.compile(r"^(?:(?:chapter|part|appendix|section|kapitel|chapitre|anhang|annexe)\s+)?"
                            r"(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)*|[IVXLC]+)[.:)]?\s+(?=\S)", re.I)


def _keys(text: str) -> tuple[str, str]:
    """A heading's key with and without its number ("1.1 In the Beginning" and "In the Beginning")."""
    return _key(text), _key(_NUMBER_PREFIX.sub("", text.strip(), count=1))


def _block_of(lines: Sequence[Line], repair: Repair) -> Block:
    return Block(tuple(lines), join_lines([_line_text(ln.text) for ln in lines], repair))


def fit_outline(blocks: Sequence[Block], outline: Sequence[OutlineEntry], repair: Repair) -> list[Block]:
    """Blocks cut or joined where the outline's titles say so (pure).

    Layout analysis splits a title wrapped onto a second line or column ("8 CCS Concepts and
    User-Defined" / "Keywords") and runs two headings set one under the other together
    ("A Research Methods" / "A.1 Part One"); the outline names each whole, so each is one heading.
    Only whole titles count: both parts of a cut, and a join, must be an outline title exactly.
    """
    titles = {k for e in outline for k in _keys(e.title) if k}
    if not titles:
        return list(blocks)
    starts = {t[:n] for t in titles for n in range(4, len(t))}  # proper beginnings of titles

    def named(block: Block) -> bool:
        return any(k in titles for k in _keys(block.text))

    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if 1 < len(block.lines) <= 4 and not named(block):
            for cut in range(1, len(block.lines)):
                head, rest = _block_of(block.lines[:cut], repair), _block_of(block.lines[cut:], repair)
                if named(head) and named(rest):
                    out.append(head)
                    block = rest
                    break
        if i + 1 < len(blocks) and len(block.lines) <= 3 and _key(block.text) in starts and not named(block):
            joined = _block_of(block.lines + blocks[i + 1].lines, repair)
            if len(blocks[i + 1].lines) <= 3 and named(joined):
                out.append(joined)
                i += 2
                continue
        out.append(block)
        i += 1
    return out


@dataclass(frozen=True)
class Heading:
    index: int  # into the blocks
    level: int
    evidence: str


def find_headings(blocks: Sequence[Block], outline: Sequence[OutlineEntry], body: float) -> list[Heading]:
    """Headings: the PDF's outline where it names the blocks, else typography (size, weight, numbering)."""
    tagged = {i: m for i, b in enumerate(blocks) if (m := _HEADING_TAG.match(b.tag)) and b.text.strip()}
    if tagged:
        # A tagged PDF says which text is a heading and its level (H1-H6; a bare H nests by size).
        depth = {i: int(m.group(1)) if m.group(1) else 1 for i, m in tagged.items()}
        top = min(depth.values())
        return [Heading(i, depth[i] - top + 1, TAGS_EVIDENCE.format(tag=blocks[i].tag)) for i in sorted(tagged)]
    body_bold = sum(len(b.text) for b in blocks if b.bold) > sum(len(b.text) for b in blocks) / 2
    styled = {i: why for i, b in enumerate(blocks) if (why := _heading_style(b, body, body_bold))}
    from_outline: dict[int, int] = {}
    start = 0
    for entry in outline:
        want = _key(entry.title)
        if not want:
            continue
        for i in range(start, len(blocks)):
            if entry.page is not None and blocks[i].page < entry.page:
                continue
            got, bare = _keys(blocks[i].text)
            if got and (want in (got, bare) or _key(_NUMBER_PREFIX.sub("", entry.title, count=1)) in (got, bare)
                        or (len(got) > 3 and want.startswith(got) and len(blocks[i].lines) <= 3)
                        or (got.startswith(want) and i in styled)):
                from_outline[i] = entry.level
                start = i + 1
                break
    headings: list[Heading] = []
    if outline and len(from_outline) >= max(1, len([e for e in outline if _key(e.title)]) // 2):
        # The outline decides; a block set like the headings it names is one too (outlines often
        # stop a level short of the page).
        styles = {(blocks[i].size, blocks[i].bold): level for i, level in from_outline.items()}
        # The document's title, printed larger than any heading the outline names, heads them all.
        biggest = max(blocks[i].size for i in from_outline)
        title = next((i for i in sorted(styled) if blocks[i].page == 1 and blocks[i].size > biggest
                      and i not in from_outline), None)
        for i in range(len(blocks)):
            if i == title:
                headings.append(Heading(i, 0, styled[i] + ", the title above the outline's headings"))
            elif i in from_outline:
                headings.append(Heading(i, from_outline[i], OUTLINE_EVIDENCE))
            elif i in styled and (blocks[i].size, blocks[i].bold) in styles:
                headings.append(Heading(i, styles[(blocks[i].size, blocks[i].bold)],
                                        styled[i] + ", set as the outline's headings"))
        return headings
    ranks = sorted({(blocks[i].size, blocks[i].bold) for i in styled}, key=lambda s: (-s[0], not s[1]))
    level = {style: n + 1 for n, style in enumerate(ranks)}
    return [Heading(i, level[(blocks[i].size, blocks[i].bold)], why) for i, why in sorted(styled.items())]


def _below_body(block: Block, body_bottom: dict[int, float]) -> bool:
    return block.lines[0].top >= body_bottom.get(block.page, 1e9) - 0.5


def set_aside(blocks: Sequence[Block], body: float, pages: Sequence[Page], source: str,
              headings: set[int]) -> tuple[set[int], list[NotRead]]:
    """Footnotes, captions and pull quotes: listed, not read, so none is spoken mid-sentence.

    A footnote is small print below the page's last line of body text; a caption is small
    or italic print naming a figure or table, or small print against an image; a pull quote
    is large print repeating words of the text.
    """
    body_bottom: dict[int, float] = {}
    for block in blocks:
        if abs(block.size - body) < 0.6:
            for line in block.lines:
                body_bottom[line.page] = max(body_bottom.get(line.page, 0.0), line.bottom)
    figures = {p.number: p.figures for p in pages}
    all_text = " " + " ".join(_key(w) for b in blocks if abs(b.size - body) < 0.6 for w in b.text.split()) + " "
    page_marks: dict[int, set[str]] = defaultdict(set)
    for block in blocks:
        for line in block.lines:
            page_marks[line.page].update(line.marks.split())
    skipped: set[int] = set()
    listed: list[NotRead] = []
    for i, block in enumerate(blocks):
        if i in headings:
            continue
        small = block.size <= body * 0.92
        reason = ""
        if block.tag == "Caption":
            reason = CAPTION_REASON
        elif block.tag in ("Note", "FENote"):
            reason = FOOTNOTE_REASON
        elif (small or block.italic) and _CAPTION.match(block.text):
            reason = CAPTION_REASON
        elif small and _below_body(block, body_bottom) and _is_note(
                block, page_marks.get(block.page, set()) | page_marks.get(block.page - 1, set()),
                pages[block.page - 1].height):
            reason = FOOTNOTE_REASON
        elif small and any(_near_figure(block, f) for f in figures.get(block.page, ())):
            reason = CAPTION_REASON
        elif block.size >= body * 1.12 and len(block.text.split()) >= 6:
            words = " ".join(_key(w) for w in block.text.split())
            if f" {words} " in all_text:
                reason = PULL_QUOTE_REASON
        if reason:
            skipped.add(i)
            listed.append(NotRead(source, block.page, block.text, reason))
    return skipped, listed


def _is_note(block: Block, marks: set[str], height: float) -> bool:
    """Small print under the text is a footnote when it starts with a mark raised in the text of its
    page or the page before (a note may run over), or with *, †; or when it sits in the page's
    last quarter as prose (not a code listing set small)."""
    text = block.text.strip()
    lead = re.match(r"^\[?(\d{1,3}|[*†‡§¶]+)", text)
    if lead and (lead.group(1) in marks or not lead.group(1).isdigit()):
        return True
    words = text.split()
    prose = sum(1 for w in words if re.fullmatch(r"[^\W\d_]+[.,;:!?)]*", w)) >= len(words) * 0.6
    return prose and len(words) >= 4 and block.lines[0].top > height * 0.75


def _near_figure(block: Block, figure: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = figure
    first, last = block.lines[0], block.lines[-1]
    overlaps = min(x1, max(ln.x1 for ln in block.lines)) - max(x0, min(ln.x0 for ln in block.lines)) > 0
    return overlaps and (0 <= first.top - bottom <= 24 or 0 <= top - last.bottom <= 24)


# --- Metadata -----------------------------------------------------------------------------------

_JUNK_TITLE = re.compile(
    r"^(?:microsoft (?:word|powerpoint|excel) - .*|untitled(?:\s*\d*)?|document\s*\d*|new document|"
    r"slide \d+|title|none|unknown|.*\.(?:docx?|pdf|odt|rtf|tex|dvi|indd|qxp|qxd|pages|pptx?|xlsx?|html?|ps|txt))$",
    re.I)
_JUNK_AUTHOR = re.compile(r"^(?:administrator|admin|user|owner|author|unknown|root|windows user|"
                          r"microsoft office user|hp|dell|lenovo|pc|default)$", re.I)


def real_title(value: str | None) -> str | None:
    """A title from the PDF's metadata, unless it is what a tool wrote ("Microsoft Word - draft3.docx")."""
    if not value:
        return None
    value = clean_spaces(value)
    if len(value) < 2 or _JUNK_TITLE.match(value) or re.fullmatch(r"[\w.-]+_[\w.-]+|[\d\s_.-]+", value):
        return None
    return value


def real_authors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    names = [n for n in split_names(clean_spaces(value).replace(";", ",")) if not _JUNK_AUTHOR.match(n)]
    return tuple(names)


def pdf_date(value: str | None) -> dt.date | None:
    """A PDF date string ("D:20240131120000+01'00'") or an ISO one (XMP), None when it is not one."""
    if not value:
        return None
    m = re.match(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?", value.strip())
    if m and not re.match(r"^\d{4}-", value.strip()):
        try:
            date = dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
        except ValueError:
            return None
        return date if date.year >= 1980 else None
    return parse_iso_date(value)


# --- Assembling articles ------------------------------------------------------------------------


@dataclass
class _Draft:
    title: str
    title_evidence: str
    page: int
    authors: list[str] = field(default_factory=list)
    # (title, page, announce, paragraphs, evidence)
    sections: list[tuple[str, int, bool, list[Paragraph], str]] = field(default_factory=list)
    last_page: int = 0


def assemble(blocks: Sequence[Block], headings: Sequence[Heading], skipped: set[int], meta: PdfMeta,
             source: str) -> tuple[list[_Draft], list[NotRead]]:
    """Articles: the first top-level heading is the title; a new title at that level with a byline under it starts a new article."""
    listed: list[NotRead] = []
    by_index = {h.index: h for h in headings}
    top = min((h.level for h in headings), default=0)
    title_at = next((h.index for h in headings if h.level == top and blocks[h.index].page <= 2), None)

    def byline_after(i: int) -> str | None:
        for j in range(i + 1, min(i + 3, len(blocks))):
            if j in by_index:
                return None
            m = _BYLINE.match(blocks[j].text.strip())
            if m and len(blocks[j].text.split()) <= 12:
                return m.group(1)
        return None

    if title_at is not None:
        first = blocks[title_at]
        title, evidence = first.text, f"the largest heading on page {first.page} ({by_index[title_at].evidence})"
    elif meta.title:
        title, evidence = meta.title, "the PDF's metadata (document title)"
    else:
        title, evidence = PurePath(source).stem, "the file name (no title printed or declared)"
    drafts = [_Draft(title, evidence, blocks[0].page if blocks else 1)]
    labels = {i for i, b in enumerate(blocks[:-1]) if i not in skipped and i + 1 in by_index
              and _LABEL.match(b.text.strip()) and i != title_at}
    if title_at is not None and title_at - 1 in labels:
        drafts[0].title = join_titles(blocks[title_at - 1].text, drafts[0].title)
    open_title: tuple[str, int, str] | None = None  # a heading waiting for its text
    paragraphs: list[Paragraph] = []

    def close_section() -> None:
        nonlocal paragraphs, open_title
        draft = drafts[-1]
        if open_title is not None:
            draft.sections.append((open_title[0], open_title[1], True, paragraphs, open_title[2]))
        elif paragraphs:
            draft.sections.append((draft.title, paragraphs[0].line, False, paragraphs, ""))
        paragraphs, open_title = [], None

    for i, block in enumerate(blocks):
        if i in skipped:
            continue
        drafts[-1].last_page = block.page
        if i == title_at:
            continue
        heading = by_index.get(i)
        if i - 1 in labels:
            # "Chapter 1" set over "Introduction": one heading, said once.
            text = join_titles(blocks[i - 1].text, block.text)
            block = Block(block.lines, text)
        if i in labels:
            continue
        if heading is not None and heading.level == top and byline_after(i) is not None:
            close_section()
            drafts.append(_Draft(block.text, f"a new title at the article size ({heading.evidence}) over a byline",
                                 block.page))
            continue
        if heading is not None:
            close_section()
            open_title = (block.text, block.page, heading.evidence)
            continue
        byline = _BYLINE.match(block.text.strip())
        if byline and len(block.text.split()) <= 12 and not paragraphs and open_title is None:
            drafts[-1].authors.extend(split_names(byline.group(1)))
            listed.append(NotRead(source, block.page, block.text, CREDIT_REASON))
            continue
        paragraphs.append(make_paragraph(block.text, block.page))
    close_section()
    return drafts, listed


def build_articles(doc: Extracted, source: str, repair: Repair) -> tuple[list[Article], list[NotRead]]:
    """Articles and the listing of what is not read, from the extracted pages (pure)."""
    if not any(p.lines for p in doc.pages):
        raise InputError(f"{source}: {OCR_MESSAGE}")
    doc = Extracted(tuple(Page(p.number, p.width, p.height, attach_drop_caps(p.lines), p.figures, p.has_text)
                          for p in doc.pages), doc.outline, doc.meta)
    not_read: list[NotRead] = [NotRead(source, p.number, f"page {p.number}", NO_TEXT_PAGE_REASON)
                               for p in doc.pages if not p.has_text]
    furniture, listed = find_furniture(doc.pages, source)
    not_read.extend(listed)
    lines: list[Line] = []
    for page in doc.pages:
        skip = {i for n, i in furniture if n == page.number}
        contents = find_contents(page, skip)
        if contents:
            entries = sorted(contents, key=lambda i: (page.lines[i].top, page.lines[i].x0))
            not_read.append(NotRead(source, page.number, clean_spaces(expand_ligatures(page.lines[entries[0]].text)),
                                    f"{CONTENTS_REASON} ({len(contents)} lines)"))
        lines.extend(order_lines(page, skip | contents))
    blocks = fit_outline(make_blocks(lines, repair), doc.outline, repair)
    if not blocks:
        raise InputError(f"{source}: holds no text to read (only page furniture)")
    body = body_size(blocks)
    headings = find_headings(blocks, doc.outline, body)
    skipped, aside = set_aside(blocks, body, doc.pages, source, {h.index for h in headings})
    not_read.extend(aside)
    drafts, credits = assemble(blocks, headings, skipped, doc.meta, source)
    not_read.extend(credits)
    language = doc.meta.language or guess_language(
        " ".join(p.text for d in drafts for s in d.sections for p in s[3][:40])) or "en"
    articles: list[Article] = []
    for draft in drafts:
        if not draft.sections:
            not_read.append(NotRead(source, draft.page, draft.title, "article title with no text under it"))
            continue
        articles.append(Article(
            title=draft.title,
            sections=tuple(Section(t, tuple(ps), page, announce, evidence)
                           for t, page, announce, ps, evidence in draft.sections),
            source=source,
            line_start=draft.page,
            line_end=max(draft.last_page, draft.page),
            authors=tuple(draft.authors) or doc.meta.authors,
            issue_date=doc.meta.date,
            language=language,
            title_evidence=draft.title_evidence,
        ))
    not_read.sort(key=lambda n: n.line)
    return articles, not_read


# --- The PDF library, at the edge ---------------------------------------------------------------


def _fontname(name: object) -> str:
    text = name.decode("latin-1") if isinstance(name, bytes) else str(name)
    return text.split("+", 1)[-1].casefold()


_BOLD = re.compile(r"bold|black|heavy|semibold|demi|[-,]bd\b|\.b$")
_ITALIC = re.compile(r"italic|oblique|[-,]it\b|slanted")


_MARK_CHAR = re.compile(r"^[\d*†‡§¶,]$")


def _name(value: object) -> str:
    from pdfminer.psparser import PSLiteral

    if isinstance(value, PSLiteral):
        return str(value.name)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value if isinstance(value, str) else ""


_TRANSPARENT = frozenset({"NonStruct", "Span", "Private", "Link", "Annot", "Reference", "Quote", "Code", "Em",
                          "Strong", "Sub"})


def struct_types(catalog: dict[str, object]) -> dict[tuple[object, int], str]:
    """(page object id, MCID) → standard structure type ("H2", "P", "Caption"), from a tagged PDF's tree.

    {} when the PDF is not tagged or its tree is broken: the layout decides then.
    """
    from pdfminer.pdftypes import PDFObjRef, resolve1

    found: dict[tuple[object, int], str] = {}
    try:
        root = resolve1(catalog.get("StructTreeRoot"))
        if not isinstance(root, dict):
            return found
        roles = resolve1(root.get("RoleMap"))
        roles = {k: _name(resolve1(v)) for k, v in roles.items()} if isinstance(roles, dict) else {}
        visited = 0
        stack: list[tuple[object, object, str, int]] = [(root.get("K"), None, "", 0)]
        while stack:
            node, page, kind, depth = stack.pop()
            visited += 1
            if visited > 500_000 or depth > 200:
                break
            if isinstance(node, PDFObjRef):
                node = resolve1(node)
            if isinstance(node, list):
                stack.extend((kid, page, kind, depth + 1) for kid in reversed(node))
            elif isinstance(node, int):
                if page is not None and kind:
                    found[(page, node)] = kind
            elif isinstance(node, dict):
                here = node.get("Pg")
                page = here.objid if isinstance(here, PDFObjRef) else page
                if _name(node.get("Type")) == "MCR":
                    mcid = resolve1(node.get("MCID"))
                    if isinstance(mcid, int) and page is not None and kind:
                        found[(page, mcid)] = kind
                    continue
                if "S" in node:
                    inner = _name(resolve1(node.get("S")))
                    for _ in range(5):  # a role map may chain
                        inner = roles.get(inner, inner)
                    # Grouping types say nothing of their text: a heading's NonStruct or Span is the heading.
                    if not (kind and inner in _TRANSPARENT):
                        kind = inner
                stack.append((node.get("K"), page, kind, depth + 1))
    except Exception:  # noqa: BLE001 - a broken structure tree: the layout decides
        return {}
    return found


def _tagging_aggregator(manager: object, laparams: object) -> object:
    """pdfminer's page aggregator, each character marked with its marked-content id and artifact state."""
    from pdfminer.converter import PDFPageAggregator

    class Tagging(PDFPageAggregator):
        marks: list[tuple[str, int | None]] = []

        def begin_tag(self, tag: object, props: object = None) -> None:
            mcid = props.get("MCID") if isinstance(props, dict) else None
            self.marks = [*self.marks, (_name(tag), mcid if isinstance(mcid, int) else None)]

        def end_tag(self) -> None:
            self.marks = self.marks[:-1]

        def render_char(self, *args: object, **kwargs: object) -> float:
            advance: float = super().render_char(*args, **kwargs)  # type: ignore[arg-type]
            item = self.cur_item._objs[-1]
            item.mcid = next((m for _, m in reversed(self.marks) if m is not None), None)  # type: ignore[attr-defined]
            item.artifact = any(name == "Artifact" for name, _ in self.marks)  # type: ignore[attr-defined]
            return advance

    return Tagging(manager, laparams=laparams)  # type: ignore[arg-type]


def _lines_of(layout: object, number: int, height: float, types: dict[tuple[object, int], str] | None = None,
              page_id: object = None) -> Iterator[Line]:
    from pdfminer.layout import LTChar, LTFigure, LTTextBox, LTTextLineHorizontal

    def boxes(container: object, area: float) -> Iterator[LTTextBox]:
        for item in container:  # type: ignore[attr-defined]
            if isinstance(item, LTTextBox):
                yield item
            elif isinstance(item, LTFigure) and item.width * item.height >= area * 0.25:
                # A page drawn as one form (an imposed or overlaid page, text over a scan) holds the
                # text itself; a small figure's labels belong to its picture.
                yield from boxes(item, area)

    page_area = float(getattr(layout, "width", 0)) * float(getattr(layout, "height", 0))
    for box_index, box in enumerate(boxes(layout, page_area)):
        for line in box:
            if not isinstance(line, LTTextLineHorizontal):
                continue
            chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
            if not chars:
                continue
            sizes = Counter(round(c.size, 1) for c in chars)
            size = sizes.most_common(1)[0][0]
            # A footnote mark ("go.¹" set as a small raised digit) is no word to say; the note
            # itself is listed where it stands.
            raised = [isinstance(item, LTChar) and item.size < size * 0.9 and item.y0 > line.y0 + size * 0.25
                      and bool(_MARK_CHAR.match(item.get_text())) for item in line]
            text = "".join(item.get_text() for item, up in zip(line, raised) if not up)
            marks = " ".join("".join(item.get_text() if up else " " for item, up in zip(line, raised)).split())
            if not text.strip():
                continue
            fonts = [_fontname(c.fontname) for c in chars]
            bold = sum(1 for f in fonts if _BOLD.search(f)) > len(fonts) / 2
            italic = sum(1 for f in fonts if _ITALIC.search(f)) > len(fonts) / 2
            tag = ""
            if types:
                kinds = Counter(types.get((page_id, getattr(c, "mcid", -1)), "") for c in chars)
                tag = kinds.most_common(1)[0][0]
            artifact = sum(1 for c in chars if getattr(c, "artifact", False)) > len(chars) / 2
            yield Line(number, line.x0, height - line.y1, line.x1, height - line.y0, text, size, bold, italic,
                       box_index, tag, artifact, marks)


def _figures(layout: object, height: float) -> tuple[tuple[float, float, float, float], ...]:
    from pdfminer.layout import LTFigure, LTImage

    found = []
    for item in layout:  # type: ignore[attr-defined]
        if isinstance(item, (LTFigure, LTImage)) and item.width > 20 and item.height > 20:
            found.append((item.x0, height - item.y1, item.x1, height - item.y0))
    return tuple(found)


def _text_value(value: object) -> str | None:
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral

    value = resolve1(value)
    if isinstance(value, bytes):
        if value.startswith((b"\xfe\xff", b"\xff\xfe")):
            return value.decode("utf-16", "replace").strip("\x00").strip() or None
        try:
            from pdfminer.utils import decode_text

            return decode_text(value).strip() or None
        except Exception:  # noqa: BLE001 - a metadata string that will not decode is no title
            return None
    if isinstance(value, PSLiteral):
        return str(value.name)
    if isinstance(value, str):
        return value.strip() or None
    return None


_XMP_NS = {"dc": "http://purl.org/dc/elements/1.1/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
           "xmp": "http://ns.adobe.com/xap/1.0/"}


def _xmp(data: bytes) -> dict[str, str]:
    """dc:title, dc:creator, dc:language and dates from an XMP packet (safely parsed; {} when it is bad)."""
    import defusedxml.ElementTree as DET

    found: dict[str, str] = {}
    try:
        root = DET.fromstring(data.strip().strip(b"\x00"))
    except Exception:  # noqa: BLE001 - broken or hostile XMP: the Info dictionary still stands
        return found
    dc, xmp = "{%s}" % _XMP_NS["dc"], "{%s}" % _XMP_NS["xmp"]
    li = "{%s}li" % _XMP_NS["rdf"]
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        name = {dc + "title": "title", dc + "creator": "author", dc + "language": "language",
                dc + "date": "date", xmp + "CreateDate": "date"}.get(tag)
        if not name or name in found:
            continue
        items = [" ".join((x.text or "").split()) for x in element.iter(li)]
        value = ", ".join(i for i in items if i) if name == "author" else next((i for i in items if i), None)
        value = value or " ".join((element.text or "").split())
        if value:
            found[name] = value
    for element in root.iter():  # attributes form: <rdf:Description xmp:CreateDate="...">
        if isinstance(element.tag, str):
            date = element.attrib.get(xmp + "CreateDate")
            if date and "date" not in found:
                found["date"] = date
    return found


def _meta(document: object, catalog: dict[str, object]) -> PdfMeta:
    from pdfminer.pdftypes import PDFStream, resolve1

    info: dict[str, object] = {}
    for entry in getattr(document, "info", []) or []:
        if isinstance(entry, dict):
            info.update(entry)
    xmp: dict[str, str] = {}
    stream = resolve1(catalog.get("Metadata"))
    if isinstance(stream, PDFStream):
        try:
            xmp = _xmp(stream.get_data()[:2**20])
        except Exception:  # noqa: BLE001 - an undecodable metadata stream is no metadata
            xmp = {}
    title = real_title(xmp.get("title")) or real_title(_text_value(info.get("Title")))
    authors = real_authors(xmp.get("author")) or real_authors(_text_value(info.get("Author")))
    date = pdf_date(xmp.get("date")) or pdf_date(_text_value(info.get("CreationDate")))
    language = language_code(_text_value(catalog.get("Lang"))) or language_code(xmp.get("language"))
    if language == "x":
        language = None
    return PdfMeta(title, authors, date, language)


def _outline(document: object, pages: dict[object, int]) -> tuple[OutlineEntry, ...]:
    from pdfminer.pdftypes import resolve1

    entries: list[OutlineEntry] = []
    try:
        for level, title, dest, action, _se in document.get_outlines():  # type: ignore[attr-defined]
            page = None
            target = dest
            if target is None and isinstance(resolve1(action), dict):
                target = resolve1(action).get("D")
            if isinstance(target, (bytes, str)):
                try:
                    target = resolve1(document.get_dest(target))  # type: ignore[attr-defined]
                except Exception:  # noqa: BLE001 - a named destination that is missing: no page
                    target = None
            target = resolve1(target)
            if isinstance(target, dict):
                target = resolve1(target.get("D"))
            if isinstance(target, list) and target:
                ref = target[0]
                page = pages.get(getattr(ref, "objid", None))
            text = _text_value(title) if not isinstance(title, str) else title
            if text:
                entries.append(OutlineEntry(int(level), clean_spaces(expand_ligatures(text)), page))
            if len(entries) > 20000:
                break
    except Exception:  # noqa: BLE001 - no outline, or a broken one: typography decides
        return tuple(entries)
    return tuple(entries)


def extract(raw: bytes, source: str) -> Extracted:
    """Lines, outline and metadata of a PDF (pdfminer.six); a bad file is one InputError."""
    import io

    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(raw)))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(f"{source}: is an encrypted PDF that needs a password; it cannot be read") from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a malformed file
        raise InputError(f"{source}: not a readable PDF ({type(exc).__name__}: {str(exc)[:80]})") from None
    try:
        catalog = document.catalog if isinstance(document.catalog, dict) else {}
        manager = PDFResourceManager(caching=True)
        types = struct_types(catalog)
        laparams = LAParams(line_margin=0.5, char_margin=2.0, boxes_flow=None, all_texts=True)
        device: PDFPageAggregator = _tagging_aggregator(manager, laparams) if types \
            else PDFPageAggregator(manager, laparams=laparams)  # type: ignore[assignment]
        interpreter = PDFPageInterpreter(manager, device)
        pages: list[Page] = []
        ids: dict[object, int] = {}
        for number, pdf_page in enumerate(PDFPage.create_pages(document), 1):
            if number > MAX_PAGES:
                raise InputError(f"{source}: has more than {MAX_PAGES} pages; refused")
            ids[pdf_page.pageid] = number
            interpreter.process_page(pdf_page)
            layout = device.get_result()
            height = float(layout.height)
            lines = tuple(join_fragments(list(_lines_of(layout, number, height, types, pdf_page.pageid))))
            pages.append(Page(number, float(layout.width), height, lines, _figures(layout, height),
                              has_text=bool(lines)))
        if not pages:
            raise InputError(f"{source}: is a PDF with no pages")
        return Extracted(tuple(pages), _outline(document, ids), _meta(document, catalog))
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a truncated or damaged file fails anywhere inside
        raise InputError(f"{source}: not a readable PDF ({type(exc).__name__}: {str(exc)[:80]})") from None


def read_pdf(raw: bytes, source: str, rules: Rules) -> tuple[list[Article], list[NotRead]]:
    """Articles in a PDF, and what is not read (running heads, page numbers, footnotes, captions)."""
    doc = extract(raw, source)
    articles, not_read = build_articles(doc, source, rules.repair)
    if not articles:
        raise InputError(f"{source}: no text to read was found in the PDF")
    return articles, not_read


