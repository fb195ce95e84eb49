"""Symbols to words; brackets and dashes to pauses; quotation marks off; the unspeakable listed."""

from __future__ import annotations

import re
import unicodedata

from .context import APOSTROPHE, Context, TOKEN, text_before


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
        prev = re.search(r"(\S+)\s*$", text_before(m))
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
        r"(?:(?<=[^\W\d_])|(?<=[\U000f0000-\U000ffffd]))[’'](?=[^\W\d_])", APOSTROPHE, text
    )
    text = re.sub(r"[‘’‚‛′″`´]", " ", text)
    text = re.sub(r"(?<![^\W\d_])'|'(?![^\W\d_])", " ", text)
    text = re.sub(r"[*†‡¶\\^_~]", " ", text)

    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category.startswith("S") and not TOKEN.match(char):
            ctx.dropped.append(char)
            kept.append(" ")
        else:
            kept.append(char)
    return "".join(kept)
