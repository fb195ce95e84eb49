"""A build lists everything it will not say, including what the normaliser drops."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import require_tool
from audiobook.ingest import make_paragraph
from audiobook.manifest import read_manifest
from audiobook.model import Article, Edition, Section
from audiobook.pipeline import list_unspeakable
from audiobook.synthesise.voices import load_profile


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


def test_build_takes_the_same_rules_file_as_plan(tmp_path: Path) -> None:
    require_tool("ffmpeg")
    rules = tmp_path / "rules.toml"
    rules.write_text("[[boilerplate]]\npattern = '^Advertisement feature$'\nreason = \"advert\"\n", encoding="utf-8")
    text = tmp_path / "harbour.txt"
    text.write_text(
        "Harbour news\n\nThe harbour reopened on Monday after a long winter of repairs to the old sea wall.\n\n"
        "Advertisement feature\n\nFishing boats returned at dawn, and the market was busy by noon.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "audiobook", "build", str(text), "--rules", str(rules), "-o", str(out),
         "--voice", "tone", "--cache-dir", str(tmp_path / "cache")],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"not read: {text}:5: advert: 'Advertisement feature'" in proc.stderr
    assert proc.stdout.startswith("built 1 article, ")
    cues = read_manifest(out / "harbour-news" / "edition.json").articles[0].cues
    assert not any("Advertisement" in c.text for c in cues)
