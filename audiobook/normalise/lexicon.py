"""Pronunciation lexicons: TOML files mapping words or phrases to respellings."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import ConfigError

_ENTRY_FIELDS = {"say", "ipa", "espeak", "case", "note"}
_CASES = {"exact", "ignore"}
_SECTIONS = {"lexicon", "words"}
_META_FIELDS = {"language", "description"}


@dataclass(frozen=True)
class Entry:
    """One lexicon entry: how `key` is said, and how its case is matched."""

    key: str
    say: str  # the respelling: plain text every engine can read
    case: str = "exact"  # "exact" or "ignore"
    ipa: str | None = None  # optional phonemes for engines that accept them later
    espeak: str | None = None
    source: str = ""  # file the entry came from, for error messages and tracing


@dataclass(frozen=True)
class Lexicon:
    """Entries merged from several files; later files override earlier ones."""

    entries: tuple[Entry, ...] = ()

    def merged(self, other: Lexicon) -> Lexicon:
        """Entries of `other` win over ours for the same key and case rule."""
        seen = {(e.key if e.case == "exact" else e.key.casefold(), e.case) for e in other.entries}
        keep = [e for e in self.entries if (e.key if e.case == "exact" else e.key.casefold(), e.case) not in seen]
        return Lexicon(tuple(keep) + other.entries)


def _default_case(key: str) -> str:
    # An all-lowercase key is a plain word ("nato"): match it however it is
    # capitalised. Any capital letter makes the key a name or initialism whose
    # case carries meaning ("US" is not "us"), so it must match exactly.
    return "ignore" if key == key.lower() else "exact"


def _line_of(raw: str, key: str) -> int | None:
    pattern = re.compile(r'^[ \t]*(?:"' + re.escape(key) + r'"|' + re.escape(key) + r")\s*=", re.MULTILINE)
    found = pattern.search(raw)
    return raw.count("\n", 0, found.start()) + 1 if found else None


def parse_lexicon(raw: str, source: str) -> Lexicon:
    """Parse lexicon TOML text; ConfigError names `source`, the line and the key on any fault."""
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"lexicon {source}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - _SECTIONS)
    if unknown:
        raise ConfigError(
            f"lexicon {source}: unknown section or key {unknown[0]!r} (expected [lexicon] and [words])"
        )
    meta = data.get("lexicon", {})
    if not isinstance(meta, dict) or set(meta) - _META_FIELDS:
        raise ConfigError(f"lexicon {source}: [lexicon] may only hold {sorted(_META_FIELDS)}")
    words = data.get("words", {})
    if not isinstance(words, dict):
        raise ConfigError(f"lexicon {source}: 'words' must be a table")
    entries: list[Entry] = []
    for key, value in words.items():
        where = f"lexicon {source}, line {_line_of(raw, key) or '?'}, key {key!r}"
        if not key.strip() or key != key.strip():
            raise ConfigError(f"{where}: a key must be a word or phrase without outer spaces")
        if not re.search(r"\w", key):
            raise ConfigError(f"{where}: a key must contain a letter or digit")
        if isinstance(value, str):
            value = {"say": value}
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: value must be a string or a table with 'say'")
        extra = sorted(set(value) - _ENTRY_FIELDS)
        if extra:
            raise ConfigError(f"{where}: unknown field {extra[0]!r} (allowed: {', '.join(sorted(_ENTRY_FIELDS))})")
        say = value.get("say")
        if not isinstance(say, str) or not re.search(r"\w", say):
            raise ConfigError(f"{where}: 'say' must be a non-empty respelling")
        if re.search(r"[<>\[\]{}\\]", say):
            raise ConfigError(f"{where}: 'say' must be plain text (no <, >, [, ], {{, }} or \\)")
        case = value.get("case", _default_case(key))
        if case not in _CASES:
            raise ConfigError(f"{where}: 'case' must be \"exact\" or \"ignore\", not {case!r}")
        for field_name in ("ipa", "espeak", "note"):
            if field_name in value and not isinstance(value[field_name], str):
                raise ConfigError(f"{where}: {field_name!r} must be a string")
        entries.append(
            Entry(key=key, say=say.strip(), case=case, ipa=value.get("ipa"), espeak=value.get("espeak"), source=source)
        )
    return Lexicon(tuple(entries))


@functools.lru_cache(maxsize=64)
def _load_cached(path: Path, mtime_ns: int, size: int) -> Lexicon:
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"lexicon {path}: not UTF-8 text") from None
    return parse_lexicon(raw, str(path))


def load_lexicon(path: Path) -> Lexicon:
    """Read one lexicon file; cached on path and modification time so edits are picked up."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise ConfigError(f"lexicon {path}: cannot read: {exc.strerror or exc}") from None
    if not path.is_file():
        raise ConfigError(f"lexicon {path}: not a file")
    return _load_cached(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def default_lexicon(language: str) -> Lexicon:
    """The lexicon shipped in the package for `language` (empty if there is none)."""
    resource = resources.files("audiobook") / "data" / "lexicons" / f"{language}.toml"
    if not resource.is_file():
        return Lexicon()
    return parse_lexicon(resource.read_text(encoding="utf-8"), f"audiobook/data/lexicons/{language}.toml")


def combined_lexicon(language: str, paths: Sequence[Path]) -> Lexicon:
    """The default lexicon, overridden by each file in `paths` in order."""
    lexicon = default_lexicon(language)
    for path in paths:
        lexicon = lexicon.merged(load_lexicon(Path(path)))
    return lexicon


@dataclass(frozen=True)
class Matcher:
    """A compiled lexicon: one regex, longest key first, whole words only."""

    pattern: re.Pattern[str] | None
    exact: dict[str, Entry]
    folded: dict[str, Entry]

    def lookup(self, found: str) -> Entry | None:
        return self.exact.get(found) or self.folded.get(found.casefold())


def _alternative(entry: Entry) -> str:
    body = re.escape(entry.key)
    # Spaces inside phrases match any run of whitespace (line-wrapped text).
    body = body.replace(r"\ ", r"\s+")
    if not body.endswith("."):
        # Possessives always; a bare plural "s" only after initialisms ("MPs"),
        # so "Dr" never swallows the start of another word.
        body += r"(?:['’]s|s)?" if entry.key.isupper() else r"(?:['’]s)?"
    return body if entry.case == "exact" else f"(?i:{body})"


@functools.lru_cache(maxsize=32)
def compile_lexicon(lexicon: Lexicon) -> Matcher:
    """Build the matcher; keys match on word boundaries, longest (then exact-case) first."""
    exact: dict[str, Entry] = {}
    folded: dict[str, Entry] = {}
    for entry in lexicon.entries:
        if entry.case == "exact":
            exact[entry.key] = entry
        else:
            folded[entry.key.casefold()] = entry
    ordered: Iterable[Entry] = sorted(
        list(exact.values()) + list(folded.values()), key=lambda e: (-len(e.key), e.case != "exact", e.key)
    )
    alternatives = [_alternative(e) for e in ordered]
    if not alternatives:
        return Matcher(None, exact, folded)
    # Never inside a longer word, a URL or a handle, nor a path's first folder ("/etc/hosts" is
    # not "et cetera hosts"); "TV/DVD" is two words.
    pattern = re.compile(r"(?<![\w@#])(?<![\s(\"'“]/)(?<!^/)(?:" + "|".join(alternatives) + r")(?![\w$])")
    return Matcher(pattern, exact, folded)


def match_entry(matcher: Matcher, found: str) -> tuple[Entry, str] | None:
    """The entry for a matched span and the suffix ("'s", "s" or "") it carried."""
    text = re.sub(r"\s+", " ", found)
    entry = matcher.lookup(text)
    if entry is not None:
        return entry, ""
    for suffix in ("'s", "’s", "s"):
        if text.endswith(suffix):
            entry = matcher.lookup(text[: -len(suffix)])
            if entry is not None:
                return entry, "'s" if suffix != "s" or entry.key.isupper() else suffix
    return None
