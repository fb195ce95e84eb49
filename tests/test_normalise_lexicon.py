"""Lexicon files: format, validation, matching rules, and their effect on what is said."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from audiobook.errors import ConfigError
from audiobook.normalise import normalise, speak_text
from audiobook.normalise.lexicon import default_lexicon, load_lexicon

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "voices" / "lexicon-example.toml"


def write(tmp_path: Path, body: str, name: str = "lex.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_default_lexicon_loads_and_is_used() -> None:
    assert len(default_lexicon("en").entries) > 100
    assert speak_text("the AWL") == "the A-W-L"


def test_example_lexicon_is_valid_and_respells_the_sample_names() -> None:
    lexicon = load_lexicon(EXAMPLE)
    keys = {e.key for e in lexicon.entries}
    assert {"Villeparisis", "Marly-Gomont", "Ségolène", "Filippetti", "Cevipof"} <= keys
    spoken = speak_text("a play centre in Villeparisis, near Marly-Gomont", lexicons=[EXAMPLE])
    assert "Villeparisis" not in spoken and "Marly-Gomont" not in spoken


def test_entry_absent_from_text_leaves_output_and_cache_key_unchanged(tmp_path: Path) -> None:
    text = "Momentum HQ is in the TSSA building by Euston Station."
    lexicon = write(tmp_path, '[words]\nVilleparisis = "veel-pa-ree-zee"\n')
    assert speak_text(text, lexicons=[lexicon]) == speak_text(text)


def test_entry_present_in_text_changes_output(tmp_path: Path) -> None:
    text = "She works in Villeparisis, to the east of Paris."
    lexicon = write(tmp_path, '[words]\nVilleparisis = "veel-pa-ree-zee"\n')
    assert speak_text(text, lexicons=[lexicon]) == "She works in veel-pa-ree-zee, to the east of Paris."
    assert speak_text(text) != speak_text(text, lexicons=[lexicon])


def test_editing_a_lexicon_is_picked_up(tmp_path: Path) -> None:
    lexicon = write(tmp_path, '[words]\nCevipof = "sev-ee-pof"\n')
    assert speak_text("at Cevipof", lexicons=[lexicon]) == "at sev-ee-pof"
    lexicon.write_text('[words]\nCevipof = "say-vee-poff"\n', encoding="utf-8")
    stat = lexicon.stat()
    os.utime(lexicon, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert speak_text("at Cevipof", lexicons=[lexicon]) == "at say-vee-poff"


def test_case_rules(tmp_path: Path) -> None:
    lexicon = write(
        tmp_path,
        '[words]\nnoir = "nwahr"\nUS = "you ess"\n"Gaëtan" = { say = "gah-ay-tahn", case = "ignore" }\n',
    )
    # all-lowercase key: any case; a key with capitals: exact case; `case` overrides.
    assert speak_text("Noir, NOIR and noir", lexicons=[lexicon]) == "nwahr, nwahr and nwahr"
    assert speak_text("the US told us", lexicons=[lexicon]) == "the you ess told us"
    assert speak_text("GAËTAN", lexicons=[lexicon]) == "gah-ay-tahn"


def test_whole_words_and_longest_match_first(tmp_path: Path) -> None:
    lexicon = write(
        tmp_path,
        '[words]\nDon = "dawn"\n"Don Quichotte" = "don key-shot"\n"Les Enfants de Don Quichotte" = "lay zon-fon duh don key-shot"\n',
    )
    said = speak_text("Les Enfants de Don Quichotte met Don and Donald.", lexicons=[lexicon])
    assert said == "lay zon-fon duh don key-shot met dawn and Donald."
    assert speak_text("Don\nQuichotte", lexicons=[lexicon]) == "don key-shot"


def test_later_lexicons_override_earlier_and_the_default(tmp_path: Path) -> None:
    first = write(tmp_path, '[words]\nCevipof = "one"\n', "a.toml")
    second = write(tmp_path, '[words]\nCevipof = "two"\nAWL = "the workers liberty"\n', "b.toml")
    assert speak_text("Cevipof", lexicons=[first, second]) == "two"
    assert speak_text("Cevipof", lexicons=[second, first]) == "one"
    assert speak_text("the AWL", lexicons=[second]) == "the the workers liberty"


def test_plural_and_possessive_of_initialisms(tmp_path: Path) -> None:
    lexicon = write(tmp_path, '[words]\nSCP = "S-C-P"\n')
    assert speak_text("SCP's study and two SCPs", lexicons=[lexicon]) == "S-C-P's study and two S-C-P's"


def test_rewrites_name_the_lexicon_source(tmp_path: Path) -> None:
    lexicon = write(tmp_path, '[words]\nCevipof = "sev-ee-pof"\n')
    result = normalise("at Cevipof", lexicons=[lexicon])
    assert ("Cevipof", "sev-ee-pof") in result.rewrites


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[words]\nCevipof = \n', "not valid TOML"),
        ('[words]\nCevipof = { sey = "x" }\n', "line 2, key 'Cevipof': unknown field 'sey'"),
        ('[words]\n\nCevipof = { say = "" }\n', "line 3, key 'Cevipof': 'say' must be a non-empty respelling"),
        ('[words]\nCevipof = 3\n', "key 'Cevipof': value must be a string"),
        ('[words]\nCevipof = { say = "x", case = "upper" }\n', "'case' must be"),
        ('[words]\nCevipof = "[[s@vIp0f]]"\n', "'say' must be plain text"),
        ('[wrods]\nCevipof = "x"\n', "unknown section or key 'wrods'"),
        ('[words]\n"..." = "x"\n', "must contain a letter or digit"),
    ],
)
def test_malformed_lexicon_is_a_config_error_naming_file_line_and_key(tmp_path: Path, body: str, message: str) -> None:
    lexicon = write(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        speak_text("Cevipof", lexicons=[lexicon])
    assert str(lexicon) in str(caught.value)
    assert message in str(caught.value)


def test_missing_lexicon_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        speak_text("x", lexicons=[tmp_path / "nope.toml"])
