"""Web addresses, e-mail addresses, hashtags and handles, as a person reads them out."""

from __future__ import annotations

import re

from .context import Context
from .words import cardinal, digits, is_common_word, is_pronounceable, spell


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


def say_label(label: str, ctx: Context, host: bool = True) -> str:
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
        return joiner.join(say_label(part, ctx, host) for part in label.split("-") if part)
    pieces = re.findall(r"[^\W\d_]+|\d+|[^\w]+|_", label)
    if len(pieces) > 1:
        return " ".join(say_label(p, ctx, host) for p in pieces if re.search(r"\w", p))
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
            out.append(" ".join(say_label(p, ctx, host=False) for p in re.split(r"-", piece) if p))
    return " ".join(o for o in out if o)


def _say_host(host: str, ctx: Context) -> str:
    host = host.split(":")[0]
    return f" {ctx.language.words['dot']} ".join(say_label(label, ctx) for label in host.split(".") if label)


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
