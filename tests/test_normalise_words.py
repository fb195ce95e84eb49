"""Pure helpers of the normaliser: years, decades, spelling and the pronounceability test."""

from __future__ import annotations

import pytest

from audiobook.normalise.languages import ENGLISH, FRENCH, language_for
from audiobook.normalise.words import cardinal, decimal, digits, english_decade, english_year, is_pronounceable, spell


@pytest.mark.parametrize(
    ("year", "said"),
    [
        (1066, "ten sixty-six"),
        (1900, "nineteen hundred"),
        (1905, "nineteen oh five"),
        (1982, "nineteen eighty-two"),
        (2000, "two thousand"),
        (2001, "two thousand and one"),
        (2015, "two thousand and fifteen"),
        (2019, "two thousand and nineteen"),
        (2020, "twenty twenty"),
        (2024, "twenty twenty-four"),
        (999, "nine hundred and ninety-nine"),
    ],
)
def test_english_year(year: int, said: str) -> None:
    assert english_year(year) == said


@pytest.mark.parametrize(
    ("start", "said"),
    [(1970, "nineteen seventies"), (1900, "nineteen hundreds"), (2000, "two thousands"), (2010, "twenty tens"), (2020, "twenty twenties")],
)
def test_english_decade(start: int, said: str) -> None:
    assert english_decade(start) == said


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("NATO", True), ("UNESCO", True), ("OFSTED", True), ("ANADOLU", True), ("MOMENTUM", True),
        ("TSSA", False), ("SWP", False), ("PLP", False), ("TANGT", False), ("BBC", False), ("MSM", False), ("GMB", False),
        ("PA", False),
    ],
)
def test_is_pronounceable(word: str, expected: bool) -> None:
    assert is_pronounceable(word) is expected


def test_spell_joins_capital_letters_with_hyphens() -> None:
    assert spell("awl") == "A-W-L"
    assert spell("TSSA") == "T-S-S-A"


def test_numbers_have_no_commas_inside() -> None:
    # A comma is a pause to an engine; "sixteen thousand, seven hundred" would stall.
    assert cardinal(16750, ENGLISH) == "sixteen thousand seven hundred and fifty"
    assert decimal("3", "14", ENGLISH) == "three point one four"
    assert decimal("3", "5", FRENCH) == "trois virgule cinq"
    assert digits("0207", ENGLISH, zero="oh") == "oh two oh seven"


def test_language_tags() -> None:
    assert language_for("en").day_first and language_for("en-GB").per_cent == "per cent"
    assert not language_for("en-US").day_first and language_for("en_US").per_cent == "percent"
    assert language_for("fr-FR") is FRENCH
    assert language_for("") is ENGLISH and language_for("zz") is ENGLISH
