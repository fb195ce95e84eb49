"""Article and edition metadata: dates, credit names, and the edition's title/publication/date."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from ..errors import UsageError
from ..model import Edition

FALLBACK_PUBLICATION = "Audiobook"

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ]
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{4})$")


def parse_date(text: str) -> dt.date | None:
    """A date written as 2017-03-23, 23 March 2017 or March 23, 2017; None if it is not one.

    Month and year alone ("March 2021", a monthly's issue) give the 1st of the month.
    """
    text = " ".join(text.split())
    month_year = _MONTH_YEAR.match(text)
    if month_year and month_year.group(1).lower() in _MONTHS:
        return dt.date(int(month_year.group(2)), _MONTHS[month_year.group(1).lower()], 1)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    for pattern, order in ((_DAY_MONTH_YEAR, (0, 1, 2)), (_MONTH_DAY_YEAR, (1, 0, 2))):
        m = pattern.match(text)
        if m:
            parts = m.groups()
            day, month, year = parts[order[0]], parts[order[1]], parts[order[2]]
            number = _MONTHS.get(month.lower())
            if number is None:
                return None
            try:
                return dt.date(int(year), number, int(day))
            except ValueError:
                return None
    return None


def parse_iso_date(value: str | None) -> dt.date | None:
    """The calendar date at the start of an ISO date or timestamp, or of a bare year; None otherwise.

    For dates machines wrote (<meta> tags, JSON-LD, an EPUB's dc:date), where "2017-03-23T10:30Z"
    and "2017" are common and a date in words would be a mistake to guess at.
    """
    if not value:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = re.match(r"\s*(\d{4})\s*$", value)
    return dt.date(int(m.group(1)), 1, 1) if m else None


_DATE_LINE = re.compile(
    r"^(?i:(?:(?:first |last )?(?:published|updated|posted|dated)(?: on)?|for (?:immediate )?release|released?(?: on)?):?\s*)?"
    r"(?i:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+)?"
    r"(?P<date>.+?)"
    r"(?:,?\s*(?:at\s*)?\d{1,2}[:.]\d{2}(?:\s*[apAP]\.?[mM]\.?)?(?:\s*[A-Z]{2,4})?)?\.?$"
)


def parse_date_line(text: str) -> dt.date | None:
    """The date of a line that holds only a date: "Published Thursday 23 March 2017, 10:30 GMT"."""
    if len(text) > 80:
        return None
    m = _DATE_LINE.match(" ".join(text.split()))
    return parse_date(m.group("date")) if m else None


def name_key(name: str) -> str:
    """How two spellings of one name compare: accents, case and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().replace(".", " ").split())


# Words that make a byline part a job title, not a person: "By Jane Doe, Political Editor".
_ROLES = frozenset(
    "editor correspondent reporter writer columnist staff contributor critic chief desk team "
    "photographer photographs photography illustrator illustration pictures words".split()
)


def split_names(text: str) -> list[str]:
    """ "A, B and C" → ["A", "B", "C"]; job titles in the list are dropped."""
    text = text.strip().rstrip(".").strip()
    parts = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text)
    return [p.strip() for p in parts if p.strip() and not _ROLES & set(p.lower().split())]


def merge_names(existing: Iterable[str], new: Iterable[str]) -> tuple[str, ...]:
    """Add names, dropping repeats that differ only by accents or case ("Frederic" = "Frédéric").

    The spelling with more accented letters wins: it is more likely the person's own.
    """
    out: list[str] = []
    keys: dict[str, int] = {}
    for name in [*existing, *new]:
        key = name_key(name)
        if key in keys:
            old = out[keys[key]]
            if sum(ord(c) > 127 for c in name) > sum(ord(c) > 127 for c in old):
                out[keys[key]] = name
            continue
        keys[key] = len(out)
        out.append(name)
    return tuple(out)


def format_date(date: dt.date) -> str:
    """23 March 2017."""
    return f"{date.day} {date:%B %Y}"


def _shared(values: list[str]) -> str | None:
    """The value every article agrees on, else the most common one (first seen wins ties)."""
    if not values:
        return None
    return Counter(values).most_common(1)[0][0]


def resolve_edition_meta(
    edition: Edition,
    title: str | None = None,
    publication: str | None = None,
    date: str | dt.date | None = None,
) -> tuple[Edition, dict[str, str]]:
    """Fill the edition's title, publication and issue date; say where each came from.

    publication ← flag, else the one the articles name (the most common), else "Audiobook".
    issue_date  ← flag, else the articles' issue date (the latest when they differ), else None.
    title       ← flag, else the issue title when every article shares one, else the
                  title of a lone article or book, else "<publication> <date>" built from the text, else the first article's title.
    Flag values also fill articles that name no publication or date of their own.
    Provenance per field: "flag", "text" or "fallback".
    """
    provenance: dict[str, str] = {}
    articles = edition.articles

    flag_date: dt.date | None = None
    if isinstance(date, dt.date):
        flag_date = date
    elif date is not None and date.strip():
        flag_date = parse_date(date)
        if flag_date is None:
            raise UsageError(f"--date {date!r} is not a date (use 2017-03-23 or '23 March 2017')")

    pubs = [a.publication for a in articles if a.publication]
    if publication and publication.strip():
        pub, provenance["publication"] = publication.strip(), "flag"
    elif pubs:
        pub, provenance["publication"] = _shared(pubs) or FALLBACK_PUBLICATION, "text"
    else:
        pub, provenance["publication"] = FALLBACK_PUBLICATION, "fallback"

    dates = [a.issue_date for a in articles if a.issue_date]
    issue_date: dt.date | None
    if flag_date is not None:
        issue_date, provenance["issue_date"] = flag_date, "flag"
    elif dates:
        issue_date, provenance["issue_date"] = max(dates), "text"
    else:
        issue_date, provenance["issue_date"] = None, "fallback"

    issue_titles = {a.issue_title for a in articles}
    if title and title.strip():
        ed_title, provenance["title"] = title.strip(), "flag"
    elif articles and len(issue_titles) == 1 and None not in issue_titles:
        ed_title, provenance["title"] = articles[0].issue_title or "", "text"
    elif len(articles) == 1:
        # One book or one article: its own title is the edition's, not "<publisher> <date>".
        ed_title, provenance["title"] = articles[0].title, "text"
    elif issue_date is not None:
        ed_title = f"{pub} {format_date(issue_date)}"
        provenance["title"] = "text" if provenance["publication"] == "text" and provenance["issue_date"] == "text" else "fallback"
    elif articles:
        ed_title, provenance["title"] = articles[0].title, "fallback"
    else:
        ed_title, provenance["title"] = pub, "fallback"

    if provenance["publication"] == "flag" or provenance["issue_date"] == "flag":
        articles = tuple(
            dataclasses.replace(
                a,
                publication=a.publication or (pub if provenance["publication"] == "flag" else None),
                issue_date=a.issue_date or (issue_date if provenance["issue_date"] == "flag" else None),
            )
            for a in articles
        )
    resolved = dataclasses.replace(
        edition, articles=articles, title=ed_title, publication=pub, issue_date=issue_date
    )
    return resolved, provenance
