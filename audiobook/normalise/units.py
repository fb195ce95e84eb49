"""Percentages, measurements with their units, and multipliers."""

from __future__ import annotations

import re

from .context import Context, substitute, text_after, text_before
from .numerals import canonical, number_pattern, number_words, one_before, singular_or_plural


_DISTANCE_WORDS = frozenset(
    "tall high long wide deep away above below up down race sprint hurdles freestyle run walk swim dash "
    "relay metres in of from to across under over".split()
)


def say_quantities(text: str, ctx: Context) -> str:
    """Percentages, units and speeds, multipliers (5bn) and "100s"."""
    lang = ctx.language
    num = number_pattern(lang)
    # Percentages.
    text = substitute(
        re.compile(r"(?<![\w.,])(-?)(" + num + r")\s?%"),
        text, ctx, lambda m: (f"{lang.minus} " if m.group(1) else "") + f"{number_words(m.group(2), ctx)} {lang.per_cent}",
    )

    # Units and speeds: 20mph, 5km, 3kg, 40°C, 13m (million) or 100m (metres).
    unit_keys = sorted(lang.units, key=len, reverse=True)

    def unit(m: re.Match[str]) -> str | None:
        symbol, raw = m.group("unit"), m.group("num")
        number = canonical(raw, lang)
        if m.group("space") and symbol in lang.close_unit_symbols:
            return None
        if symbol == "s" and not m.group("space") and "." not in number:
            return None  # "3s" and "1970s" are plurals; "1.5s" and "1.5 s" are seconds
        sign = f"{lang.minus} " if m.group("sign") else ""
        if re.fullmatch(r"\d+\.00+", number):
            # "640.00 MiB" is a tool's fixed format, not a measurement to the hundredth:
            # "six hundred and forty mebibytes". A single ".0" ("5.0 GiB") was written by a person, and is said.
            raw = number = number.split(".")[0]
        if symbol == lang.million_symbol:
            following = text_after(m)
            if "." in number or (
                re.match(r"\s+[a-z]", following) and not re.match(r"\s+(?:" + "|".join(_DISTANCE_WORDS) + r")\b", following)
            ):
                return sign + f"{number_words(raw, ctx)} {lang.multipliers[symbol]}"
        u = lang.units[symbol]
        if lang.amount_as_adjective and re.search(r"\b[Aa]n?\s+$", text_before(m)) and re.match(r"\s+[a-z]", text_after(m)):
            # "a 2 GiB file" is a two-gibibyte file: after "a", the size describes a noun.
            return sign + f"{number_words(raw, ctx)} {u.singular}"
        said = number_words(raw, ctx) if "." in number else one_before(number_words(raw, ctx), u.feminine, lang)
        return sign + f"{said} {singular_or_plural(number, u.singular, u.plural)}"

    if unit_keys:  # a language with no unit names leaves the symbols to its voice
        text = substitute(
            re.compile(
                r"(?<![\w.,])(?P<sign>-)?(?P<num>" + num + r")(?P<space>\s)?(?P<unit>"
                + "|".join(re.escape(k) for k in unit_keys) + r")(?![\w²'’])"
            ),
            text, ctx, unit,
        )
    text = substitute(
        re.compile(r"(?<![\w.,])(?P<num>" + num + r")\s?(?P<mult>bn|tn|mn|k)(?![\w])"),
        text, ctx, lambda m: f"{number_words(m.group('num').replace(',', ''), ctx)} {lang.multipliers.get(m.group('mult'), '')}".strip(),
    )

    if lang.round_plurals:
        # "100s of people": hundreds.
        text = substitute(
            re.compile(r"(?<![\w.,])(100|1,?000|1,?000,?000)s(?![\w'’])"),
            text, ctx, lambda m: lang.round_plurals[m.group(1).replace(",", "")],
        )
    return text
