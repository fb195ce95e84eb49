"""Limits on what one build accepts and uses, in one place so the README's figures and the checks agree."""

from __future__ import annotations

import os

from .errors import InputError

# Plain text and Markdown: 32 MiB is about 5.5 million words, some 570 hours of
# speech, far past any edition (War and Peace is 3.2 MB). Reading 50 MB of
# Markdown took 670 MB of memory; refusing it up front takes none.
MAX_TEXT_BYTES = 32 * 2**20
# HTML pages and EPUB books have their own limits in their readers
# (audiobook.ingest.html.MAX_HTML_BYTES, audiobook.ingest.epub.MAX_*_BYTES);
# no input of any format is read past this, the largest of them (an EPUB's).
MAX_INPUT_BYTES = 512 * 2**20


def check_input_size(size_bytes: int, source: str, limit: int = MAX_INPUT_BYTES) -> None:
    """Refuse an input longer than `limit` (it was read only as far as limit + 1 bytes)."""
    if limit == MAX_TEXT_BYTES:
        check_text_size(size_bytes, source)
    elif size_bytes > limit:
        raise InputError(f"{source}: more than {limit // 2**20} MB, the limit for one input")


def check_text_size(size_bytes: int, source: str) -> None:
    """Refuse a text or Markdown input over MAX_TEXT_BYTES with one line saying what to do."""
    if size_bytes > MAX_TEXT_BYTES:
        raise InputError(
            f"{source}: more than {MAX_TEXT_BYTES // 2**20} MB of text, the limit for one edition; "
            "split it into several editions"
        )


def default_jobs() -> int:
    """Worker processes when --jobs is not given: the cores this process may use.

    The one default for every stage, so a build pinned to some cores (taskset, a container's
    cpuset) does not start a worker per core of the whole machine.
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)
