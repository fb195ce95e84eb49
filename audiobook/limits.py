"""Limits on what one build accepts, in one place so the README's figures and the checks agree."""

from __future__ import annotations

from .errors import InputError

# Plain text and Markdown: 32 MiB is about 5.5 million words, some 570 hours of
# speech, far past any edition (War and Peace is 3.2 MB). Reading 50 MB of
# Markdown took 670 MB of memory; refusing it up front takes none.
MAX_TEXT_BYTES = 32 * 2**20
# HTML pages and EPUB books have their own limits in their readers
# (audiobook.ingest.html.MAX_HTML_BYTES, audiobook.ingest.epub.MAX_*_BYTES).


def check_text_size(size_bytes: int, source: str) -> None:
    """Refuse a text or Markdown input over MAX_TEXT_BYTES with one line saying what to do."""
    if size_bytes > MAX_TEXT_BYTES:
        raise InputError(
            f"{source}: {size_bytes / 2**20:.0f} MB of text is over the {MAX_TEXT_BYTES // 2**20} MB limit "
            "for one edition; split it into several editions"
        )
