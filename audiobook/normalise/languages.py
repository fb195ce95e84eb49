"""Per-language word tables the normaliser speaks with (English first; French and German ready)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Currency:
    singular: str
    plural: str
    minor_singular: str
    minor_plural: str


@dataclass(frozen=True)
class Unit:
    singular: str
    plural: str


@dataclass(frozen=True)
class Language:
    """Everything language-specific that is data rather than logic."""

    code: str  # num2words language code
    day_first: bool  # 25/03/2017 is day/month/year
    point: str  # decimal separator word
    decimal_comma: bool  # "3,5" is a decimal (French, German), not a thousands separator
    per_cent: str
    minus: str
    words: dict[str, str]  # symbol and URL words: dot, at, slash, hashtag, and, plus, ...
    months: tuple[str, ...]
    month_abbreviations: dict[str, int]
    currencies: dict[str, Currency]
    multipliers: dict[str, str]  # bn, m, k → billion, million, thousand
    units: dict[str, Unit]
    fractions: dict[int, tuple[str, str]] = field(default_factory=dict)  # denominator → (singular, plural)
    spoken_tlds: frozenset[str] = frozenset()  # top-level domains said as words


_MONTH_ABBREVIATIONS_EN = {
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8,
    "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}

ENGLISH = Language(
    code="en",
    day_first=True,
    point="point",
    decimal_comma=False,
    per_cent="per cent",
    minus="minus",
    words={
        "dot": "dot", "at": "at", "slash": "slash", "hashtag": "hashtag", "and": "and",
        "plus": "plus", "equals": "equals", "number": "number", "numbers": "numbers", "to": "to",
        "underscore": "underscore", "dash": "dash", "hash": "hash", "times": "times", "degrees": "degrees",
        "less than": "less than", "more than": "more than", "about": "about", "or": "or",
        "section": "section", "copyright": "copyright", "divided by": "divided by",
        "plus or minus": "plus or minus", "question mark": "question mark", "percent sign": "per cent",
        "point": "point", "page": "page", "pages": "pages", "circa": "circa", "half": "a half",
        "and a half": "and a half",
    },
    months=(
        "January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December",
    ),
    month_abbreviations=_MONTH_ABBREVIATIONS_EN,
    currencies={
        "£": Currency("pound", "pounds", "penny", "pence"),
        "$": Currency("dollar", "dollars", "cent", "cents"),
        "€": Currency("euro", "euros", "cent", "cents"),
        "¥": Currency("yen", "yen", "sen", "sen"),
        "₹": Currency("rupee", "rupees", "paisa", "paise"),
    },
    multipliers={
        "bn": "billion", "billion": "billion", "m": "million", "mn": "million", "million": "million",
        "k": "thousand", "thousand": "thousand", "tn": "trillion", "trillion": "trillion",
    },
    units={
        "mph": Unit("mile per hour", "miles per hour"),
        "km/h": Unit("kilometre per hour", "kilometres per hour"),
        "kph": Unit("kilometre per hour", "kilometres per hour"),
        "km": Unit("kilometre", "kilometres"),
        "m": Unit("metre", "metres"),
        "cm": Unit("centimetre", "centimetres"),
        "mm": Unit("millimetre", "millimetres"),
        "kg": Unit("kilogram", "kilograms"),
        "g": Unit("gram", "grams"),
        "mg": Unit("milligram", "milligrams"),
        "lb": Unit("pound", "pounds"),
        "lbs": Unit("pounds", "pounds"),
        "oz": Unit("ounce", "ounces"),
        "ft": Unit("foot", "feet"),
        "mi": Unit("mile", "miles"),
        "ml": Unit("millilitre", "millilitres"),
        "°C": Unit("degree Celsius", "degrees Celsius"),
        "ºC": Unit("degree Celsius", "degrees Celsius"),
        "°F": Unit("degree Fahrenheit", "degrees Fahrenheit"),
        "°": Unit("degree", "degrees"),
        "kW": Unit("kilowatt", "kilowatts"),
        "kWh": Unit("kilowatt hour", "kilowatt hours"),
        "MW": Unit("megawatt", "megawatts"),
        "GW": Unit("gigawatt", "gigawatts"),
        "GB": Unit("gigabyte", "gigabytes"),
        "MB": Unit("megabyte", "megabytes"),
        "TB": Unit("terabyte", "terabytes"),
        "Hz": Unit("hertz", "hertz"),
        "kHz": Unit("kilohertz", "kilohertz"),
        "MHz": Unit("megahertz", "megahertz"),
        "GHz": Unit("gigahertz", "gigahertz"),
        "s": Unit("second", "seconds"),  # only with a space or a decimal point: "3s" is a plural
        "ms": Unit("millisecond", "milliseconds"),
        "µs": Unit("microsecond", "microseconds"),
        "μs": Unit("microsecond", "microseconds"),  # Greek mu, as some fonts and keyboards give it
        "ns": Unit("nanosecond", "nanoseconds"),
        "kB": Unit("kilobyte", "kilobytes"),
        "KB": Unit("kilobyte", "kilobytes"),
        "KiB": Unit("kibibyte", "kibibytes"),
        "MiB": Unit("mebibyte", "mebibytes"),
        "GiB": Unit("gibibyte", "gibibytes"),
        "TiB": Unit("tebibyte", "tebibytes"),
        "MB/s": Unit("megabyte per second", "megabytes per second"),
        "Mbit/s": Unit("megabit per second", "megabits per second"),
        "Gbit/s": Unit("gigabit per second", "gigabits per second"),
        "Mbps": Unit("megabit per second", "megabits per second"),
        "Gbps": Unit("gigabit per second", "gigabits per second"),
        "km²": Unit("square kilometre", "square kilometres"),
        "m²": Unit("square metre", "square metres"),
        "ha": Unit("hectare", "hectares"),
        "mins": Unit("minute", "minutes"),
        "min": Unit("minute", "minutes"),
        "hrs": Unit("hour", "hours"),
        "hr": Unit("hour", "hours"),
        "yrs": Unit("year", "years"),
        "in": Unit("inch", "inches"),  # only written straight after a number: 6ft 2in
        "x": Unit("times", "times"),  # 2x faster
        "sq ft": Unit("square foot", "square feet"),
        "pc": Unit("per cent", "per cent"),  # "5pc", as some British papers write it
    },
    fractions={
        2: ("half", "halves"), 3: ("third", "thirds"), 4: ("quarter", "quarters"),
        5: ("fifth", "fifths"), 6: ("sixth", "sixths"), 8: ("eighth", "eighths"), 10: ("tenth", "tenths"),
    },
    spoken_tlds=frozenset({"com", "org", "net", "gov", "edu", "info", "biz", "co", "ac", "mil", "int", "news"}),
)

FRENCH = Language(
    code="fr",
    day_first=True,
    point="virgule",
    decimal_comma=True,
    per_cent="pour cent",
    minus="moins",
    words={
        "dot": "point", "at": "arobase", "slash": "barre oblique", "hashtag": "hashtag", "and": "et",
        "plus": "plus", "equals": "égale", "number": "numéro", "numbers": "numéros", "to": "à",
        "underscore": "tiret bas", "dash": "tiret", "hash": "dièse", "times": "fois", "degrees": "degrés",
        "less than": "moins de", "more than": "plus de", "about": "environ", "or": "ou",
        "section": "paragraphe", "copyright": "copyright", "divided by": "divisé par",
        "plus or minus": "plus ou moins", "question mark": "point d'interrogation", "percent sign": "pour cent",
        "point": "virgule", "page": "page", "pages": "pages", "circa": "vers", "half": "un demi",
        "and a half": "et demi",
    },
    months=(
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet",
        "août", "septembre", "octobre", "novembre", "décembre",
    ),
    month_abbreviations={},
    currencies={
        "€": Currency("euro", "euros", "centime", "centimes"),
        "£": Currency("livre", "livres", "penny", "pence"),
        "$": Currency("dollar", "dollars", "cent", "cents"),
    },
    multipliers={"Md": "milliards", "M": "millions", "k": "mille", "milliards": "milliards", "millions": "millions"},
    units={
        "km/h": Unit("kilomètre heure", "kilomètres heure"),
        "km": Unit("kilomètre", "kilomètres"),
        "kg": Unit("kilogramme", "kilogrammes"),
        "°C": Unit("degré Celsius", "degrés Celsius"),
        "m": Unit("mètre", "mètres"),
        "cm": Unit("centimètre", "centimètres"),
    },
    spoken_tlds=frozenset({"com", "org", "net", "gouv", "info"}),
)

GERMAN = Language(
    code="de",
    day_first=True,
    point="Komma",
    decimal_comma=True,
    per_cent="Prozent",
    minus="minus",
    words={
        "dot": "Punkt", "at": "at", "slash": "Schrägstrich", "hashtag": "Hashtag", "and": "und",
        "plus": "plus", "equals": "gleich", "number": "Nummer", "numbers": "Nummern", "to": "bis",
        "underscore": "Unterstrich", "dash": "Bindestrich", "hash": "Raute", "times": "mal", "degrees": "Grad",
        "less than": "weniger als", "more than": "mehr als", "about": "etwa", "or": "oder",
        "section": "Paragraf", "copyright": "Copyright", "divided by": "geteilt durch",
        "plus or minus": "plus minus", "question mark": "Fragezeichen", "percent sign": "Prozent",
        "point": "Komma", "page": "Seite", "pages": "Seiten", "circa": "circa", "half": "ein halb",
        "and a half": "einhalb",
    },
    months=(
        "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
        "August", "September", "Oktober", "November", "Dezember",
    ),
    month_abbreviations={},
    currencies={
        "€": Currency("Euro", "Euro", "Cent", "Cent"),
        "£": Currency("Pfund", "Pfund", "Penny", "Pence"),
        "$": Currency("Dollar", "Dollar", "Cent", "Cent"),
    },
    multipliers={"Mrd": "Milliarden", "Mio": "Millionen", "Mio.": "Millionen", "Mrd.": "Milliarden"},
    units={
        "km/h": Unit("Kilometer pro Stunde", "Kilometer pro Stunde"),
        "km": Unit("Kilometer", "Kilometer"),
        "kg": Unit("Kilogramm", "Kilogramm"),
        "°C": Unit("Grad Celsius", "Grad Celsius"),
        "m": Unit("Meter", "Meter"),
        "cm": Unit("Zentimeter", "Zentimeter"),
    },
    spoken_tlds=frozenset({"com", "org", "net", "info"}),
)

LANGUAGES: dict[str, Language] = {"en": ENGLISH, "fr": FRENCH, "de": GERMAN}


def language_for(tag: str) -> Language:
    """The table for a language tag such as "en", "en-GB", "en_US" or "fr"; English if unknown."""
    base = tag.replace("_", "-").split("-")[0].lower() if tag else "en"
    language = LANGUAGES.get(base, ENGLISH)
    region = tag.replace("_", "-").split("-")[1].upper() if "-" in tag.replace("_", "-") else ""
    if language is ENGLISH and region == "US":
        # American English writes dates month first and says "percent".
        return replace(ENGLISH, day_first=False, per_cent="percent")
    return language
