"""Podcasting 2.0 chapters JSON: the same chapters, titles and start times as the ID3 CHAP frames."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..manifest import SectionEntry
from .text import seconds3


def build_chapters_json(sections: Sequence[SectionEntry]) -> str:
    """Chapters of one article file, times rounded to the millisecond like CHAP frames.

    Titles are kept exactly as the CHAP frames carry them; JSON escapes what it must.
    """
    chapters = [
        {"startTime": seconds3(s.start_s), "endTime": seconds3(s.end_s), "title": s.title}
        for s in sections
    ]
    return json.dumps({"version": "1.2.0", "chapters": chapters}, ensure_ascii=False, indent=1) + "\n"
