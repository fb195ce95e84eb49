"""Determinism: the same input and settings give byte-identical MP3s, manifests, transcripts, pages and feed."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import require_tool
from test_faults_kit import SMALL_MD, Builder, tree_hashes


def test_two_cold_builds_are_byte_identical_whatever_the_jobs(tmp_path: Path) -> None:
    require_tool("ffmpeg")
    source = tmp_path / "small.md"
    source.write_text(SMALL_MD, encoding="utf-8")
    # Separate caches and folders: nothing is shared but the input and the settings.
    one = Builder(tmp_path / "a", source, cache=tmp_path / "a" / "cache").run(tmp_path / "a" / "out", None, "--jobs", "1")
    two = Builder(tmp_path / "b", source, cache=tmp_path / "b" / "cache").run(tmp_path / "b" / "out", None, "--jobs", "2")
    assert one.code == 0 and two.code == 0, one.stderr + two.stderr
    assert one.engine_calls > 0 and two.engine_calls == one.engine_calls  # both really spoke every sentence
    first, second = tree_hashes(tmp_path / "a" / "out"), tree_hashes(tmp_path / "b" / "out")
    kinds = {name.rsplit(".", 1)[-1] for name in first}
    assert {"mp3", "json", "xml", "html", "vtt", "m3u8", "jpg"} <= kinds, kinds
    assert first == second
    manifest = json.loads((tmp_path / "a" / "out" / "the-harbour-reopens" / "edition.json").read_text(encoding="utf-8"))
    assert manifest["build_date"] == "2023-11-14T22:13:20Z"  # SOURCE_DATE_EPOCH=1700000000, not the clock
    print(f"\ndeterminism: {len(first)} files identical across two cold builds (--jobs 1 vs 2)")
