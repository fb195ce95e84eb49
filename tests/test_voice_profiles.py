"""Voice profiles: the shipped ones load, the package copy matches voices/, and every mistake is a clear ConfigError."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.errors import ConfigError
from audiobook.synthesise.voices import load_profile
from audiobook.voice import PACKAGE_VOICES, REPO_VOICES, Headings, Pauses, profile_names

from conftest import require_tool

SHIPPED = ("default", "espeak", "piper-joe", "tone")


def test_shipped_profiles_are_listed_and_load() -> None:
    assert set(SHIPPED) <= set(profile_names())
    default = load_profile("default", check_voices=False)
    assert (default.engine, default.voice, default.rate_wpm) == ("pyttsx3", None, 175)
    assert default.pauses == Pauses() and default.headings == Headings()
    espeak = load_profile("espeak", check_voices=False)
    assert (espeak.engine, espeak.voice, espeak.headings.voice) == ("espeak", "gmw/en", "gmw/en-gb-x-rp")
    assert load_profile("piper-joe", check_voices=False).engine == "piper"


def test_package_copy_is_identical_to_voices_folder() -> None:
    for name in SHIPPED:
        assert (PACKAGE_VOICES / f"{name}.toml").read_bytes() == (REPO_VOICES / f"{name}.toml").read_bytes(), name


def test_shipped_voice_ids_exist_here() -> None:
    require_tool("espeak-ng")
    for name in ("default", "espeak"):
        load_profile(name)  # check_voices=True: raises if a voice id is unknown


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_path_loads_with_relative_lexicons(tmp_path: Path) -> None:
    (tmp_path / "words.toml").write_text("", encoding="utf-8")
    path = _write(tmp_path, 'engine = "espeak"\nrate_wpm = 200\nvolume = 1\nlexicons = ["words.toml"]\n[pauses]\nsentence_ms = 100\n')
    profile = load_profile(path, check_voices=False)
    assert profile.name == "mine" and profile.source == path and profile.rate_wpm == 200
    assert profile.volume == 1.0 and isinstance(profile.volume, float)
    assert profile.pauses == Pauses(sentence_ms=100)
    assert profile.lexicons == ((tmp_path / "words.toml").resolve(),)
    assert load_profile(str(path), check_voices=False) == profile


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('engine = "espeak"\nspeed = 3\n', "unknown key speed: valid keys are engine, voice, language, rate_wpm"),
        ('engine = "espeak"\nrate_wpm = "fast"\n', "rate_wpm must be a whole number of words per minute, not 'fast'"),
        ('engine = "espeak"\nrate_wpm = true\n', "rate_wpm must be a whole number"),
        ('engine = "espeak"\nrate_wpm = 2000\n', "rate_wpm must be between 80 and 450, not 2000"),
        ('engine = "espeak"\nvolume = 1.5\n', "volume must be between 0 and 1"),
        ('engine = "festival"\n', "unknown engine 'festival': valid engines are pyttsx3, espeak, piper, tone"),
        ('voice = "gmw/en"\n', "engine is required"),
        ('engine = "espeak"\n[pauses]\nsentence = 300\n', "[pauses] unknown key sentence: valid keys are sentence_ms, paragraph_ms"),
        ('engine = "espeak"\n[headings]\nannounce = "yes"\n', "[headings] announce must be true or false"),
        ('engine = "espeak"\npauses = 3\n', "pauses must be a table"),
        ('engine = "espeak"\nlexicons = ["nope.toml"]\n', "lexicon nope.toml not found"),
        ('engine = "piper"\npitch = 60\n', "pitch must be 50 for piper"),
        ('engine = "espeak"\nrate_wpm = \n', "not valid TOML"),
    ],
)
def test_profile_mistakes_are_config_errors(tmp_path: Path, toml: str, message: str) -> None:
    path = _write(tmp_path, toml)
    with pytest.raises(ConfigError) as info:
        load_profile(path, check_voices=False)
    assert message in str(info.value)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_unknown_voice_id_lists_close_matches(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    path = _write(tmp_path, 'engine = "espeak"\nvoice = "gmw/en-usa"\n')
    with pytest.raises(ConfigError, match=r"not one of espeak's voices here \(close matches: .*gmw/en-us.*audiobook voices"):
        load_profile(path)
    heading = _write(tmp_path, 'engine = "espeak"\n[headings]\nvoice = "klingon"\n')
    with pytest.raises(ConfigError, match=r"\[headings\] voice 'klingon'"):
        load_profile(heading)


def test_unknown_name_lists_profiles() -> None:
    with pytest.raises(ConfigError, match="unknown voice profile 'nope': choose one of default, espeak"):
        load_profile("nope")
    with pytest.raises(ConfigError, match="not found"):
        load_profile("missing/profile.toml")
