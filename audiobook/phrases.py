"""Counts and durations as people read them, shared by the readers' summary and the commands."""

from __future__ import annotations


def format_duration(seconds: int) -> str:
    """3725 → "1 h 02 min"; 125 → "2 min 05 s"; 9 → "9 s"."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def plural(count: int, noun: str) -> str:
    """'1 word', '2 words', '0 articles'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
