"""Podcasting 2.0 chapters JSON: the same chapters, titles and start times as the ID3 CHAP frames."""

from __future__ import annotations

from collections.abc import Sequence

from ..manifest import SectionEntry
from .text import json_text, seconds3


def build_chapters_json(sections: Sequence[SectionEntry]) -> str:
    """Chapters of one article file, times rounded to the millisecond like CHAP frames.

    Titles are exactly what the CHAP frames carry (markup characters as JSON \\u escapes).
    """
    chapters = [
        {"startTime": seconds3(s.start_s), "endTime": seconds3(s.end_s), "title": s.title}
        for s in sections
    ]
    return json_text({"version": "1.2.0", "chapters": chapters})
