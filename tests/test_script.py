"""The reading script: what is said, in what order, with which pauses (pure, exact values)."""

from __future__ import annotations

from audiobook.model import Article, Paragraph, Section
from audiobook.script import BYLINE, HEADING, SENTENCE, STANDFIRST, TITLE, byline, join_names, script_article
from audiobook.voice import Headings, Pauses, VoiceProfile

PROFILE = VoiceProfile(
    name="t",
    engine="espeak",
    pauses=Pauses(sentence_ms=300, paragraph_ms=700, section_ms=1500, article_ms=2500),
    headings=Headings(announce=True, pause_ms=800, voice="en-us"),
)


def para(*sentences: str) -> Paragraph:
    return Paragraph(text=" ".join(sentences), sentences=tuple(sentences), line=1)


ARTICLE = Article(
    title="Lost youth",
    sections=(
        Section("Lost youth", (para("One.", "Two."), para("Three.")), line=3, announce_title=False),
        Section("Kamini: Rural rapper", (para("Four.", "Five."),), line=9),
    ),
    source="x.txt",
    line_start=1,
    line_end=12,
    standfirst="Young French people are frustrated.",
    authors=("Frédéric Niel",),
    translators=("Daniel Trilling",),
)


def upper(text: str) -> str:
    return text.upper()


def test_opening_then_sections_with_exact_pauses_and_kinds() -> None:
    script = script_article(ARTICLE, PROFILE, upper)
    got = [(s.title, [(u.kind, u.text, u.pause_ms, u.voice) for u in s.utterances]) for s in script.sections]
    assert got == [
        (
            "Lost youth",
            [
                (TITLE, "Lost youth", 800, "en-us"),
                (BYLINE, "By Frédéric Niel. Translated by Daniel Trilling.", 700, None),
                (STANDFIRST, "Young French people are frustrated.", 700, None),
                (SENTENCE, "One.", 300, None),
                (SENTENCE, "Two.", 700, None),
                (SENTENCE, "Three.", 1500, None),
            ],
        ),
        (
            "Kamini: Rural rapper",
            [
                (HEADING, "Kamini: Rural rapper", 800, "en-us"),
                (SENTENCE, "Four.", 300, None),
                (SENTENCE, "Five.", 0, None),  # the article's end: silence between articles is the edition's
            ],
        ),
    ]
    # Spoken text is the normaliser's; original wording is kept for transcripts.
    assert script.sections[1].utterances[1].spoken == "FOUR."


def test_headings_not_announced_when_profile_says_so() -> None:
    quiet = VoiceProfile(name="q", engine="espeak", headings=Headings(announce=False))
    script = script_article(ARTICLE, quiet, str)
    kinds = [u.kind for u in script.utterances]
    assert HEADING not in kinds
    assert kinds.count(TITLE) == 1  # the title is always read once


def test_byline_forms() -> None:
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B"]) == "A and B"
    assert join_names(["A", "B", "C"]) == "A, B and C"
    bare = Article("T", (), "-", 1, 1)
    assert byline(bare) is None
    assert byline(Article("T", (), "-", 1, 1, authors=("Ann", "Bo"))) == "By Ann and Bo."


def test_unspeakable_text_is_kept_in_the_script() -> None:
    art = Article("T", (Section("T", (para("***"),), 1, announce_title=False),), "-", 1, 1)
    script = script_article(art, PROFILE, str)
    last = script.utterances[-1]
    assert last.text == "***" and not last.speakable
