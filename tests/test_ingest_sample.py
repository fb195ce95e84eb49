"""The sample magazine dump reads the way a careful editor sees it (the expected JSON)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from conftest import EXPECTED, SAMPLE
from audiobook.ingest.summary import WORDS_PER_MINUTE


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "audiobook", "plan", "--json", str(SAMPLE)], capture_output=True, text=True, check=True
    )
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return data


def _sections_agree(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    # An optional opening chapter may be present or not; a required one must be there.
    if want and want[0].get("optional") and len(got) == len(want) - 1:
        want = want[1:]
    assert len(got) == len(want), [s["title"] for s in got]
    for g, w in zip(got, want):
        if "title" in w:
            assert g["title"] == w["title"]
        if "title_starts" in w:
            assert g["title"].startswith(w["title_starts"]), g["title"]
        if "subtitle" in w:
            assert w["subtitle"] in g["title"]
        if "first_words" in w:
            assert g["text"].lstrip("\"“‘'").startswith(w["first_words"]), g["text"][:80]


def test_articles_agree_with_expected(plan: dict[str, Any], expected: dict[str, Any]) -> None:
    got, want = plan["articles"], expected["articles"]
    assert [a["title"] for a in got] == [a["title"] for a in want]
    for g, w in zip(got, want):
        assert g["standfirst"].startswith(w["standfirst_starts"])
        assert g["authors"] == w["authors"]
        assert g["translators"] == w.get("translators", [])
        assert g["publication"] == w["publication"]
        assert g["issue_date"] == w["issue_date"]
        assert g["issue_title"] == w["issue_title"]
        _sections_agree(g["sections"], w["sections"])


def test_opening_section_is_not_announced(plan: dict[str, Any]) -> None:
    first = plan["articles"][0]["sections"][0]
    assert first["title"] == "Lost youth" and first["announce_title"] is False
    assert all(s["announce_title"] for s in plan["articles"][1]["sections"])


def test_never_spoken_strings_are_absent(plan: dict[str, Any], expected: dict[str, Any]) -> None:
    texts = [s["text"] for a in plan["articles"] for s in a["sections"]]
    for phrase in expected["never_spoken"]:
        assert not any(phrase in t for t in texts), phrase
        # ...and listed as not read, not silently dropped.
        assert any(phrase in n["text"] for n in plan["not_read"]), phrase


def test_repairs_made(plan: dict[str, Any], expected: dict[str, Any]) -> None:
    text = "\n".join(s["text"] for a in plan["articles"] for s in a["sections"])
    repairs = expected["repairs"]
    for broken, whole in repairs["print line-break splits that must be rejoined before speech"].items():
        assert broken not in text
        assert whole in text
    assert repairs["numbers broken across lines that must read as one phrase"] in text
    # Non-breaking spaces never reach the speech text.
    assert "\u00a0" not in text


def test_credits_and_boilerplate_listed_with_reasons(plan: dict[str, Any]) -> None:
    reasons = {n["text"]: n["reason"] for n in plan["not_read"]}
    assert reasons["Frédéric Niel is a journalist with La Croix."] == "credit, kept as metadata"
    assert reasons["This article was translated by Daniel Trilling"] == "credit, kept as metadata"
    assert reasons["Show Hide image"]
    assert sum(n["count"] for n in plan["not_read"] if n["reason"].startswith("spacer")) == 3


def test_edition_metadata_and_provenance(plan: dict[str, Any]) -> None:
    edition = plan["edition"]
    # Two issues: no shared issue title, so "<publication> <latest date>".
    assert edition["publication"] == "New Statesman"
    assert edition["issue_date"] == "2017-03-23"
    assert edition["title"] == "New Statesman 23 March 2017"
    assert edition["provenance"] == {"title": "text", "publication": "text", "issue_date": "text"}


def test_words_and_time_add_up(plan: dict[str, Any]) -> None:
    for article in plan["articles"]:
        assert article["words"] == sum(s["words"] for s in article["sections"])
        assert article["words"] == sum(len(s["text"].split()) for s in article["sections"])
        assert article["estimated_seconds"] == round(article["words"] * 60 / WORDS_PER_MINUTE)
        assert article["line_start"] < article["line_end"]
