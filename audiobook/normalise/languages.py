"""Per-language word tables the normaliser speaks with (English first; French and German ready)."""

from __future__ import annotations

from collections.abc import Callable
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
    feminine: bool = False  # "une seconde", "eine Sekunde": one of them takes the feminine "one"


def _unchanged(said: str) -> str:
    return said


def german_one(said: str) -> str:
    """German "eins" before a noun is "ein" ("ein Uhr", "ein Euro", "einundzwanzig" is left alone)."""
    return said[:-1] if said.endswith("eins") and not said.endswith("undeins") else said


def _french_of(currency: str) -> str:
    return ("d'" if currency[0] in "aeiouéèh" else "de ") + currency  # "trois milliards d'euros"


def _ordinal_and_s(ordinal: str) -> tuple[str, str]:
    return ordinal, ordinal + "s"  # seventh, sevenths; septième, septièmes


def _german_fraction(ordinal: str) -> tuple[str, str]:
    name = ordinal[:-1].capitalize() + "el"  # neunte → Neuntel
    return name, name


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
    # Versions and section numbers: "5.6.12" is "five point six point twelve", "cinq point six
    # point douze", "fünf Punkt sechs Punkt zwölf": never the decimal comma word.
    version_point: str = "point"
    # Words after which a dotted number is a reference ("section 4.10"), as regex alternatives,
    # and the words that chain references ("sections 4.9 and 4.10").
    reference_words: str = ""
    reference_joiners: str = ""
    # French reads a decimal's one or two digits as a number ("1,80": un virgule quatre-vingts);
    # English and German say each digit.
    decimals_as_number: bool = False
    # Titles said in full only before a name ("M. Dupont", "St. Pauli"): "M." alone may be a letter.
    titles: dict[str, str] = field(default_factory=dict)
    # Reference words said in full only before a number ("S. 12", "n° 5"): "Art." alone may end a
    # sentence on the word "Art". Left in the text (not finished), so the version rule still sees
    # "Abschnitt 4.2" and "chapitre 3.1" as references.
    numbered_words: dict[str, str] = field(default_factory=dict)
    # Common feminine nouns counted in technical and news text, singular: "une page", "eine Datei".
    feminine_nouns: frozenset[str] = frozenset()
    # "One" before a noun, as a number word ends: German "eins" is "ein" ("ein Euro").
    one_before_noun: Callable[[str], str] = _unchanged
    # The ending of "one" that takes an "e" before a feminine noun: "une seconde", "eine Sekunde".
    feminine_one: str = ""
    # Every noun is written with a capital (German), so only a capitalised word after a number is its noun.
    nouns_capitalised: bool = False
    # The word for a zero inside a code, phone number or version ("two point oh one"); None says "zero".
    zero_digit: str | None = None
    # Words before a number that is dialled, so said digit by digit ("call 999"), as regex alternatives.
    dial_words: str = ""
    # How ordinals are written: "st/nd/rd/th" (21st), "er/e" (1er, XXIe siècle), "dot" (der 2. Weltkrieg).
    written_ordinals: str = "st/nd/rd/th"
    # A denominator not in `fractions`, named from its ordinal as (singular, plural); None: said as two numbers.
    fraction_from_ordinal: Callable[[str], tuple[str, str]] | None = None
    # What joins a whole number to words["and a half"] ("three and a half", "dreieinhalb"); None: no such phrase.
    and_a_half_joiner: str | None = None
    # The article said for "one" in a mixed number's fraction ("two and a third").
    one_as_article: str = ""
    # Fractions said as idioms ("24/7", "50/50").
    fraction_idioms: dict[str, str] = field(default_factory=dict)
    # Scores and shares with a noun after them: "9/10 people" is nine out of ten.
    out_of: str = ""
    # Dates and times.
    # A year said as two pairs (English "nineteen eighty-two", "the seventies", "'68"); else num2words's year.
    years_in_pairs: bool = False
    # A date's day: "ordinal" (the 23rd of March), "dative ordinal" (am dreiundzwanzigsten März) or
    # "cardinal" (le 23 mars, with the ordinal for the first).
    date_day: str = "cardinal"
    # The month is also written before the day ("March 23, 2017").
    month_before_day: bool = False
    # "5/6/12" may be day or month first (British and American text mix), so with no date word it is said as written.
    slash_dates_either_order: bool = False
    # A clock time names its hours: "une heure", "deux heures", "ein Uhr"; and whether the hour is feminine.
    hour_words: tuple[str, str] = ("", "")
    hour_feminine: bool = False
    # The clock as English says it: "nine o'clock", "fourteen hundred", "nine oh five".
    oclock: bool = False
    # The letter between hours and minutes ("14 h 30"), and the word after a time ("14:30 Uhr").
    hour_sign: str = ""
    clock_suffix: str = ""
    # Words after which "9.30" is a time, not a decimal, as regex alternatives.
    time_words: str = ""
    # The word for "x" in dimensions ("5 x 3": five by three).
    dimension_by: str = ""
    # The suffix of a decade ("die 1990er").
    decade_suffix: str = ""
    # What marks a noun after a four-digit number, making it a count, not a year: "plural" ("1543 sources"),
    # "capital" ("1543 Quellen"); "": every such number in the years' range is a year.
    count_noun_sign: str = ""
    # Units and money.
    # Symbols that are units only when written close to the number ("6ft 2in", "2x"): with a space they are words.
    close_unit_symbols: frozenset[str] = frozenset()
    # The unit symbol that also means million ("13m people"): metres only before a distance word or alone.
    million_symbol: str = ""
    # After "a", an amount describes a noun: "a £10 note" is a ten-pound note, "a 2 GiB file" a two-gibibyte file.
    amount_as_adjective: bool = False
    # "100s of people": hundreds; by the number without commas.
    round_plurals: dict[str, str] = field(default_factory=dict)
    # How the currency follows a multiplier ("trois milliards d'euros"); None: the plural, as it is.
    currency_after_multiplier: Callable[[str], str] | None = None
    # "50p": pence written after the number, (singular, plural).
    pence: tuple[str, str] | None = None
    # Words and letters.
    # The language's own words for digits said one by one; empty: its cardinals.
    digit_words: tuple[str, ...] = ()
    # St (Saint or Street), Dr (Doctor or Drive), No. (number) are read from the words around them,
    # not from the `titles` table.
    abbreviations_in_context: bool = False
    # Words a Roman numeral numbers ("War II", "Henry VIII"), as regex alternatives; of them, the rulers,
    # whose numeral is an ordinal with "the" ("Henry the Eighth").
    numbered_by_roman: str = ""
    regnal_names: frozenset[str] = frozenset()
    # Two-letter words written in capitals for emphasis ("he said NO"); every other two-letter
    # capital token is spelled (PA, TV, ME the illness, UN through the lexicon).
    emphasis_words: frozenset[str] = frozenset()
    # Initialisms that are also words: spelled, except inside text written all in capitals ("the US").
    spelled_unless_shouting: frozenset[str] = frozenset()


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
        "and a half": "and a half", "version": "version", "ratio": "to", "sections": "sections", "tilde": "tilde", "colon": "colon",
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
        "kB/s": Unit("kilobyte per second", "kilobytes per second"),
        "Mbit/s": Unit("megabit per second", "megabits per second"),
        "Gbit/s": Unit("gigabit per second", "gigabits per second"),
        "Mbps": Unit("megabit per second", "megabits per second"),
        "Gbps": Unit("gigabit per second", "gigabits per second"),
        "km²": Unit("square kilometre", "square kilometres"),
        "m²": Unit("square metre", "square metres"),
        "ha": Unit("hectare", "hectares"),
        "mins": Unit("minute", "minutes", feminine=True),
        "min": Unit("minute", "minutes", feminine=True),
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
    reference_words=(
        r"versions?|releases?|sections?|chapters?|clauses?|appendix|appendices|paragraphs?|subsections?"
        r"|figures?|fig\.|tables?|steps?|§§?"
    ),
    reference_joiners="and|or|to|through",
    zero_digit="oh",
    dial_words="call|dial|ring|text|phone|ringing|calling|dialled|dialed",
    fraction_from_ordinal=_ordinal_and_s,
    and_a_half_joiner=" ",
    one_as_article="a",
    fraction_idioms={"24/7": "twenty-four seven", "9/11": "nine eleven", "50/50": "fifty-fifty", "20/20": "twenty twenty"},
    out_of="out of",
    years_in_pairs=True,
    date_day="ordinal",
    month_before_day=True,
    slash_dates_either_order=True,
    oclock=True,
    # "to", "by" and "from" are left out on purpose: "rose from 2.15 to 3.45" is about numbers.
    time_words="at|until|till|before|after|around",
    dimension_by="by",
    count_noun_sign="plural",
    close_unit_symbols=frozenset({"m", "g", "mi", "ha", "hr", "°", "ft", "lb", "oz", "pc", "in", "x"}),
    million_symbol="m",
    amount_as_adjective=True,
    round_plurals={"100": "hundreds", "1000": "thousands", "1000000": "millions"},
    pence=("penny", "pence"),
    digit_words=("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    abbreviations_in_context=True,
    numbered_by_roman=(
        r"War|Part|Chapter|Volume|Act|Book|Phase|Apollo|Episode|Round|Stage|Level|Class|Type|Grade|Article|Title|"
        r"Section|Schedule|Annex|Henry|Edward|George|William|Charles|Richard|Elizabeth|James|Louis|Pope|John|Paul|Benedict|Pius|Mary"
    ),
    regnal_names=frozenset(
        "Henry Edward George William Charles Richard Elizabeth James Louis Pope John Paul Benedict Pius Mary".split()
    ),
    emphasis_words=frozenset("NO GO SO DO WE MY UP ON OF TO BE HE OR AS AN BY OH HI IF".split()),
    spelled_unless_shouting=frozenset("US IT IS WHO AM PM".split()),
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
        "and a half": "et demi", "version": "version", "ratio": "sur", "sections": "paragraphes", "tilde": "tilde", "colon": "deux-points",
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
        "g": Unit("gramme", "grammes"),
        "mg": Unit("milligramme", "milligrammes"),
        "°C": Unit("degré Celsius", "degrés Celsius"),
        "°F": Unit("degré Fahrenheit", "degrés Fahrenheit"),
        "m": Unit("mètre", "mètres"),
        "cm": Unit("centimètre", "centimètres"),
        "mm": Unit("millimètre", "millimètres"),
        "km²": Unit("kilomètre carré", "kilomètres carrés"),
        "m²": Unit("mètre carré", "mètres carrés"),
        "ha": Unit("hectare", "hectares"),
        "l": Unit("litre", "litres"),
        "ml": Unit("millilitre", "millilitres"),
        "s": Unit("seconde", "secondes", feminine=True),
        "ms": Unit("milliseconde", "millisecondes", feminine=True),
        "µs": Unit("microseconde", "microsecondes", feminine=True),
        "μs": Unit("microseconde", "microsecondes", feminine=True),
        "ns": Unit("nanoseconde", "nanosecondes", feminine=True),
        "min": Unit("minute", "minutes", feminine=True),
        "o": Unit("octet", "octets"),
        "Ko": Unit("kilooctet", "kilooctets"),
        "ko": Unit("kilooctet", "kilooctets"),
        "Mo": Unit("mégaoctet", "mégaoctets"),
        "Go": Unit("gigaoctet", "gigaoctets"),
        "To": Unit("téraoctet", "téraoctets"),
        "Kio": Unit("kibioctet", "kibioctets"),
        "Mio": Unit("mébioctet", "mébioctets"),
        "Gio": Unit("gibioctet", "gibioctets"),
        "Tio": Unit("tébioctet", "tébioctets"),
        "Mo/s": Unit("mégaoctet par seconde", "mégaoctets par seconde"),
        "ko/s": Unit("kilooctet par seconde", "kilooctets par seconde"),
        "Ko/s": Unit("kilooctet par seconde", "kilooctets par seconde"),
        # The English symbols are common in French technical text (tools print them).
        "kB": Unit("kilooctet", "kilooctets"),
        "KB": Unit("kilooctet", "kilooctets"),
        "MB": Unit("mégaoctet", "mégaoctets"),
        "GB": Unit("gigaoctet", "gigaoctets"),
        "TB": Unit("téraoctet", "téraoctets"),
        "KiB": Unit("kibioctet", "kibioctets"),
        "MiB": Unit("mébioctet", "mébioctets"),
        "GiB": Unit("gibioctet", "gibioctets"),
        "TiB": Unit("tébioctet", "tébioctets"),
        "Mbit/s": Unit("mégabit par seconde", "mégabits par seconde"),
        "Gbit/s": Unit("gigabit par seconde", "gigabits par seconde"),
        "Mb/s": Unit("mégabit par seconde", "mégabits par seconde"),
        "Hz": Unit("hertz", "hertz"),
        "kHz": Unit("kilohertz", "kilohertz"),
        "MHz": Unit("mégahertz", "mégahertz"),
        "GHz": Unit("gigahertz", "gigahertz"),
        "W": Unit("watt", "watts"),
        "kW": Unit("kilowatt", "kilowatts"),
        "kWh": Unit("kilowattheure", "kilowattheures"),
        "V": Unit("volt", "volts"),
        "tr/min": Unit("tour par minute", "tours par minute"),
    },
    fractions={
        2: ("demi", "demis"), 3: ("tiers", "tiers"), 4: ("quart", "quarts"), 5: ("cinquième", "cinquièmes"),
        6: ("sixième", "sixièmes"), 8: ("huitième", "huitièmes"), 10: ("dixième", "dixièmes"), 100: ("centième", "centièmes"),
    },
    spoken_tlds=frozenset({"com", "org", "net", "gouv", "info"}),
    version_point="point",
    reference_words=(
        r"versions?|sections?|sous-sections?|chapitres?|paragraphes?|annexes?|figures?|fig\.|tableaux?|étapes?"
        r"|parties?|§§?"
    ),
    reference_joiners="et|ou|à",
    decimals_as_number=True,
    written_ordinals="er/e",
    fraction_from_ordinal=_ordinal_and_s,
    and_a_half_joiner=" ",  # "un et demi"
    hour_words=("heure", "heures"),
    hour_feminine=True,
    hour_sign="h",
    currency_after_multiplier=_french_of,
    titles={"M.": "Monsieur", "MM.": "Messieurs", "Dr": "Docteur", "Dr.": "Docteur", "Pr": "Professeur",
            "Pr.": "Professeur", "Me": "Maître", "St": "Saint", "Ste": "Sainte"},
    numbered_words={"p.": "page", "pp.": "pages", "n°": "numéro", "N°": "numéro", "nº": "numéro", "Nº": "numéro",
                    "vol.": "volume", "chap.": "chapitre", "art.": "article", "t.": "tome", "éd.": "édition"},
    feminine_one="un",
    feminine_nouns=frozenset(
        "seconde minute heure journée semaine année fois page ligne colonne version section partie étape personne "
        "machine architecture option commande valeur erreur image clé règle demande langue distribution mise "
        "fonction variable entrée sortie archive liste table fenêtre carte adresse interface partition".split()
    ),
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
        "and a half": "einhalb", "version": "Version", "ratio": "zu", "sections": "Paragrafen", "tilde": "Tilde", "colon": "Doppelpunkt",
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
    multipliers={"Mrd": "Milliarden", "Mio": "Millionen", "Mio.": "Millionen", "Mrd.": "Milliarden", "Tsd.": "Tausend"},
    units={
        "km/h": Unit("Kilometer pro Stunde", "Kilometer pro Stunde"),
        "km": Unit("Kilometer", "Kilometer"),
        "kg": Unit("Kilogramm", "Kilogramm"),
        "g": Unit("Gramm", "Gramm"),
        "mg": Unit("Milligramm", "Milligramm"),
        "°C": Unit("Grad Celsius", "Grad Celsius"),
        "°F": Unit("Grad Fahrenheit", "Grad Fahrenheit"),
        "m": Unit("Meter", "Meter"),
        "cm": Unit("Zentimeter", "Zentimeter"),
        "mm": Unit("Millimeter", "Millimeter"),
        "km²": Unit("Quadratkilometer", "Quadratkilometer"),
        "m²": Unit("Quadratmeter", "Quadratmeter"),
        "ha": Unit("Hektar", "Hektar"),
        "l": Unit("Liter", "Liter"),
        "ml": Unit("Milliliter", "Milliliter"),
        "s": Unit("Sekunde", "Sekunden", feminine=True),
        "ms": Unit("Millisekunde", "Millisekunden", feminine=True),
        "µs": Unit("Mikrosekunde", "Mikrosekunden", feminine=True),
        "μs": Unit("Mikrosekunde", "Mikrosekunden", feminine=True),
        "ns": Unit("Nanosekunde", "Nanosekunden", feminine=True),
        "min": Unit("Minute", "Minuten", feminine=True),
        "Min.": Unit("Minute", "Minuten", feminine=True),
        "h": Unit("Stunde", "Stunden", feminine=True),
        "Std.": Unit("Stunde", "Stunden", feminine=True),
        "B": Unit("Byte", "Byte"),
        "kB": Unit("Kilobyte", "Kilobyte"),
        "KB": Unit("Kilobyte", "Kilobyte"),
        "MB": Unit("Megabyte", "Megabyte"),
        "GB": Unit("Gigabyte", "Gigabyte"),
        "TB": Unit("Terabyte", "Terabyte"),
        "KiB": Unit("Kibibyte", "Kibibyte"),
        "MiB": Unit("Mebibyte", "Mebibyte"),
        "GiB": Unit("Gibibyte", "Gibibyte"),
        "TiB": Unit("Tebibyte", "Tebibyte"),
        "MB/s": Unit("Megabyte pro Sekunde", "Megabyte pro Sekunde"),
        "kB/s": Unit("Kilobyte pro Sekunde", "Kilobyte pro Sekunde"),
        "Mbit/s": Unit("Megabit pro Sekunde", "Megabit pro Sekunde"),
        "Gbit/s": Unit("Gigabit pro Sekunde", "Gigabit pro Sekunde"),
        "Hz": Unit("Hertz", "Hertz"),
        "kHz": Unit("Kilohertz", "Kilohertz"),
        "MHz": Unit("Megahertz", "Megahertz"),
        "GHz": Unit("Gigahertz", "Gigahertz"),
        "W": Unit("Watt", "Watt"),
        "kW": Unit("Kilowatt", "Kilowatt"),
        "kWh": Unit("Kilowattstunde", "Kilowattstunden", feminine=True),
        "V": Unit("Volt", "Volt"),
    },
    fractions={
        2: ("halb", "halbe"), 3: ("Drittel", "Drittel"), 4: ("Viertel", "Viertel"), 5: ("Fünftel", "Fünftel"),
        6: ("Sechstel", "Sechstel"), 8: ("Achtel", "Achtel"), 10: ("Zehntel", "Zehntel"), 100: ("Hundertstel", "Hundertstel"),
    },
    spoken_tlds=frozenset({"com", "org", "net", "info"}),
    version_point="Punkt",
    reference_words=(
        r"Versionen|Version|Abschnitte?|Abschnitts|Unterabschnitte?|Kapitel|Kapitels|Absatz|Absätze|Anhang|Anhangs"
        r"|Abbildung(?:en)?|Abb\.|Tabellen?|Tab\.|Schritte?|Teil|Paragra(?:ph|f)(?:en)?|Section|§§?"
    ),
    reference_joiners="und|oder|bis",
    titles={"St.": "Sankt", "Hr.": "Herr", "Hrn.": "Herrn", "Fr.": "Frau"},
    numbered_words={"S.": "Seite", "Nr.": "Nummer", "Nrn.": "Nummern", "Abs.": "Absatz", "Art.": "Artikel", "Bd.": "Band",
                    "Kap.": "Kapitel", "Anm.": "Anmerkung", "Ziff.": "Ziffer", "Jg.": "Jahrgang", "Bj.": "Baujahr"},
    one_before_noun=german_one,
    written_ordinals="dot",
    fraction_from_ordinal=_german_fraction,
    and_a_half_joiner="",  # "zweieinhalb"
    date_day="dative ordinal",
    hour_words=("Uhr", "Uhr"),
    clock_suffix="Uhr",
    decade_suffix="er",
    count_noun_sign="capital",
    feminine_one="ein",
    nouns_capitalised=True,
    feminine_nouns=frozenset(
        "sekunde minute stunde woche seite zeile spalte version datei person stelle partition festplatte option "
        "regel sprache distribution million milliarde änderung adresse schnittstelle tabelle abbildung karte "
        "liste funktion variable architektur maschine nachricht meldung".split()
    ),
)



def _romance_or_dutch(
    code: str, words: dict[str, str], months: str, currencies: dict[str, Currency], **numbers: str
) -> Language:
    """A table for a language whose numbers num2words says and whose decimals take a comma:
    the number words, months, currencies and the few words the rules say around them; no
    units of its own (their symbols are left to the voice)."""
    return Language(
        code=code, day_first=True, point=numbers["point"], decimal_comma=True, per_cent=numbers["per_cent"],
        minus=numbers["minus"], words={**ENGLISH.words, **words, "point": numbers["point"]},
        months=tuple(months.split()), month_abbreviations={}, currencies=currencies, multipliers={}, units={},
        version_point=numbers["version_point"], reference_words=numbers["reference_words"],
        reference_joiners=numbers["reference_joiners"],
    )


# Spanish, Italian, Portuguese and Dutch: detected in plain text as often as French and German
# (tests/benchmarks/language), so their numbers are said in their own words, not English ones.
SPANISH = _romance_or_dutch(
    "es",
    {"and": "y", "or": "o", "to": "a", "about": "unos", "less than": "menos de", "more than": "más de",
     "percent sign": "por ciento", "version": "versión", "ratio": "a", "section": "sección", "sections": "secciones",
     "dot": "punto", "slash": "barra", "at": "arroba", "plus": "más", "equals": "igual a", "dash": "guion"},
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    {"€": Currency("euro", "euros", "céntimo", "céntimos"), "$": Currency("dólar", "dólares", "centavo", "centavos"),
     "£": Currency("libra", "libras", "penique", "peniques")},
    point="coma", per_cent="por ciento", minus="menos", version_point="punto",
    reference_words=r"versión|versiones|sección|secciones|capítulos?|apartados?|tablas?|figuras?|§§?", reference_joiners="y|o|a",
)
ITALIAN = _romance_or_dutch(
    "it",
    {"and": "e", "or": "o", "to": "a", "about": "circa", "less than": "meno di", "more than": "più di",
     "percent sign": "per cento", "version": "versione", "ratio": "a", "section": "sezione", "sections": "sezioni",
     "dot": "punto", "slash": "barra", "at": "chiocciola", "plus": "più", "equals": "uguale", "dash": "trattino"},
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    {"€": Currency("euro", "euro", "centesimo", "centesimi"), "$": Currency("dollaro", "dollari", "centesimo", "centesimi"),
     "£": Currency("sterlina", "sterline", "penny", "pence")},
    point="virgola", per_cent="per cento", minus="meno", version_point="punto",
    reference_words=r"versione|versioni|sezione|sezioni|capitol[oi]|paragraf[oi]|tabell[ae]|figur[ae]|§§?", reference_joiners="e|o|a",
)
PORTUGUESE = _romance_or_dutch(
    "pt",
    {"and": "e", "or": "ou", "to": "a", "about": "cerca de", "less than": "menos de", "more than": "mais de",
     "percent sign": "por cento", "version": "versão", "ratio": "para", "section": "secção", "sections": "secções",
     "dot": "ponto", "slash": "barra", "at": "arroba", "plus": "mais", "equals": "igual a", "dash": "hífen"},
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    {"€": Currency("euro", "euros", "cêntimo", "cêntimos"), "$": Currency("dólar", "dólares", "cêntimo", "cêntimos"),
     "£": Currency("libra", "libras", "péni", "pence")},
    point="vírgula", per_cent="por cento", minus="menos", version_point="ponto",
    reference_words=r"versão|versões|secção|secções|seção|seções|capítulos?|tabelas?|figuras?|§§?", reference_joiners="e|ou|a",
)
DUTCH = _romance_or_dutch(
    "nl",
    {"and": "en", "or": "of", "to": "tot", "about": "ongeveer", "less than": "minder dan", "more than": "meer dan",
     "percent sign": "procent", "version": "versie", "ratio": "op", "section": "sectie", "sections": "secties",
     "dot": "punt", "slash": "schuine streep", "at": "apenstaartje", "plus": "plus", "equals": "is gelijk aan",
     "dash": "streepje"},
    "januari februari maart april mei juni juli augustus september oktober november december",
    {"€": Currency("euro", "euro", "cent", "cent"), "$": Currency("dollar", "dollar", "cent", "cent"),
     "£": Currency("pond", "pond", "penny", "pence")},
    point="komma", per_cent="procent", minus="min", version_point="punt",
    reference_words=r"versie|versies|sectie|secties|hoofdstuk|hoofdstukken|paragraaf|tabel|tabellen|figuur|§§?", reference_joiners="en|of|tot",
)

LANGUAGES: dict[str, Language] = {
    "en": ENGLISH, "fr": FRENCH, "de": GERMAN, "es": SPANISH, "it": ITALIAN, "pt": PORTUGUESE, "nl": DUTCH,
}


def language_for(tag: str) -> Language:
    """The table for a language tag such as "en", "en-GB", "en_US" or "fr"; English if unknown."""
    base = tag.replace("_", "-").split("-")[0].lower() if tag else "en"
    language = LANGUAGES.get(base, ENGLISH)
    region = tag.replace("_", "-").split("-")[1].upper() if "-" in tag.replace("_", "-") else ""
    if language is ENGLISH and region == "US":
        # American English writes dates month first and says "percent".
        return replace(ENGLISH, day_first=False, per_cent="percent")
    return language
