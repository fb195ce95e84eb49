"""Table-driven normaliser cases: real-world input → what a careful reader says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from audiobook.normalise import speak_text

CASES_FILE = Path(__file__).parent / "fixtures" / "normalise" / "en_cases.tsv"


def _cases() -> list[Any]:
    cases = []
    for number, line in enumerate(CASES_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        source, expected = line.split("\t")
        cases.append(pytest.param(source.replace("\\n", "\n"), expected, id=f"line{number}"))
    return cases


CASES = _cases()


def test_there_are_at_least_200_cases() -> None:
    assert len(CASES) >= 200


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_case(source: str, expected: str) -> None:
    assert speak_text(source) == expected
