"""The plan cache: exact round trips, keys that change with every input, nothing but known classes loaded."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from audiobook.model import Article, Edition, NotRead, Paragraph, Section
from audiobook.plan_cache import KEEP_PLANS, from_data, load, plan_key, store, to_data
from audiobook.script import script_article
from audiobook.voice import VoiceProfile

PROFILE = VoiceProfile(name="t", engine="espeak", lexicons=(Path("/x/lex.toml"),))
EDITION = Edition(
    articles=(
        Article(
            "T",
            (Section("T", (Paragraph("A. B.", ("A.", "B."), 3),), 3, announce_title=False),),
            "in.txt",
            1,
            4,
            issue_date=dt.date(2017, 3, 23),
            authors=("Ann",),
        ),
    ),
    not_read=(NotRead("in.txt", 9, "Show Hide image", "web page control"),),
    title="E",
)


def test_round_trip_is_exact(tmp_path: Path) -> None:
    scripts = (script_article(EDITION.articles[0], PROFILE, str.upper),)
    value = (EDITION, {"title": "flag"}, scripts)
    assert from_data(json.loads(json.dumps(to_data(value)))) == value
    store(tmp_path, "k", value)
    assert load(tmp_path, "k") == value
    assert from_data(to_data(PROFILE)) == PROFILE


def test_unknown_classes_and_damage_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        from_data({"~": "Popen", "args": ["rm"]})
    (tmp_path / "bad.json").write_text('{"~": "os.system"}', encoding="utf-8")
    assert load(tmp_path, "bad") is None
    assert load(tmp_path, "missing") is None


def test_key_follows_inputs_options_and_profile(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("one", encoding="utf-8")
    plain = VoiceProfile(name="t", engine="espeak")
    k1 = plan_key([src], ["x"], plain)
    assert k1 is not None and k1 == plan_key([src], ["x"], plain)
    assert plan_key([src], ["y"], plain) != k1
    assert plan_key([src], ["x"], VoiceProfile(name="t", engine="espeak", rate_wpm=200)) != k1
    src.write_text("two", encoding="utf-8")
    assert plan_key([src], ["x"], plain) != k1
    assert plan_key(["-"], ["x"], plain) is None and plan_key([tmp_path], ["x"], plain) is None


def test_storing_leaves_another_builds_plan_being_written_alone(tmp_path: Path) -> None:
    """Two builds share a cache: one's temp file, however old, is not a plan to prune."""
    writing = tmp_path / f".k.json.{os.getpid()}-abc.part.json"  # a live writer's name (this process)
    writing.write_text("{", encoding="utf-8")
    os.utime(writing, ns=(1, 1))  # the oldest file in the folder
    for n in range(KEEP_PLANS + 2):
        store(tmp_path, f"plan{n}", {"n": n})
    assert writing.exists()
    assert len([p for p in tmp_path.glob("*.json") if not p.name.startswith(".")]) == KEEP_PLANS
