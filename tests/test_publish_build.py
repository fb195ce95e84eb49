"""A real build of the sample, then what publish made of it: chapters JSON = ID3 CHAP, transcripts = cues, feed valid."""

from __future__ import annotations

import html
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from audiobook.gateway import run_tool
from audiobook.manifest import read_manifest
from conftest import SAMPLE, TONE, require_module, require_tool

pytestmark = pytest.mark.slow
BASE = "https://example.org/audio"


def _assert_cues_in_step_with_speech(mp3: Path, starts_s: list[float]) -> None:
    """Each cue starts where speech resumes after a silence, as ffmpeg's silencedetect hears it.

    Onsets measured this way lag the true start by a plosive's closure (a
    silent 20-70 ms before "t", "p", "k"), so the median must be within 50 ms
    and every cue within 100 ms; drift or a lost pause would be seconds out.
    """
    proc = run_tool(["ffmpeg", "-hide_banner", "-nostdin", "-i", str(mp3), "-af",
                     "silencedetect=noise=-50dB:d=0.12", "-f", "null", "-"])
    onsets = [float(x) for x in re.findall(r"silence_end: ([\d.]+)", proc.stderr.decode("utf-8", "replace"))]
    offsets = [min(abs(o - s) for o in onsets) for s in starts_s if s > 0.05]
    assert offsets, "no speech onsets found"
    assert statistics.median(offsets) <= 0.05, f"median cue offset {statistics.median(offsets):.3f} s"
    assert max(offsets) <= 0.1, f"worst cue offset {max(offsets):.3f} s"


def test_published_files_of_a_real_build(tmp_path: Path) -> None:
    require_tool("ffmpeg")
    require_module("feedparser")
    import feedparser
    from mutagen.id3 import ID3

    out = tmp_path / "out"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1490245200"}
    # The tone engine: what publishing makes of audio does not depend on speech, and its cues
    # start exactly where the tone does (speech starts up to a plosive's closure late).
    cmd = [sys.executable, "-m", "audiobook", "build", str(SAMPLE), "-o", str(out), "--base-url", BASE, "--voice", TONE, "-q"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    (manifest_path,) = out.glob("*/edition.json")
    folder = manifest_path.parent
    manifest = read_manifest(manifest_path)
    assert manifest.articles

    for article in manifest.articles:
        assert set(article.extras) == {"vtt", "srt", "transcript_json", "chapters_json"}
        # Chapters JSON and the MP3's ID3 chapters agree exactly: titles and millisecond starts.
        chaps = sorted(ID3(folder / article.file.path).getall("CHAP"), key=lambda c: c.start_time)
        chapters = json.loads((folder / article.extras["chapters_json"].path).read_text(encoding="utf-8"))["chapters"]
        assert [(round(c["startTime"] * 1000), c["title"]) for c in chapters] == [
            (c.start_time, c.sub_frames["TIT2"].text[0]) for c in chaps
        ]
        # VTT captions of at most two lines of 42 characters, original wording in order, inside the file.
        vtt = (folder / article.extras["vtt"].path).read_text(encoding="utf-8")
        blocks = re.findall(r"\d\d:\d\d:\d\d\.\d\d\d --> \d\d:\d\d:\d\d\.\d\d\d\n((?:.+\n){1,2})\n?", vtt)
        lines = [html.unescape(line) for block in blocks for line in block.splitlines()]
        assert len(blocks) == vtt.count(" --> ") and all(len(line) <= 42 for line in lines)
        assert " ".join(lines) == " ".join(" ".join(c.text.split()) for c in article.cues)
        assert all(0 <= c.start_s <= c.end_s <= article.duration_s + 0.05 for c in article.cues)
        _assert_cues_in_step_with_speech(folder / article.file.path, [c.start_s for c in article.cues])
        segments = json.loads((folder / article.extras["transcript_json"].path).read_text(encoding="utf-8"))["segments"]
        assert len(segments) == len(article.cues)

    feed = (out / "feed.xml").read_bytes()
    parsed = feedparser.parse(feed)
    assert not parsed.bozo
    items = etree.fromstring(feed).findall("channel/item")
    assert len(items) == len(manifest.articles)
    for item, article in zip(items, manifest.articles, strict=True):
        assert int(item.find("enclosure").get("length")) == (folder / article.file.path).stat().st_size
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert page.count('class="cue"') == sum(len(a.cues) for a in manifest.articles)

    # Publishing again changes nothing.
    again = subprocess.run([sys.executable, "-m", "audiobook", "publish", str(out), "--base-url", BASE],
                           capture_output=True, text=True, env=env, timeout=120)
    assert again.returncode == 0, again.stderr
    assert (out / "feed.xml").read_bytes() == feed
    assert read_manifest(manifest_path) == manifest
