"""Input clean-up before the rules, and tidying of the spaces and pauses they leave."""

from __future__ import annotations

import re
import unicodedata

from .context import Context, TOKEN


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
        if TOKEN.match(char) or category in {"Co", "Cs"}:
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
