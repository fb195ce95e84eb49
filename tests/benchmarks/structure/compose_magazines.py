"""Compose the `magazine` family of the structure benchmark (issue 11): multi-article plain-text
issue dumps built from REAL short documents whose structure is known from their markup.

We have no packaged magazine issues, so each entry is an "issue" made of 3-35 real pieces:
sections of the Debian FAQ, Debian Reference, Developer's Reference, New Maintainers' Guide,
Installation Guide, Debian Handbook, Debian history, Python's HOWTOs, tutorial and "What's New"
pages, and PyPI project READMEs (Markdown/reST) - many authors and subjects, in English, French
and German. Every piece comes from the packages `build_corpus.py` already fetched (same cache).

For each source page: the chrome is removed (`build_corpus.strip_chrome`), the main content is
flattened to headings, paragraphs, lists and quotations (code, tables, figures, admonitions
dropped: a magazine piece is title, subheadings and prose), and cut into pieces at the highest
heading level whose sections are short (60-900 words of prose, opening with a paragraph). A
piece becomes a small HTML page (`<h1>` title, its subheadings re-levelled to h2/h3) which gives
the gold (`build_corpus.label_html`), and its body is rendered to plain text by the issue's
renderer, the way real dumps are made: `w3m -dump`, `lynx -dump -nolist`, `pandoc -t plain`,
`html2text`, one paragraph per line (`pandoc -t plain --wrap=none`), or a Gutenberg-style hard
wrap at 70 columns (CRLF).

An issue then joins the pieces with the layout real magazine/newsletter/Gutenberg-periodical
dumps use, chosen per entry from an RNG seeded by the entry id: a separator (`* * * * *`, the
Gutenberg `*       *       *       *       *`, `-----`, `______`, `═══`, `~~~`, `+++`, a 72-dash
rule, or just a gap of 3+ blank lines), a title style (ALL CAPS, ALL CAPS ending with a period
as in `THE AVENGERS.`, Title Case, underlined with === or ---), optional bylines (`By Jane Doe`,
`BY JANE DOE`; invented names, the pieces' real authors are in `sources`), an optional
standfirst (the piece's own first sentence, moved above the body), an optional issue header
(publication name + number and date) and an optional contents list before the first piece.

Gold (same format as build_corpus.py, plus `articles` and `sources`):
- `headings`: each piece's title at level 1, its subheadings at 2 (and 3; deeper optional);
- `articles`: [{"title"}] in order, so the number of articles can be scored;
- `sections`: first words under each heading, from the markup;
- `not_read`: the contents list (adjacent lines joined, so a line is not mistaken for prose
  that merely repeats a title) and the issue header's number/date line; separator lines are not
  words and are left out;
- `split`: by the *first* piece's source document id (`build_corpus.split_of`, the same rule as
  the rest of the corpus); the other pieces are drawn only from documents of that split, so dev
  and test issues share no source document. `source_id` is that first document's id.

Called by `build_corpus.py` at the end of its build (`build(cache)`); standalone:
    python3 tests/benchmarks/structure/compose_magazines.py [--cache DIR] [--force]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import build_corpus as bc  # noqa: E402  (same folder; run with the system Python like build_corpus)

N_ISSUES = {"en": 30, "fr": 10, "de": 10}
MIN_WORDS, MAX_WORDS = 60, 900
MAX_WORDS_README = 2000  # a project README is one piece under its name when it is not much longer
MAX_ISSUE_BYTES = 250_000
ENTRY_PREFIX = "issue-"
LANGUAGES = ("en", "fr", "de")

# Extra pages not listed in sources.toml (Python's "What's New" documents: news-like pieces).
EXTRA_SOURCES = [
    {"id": "python-whatsnew", "kind": "deb", "package": "python3.11-doc",
     "paths": ["usr/share/doc/python3.11/html/whatsnew/*.html"], "exclude": ["*/index.html", "*/changelog.html"],
     "licence": "PSF-2.0 (Python documentation)", "language": "en", "format": "html"},
]


# --------------------------------------------------------------------------- pieces


@dataclass
class Piece:
    uid: str  # source document id + '#' + index of the piece in it
    doc_id: str  # the source document's id (as in build_corpus: split is by this)
    source: str
    licence: str
    language: str
    title: str
    blocks: list[tuple[str, int, object]]  # (kind, level, element or text); kind: h | p | list | quote
    words: int = 0
    split: str = field(default="")


_NUM_PREFIX = re.compile(
    r"^\s*(?:(?:Chapter|Chapitre|Kapitel|Appendix|Annexe|Anhang|Anexo)\s+[0-9A-Z]+\.?\s*[:.—-]?\s+"
    r"|[A-Z]?\d+(?:\.\d+)*\.?\s+|[A-Z]\.(?:\d+\.?)*\s+)")
_WORD = re.compile(r"[^\W_]+")
_SISU_NUMBER = re.compile(r"^(\d+(?:\.\d+)+)\s")
DROP = {"pre", "table", "figure", "img", "script", "style", "form", "svg", "math", "object", "iframe", "hr"}


def strip_number(text: str) -> str:
    out = _NUM_PREFIX.sub("", text, count=1).strip()
    return out if bc.token_text(out) else text


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def flatten(el, out: list[tuple[str, int, object]]) -> None:
    """Headings, paragraphs, lists and quotations of the main content, in document order."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag in DROP or _classes(child) & set(bc.NOT_STRUCTURE) or (child.get("role") == "note"):
            continue
        if tag in bc.HEADINGS:
            text = bc._text_no_links(child)
            if bc.token_text(text):
                out.append(("h", int(tag[1]), strip_number(text)))
        elif tag == "p" and "bold" in _classes(child) and child.xpath(".//a[starts-with(@name, 'h')]") \
                and _SISU_NUMBER.match(bc.clean(child.text_content())):
            # SiSU (the Live Systems Manual) marks its numbered subheadings as <p class="bold">
            # holding an <a name="h7.1"> anchor: a heading of the level its number says.
            text = bc.clean(child.text_content())
            depth = _SISU_NUMBER.match(text).group(1).count(".") + 1
            out.append(("h", depth, strip_number(text)))
        elif tag == "p" or (tag == "div" and "para" in _classes(child)):
            if bc.token_text(child.text_content()):
                out.append(("p", 0, child))
        elif tag in ("ul", "ol", "dl"):
            if bc.token_text(child.text_content()):
                out.append(("list", 0, child))
        elif tag == "blockquote":
            if bc.token_text(child.text_content()):
                out.append(("quote", 0, child))
        else:
            flatten(child, out)


def _words(blocks) -> int:
    return sum(len(_WORD.findall(b[2].text_content())) for b in blocks if b[0] != "h")


def cut_pieces(blocks: list[tuple[str, int, object]], max_words: int = MAX_WORDS) -> list[tuple[str, int, list]]:
    """(title, level, body) of short sections: the highest heading level first, longer sections
    cut at their subheadings."""
    levels = [b[1] for b in blocks if b[0] == "h"]
    if not levels:
        return []
    top = min(levels)
    out: list[tuple[str, int, list]] = []
    current: tuple[str, list] | None = None
    segments: list[tuple[str, list]] = []
    for b in blocks:
        if b[0] == "h" and b[1] == top:
            current = (str(b[2]), [])
            segments.append(current)
        elif current is not None:
            current[1].append(b)
    for title, body in segments:
        words = _words(body)
        paras = [b for b in body if b[0] == "p" and bc._prose_words(b[2])]
        if MIN_WORDS <= words <= max_words and len(bc.token_text(title).split()) >= 2 and body and body[0][0] == "p" and bc._prose_words(body[0][2]) \
                and len(paras) >= 2:
            out.append((title, top, body))
        elif words > max_words:
            out.extend(cut_pieces(body))  # sections of a long one: the usual limit
    return out


def article_html(title: str, level: int, body: list, with_title: bool = True, standfirst_cut: str = "",
                 sub_base: int = 2) -> bytes:
    """A standalone page for one piece: <h1> title, subheadings re-levelled from h2 (sub_base)."""
    import lxml.html
    from lxml import etree

    page = etree.Element("html")
    head = etree.SubElement(page, "head")
    etree.SubElement(head, "meta").set("charset", "utf-8")
    etree.SubElement(head, "title").text = title
    bodyel = etree.SubElement(page, "body")
    if with_title:
        etree.SubElement(bodyel, "h1").text = title
    first_p = True
    sub_levels = sorted({lvl for kind, lvl, _ in body if kind == "h"})  # subheadings by rank: h2, h3, ...
    for kind, lvl, obj in body:
        if kind == "h":
            new = min(6, sub_base + sub_levels.index(lvl))
            etree.SubElement(bodyel, f"h{new}").text = str(obj)
            continue
        el = copy.deepcopy(obj)
        el.tail = None
        for junk in el.xpath(".//a[contains(@class,'headerlink')] | .//img | .//script | .//style"):
            junk.drop_tree()
        if el.tag == "div":
            el.tag = "p"
            el.attrib.clear()
        if kind == "p" and first_p and standfirst_cut:
            el.text = (el.text or "")[len(standfirst_cut):].lstrip()
        if kind == "p":
            first_p = False
        bodyel.append(el)
    return lxml.html.tostring(page, encoding="utf-8", doctype="<!DOCTYPE html>", method="html")


def collect_pieces(cache: Path) -> list[Piece]:
    import fnmatch

    sources = [s for s in bc.load_sources(HERE / "sources.toml")
               if s.format in ("html", "md", "rst") and not s.split_xpath]
    for extra in EXTRA_SOURCES:
        sources.append(bc.Source(id=extra["id"], kind=extra["kind"], package=extra["package"],
                                 paths=extra["paths"], licence=extra["licence"], family="magazine",
                                 language=extra["language"], format=extra["format"], renderers=[],
                                 exclude=extra["exclude"]))
    pieces: list[Piece] = []
    for src in sources:
        try:
            root, version = (bc.fetch_pypi if src.kind == "pypi" else bc.fetch_deb)(src.package, cache)
        except Exception as exc:
            print(f"  magazine: source {src.id} unavailable: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        files = sorted(p for p in root.rglob("*") if p.is_file())
        seen: set[str] = set()
        for pattern in src.paths:
            for path in files:
                rel = path.relative_to(root).as_posix()
                if rel in seen or not fnmatch.fnmatch(rel, pattern.lstrip("/")) \
                        or any(fnmatch.fnmatch(rel, x) for x in src.exclude):
                    continue
                seen.add(rel)
                lang = bc.language_of(src, rel)
                if lang not in LANGUAGES:
                    continue
                doc_id = f"{src.id}/{bc.doc_stem(rel)}"
                licence = src.licence
                if (root / "LICENCE-FROM-METADATA").is_file():
                    licence = (root / "LICENCE-FROM-METADATA").read_text(encoding="utf-8") + " (from the wheel's METADATA)"
                origin = f"Debian package {src.package} {version}, /{rel}" if src.kind == "deb" \
                    else f"PyPI wheel METADATA long description of {src.package} {version}"
                try:
                    html = bc.html_of_markup(src, bc.read_maybe_gz(path), path)
                    main = bc.strip_chrome(bc.parse_html(html))
                except Exception as exc:
                    print(f"  magazine: skipped {doc_id}: {type(exc).__name__}: {exc}", file=sys.stderr)
                    continue
                body = main.find(".//body")
                blocks: list[tuple[str, int, object]] = []
                flatten(body if body is not None else main, blocks)
                for k, (title, level, pbody) in enumerate(cut_pieces(blocks, MAX_WORDS_README if src.kind == "pypi" else MAX_WORDS)):
                    pieces.append(Piece(uid=f"{doc_id}#{k}", doc_id=doc_id, source=origin, licence=licence,
                                        language=lang, title=title, blocks=[("h", level, title), *pbody],
                                        words=_words(pbody), split=bc.split_of(doc_id)))
    return pieces


# --------------------------------------------------------------------------- rendering


RENDERERS = {
    "w3m": "w3m -dump", "lynx": "lynx -dump -nolist", "pandoc": "pandoc -t plain", "html2text": "html2text",
    "oneline": "pandoc -t plain --wrap=none (one paragraph per line)",
    "gutenberg": "Gutenberg-style hard wrap (70 cols, CRLF)",
}


def render_body(renderer: str, html: bytes, work: Path) -> str:
    if renderer == "oneline":
        page = work / "page.html"
        page.write_bytes(html)
        text = bc.run_tool(["pandoc", "-f", "html", "-t", "plain", "--wrap=none", str(page)])
    else:
        text = bc.render(renderer, html, work)
    text = text.replace("\r\n", "\n")
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))


SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "vs", "via",
               "with", "from", "into", "is"}


def title_case(text: str, lang: str) -> str:
    if lang != "en":
        return text
    words = text.split(" ")
    out = []
    for i, w in enumerate(words):
        if w and w[0].islower() and (i == 0 or w.lower() not in SMALL_WORDS) and w.isalpha():
            w = w[0].upper() + w[1:]
        out.append(w)
    return " ".join(out)


def format_title(title: str, style: str, lang: str) -> list[str]:
    if style == "caps":
        return [title.upper()]
    if style == "caps_period":
        t = title.upper().rstrip()
        return [t if t[-1:] in ".?!" else t + "."]
    if style == "title":
        return [title_case(title, lang)]
    if style in ("underline_eq", "underline_dash"):
        t = title_case(title, lang)
        return [t, ("=" if style == "underline_eq" else "-") * len(t)]
    raise ValueError(style)


SEPARATORS = {
    "stars": "* * * * *",
    "gutenberg": "       *       *       *       *       *",
    "dashes": "-----",
    "underscores": "______",
    "double": "═══",
    "tildes": "~~~",
    "pluses": "+++",
    "gap": None,
    "rule": "-" * 72,
}

NAMES = ["Jane Doe", "Arthur Pendleton", "Margaret Ellis", "Samuel Okafor", "Ruth Castellano", "Thomas Whitcombe",
         "Eleanor Vance", "Hugh Marlowe", "Priya Raman", "Walter Keene", "Claire Dubois", "Jean Moreau",
         "Hélène Garnier", "Luc Bertrand", "Sophie Laurent", "Klaus Becker", "Anna Schmidt", "Jürgen Hoffmann",
         "Greta Vogel", "Martin Krüger", "Lena Fischer", "Oscar Lindqvist", "Mary Ann Hobbs", "Edward Price"]

PUBLICATIONS = {
    "en": ["THE WEEKLY REVIEW", "The Free Software Monthly", "THE DEBIAN DIGEST", "Penguin Post",
           "THE PACKAGE GAZETTE", "Open Source Quarterly"],
    "fr": ["LA REVUE DU LOGICIEL LIBRE", "Le Courrier du Libre", "LA GAZETTE DEBIAN", "Cahiers du Manchot"],
    "de": ["DIE WOCHENSCHAU", "Freie Software Rundbrief", "DEBIAN-NACHRICHTEN", "Pinguin-Post"],
}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
}
CONTENTS = {"en": ["CONTENTS", "Contents", "IN THIS ISSUE"], "fr": ["SOMMAIRE", "Sommaire", "TABLE DES MATIÈRES"],
            "de": ["INHALT", "Inhalt", "INHALTSVERZEICHNIS"]}
BY = {"en": "By", "fr": "Par", "de": "Von"}


def date_line(rng: random.Random, lang: str) -> str:
    no, day, month, year = rng.randint(1, 52), rng.randint(1, 28), rng.randrange(12), rng.randint(1905, 2024)
    m = MONTHS[lang][month]
    vol = rng.randint(1, 30)
    if lang == "en":
        return rng.choice([f"No. {no} — {day} {m} {year}", f"Vol. {vol}, No. {no} · {m} {year}",
                           f"Issue {no}, {m} {day}, {year}"])
    if lang == "fr":
        return rng.choice([f"N° {no} — {day} {m} {year}", f"Numéro {no}, {m} {year}"])
    return rng.choice([f"Nr. {no} — {day}. {m} {year}", f"Jahrgang {vol}, Heft {no} · {m} {year}"])


_SENTENCE = re.compile(r"^(.{25,220}?[.!?])\s+(?=[A-ZÀ-ÖØ-Þ])", re.S)


def standfirst_of(body: list) -> str:
    """The piece's first sentence when its first paragraph is plain text of two sentences or more."""
    kind, _, el = body[0]
    if kind != "p" or len(el) or not el.text:
        return ""
    m = _SENTENCE.match(el.text.lstrip())
    if not m or len(el.text.strip()) - len(m.group(0)) < 40:
        return ""
    lead = len(el.text) - len(el.text.lstrip())
    return el.text[: lead + len(m.group(1))]


# --------------------------------------------------------------------------- issues


def choose_pieces(rng: random.Random, pool: list[Piece], used: set[str]) -> list[Piece]:
    """The first piece from a source drawn uniformly (then a piece of it), the others from the
    same split only, round-robin over sources in random order so an issue mixes subjects and
    authors; unused pieces first, at most one piece per source document."""
    def by_source(pieces: list[Piece]) -> dict[str, list[Piece]]:
        groups: dict[str, list[Piece]] = {}
        for p in pieces:
            groups.setdefault(p.doc_id.split("/", 1)[0], []).append(p)
        return groups

    fresh_all = [p for p in pool if p.uid not in used] or pool
    groups = by_source(fresh_all)
    first = rng.choice(groups[rng.choice(sorted(groups))])
    want = rng.choice([rng.randint(3, 8), rng.randint(6, 15), rng.randint(12, 35)])
    picked = [first]
    seen_docs = {first.doc_id}
    same = [p for p in pool if p.split == first.split and p.uid != first.uid]
    for candidates in ([p for p in same if p.uid not in used], [p for p in same if p.uid in used]):
        groups = by_source(candidates)
        for g in groups.values():
            rng.shuffle(g)
        order = sorted(groups)
        rng.shuffle(order)
        while len(picked) < want and any(groups.values()):
            for src in order:
                while groups[src] and groups[src][0].doc_id in seen_docs:
                    groups[src].pop(0)
                if groups[src] and len(picked) < want:
                    p = groups[src].pop(0)
                    picked.append(p)
                    seen_docs.add(p.doc_id)
    return picked


def compose_issue(entry_id: str, lang: str, pieces: list[Piece], work: Path) -> tuple[str, dict[str, object]]:
    rng = random.Random(f"magazine|{entry_id}")
    renderer = rng.choice(list(RENDERERS))
    sep_key = "gutenberg" if renderer == "gutenberg" and rng.random() < 0.6 else rng.choice(list(SEPARATORS))
    separator = SEPARATORS[sep_key]
    title_style = rng.choice(["caps", "caps", "caps_period", "title", "underline_eq", "underline_dash"])
    byline_p = rng.choice([0.0, 0.0, 0.5, 1.0])
    byline_form = rng.choice(["plain", "caps"])
    standfirst_p = rng.choice([0.0, 0.0, 0.4])
    has_header = rng.random() < 0.6
    has_contents = rng.random() < 0.5
    contents_numbers = rng.random() < 0.5

    out: list[str] = []
    not_read: list[str] = []
    headings: list[dict[str, object]] = []
    sections: list[dict[str, str]] = []
    articles: list[dict[str, str]] = []
    header_desc = []
    if has_header:
        pub = rng.choice(PUBLICATIONS[lang])
        date = date_line(rng, lang)
        out += [pub, date, "", ""]
        not_read.append(date)
        header_desc.append("issue header")
    display_titles = [format_title(p.title, title_style, lang)[0] for p in pieces]
    if has_contents:
        head = rng.choice(CONTENTS[lang])
        lines = []
        page = rng.randint(1, 5)
        for t in display_titles:
            if contents_numbers:
                lines.append(f"{t} {'.' * max(2, 60 - len(t))} {page}" if len(t) < 58 else f"{t}  {page}")
                page += rng.randint(1, 6)
            else:
                lines.append(f"    {t}")
        out += [head, "", *lines, "", ""]
        seq = [head, *(line.strip() for line in lines)]
        not_read += [f"{a} {b}" for a, b in zip(seq, seq[1:])]
        header_desc.append("contents" + (" with page numbers" if contents_numbers else ""))
        if separator:
            out += [separator, "", ""] if rng.random() < 0.5 else []
    bylines = 0
    for i, p in enumerate(pieces):
        if i:
            out += ["", "", "", "", ""] if separator is None else ["", separator, ""]
        body = p.blocks[1:]
        level = int(p.blocks[0][1])
        stand = standfirst_of(body) if rng.random() < standfirst_p else ""
        gold_page = article_html(p.title, level, body)
        labels = bc.label_html(bc.parse_html(gold_page))
        headings += labels.headings
        sections += labels.sections
        articles.append({"title": p.title})
        out += format_title(p.title, title_style, lang)
        if stand:
            out += ["", bc.clean(stand)]
        if rng.random() < byline_p:
            name = rng.choice(NAMES)
            line = f"{BY[lang]} {name}"
            out += ["", line.upper() if byline_form == "caps" else line]
            bylines += 1
        out.append("")
        # Gutenberg's layout puts 4 blank lines before h1/h2 (chapters), 2 before the rest: a
        # piece's subheadings are not chapters of the issue.
        out.append(render_body(renderer, article_html(p.title, level, body, with_title=False, standfirst_cut=stand,
                                                      sub_base=3 if renderer == "gutenberg" else 2), work))
    text = "\n".join(out).rstrip("\n") + "\n"
    if renderer == "gutenberg":
        text = text.replace("\n", "\r\n")
    layout = (f"{len(pieces)} pieces, bodies by {RENDERERS[renderer]}; titles {title_style}; "
              f"separator {sep_key!r}{'' if separator is None else ' ' + repr(separator.strip())}"
              f"{'; ' + ', '.join(header_desc) if header_desc else ''}"
              f"{f'; {bylines} bylines' if bylines else ''}{'; standfirsts' if standfirst_p else ''}")
    gold = {
        "headings": headings, "sections": sections, "articles": articles,
        "not_read": not_read[: bc.MAX_NOT_READ * 2],
        "renderer": f"composed magazine issue: {layout}",
    }
    return text, gold


def fingerprint(cache: Path) -> str:
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(Path(bc.__file__).read_bytes())
    h.update((HERE / "sources.toml").read_bytes())
    for d in sorted((cache / "extract").glob("*")):
        h.update(d.name.encode())
    return h.hexdigest()[:16]


def build(cache: Path, force: bool = False) -> None:
    """Write `<cache>/corpus/magazine/issue-<lang>-<nn>/{input.txt, gold.json}` (deterministic)."""
    corpus = cache / "corpus" / "magazine"
    stamp = corpus / f".stamp-composed-{fingerprint(cache)}"
    if stamp.exists() and not force:
        print(f"magazine (composed): {sum(1 for _ in corpus.glob(ENTRY_PREFIX + '*/gold.json'))} entries (cached)")
        return
    work = cache / "work" / "magazine"
    work.mkdir(parents=True, exist_ok=True)
    pieces = collect_pieces(cache)
    for old in corpus.glob(ENTRY_PREFIX + "*"):
        shutil.rmtree(old, ignore_errors=True)
    for old in corpus.glob(".stamp-composed-*"):
        old.unlink()
    written = 0
    for lang in LANGUAGES:
        pool = sorted((p for p in pieces if p.language == lang), key=lambda p: p.uid)
        if len(pool) < 10:
            print(f"  magazine: only {len(pool)} pieces in {lang}; no issues", file=sys.stderr)
            continue
        used: set[str] = set()
        for n in range(1, N_ISSUES[lang] + 1):
            entry_id = f"{ENTRY_PREFIX}{lang}-{n:02d}"
            rng = random.Random(f"magazine-pick|{entry_id}")
            chosen = choose_pieces(rng, pool, used)
            while True:
                text, gold_part = compose_issue(entry_id, lang, chosen, work)
                if len(text.encode("utf-8")) <= MAX_ISSUE_BYTES or len(chosen) <= 3:
                    break
                chosen = chosen[:-1]
            used.update(p.uid for p in chosen)
            first = chosen[0]
            gold = {
                "id": f"magazine/{entry_id}", "family": "magazine", "split": first.split, "language": lang,
                "source_id": first.doc_id,
                "source": f"composed from {len(chosen)} real documents (see sources) by "
                          "tests/benchmarks/structure/compose_magazines.py",
                "licence": "; ".join(dict.fromkeys(p.licence for p in chosen)),
                **gold_part,
                "sources": [{"source_id": p.doc_id, "piece": p.uid, "title": p.title, "source": p.source,
                             "licence": p.licence, "split": p.split} for p in chosen],
            }
            bc.write_entry(corpus / entry_id, gold, "txt", text.encode("utf-8"))
            written += 1
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.touch()
    print(f"magazine (composed): {written} entries from {len(pieces)} pieces in {corpus}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=bc.DEFAULT_CACHE)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    build(args.cache, force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
