"""The number families in the order they run, and the numbers no family claims: counts, ordinals, fractions, codes."""

from __future__ import annotations

import re

from .context import Context, TOKEN, TOKEN_BASE, substitute, text_after, text_before
from .dates import say_dates, say_decades, say_times, say_years, year_words
from .languages import Language
from .money import say_money
from .numerals import number_pattern, number_words, one_before, roman_value
from .units import say_quantities
from .versions import say_dotted_numbers
from .words import cardinal, digits, ordinal


def _french_ordinal(number: str, suffix: str, lang: Language) -> str | None:
    """"1er" premier, "1re" première, "2nd" second, "XXIe" vingt et unième."""
    value = int(number) if number.isdecimal() else roman_value(number)
    if value is None or value == 0:
        return None
    if suffix in ("re", "ère", "ʳᵉ") and value == 1:
        return "première"
    if suffix in ("nd", "nde", "de") and value == 2:
        return "second" if suffix == "nd" else "seconde"
    if value == 1 and suffix in ("e", "ème", "eme", "ᵉ"):
        return "unième" if number.isdecimal() else "premier"
    return ordinal(value, lang)


# Words before "2." that make it an ordinal ("der 2. Weltkrieg", "im 19. Jahrhundert"), and the
# ending each asks for: the dative and genitive -en, the nominative -e, "ein" -er.
_GERMAN_ORDINAL_ARTICLES = (
    r"der|die|das|den|dem|des|im|am|vom|zum|zur|beim|ins|ans|aufs|ein|eine|einem|einen|einer|eines"
    r"|jeder|jede|jedes|jedem|jeden|seit dem|bis zum|ab dem|ihr|ihre|ihrem|ihren|sein|seine|seinem|seinen"
)
_GERMAN_EN = frozenset("den dem des im am vom zum zur beim einem einen einer eines jedem jeden ihrem ihren seinem seinen".split())


def _german_ordinal(value: int, before: str, lang: Language) -> str:
    stem = ordinal(value, lang)[:-1]  # "zweite" → "zweit"
    article = before.split()[-1].lower() if before.split() else ""
    if article in _GERMAN_EN:
        return stem + "en"
    if article in ("ein", "ihr", "sein"):
        return stem + "er"
    return stem + "e"


_NOT_COUNTED = r"and|or|but|is|are|was|were|of|in|on|to|can|will|would|has|have|had|be|not|as|than"
_BYTE_COUNT = (
    r"\s+(?:bytes|bits|octets|sectors|blocks|cylinders|inodes|[KMGTP]i?B|[KMGT]i?o|Bytes?|Bits?|Sektoren|Blöcke|secteurs|blocs)\b"
)
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s-]?(?:\(0\))?\s?\d{1,5}(?:[\s-]\d{2,5}){1,4}"
    r"|\(?0\d{2,5}\)?(?:[\s-]\d{3,4}){1,3})(?![\w])"
)


def _comparisons(text: str, ctx: Context) -> str:
    """Comparison signs and "about" before numbers: "< 5", "~10", "c£1.5bn"."""
    lang = ctx.language
    words = lang.words
    # Comparison signs between numbers, before the number rules take the digits.
    text = substitute(re.compile(r"(?<=[\d\s])<\s*(?=[\d£$€-])"), text, ctx, lambda m: f" {words['less than']} ")
    text = substitute(re.compile(r"(?<=[\d\s])>\s*(?=[\d£$€-])"), text, ctx, lambda m: f" {words['more than']} ")
    text = substitute(re.compile(r"(?<![\w])[~≈]\s?(?=\d)"), text, ctx, lambda m: f"{words['about']} ")
    # "c£1.5bn": c for circa, as British papers write it before an amount.
    text = substitute(re.compile(r"(?<![\w.])c\.?\s?(?=[£$€]\d)"), text, ctx, lambda m: f"{words['circa']} ")
    return text


def _identifiers(text: str, ctx: Context) -> str:
    """Phone numbers, hyphenated codes (ISBN) and numbers to dial: digit by digit."""
    lang = ctx.language
    words = lang.words
    # Phone numbers and codes with a leading zero are read digit by digit.
    def phone(m: re.Match[str]) -> str:
        groups = re.findall(r"\+|\d+", m.group())
        said = []
        for group in groups:
            said.append(words["plus"] if group == "+" else digits(group, lang, zero=lang.zero_digit))
        spoken = ", ".join(said)
        return spoken.replace(f"{words['plus']}, ", f"{words['plus']} ")

    text = substitute(_PHONE, text, ctx, phone)

    # Codes in hyphenated groups (ISBN 978-0-14-044913-6, ref 12-345-678, 4711-0815)
    # are identifiers, not ranges: each group digit by digit, a pause between groups.
    def code(m: re.Match[str]) -> str | None:
        if re.fullmatch(r"\d{1,2}-\d{1,2}-\d{4}|\d{4}-\d{1,2}-\d{1,2}", m.group()):
            return None  # a date (25-03-2017, 2017-03-25): the date rules read it
        return ", ".join(digits(group, lang) for group in m.group().split("-"))

    text = substitute(
        re.compile(r"(?<![\w.,/-])(?:\d+(?:-\d+){2,}|\d{3,}-0\d{2,})(?![\w-]|[.,]\d)"),
        text, ctx, code,
    )
    if lang.dial_words:
        # "call 999", "dial 111": numbers you dial are said digit by digit.
        text = substitute(
            re.compile(r"\b(" + lang.dial_words + r") (\d{3,})(?![\w]|[.,]\d)", re.IGNORECASE),
            text, ctx, lambda m: f"{m.group(1)} {digits(m.group(2), lang)}",
        )
    return text


def _ranges(text: str, ctx: Context) -> str:
    """Ranges: 2001–2015, 1914-18, 10–12 → "… to …"."""
    lang = ctx.language
    words = lang.words
    num = number_pattern(lang)
    def year_range(m: re.Match[str]) -> str | None:
        start, end = m.group(1), m.group(2)
        if len(end) == 2:
            end_said = cardinal(int(end), lang) if int(end) >= 10 else "oh " + cardinal(int(end), lang)
        else:
            end_said = year_words(end, ctx)
        return f"{year_words(start, ctx)} {words['to']} {end_said}"

    text = substitute(
        re.compile(r"(?<![\w.,£$€/-])(1[1-9]\d\d|20\d\d)(?:\s?[–—-]\s?|/)(1[1-9]\d\d|20\d\d|\d\d)(?![\w.,/]\d|\d|s\b|%)"),
        text, ctx, year_range,
    )
    text = re.sub(
        r"(?<![\w.,/-])([£$€]?(?:" + num + r"))\s?[–—]\s?(?=[£$€]?\d)|(?<![\w.,/-])([£$€]?(?:" + num + r"))-(?=[£$€]?\d+(?:\.\d+)?(?![\d/-]|[.,]\d))",
        lambda m: f"{m.group(1) or m.group(2)} {words['to']} ",
        text,
    )
    return text


def _ordinals(text: str, ctx: Context) -> str:
    """Ordinals: 21st, 1er, 1re, XXIe siècle, "Louis XIV", "der 2. Weltkrieg"."""
    lang = ctx.language
    if lang.written_ordinals == "er/e":
        text = substitute(
            re.compile(r"(?<![\w.,])(\d+|[IVXLC]+)(er|re|ère|e|ème|eme|nde?|de|ᵉ|ʳᵉ|ᵉʳ)(?![\w])"),
            text, ctx, lambda m: _french_ordinal(m.group(1), m.group(2), lang),
        )
        # "Louis XIV", "Benoît XVI": a name's numeral is a cardinal in French ("François Ier" above).
        def regnal(m: re.Match[str]) -> str | None:
            value = roman_value(m.group("r"))
            return None if value is None else f"{m.group('name')} {cardinal(value, lang)}"

        text = substitute(re.compile(r"(?<![\w-])(?P<name>[A-ZÀ-Ý][a-zà-ÿ]{2,}) (?P<r>[IVX]{2,5})(?![\w'’])"), text, ctx, regnal)
    elif lang.written_ordinals == "dot":
        text = substitute(
            re.compile(r"\b(?P<art>" + _GERMAN_ORDINAL_ARTICLES + r")(?P<gap>\s)(?P<n>\d{1,4})\.(?=\s+[A-ZÄÖÜ][a-zäöüß]|\s*[-–])", re.IGNORECASE),
            text, ctx, lambda m: m.group("art") + m.group("gap") + _german_ordinal(int(m.group("n")), m.group("art"), lang),
        )
    else:
        text = substitute(
            re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(st|nd|rd|th)(?![\w])"),
            text, ctx, lambda m: ordinal(int(m.group(1).replace(",", "")), lang),
        )
    return text


def _fractions(text: str, ctx: Context) -> str:
    """Fractions: 1 1/2, 3/4, 24/7, 9/10 people."""
    lang = ctx.language
    words = lang.words
    def fraction_words(num: int, den: int) -> str | None:
        if den == 0 or num == 0 or num >= den or den > 100:
            return None
        if den in lang.fractions:
            singular, plural = lang.fractions[den]
        elif lang.fraction_from_ordinal is not None:
            singular, plural = lang.fraction_from_ordinal(ordinal(den, lang))
        else:
            return None
        said = lang.one_before_noun(cardinal(num, lang))
        return f"{said} {singular if num == 1 else plural}"

    def mixed(m: re.Match[str]) -> str | None:
        num, den = int(m.group(2)), int(m.group(3))
        if (num, den) == (1, 2) and lang.and_a_half_joiner is not None:
            # "three and a half", "un et demi", "zweieinhalb".
            return f"{lang.one_before_noun(cardinal(int(m.group(1)), lang))}{lang.and_a_half_joiner}{words['and a half']}"
        said = fraction_words(num, den)
        if said is None:
            return None
        one = cardinal(1, lang) + " "
        if lang.one_as_article and said.startswith(one):
            said = f"{lang.one_as_article} {said[len(one):]}"
        return f"{cardinal(int(m.group(1)), lang)} {lang.words['and']} {said}"

    text = substitute(re.compile(r"(?<![\w.,/])(\d+) (\d)/(\d{1,2})(?![\w/]|[.,]\d)"), text, ctx, mixed)

    def fraction(m: re.Match[str]) -> str | None:
        if m.group() in lang.fraction_idioms:
            return lang.fraction_idioms[m.group()]
        # A noun after it counts ("9/10 people"); "1/10 and", "1/10 is" name the fraction itself.
        counting = (
            re.match(r"\s+[a-z]", text_after(m)) and not re.match(r"\s+(?:" + _NOT_COUNTED + r")\b", text_after(m))
        ) or re.search(
            r"\b(?:scored?|scores|rated?|rates|gave|gives?|got|gets?|marks?)\s+$", text_before(m), re.IGNORECASE
        )
        if lang.out_of and counting and m.group(2) in {"10", "100"} and int(m.group(1)) <= int(m.group(2)):
            # Scores and shares: "9/10 people" is nine out of ten, not nine tenths.
            return f"{cardinal(int(m.group(1)), lang)} {lang.out_of} {cardinal(int(m.group(2)), lang)}"
        said = fraction_words(int(m.group(1)), int(m.group(2)))
        if said is None:
            return f"{cardinal(int(m.group(1)), lang)} {cardinal(int(m.group(2)), lang)}"
        return said

    text = substitute(re.compile(r"(?<![\w.,/])(\d+)/(\d+)(?![\w/]|[.,]\d)"), text, ctx, fraction)
    return text


def _digit_strings(text: str, ctx: Context) -> str:
    """Grouped numbers ("600 000"), then long digit strings (IDs, digit by digit; byte counts as numbers)."""
    lang = ctx.language
    # Grouped numbers first ("600 000" in French), so a group is not taken for an ID.
    grouped = r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?" if lang.decimal_comma else r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    text = substitute(
        re.compile(r"(?<![\w.,])(" + grouped + r")(?![\w]|[.,]\d)"), text, ctx, lambda m: number_words(m.group(1), ctx)
    )
    # Long digit strings without separators are IDs: read digit by digit.
    # ... except a count of bytes or disk blocks ("5368709120 bytes"), which tools print
    # without separators: that is a quantity, said as one.
    def long_digits(m: re.Match[str]) -> str:
        if not m.group(1).startswith("0") and re.match(_BYTE_COUNT, text_after(m)):
            return number_words(m.group(1), ctx)
        return digits(m.group(1), lang, zero=lang.zero_digit if m.group(1).startswith("0") else None)

    text = substitute(re.compile(r"(?<![\w.,])(0\d{2,}|\d{7,})(?![\w]|[.,]\d)"), text, ctx, long_digits)
    return text


def _plain(text: str, ctx: Context) -> str:
    """Signed, separated and decimal numbers that no other rule took."""
    lang = ctx.language
    num = number_pattern(lang)
    # Signed, separated and decimal numbers.
    def plain(m: re.Match[str]) -> str:
        sign = f"{lang.minus} " if m.group("sign") else ""
        said = sign + number_words(m.group("num"), ctx)
        noun = re.match(r"\s+([^\W\d_]+)", text_after(m))
        if noun and re.fullmatch(r"\d+", m.group("num")):
            # "une seconde", "vingt et une pages", "eine Datei", "ein Paket": one agrees with its noun.
            if not lang.nouns_capitalised or noun.group(1)[0].isupper():
                said = one_before(said, noun.group(1).lower().rstrip("s") in lang.feminine_nouns, lang)
        # "3s" must not become "threes": keep a letter glued to a number apart.
        return said + " " if re.match(r"[^\W\d_]", text_after(m, 1)) else said

    text = substitute(
        re.compile(r"(?:(?<=^)|(?<=[\s(\[\"“‘]))(?P<sign>-)(?P<num>" + num + r")(?![\d])"), text, ctx, plain
    )
    text = substitute(re.compile(r"(?P<sign>)(?<!\d)(?P<num>" + num + r")(?!\d)"), text, ctx, plain)
    return text


def _amount_ranges(text: str, ctx: Context, first_span: int) -> str:
    """A dash between two amounts or times spoken by this pass is a range: "10am-4pm", "£5bn–£6bn"."""
    words = ctx.language.words

    def amount_range(m: re.Match[str]) -> str:
        left, right = ord(m.group(1)) - TOKEN_BASE, ord(m.group(2)) - TOKEN_BASE
        if left >= first_span and right >= first_span:
            return f"{m.group(1)} {words['to']} {m.group(2)}"
        return m.group()

    text = re.sub(r"(" + TOKEN.pattern + r")\s?[-–—]\s?(" + TOKEN.pattern + r")", amount_range, text)
    return text


# The number families, in the order they must run: each takes what the ones before left.
_FAMILIES = (
    _comparisons, say_times, say_dates, say_dotted_numbers, _identifiers, _ranges, say_money, say_quantities,
    _ordinals, say_decades, _fractions, _digit_strings, say_years, _plain,
)


def numbers(text: str, ctx: Context) -> str:
    """Times, dates, money, percentages, units, ranges, phone numbers, ordinals, years and plain numbers."""
    first_span = len(ctx.spans)
    for family in _FAMILIES:
        text = family(text, ctx)
    return _amount_ranges(text, ctx, first_span)
