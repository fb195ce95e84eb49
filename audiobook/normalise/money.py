"""Amounts of money in the language's currencies."""

from __future__ import annotations

import re

from .context import Context, substitute, text_after, text_before
from .numerals import canonical, number_pattern, number_words, one_before
from .words import cardinal


def say_money(text: str, ctx: Context) -> str:
    """Money: €100, £3.5bn, $5m, US$5, 50p, £2.50, 100€."""
    lang = ctx.language
    num = number_pattern(lang)
    currencies = "".join(re.escape(c) for c in lang.currencies)
    multipliers = "|".join(sorted((re.escape(k) for k in lang.multipliers), key=len, reverse=True))
    prefixes = {"US": "U-S", "A": "Australian", "C": "Canadian", "NZ": "New Zealand", "HK": "Hong Kong"}

    def money(m: re.Match[str]) -> str | None:
        currency = lang.currencies[m.group("cur")]
        raw = m.group("num")
        number = canonical(raw, lang)
        prefix = prefixes.get(m.group("pre") or "", "")
        plural = f"{prefix} {currency.plural}".strip()
        singular = f"{prefix} {currency.singular}".strip()
        multiplier = m.group("mult")
        # "a £10 note" is a ten-pound note: after "a", the amount describes a noun.
        adjective = lang.amount_as_adjective and re.search(r"\b[Aa]n?\s+$", text_before(m)) and re.match(r"\s+[a-z]", text_after(m))
        if multiplier:
            if lang.currency_after_multiplier is not None:
                # "trois milliards d'euros": French links the amount with "de".
                return f"{number_words(raw, ctx)} {lang.multipliers[multiplier]} {lang.currency_after_multiplier(plural)}"
            return f"{number_words(raw, ctx)} {lang.multipliers[multiplier]} {singular if adjective else plural}"
        integer, _, fraction = number.partition(".")
        if fraction and len(fraction) == 2:
            cents = int(fraction)
            whole = int(integer or "0")
            if whole == 0:
                return f"{cardinal(cents, lang)} {currency.minor_singular if cents == 1 else currency.minor_plural}"
            said = f"{one_before(cardinal(whole, lang), False, lang)} {singular if whole == 1 else plural}"
            return said + (f" {cardinal(cents, lang)}" if cents else "")
        if fraction:
            return f"{number_words(raw, ctx)} {plural}"
        if adjective:
            return f"{cardinal(int(integer), lang)}-{singular.replace(' ', '-')}"
        return f"{one_before(cardinal(int(integer), lang), False, lang)} {singular if integer == '1' else plural}"

    if currencies:
        text = substitute(
            re.compile(
                r"(?<![\w])(?P<pre>US|A|C|NZ|HK)?(?P<cur>[" + currencies + r"])\s?(?P<num>" + num + r")"
                r"(?:\s?(?P<mult>" + multipliers + r")(?![\w]))?"
            ),
            text, ctx, money,
        )
        text = substitute(
            re.compile(
                r"(?<![\w.,])(?P<num>" + num + r")\s?(?:(?P<mult>" + multipliers + r")\s?)?(?P<pre>)(?P<cur>["
                + currencies + r"])(?!\d)"
            ),
            text, ctx, money,
        )
    if lang.pence is not None:
        penny, pence = lang.pence
        text = substitute(
            re.compile(r"(?<![\w.,])(\d{1,3})p(?![\w])"),
            text, ctx, lambda m: f"{cardinal(int(m.group(1)), lang)} {penny if m.group(1) == '1' else pence}",
        )
    return text
