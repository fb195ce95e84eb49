"""Transcripts of an article: WebVTT and SRT captions of at most two 42-character lines, and Podcasting 2.0 JSON, one segment per sentence."""

from __future__ import annotations

from collections.abc import Sequence

from ..manifest import Cue
from .text import json_text, ms, one_line, seconds3


def _timestamp(seconds: float, sep: str) -> str:
    total_ms = ms(seconds)
    h, rest = divmod(total_ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{milli:03d}"


def vtt_timestamp(seconds: float) -> str:
    """WebVTT cue time, always with hours: 00:01:02.345."""
    return _timestamp(seconds, ".")


def srt_timestamp(seconds: float) -> str:
    """SRT cue time: 00:01:02,345."""
    return _timestamp(seconds, ",")


def escape_cue_text(text: str) -> str:
    """Cue text as WebVTT needs it: `&`, `<`, `>` as entities, on one line.

    Escaping `>` also defuses `-->`, which would otherwise read as a timing line.
    """
    return one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _timed(cues: Sequence[Cue]) -> list[tuple[float, float, str]]:
    """Cues worth writing: non-empty text, end never before start."""
    out = []
    for cue in cues:
        text = one_line(cue.text)
        if text:
            out.append((cue.start_s, max(cue.start_s, cue.end_s), text))
    return out


CAPTION_LINE_CHARS = 42  # the BBC's and Netflix's limit for a caption line
CAPTION_LINES = 2  # lines a caption shows at once


def wrap_words(text: str, width: int = CAPTION_LINE_CHARS) -> list[str]:
    """Lines of at most `width` characters, broken between words (a longer word is cut) (pure)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > width:  # a URL or a run of letters: cut, or it overflows the screen
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if not word:
            continue
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def caption_cues(cues: Sequence[Cue]) -> list[tuple[float, float, list[str]]]:
    """Sentences split into captions of at most two lines of 42 characters (pure).

    A sentence's time is shared among its captions in proportion to their
    characters: speech runs at a nearly even rate of characters, so each
    caption is on screen while its words are said, to within a word or two.
    Lines are broken between words, filled greedily; the captions are the
    fewest that hold them (three lines show as two, then one).
    """
    out: list[tuple[float, float, list[str]]] = []
    for start_s, end_s, text in _timed(cues):
        lines = wrap_words(text)
        groups = [lines[i : i + CAPTION_LINES] for i in range(0, len(lines), CAPTION_LINES)]
        n = len(groups)
        total = sum(len(line) for line in lines)
        done = 0
        at_s = start_s
        for i, group in enumerate(groups):
            done += sum(len(line) for line in group)
            to_s = end_s if i == n - 1 else round(start_s + (end_s - start_s) * done / total, 3)
            out.append((at_s, to_s, group))
            at_s = to_s
    return out


def build_vtt(cues: Sequence[Cue]) -> str:
    """A WebVTT file of numbered captions, each at most two lines of 42 characters."""
    blocks = ["WEBVTT\n"]
    for n, (start_s, end_s, lines) in enumerate(caption_cues(cues), 1):
        text = "\n".join(escape_cue_text(line) for line in lines)
        blocks.append(f"{n}\n{vtt_timestamp(start_s)} --> {vtt_timestamp(end_s)}\n{text}\n")
    return "\n".join(blocks)


def build_srt(cues: Sequence[Cue]) -> str:
    """An SRT file of the same captions as the WebVTT file.

    SRT has no escaping rules, but common players (VLC, browsers' converters)
    render HTML-like tags in it, so text is escaped the same way as WebVTT:
    a title like `<b>` shows as written instead of turning bold.
    """
    blocks = []
    for n, (start_s, end_s, lines) in enumerate(caption_cues(cues), 1):
        text = "\n".join(escape_cue_text(line) for line in lines)
        blocks.append(f"{n}\n{srt_timestamp(start_s)} --> {srt_timestamp(end_s)}\n{text}\n")
    return "\n".join(blocks)


def build_transcript_json(cues: Sequence[Cue]) -> str:
    """A Podcasting 2.0 JSON transcript: original wording, markup characters as JSON \\u escapes."""
    segments = [
        {"startTime": seconds3(start_s), "endTime": seconds3(end_s), "body": text}
        for start_s, end_s, text in _timed(cues)
    ]
    return json_text({"version": "1.0.0", "segments": segments})
