"""Times, dates, decades and years."""

from __future__ import annotations

import re

from num2words import num2words

from .context import Context, substitute, text_after, text_before
from .languages import Unit
from .numerals import months_pattern, one_before
from .words import cardinal, english_decade, english_year, ordinal, pluralise_number_words


_AMPM = r"(?P<ampm>[aApP]\.[mM]\.|[aApP][mM])(?!\w)"


def _minutes(mm: str, ctx: Context) -> str:
    value = int(mm)
    if value == 0:
        return ""
    if value < 10:
        return "oh " + cardinal(value, ctx.language)
    return cardinal(value, ctx.language)


def _hours(hour: int, ctx: Context) -> str:
    """"une heure", "vingt et une heures", "ein Uhr": the hour with the language's word for it."""
    lang = ctx.language
    said = one_before(cardinal(hour, lang), lang.hour_feminine, lang)
    return " ".join(p for p in (said, lang.hour_words[0] if hour == 1 else lang.hour_words[1]) if p)


_SECOND = Unit("second", "seconds")
_DECADE = re.compile(r"1[1-9]\d0|20\d0")
_GERMAN_YEAR_WORDS = (
    r"\b(?:im|in|seit|bis|von|vom|ab|um|vor|nach|Jahre?s?|Anfang|Ende|Mitte|Sommer|Winter|Frühjahr|Herbst|Frühling"
    r"|zwischen|und|Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
    r"|January|February|March|May|June|July|October|December)\s+$"
)


def _month_number(name: str, ctx: Context) -> int | None:
    lang = ctx.language
    clean = name.rstrip(".")
    if clean in lang.months:
        return lang.months.index(clean) + 1
    return lang.month_abbreviations.get(clean)


def year_words(year: str, ctx: Context) -> str:
    if not ctx.language.years_in_pairs:
        try:
            return re.sub(r"\s+", " ", num2words(int(year), lang=ctx.language.code, to="year").replace(",", ""))
        except (NotImplementedError, OverflowError, ValueError):
            return cardinal(int(year), ctx.language)
    if len(year) == 2:
        value = int(year)
        return ("oh " + cardinal(value, ctx.language)) if value < 10 else cardinal(value, ctx.language)
    return english_year(int(year))


_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _date(day: int, month: int, year: str | None, m: re.Match[str], ctx: Context) -> str | None:
    # A date that cannot exist ("2.30.32", the thirtieth of February) is some other number.
    if not (1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]):
        return None
    if month == 2 and day == 29 and year and len(year) == 4 and not (int(year) % 4 == 0 and (int(year) % 100 != 0 or int(year) % 400 == 0)):
        return None
    lang = ctx.language
    month_name = lang.months[month - 1]
    if lang.date_day == "dative ordinal":
        # "am 23. März": the dative ordinal, the usual case after am/vom/zum/bis zum.
        spoken = f"{ordinal(day, lang)}n {month_name}"
    elif lang.date_day == "cardinal":
        spoken = f"{cardinal(day, lang) if day != 1 else ordinal(day, lang)} {month_name}"
    elif lang.day_first:
        the = "" if re.search(r"\bthe\s*$", text_before(m), re.IGNORECASE) else "the "
        spoken = f"{the}{ordinal(day, lang)} of {month_name}"
    else:
        spoken = f"{month_name} {ordinal(day, lang)}"
    if year:
        spoken += f" {year_words(year, ctx)}"
    return spoken


_DATE_CONTEXT = r"\b(?:on|dated?|from|until|till|since|by|before|after|expires?|expiry|born|published|updated)\s*:?\s*$"
# Words ending in s that follow a year without being a plural noun it counts ("in 1969 was").
_NOT_PLURAL = frozenset(
    "was has is does this his its thus us yes plus minus versus whereas perhaps always besides "
    "sees saw marks brings begins ends starts remains seems means looks becomes".split()
)


def say_times(text: str, ctx: Context) -> str:
    """Clock times: 9.30am, 21:15, 15:19:02, "14 h 30", "14:30 Uhr", "at 9.30"; ratios and dimensions."""
    lang = ctx.language
    words = lang.words
    def ampm(m: re.Match[str]) -> str | None:
        hour, mm = int(m.group("h")), m.group("m") or "00"
        if not 0 <= hour <= 12 or int(mm) > 59:
            return None
        said = " ".join(p for p in (cardinal(hour, lang), _minutes(mm, ctx)) if p)
        suffix = "A-M" if m.group("ampm")[0] in "aA" else "P-M"
        spoken = f"{said} {suffix}"
        if m.group("ampm").endswith(".") and re.match(r"\s*$", text_after(m)):
            spoken += "."
        return spoken

    # The separator is optional: "930pm" and "1030am" are clock times as informal copy writes them.
    text = substitute(re.compile(r"(?<![\w.:,])(?P<h>\d{1,2})(?:[.:]?(?P<m>\d{2}))?\s?" + _AMPM), text, ctx, ampm)

    def clock(m: re.Match[str]) -> str | None:
        hour, mm = int(m.group("h")), m.group("m")
        if hour > 23 or int(mm) > 59:
            return None
        if not lang.oclock:
            return " ".join(p for p in (_hours(hour, ctx), cardinal(int(mm), lang) if int(mm) else "") if p)
        if int(mm) == 0:
            return f"{cardinal(hour, lang)} hundred" if hour > 12 or m.group("h").startswith("0") else f"{cardinal(hour, lang)} o'clock"
        return f"{cardinal(hour, lang)} {_minutes(mm, ctx)}"

    def after_time_word(m: re.Match[str]) -> str | None:
        said = clock(m)
        return None if said is None else f"{m.group('w')} {said}"

    if lang.hour_sign:
        # "14 h 30", "14h30", "9 h": the French way of writing the time.
        sign = re.escape(lang.hour_sign)
        text = substitute(
            re.compile(r"(?<![\w.:,])(?P<h>\d{1,2})\s?" + sign + r"\s?(?P<m>\d{2})?(?![\w])"),
            text, ctx, lambda m: clock(m) if m.group("m") else _hours(int(m.group("h")), ctx),
        )
    if lang.clock_suffix:
        # "14:30 Uhr", "14.30 Uhr": the clock rule says "Uhr" itself; "1 Uhr" is "ein Uhr".
        suffix = re.escape(lang.clock_suffix)
        text = substitute(re.compile(r"(?<![\w.:,])(?P<h>\d{1,2})[:.](?P<m>\d{2})\s?" + suffix + r"\b"), text, ctx, clock)
        text = substitute(
            re.compile(r"(?<![\w.:,])(?P<h>\d{1,2})\s?" + suffix + r"\b"),
            text, ctx, lambda m: None if int(m.group("h")) > 24 else _hours(int(m.group("h")), ctx),
        )
    def with_seconds(m: re.Match[str]) -> str | None:
        said, seconds = clock(m), int(m.group("s"))
        if said is None or seconds > 59:
            return None
        unit = lang.units.get("s", _SECOND)
        return f"{said} {words['and']} {one_before(cardinal(seconds, lang), True, lang)} {unit.singular if seconds == 1 else unit.plural}"

    # "15:19:02 UTC": a time with its seconds ("fifteen nineteen and two seconds").
    text = substitute(re.compile(r"(?<![\w.:,])(?P<h>\d{1,2}):(?P<m>\d{2}):(?P<s>\d{2})(?![\d:]|[.,]\d)"), text, ctx, with_seconds)
    text = substitute(re.compile(r"(?<![\w.:,])(?P<h>\d{1,2}):(?P<m>\d{2})(?![\d:])"), text, ctx, clock)
    # Ratios and dimensions: 10:1 → ten to one, 5 x 3 → five by three.
    if "50/50" in lang.fraction_idioms:
        fifty_fifty = lang.fraction_idioms["50/50"]
        text = substitute(re.compile(r"(?<![\w.:,])50[:/-]50(?![\d:])"), text, ctx, lambda m: fifty_fifty)
    text = re.sub(r"(?<![\w.:,])(\d+):(\d+)(?![\d:])", rf"\1 {words['ratio']} \2", text)
    if lang.dimension_by:
        text = substitute(re.compile(r"(?<=\d)\s?x\s?(?=\d)"), text, ctx, lambda m: f" {lang.dimension_by} ")
    if lang.time_words:
        # The words after the minutes that make "9.30" a number are English ones: only English has time words.
        text = substitute(
            re.compile(r"\b(?P<w>(?:" + lang.time_words + r")) (?P<h>1[0-2]|0?\d)\.(?P<m>[0-5]\d)(?![\d.,]\d|\d|%|\s*(?:per\s?cent|percent|[a-zA-Z]+\d|million|billion|bn|m)\b)", re.IGNORECASE),
            text, ctx, after_time_word,
        )
    return text


def say_dates(text: str, ctx: Context) -> str:
    """Dates: 25/03/2017, 2017-03-25, 1 July, 1-3 March, 23 March 2017, March 23, 2017."""
    lang = ctx.language
    words = lang.words
    months = months_pattern(lang)
    def numeric_date(m: re.Match[str]) -> str | None:
        first, second, year = int(m.group(1)), int(m.group(3)), m.group(4)
        if m.group(2) == "." and len(year) == 2 and not re.search(_DATE_CONTEXT, text_before(m), re.IGNORECASE):
            # "3.5.10" and "5.6.12" are section and version numbers far more often than
            # dates; with dots and a two-digit year, only a word like "on" makes a date.
            return None
        if (
            lang.slash_dates_either_order and m.group(2) == "/" and len(year) == 2 and len(m.group(1)) == 1 and len(m.group(3)) == 1
            and not re.search(_DATE_CONTEXT, text_before(m), re.IGNORECASE)
        ):
            # "5/6/12" with no word like "on" could be a date in either order, a fraction
            # list or a path; dates on forms pad to "05/06/12". Said as written.
            return f" {words['slash']} ".join(cardinal(int(g), lang) for g in (m.group(1), m.group(3), year))
        day, month = (first, second) if lang.day_first else (second, first)
        if month > 12 and day <= 12:
            day, month = month, day
        return _date(day, month, year, m, ctx)

    text = substitute(re.compile(r"(?<![\w/.])(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})(?![\w/]|\.\d)"), text, ctx, numeric_date)
    # With hyphens only a four-digit year makes it a date: "1-3-17" may be a sequence.
    text = substitute(re.compile(r"(?<![\w/.-])(\d{1,2})(-)(\d{1,2})-(\d{4})(?![\w/-]|\.\d)"), text, ctx, numeric_date)
    text = substitute(
        re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])"),
        text, ctx, lambda m: _date(int(m.group(3)), int(m.group(2)), m.group(1), m, ctx),
    )

    if lang.date_day == "ordinal":
        # "1-3 March": the first to the third of March.
        def day_range(m: re.Match[str]) -> str | None:
            month = _month_number(m.group(3), ctx)
            first, last = int(m.group(1)), int(m.group(2))
            if month is None or not (1 <= first < last <= 31):
                return None
            the = "" if re.search(r"\bthe\s*$", text_before(m), re.IGNORECASE) else "the "
            month_name = lang.months[month - 1]
            if lang.day_first:
                spoken = f"{the}{ordinal(first, lang)} {words['to']} the {ordinal(last, lang)} of {month_name}"
            else:
                spoken = f"{month_name} {ordinal(first, lang)} {words['to']} {ordinal(last, lang)}"
            return spoken + (f" {year_words(m.group(4), ctx)}" if m.group(4) else "")

        text = substitute(
            re.compile(r"(?<![\w.,])(\d{1,2})\s?[-–]\s?(\d{1,2})\s+(" + months + r")(?:,?\s+(\d{4}))?(?![\w])"),
            text, ctx, day_range,
        )

    def day_month(m: re.Match[str]) -> str | None:
        month = _month_number(m.group(2), ctx)
        return None if month is None else _date(int(m.group(1)), month, m.group(3), m, ctx)

    text = substitute(
        re.compile(r"(?<![\w.,])(\d{1,2})(?:st|nd|rd|th|er|\.)?\s+(" + months + r")(?:,?\s+(\d{4}))?(?![\w])"),
        text, ctx, day_month,
    )
    if lang.month_abbreviations:
        # "Sept 2016": the month in full before a year (after "1 Jan 2020" took its own).
        text = substitute(
            re.compile(r"(?<![\w.])(" + "|".join(re.escape(a) for a in lang.month_abbreviations) + r")\.?(?=\s+\d{4}\b)"),
            text, ctx, lambda m: lang.months[lang.month_abbreviations[m.group(1)] - 1],
        )
    if lang.month_before_day:
        def month_day(m: re.Match[str]) -> str | None:
            month = _month_number(m.group(1), ctx)
            day = int(m.group(2))
            if month is None or not 1 <= day <= 31:
                return None
            spoken = f"{lang.months[month - 1]} {ordinal(day, lang)}"
            if m.group(3):
                spoken += f", {year_words(m.group(3), ctx)}"
            return spoken

        text = substitute(
            re.compile(r"(?<![\w])(" + months + r")\s+(\d{1,2})(?:st|nd|rd|th)?(?:,\s*(\d{4}))?(?![\w%°]|[.,:]\d)"),
            text, ctx, month_day,
        )
    return text


def say_decades(text: str, ctx: Context) -> str:
    """Decades and short years: the 1970s, the '60s, '68, die 1990er."""
    lang = ctx.language
    if lang.decade_suffix:
        # "die 1990er Jahre", "in den 80ern", "386er": decades and models ("n" is the dative).
        suffix = lang.decade_suffix
        text = substitute(
            re.compile(r"(?<![\w.,])(\d{1,4})" + re.escape(suffix) + r"(n?)(?![\w])"),
            text, ctx,
            lambda m: (year_words(m.group(1), ctx) if _DECADE.fullmatch(m.group(1)) else cardinal(int(m.group(1)), lang)) + suffix + m.group(2),
        )

    if lang.years_in_pairs:
        # Decades: the 1970s, the '60s, the 80s.
        text = substitute(
            re.compile(r"(?<![\w.,])(1[1-9]\d0|20\d0)['’]?s(?![\w])"),
            text, ctx,
            lambda m: english_decade(int(m.group(1))),
        )
        text = substitute(
            re.compile(r"(?<![\w.,])['’]?([1-9]0)['’]?s(?![\w])"),
            text, ctx, lambda m: pluralise_number_words(cardinal(int(m.group(1)), lang)),
        )
        # '68 → sixty-eight (a year written short).
        text = substitute(
            re.compile(r"(?<![\w])['’](\d\d)(?![\w'’])"),
            text, ctx, lambda m: year_words(m.group(1), ctx),
        )
    return text


def say_years(text: str, ctx: Context) -> str:
    """Years (1982, im Jahr 1998), or counts when a plural noun follows ("1543 sources")."""
    lang = ctx.language
    months = months_pattern(lang)
    # Years (English): 1982 → nineteen eighty-two; 2015 → two thousand and fifteen.
    year_context = r"(?:in|since|by|until|till|from|of|year|between|and|to|before|after|during|early|late|mid|summer|spring|autumn|winter|circa|c\.|" + months + r")"
    if lang.count_noun_sign == "capital":
        # "1543 Quellen" counts; "1998 wurde", "im Jahr 1998", "seit 2001 Pakete" are years. Every German
        # noun has a capital, so a capital word after the number, with no year word before it, is counted.
        def german_year(m: re.Match[str]) -> str | None:
            counted = re.match(r"\s+[A-ZÄÖÜ][a-zäöüß]*(?:e|en|er|n|s|el)\b", text_after(m)) and not re.match(r"\s+(?:" + months + r")\b", text_after(m))
            if counted and not re.search(_GERMAN_YEAR_WORDS, text_before(m)):
                return None
            return year_words(m.group(1), ctx)

        text = substitute(re.compile(r"(?<![\w.,£$€])(1[1-9]\d\d|20\d\d)(?![\w%°]|[.,]\d)"), text, ctx, german_year)
    elif not lang.count_noun_sign:
        text = substitute(
            re.compile(r"(?<![\w.,£$€])(1[1-9]\d\d|20\d\d)(?![\w%°]|[.,]\d)"), text, ctx, lambda m: year_words(m.group(1), ctx)
        )
    if lang.count_noun_sign == "plural":
        strong_year_context = r"\b(?:in|between|since|by|until|till|before|after|during|early|late|mid|summer|spring|autumn|winter|circa|c\.|year|" + months + r")\s+$"

        def year(m: re.Match[str]) -> str | None:
            value = int(m.group(1))
            # "1024 or 4096 bytes": the first number of a list counts the same noun.
            noun = re.match(r"(?:\s*(?:,|or|and|to|-|–)\s*\d+)?\s+([a-z]{3,})\b", text_after(m))
            plural = noun is not None and (
                noun.group(1) in {"people", "children", "men", "women"}
                or (noun.group(1).endswith("s") and not noun.group(1).endswith("ss") and noun.group(1) not in _NOT_PLURAL)
            )
            if plural and not re.search(strong_year_context, text_before(m), re.IGNORECASE):
                # A count: "1543 sources", "from 2000 packages". "in 1543" and "since 2001" stay years.
                return None
            if 1000 <= value <= 2019 and not (1000 <= value < 2000 and value % 100 == 0 and re.match(r"\s+[a-z]", text_after(m)) and not re.search(year_context + r"\s+$", text_before(m), re.IGNORECASE)):
                return english_year(value)
            # 2020-2099 in prose is nearly always a year, unless it counts something ("2050 people", above).
            if 2020 <= value <= 2099:
                return english_year(value)
            return None

        text = substitute(re.compile(r"(?<![\w.,£$€])(\d{4})(?![\w%°]|[.,]\d)"), text, ctx, year)
    return text
