"""Fault injection for `audiobook check`: the share of faulty sentences it flags, and of sound ones.

Every fault is made for real, on the sample built with the espeak voice:
- lexicon swap: a build whose lexicon turns "Momentum" and "Corbyn" into nonsense;
- wrong number: a build whose lexicon says each year of the text as the next year;
- silence: every 7th sentence's span of its article MP3 replaced by silence (ffmpeg);
- truncated: the second half of every 7th sentence (from the 4th) silenced;
- swapped: every 10th sentence (from the 6th) and the one after it exchanged in the audio.
About 220 faulty sentences in all (issue 16 asks for at least 200).
Each damaged edition is checked with `audiobook check` as a user would run it; the faulty
sentences are known from the fault, the rest count as sound (a flag there is a false alarm).

With --texts, it measures false alarms instead: each real text built clean with each voice
(--voices) and checked; every flag there is a false alarm, and the verdict should be "passed".

Run: .venv/bin/python tests/benchmarks/bench_check.py [--out DIR] [--jobs N] [--faults silence,truncated]
     .venv/bin/python tests/benchmarks/bench_check.py --texts A.txt,B.txt [--voices espeak,piper-joe]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from audiobook.gateway import run_ffmpeg  # noqa: E402
from audiobook.manifest import read_manifest  # noqa: E402
from audiobook.normalise import speak_text  # noqa: E402

SAMPLE = ROOT / "tests" / "fixtures" / "new-statesman-two-articles.txt"
PROFILE = ROOT / "voices" / "espeak.toml"
NAMES = {"Momentum": "zibber-wock", "Corbyn": "flan-quist"}

Span = tuple[int, int]  # (article number, sentence index): how check.json names a sentence


def audiobook(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "audiobook", *args], capture_output=True, text=True, cwd=ROOT)


def build(out: Path, cache: Path, lexicon: dict[str, str] | None = None, source: Path = SAMPLE, voice: str = "espeak") -> Path:
    """The sample (or another text) built with a voice (espeak, and a lexicon); its edition folder."""
    if lexicon:
        out.mkdir(parents=True, exist_ok=True)
        words = "\n".join(f'"{k}" = "{v}"' for k, v in lexicon.items())
        (out / "fault.toml").write_text(f'[lexicon]\nlanguage = "en"\n\n[words]\n{words}\n', encoding="utf-8")
        profile = PROFILE.read_text(encoding="utf-8").replace("lexicons = []", 'lexicons = ["fault.toml"]')
        (out / "fault-voice.toml").write_text(profile, encoding="utf-8")
        voice = str(out / "fault-voice.toml")
    proc = audiobook("build", str(source), "-o", str(out / "editions"), "--voice", voice, "--cache-dir", str(cache), "-q")
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    (folder,) = [p.parent for p in (out / "editions").glob("*/edition.json")]
    return folder


def sentences(folder: Path) -> list[tuple[Span, float, float, str]]:
    """Every cue with something said: ((article, index), start, end, text), as check numbers them."""
    out = []
    for article in read_manifest(folder / "edition.json").articles:
        for index, cue in enumerate(article.cues, 1):
            if any(ch.isalnum() for ch in cue.text):
                out.append(((article.number, index), cue.start_s, cue.end_s, cue.text))
    return out


def reencode(folder: Path, article: int, filters: str) -> None:
    """Rewrite one article MP3 through an ffmpeg audio filter graph, at the build's encoding."""
    manifest = read_manifest(folder / "edition.json")
    mp3 = folder / manifest.articles[article - 1].file.path
    tmp = mp3.with_suffix(".damaged.mp3")
    run_ffmpeg(["-i", str(mp3), "-filter_complex", filters, "-map", "[out]", "-ac", "1", "-ar", "22050", "-b:a", "64k", str(tmp)])
    mp3.unlink()  # a one-article edition shares the file with the edition MP3: break the link
    tmp.rename(mp3)


def silence(folder: Path, every: int, offset: int, half: bool) -> set[Span]:
    """Silence every `every`th sentence's span (or its second half), article by article."""
    chosen = [s for k, s in enumerate(sentences(folder)) if k % every == offset]
    for article in {span[0] for span, *_ in chosen}:
        mine = [(start + (end - start) / 2 if half else start, end) for span, start, end, _t in chosen if span[0] == article]
        when = "+".join(f"between(t,{a:.3f},{b:.3f})" for a, b in mine)
        reencode(folder, article, f"[0:a]volume=enable='{when}':volume=0[out]")
    return {span for span, *_ in chosen}


def swap(folder: Path, every: int, offset: int) -> set[Span]:
    """Exchange the audio of sentence k and k+1 (same article) for every `every`th k, keeping the timeline's length."""
    all_sentences = sentences(folder)
    faulty: set[Span] = set()
    by_article: dict[int, list[tuple[float, float, float, float]]] = {}
    for k in range(offset, len(all_sentences) - 1, every):
        (a, ia), s1, e1, _ = all_sentences[k]
        (b, ib), s2, e2, _ = all_sentences[k + 1]
        if a == b:
            by_article.setdefault(a, []).append((s1, e1, s2, e2))
            faulty |= {(a, ia), (b, ib)}
    for article, pairs in by_article.items():
        # Cut the file into pieces and concatenate them with each pair's two clips exchanged.
        cuts: list[tuple[float, float | None]] = []
        at = 0.0
        for s1, e1, s2, e2 in pairs:
            cuts += [(at, s1), (s2, e2), (e1, s2), (s1, e1)]
            at = e2
        cuts.append((at, None))
        parts = [f"[0:a]atrim=start={a:.3f}" + (f":end={b:.3f}" if b is not None else "") + f",asetpts=PTS-STARTPTS[p{n}]" for n, (a, b) in enumerate(cuts)]
        graph = ";".join(parts) + ";" + "".join(f"[p{n}]" for n in range(len(cuts))) + f"concat=n={len(cuts)}:v=0:a=1[out]"
        reencode(folder, article, graph)
    return faulty


def respoken(clean: Path, folder: Path) -> set[Span]:
    """Sentences the engine was given differently from the clean build (where a fault lexicon applied)."""

    def spoken(edition: Path) -> dict[Span, str]:
        return {(a.number, i): c.spoken for a in read_manifest(edition / "edition.json").articles for i, c in enumerate(a.cues, 1)}

    before, after = spoken(clean), spoken(folder)
    return {span for span, text in after.items() if before.get(span) != text}


def years() -> dict[str, str]:
    """Every year-like number in the sample, said as the next year."""
    found = sorted(set(re.findall(r"\b(19[5-9]\d|20[0-2]\d)\b", SAMPLE.read_text(encoding="utf-8"))))
    return {y: speak_text(f"in {int(y) + 1}").removeprefix("in ") for y in found}


def check(folder: Path, jobs: int) -> tuple[dict[Span, bool], dict[Span, bool], float, bool]:
    """Which sentences were flagged, and which of them the recogniser flagged (not the silence in the audio alone)."""
    started = time.monotonic()
    proc = audiobook("check", str(folder), "-q", "--jobs", str(jobs))
    if proc.returncode == 2:
        raise SystemExit(proc.stderr)
    data = json.loads((folder / "check.json").read_text(encoding="utf-8"))
    flagged = {(s["article"], s["index"]): s["flagged"] for s in data["sentences"]}
    # A silence's reason comes first, and the recogniser's after "; " when it flagged the sentence too
    # (approximate: a sentence flagged for a silence is not heard again alone, which may have cleared it).
    heard = {(s["article"], s["index"]): s["flagged"] and (not s["reason"].startswith("silent for") or "; " in s["reason"]) for s in data["sentences"]}
    return flagged, heard, time.monotonic() - started, data["summary"]["passed"]


def clean_texts(texts: list[Path], voices: list[str], out: Path, jobs: int) -> None:
    """False alarms and verdicts on clean builds of other real texts, with each voice."""
    print(f"{'text':<28} {'voice':<10} {'audio':>7} {'sentences':>9} {'flagged':>8} {'share':>6} {'unjudged':>9} {'check s':>8}  verdict")
    for text in texts:
        for voice in voices:
            folder = build(out / "texts" / f"{text.parent.name}-{voice}", out / "cache", source=text, voice=voice)
            flagged, _heard, seconds, passed = check(folder, jobs)
            summary = json.loads((folder / "check.json").read_text(encoding="utf-8"))["summary"]
            n = sum(flagged.values())
            print(f"{text.parent.name:<28} {voice:<10} {summary['audio_s'] / 60:>6.1f}m {len(flagged):>9} {n:>8} {n / len(flagged):>6.1%} {summary['unjudged']:>9} "
                  f"{seconds:>8.0f}  {'passed' if passed else 'failed'}: {summary['verdict']}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench-check"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--faults", default="clean,lexicon,number,silence,truncated,swapped")
    parser.add_argument("--texts", default="", help="comma-separated text files: measure false alarms on their clean builds")
    parser.add_argument("--voices", default="espeak,piper-joe", help="voices for --texts")
    args = parser.parse_args()
    if args.texts:
        clean_texts([Path(t) for t in args.texts.split(",")], args.voices.split(","), args.out, args.jobs)
        return
    out, cache = args.out, args.out / "cache"
    shutil.rmtree(out / "runs", ignore_errors=True)
    clean = build(out / "clean", cache)

    def damaged(name: str, damage: Callable[[Path], set[Span]]) -> tuple[Path, set[Span]]:
        folder = out / "runs" / name / clean.name
        shutil.copytree(clean, folder)
        return folder, damage(folder)

    makers: dict[str, Callable[[], tuple[Path, set[Span]]]] = {
        "clean": lambda: (clean, set()),
        "lexicon": lambda: (lambda f: (f, respoken(clean, f)))(build(out / "runs" / "lexicon", cache, NAMES)),
        "number": lambda: (lambda f: (f, respoken(clean, f)))(build(out / "runs" / "number", cache, years())),
        "silence": lambda: damaged("silence", lambda f: silence(f, 7, 0, half=False)),
        "truncated": lambda: damaged("truncated", lambda f: silence(f, 7, 3, half=True)),
        "swapped": lambda: damaged("swapped", lambda f: swap(f, 10, 5)),
    }
    print(f"{'fault':<10} {'faulty':>7} {'flagged':>8} {'share':>6} {'by ear':>7}   {'sound':>6} {'false alarms':>13}   {'check s':>8}  verdict")
    totals = [0, 0, 0, 0, 0]
    for name in args.faults.split(","):
        folder, faulty = makers[name]()
        flagged, heard, seconds, passed = check(folder, args.jobs)
        hit = sum(flagged[s] for s in faulty)
        by_ear = sum(heard[s] for s in faulty)
        sound = [s for s in flagged if s not in faulty]
        alarms = sum(flagged[s] for s in sound)
        share = f"{hit / len(faulty):.0%}" if faulty else "-"
        print(f"{name:<10} {len(faulty):>7} {hit:>8} {share:>6} {by_ear:>7}   {len(sound):>6} {alarms:>6} ({alarms / len(sound):.1%})   {seconds:>8.0f}  {'passed' if passed else 'failed'}", flush=True)
        for k, v in enumerate((len(faulty), hit, by_ear, len(sound), alarms)):
            totals[k] += v
    faulty_n, hit, by_ear, sound_n, alarms = totals
    if faulty_n:
        print(f"{'total':<10} {faulty_n:>7} {hit:>8} {hit / faulty_n:>6.1%} {by_ear:>7}   {sound_n:>6} {alarms:>6} ({alarms / sound_n:.1%})")
    print("by ear: flagged by the recogniser's hearing, whatever the silence rule says (see check()).")


if __name__ == "__main__":
    main()
