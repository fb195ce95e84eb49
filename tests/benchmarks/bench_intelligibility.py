"""How well a listener (Whisper tiny, offline) hears the sample edition, per voice, beside raw espeak-ng.

For each voice profile the sample is built into a temporary folder with a cold cache, each
article MP3 is transcribed, and its word error rate is measured against the article as written
(title, byline, standfirst, announced headings, paragraphs), both sides reduced to spoken words.
Beside it: plain `espeak-ng -f article.txt` on the same raw text, no normaliser (what a user
would otherwise get). Then the 30 most frequent differences in our own pipeline's audio.

Run: .venv/bin/python tests/benchmarks/bench_intelligibility.py [--voices default,espeak,piper-joe]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from audiobook import intelligibility  # noqa: E402
from audiobook.gateway import run_tool  # noqa: E402
from audiobook.ingest import read_edition  # noqa: E402
from audiobook.model import Article  # noqa: E402
from audiobook.script import byline  # noqa: E402

SAMPLE = ROOT / "tests" / "fixtures" / "new-statesman-two-articles.txt"


def source_text(article: Article) -> str:
    """The article as written, in reading order: what a listener should hear."""
    parts = [article.title]
    credit = byline(article)
    if credit:
        parts.append(credit)
    if article.standfirst:
        parts.append(article.standfirst)
    for section in article.sections:
        if section.announce_title and section.title.strip():
            parts.append(section.title)
        parts.extend(p.text for p in section.paragraphs)
    return "\n\n".join(parts)


def build(voice: str, out: Path) -> tuple[list[Path], float]:
    """Build the sample with `voice`; the article MP3s in order and the wall time."""
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "audiobook", "build", str(SAMPLE), "-o", str(out / "out"),
         "--voice", voice, "--cache-dir", str(out / "cache"), "-q"],
        check=True, stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - t
    (manifest,) = (out / "out").glob("*/edition.json")
    data = json.loads(manifest.read_text())
    return [manifest.parent / a["file"]["path"] for a in data["articles"]], seconds


def raw_espeak(text: str, out: Path) -> Path:
    """The baseline: espeak-ng straight on the raw text, no normaliser."""
    txt, wav = out.with_suffix(".txt"), out.with_suffix(".wav")
    txt.write_text(text, encoding="utf-8")
    run_tool(["espeak-ng", "-v", "en", "-f", str(txt), "-w", str(wav)])
    return wav


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voices", default="default,espeak,piper-joe")
    parser.add_argument("--show", type=int, default=30, help="how many frequent differences to print")
    args = parser.parse_args()
    voices = [v for v in args.voices.split(",") if v]
    articles = read_edition([SAMPLE]).articles
    sources = [source_text(a) for a in articles]
    ours: list[intelligibility.Score] = []
    rows: list[tuple[str, int, float, int, float, float]] = []  # voice, article, wer, words, audio s, asr s
    with tempfile.TemporaryDirectory(prefix="bench-intel-") as tmp_name:
        tmp = Path(tmp_name)
        for voice in voices:
            files, build_s = build(voice, tmp / voice)
            print(f"built with {voice} in {build_s:.1f} s", flush=True)
            for number, (path, source) in enumerate(zip(files, sources, strict=True), 1):
                t = time.perf_counter()
                heard = intelligibility.transcribe(path)
                asr_s = time.perf_counter() - t
                result = intelligibility.score(source, heard)
                ours.append(result)
                audio_s = len(intelligibility.decode_audio(path)) / 4 / intelligibility.SAMPLE_RATE_HZ
                rows.append((voice, number, result.wer, result.reference_words, audio_s, asr_s))
        for number, source in enumerate(sources, 1):
            wav = raw_espeak(source, tmp / f"raw-{number}")
            t = time.perf_counter()
            heard = intelligibility.transcribe(wav)
            asr_s = time.perf_counter() - t
            result = intelligibility.score(source, heard)
            audio_s = len(intelligibility.decode_audio(wav)) / 4 / intelligibility.SAMPLE_RATE_HZ
            rows.append(("raw espeak-ng", number, result.wer, result.reference_words, audio_s, asr_s))

    print(f"\n{'voice':<15} {'article':>7} {'words':>6} {'WER':>7} {'audio s':>8} {'ASR s':>6} {'ASR x RT':>8}")
    for voice, number, wer, words, audio_s, asr_s in rows:
        print(f"{voice:<15} {number:>7} {words:>6} {wer:>7.1%} {audio_s:>8.0f} {asr_s:>6.1f} {audio_s / asr_s:>7.0f}x")
    by_voice: dict[str, list[tuple[float, int]]] = {}
    for voice, _n, wer, words, _a, _s in rows:
        by_voice.setdefault(voice, []).append((wer, words))
    print("\nWER over the edition (word-weighted):")
    for voice, pairs in by_voice.items():
        total = sum(w for _e, w in pairs)
        print(f"  {voice:<15} {sum(e * w for e, w in pairs) / total:.1%}")
    print(f"\n{args.show} most frequent differences in our pipeline's audio (expected → heard):")
    for text, count in intelligibility.misheard(ours, args.show):
        print(f"  {count:>3}  {text}")


if __name__ == "__main__":
    main()
