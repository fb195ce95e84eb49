"""Text hygiene shared by every publish writer: times, control characters, escaping."""

from __future__ import annotations

import json
import re

# Characters XML 1.0 forbids (and HTML renders as garbage): C0 controls except
# tab/newline/CR, lone surrogates, and the two non-characters U+FFFE/U+FFFF.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """Drop characters no feed, page or caption file can carry; keep everything else."""
    return _XML_INVALID.sub("", text)


def one_line(text: str) -> str:
    """`clean` and fold every run of whitespace (newlines too) to one space.

    A blank line inside a caption would end the cue early, so cue text is
    always a single line.
    """
    return _SPACE.sub(" ", clean(text)).strip()


def ms(seconds: float) -> int:
    """Seconds to whole milliseconds, never negative (the resolution of ID3 CHAP)."""
    return max(0, round(seconds * 1000))


def seconds3(seconds: float) -> float:
    """Seconds rounded to the millisecond, as written in JSON files."""
    return ms(seconds) / 1000


def clock(seconds: float) -> str:
    """A short player-style time: 4:05 or 1:02:03."""
    total = ms(seconds) // 1000
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def json_text(data: object) -> str:
    """Pretty JSON whose text can never be read as markup.

    `<`, `>` and `&` become \\u escapes: the same data to any JSON parser, but a
    consumer that pastes the file into HTML (or a <script>) cannot be tricked
    by a title holding `</script>` or `<!--`.
    """
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"
