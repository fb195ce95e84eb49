"""What the CLI prints reads right: plurals, and `plan --spoken` gives each section's whole text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import SAMPLE


def plan(*args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "audiobook", "plan", *args], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_one_of_a_thing_is_singular(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Notice\n\nClosed.\n", encoding="utf-8")
    out = plan(str(note))
    assert "1 article, 1 word, about" in out
    assert "(1 word, " in out
    assert "1 words" not in out and "article(s)" not in out


def test_many_are_plural(tmp_path: Path) -> None:
    out = plan(str(SAMPLE))
    assert "2 articles, 5369 words, about" in out


def test_spoken_prints_every_paragraph_whole() -> None:
    import json

    tree = plan("--spoken", str(SAMPLE)).splitlines()
    data = json.loads(plan("--spoken", "--json", str(SAMPLE)))
    spoken = [s["spoken"] for a in data["articles"] for s in a["sections"]]
    paragraphs = [" ".join(p.split()) for text in spoken for p in text.split("\n\n")]
    assert any(len(p) > 300 for p in paragraphs)  # a 200-character cut would show
    shown = {line.strip().lstrip("│").strip() for line in tree}
    missing = [p[:60] for p in paragraphs if p not in shown]
    assert not missing, missing
