"""The sample edition, as spoken: no digit, symbol or URL an engine would misread; nothing dropped."""

from __future__ import annotations

import re

import pytest

from audiobook.ingest import read_edition
from audiobook.normalise import normalise

from conftest import SAMPLE


@pytest.fixture(scope="module")
def spoken_sample() -> list[tuple[str, str]]:
    edition = read_edition([SAMPLE])
    pairs: list[tuple[str, str]] = []
    for article in edition.articles:
        texts = [article.title] + ([article.standfirst] if article.standfirst else [])
        for section in article.sections:
            texts.append(section.title)
            for paragraph in section.paragraphs:
                texts.extend(paragraph.sentences)
        for text in texts:
            result = normalise(text, article.language)
            assert result.unspoken == (), f"{text!r} dropped {result.unspoken}"
            pairs.append((text, result.spoken))
    return pairs


def test_no_digit_currency_or_symbol_reaches_the_engine(spoken_sample: list[tuple[str, str]]) -> None:
    for source, spoken in spoken_sample:
        assert not re.search(r"[0-9£$€¥%&@#/\\<>\[\]{}+=*|~^_]", spoken), f"{source!r} → {spoken!r}"


def test_no_url_is_read_letter_by_letter(spoken_sample: list[tuple[str, str]]) -> None:
    spoken = "\n".join(s for _, s in spoken_sample)
    assert "www" not in spoken.lower() and "http" not in spoken.lower()
    for word in ("www", "http", "jeudi", "noir", "kamini", "labourlist", "generation", "precaire", "org"):
        assert "-".join(word.upper()) not in spoken, f"{word} spelled out"
    for address in ("generation dash precaire dot org", "jeudi dash noir dot org", "kamini dot F-R", "labourlist dot org"):
        assert address in spoken


def test_numbers_in_the_sample_read_as_a_person_would(spoken_sample: list[tuple[str, str]]) -> None:
    spoken = "\n".join(s for _, s in spoken_sample)
    for phrase in (
        "In nineteen eighty-two, only ten per cent",
        "for just one hundred euros",
        "at more than twenty miles per hour",
        "on the M-one",
        "We've now got six hundred thousand",
        "between sixteen thousand seven hundred and fifty and nineteen thousand six hundred and ninety-nine",
        "between two thousand and one and two thousand and fifteen",
        "by the first of July",
        "the Copeland by-election on the twenty-third of February",
        "May nineteen sixty-eight",
        "in the nineteen eighties",
        "the twenty-nine-year-old national organiser",
        "on twenty-seven per cent",
    ):
        assert phrase in spoken, phrase


def test_initialisms_and_editorial_brackets(spoken_sample: list[tuple[str, str]]) -> None:
    spoken = "\n".join(s for _, s in spoken_sample)
    for phrase in (
        "the T-S-S-A transport",
        "Socialist Workers Party, S-W-P, and",
        "the P-L-P, Parliamentary Labour Party.",
        "Alliance for Workers Liberty, A-W-L, and",
        "We don't need them, the Blairites, says a third.",
        "it's Labour people briefing",
        "Progress, the centrist Labour pressure group, are the weirdos now.",
        "better P-A's?",
    ):
        assert phrase in spoken, phrase
