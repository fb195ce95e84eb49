"""Segmentation rules: the data in audiobook/data/rules/default.toml, merged with a user's file."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError


@dataclass(frozen=True)
class LineRule:
    """A line pattern that is never read aloud (boilerplate) or that ends an article."""

    pattern: re.Pattern[str]
    reason: str = ""
    boundary: bool = False
    where: str = ""  # which file and entry, for `plan --explain`
    anywhere: bool = False  # no prose looks like it, so it may interrupt a block (a navigation row)


@dataclass(frozen=True)
class HeadingRule:
    """A line that is a heading by its own words ("CHAPTER IV.", "5.6.12 Title"), when it stands alone."""

    pattern: re.Pattern[str]
    style: str  # headings of one style are one level
    evidence: str
    strong: bool = True  # False: only when prose follows it


@dataclass(frozen=True)
class CreditRule:
    """A credit paragraph giving an author or translator name."""

    kind: str  # "author" or "translator"
    pattern: re.Pattern[str]
    max_words: int = 60
    max_sentences: int = 1


@dataclass(frozen=True)
class Layout:
    soft_wrap_max_chars: int = 100
    title_max_words: int = 20
    title_max_chars: int = 160
    standfirst_max_words: int = 70
    heading_max_words: int = 12
    heading_max_chars: int = 90
    profile_name_max_words: int = 5
    profile_descriptor_max_words: int = 6
    prose_min_words: int = 12
    numbered_heading: re.Pattern[str] = re.compile(r"^(?:\d{1,2}|[IVXLC]{1,6})[.):]\s+\S")
    contents_heading: re.Pattern[str] = re.compile(r"^(?i:(?:table of )?contents)$")
    sidebar_label: re.Pattern[str] = re.compile(r"^(?i:navigation|previous topic|next topic|this page)$")
    footer_marker: re.Pattern[str] = re.compile(r"(?i:©|\bcopyright\b|\ball rights reserved\b)")
    notice_signal: re.Pattern[str] = re.compile(r"(?i:\bunsubscribe\b|\bsubscri(?:be|ption)\b|\bmailing list\b)")
    notice_title: re.Pattern[str] = re.compile(r"^(?i:subscription information|small print)$")
    end_mark: re.Pattern[str] = re.compile(r"^(?:#{3}(?:\s+#{3})*|-\s?30\s?-)$")


@dataclass(frozen=True)
class Repair:
    join_min_zipf: float = 3.0
    piece_max_zipf: float = 2.0


# The kinds of text a listener could not follow (audiobook.ingest.legibility), by the
# names a rules file uses in [legibility] read = [...].
LEGIBILITY_KINDS = ("long", "base64", "hex", "symbols", "numbers", "code")


@dataclass(frozen=True)
class Legibility:
    """Limits past which text is listed as not read rather than spelled out for minutes."""

    max_word_chars: int = 45  # a word of a run (between its punctuation) no one could say
    max_run_chars: int = 160  # a run without spaces, pieces and all (addresses excepted)
    blob_min_chars: int = 32  # the shortest run taken for base64 or hex
    symbol_run_chars: int = 8  # a run of symbols with no letter or digit
    table_min_numbers: int = 24  # numbers in a paragraph that is mostly numbers
    read: tuple[str, ...] = ()  # kinds read anyway
    read_anyway: tuple[re.Pattern[str], ...] = ()  # text matching one of these is read anyway
    where: str = "default rules"  # for `plan --explain`


@dataclass(frozen=True)
class Rules:
    layout: Layout
    repair: Repair
    boilerplate: tuple[LineRule, ...]
    article_end: tuple[LineRule, ...]
    credits: tuple[CreditRule, ...]
    headings: tuple[HeadingRule, ...] = ()
    legibility: Legibility = Legibility()

    def line_rule(self, line: str) -> tuple[LineRule, re.Match[str] | None] | None:
        """The end-of-article rule (with its match) or boilerplate rule (match None) a line fits."""
        for rule in self.article_end:
            m = rule.pattern.match(line)
            if m:
                return rule, m
        for rule in self.boilerplate:
            if rule.pattern.match(line):
                return rule, None
        return None


def _compile(pattern: Any, where: str) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise ConfigError(f"{where}: pattern must be a string")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"{where}: bad regular expression: {exc}") from None


def _load_toml(data: bytes, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: not a valid TOML rules file: {exc}") from None


def _table(doc: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = doc.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [{key}] must be a table")
    return value


def _entries(doc: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{where}: [[{key}]] must be a list of tables")
    return value


_KNOWN = {"layout", "repair", "boilerplate", "article_end", "credit", "heading", "legibility", "read_anyway"}
_PATTERNS = ("numbered_heading", "contents_heading", "sidebar_label", "footer_marker", "notice_signal", "notice_title",
             "end_mark")


def _build(docs: list[tuple[dict[str, Any], str]]) -> Rules:
    """Merge rule documents, the user's (later in `docs`) taking precedence."""
    layout: dict[str, Any] = {}
    repair: dict[str, Any] = {}
    boiler: list[LineRule] = []
    ends: list[LineRule] = []
    credits: list[CreditRule] = []
    headings: list[HeadingRule] = []
    legibility: dict[str, Any] = {}
    read_anyway: list[re.Pattern[str]] = []
    defaults = Layout()
    for doc, where in docs:
        unknown = set(doc) - _KNOWN
        if unknown:
            raise ConfigError(f"{where}: unknown section(s): {', '.join(sorted(unknown))}")
        for key, value in _table(doc, "layout", where).items():
            if not hasattr(defaults, key):
                raise ConfigError(f"{where}: unknown [layout] key {key!r}")
            if key in _PATTERNS:
                value = _compile(value, f"{where} [layout] {key}")
            elif not isinstance(value, int) or isinstance(value, bool):
                raise ConfigError(f"{where}: [layout] {key} must be a whole number")
            layout[key] = value
        for key, value in _table(doc, "repair", where).items():
            if key not in ("join_min_zipf", "piece_max_zipf"):
                raise ConfigError(f"{where}: unknown [repair] key {key!r}")
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ConfigError(f"{where}: [repair] {key} must be a number")
            repair[key] = float(value)
        # A later (user) document's patterns go first so they win over the defaults.
        boiler[:0] = [
            LineRule(_compile(e.get("pattern"), f"{where} [[boilerplate]] {i + 1}"),
                     str(e.get("reason", "boilerplate")), bool(e.get("boundary", False)),
                     f"{where} [[boilerplate]] {i + 1}", bool(e.get("anywhere", False)))
            for i, e in enumerate(_entries(doc, "boilerplate", where))
        ]
        headings[:0] = [
            HeadingRule(_compile(e.get("pattern"), f"{where} [[heading]] {i + 1}"),
                        str(e.get("style", f"rule {i + 1}")),
                        f"{e.get('evidence', 'heading pattern')} ({where} [[heading]] {i + 1})",
                        bool(e.get("strong", True)))
            for i, e in enumerate(_entries(doc, "heading", where))
        ]
        ends[:0] = [
            LineRule(_compile(e.get("pattern"), f"{where} [[article_end]] {i + 1}"), "end of article, kept as metadata",
                     False, f"{where} [[article_end]] {i + 1}")
            for i, e in enumerate(_entries(doc, "article_end", where))
        ]
        new_credits = []
        for i, e in enumerate(_entries(doc, "credit", where)):
            kind = e.get("kind", "author")
            if kind not in ("author", "translator"):
                raise ConfigError(f"{where} [[credit]] {i + 1}: kind must be 'author' or 'translator'")
            pattern = _compile(e.get("pattern"), f"{where} [[credit]] {i + 1}")
            if "name" not in pattern.groupindex:
                raise ConfigError(f"{where} [[credit]] {i + 1}: pattern needs a (?P<name>...) group")
            new_credits.append(CreditRule(kind, pattern, int(e.get("max_words", 60)), int(e.get("max_sentences", 1))))
        credits[:0] = new_credits
        _legibility(doc, where, legibility, read_anyway)
    return Rules(Layout(**layout), Repair(**repair), tuple(boiler), tuple(ends), tuple(credits), tuple(headings),
                 Legibility(**legibility, read_anyway=tuple(read_anyway)))


def _legibility(doc: dict[str, Any], where: str, into: dict[str, Any], read_anyway: list[re.Pattern[str]]) -> None:
    """[legibility] keys replace the defaults; [[read_anyway]] patterns add to them."""
    for key, value in _table(doc, "legibility", where).items():
        if key == "read":
            if not isinstance(value, list) or any(v not in LEGIBILITY_KINDS for v in value):
                raise ConfigError(f"{where}: [legibility] read must be a list of: {', '.join(LEGIBILITY_KINDS)}")
            value = tuple(value)
        elif key in ("read_anyway", "where") or not hasattr(Legibility, key):
            raise ConfigError(f"{where}: unknown [legibility] key {key!r}")
        elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{where}: [legibility] {key} must be a whole number above 0")
        into[key] = value
        into["where"] = where
    for i, e in enumerate(_entries(doc, "read_anyway", where)):
        read_anyway.append(_compile(e.get("pattern"), f"{where} [[read_anyway]] {i + 1}"))


@lru_cache(maxsize=8)
def _load_cached(user: Path | None, stamp: int) -> Rules:
    default = resources.files("audiobook").joinpath("data/rules/default.toml").read_bytes()
    docs = [(_load_toml(default, "default rules"), "default rules")]
    if user is not None:
        try:
            data = user.read_bytes()
        except OSError as exc:
            raise ConfigError(f"cannot read rules file {user}: {exc.strerror}") from None
        docs.append((_load_toml(data, str(user)), str(user)))
    return _build(docs)


def load_rules(user: Path | str | None = None) -> Rules:
    """The default rules, extended by a user's rules file if given."""
    if user is None:
        return _load_cached(None, 0)
    path = Path(user)
    try:
        stamp = path.stat().st_mtime_ns  # an edited rules file is read again
    except OSError:
        stamp = 0
    return _load_cached(path, stamp)
