"""Text repairs: soft line wraps joined, print-hyphenation splits rejoined (pure, wordfreq-driven)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from wordfreq import zipf_frequency

from .rules import Repair

# Characters that are spaces to a listener: non-breaking, thin, figure spaces etc.
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_SOFT_HYPHEN = "\u00ad"
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_LETTERS = re.compile(r"^[^\W\d_]+$")
# Leading punctuation around a word piece.
_LEAD = re.compile(r"^[\"'“‘«(\[]*")


_SPACED_WORD = re.compile(r"(?<!\S)\w(?: \w){2,}(?!\S)")


def join_spaced_letters(title: str) -> str:
    """Letter-spaced words set solid: "P R E F A C E" → "PREFACE", "T O M   S A W Y E R" → "TOM SAWYER".

    A voice spells out letters one by one; the printed spacing is only emphasis. Words are
    told apart by the wider gaps between them.
    """
    if not _SPACED_WORD.search(title):
        return title
    parts = re.split(r"\s{2,}", title.strip())
    return " ".join(_SPACED_WORD.sub(lambda m: m.group(0).replace(" ", ""), p) for p in parts)


def clean_spaces(text: str) -> str:
    """Non-breaking and other odd spaces become one ordinary space; soft hyphens vanish."""
    text = _ZERO_WIDTH.sub("", text.replace(_SOFT_HYPHEN, ""))
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=200_000)
def _zipf(word: str) -> float:
    return zipf_frequency(word, "en")


def _joined_word(left: str, right: str, repair: Repair) -> bool:
    """Whether two pieces are one word split by print hyphenation."""
    if not (_LETTERS.match(left) and _LETTERS.match(right)):
        return False
    # The second piece of a split word is never capitalised; the first may be (sentence start).
    if not right[0].islower() or (len(left) > 1 and not left[1:].islower()):
        return False
    joined = (left + right).lower()
    if _zipf(joined) < repair.join_min_zipf:
        return False
    return min(_zipf(left.lower()), _zipf(right)) < repair.piece_max_zipf


_WORD = re.compile(r"[^\W\d_]+")
_OPEN = set("\"'“‘«([ ")
_CLOSE = set("\"'”’»)].,;:!?… ")


@lru_cache(maxsize=200_000)
def _rare(word: str, piece_max_zipf: float) -> bool:
    return _zipf(word.lower()) < piece_max_zipf


def rare_word(word: str, below_zipf: float = 2.5) -> bool:
    """Whether a word is rare in English text (under `below_zipf`): a name, not vocabulary."""
    return _zipf(word.lower()) < below_zipf


_WORD_BEFORE = re.compile(r"[^\W\d_]+$")


_DROP_CAP = re.compile(r"^([\"“‘'(]?)([A-Z]) ([a-z]+)(?![\w'’-])")


def rejoin_drop_cap(text: str, repair: Repair) -> str:
    """A paragraph's drop capital set apart in print ("T he bus left") joined to its word."""
    m = _DROP_CAP.match(text)
    if not m:
        return text
    letter, rest = m.group(2), m.group(3)
    joined = (letter + rest).lower()
    if _zipf(joined) < repair.join_min_zipf:
        return text
    # "A" and "I" are words themselves: "A bout of flu" stays, unless the rest is no word.
    if letter in "AI" and _zipf(rest) >= repair.piece_max_zipf:
        return text
    return m.group(1) + letter + rest + text[m.end() :]


def rejoin_splits(text: str, repair: Repair) -> str:
    """Rejoin words split in print ("acci dental" → "accidental") in single-spaced text."""
    text = rejoin_drop_cap(text, repair)
    # Only a pair with a rare piece can be a split word. Finding the paragraph's rare
    # words first (a cached lookup per distinct word) keeps a 20 MB text fast: the
    # Python-level pair checks run only around those few words.
    limit = repair.piece_max_zipf
    rare = [w for w in set(_WORD.findall(text)) if _rare(w, limit)]
    if not rare:
        return text
    rare_set = set(rare)
    if len(rare) <= 64:
        rare.sort(key=len, reverse=True)
        finder = re.compile(r"(?<![^\W\d_])(?:" + "|".join(map(re.escape, rare)) + r")(?![^\W\d_])")
        hits: Iterable[re.Match[str]] = finder.finditer(text)
    else:
        # A huge paragraph with many rare words: one linear pass beats a giant alternation.
        hits = (m for m in _WORD.finditer(text) if m.group() in rare_set)
    pairs: set[tuple[int, int, int]] = set()  # (left start, space, right end)
    for m in hits:
        s, e = m.start(), m.end()
        if s >= 2 and text[s - 1] == " ":
            before = _WORD_BEFORE.search(text, max(0, s - 80), s - 1)
            if before:
                pairs.add((before.start(), s - 1, e))
        if e + 1 < len(text) and text[e] == " ":
            after = _WORD.match(text, e + 1)
            if after:
                pairs.add((s, e, after.end()))
    cut: list[int] = []
    taken = -1
    for start, space, end in sorted(pairs):
        if start <= taken:
            continue  # a joined word is not joined again
        # Whole tokens only: not the "s" of "Corbyn’s", not the "dent" of "dent-proof".
        if start > 0 and text[start - 1] not in _OPEN:
            continue
        if end < len(text) and text[end] not in _CLOSE:
            continue
        if _joined_word(text[start:space], text[space + 1 : end], repair):
            cut.append(space)
            taken = end
    if not cut:
        return text
    parts, last = [], 0
    for pos in cut:
        parts.append(text[last:pos])
        last = pos + 1
    parts.append(text[last:])
    return "".join(parts)


def join_lines(lines: list[str], repair: Repair) -> str:
    """Join the lines of one paragraph: soft wraps become spaces, end-of-line hyphens are resolved."""
    parts: list[str] = []  # joined with "" at the end; linear in the paragraph's length
    for raw in lines:
        line = clean_spaces(raw)
        if not line:
            continue
        prev = parts[-1] if parts else ""
        if not parts:
            parts.append(line)
        elif len(prev) > 1 and prev.endswith("-") and prev[-2].isalpha() and line[0].islower():
            # "exam-" / "ple": a hyphen at a line end is print hyphenation when the joined
            # word is a common word ("work-" / "ing"), else a real compound ("well-" / "known").
            left = _LEAD.sub("", prev[:-1].rsplit(" ", 1)[-1])
            tail = re.match(r"[^\W\d_]+", line)
            piece = tail.group(0) if tail else ""
            if piece and left.isalpha() and _zipf((left + piece).lower()) >= repair.join_min_zipf:
                parts[-1] = prev[:-1]
            parts.append(line)
        else:
            parts.append(" " + line)
    return rejoin_splits("".join(parts), repair)
