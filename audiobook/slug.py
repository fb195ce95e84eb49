"""Slugs: safe, readable, unique ASCII file names derived from titles."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_SLUG_CHARS = 60

# Letters NFKD cannot decompose into ASCII; the usual transliterations.
_SPECIAL = {
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
    "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
    "ı": "i", "&": " and ",
}  # fmt: skip
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def ascii_fold(text: str) -> str:
    """Transliterate accents to ASCII; characters with no ASCII form are dropped."""
    text = "".join(_SPECIAL.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def slugify(text: str, fallback: str = "untitled", max_chars: int = MAX_SLUG_CHARS) -> str:
    """A lowercase a-z0-9 slug with single hyphens, cut at a word boundary.

    Path separators, dots, NUL, control characters and emoji can never
    survive, so the result is always one plain file-name component.
    """
    slug = _NOT_WORD.sub("-", ascii_fold(text).lower()).strip("-")
    if len(slug) > max_chars:
        cut = slug[: max_chars + 1]
        # Cut at the last hyphen so no word is chopped, unless that loses too much.
        at = cut.rfind("-")
        slug = cut[:at] if at >= max_chars // 2 else slug[:max_chars]
        slug = slug.strip("-")
    return slug or fallback


def unique_slugs(titles: Iterable[str], fallback: str = "untitled") -> list[str]:
    """Slugs for titles in order; repeats get -2, -3... so every name is distinct."""
    seen: set[str] = set()
    out: list[str] = []
    for title in titles:
        base = slugify(title, fallback)
        slug, n = base, 1
        while slug in seen:
            n += 1
            slug = f"{base}-{n}"
        seen.add(slug)
        out.append(slug)
    return out
