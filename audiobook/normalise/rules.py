"""The rewrite rules, applied in order: text as written → text as spoken."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from num2words import num2words

from .languages import Language
from .lexicon import Matcher, match_entry
from .words import (
    cardinal,
    decimal,
    digits,
    english_decade,
    english_year,
    is_common_word,
    is_pronounceable,
    ordinal,
    pluralise_number_words,
    spell,
)

# Finished spans are swapped for one private-use character each, so later
# rules never re-read spoken text ("M-one" must not become "M-1" again).
_TOKEN_BASE = 0xF0000
_TOKEN = re.compile("[\U000f0000-\U000ffffd]")
_APOSTROPHE = "\ue000"


@dataclass
class Context:
    """The state of one normalisation: finished spans and what was rewritten or dropped."""

    language: Language
    matcher: Matcher
    spans: list[str] = field(default_factory=list)
    rewrites: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    def protect(self, source: str, spoken: str) -> str:
        self.spans.append(spoken)
        self.rewrites.append((source, spoken))
        return chr(_TOKEN_BASE + len(self.spans) - 1)

    def account(self, source: str, spoken: str) -> None:
        """Record a rewrite that stays in the text for later rules (e.g. hashtag words)."""
        self.rewrites.append((source, spoken))

    def restore(self, text: str) -> str:
        # A spoken span glued to a letter or another span ("abc123") gets a space,
        # or the words would run together into one the engine cannot read.
        def wordlike(char: str) -> bool:
            return char.isalnum() or unicodedata.category(char).startswith("M") or bool(_TOKEN.match(char))

        def spaced(m: re.Match[str]) -> str:
            before = " " if m.start() > 0 and wordlike(text[m.start() - 1]) else ""
            after = " " if m.end() < len(text) and wordlike(text[m.end()]) else ""
            return before + m.group() + after

        text = _TOKEN.sub(spaced, text).replace(_APOSTROPHE, "'")
        for _ in range(8):  # spans may hold tokens of their parts
            if not _TOKEN.search(text):
                break
            text = _TOKEN.sub(lambda m: self.spans[ord(m.group()) - _TOKEN_BASE], text)
        return text


Rule = Callable[[re.Match[str]], "str | None"]


def _sub(pattern: re.Pattern[str], text: str, ctx: Context, rule: Rule) -> str:
    """Replace matches with the rule's protected spoken text; None leaves a match alone."""

    def replace(match: re.Match[str]) -> str:
        spoken = rule(match)
        if spoken is None:
            return match.group()
        return ctx.protect(match.group(), spoken)

    return pattern.sub(replace, text)


def _before(match: re.Match[str], chars: int = 40) -> str:
    return match.string[max(0, match.start() - chars) : match.start()]


def _after(match: re.Match[str], chars: int = 40) -> str:
    return match.string[match.end() : match.end() + chars]


# ---------------------------------------------------------------- clean input

_FRACTION_CHARS = {
    "½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5), "⅖": (2, 5),
    "⅗": (3, 5), "⅘": (4, 5), "⅙": (1, 6), "⅚": (5, 6), "⅛": (1, 8), "⅜": (3, 8), "⅝": (5, 8), "⅞": (7, 8),
}
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]")


def clean_input(text: str, ctx: Context) -> str:
    """Unicode tidy-up and removal of anything an engine could take as markup."""
    text = unicodedata.normalize("NFC", text)
    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if _TOKEN.match(char) or category in {"Co", "Cs"}:
            ctx.dropped.append(char)
            kept.append(" ")
        elif category == "Cc" and char not in "\n\t":
            kept.append(" ")  # control characters carry nothing to say, but they do separate
        elif category == "Cf":
            continue  # soft hyphens, zero-width joiners: invisible formatting
        else:
            kept.append(char)
    text = "".join(kept)
    text = _SPACES.sub(" ", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A lone line break is print wrapping; a blank line is a paragraph break.
    text = re.sub(r"[ ]*\n[ ]*(?!\n)(?<!\n\n)", " ", text)
    text = re.sub(r"\n{2,}", "\n\n", text)
    text = text.replace("…", "...")
    text = re.sub(r"\.\s\.\s\.", "...", text)
    text = re.sub(r"(\d)([½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])", r"\1 \2", text)
    text = re.sub("[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]", lambda m: "%d/%d" % _FRACTION_CHARS[m.group()], text)
    text = text.replace("−", "-").replace("‐", "-").replace("‑", "-")
    # Engine control syntax is spoken as text, never interpreted: "[[" is raw
    # phoneme input to espeak-ng and Piper, "<...>" is SSML.
    text = re.sub(r"\[\s*\[", "[ ", text).replace("]]", "] ")
    text = re.sub(r"\{\{|\}\}", " ", text)
    return text


# ---------------------------------------------------------------- URLs, e-mail, handles

_TLDS = (
    r"com|org|net|edu|gov|info|io|co\.uk|org\.uk|ac\.uk|gov\.uk|uk|fr|de|eu|es|it|nl|be|ch|ie|us|ca|au"
    r"|ly|tv|me|ai|app|dev|news|blog|int|ru|cn|jp|in|pl|se|no|dk|fi|at|pt|gr|nz|za"
)
_URL = re.compile(r"(?<![\w.@-])(?:(?:https?|ftp)://|www\.)[^\s<>\"“”()\[\]{}]+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?![\w])")
_DOMAIN = re.compile(
    r"(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:" + _TLDS + r")(?:/[^\s<>\"“”()\[\]{}]*)?(?![\w-])"
)
_TRAILING = ".,;:!?)'\"’”»"


def _say_label(label: str, ctx: Context, host: bool = True) -> str:
    """One piece of an address: a word if it reads as one, otherwise letters and digits."""
    lang = ctx.language
    lower = label.lower()
    if not label:
        return ""
    if lower in lang.spoken_tlds:
        return lower
    if label.isdecimal():
        return cardinal(int(label), lang) if len(label) <= 4 else digits(label, lang)
    if "-" in label:
        # In a host name the hyphen must be heard: "jeudi-noir.org" read as "jeudi noir dot org"
        # sends the listener to jeudinoir.org. In a path it is only a word break.
        joiner = f" {lang.words['dash']} " if host else "-"
        return joiner.join(_say_label(part, ctx, host) for part in label.split("-") if part)
    pieces = re.findall(r"[^\W\d_]+|\d+|[^\w]+|_", label)
    if len(pieces) > 1:
        return " ".join(_say_label(p, ctx, host) for p in pieces if re.search(r"\w", p))
    has_vowel = re.search(r"[aeiouy]", lower) is not None
    if len(label) <= 2:
        # Two letters in a host name are a country code (F-R); in a path, a word if it can be one.
        return lower if (not host and has_vowel) else spell(label)
    if not label.isascii() or is_pronounceable(label) or (has_vowel and is_common_word(label, lang.code)):
        return lower
    return spell(label)


def _say_path(path: str, ctx: Context) -> str:
    words = ctx.language.words
    out: list[str] = []
    for piece in re.split(r"([/?=&#.+_])", path):
        if not piece:
            continue
        if piece == "/":
            out.append(words["slash"])
        elif piece == ".":
            out.append(words["dot"])
        elif piece in "?=&#+_":
            out.append({"?": words["question mark"], "=": words["equals"], "&": words["and"],
                        "#": words["hash"], "+": words["plus"], "_": words["underscore"]}[piece])
        else:
            out.append(" ".join(_say_label(p, ctx, host=False) for p in re.split(r"-", piece) if p))
    return " ".join(o for o in out if o)


def _say_host(host: str, ctx: Context) -> str:
    host = host.split(":")[0]
    return f" {ctx.language.words['dot']} ".join(_say_label(label, ctx) for label in host.split(".") if label)


def _split_trailing(found: str) -> tuple[str, str]:
    core = found
    while core and core[-1] in _TRAILING:
        core = core[:-1]
    return core, found[len(core) :]


def say_url(url: str, ctx: Context) -> str:
    """"http://www.kamini.fr" → "kamini dot F-R": scheme and "www" are not read, as a person would not."""
    rest = re.sub(r"^(?:https?|ftp)://", "", url, flags=re.IGNORECASE)
    rest = re.sub(r"^www\.", "", rest, flags=re.IGNORECASE)
    host, slash, path = rest.partition("/")
    spoken = _say_host(host, ctx)
    path = path.rstrip("/")
    if path:
        spoken += f" {ctx.language.words['slash']} " + _say_path(path, ctx)
    return spoken


def urls(text: str, ctx: Context) -> str:
    words = ctx.language.words

    def email(m: re.Match[str]) -> str:
        local, _, host = m.group().partition("@")
        local_spoken = _say_path(local, ctx)
        return ctx.protect(m.group(), f"{local_spoken} {words['at']} {_say_host(host, ctx)}")

    def url(m: re.Match[str]) -> str:
        core, trailing = _split_trailing(m.group())
        if not re.search(r"\w", core):
            return m.group()
        return ctx.protect(core, say_url(core, ctx)) + trailing

    text = _EMAIL.sub(email, text)
    text = _URL.sub(url, text)
    text = _DOMAIN.sub(url, text)
    return text


def _split_camel(tag: str) -> list[str]:
    return re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^\W\d_]+", tag)


def handles(text: str, ctx: Context) -> str:
    """"#BlackLivesMatter" → "hashtag Black Lives Matter", "@UKLabour" → "at UK Labour"."""
    words = ctx.language.words

    def hashtag(m: re.Match[str]) -> str:
        parts = " ".join(_split_camel(m.group(1)))
        spoken = f"{words['hashtag']} {parts}"
        ctx.account(m.group(), spoken)
        return spoken

    def handle(m: re.Match[str]) -> str:
        pieces = [" ".join(_split_camel(p)) for p in m.group(1).split("_")]
        spoken = f"{words['at']} " + f" {words['underscore']} ".join(p for p in pieces if p)
        ctx.account(m.group(), spoken)
        return spoken

    text = re.sub(r"(?<![\w&#])#([^\W\d_][\w]*)", hashtag, text)
    text = re.sub(r"(?<![\w@])@([A-Za-z0-9_]{1,30})\b", handle, text)
    return text


# ---------------------------------------------------------------- lexicon

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


# ---------------------------------------------------------------- English context abbreviations

_SENTENCE_END = re.compile(r"(?:[.!?:;\"“”(]\s*|^\s*)$")


def _prev_word(m: re.Match[str]) -> str | None:
    before = _before(m)
    if _SENTENCE_END.search(before):
        return None
    found = re.search(r"(\S+)\s*$", before)
    return found.group(1) if found else None


def abbreviations(text: str, ctx: Context) -> str:
    """St (Saint or Street), Dr (Doctor or Drive) and No. (number) need the words around them."""

    def saint_or_street(m: re.Match[str]) -> str:
        word, dot = m.group(1), m.group(2) or ""
        prev = _prev_word(m)
        next_capital = re.match(r"\s+[A-Z]", _after(m)) is not None
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


# ---------------------------------------------------------------- French and German context abbreviations

# Titles said in full only before a name ("M. Dupont", "St. Pauli"): "M." alone may be a letter.
_TITLES = {
    "fr": {"M.": "Monsieur", "MM.": "Messieurs", "Dr": "Docteur", "Dr.": "Docteur", "Pr": "Professeur",
           "Pr.": "Professeur", "Me": "Maître", "St": "Saint", "Ste": "Sainte"},
    "de": {"St.": "Sankt", "Hr.": "Herr", "Hrn.": "Herrn", "Fr.": "Frau"},
}
# Reference words said in full only before a number ("S. 12", "n° 5"): "Art." alone may end a
# sentence on the word "Art". Left in the text (not finished), so the version rule still sees
# "Abschnitt 4.2" and "chapitre 3.1" as references.
_BEFORE_NUMBER = {
    "fr": {"p.": "page", "pp.": "pages", "n°": "numéro", "N°": "numéro", "nº": "numéro", "Nº": "numéro",
           "vol.": "volume", "chap.": "chapitre", "art.": "article", "t.": "tome", "éd.": "édition"},
    "de": {"S.": "Seite", "Nr.": "Nummer", "Nrn.": "Nummern", "Abs.": "Absatz", "Art.": "Artikel", "Bd.": "Band",
           "Kap.": "Kapitel", "Anm.": "Anmerkung", "Ziff.": "Ziffer", "Jg.": "Jahrgang", "Bj.": "Baujahr"},
}


def titles(text: str, ctx: Context) -> str:
    """French and German abbreviations that need the next word: titles before names, reference words before numbers."""
    code = ctx.language.code
    names = _TITLES.get(code, {})
    if names:
        keys = "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
        # Not after a first name: "Richard M. Stallman" has a middle initial, not a "Monsieur".
        text = _sub(
            re.compile(r"(?<![\w.])(?:" + keys + r")(?=\s+[A-ZÀ-ÖØ-Þ]|-[A-ZÀ-ÖØ-Þ])"),
            text, ctx, lambda m: None if re.search(r"[A-ZÀ-Þ][a-zà-ÿ]+\s+$", _before(m)) else names[m.group()],
        )
    numbered = _BEFORE_NUMBER.get(code, {})
    if numbered:
        keys = "|".join(re.escape(k) for k in sorted(numbered, key=len, reverse=True))

        def said(m: re.Match[str]) -> str:
            ctx.account(m.group(1), numbered[m.group(1)])
            return numbered[m.group(1)] + " "

        text = re.sub(r"(?<![\w.])(" + keys + r")\s?(?=\d)", said, text)
    return text


# ---------------------------------------------------------------- letters with digits

def codes(text: str, ctx: Context) -> str:
    """Road and model names: M1 → M-one, A40 → A-forty, A303 → A-three-oh-three, MP3 → M-P-three, 4G → four-G."""
    lang = ctx.language
    words = lang.words
    text = _sub(
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

    text = _sub(re.compile(r"(?<![\w£$€¥₹-])([A-Z]{1,3})(\d{1,4})(s?)(?![\w%°])"), text, ctx, letters_digits)
    # "IPv4", "IPv6": I-P-v-four, the protocol's versions as network people say them.
    text = _sub(re.compile(r"(?<![\w-])IPv([46])(?![\w])"), text, ctx, lambda m: f"I-P-v-{cardinal(int(m.group(1)), lang)}")

    def digit_letters(m: re.Match[str]) -> str | None:
        if m.group(2) in lang.units:
            return None  # "2GB", "5KB": a size, which the unit rule reads ("two gigabytes")
        if m.group(2) in {"C", "F"} and "°C" in lang.units:
            # British papers write temperatures as "40C"; 4G and 3D are spelled.
            unit = lang.units["°" + m.group(2)]
            return f"{cardinal(int(m.group(1)), lang)} {unit.singular if m.group(1) == '1' else unit.plural}"
        return cardinal(int(m.group(1)), lang) + "-" + spell(m.group(2))

    text = _sub(re.compile(r"(?<![\w.,£$€¥₹])(\d{1,2})([A-Z]{1,2})(?![\w])"), text, ctx, digit_letters)
    return text


# ---------------------------------------------------------------- versions and references (English)

# Version, section and clause numbers are said "five point six point twelve", never "dot":
# that is how people read them aloud in talks and release announcements, it keeps
# "version 3.1.4" as the table already had it, and it keeps "dot" for what is spelled
# digit by digit (IP addresses, hosts), so a listener can tell the two kinds apart.
_PRE_RELEASE = {
    "rc": "release candidate", "alpha": "alpha", "beta": "beta", "a": "alpha", "b": "beta",
    "pre": "pre-release", "dev": "development release",
}
_VERSION = r"\d+(?:\.\d+)+(?:-(?:rc|alpha|beta|pre|dev)\.?\d*)?"
_VERSION_PARTS = re.compile(r"(?P<num>\d+(?:\.\d+)*)(?:-(?P<pre>[a-z]+)\.?(?P<pren>\d*))?", re.IGNORECASE)
# Words after which a dotted number is a reference, not a date or a quantity ("section 4.10",
# "Policy version 4.6.2", "§ 3.2"), from the language's table. Lists and ranges of them share the
# word: "sections 4.9 and 4.10", "Abschnitte 4.9 und 4.10".
@functools.lru_cache(maxsize=8)
def _reference(words: str, joiners: str) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w])(?P<word>" + words + r")(?P<gap>\s*)(?P<chain>" + _VERSION
        + r"(?:(?:,\s*|\s+(?:" + joiners + r")\s+|\s*[-–—]\s*)" + _VERSION + r")*)(?![\w-]|\.\d)",
        re.IGNORECASE,
    )


_REFERENCE_ABBREVIATIONS = {"fig.": "figure", "Fig.": "figure", "Abb.": "Abbildung", "Tab.": "Tabelle"}
# "v0.7.2", "v1.2.3-rc1", "v4.10": the v is read "version".
_V_VERSION = re.compile(r"(?<![\w.-])[vV](?P<version>\d+(?:\.\d+)+(?:-(?:rc|alpha|beta|pre|dev|a|b)\.?\d*)?)(?![\w-]|\.\d)")


def _version_words(version: str, ctx: Context) -> str:
    """"4.10" → four point ten; "1.2.3-rc1" → one point two point three, release candidate one."""
    lang = ctx.language
    m = _VERSION_PARTS.fullmatch(version)
    if m is None:
        return version
    parts = m.group("num").split(".")
    # "2.01" is "two point oh one": a leading zero is kept, as in times.
    zero = "oh" if lang.code == "en" else None
    said = f" {lang.version_point} ".join(
        digits(p, lang, zero=zero) if len(p) > 1 and p.startswith("0") else cardinal(int(p), lang) for p in parts
    )
    if m.group("pre"):
        said += ", " + _PRE_RELEASE.get(m.group("pre").lower(), m.group("pre"))
        if m.group("pren"):
            said += " " + cardinal(int(m.group("pren")), lang)
    return said


# Things that are known to carry version numbers. After one of these names, written as the
# project writes it, "3.11" is a version ("Python three point eleven"), not a quantity
# ("three point one one"). A list, not "any capitalised word": "Room 3.14", "Table 2.5" or
# "costs 3.50" must stay what they are, and a list can be checked and extended case by case.
_VERSIONED_NAMES = (
    r"Python|Perl|PHP|Ruby|Java|Rust|GCC|Clang|LLVM|Emacs|Vim|Bash|Sphinx|Django|NumPy"
    r"|Debian|Ubuntu|Fedora|CentOS|RHEL|FreeBSD|OpenBSD|NetBSD|Linux|Windows|macOS|Android|iOS"
    r"|GNOME|KDE|Plasma|Xfce|GTK|Qt|Xorg|Firefox|Iceweasel|Thunderbird|Chromium|LibreOffice|OpenOffice"
    r"|Apache|OpenSSL|OpenSSH|Samba|PostgreSQL|MySQL|MariaDB|SQLite|GRUB|glibc|systemd|Unicode|HTTP|TLS"
    r"|OpenGL|Wayland|[Kk]ernel|noyau|Linux-Kernel"
)


@functools.lru_cache(maxsize=8)
def _named_version(joiners: str) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w.-])(?P<name>" + _VERSIONED_NAMES + r")(?P<gap>\s+)"
        # "Python 2/3" is Python 2 and 3, not two thirds.
        r"(?P<chain>(?:\d+\.\d+(?:\.\d+)*|\d+(?=/\d))(?:(?:,\s*|\s+(?:" + joiners + r")\s+|/)\d+(?:\.\d+)*)*)"
        # A size or a share after the number makes it a quantity after all ("Linux 1.5 GB").
        r"(?![\w-]|\.\d|\s*(?:%|per\s?cent|pour\s?cent|Prozent|[KMGT]i?B\b|[KMGT]i?o\b))"
    )
# Debian package versions, [epoch:]upstream[-revision], with "+" and "~" suffixes
# ("1:2.4.3-4+deb11u1", "1.0~rc1", "3.4+b1"): each mark is said, so the listener hears
# the version a maintainer would type. A "+" must be followed by a letter ("47.689215+00"
# is a time zone offset) and an epoch needs a dotted version and a revision ("13:46" is a time).
_DEBIAN_VERSION = re.compile(
    r"(?<![\w./@:~+-])(?:\d+:\d+(?:\.\d+)+-[0-9](?:[\w.]*\w)?(?:[+~]\w(?:[\w.]*\w)?)*"
    r"|\d+\.\d+(?:\.\d+)*(?:-[0-9](?:[\w.]*\w)?)?(?:\+[a-z]|~\w)(?:[\w.]*\w)?(?:[+~]\w(?:[\w.]*\w)?)*"
    # "3.0.25a-1": an upstream letter release (three parts, so "1.5m" stays a million).
    r"|\d+\.\d+\.\d+[a-z](?:-[0-9](?:[\w.]*\w)?)?)(?![\w+~-]|\.\d)"
)
# A package or file name with its version: "debhello-2.0.tar.gz", "linux-image-3.18.0-trunk-amd64",
# "hello_2.10-3_amd64.deb". The name needs two letters, so "x-1.5" stays a subtraction.
_PACKAGE_FILE = re.compile(
    r"(?<![\w./@:~+-])[A-Za-z][A-Za-z0-9+]+(?:-[A-Za-z0-9+]+)*[-_]\d+(?:\.\d+)+(?:[\w.+~:-]*\w)?(?![\w-])"
)
# Architectures in package names, as Debian developers say them.
_ARCHITECTURES = {
    "amd64": "A-M-D sixty-four", "i386": "i three eight six", "arm64": "arm sixty-four", "armhf": "arm H-F",
    "armel": "arm E-L", "mips64el": "mips sixty-four E-L", "ppc64el": "P-P-C sixty-four E-L", "s390x": "S three ninety X",
}
_PRE_RELEASE_MARKS = frozenset({"rc", "alpha", "beta", "pre", "dev"})


def _architecture(name: str, lang: Language) -> str:
    """An architecture as its developers say it, with the language's numbers ("A-M-D soixante-quatre")."""
    if lang.code == "en":
        return _ARCHITECTURES[name]
    return re.sub(
        r"sixty-four|three eight six|three ninety", lambda m: {"sixty-four": cardinal(64, lang), "three ninety": cardinal(390, lang)}.get(m.group(), digits("386", lang)),
        _ARCHITECTURES[name],
    )


def _say_package(token: str, ctx: Context) -> str:
    """"linux-image-3.18.0-trunk-amd64" → linux image three point eighteen point zero trunk A-M-D sixty-four."""
    lang = ctx.language
    words = lang.words
    arch = "|".join(_ARCHITECTURES)
    pieces = re.findall(r"(?:" + arch + r")(?![a-z0-9])|\d+(?:\.\d+)+|\d+|[A-Za-z]+|[^\w]|_", token)
    said: list[str] = []
    for i, piece in enumerate(pieces):
        prev = pieces[i - 1] if i else ""
        nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
        if piece in _ARCHITECTURES:
            said.append(_architecture(piece, lang))
        elif piece[0].isdecimal():
            said.append(_version_words(piece, ctx) if "." in piece else (cardinal(int(piece), lang) if len(piece) <= 4 else digits(piece, lang)))
        elif piece.isalpha():
            if piece.lower() in _PRE_RELEASE_MARKS and prev in {"-", "~", "."}:
                said.append(_PRE_RELEASE[piece.lower()])
            else:
                said.append(_say_label(piece, ctx, host=False))
        elif nxt.lower() in _PRE_RELEASE_MARKS and piece in "-~.":
            # "1.0~rc1", "1.2.3-rc1": a release candidate, as the "v1.2.3-rc1" rule says it.
            if said:
                said[-1] += ","
        elif piece == "-":
            # Between numbers the hyphen separates upstream version and Debian revision ("dash");
            # between a name and its version it is only a word break.
            if prev[:1].isdecimal() and nxt[:1].isdecimal():
                said.append(words["dash"])
        else:
            said.append({".": words["dot"], "+": words["plus"], "~": words["tilde"], ":": words["colon"], "_": words["underscore"]}.get(piece, piece))
    return " ".join(s for s in said if s)


def versions(text: str, ctx: Context) -> str:
    """Version strings and section references, before any rule takes their digits for a date."""
    lang = ctx.language
    words = lang.words

    def package(m: re.Match[str]) -> str | None:
        return _say_package(m.group(), ctx)

    text = _sub(_PACKAGE_FILE, text, ctx, package)
    text = _sub(_DEBIAN_VERSION, text, ctx, package)
    # "i386" alone is an architecture, not "i three hundred and eighty-six".
    text = _sub(
        re.compile(r"(?<![\w-])(?:" + "|".join(_ARCHITECTURES) + r")(?![\w]|-\d)"), text, ctx, lambda m: _architecture(m.group(), lang)
    )

    def named(m: re.Match[str]) -> str:
        chain = re.sub(
            r"\d+(?:\.\d+)*|/",
            lambda n: f" {words['slash']} " if n.group() == "/" else _version_words(n.group(), ctx),
            m.group("chain"),
        )
        # Only the number is finished: the name goes on to the capitals rule ("GNOME" → Gnome).
        return m.group("name") + m.group("gap") + ctx.protect(m.group("chain"), re.sub(r"\s+", " ", chain).strip())

    text = _named_version(lang.reference_joiners).sub(named, text)

    # "ISSN 0317-8471": a serial number, digit by digit with "zero" as the ISBN rule says it;
    # the phone rule would otherwise take the leading zero for a dialling code ("oh three one seven").
    text = _sub(
        re.compile(r"(?<=\bISSN)(?P<gap>:?\s*)(?P<a>\d{4})-(?P<b>\d{3}[\dXx])(?![\w-])"),
        text, ctx,
        lambda m: f"{m.group('gap')}{digits(m.group('a'), ctx.language)}, "
        + " ".join(digits(c, ctx.language) if c.isdecimal() else "X" for c in m.group("b")),
    )
    # "ISO-8859-1", "ISO 9660": a standard's number digit by digit, as people say it.
    text = _sub(
        re.compile(r"(?<![\w-])ISO[- ]?(?P<n>\d{3,5})(?:-(?P<part>\d{1,2}))?(?![\w]|[.,:]\d)"),
        text, ctx,
        lambda m: f"I-S-O {digits(m.group('n'), lang)}" + (f" {words['dash']} {cardinal(int(m.group('part')), lang)}" if m.group("part") else ""),
    )
    # "build 2023", "build 1543": a build is counted, never a year. Long ones ("build 20230415")
    # stay digit by digit like any identifier.
    text = _sub(
        re.compile(r"(?<=\b[Bb]uild )(?P<n>\d{1,4})(?![\w.,:/-]|[.,]\d)"),
        text, ctx, lambda m: cardinal(int(m.group("n")), ctx.language),
    )

    def reference(m: re.Match[str]) -> str:
        word = m.group("word")
        if word.startswith("§"):
            word = words["sections" if word == "§§" else "section"]
        else:
            word = _REFERENCE_ABBREVIATIONS.get(word, word)
        chain = re.sub(
            r"\s*[-–—]\s*(?=\d)|" + _VERSION,
            lambda n: f" {words['to']} " if not n.group()[:1].isdigit() else _version_words(n.group(), ctx),
            m.group("chain"),
        )
        return f"{word} {chain}"

    # "version 1.5-3": a Debian package version, upstream and revision. Maintainers say the
    # hyphen "dash"; "to" would turn it into a range of versions.
    text = _sub(
        # "la version actuelle est 1.5-2": a verb between the word and the version is allowed.
        re.compile(
            r"(?<![\w])(?P<word>version)(?P<gap>\s+(?:\w+\s+){0,2}?(?:is|est|ist|was|war|était)\s+|\s+)"
            r"(?P<up>\d+(?:\.\d+)+)-(?P<rev>\d+(?:\.\d+)*)(?![\w+~-]|\.\d)", re.IGNORECASE),
        text, ctx,
        lambda m: f"{m.group('word')}{m.group('gap')}{_version_words(m.group('up'), ctx)} {words['dash']} {_version_words(m.group('rev'), ctx)}",
    )
    text = _sub(_reference(lang.reference_words, lang.reference_joiners), text, ctx, reference)
    return _sub(_V_VERSION, text, ctx, lambda m: f"{words['version']} {_version_words(m.group('version'), ctx)}")


# ---------------------------------------------------------------- numbers (English)

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMPM = r"(?P<ampm>[aApP]\.[mM]\.|[aApP][mM])(?!\w)"
# Words after which "9.30" is a time, not a decimal. "to", "by" and "from" are
# left out on purpose: "rose from 2.15 to 3.45" is about numbers.
_TIME_WORDS = r"(?:at|until|till|before|after|around)"


def _number_pattern(language: Language) -> str:
    """A written number in the language: 600,000.5 in English; 600 000,5 or 600.000,5 in French and German."""
    if language.decimal_comma:
        return r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
    return _NUM


def _canonical(number: str, language: Language) -> str:
    """A written number as digits with a "." decimal point and no grouping."""
    if language.decimal_comma:
        return number.replace(" ", "").replace(".", "").replace(",", ".")
    return number.replace(",", "")


def _number_words(number: str, ctx: Context) -> str:
    """"600,000" → six hundred thousand; "3.5" → three point five; "3,5" (French) → trois virgule cinq."""
    integer, _, fraction = _canonical(number, ctx.language).partition(".")
    return decimal(integer, fraction, ctx.language)


def _minutes(mm: str, ctx: Context) -> str:
    value = int(mm)
    if value == 0:
        return ""
    if value < 10:
        return "oh " + cardinal(value, ctx.language)
    return cardinal(value, ctx.language)


def _french_hours(hour: int, ctx: Context) -> str:
    """"une heure", "vingt et une heures": the hour is feminine in French."""
    said = cardinal(hour, ctx.language)
    if said.endswith("un"):
        said += "e"
    return f"{said} {'heure' if hour == 1 else 'heures'}"


def _german_one(said: str) -> str:
    """German "eins" before a noun is "ein" ("ein Uhr", "ein Euro", "einundzwanzig" is left alone)."""
    return said[:-1] if said.endswith("eins") and not said.endswith("undeins") else said


def _one_before(said: str, feminine: bool, lang: Language) -> str:
    """A number before a noun: "une seconde", "eine Sekunde", "ein Meter"; other numbers unchanged."""
    if lang.code == "de":
        said = _german_one(said)
        return said + "e" if feminine and said.endswith("ein") else said
    if lang.code == "fr" and feminine and said.endswith("un"):
        return said + "e"
    return said


def _french_ordinal(number: str, suffix: str, lang: Language) -> str | None:
    """"1er" premier, "1re" première, "2nd" second, "XXIe" vingt et unième."""
    value = int(number) if number.isdecimal() else _roman(number)
    if value is None or value == 0:
        return None
    if suffix in ("re", "ère", "ʳᵉ") and value == 1:
        return "première"
    if suffix.startswith("nd") and value == 2:
        return "seconde" if suffix == "nde" else "second"
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


_DECADE = re.compile(r"1[1-9]\d0|20\d0")
_GERMAN_YEAR_WORDS = (
    r"\b(?:im|in|seit|bis|von|vom|ab|um|vor|nach|Jahre?s?|Anfang|Ende|Mitte|Sommer|Winter|Frühjahr|Herbst|Frühling"
    r"|zwischen|und|Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
    r"|January|February|March|May|June|July|October|December)\s+$"
)


def _german_ordinal(value: int, before: str, lang: Language) -> str:
    stem = ordinal(value, lang)[:-1]  # "zweite" → "zweit"
    article = before.split()[-1].lower() if before.split() else ""
    if article in _GERMAN_EN:
        return stem + "en"
    if article in ("ein", "ihr", "sein"):
        return stem + "er"
    return stem + "e"


# Common feminine nouns counted in technical and news text, singular: "une page", "eine Datei".
_FEMININE = {
    "fr": frozenset(
        "seconde minute heure journée semaine année fois page ligne colonne version section partie étape personne "
        "machine architecture option commande valeur erreur image clé règle demande langue distribution mise "
        "fonction variable entrée sortie archive liste table fenêtre carte adresse interface partition".split()
    ),
    "de": frozenset(
        "sekunde minute stunde woche seite zeile spalte version datei person stelle partition festplatte option "
        "regel sprache distribution million milliarde änderung adresse schnittstelle tabelle abbildung karte "
        "liste funktion variable architektur maschine nachricht meldung".split()
    ),
}


def _month_number(name: str, ctx: Context) -> int | None:
    lang = ctx.language
    clean = name.rstrip(".")
    if clean in lang.months:
        return lang.months.index(clean) + 1
    return lang.month_abbreviations.get(clean)


def _year_words(year: str, ctx: Context) -> str:
    if ctx.language.code != "en":
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
    if lang.code == "de":
        # "am 23. März": the dative ordinal, the usual case after am/vom/zum/bis zum.
        spoken = f"{ordinal(day, lang)}n {month_name}"
    elif lang.code != "en":
        spoken = f"{cardinal(day, lang) if day != 1 else ordinal(day, lang)} {month_name}"
    elif lang.day_first:
        the = "" if re.search(r"\bthe\s*$", _before(m), re.IGNORECASE) else "the "
        spoken = f"{the}{ordinal(day, lang)} of {month_name}"
    else:
        spoken = f"{month_name} {ordinal(day, lang)}"
    if year:
        spoken += f" {_year_words(year, ctx)}"
    return spoken


def _plural(value: str, singular: str, plural: str) -> str:
    return singular if value in {"1", "1.0"} else plural


_DATE_CONTEXT = r"\b(?:on|dated?|from|until|till|since|by|before|after|expires?|expiry|born|published|updated)\s*:?\s*$"
# Words ending in s that follow a year without being a plural noun it counts ("in 1969 was").
_NOT_PLURAL = frozenset(
    "was has is does this his its thus us yes plus minus versus whereas perhaps always besides "
    "sees saw marks brings begins ends starts remains seems means looks becomes".split()
)

_NOT_COUNTED = r"and|or|but|is|are|was|were|of|in|on|to|can|will|would|has|have|had|be|not|as|than"
_BYTE_COUNT = (
    r"\s+(?:bytes|bits|octets|sectors|blocks|cylinders|inodes|[KMGTP]i?B|[KMGT]i?o|Bytes?|Bits?|Sektoren|Blöcke|secteurs|blocs)\b"
)

_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s-]?(?:\(0\))?\s?\d{1,5}(?:[\s-]\d{2,5}){1,4}"
    r"|\(?0\d{2,5}\)?(?:[\s-]\d{3,4}){1,3})(?![\w])"
)
_DISTANCE_WORDS = frozenset(
    "tall high long wide deep away above below up down race sprint hurdles freestyle run walk swim dash "
    "relay metres in of from to across under over".split()
)


def _months(lang: Language) -> str:
    """The language's month names and abbreviations as regex alternatives."""
    return "|".join(list(lang.months) + [re.escape(a) + r"\.?" for a in lang.month_abbreviations])


def _comparisons(text: str, ctx: Context) -> str:
    """Comparison signs and "about" before numbers: "< 5", "~10", "c£1.5bn"."""
    lang = ctx.language
    words = lang.words
    # Comparison signs between numbers, before the number rules take the digits.
    text = _sub(re.compile(r"(?<=[\d\s])<\s*(?=[\d£$€-])"), text, ctx, lambda m: f" {words['less than']} ")
    text = _sub(re.compile(r"(?<=[\d\s])>\s*(?=[\d£$€-])"), text, ctx, lambda m: f" {words['more than']} ")
    text = _sub(re.compile(r"(?<![\w])[~≈]\s?(?=\d)"), text, ctx, lambda m: f"{words['about']} ")
    # "c£1.5bn": c for circa, as British papers write it before an amount.
    text = _sub(re.compile(r"(?<![\w.])c\.?\s?(?=[£$€]\d)"), text, ctx, lambda m: f"{words['circa']} ")
    return text


def _times(text: str, ctx: Context) -> str:
    """Clock times: 9.30am, 21:15, 15:19:02, "14 h 30", "14:30 Uhr", "at 9.30"; ratios and dimensions."""
    lang = ctx.language
    words = lang.words
    # Times: 9.30am, 9am, 21:15, "at 9.30".
    def ampm(m: re.Match[str]) -> str | None:
        hour, mm = int(m.group("h")), m.group("m") or "00"
        if not 0 <= hour <= 12 or int(mm) > 59:
            return None
        said = " ".join(p for p in (cardinal(hour, lang), _minutes(mm, ctx)) if p)
        suffix = "A-M" if m.group("ampm")[0] in "aA" else "P-M"
        spoken = f"{said} {suffix}"
        if m.group("ampm").endswith(".") and re.match(r"\s*$", _after(m)):
            spoken += "."
        return spoken

    # The separator is optional: "930pm" and "1030am" are clock times as informal copy writes them.
    text = _sub(re.compile(r"(?<![\w.:,])(?P<h>\d{1,2})(?:[.:]?(?P<m>\d{2}))?\s?" + _AMPM), text, ctx, ampm)

    def clock(m: re.Match[str]) -> str | None:
        hour, mm = int(m.group("h")), m.group("m")
        if hour > 23 or int(mm) > 59:
            return None
        if lang.code == "fr":
            return " ".join(p for p in (_french_hours(hour, ctx), cardinal(int(mm), lang) if int(mm) else "") if p)
        if lang.code != "en":
            hours = {"de": "Uhr"}.get(lang.code, "")
            minutes = cardinal(int(mm), lang) if int(mm) else ""
            said_hour = _german_one(cardinal(hour, lang)) if lang.code == "de" else cardinal(hour, lang)
            return " ".join(p for p in (said_hour, hours, minutes) if p)
        if int(mm) == 0:
            return f"{cardinal(hour, lang)} hundred" if hour > 12 or m.group("h").startswith("0") else f"{cardinal(hour, lang)} o'clock"
        return f"{cardinal(hour, lang)} {_minutes(mm, ctx)}"

    def after_time_word(m: re.Match[str]) -> str | None:
        said = clock(m)
        return None if said is None else f"{m.group('w')} {said}"

    if lang.code == "fr":
        # "14 h 30", "14h30", "9 h": the French way of writing the time.
        text = _sub(
            re.compile(r"(?<![\w.:,])(?P<h>\d{1,2})\s?h\s?(?P<m>\d{2})?(?![\w])"),
            text, ctx, lambda m: clock(m) if m.group("m") else _french_hours(int(m.group("h")), ctx),
        )
    if lang.code == "de":
        # "14:30 Uhr", "14.30 Uhr": the clock rule says "Uhr" itself; "1 Uhr" is "ein Uhr".
        text = _sub(re.compile(r"(?<![\w.:,])(?P<h>\d{1,2})[:.](?P<m>\d{2})\s?Uhr\b"), text, ctx, clock)
        text = _sub(
            re.compile(r"(?<![\w.:,])(?P<h>\d{1,2})\s?Uhr\b"),
            text, ctx, lambda m: None if int(m.group("h")) > 24 else f"{_german_one(cardinal(int(m.group('h')), lang))} Uhr",
        )
    def with_seconds(m: re.Match[str]) -> str | None:
        said, seconds = clock(m), int(m.group("s"))
        if said is None or seconds > 59:
            return None
        unit = {"fr": ("seconde", "secondes"), "de": ("Sekunde", "Sekunden")}.get(lang.code, ("second", "seconds"))
        return f"{said} {words['and']} {_one_before(cardinal(seconds, lang), True, lang)} {unit[0] if seconds == 1 else unit[1]}"

    # "15:19:02 UTC": a time with its seconds ("fifteen nineteen and two seconds").
    text = _sub(re.compile(r"(?<![\w.:,])(?P<h>\d{1,2}):(?P<m>\d{2}):(?P<s>\d{2})(?![\d:]|[.,]\d)"), text, ctx, with_seconds)
    text = _sub(re.compile(r"(?<![\w.:,])(?P<h>\d{1,2}):(?P<m>\d{2})(?![\d:])"), text, ctx, clock)
    # Ratios and dimensions: 10:1 → ten to one, 5 x 3 → five by three.
    if lang.code == "en":
        text = _sub(re.compile(r"(?<![\w.:,])50[:/-]50(?![\d:])"), text, ctx, lambda m: "fifty-fifty")
    text = re.sub(r"(?<![\w.:,])(\d+):(\d+)(?![\d:])", rf"\1 {words['ratio']} \2", text)
    if lang.code == "en":
        text = _sub(re.compile(r"(?<=\d)\s?x\s?(?=\d)"), text, ctx, lambda m: " by ")
    if lang.code == "en":
        text = _sub(
            re.compile(r"\b(?P<w>" + _TIME_WORDS + r") (?P<h>1[0-2]|0?\d)\.(?P<m>[0-5]\d)(?![\d.,]\d|\d|%|\s*(?:per\s?cent|percent|[a-zA-Z]+\d|million|billion|bn|m)\b)", re.IGNORECASE),
            text, ctx, after_time_word,
        )
    return text


def _dates(text: str, ctx: Context) -> str:
    """Dates: 25/03/2017, 2017-03-25, 1 July, 1-3 March, 23 March 2017, March 23, 2017."""
    lang = ctx.language
    words = lang.words
    months = _months(lang)
    # Dates: 25/03/2017, 2017-03-25, 1 July, 23 March 2017, March 23, 2017.
    def numeric_date(m: re.Match[str]) -> str | None:
        first, second, year = int(m.group(1)), int(m.group(3)), m.group(4)
        if m.group(2) == "." and len(year) == 2 and not re.search(_DATE_CONTEXT, _before(m), re.IGNORECASE):
            # "3.5.10" and "5.6.12" are section and version numbers far more often than
            # dates; with dots and a two-digit year, only a word like "on" makes a date.
            return None
        if (
            lang.code == "en" and m.group(2) == "/" and len(year) == 2 and len(m.group(1)) == 1 and len(m.group(3)) == 1
            and not re.search(_DATE_CONTEXT, _before(m), re.IGNORECASE)
        ):
            # "5/6/12" with no word like "on" could be a date in either order, a fraction
            # list or a path; dates on forms pad to "05/06/12". Said as written.
            return f" {words['slash']} ".join(cardinal(int(g), lang) for g in (m.group(1), m.group(3), year))
        day, month = (first, second) if lang.day_first else (second, first)
        if month > 12 and day <= 12:
            day, month = month, day
        return _date(day, month, year, m, ctx)

    text = _sub(re.compile(r"(?<![\w/.])(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})(?![\w/]|\.\d)"), text, ctx, numeric_date)
    # With hyphens only a four-digit year makes it a date: "1-3-17" may be a sequence.
    text = _sub(re.compile(r"(?<![\w/.-])(\d{1,2})(-)(\d{1,2})-(\d{4})(?![\w/-]|\.\d)"), text, ctx, numeric_date)
    text = _sub(
        re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])"),
        text, ctx, lambda m: _date(int(m.group(3)), int(m.group(2)), m.group(1), m, ctx),
    )

    if lang.code == "en":
        # "1-3 March": the first to the third of March.
        def day_range(m: re.Match[str]) -> str | None:
            month = _month_number(m.group(3), ctx)
            first, last = int(m.group(1)), int(m.group(2))
            if month is None or not (1 <= first < last <= 31):
                return None
            the = "" if re.search(r"\bthe\s*$", _before(m), re.IGNORECASE) else "the "
            month_name = lang.months[month - 1]
            if lang.day_first:
                spoken = f"{the}{ordinal(first, lang)} {words['to']} the {ordinal(last, lang)} of {month_name}"
            else:
                spoken = f"{month_name} {ordinal(first, lang)} {words['to']} {ordinal(last, lang)}"
            return spoken + (f" {_year_words(m.group(4), ctx)}" if m.group(4) else "")

        text = _sub(
            re.compile(r"(?<![\w.,])(\d{1,2})\s?[-–]\s?(\d{1,2})\s+(" + months + r")(?:,?\s+(\d{4}))?(?![\w])"),
            text, ctx, day_range,
        )

    def day_month(m: re.Match[str]) -> str | None:
        month = _month_number(m.group(2), ctx)
        return None if month is None else _date(int(m.group(1)), month, m.group(3), m, ctx)

    text = _sub(
        re.compile(r"(?<![\w.,])(\d{1,2})(?:st|nd|rd|th|er|\.)?\s+(" + months + r")(?:,?\s+(\d{4}))?(?![\w])"),
        text, ctx, day_month,
    )
    if lang.code == "en":
        # "Sept 2016": the month in full before a year (after "1 Jan 2020" took its own).
        text = _sub(
            re.compile(r"(?<![\w.])(" + "|".join(re.escape(a) for a in lang.month_abbreviations) + r")\.?(?=\s+\d{4}\b)"),
            text, ctx, lambda m: lang.months[lang.month_abbreviations[m.group(1)] - 1],
        )
    if lang.code == "en":
        def month_day(m: re.Match[str]) -> str | None:
            month = _month_number(m.group(1), ctx)
            day = int(m.group(2))
            if month is None or not 1 <= day <= 31:
                return None
            spoken = f"{lang.months[month - 1]} {ordinal(day, lang)}"
            if m.group(3):
                spoken += f", {_year_words(m.group(3), ctx)}"
            return spoken

        text = _sub(
            re.compile(r"(?<![\w])(" + months + r")\s+(\d{1,2})(?:st|nd|rd|th)?(?:,\s*(\d{4}))?(?![\w%°]|[.,:]\d)"),
            text, ctx, month_day,
        )
    return text


def _dotted(text: str, ctx: Context) -> str:
    """Dotted numbers that are not dates: IP addresses, section and version numbers, "12.5" where a comma marks decimals."""
    lang = ctx.language
    words = lang.words
    # Dotted numbers that are not dates: IP addresses (192.168.0.1 → one nine two dot …)
    # and versions (3.1.4 → three point one point four).
    def dotted(m: re.Match[str]) -> str | None:
        parts = m.group().split(".")
        if len(parts) == 4 and all(int(p) <= 255 for p in parts) and (
            int(parts[0]) >= 100 or "0" in parts or any(int(p) > 32 for p in parts)
            or re.search(r"(?i)\b(?:ip|ipv4|address|adresse|addr|host|hôte|server|serveur|gateway|passerelle|netmask|dns|ping|inet|route|Rechner)\b\W*$", _before(m, 30))
        ):
            # An IP address, digit by digit. "12.4.1.2" and "5.14.4.1" (small parts, no zero, no
            # address word before) are section numbers, said like versions.
            return f" {words['dot']} ".join(digits(p, lang) for p in parts)
        if lang.decimal_comma and len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:]):
            return None  # "1.500.000": a number grouped in thousands, which the grouped rule reads
        return f" {lang.version_point} ".join(cardinal(int(p), lang) for p in parts)

    text = _sub(re.compile(r"(?<![\w.,])\d+(?:\.\d+){2,}(?![\w]|\.\d)"), text, ctx, dotted)
    if lang.decimal_comma:
        # "12.5", "3.11" where a comma marks decimals: a version or section number said with
        # "point" ("douze point cinq"), unless a unit or a percentage makes it an English-style
        # decimal quantity ("1.5 GHz": un virgule cinq gigahertz). "1.500" is one thousand five hundred.
        unit_names = "|".join(re.escape(k) for k in sorted(lang.units, key=len, reverse=True))

        text = re.sub(
            r"(?<![\w.,])(\d+)\.(\d+)(?=\s?(?:%|" + re.escape(lang.per_cent) + r"\b|(?:" + unit_names + r")(?![\w²])))",
            lambda m: m.group() if len(m.group(1)) <= 3 and len(m.group(2)) == 3 else f"{m.group(1)},{m.group(2)}",
            text,
        )
        text = _sub(
            re.compile(r"(?<![\w.,])(\d+)\.(\d+)(?![\w]|[.,]\d)"), text, ctx,
            lambda m: None if len(m.group(1)) <= 3 and len(m.group(2)) == 3 else _version_words(m.group(), ctx),
        )
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
            said.append(words["plus"] if group == "+" else digits(group, lang, zero="oh" if lang.code == "en" else None))
        spoken = ", ".join(said)
        return spoken.replace(f"{words['plus']}, ", f"{words['plus']} ")

    text = _sub(_PHONE, text, ctx, phone)

    # Codes in hyphenated groups (ISBN 978-0-14-044913-6, ref 12-345-678, 4711-0815)
    # are identifiers, not ranges: each group digit by digit, a pause between groups.
    def code(m: re.Match[str]) -> str | None:
        if re.fullmatch(r"\d{1,2}-\d{1,2}-\d{4}|\d{4}-\d{1,2}-\d{1,2}", m.group()):
            return None  # a date (25-03-2017, 2017-03-25): the date rules read it
        return ", ".join(digits(group, lang) for group in m.group().split("-"))

    text = _sub(
        re.compile(r"(?<![\w.,/-])(?:\d+(?:-\d+){2,}|\d{3,}-0\d{2,})(?![\w-]|[.,]\d)"),
        text, ctx, code,
    )
    if lang.code == "en":
        # "call 999", "dial 111": numbers you dial are said digit by digit.
        text = _sub(
            re.compile(r"\b(call|dial|ring|text|phone|ringing|calling|dialled|dialed) (\d{3,})(?![\w]|[.,]\d)", re.IGNORECASE),
            text, ctx, lambda m: f"{m.group(1)} {digits(m.group(2), lang)}",
        )
    return text


def _ranges(text: str, ctx: Context) -> str:
    """Ranges: 2001–2015, 1914-18, 10–12 → "… to …"."""
    lang = ctx.language
    words = lang.words
    num = _number_pattern(lang)
    # Ranges: 2001–2015, 1914-18, 10–12 → "… to …".
    def year_range(m: re.Match[str]) -> str | None:
        start, end = m.group(1), m.group(2)
        if len(end) == 2:
            end_said = cardinal(int(end), lang) if int(end) >= 10 else "oh " + cardinal(int(end), lang)
        else:
            end_said = _year_words(end, ctx)
        return f"{_year_words(start, ctx)} {words['to']} {end_said}"

    text = _sub(
        re.compile(r"(?<![\w.,£$€/-])(1[1-9]\d\d|20\d\d)(?:\s?[–—-]\s?|/)(1[1-9]\d\d|20\d\d|\d\d)(?![\w.,/]\d|\d|s\b|%)"),
        text, ctx, year_range,
    )
    text = re.sub(
        r"(?<![\w.,/-])([£$€]?(?:" + num + r"))\s?[–—]\s?(?=[£$€]?\d)|(?<![\w.,/-])([£$€]?(?:" + num + r"))-(?=[£$€]?\d+(?:\.\d+)?(?![\d/-]|[.,]\d))",
        lambda m: f"{m.group(1) or m.group(2)} {words['to']} ",
        text,
    )
    return text


def _money(text: str, ctx: Context) -> str:
    """Money: €100, £3.5bn, $5m, US$5, 50p, £2.50, 100€."""
    lang = ctx.language
    num = _number_pattern(lang)
    # Money: €100, £3.5bn, $5m, US$5, 50p, £2.50, 100€.
    currencies = "".join(re.escape(c) for c in lang.currencies)
    multipliers = "|".join(sorted((re.escape(k) for k in lang.multipliers), key=len, reverse=True))
    prefixes = {"US": "U-S", "A": "Australian", "C": "Canadian", "NZ": "New Zealand", "HK": "Hong Kong"}

    def money(m: re.Match[str]) -> str | None:
        currency = lang.currencies[m.group("cur")]
        raw = m.group("num")
        number = _canonical(raw, lang)
        prefix = prefixes.get(m.group("pre") or "", "")
        plural = f"{prefix} {currency.plural}".strip()
        singular = f"{prefix} {currency.singular}".strip()
        multiplier = m.group("mult")
        # "a £10 note" is a ten-pound note: after "a", the amount describes a noun.
        adjective = lang.code == "en" and re.search(r"\b[Aa]n?\s+$", _before(m)) and re.match(r"\s+[a-z]", _after(m))
        if multiplier:
            if lang.code == "fr":
                # "trois milliards d'euros": French links the amount with "de".
                of = "d'" if plural[0] in "aeiouéèh" else "de "
                return f"{_number_words(raw, ctx)} {lang.multipliers[multiplier]} {of}{plural}"
            return f"{_number_words(raw, ctx)} {lang.multipliers[multiplier]} {singular if adjective else plural}"
        integer, _, fraction = number.partition(".")
        if fraction and len(fraction) == 2:
            cents = int(fraction)
            whole = int(integer or "0")
            if whole == 0:
                return f"{cardinal(cents, lang)} {currency.minor_singular if cents == 1 else currency.minor_plural}"
            said = f"{_one_before(cardinal(whole, lang), False, lang)} {singular if whole == 1 else plural}"
            return said + (f" {cardinal(cents, lang)}" if cents else "")
        if fraction:
            return f"{_number_words(raw, ctx)} {plural}"
        if adjective:
            return f"{cardinal(int(integer), lang)}-{singular.replace(' ', '-')}"
        return f"{_one_before(cardinal(int(integer), lang), False, lang)} {singular if integer == '1' else plural}"

    if currencies:
        text = _sub(
            re.compile(
                r"(?<![\w])(?P<pre>US|A|C|NZ|HK)?(?P<cur>[" + currencies + r"])\s?(?P<num>" + num + r")"
                r"(?:\s?(?P<mult>" + multipliers + r")(?![\w]))?"
            ),
            text, ctx, money,
        )
        text = _sub(
            re.compile(
                r"(?<![\w.,])(?P<num>" + num + r")\s?(?:(?P<mult>" + multipliers + r")\s?)?(?P<pre>)(?P<cur>["
                + currencies + r"])(?!\d)"
            ),
            text, ctx, money,
        )
    if lang.code == "en":
        text = _sub(
            re.compile(r"(?<![\w.,])(\d{1,3})p(?![\w])"),
            text, ctx, lambda m: f"{cardinal(int(m.group(1)), lang)} {'penny' if m.group(1) == '1' else 'pence'}",
        )
    return text


def _quantities(text: str, ctx: Context) -> str:
    """Percentages, units and speeds, multipliers (5bn) and "100s"."""
    lang = ctx.language
    num = _number_pattern(lang)
    # Percentages.
    text = _sub(
        re.compile(r"(?<![\w.,])(-?)(" + num + r")\s?%"),
        text, ctx, lambda m: (f"{lang.minus} " if m.group(1) else "") + f"{_number_words(m.group(2), ctx)} {lang.per_cent}",
    )

    # Units and speeds: 20mph, 5km, 3kg, 40°C, 13m (million) or 100m (metres).
    unit_keys = sorted(lang.units, key=len, reverse=True)
    no_space = {"m", "g", "mi", "ha", "hr", "°", "ft", "lb", "oz", "pc", "in", "x"}

    def unit(m: re.Match[str]) -> str | None:
        symbol, raw = m.group("unit"), m.group("num")
        number = _canonical(raw, lang)
        if m.group("space") and symbol in no_space and lang.code == "en":
            return None
        if symbol == "s" and not m.group("space") and "." not in number:
            return None  # "3s" and "1970s" are plurals; "1.5s" and "1.5 s" are seconds
        sign = f"{lang.minus} " if m.group("sign") else ""
        if re.fullmatch(r"\d+\.00+", number):
            # "640.00 MiB" is a tool's fixed format, not a measurement to the hundredth:
            # "six hundred and forty mebibytes". A single ".0" ("5.0 GiB") was written by a person, and is said.
            raw = number = number.split(".")[0]
        if symbol == "m" and lang.code == "en":
            following = _after(m)
            if "." in number or (
                re.match(r"\s+[a-z]", following) and not re.match(r"\s+(?:" + "|".join(_DISTANCE_WORDS) + r")\b", following)
            ):
                return sign + f"{_number_words(raw, ctx)} million"
        u = lang.units[symbol]
        if lang.code == "en" and re.search(r"\b[Aa]n?\s+$", _before(m)) and re.match(r"\s+[a-z]", _after(m)):
            # "a 2 GiB file" is a two-gibibyte file: after "a", the size describes a noun.
            return sign + f"{_number_words(raw, ctx)} {u.singular}"
        said = _number_words(raw, ctx) if "." in number else _one_before(_number_words(raw, ctx), u.feminine, lang)
        return sign + f"{said} {_plural(number, u.singular, u.plural)}"

    text = _sub(
        re.compile(
            r"(?<![\w.,])(?P<sign>-)?(?P<num>" + num + r")(?P<space>\s)?(?P<unit>"
            + "|".join(re.escape(k) for k in unit_keys) + r")(?![\w²'’])"
        ),
        text, ctx, unit,
    )
    text = _sub(
        re.compile(r"(?<![\w.,])(?P<num>" + num + r")\s?(?P<mult>bn|tn|mn|k)(?![\w])"),
        text, ctx, lambda m: f"{_number_words(m.group('num').replace(',', ''), ctx)} {lang.multipliers.get(m.group('mult'), '')}".strip(),
    )

    if lang.code == "en":
        # "100s of people": hundreds.
        text = _sub(
            re.compile(r"(?<![\w.,])(100|1,?000|1,?000,?000)s(?![\w'’])"),
            text, ctx, lambda m: {"100": "hundreds", "1000": "thousands"}.get(m.group(1).replace(",", ""), "millions"),
        )
    return text


def _ordinals(text: str, ctx: Context) -> str:
    """Ordinals: 21st, 1er, 1re, XXIe siècle, "Louis XIV", "der 2. Weltkrieg"."""
    lang = ctx.language
    # Ordinals: 21st, 2nd, 1er, 1re, 3e, XXIe siècle, "der 2. Weltkrieg".
    if lang.code == "fr":
        text = _sub(
            re.compile(r"(?<![\w.,])(\d+|[IVXLC]+)(er|re|ère|e|ème|eme|nde?|ᵉ|ʳᵉ|ᵉʳ)(?![\w])"),
            text, ctx, lambda m: _french_ordinal(m.group(1), m.group(2), lang),
        )
        # "Louis XIV", "Benoît XVI": a name's numeral is a cardinal in French ("François Ier" above).
        def regnal(m: re.Match[str]) -> str | None:
            value = _roman(m.group("r"))
            return None if value is None else f"{m.group('name')} {cardinal(value, lang)}"

        text = _sub(re.compile(r"(?<![\w-])(?P<name>[A-ZÀ-Ý][a-zà-ÿ]{2,}) (?P<r>[IVX]{2,5})(?![\w'’])"), text, ctx, regnal)
    elif lang.code == "de":
        text = _sub(
            re.compile(r"\b(?P<art>" + _GERMAN_ORDINAL_ARTICLES + r")(?P<gap>\s)(?P<n>\d{1,4})\.(?=\s+[A-ZÄÖÜ][a-zäöüß]|\s*[-–])", re.IGNORECASE),
            text, ctx, lambda m: m.group("art") + m.group("gap") + _german_ordinal(int(m.group("n")), m.group("art"), lang),
        )
    else:
        text = _sub(
            re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(st|nd|rd|th)(?![\w])"),
            text, ctx, lambda m: ordinal(int(m.group(1).replace(",", "")), lang),
        )
    return text


def _decades(text: str, ctx: Context) -> str:
    """Decades and short years: the 1970s, the '60s, '68, die 1990er."""
    lang = ctx.language
    if lang.code == "de":
        # "die 1990er Jahre", "in den 80ern": decades.
        # "die 1990er Jahre", "in den 80ern", "386er": decades and models.
        text = _sub(
            re.compile(r"(?<![\w.,])(\d{1,4})er(n?)(?![\w])"),
            text, ctx,
            lambda m: (_year_words(m.group(1), ctx) if _DECADE.fullmatch(m.group(1)) else cardinal(int(m.group(1)), lang)) + "er" + m.group(2),
        )

    if lang.code == "en":
        # Decades: the 1970s, the '60s, the 80s.
        text = _sub(
            re.compile(r"(?<![\w.,])(1[1-9]\d0|20\d0)['’]?s(?![\w])"),
            text, ctx,
            lambda m: english_decade(int(m.group(1))),
        )
        text = _sub(
            re.compile(r"(?<![\w.,])['’]?([1-9]0)['’]?s(?![\w])"),
            text, ctx, lambda m: pluralise_number_words(cardinal(int(m.group(1)), lang)),
        )
        # '68 → sixty-eight (a year written short).
        text = _sub(
            re.compile(r"(?<![\w])['’](\d\d)(?![\w'’])"),
            text, ctx, lambda m: _year_words(m.group(1), ctx),
        )
    return text


def _fractions(text: str, ctx: Context) -> str:
    """Fractions: 1 1/2, 3/4, 24/7, 9/10 people."""
    lang = ctx.language
    words = lang.words
    num = _number_pattern(lang)
    # Fractions: 1 1/2, 3/4, 24/7.
    special = {"24/7": "twenty-four seven", "9/11": "nine eleven", "50/50": "fifty-fifty", "20/20": "twenty twenty"}

    def fraction_words(num: int, den: int) -> str | None:
        if den == 0 or num == 0 or num >= den or den > 100:
            return None
        if den in lang.fractions:
            singular, plural = lang.fractions[den]
        elif lang.code in ("en", "fr"):
            singular = ordinal(den, lang)
            plural = singular + "s"
        elif lang.code == "de":
            singular = plural = ordinal(den, lang)[:-1].capitalize() + "el"  # neunte → Neuntel
        else:
            return None
        said = _german_one(cardinal(num, lang)) if lang.code == "de" else cardinal(num, lang)
        return f"{said} {singular if num == 1 else plural}"

    def mixed(m: re.Match[str]) -> str | None:
        num, den = int(m.group(2)), int(m.group(3))
        if (num, den) == (1, 2) and lang.code == "fr":
            return f"{cardinal(int(m.group(1)), lang)} {words['and a half']}"  # un et demi
        if (num, den) == (1, 2) and lang.code == "de":
            return f"{_german_one(cardinal(int(m.group(1)), lang))}{words['and a half']}"  # zweieinhalb
        said = "a half" if (num, den) == (1, 2) and lang.code == "en" else fraction_words(num, den)
        if said is None:
            return None
        if said.startswith("one ") and lang.code == "en":
            said = "a " + said[4:]
        return f"{cardinal(int(m.group(1)), lang)} {lang.words['and']} {said}"

    text = _sub(re.compile(r"(?<![\w.,/])(\d+) (\d)/(\d{1,2})(?![\w/]|[.,]\d)"), text, ctx, mixed)

    def fraction(m: re.Match[str]) -> str | None:
        if m.group() in special and lang.code == "en":
            return special[m.group()]
        # A noun after it counts ("9/10 people"); "1/10 and", "1/10 is" name the fraction itself.
        counting = (
            re.match(r"\s+[a-z]", _after(m)) and not re.match(r"\s+(?:" + _NOT_COUNTED + r")\b", _after(m))
        ) or re.search(
            r"\b(?:scored?|scores|rated?|rates|gave|gives?|got|gets?|marks?)\s+$", _before(m), re.IGNORECASE
        )
        if lang.code == "en" and counting and m.group(2) in {"10", "100"} and int(m.group(1)) <= int(m.group(2)):
            # Scores and shares: "9/10 people" is nine out of ten, not nine tenths.
            return f"{cardinal(int(m.group(1)), lang)} out of {cardinal(int(m.group(2)), lang)}"
        said = fraction_words(int(m.group(1)), int(m.group(2)))
        if said is None:
            return f"{cardinal(int(m.group(1)), lang)} {cardinal(int(m.group(2)), lang)}"
        return said

    text = _sub(re.compile(r"(?<![\w.,/])(\d+)/(\d+)(?![\w/]|[.,]\d)"), text, ctx, fraction)
    return text


def _digit_strings(text: str, ctx: Context) -> str:
    """Grouped numbers ("600 000"), then long digit strings (IDs, digit by digit; byte counts as numbers)."""
    lang = ctx.language
    # Grouped numbers first ("600 000" in French), so a group is not taken for an ID.
    grouped = r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?" if lang.decimal_comma else r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    text = _sub(
        re.compile(r"(?<![\w.,])(" + grouped + r")(?![\w]|[.,]\d)"), text, ctx, lambda m: _number_words(m.group(1), ctx)
    )
    # Long digit strings without separators are IDs: read digit by digit.
    # ... except a count of bytes or disk blocks ("5368709120 bytes"), which tools print
    # without separators: that is a quantity, said as one.
    def long_digits(m: re.Match[str]) -> str:
        if not m.group(1).startswith("0") and re.match(_BYTE_COUNT, _after(m)):
            return _number_words(m.group(1), ctx)
        return digits(m.group(1), lang, zero="oh" if m.group(1).startswith("0") and lang.code == "en" else None)

    text = _sub(re.compile(r"(?<![\w.,])(0\d{2,}|\d{7,})(?![\w]|[.,]\d)"), text, ctx, long_digits)
    return text


def _years(text: str, ctx: Context) -> str:
    """Years (1982, im Jahr 1998), or counts when a plural noun follows ("1543 sources")."""
    lang = ctx.language
    months = _months(lang)
    # Years (English): 1982 → nineteen eighty-two; 2015 → two thousand and fifteen.
    year_context = r"(?:in|since|by|until|till|from|of|year|between|and|to|before|after|during|early|late|mid|summer|spring|autumn|winter|circa|c\.|" + months + r")"
    if lang.code == "de":
        # "1543 Quellen" counts; "1998 wurde", "im Jahr 1998", "seit 2001 Pakete" are years. Every German
        # noun has a capital, so a capital word after the number, with no year word before it, is counted.
        def german_year(m: re.Match[str]) -> str | None:
            counted = re.match(r"\s+[A-ZÄÖÜ][a-zäöüß]*(?:e|en|er|n|s|el)\b", _after(m)) and not re.match(r"\s+(?:" + months + r")\b", _after(m))
            if counted and not re.search(_GERMAN_YEAR_WORDS, _before(m)):
                return None
            return _year_words(m.group(1), ctx)

        text = _sub(re.compile(r"(?<![\w.,£$€])(1[1-9]\d\d|20\d\d)(?![\w%°]|[.,]\d)"), text, ctx, german_year)
    elif lang.code != "en":
        text = _sub(
            re.compile(r"(?<![\w.,£$€])(1[1-9]\d\d|20\d\d)(?![\w%°]|[.,]\d)"), text, ctx, lambda m: _year_words(m.group(1), ctx)
        )
    if lang.code == "en":
        strong_year_context = r"\b(?:in|between|since|by|until|till|before|after|during|early|late|mid|summer|spring|autumn|winter|circa|c\.|year|" + months + r")\s+$"

        def year(m: re.Match[str]) -> str | None:
            value = int(m.group(1))
            # "1024 or 4096 bytes": the first number of a list counts the same noun.
            noun = re.match(r"(?:\s*(?:,|or|and|to|-|–)\s*\d+)?\s+([a-z]{3,})\b", _after(m))
            plural = noun is not None and (
                noun.group(1) in {"people", "children", "men", "women"}
                or (noun.group(1).endswith("s") and not noun.group(1).endswith("ss") and noun.group(1) not in _NOT_PLURAL)
            )
            if plural and not re.search(strong_year_context, _before(m), re.IGNORECASE):
                # A count: "1543 sources", "from 2000 packages". "in 1543" and "since 2001" stay years.
                return None
            if 1000 <= value <= 2019 and not (1000 <= value < 2000 and value % 100 == 0 and re.match(r"\s+[a-z]", _after(m)) and not re.search(year_context + r"\s+$", _before(m), re.IGNORECASE)):
                return english_year(value)
            # 2020-2099 in prose is nearly always a year, unless it counts something ("2050 people", above).
            if 2020 <= value <= 2099:
                return english_year(value)
            return None

        text = _sub(re.compile(r"(?<![\w.,£$€])(\d{4})(?![\w%°]|[.,]\d)"), text, ctx, year)
    return text


def _plain(text: str, ctx: Context) -> str:
    """Signed, separated and decimal numbers that no other rule took."""
    lang = ctx.language
    num = _number_pattern(lang)
    # Signed, separated and decimal numbers.
    def plain(m: re.Match[str]) -> str:
        sign = f"{lang.minus} " if m.group("sign") else ""
        said = sign + _number_words(m.group("num"), ctx)
        noun = re.match(r"\s+([^\W\d_]+)", _after(m))
        if noun and lang.code in ("fr", "de") and re.fullmatch(r"\d+", m.group("num")):
            # "une seconde", "vingt et une pages", "eine Datei", "ein Paket": one agrees with its noun.
            if lang.code == "fr" or noun.group(1)[0].isupper():
                said = _one_before(said, noun.group(1).lower().rstrip("s") in _FEMININE[lang.code], lang)
        # "3s" must not become "threes": keep a letter glued to a number apart.
        return said + " " if re.match(r"[^\W\d_]", _after(m, 1)) else said

    number_pattern = num
    text = _sub(
        re.compile(r"(?:(?<=^)|(?<=[\s(\[\"“‘]))(?P<sign>-)(?P<num>" + number_pattern + r")(?![\d])"), text, ctx, plain
    )
    text = _sub(re.compile(r"(?P<sign>)(?<!\d)(?P<num>" + number_pattern + r")(?!\d)"), text, ctx, plain)
    return text


def _amount_ranges(text: str, ctx: Context, first_span: int) -> str:
    """A dash between two amounts or times spoken by this pass is a range: "10am-4pm", "£5bn–£6bn"."""
    words = ctx.language.words

    def amount_range(m: re.Match[str]) -> str:
        left, right = ord(m.group(1)) - _TOKEN_BASE, ord(m.group(2)) - _TOKEN_BASE
        if left >= first_span and right >= first_span:
            return f"{m.group(1)} {words['to']} {m.group(2)}"
        return m.group()

    text = re.sub(r"(" + _TOKEN.pattern + r")\s?[-–—]\s?(" + _TOKEN.pattern + r")", amount_range, text)
    return text


# The number families, in the order they must run: each takes what the ones before left.
_FAMILIES = (
    _comparisons, _times, _dates, _dotted, _identifiers, _ranges, _money, _quantities,
    _ordinals, _decades, _fractions, _digit_strings, _years, _plain,
)


def numbers(text: str, ctx: Context) -> str:
    """Times, dates, money, percentages, units, ranges, phone numbers, ordinals, years and plain numbers."""
    first_span = len(ctx.spans)
    for family in _FAMILIES:
        text = family(text, ctx)
    return _amount_ranges(text, ctx, first_span)


# ---------------------------------------------------------------- capitals

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_NUMBERED = (
    r"War|Part|Chapter|Volume|Act|Book|Phase|Apollo|Episode|Round|Stage|Level|Class|Type|Grade|Article|Title|"
    r"Section|Schedule|Annex|Henry|Edward|George|William|Charles|Richard|Elizabeth|James|Louis|Pope|John|Paul|Benedict|Pius|Mary"
)


# Two-letter English words written in capitals for emphasis; every other two-letter
# capital token is spelled (PA, TV, ME the illness, UN through the lexicon).
_SHORT_WORDS = frozenset("NO GO SO DO WE MY UP ON OF TO BE HE OR AS AN BY OH HI IF".split())
# Initialisms that are also words: spelled, except inside text written all in capitals.
_SPELLED_UNLESS_SHOUTING = frozenset("US IT IS WHO AM PM".split())


def _roman(numeral: str) -> int | None:
    if not re.fullmatch(r"X{0,3}(IX|IV|V?I{0,3})", numeral) or not numeral:
        return None
    total = 0
    for i, c in enumerate(numeral):
        value = _ROMAN[c]
        total += -value if i + 1 < len(numeral) and _ROMAN[numeral[i + 1]] > value else value
    return total


def capitals(text: str, ctx: Context) -> str:
    """Roman numerals after names, and all-capital tokens: said as a word if pronounceable, else spelled."""
    lang = ctx.language
    if lang.code == "en":
        def regnal(m: re.Match[str]) -> str | None:
            value = _roman(m.group(2))
            if value is None:
                return None
            if m.group(1) in {"Henry", "Edward", "George", "William", "Charles", "Richard", "Elizabeth", "James", "Louis", "Pope", "John", "Paul", "Benedict", "Pius", "Mary"}:
                if m.group(2) == "I":
                    return None
                return f"{m.group(1)} the {ordinal(value, lang)}"
            return f"{m.group(1)} {cardinal(value, lang)}"

        text = _sub(re.compile(r"\b(" + _NUMBERED + r") ([IVX]{1,5})(?![\w'’])"), text, ctx, regnal)

    def caps(m: re.Match[str]) -> str | None:
        token, suffix = m.group(1), m.group(2) or ""
        suffix = "'s" if suffix else ""
        # Text in capitals throughout ("TELL US THE TRUTH") is words, not initialisms.
        run_before = re.search(r"(?:\b[A-Z]{2,}[,.!?:;]? +)+$", _before(m, 60))
        run_after = re.match(r"(?: +[A-Z]{2,}\b)+", _after(m, 60))
        neighbours = re.findall(r"[A-Z]{2,}", (run_before.group() if run_before else "") + (run_after.group() if run_after else ""))
        shouting = len(neighbours) >= 2 or any(len(n) >= 3 and is_common_word(n, lang.code) for n in neighbours)
        has_vowel = re.search(r"[AEIOUY]", token) is not None
        if lang.code == "en" and token in _SPELLED_UNLESS_SHOUTING and not shouting:
            return spell(token) + suffix  # the US, IT, the WHO, 9 AM: initialisms in mixed-case text
        if lang.code == "en" and token in _SHORT_WORDS:
            return token.capitalize() + suffix  # "he said NO": emphasis, not an initialism
        if has_vowel and (shouting or is_pronounceable(token)) and is_common_word(token, lang.code):
            return token.capitalize() + suffix
        if len(token) >= 4 and is_pronounceable(token):
            return token.capitalize() + suffix
        return spell(token) + suffix

    text = _sub(re.compile(r"(?<![\w'’])([A-Z]{2,})(['’]s|s)?(?![\w'’])"), text, ctx, caps)
    # CamelCase initialisms with lowercase letters in them (PhD, BSc) stay as written.
    return text


# ---------------------------------------------------------------- symbols, brackets, quotes

_FUNCTION_WORDS = frozenset(
    "it's its the a an of to for that is are was were and by with from in on at this these those their his her "
    "our my your as than like about said says".split()
)


def symbols(text: str, ctx: Context) -> str:
    """Symbols to words; brackets and dashes to pauses; quotation marks off; the unspeakable listed."""
    words = ctx.language.words
    text = re.sub(r"\s*&\s*", f" {words['and']} ", text)
    text = re.sub(r"(?<=\w)\+(?!\w)", f" {words['plus']} ", text)
    text = re.sub(r"\s*\+\s*", f" {words['plus']} ", text)
    text = re.sub(r"\s*=\s*", f" {words['equals']} ", text)
    # "MSS = MTU - 40": after "equals", a spaced hyphen before a term is a minus, not a pause.
    text = re.sub(
        r"(\b" + re.escape(words["equals"]) + r"\s+[^\s,;.]+)\s+-\s+(?=[\w\U000f0000-\U000ffffd])",
        lambda m: f"{m.group(1)} {ctx.language.minus} ", text,
    )
    text = re.sub(r"\s*%", f" {words['percent sign']} ", text)
    text = re.sub(r"(?<!\S)#(?!\S)", f" {words['hash']} ", text)
    text = re.sub(r"(?<!\S)@(?!\S)", f" {words['at']} ", text)
    text = re.sub(r"\s*×\s*", f" {words['times']} ", text)
    text = re.sub(r"\s*÷\s*", f" {words['divided by']} ", text)
    text = re.sub(r"\s*±\s*", f" {words['plus or minus']} ", text)
    text = re.sub(r"\s*§\s*", f" {words['section']} ", text)
    text = re.sub(r"\s*©\s*", f" {words['copyright']} ", text)
    text = re.sub(r"\s*°", f" {words['degrees']} ", text)
    text = re.sub(r"[™®]", " ", text)
    for symbol, currency in ctx.language.currencies.items():
        text = text.replace(symbol, f" {currency.singular} ")  # "the £ fell": the pound fell
    text = re.sub(r"\s*[→⇒]\s*", f" {words['to']} ", text)
    text = re.sub(r"\b(and|or)/(or|and)\b", r"\1 \2", text)
    text = re.sub(r"(?<=\w)/(?=\w)", " ", text)
    text = text.replace("/", " ")

    # Editorial square brackets: "[Labour] people" replaces a word and is read
    # straight on; "them [the Blairites]" adds a gloss, set off by pauses.
    def square(m: re.Match[str]) -> str:
        inner = m.group(1).strip()
        if inner in {"...", "…", ""}:
            return " ... "
        prev = re.search(r"(\S+)\s*$", _before(m))
        if prev and prev.group(1).lower().replace("’", "'").strip("\"“‘'") in _FUNCTION_WORDS:
            return f" {inner} "
        return f", {inner}, "

    text = re.sub(r"\[([^\[\]]*)\]", square, text)
    text = re.sub(r"\s*[(){}\[\]]\s*", ", ", text)
    text = re.sub(r"\s*[<>|]\s*", " ", text)
    # Dashes between words are pauses; hyphens inside words stay.
    text = re.sub(r"\s+[-–—]+\s+|\s*[—―]\s*|\s*--+\s*|\s+[–-]+(?=\s|$)|(?<=\s)[–]", ", ", text)
    text = re.sub(r"(?<=\w)–(?=\w)", ", ", text)
    text = re.sub(r"(?m)^\s*[-–—•·*]\s+", "", text)
    text = re.sub(r"\s*[•·]\s*", ", ", text)
    # Quotation marks carry no sound; apostrophes inside words do.
    text = re.sub(r"[\"“”„«»‹›]", " ", text)
    # An apostrophe inside a word, or after a spoken span ("2017's"), is parked as a
    # private character so the quotation-mark rules below cannot take it.
    text = re.sub(
        r"(?:(?<=[^\W\d_])|(?<=[\U000f0000-\U000ffffd]))[’'](?=[^\W\d_])", _APOSTROPHE, text
    )
    text = re.sub(r"[‘’‚‛′″`´]", " ", text)
    text = re.sub(r"(?<![^\W\d_])'|'(?![^\W\d_])", " ", text)
    text = re.sub(r"[*†‡¶\\^_~]", " ", text)

    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category.startswith("S") and not _TOKEN.match(char):
            ctx.dropped.append(char)
            kept.append(" ")
        else:
            kept.append(char)
    return "".join(kept)


# ---------------------------------------------------------------- tidy

def tidy(text: str) -> str:
    """Collapse the spaces and doubled pauses the rules leave behind."""
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r" +([,.;:!?])", r"\1", text)
    for _ in range(3):
        text = re.sub(r",\s*,", ",", text)
        text = re.sub(r",\s*([.;:!?])", r"\1", text)
        text = re.sub(r"([.;:!?])\s*,", r"\1", text)
        text = re.sub(r"(?m)^\s*,\s*", "", text)
        text = re.sub(r",\s*$", "", text)
        text = re.sub(r"(?m),\s*\n", "\n", text)
    text = re.sub(r",(?=\S)", ", ", text)
    text = re.sub(r"(?<=\.\.\.)(?=\w)", " ", text)
    text = re.sub(r"[ \t]+", " ", text)
    return text.strip()
