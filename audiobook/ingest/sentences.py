"""Sentence splitting: pure, lossless (the sentences joined by single spaces give the text)."""

from __future__ import annotations

import re

# Words that end with a full stop without ending a sentence (compared lower-case,
# without the dot). "No" only counts before a number ("No. 10").
ABBREVIATIONS = frozenset(
    """
    mr mrs ms mx dr prof st sr jr rev hon gen col capt cpt lt sgt maj cmdr adm gov sen rep pres supt insp
    fr mme mlle messrs esq dept univ assn bros corp inc ltd co
    e.g i.e cf vs viz al approx ca fig figs vol vols pp ed eds est op nos
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    mt ft ave rd blvd
    """.split()
)
_BEFORE_NUMBER_ONLY = frozenset({"no", "p", "art", "ch", "sec", "para"})

# A candidate boundary: sentence punctuation, any closing quotes/brackets, then space.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+")
_OPENERS = "\"'“‘«([¿¡"


def _is_abbreviation(token: str, next_char: str) -> bool:
    """Whether `token` (the text before a full stop) is an abbreviation, not a sentence end."""
    word = token.lstrip(_OPENERS).lower()
    if word in ABBREVIATIONS:
        return True
    if word in _BEFORE_NUMBER_ONLY and next_char.isdigit():
        return True
    # An initial ("J. K. Rowling") or dotted acronym ("U.S.", "e.g").
    if re.fullmatch(r"(?:[a-z]\.)*[a-z]", word):
        return len(word) == 1 or "." in word
    return False


def split_sentences(text: str) -> tuple[str, ...]:
    """Split a paragraph into sentences; `" ".join(result) == " ".join(text.split())`."""
    text = " ".join(text.split())
    if not text:
        return ()
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if end >= len(text):
            break
        nxt = text[end]
        # A sentence starts with a capital, a digit or an opening quote/bracket.
        if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
            continue
        punct = m.group(0).strip()
        if start == 0 and m.start() < 8 and re.fullmatch(r"\(?(?:\d{1,3}|[A-Za-z]|[IVXLCivxlc]{1,6})[.)]", text[: m.start() + 1]):
            continue  # a list or heading number: "1. The Bus", "a) First"
        if punct.startswith(".") and not punct.startswith(".."):
            # The word before the full stop (a backwards scan: linear however long the sentence).
            token = text[max(start, text.rfind(" ", start, m.start()) + 1) : m.start()]
            if token and _is_abbreviation(token, nxt):
                continue
        out.append(text[start : m.start() + len(m.group(0).rstrip())])
        start = end
    out.append(text[start:])
    return tuple(out)
