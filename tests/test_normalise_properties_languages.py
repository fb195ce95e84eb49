"""The normaliser's properties in French, German, Spanish, Italian, Portuguese and Dutch too: never raises, never silent, no word lost, no digit left."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiobook.normalise import accounted_words, normalise, speak_text, words_of

# Pieces of the French and German Debian manuals and of the case tables, so the rules are hit.
_PIECES = {
    "fr": [
        "version 0.9.12", "Debian 12.5", "noyau Linux 6.1", "v1.2.3-rc1", "192.168.0.42", "2 Go", "640 Mo", "5Gio",
        "1,5 s", "10 ms", "1.5 GHz", "le 1er janvier", "la 1re", "2e", "XIXe siècle", "François Ier", "Louis XIV",
        "M. Dupont", "Mme", "Dr", "p. ex.", "c.-à-d.", "etc.", "n° 5", "p. 12", "14 h 30", "14h30", "9 h", "21:15",
        "1 234,56 €", "3,50 €", "12,5 %", "90 %", "1543", "en 1993", "16:9", "1/2", "3/4", "1 1/2", "1,80 m",
        "1 000 tr/min", "32 bits", "Section 12.5", "chapitre 2.", "1 seconde", "21 pages", "59100 paquets",
        "10 février 2024", "le 14/07/2023", "paquets", "et", "la", "des", " ", ",", ".", "-", "/", ":", "\n",
    ],
    "de": [
        "Version 0.9.12", "Debian 12.5", "Linux-Kernel 6.1", "v1.2.3-rc1", "192.168.0.42", "2 GB", "512 MB", "8 GiB",
        "1,5 s", "1.5 GHz", "am 3.10.1990", "der 2. Weltkrieg", "im 19. Jahrhundert", "ein 3. Platz", "Dr. Müller",
        "z. B.", "z.B.", "d. h.", "usw.", "ca.", "Nr. 5", "S. 12", "14:30 Uhr", "14.30 Uhr", "1 Uhr", "1.500.000",
        "1.234,56 €", "1 €", "1990er", "80er", "1543 Quellen", "1998 wurde", "16:9", "1/2", "2 1/2", "1/3",
        "1 Sekunde", "1 Datei", "1 h", "§ 5 Abs. 2", "Art. 3", "3 Mio. Euro", "Abschnitte 4.9 und 4.10", "St. Pauli",
        "10. Februar 2024", "die", "und", "Pakete", " ", ",", ".", "-", "/", ":", "\n",
    ],
}
# Spanish, Italian, Portuguese and Dutch share one kind of table: the same pieces stress it in each.
for _code in ("es", "it", "pt", "nl"):
    _PIECES[_code] = [
        "Debian 12.5", "versión 0.9.12", "Tabla 1.1.", "192.168.0.42", "2 GB", "1,5", "1.5 GHz", "3,50 €", "12,5 %",
        "23 marzo 2017", "10 juni", "14:30", "1/2", "16:9", "1 234", "1.500.000", "en 1998", "59100", "XYZ-3.7",
        "paquetes", " ", ",", ".", "-", "/", ":", "\n",
    ]
_NO_MARKS = st.characters(blacklist_categories=("Mn", "Mc", "Me", "Cs"))
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LANGUAGES = pytest.mark.parametrize("language", sorted(_PIECES))


def _text(language: str, noise: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(_PIECES[language]) | noise, max_size=20).map("".join)


@LANGUAGES
@PROPERTY
@given(data=st.data())
def test_never_raises_never_silent_no_digit_left(language: str, data: st.DataObject) -> None:
    text = data.draw(_text(language, st.text(max_size=5)))
    spoken = speak_text(text, language)
    assert "[[" not in spoken and "<" not in spoken
    if re.search(r"[^\W_]", text):
        assert re.search(r"[^\W_]", spoken), f"{text!r} became silent"
    assert not re.search(r"[0-9]", spoken), f"{text!r} → {spoken!r} kept a digit"


@LANGUAGES
@PROPERTY
@given(data=st.data())
def test_never_drops_a_word(language: str, data: st.DataObject) -> None:
    text = data.draw(_text(language, st.text(_NO_MARKS, max_size=5)))
    result = normalise(text, language)
    allowed = {w.casefold() for w in words_of(result.spoken)} | accounted_words(result) | {u.casefold() for u in result.unspoken}
    visible = "".join(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c) != "Cf")
    missing = [w for w in words_of(visible) if w.casefold() not in allowed]
    assert not missing, f"{text!r} → {result.spoken!r} lost {missing}"
