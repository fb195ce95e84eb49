"""Versions, section references, package names and dotted numbers: never dates, never decimals."""

from __future__ import annotations

import functools
import re

from .addresses import say_label
from .context import Context, substitute, text_before
from .dates import year_words
from .languages import Language
from .words import cardinal, digits, spell


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
    zero = lang.zero_digit
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
    r"|\d+\.\d+\.\d+[a-z](?:-[0-9](?:[\w.]*\w)?)?"
    # "6.1.0-13-amd64": a kernel release, its ABI number and flavour.
    r"|\d+\.\d+\.\d+-\d+(?:-[a-z][a-z0-9]*)+)(?![\w+~-]|\.\d)"
)
# A package or file name with its version: "debhello-2.0.tar.gz", "linux-image-3.18.0-trunk-amd64",
# "hello_2.10-3_amd64.deb". The name needs two letters, so "x-1.5" stays a subtraction.
_PACKAGE_FILE = re.compile(
    # (After "/" too: "/boot/vmlinuz-5.10.0-6-amd64" is a path's file.)
    r"(?<![\w.@:~+-])[A-Za-z][A-Za-z0-9+]+(?:-[A-Za-z0-9+]+)*[-_]\d+(?:\.\d+)+(?:[\w.+~:-]*\w)?(?![\w-])"
)
# Architectures in package names, as Debian developers say them.
_ARCHITECTURES = {
    "amd64": "A-M-D sixty-four", "i386": "i three eight six", "arm64": "arm sixty-four", "armhf": "arm H-F",
    "armel": "arm E-L", "mips64el": "mips sixty-four E-L", "ppc64el": "P-P-C sixty-four E-L", "s390x": "S three ninety X",
}
_PRE_RELEASE_MARKS = frozenset({"rc", "alpha", "beta", "pre", "dev"})


def _paired(number: str, lang: Language) -> str:
    """A code said in pairs, as engineers say it: 404 four oh four, 256 two fifty-six, 1080 ten eighty, 500 five hundred."""
    zero = lang.zero_digit
    if len(number) == 3:
        head, tail = number[0], number[1:]
        if tail == "00":
            return cardinal(int(number), lang)
        if tail[0] == "0":
            return f"{digits(head, lang)} {digits(tail, lang, zero=zero)}"
        return f"{digits(head, lang)} {cardinal(int(tail), lang)}"
    if len(number) == 4 and number[2:] != "00":
        return f"{cardinal(int(number[:2]), lang)} {cardinal(int(number[2:]), lang) if number[2] != '0' else digits(number[2:], lang, zero=zero)}"
    return cardinal(int(number), lang)


def _architecture(name: str, lang: Language) -> str:
    """An architecture as its developers say it, with the language's numbers ("A-M-D soixante-quatre")."""
    if lang.code == "en":  # on purpose: the table is written in English words, which English reads as they are
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
                said.append(say_label(piece, ctx, host=False))
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

    text = substitute(_PACKAGE_FILE, text, ctx, package)
    text = substitute(_DEBIAN_VERSION, text, ctx, package)
    # "i386" alone is an architecture, not "i three hundred and eighty-six".
    text = substitute(
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
    text = substitute(
        re.compile(r"(?<=\bISSN)(?P<gap>:?\s*)(?P<a>\d{4})-(?P<b>\d{3}[\dXx])(?![\w-])"),
        text, ctx,
        lambda m: f"{m.group('gap')}{digits(m.group('a'), ctx.language)}, "
        + " ".join(digits(c, ctx.language) if c.isdecimal() else "X" for c in m.group("b")),
    )
    # "ISO-8859-1", "ISO 9660": a standard's number digit by digit, as people say it.
    text = substitute(
        re.compile(r"(?<![\w-])ISO[- ]?(?P<n>\d{3,5})(?:-(?P<part>\d{1,2}))?(?![\w]|[.,:]\d)"),
        text, ctx,
        lambda m: f"I-S-O {digits(m.group('n'), lang)}" + (f" {words['dash']} {cardinal(int(m.group('part')), lang)}" if m.group("part") else ""),
    )
    # "CVE-2023-25690": a vulnerability's year, then its number digit by digit.
    text = substitute(
        re.compile(r"(?<![\w-])CVE-(?P<year>\d{4})-(?P<n>\d{4,7})(?![\w-])"),
        text, ctx, lambda m: f"C-V-E {year_words(m.group('year'), ctx)}, {digits(m.group('n'), lang)}",
    )
    # "SHA-256", "AES-128", "RSA-4096": an algorithm and its size, as engineers say it ("two fifty-six").
    text = substitute(
        re.compile(r"(?<![\w-])(?P<name>SHA|AES|RSA|DES|MD|SHA3|ECDSA|HMAC-SHA)-?(?P<n>\d{1,4})(?![\w-])"),
        text, ctx, lambda m: f"{spell(m.group('name'))} {_paired(m.group('n'), lang)}",
    )
    # "802.11ac": the wireless standard, "eight oh two dot eleven A-C".
    text = substitute(
        re.compile(r"(?<![\w.])802\.(?P<n>\d{1,2})(?P<suffix>[a-z]{0,2})(?![\w.])"),
        text, ctx,
        lambda m: f"{_paired('802', lang)} {words['dot']} {cardinal(int(m.group('n')), lang)}"
        + (f" {spell(m.group('suffix'))}" if m.group("suffix") else ""),
    )
    # "port 8080", "ports 80 and 443": a port number digit by digit when it is long.
    text = substitute(
        re.compile(r"(?<=\b[Pp]ort )(?P<n>\d{3,5})(?![\w.:/-]|[.,]\d)"),
        text, ctx, lambda m: digits(m.group("n"), lang),
    )
    # "HTTP 404", "status 301": a status code as web people say it ("four oh four").
    # (Only the number is finished: "HTTP" goes on to the capitals rule.)
    text = re.sub(
        r"\b(?P<word>HTTP|http|[Ss]tatus|[Ee]rror) (?P<n>[1-5]\d\d)(?![\w.:/-]|[.,]\d)",
        lambda m: f"{m.group('word')} {ctx.protect(m.group('n'), _paired(m.group('n'), lang))}", text,
    )
    # "1080p", "720p", "2160p": video resolutions ("ten eighty P").
    text = substitute(
        re.compile(r"(?<![\w.])(?P<n>480|576|720|1080|1440|2160|4320)(?P<p>[pi])(?![\w])"),
        text, ctx, lambda m: f"{_paired(m.group('n'), lang)} {m.group('p').upper()}",
    )
    # "build 2023", "build 1543": a build is counted, never a year. Long ones ("build 20230415")
    # stay digit by digit like any identifier.
    text = substitute(
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
    text = substitute(
        # "la version actuelle est 1.5-2": a verb between the word and the version is allowed.
        re.compile(
            r"(?<![\w])(?P<word>version)(?P<gap>\s+(?:\w+\s+){0,2}?(?:is|est|ist|was|war|était)\s+|\s+)"
            r"(?P<up>\d+(?:\.\d+)+)-(?P<rev>\d+(?:\.\d+)*)(?![\w+~-]|\.\d)", re.IGNORECASE),
        text, ctx,
        lambda m: f"{m.group('word')}{m.group('gap')}{_version_words(m.group('up'), ctx)} {words['dash']} {_version_words(m.group('rev'), ctx)}",
    )
    text = substitute(_reference(lang.reference_words, lang.reference_joiners), text, ctx, reference)
    return substitute(_V_VERSION, text, ctx, lambda m: f"{words['version']} {_version_words(m.group('version'), ctx)}")


def say_dotted_numbers(text: str, ctx: Context) -> str:
    """Dotted numbers that are not dates: IP addresses, section and version numbers, "12.5" where a comma marks decimals."""
    lang = ctx.language
    words = lang.words
    # Dotted numbers that are not dates: IP addresses (192.168.0.1 → one nine two dot …)
    # and versions (3.1.4 → three point one point four).
    def dotted(m: re.Match[str]) -> str | None:
        parts = m.group().split(".")
        if len(parts) == 4 and all(int(p) <= 255 for p in parts) and (
            int(parts[0]) >= 100 or "0" in parts or any(int(p) > 32 for p in parts)
            or re.search(r"(?i)\b(?:ip|ipv4|address|adresse|addr|host|hôte|server|serveur|gateway|passerelle|netmask|dns|ping|inet|route|Rechner)\b\W*$", text_before(m, 30))
        ):
            # An IP address, digit by digit. "12.4.1.2" and "5.14.4.1" (small parts, no zero, no
            # address word before) are section numbers, said like versions.
            return f" {words['dot']} ".join(digits(p, lang) for p in parts)
        if lang.decimal_comma and len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:]):
            return None  # "1.500.000": a number grouped in thousands, which the grouped rule reads
        return f" {lang.version_point} ".join(cardinal(int(p), lang) for p in parts)

    text = substitute(re.compile(r"(?<![\w.,])\d+(?:\.\d+){2,}(?![\w]|\.\d)"), text, ctx, dotted)
    if lang.decimal_comma:
        # "12.5", "3.11" where a comma marks decimals: a version or section number said with
        # "point" ("douze point cinq"), unless a unit or a percentage makes it an English-style
        # decimal quantity ("1.5 GHz": un virgule cinq gigahertz). "1.500" is one thousand five hundred.
        # (With no unit names, only a percentage; an empty alternative would match anything.)
        unit_names = "|".join(re.escape(k) for k in sorted(lang.units, key=len, reverse=True)) or "(?!)"

        text = re.sub(
            r"(?<![\w.,])(\d+)\.(\d+)(?=\s?(?:%|" + re.escape(lang.per_cent) + r"\b|(?:" + unit_names + r")(?![\w²])))",
            lambda m: m.group() if len(m.group(1)) <= 3 and len(m.group(2)) == 3 else f"{m.group(1)},{m.group(2)}",
            text,
        )
        text = substitute(
            re.compile(r"(?<![\w.,])(\d+)\.(\d+)(?![\w]|[.,]\d)"), text, ctx,
            lambda m: None if len(m.group(1)) <= 3 and len(m.group(2)) == 3 else _version_words(m.group(), ctx),
        )
    return text
