"""Whether a clip's length is believable for its text: truncated or runaway audio is rejected."""

from __future__ import annotations

import re

from .speech import NORMAL_RATE_WPM

_WORD = re.compile(r"\w+")

# Bounds from the sample edition's 290 sentences: espeak-ng clips run 0.54-1.58x
# their words spoken at the profile's rate, Piper 0.69-1.25x, and neither more
# than 0.09 s per character. Shorter than 30% lost text (pyttsx3 returns empty
# or cut clips); longer than 2 s plus 0.2 s per character (at normal rate) is
# runaway output. Checked per clause piece, so a lost piece cannot hide.
MIN_FRACTION = 0.3
MAX_FIXED_S = 2.0
MAX_PER_CHAR_S = 0.2
# A voice reads a script it has no rules for letter by letter, by name ("Arabic
# letter alef"): measured with espeak-ng's English voice, 0.6 s a character for
# Arabic and Hebrew, 0.7 for Chinese, 1.7 for cuneiform. Such characters (beyond
# the Latin blocks) get this allowance, so one foreign title cannot fail a build.
MAX_PER_SPELLED_CHAR_S = 2.0
LATIN_END = 0x24F  # last code point of Latin Extended-B


def count_words(text: str) -> int:
    """Words an engine will speak: runs of letters or digits."""
    return len(_WORD.findall(text))


def plausible_range_s(text: str, rate_wpm: int) -> tuple[float, float]:
    """(shortest, longest) believable duration in seconds for `text` at `rate_wpm`."""
    speed = NORMAL_RATE_WPM / max(rate_wpm, 1)
    lo = MIN_FRACTION * count_words(text) * 60.0 / max(rate_wpm, 1)
    spelled = sum(1 for ch in text if ord(ch) > LATIN_END and not ch.isspace())
    hi = MAX_FIXED_S + (MAX_PER_CHAR_S * (len(text) - spelled) + MAX_PER_SPELLED_CHAR_S * spelled) * speed
    return lo, hi


def check_duration(text: str, rate_wpm: int, duration_s: float) -> str | None:
    """None when `duration_s` is believable for `text`, else one line saying why not."""
    lo, hi = plausible_range_s(text, rate_wpm)
    if duration_s <= 0.0 and count_words(text) > 0:
        return "the engine produced no audio"
    if duration_s < lo:
        return f"clip is {duration_s:.2f} s, too short for {count_words(text)} words (at least {lo:.2f} s)"
    if duration_s > hi:
        return f"clip is {duration_s:.2f} s, too long for {len(text)} characters (at most {hi:.2f} s)"
    return None
