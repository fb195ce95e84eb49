"""The normalise stage: text as written → text as it should be spoken."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..model import Edition, NotRead

from .languages import language_for
from .lexicon import Lexicon, Matcher, combined_lexicon, compile_lexicon, load_lexicon, parse_lexicon
from .abbreviations import abbreviations, capitals, codes, lexicon, titles
from .addresses import handles, urls
from .cleanup import clean_input, tidy
from .context import Context
from .numbers import numbers
from .symbols import symbols
from .versions import versions

# Bumped whenever a rule change alters what is said. The sentence cache keys on
# the spoken text itself, so this is informational (shown by `plan --spoken`).
NORMALISER_VERSION = "1"

__all__ = [
    "NORMALISER_VERSION",
    "Lexicon",
    "Normalised",
    "load_lexicon",
    "normalise",
    "parse_lexicon",
    "speak_text",
    "unspoken",
    "with_unspeakable",
    "words_of",
]


def words_of(text: str) -> list[str]:
    """The alphabetic words of `text` (letters and their combining marks; digits and symbols split)."""
    runs = "".join(c if c.isalpha() or unicodedata.category(c).startswith("M") else " " for c in text).split()
    return [run for run in runs if any(c.isalpha() for c in run)]


@dataclass(frozen=True)
class Normalised:
    """The spoken text, what was rewritten on the way, and anything that could not be said."""

    spoken: str
    rewrites: tuple[tuple[str, str], ...]  # (as written, as spoken), in order applied
    unspoken: tuple[str, ...]  # characters or words dropped because no engine can say them


@functools.lru_cache(maxsize=32)
def _matcher(language_code: str, lexicon_paths: tuple[Path, ...], stamps: tuple[int, ...]) -> Matcher:
    # Keyed on the files' modification times, so an edited lexicon is re-read.
    return compile_lexicon(combined_lexicon(language_code, lexicon_paths))


def _stamps(paths: tuple[Path, ...]) -> tuple[int, ...]:
    return tuple(p.stat().st_mtime_ns if p.exists() else -1 for p in paths)


def _run(text: str, language: str, lexicon_paths: tuple[Path, ...]) -> Normalised:
    table = language_for(language)
    matcher = _matcher(table.code, lexicon_paths, _stamps(lexicon_paths))
    ctx = Context(language=table, matcher=matcher)
    out = clean_input(text, ctx)
    out = urls(out, ctx)
    out = handles(out, ctx)
    out = lexicon(out, ctx)
    out = abbreviations(out, ctx) if table.abbreviations_in_context else titles(out, ctx)
    # Before codes and numbers: "V1.2" is not a road and "5.6.12" is not a date.
    out = versions(out, ctx)
    out = codes(out, ctx)
    out = numbers(out, ctx)
    out = capitals(out, ctx)
    out = symbols(out, ctx)
    out = tidy(ctx.restore(out))
    return Normalised(spoken=out, rewrites=tuple(ctx.rewrites), unspoken=tuple(ctx.dropped))


@functools.lru_cache(maxsize=4096)
def _cached(text: str, language: str, lexicon_paths: tuple[Path, ...], stamps: tuple[int, ...]) -> Normalised:
    return _run(text, language, lexicon_paths)


def normalise(text: str, language: str = "en", lexicons: Sequence[Path] = ()) -> Normalised:
    """Normalise `text` and say how: the spoken text, its rewrites and anything dropped."""
    paths = tuple(Path(p) for p in lexicons)
    for path in paths:
        load_lexicon(path)  # validate early: a bad lexicon is a ConfigError naming the file
    return _cached(text, language, paths, _stamps(paths))


def speak_text(text: str, language: str = "en", lexicons: Sequence[Path] = ()) -> str:
    """Return `text` rewritten for a speech engine: numbers, symbols, abbreviations and URLs in words.

    Deterministic and pure: the same text, language and lexicon contents give the same result.
    Lexicons are TOML files (see voices/README.md); later files override earlier ones and the
    language's default lexicon.
    """
    return normalise(text, language, lexicons).spoken


def unspoken(text: str, language: str = "en", lexicons: Sequence[Path] = ()) -> list[str]:
    """What `speak_text` had to drop from `text` (symbols no engine can say); empty for normal text."""
    return list(normalise(text, language, lexicons).unspoken)


def accounted_words(result: Normalised) -> set[str]:
    """Casefolded words that were rewritten on purpose (lexicon, abbreviations, URLs…)."""
    words: set[str] = set()
    for source, _spoken in result.rewrites:
        words.update(w.casefold() for w in words_of(source))
    return words


def _may_drop(text: str) -> bool:
    """Whether the normaliser could drop anything from `text`: it drops only symbols and private-use characters."""
    return any(unicodedata.category(c)[0] == "S" or unicodedata.category(c) in ("Co", "Cs") for c in text if not c.isalnum())


def with_unspeakable(edition: Edition, lexicons: Sequence[Path] = (), language: str = "en") -> Edition:
    """The edition with what the normaliser must drop (emoji, stray symbols) in `not_read`, by line.

    The one function `plan` and `build` both use, so both list the same things; an
    article's own language wins over `language`. Nothing dropped: the same edition.
    """
    from ..ingest.legibility import merge_by_line

    dropped = [
        NotRead(article.source, paragraph.line, item, "not speakable")
        for article in edition.articles
        for section in article.sections
        for paragraph in section.paragraphs
        if _may_drop(paragraph.text)
        for item in unspoken(paragraph.text, article.language or language, lexicons)
    ]
    if not dropped:
        return edition
    return replace(edition, not_read=tuple(merge_by_line(edition.not_read, dropped)))
