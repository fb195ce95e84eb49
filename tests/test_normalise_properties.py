"""Hypothesis properties: the normaliser never raises, never goes silent, never drops a word."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiobook.normalise import accounted_words, normalise, speak_text, words_of


# Pieces of real news text, so generated input hits the rules, not only noise.
_PIECES = [
    "1982", "the 1970s", "'68", "2001–2015", "1 July", "23 March 2017", "25/03/2017", "9.30am", "21:15",
    "€100", "£3.5bn", "$5m", "50p", "10%", "per cent", "600,000", "3.14", "3/4", "½", "21st", "020 7946 0018",
    "20mph", "5km", "40°C", "M1", "A40", "Mr", "Mrs", "Dr", "St", "No.", "vs", "e.g.", "i.e.", "etc.",
    "SWP", "NATO", "PLP", "AWL", "TSSA", "PRESS", "www.jeudi-noir.org", "http://www.kamini.fr", "a@b.com",
    "#tag", "@handle", "&", "%", "/", "+", "=", "#", "(", ")", "[", "]", "[[", "]]", "<speak>", "–", "—", " - ",
    "“", "”", "‘", "’", "'", '"', "...", "…", ". . .", "Villeparisis", "Marly-Gomont", "Ségolène", "S-H-E-E-P",
    "Henry VIII", "World War II", "x", "×", "°", "~", "<", ">", "\n", "\n\n", " ", ",", ".", "?", "!", ":", ";",
    "0", "7", "12", "123456789", "-", "_", "MPs", "it's", "the", "Labour", "Corbyn", "anti-CPE", "3s", "abc",
]
news_text = st.lists(st.sampled_from(_PIECES) | st.text(max_size=6), max_size=25).map("".join)
any_text = st.text(max_size=200)
# For the word-keeping property, no free-floating combining marks: glued to a
# digit or to the end of "1970s" they make a "word" no reader could say either.
_NO_MARKS = st.characters(blacklist_categories=("Mn", "Mc", "Me", "Cs"))
plain_news_text = st.lists(st.sampled_from(_PIECES) | st.text(_NO_MARKS, max_size=6), max_size=25).map("".join)
plain_text = st.text(_NO_MARKS, max_size=200)
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(news_text | any_text)
def test_never_raises_and_returns_text(text: str) -> None:
    spoken = speak_text(text)
    assert isinstance(spoken, str)
    assert "[[" not in spoken and "<" not in spoken and ">" not in spoken


@PROPERTY
@given(news_text | any_text)
def test_never_empty_when_there_is_something_to_say(text: str) -> None:
    if re.search(r"[^\W_]", text):
        assert re.search(r"[^\W_]", speak_text(text)), f"{text!r} became silent"


@PROPERTY
@given(plain_news_text | plain_text)
def test_never_drops_a_word(text: str) -> None:
    result = normalise(text)
    spoken_words = {w.casefold() for w in words_of(result.spoken)}
    allowed = spoken_words | accounted_words(result) | {u.casefold() for u in result.unspoken}
    # Invisible format characters (soft hyphens) join a word rather than split it.
    visible = "".join(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c) != "Cf")
    missing = [w for w in words_of(visible) if w.casefold() not in allowed]
    assert not missing, f"{text!r} → {result.spoken!r} lost {missing}"
    # A rewrite may change words, never remove them: "accounted" must not mean "dropped".
    for source, spoken in result.rewrites:
        if words_of(source):
            assert re.search(r"[^\W_]", spoken), f"{source!r} was rewritten to {spoken!r}"


@PROPERTY
@given(news_text)
def test_no_digits_survive(text: str) -> None:
    assert not re.search(r"[0-9]", speak_text(text))


@PROPERTY
@given(news_text | any_text)
def test_deterministic(text: str) -> None:
    assert speak_text(text) == speak_text(text)


def test_rewrites_are_never_silent() -> None:
    result = normalise("Mr Smith paid £5 at www.example.com on 1 July (the SWP).")
    for source, spoken in result.rewrites:
        assert re.search(r"\w", spoken), f"{source!r} was rewritten to nothing"


def test_unspoken_lists_what_no_engine_can_say_and_is_empty_for_prose() -> None:
    from audiobook.normalise import unspoken

    assert unspoken("He shot the video with friends in three days for just €100.") == []
    assert unspoken("Great news 👍 for ♫ fans") == ["👍", "♫"]
    assert speak_text("Great news 👍 for ♫ fans") == "Great news for fans"
