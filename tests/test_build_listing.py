"""A build lists everything it will not say, including what the normaliser drops."""

from __future__ import annotations

from audiobook.ingest import make_paragraph
from audiobook.model import Article, Edition, Section
from audiobook.pipeline import list_unspeakable
from audiobook.voice import load_profile


def _edition(text: str) -> Edition:
    section = Section("Party night", (make_paragraph(text, 3),), 3, announce_title=False)
    return Edition(articles=(Article("Party night", (section,), "party.txt", 1, 3),))


def test_emoji_are_listed_as_not_speakable() -> None:
    edition = list_unspeakable(_edition("We danced until dawn \U0001F389 and sang."), load_profile("espeak", check_voices=False))
    assert [(n.source, n.line, n.text, n.reason) for n in edition.not_read] == [
        ("party.txt", 3, "\U0001F389", "not speakable")
    ]


def test_plain_text_adds_nothing() -> None:
    plain = _edition("We danced until dawn and sang.")
    assert list_unspeakable(plain, load_profile("espeak", check_voices=False)) is plain
