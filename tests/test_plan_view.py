"""The plan's human views: the plain tree for pipes and the rich tree for terminals."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import SAMPLE
from audiobook.commands.plan import _draw
from audiobook.ingest import read_edition, resolve_edition_meta
from audiobook.ingest.summary import plan_data, render_plan


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    edition, provenance = resolve_edition_meta(read_edition([SAMPLE]), title="Two issues")
    # A fixed pace, so the expected times below do not move with a profile's calibration.
    return plan_data(edition, provenance, speak=lambda text, language: text.upper(), wpm=160)


def test_plain_tree(data: dict[str, Any]) -> None:
    text = render_plan(data)
    lines = text.splitlines()
    assert lines[0] == "Edition: Two issues  [flag]"
    assert lines[1] == "Publication: New Statesman  [text]"
    assert "1. Lost youth  (1640 words, 10 min 15 s)" in text
    assert "   ├─ Kamini: Rural rapper  (151 words, 57 s)" in lines
    assert "   └─ 4. The Fallout  (721 words, 4 min 30 s)" in lines
    assert "   by Frédéric Niel; translated by Daniel Trilling; New Statesman, 2007-04-09, France: Vive la différence?" in lines
    # Three spacer lines in a row in the list are one group, with their count and line range.
    assert "Not read aloud (8):" in lines
    assert any(":91-161  spacer line of non-breaking spaces ×3: '\\xa0'" in line for line in lines)
    # --spoken shows the engine's text under each section.
    assert "THE INTERNET BUZZ WAS ENORMOUS" in text


def test_rich_tree(data: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    _draw(data)
    out = capsys.readouterr().out
    assert "Two issues" in out and "Kamini: Rural rapper" in out and "Not read aloud" in out
    assert "(Lost youth, opening)" in out


def test_spoken_json_per_section(data: dict[str, Any]) -> None:
    section = data["articles"][1]["sections"][0]
    assert section["spoken"] == section["text"].upper()


def test_spoken_plan_lists_what_the_normaliser_cannot_say(tmp_path: Path) -> None:
    text = tmp_path / "party.txt"
    text.write_text(
        "Party night\n\nWe danced until dawn \U0001F389 and the band played on. "
        "It was the best night of the whole long year for everyone there.\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "audiobook", "plan", "--spoken", "--json", str(text)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert "\U0001F389" not in data["articles"][0]["sections"][0]["spoken"]
    assert {"source": str(text), "line": 3, "line_end": 3, "count": 1, "text": "\U0001F389", "reason": "not speakable",
            "rule": ""} in data["not_read"]
