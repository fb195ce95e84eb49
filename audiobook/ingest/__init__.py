"""The ingest stage: inputs → the document model (articles, sections, paragraphs, sentences)."""

from __future__ import annotations

from .meta import resolve_edition_meta
from .reader import FORMATS, decode_text, read_edition
from .rules import Rules, load_rules
from .sentences import split_sentences
from .text import make_paragraph

__all__ = [
    "FORMATS",
    "Rules",
    "decode_text",
    "load_rules",
    "make_paragraph",
    "read_edition",
    "resolve_edition_meta",
    "split_sentences",
]
