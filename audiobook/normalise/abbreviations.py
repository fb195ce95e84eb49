"""Abbreviations, titles, initialisms and codes of letters and digits."""

from __future__ import annotations

import re

from .context import Context, substitute, text_after, text_before
from .lexicon import match_entry
from .numerals import roman_value
from .words import cardinal, digits, is_common_word, is_pronounceable, ordinal, spell


def lexicon(text: str, ctx: Context) -> str:
    """Whole-word lexicon respellings, longest key first."""
    pattern = ctx.matcher.pattern
    if pattern is None:
        return text

    def replace(m: re.Match[str]) -> str:
        found = match_entry(ctx.matcher, m.group())
        if found is None:
            return m.group()
        entry, suffix = found
        spoken = entry.say + suffix
        # An abbreviation's full stop that also ends the text still ends it.
        if entry.key.endswith(".") and re.match(r"\s*$", m.string[m.end() :]):
            spoken += "."
        return ctx.protect(m.group(), spoken)

    return pattern.sub(replace, text)


_SENTENCE_END = re.compile(r"(?:[.!?:;\"“”(]\s*|^\s*)$")


def _prev_word(m: re.Match[str]) -> str | None:
    before = text_before(m)
    if _SENTENCE_END.search(before):
        return None
    found = re.search(r"(\S+)\s*$", before)
    return found.group(1) if found else None


def abbreviations(text: str, ctx: Context) -> str:
    """St (Saint or Street), Dr (Doctor or Drive) and No. (number) need the words around them."""

    def saint_or_street(m: re.Match[str]) -> str:
        word, dot = m.group(1), m.group(2) or ""
        prev = _prev_word(m)
        next_capital = re.match(r"\s+[A-Z]", text_after(m)) is not None
        prev_name = prev is not None and (prev[0].isupper() or prev[0].isdecimal())
        # A title comes before a name (St Paul, Dr Watson); a street type after one
        # (Downing St). "MP Dr Allin-Khan" is still a doctor: Drive is never followed by a name.
        if next_capital and (word == "Dr" or not prev_name):
            return ctx.protect(m.group(), "Saint" if word == "St" else "Doctor")
        return ctx.protect(word, "Street" if word == "St" else "Drive") + dot

    text = re.sub(r"(?<![\w.])(St|Dr)(\.)?(?![\w'’])", saint_or_street, text)

    def number(m: re.Match[str]) -> str:
        word = ctx.language.words["numbers" if (m.group(1) or m.group(2)).lower() == "nos" else "number"]
        return ctx.protect(m.group(), word + " ")

    text = re.sub(r"(?<![\w.])(No|Nos|no|nos)\.\s?(?=\d)|(?<![\w.])(No|Nos)\s?(?=\d)", number, text)
    short = {"p": "page", "pp": "pages", "c": "circa", "ca": "circa", "fig": "figure", "vol": "volume", "v": "versus"}
    text = re.sub(
        r"(?<![\w.-])(p|pp|c|ca|fig|vol|Fig|Vol)\.\s?(?=\d)",
        lambda m: ctx.protect(m.group(), short[m.group(1).lower()] + " "),
        text,
    )
    text = re.sub(r"(?<![\w&])#\s?(?=\d)", lambda m: ctx.protect(m.group(), ctx.language.words["number"] + " "), text)
    return text


def titles(text: str, ctx: Context) -> str:
    """French and German abbreviations that need the next word: titles before names, reference words before numbers."""
    names = ctx.language.titles
    if names:
        keys = "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
        # Not after a first name: "Richard M. Stallman" has a middle initial, not a "Monsieur".
        # "M. et Mme Dupont": a title shared by two names.
        text = substitute(
            re.compile(r"(?<![\w.])(?:" + keys + r")(?=\s+[A-ZÀ-ÖØ-Þ]|-[A-ZÀ-ÖØ-Þ]|\s+(?:et|und)\s+[A-ZÀ-ÖØ-Þ\U000f0000-\U000ffffd])"),
            text, ctx, lambda m: None if re.search(r"[A-ZÀ-Þ][a-zà-ÿ]+\s+$", text_before(m)) else names[m.group()],
        )
    numbered = ctx.language.numbered_words
    if numbered:
        keys = "|".join(re.escape(k) for k in sorted(numbered, key=len, reverse=True))

        def said(m: re.Match[str]) -> str:
            ctx.account(m.group(1), numbered[m.group(1)])
            return numbered[m.group(1)] + " "

        text = re.sub(r"(?<![\w.])(" + keys + r")\s?(?=\d)", said, text)
    return text


def codes(text: str, ctx: Context) -> str:
    """Road and model names: M1 → M-one, A40 → A-forty, A303 → A-three-oh-three, MP3 → M-P-three, 4G → four-G."""
    lang = ctx.language
    words = lang.words
    text = substitute(
        re.compile(r"(?<![\w])([A-Z]{1,3})\s?&\s?([A-Z]{1,3})(?![\w])"),
        text, ctx, lambda m: f"{spell(m.group(1))}-{words['and']}-{spell(m.group(2))}",
    )

    def letters_digits(m: re.Match[str]) -> str | None:
        letters, number = m.group(1), m.group(2)
        if len(number) <= 2 or (len(number) == 3 and number[0] != "0" and number[1:] == "00"):
            said = cardinal(int(number), lang)
        else:
            said = digits(number, lang, zero="oh")
        return spell(letters) + "-" + said.replace(" ", "-") + m.group(3)  # MP3s

    text = substitute(re.compile(r"(?<![\w£$€¥₹-])([A-Z]{1,3})(\d{1,4})(s?)(?![\w%°])"), text, ctx, letters_digits)
    # "IPv4", "IPv6": I-P-v-four, the protocol's versions as network people say them.
    text = substitute(re.compile(r"(?<![\w-])IPv([46])(?![\w])"), text, ctx, lambda m: f"I-P-v-{cardinal(int(m.group(1)), lang)}")

    def digit_letters(m: re.Match[str]) -> str | None:
        if m.group(2) in lang.units:
            return None  # "2GB", "5KB": a size, which the unit rule reads ("two gigabytes")
        if m.group(2) in {"C", "F"} and "°C" in lang.units:
            # British papers write temperatures as "40C"; 4G and 3D are spelled.
            unit = lang.units["°" + m.group(2)]
            return f"{cardinal(int(m.group(1)), lang)} {unit.singular if m.group(1) == '1' else unit.plural}"
        return cardinal(int(m.group(1)), lang) + "-" + spell(m.group(2))

    text = substitute(re.compile(r"(?<![\w.,£$€¥₹])(\d{1,2})([A-Z]{1,2})(?![\w])"), text, ctx, digit_letters)
    return text


def capitals(text: str, ctx: Context) -> str:
    """Roman numerals after names, and all-capital tokens: said as a word if pronounceable, else spelled."""
    lang = ctx.language
    if lang.numbered_by_roman:
        def regnal(m: re.Match[str]) -> str | None:
            value = roman_value(m.group(2))
            if value is None:
                return None
            if m.group(1) in lang.regnal_names:
                if m.group(2) == "I":
                    return None
                return f"{m.group(1)} the {ordinal(value, lang)}"
            return f"{m.group(1)} {cardinal(value, lang)}"

        text = substitute(re.compile(r"\b(" + lang.numbered_by_roman + r") ([IVX]{1,5})(?![\w'’])"), text, ctx, regnal)

    def caps(m: re.Match[str]) -> str | None:
        token, suffix = m.group(1), m.group(2) or ""
        suffix = "'s" if suffix else ""
        # Text in capitals throughout ("TELL US THE TRUTH") is words, not initialisms.
        run_before = re.search(r"(?:\b[A-Z]{2,}[,.!?:;]? +)+$", text_before(m, 60))
        run_after = re.match(r"(?: +[A-Z]{2,}\b)+", text_after(m, 60))
        neighbours = re.findall(r"[A-Z]{2,}", (run_before.group() if run_before else "") + (run_after.group() if run_after else ""))
        shouting = len(neighbours) >= 2 or any(len(n) >= 3 and is_common_word(n, lang.code) for n in neighbours)
        has_vowel = re.search(r"[AEIOUY]", token) is not None
        if token in lang.spelled_unless_shouting and not shouting:
            return spell(token) + suffix  # the US, IT, the WHO, 9 AM: initialisms in mixed-case text
        if token in lang.emphasis_words:
            return token.capitalize() + suffix  # "he said NO": emphasis, not an initialism
        if has_vowel and (shouting or is_pronounceable(token)) and is_common_word(token, lang.code):
            return token.capitalize() + suffix
        if len(token) >= 4 and is_pronounceable(token):
            return token.capitalize() + suffix
        return spell(token) + suffix

    text = substitute(re.compile(r"(?<![\w'’])([A-Z]{2,})(['’]s|s)?(?![\w'’])"), text, ctx, caps)
    # CamelCase initialisms with lowercase letters in them (PhD, BSc) stay as written.
    return text
