"""Finished spans and the substitution every rule uses: text as written is replaced by protected spoken text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from .languages import Language
from .lexicon import Matcher


# Finished spans are swapped for one private-use character each, so later
# rules never re-read spoken text ("M-one" must not become "M-1" again).
TOKEN_BASE = 0xF0000
TOKEN = re.compile("[\U000f0000-\U000ffffd]")
APOSTROPHE = "\ue000"


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
        return chr(TOKEN_BASE + len(self.spans) - 1)

    def account(self, source: str, spoken: str) -> None:
        """Record a rewrite that stays in the text for later rules (e.g. hashtag words)."""
        self.rewrites.append((source, spoken))

    def restore(self, text: str) -> str:
        # A spoken span glued to a letter or another span ("abc123") gets a space,
        # or the words would run together into one the engine cannot read.
        def wordlike(char: str) -> bool:
            return char.isalnum() or unicodedata.category(char).startswith("M") or bool(TOKEN.match(char))

        def spaced(m: re.Match[str]) -> str:
            before = " " if m.start() > 0 and wordlike(text[m.start() - 1]) else ""
            after = " " if m.end() < len(text) and wordlike(text[m.end()]) else ""
            return before + m.group() + after

        text = TOKEN.sub(spaced, text).replace(APOSTROPHE, "'")
        for _ in range(8):  # spans may hold tokens of their parts
            if not TOKEN.search(text):
                break
            text = TOKEN.sub(lambda m: self.spans[ord(m.group()) - TOKEN_BASE], text)
        return text


Rule = Callable[[re.Match[str]], "str | None"]


def substitute(pattern: re.Pattern[str], text: str, ctx: Context, rule: Rule) -> str:
    """Replace matches with the rule's protected spoken text; None leaves a match alone."""

    def replace(match: re.Match[str]) -> str:
        spoken = rule(match)
        if spoken is None:
            return match.group()
        return ctx.protect(match.group(), spoken)

    return pattern.sub(replace, text)


def text_before(match: re.Match[str], chars: int = 40) -> str:
    return match.string[max(0, match.start() - chars) : match.start()]


def text_after(match: re.Match[str], chars: int = 40) -> str:
    return match.string[match.end() : match.end() + chars]
