"""Table-driven normaliser cases: real-world input → what a careful reader says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from audiobook.normalise import speak_text

FIXTURES = Path(__file__).parent / "fixtures" / "normalise"
CASES_FILE = FIXTURES / "en_cases.tsv"


def _cases(path: Path) -> list[Any]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        # A comment is "# " or "#" alone; "# address 192.168.0.42" in the French table is a case.
        if not line.strip() or (line.startswith("#") and "\t" not in line):
            continue
        source, expected = line.split("\t")
        cases.append(pytest.param(source.replace("\\n", "\n"), expected, id=f"{path.stem[:2]}-line{number}"))
    return cases


CASES = _cases(CASES_FILE)
# French and German tables (issue 13): phrases from French and German Debian documents.
LANGUAGE_CASES = {language: _cases(FIXTURES / f"{language}_cases.tsv") for language in ("fr", "de")}


def test_there_are_at_least_200_cases() -> None:
    assert len(CASES) >= 200


@pytest.mark.parametrize("language", sorted(LANGUAGE_CASES))
def test_french_and_german_have_at_least_100_cases_each(language: str) -> None:
    assert len(LANGUAGE_CASES[language]) >= 100


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_case(source: str, expected: str) -> None:
    assert speak_text(source) == expected


# Common technical forms with no source document at hand (so not in the table): each checked on its own.
FORMS = [
    ("HTTP 404 errors", "H-T-T-P four oh four errors"),
    ("HTTP 500 and status 301", "H-T-T-P five hundred and status three oh one"),
    ("1080p video at 60 fps", "ten eighty P video at sixty fps"),
    ("Release 2.4.57 fixes CVE-2023-25690.",
     "Release two point four point fifty-seven fixes C-V-E twenty twenty-three, two five six nine zero."),
    ("TLS 1.3 with AES-128", "T-L-S one point three with A-E-S one twenty-eight"),
    ("kernel 6.1.0-13-amd64", "kernel six point one point zero dash thirteen A-M-D sixty-four"),
]


@pytest.mark.parametrize(("source", "expected"), FORMS)
def test_technical_form(source: str, expected: str) -> None:
    assert speak_text(source) == expected


@pytest.mark.parametrize(("source", "expected"), LANGUAGE_CASES["fr"])
def test_french_case(source: str, expected: str) -> None:
    assert speak_text(source, "fr") == expected


@pytest.mark.parametrize(("source", "expected"), LANGUAGE_CASES["de"])
def test_german_case(source: str, expected: str) -> None:
    assert speak_text(source, "de") == expected
