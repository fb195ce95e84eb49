"""Transcripts of an article: WebVTT, SRT and Podcasting 2.0 JSON, one cue per sentence."""

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


def build_vtt(cues: Sequence[Cue]) -> str:
    """A WebVTT file with one numbered cue per sentence."""
    blocks = ["WEBVTT\n"]
    for n, (start_s, end_s, _text) in enumerate(_timed(cues), 1):
        text = escape_cue_text(_text)
        blocks.append(f"{n}\n{vtt_timestamp(start_s)} --> {vtt_timestamp(end_s)}\n{text}\n")
    return "\n".join(blocks)


def build_srt(cues: Sequence[Cue]) -> str:
    """An SRT file with one cue per sentence.

    SRT has no escaping rules, but common players (VLC, browsers' converters)
    render HTML-like tags in it, so text is escaped the same way as WebVTT:
    a title like `<b>` shows as written instead of turning bold.
    """
    blocks = []
    for n, (start_s, end_s, _text) in enumerate(_timed(cues), 1):
        text = escape_cue_text(_text)
        blocks.append(f"{n}\n{srt_timestamp(start_s)} --> {srt_timestamp(end_s)}\n{text}\n")
    return "\n".join(blocks)


def build_transcript_json(cues: Sequence[Cue]) -> str:
    """A Podcasting 2.0 JSON transcript: original wording, markup characters as JSON \\u escapes."""
    segments = [
        {"startTime": seconds3(start_s), "endTime": seconds3(end_s), "body": text}
        for start_s, end_s, text in _timed(cues)
    ]
    return json_text({"version": "1.0.0", "segments": segments})
