"""Listening-time estimates: `plan` uses the voice profile's measured pace, the default profile by default."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from audiobook.ingest.summary import WORDS_PER_MINUTE, estimated_seconds
from audiobook.synthesise.voices import load_profile
from audiobook.voice import VoiceProfile, profile_names

SAMPLE = Path(__file__).parent / "fixtures" / "new-statesman-two-articles.txt"


def _plan(*args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "audiobook", "plan", "--json", *args, str(SAMPLE)], capture_output=True, text=True, check=True
    )
    edition: dict[str, object] = json.loads(done.stdout)["edition"]
    return edition


def test_plan_estimates_at_the_default_profiles_measured_pace() -> None:
    default = load_profile("default", check_voices=False)
    # Every shipped engine profile that was measured carries its number; default is one.
    assert default.estimate.words_per_minute is not None
    assert load_profile("espeak", check_voices=False).estimate.words_per_minute is not None
    edition = _plan()
    assert edition["words_per_minute"] == default.listening_wpm != default.rate_wpm
    assert edition["estimated_seconds"] == estimated_seconds(int(edition["words"]), default.listening_wpm)  # type: ignore[call-overload]
    # Library callers without a profile get the same pace.
    assert WORDS_PER_MINUTE == default.listening_wpm


@pytest.mark.parametrize("name", ["espeak"])
def test_plan_with_a_voice_uses_that_profiles_pace(name: str) -> None:
    profile = load_profile(name, check_voices=False)
    edition = _plan("--voice", name)
    assert edition["words_per_minute"] == profile.listening_wpm
    assert edition["estimated_seconds"] == estimated_seconds(int(edition["words"]), profile.listening_wpm)  # type: ignore[call-overload]


def test_an_uncalibrated_profile_estimates_at_its_rate(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text('engine = "espeak"\nrate_wpm = 200\n', encoding="utf-8")
    assert load_profile(mine, check_voices=False).listening_wpm == 200
    assert _plan("--voice", str(mine))["words_per_minute"] == 200
    assert VoiceProfile(name="t", engine="espeak", rate_wpm=150).listening_wpm == 150


def test_every_shipped_profile_is_calibrated_or_says_why_not() -> None:
    for name in profile_names():
        profile = load_profile(name, check_voices=False)
        text = profile.source.read_text(encoding="utf-8") if profile.source else ""
        # A measured number comes with the command that measured it.
        assert profile.estimate.words_per_minute is not None or "not calibrated" in text, name
        if profile.estimate.words_per_minute is not None:
            assert "ffprobe" in text and "audiobook build" in text, name
