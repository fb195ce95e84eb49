"""The normalise stage: text as written → text as it should be spoken."""

from __future__ import annotations


def speak_text(text: str, language: str = "en") -> str:
    """Return `text` rewritten for a speech engine (placeholder: identity)."""
    return text
