"""Number words (via num2words), letter spelling and the pronounceability test."""

from __future__ import annotations

import functools
import re

from num2words import num2words

from .languages import Language


def _clean(words: str) -> str:
    # num2words puts commas inside big numbers ("sixteen thousand, seven
    # hundred"); a comma is a pause to an engine, so drop it.
    return re.sub(r"\s+", " ", words.replace(",", "")).strip()


def cardinal(value: int, language: Language) -> str:
    """`value` in words; digit by digit if num2words cannot say it."""
    try:
        return _clean(num2words(value, lang=language.code))
    except (OverflowError, NotImplementedError, ValueError):
        return digits(str(abs(value)), language)


def ordinal(value: int, language: Language) -> str:
    try:
        return _clean(num2words(value, lang=language.code, to="ordinal"))
    except (OverflowError, NotImplementedError, ValueError):
        return cardinal(value, language)


def digit_word(digit: str, language: Language, zero: str | None = None) -> str:
    if digit == "0" and zero:
        return zero
    if language.digit_words:
        return language.digit_words[int(digit)]
    return cardinal(int(digit), language)


def digits(text: str, language: Language, zero: str | None = None) -> str:
    """Every digit of `text` said on its own ("0207" → "zero two zero seven")."""
    return " ".join(digit_word(d, language, zero) for d in text if d.isdecimal())


def decimal(integer: str, fraction: str, language: Language) -> str:
    """"3" and "14" → "three point one four": the fraction is read digit by digit (in French, up to two as a number)."""
    whole = cardinal(int(integer.replace(",", "") or "0"), language)
    if not fraction:
        return whole
    if language.decimals_as_number and len(fraction) <= 2 and not fraction.startswith("0"):
        return f"{whole} {language.point} {cardinal(int(fraction), language)}"  # "1,80": un virgule quatre-vingts
    return f"{whole} {language.point} {digits(fraction, language)}"


def english_year(year: int) -> str:
    """A year as a British speaker says it: 1982 → nineteen eighty-two, 2015 → two thousand and fifteen."""
    if 2000 <= year <= 2019 or year < 1000 or year > 2099:
        return cardinal(year, _english())
    return _clean(num2words(year, lang="en", to="year")).replace("oh-", "oh ")


def english_decade(start: int) -> str:
    """The decade starting at `start`: 1970 → nineteen seventies, 2000 → two thousands, 2010 → twenty tens."""
    if 2010 <= start <= 2090:
        return "twenty " + pluralise_number_words(cardinal(start - 2000, _english()))
    return pluralise_number_words(english_year(start))


def pluralise_number_words(words: str) -> str:
    """"nineteen seventy" → "nineteen seventies" (decades)."""
    head, _, last = words.rpartition(" ")
    if last.endswith("y"):
        last = last[:-1] + "ies"
    elif last.endswith("x"):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}".strip()


@functools.lru_cache(maxsize=1)
def _english() -> Language:
    from .languages import ENGLISH

    return ENGLISH


def spell(letters: str) -> str:
    """"SWP" → "S-W-P": hyphen-joined capitals are read as letter names by every engine we tried.

    Spaces would not do: a lone capital "A" is read as the article.
    """
    return "-".join(c.upper() for c in letters if c.isalnum())


_ONSETS = frozenset(
    """b bl br c ch chr cl cr d dr dw f fl fr g gl gn gr h j k kl kn kr l m n p ph pl pr ps qu r rh
    s sc sch scr sh sk sl sm sn sp sph spl spr squ st str sw t th thr tr ts tw v w wh wr x y z zh""".split()
)
_CODAS = frozenset(
    """b bs c ck cks ct cts d ds f ff ft g gs gh ght k ks l lb ld lds lf lk lks ll lm ln lp lt lts m mb mp mps
    n nd nds ng ngs nk nks nce nt nts p ps pt r rb rc rch rd rds rf rg rk rks rl rm rn rp rs rst rt rts rth
    s sh sk sp ss st sts t th ts tch tt v w x y z zz""".split()
)
_VOWELS = "aeiouy"


def is_pronounceable(word: str) -> bool:
    """Whether an unknown capitalised token reads as a word (NATO, Unesco) rather than letters (TSSA)."""
    w = word.lower()
    if len(w) < 3 or not w.isalpha() or not w.isascii():
        return False
    if not any(c in "aeiou" for c in w) and "y" not in w[1:]:
        return False  # "y" is a vowel except at the start: SKY, GYM
    if re.search(r"(.)\1\1", w) or re.search(r"[aeiou]{4}", w):
        return False
    clusters = re.findall(r"[^aeiouy]+|[aeiouy]+", w)
    # "y" opening a word is a consonant
    if w[0] == "y" and len(clusters) > 1:
        clusters = ["y"] + ([clusters[0][1:]] if clusters[0][1:] else []) + clusters[1:]
    first, last = clusters[0], clusters[-1]
    if first[0] not in _VOWELS and first not in _ONSETS:
        return False
    if last[0] not in _VOWELS and len(clusters) > 1 and last not in _CODAS and len(last) > 1:
        return False
    for middle in clusters[1:-1]:
        if middle[0] not in _VOWELS and len(middle) > 3:
            return False
    return True


@functools.lru_cache(maxsize=4096)
def is_common_word(word: str, language_code: str) -> bool:
    """Whether `word` (any case) is an everyday word in the language (wordfreq Zipf ≥ 3)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), language_code) >= 3.0
