"""Splitting over-long sentences at clause boundaries, so no engine gets too much text."""

from __future__ import annotations

import re

# Boundaries from strongest to weakest; a split happens after the match, so the
# punctuation stays with the clause it ends.
_BOUNDARIES: tuple[re.Pattern[str], ...] = (
    re.compile(r"[.!?…]['\"’”)\]]*\s+"),  # a sentence the splitter missed
    re.compile(r"[;:]\s+"),
    re.compile(r"\s+[—–]\s*|[—–]\s+|\s+-\s+"),  # dashes used as clause marks
    re.compile(r"[,)\]]\s+"),
    re.compile(r"\s+"),  # any word boundary: the last resort before cutting a word
)


def split_clauses(text: str, max_chars: int) -> tuple[str, ...]:
    """Split `text` into pieces of at most `max_chars` characters, at the strongest boundary.

    Pieces joined by single spaces give the text back with its whitespace runs
    collapsed; whitespace-only input gives no pieces (nothing to send an engine).
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    text = " ".join(text.split())
    if not text:
        return ()
    if len(text) <= max_chars:
        return (text,)
    cut = _best_cut(text, max_chars)
    head, tail = text[:cut].strip(), text[cut:].strip()
    return split_clauses(head, max_chars) + split_clauses(tail, max_chars)


def _best_cut(text: str, max_chars: int) -> int:
    """Index to cut `text` at: the strongest boundary, nearest the middle, that makes progress."""
    middle = len(text) / 2
    for pattern in _BOUNDARIES:
        cuts = [m.end() for m in pattern.finditer(text) if 0 < m.start() and m.end() < len(text)]
        if cuts:
            best = min(cuts, key=lambda c: abs(c - middle))
            # A strong boundary very near one end would leave a piece nearly as long
            # as the input; accept it only if both sides shrink usefully.
            if min(best, len(text) - best) >= min(max_chars // 4, len(text) // 4) or pattern is _BOUNDARIES[-1]:
                return best
    # One enormous "word" (a URL, a run of digits): cut it where it must be cut.
    return max_chars
