"""Written numbers: the language's pattern for them, their words, and "one" agreeing with its noun."""

from __future__ import annotations

import re

from .context import Context
from .languages import Language
from .words import decimal


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def number_pattern(language: Language) -> str:
    """A written number in the language: 600,000.5 in English; 600 000,5 or 600.000,5 in French and German."""
    if language.decimal_comma:
        return r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
    return _NUM


def canonical(number: str, language: Language) -> str:
    """A written number as digits with a "." decimal point and no grouping."""
    if language.decimal_comma:
        return number.replace(" ", "").replace(".", "").replace(",", ".")
    return number.replace(",", "")


def number_words(number: str, ctx: Context) -> str:
    """"600,000" → six hundred thousand; "3.5" → three point five; "3,5" (French) → trois virgule cinq."""
    integer, _, fraction = canonical(number, ctx.language).partition(".")
    return decimal(integer, fraction, ctx.language)


def one_before(said: str, feminine: bool, lang: Language) -> str:
    """A number before a noun: "une seconde", "eine Sekunde", "ein Meter"; other numbers unchanged."""
    said = lang.one_before_noun(said)
    return said + "e" if feminine and lang.feminine_one and said.endswith(lang.feminine_one) else said


def singular_or_plural(value: str, singular: str, plural: str) -> str:
    return singular if value in {"1", "1.0"} else plural


def months_pattern(lang: Language) -> str:
    """The language's month names and abbreviations as regex alternatives."""
    return "|".join(list(lang.months) + [re.escape(a) + r"\.?" for a in lang.month_abbreviations])


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(numeral: str) -> int | None:
    if not re.fullmatch(r"X{0,3}(IX|IV|V?I{0,3})", numeral) or not numeral:
        return None
    total = 0
    for i, c in enumerate(numeral):
        value = _ROMAN[c]
        total += -value if i + 1 < len(numeral) and _ROMAN[numeral[i + 1]] > value else value
    return total
