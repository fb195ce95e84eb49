"""Benchmark: normaliser throughput on the sample edition, uncached vs cached, projected to a 10-hour edition."""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from audiobook.ingest import read_edition  # noqa: E402
from audiobook.normalise import _run, speak_text  # noqa: E402

SAMPLE = ROOT / "tests" / "fixtures" / "new-statesman-two-articles.txt"
TEN_HOURS_WORDS = 10 * 60 * 160  # 10 hours at the default 160 words a minute


def main() -> None:
    edition = read_edition([SAMPLE])
    sentences = [s for a in edition.articles for sec in a.sections for p in sec.paragraphs for s in p.sentences]
    words = sum(len(s.split()) for s in sentences)
    speak_text("warm up 1982 £5 www.example.com")  # imports, wordfreq tables, lexicon compile

    rounds = 5
    start = time.perf_counter()
    for _ in range(rounds):
        for sentence in sentences:
            _run(sentence, "en", ())
    uncached_s = (time.perf_counter() - start) / rounds

    # Memory apart from timing: tracing slows Python down several times.
    tracemalloc.start()
    for sentence in sentences:
        _run(sentence, "en", ())
    _, peak_bytes = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    for sentence in sentences:
        speak_text(sentence)
    start = time.perf_counter()
    for _ in range(rounds):
        for sentence in sentences:
            speak_text(sentence)
    cached_s = (time.perf_counter() - start) / rounds

    print(f"sample: {len(sentences)} sentences, {words} words")
    print(f"uncached: {uncached_s * 1000:.0f} ms per pass, {words / uncached_s:,.0f} words/s, "
          f"{uncached_s / len(sentences) * 1e6:.0f} µs per sentence, peak traced memory {peak_bytes / 1e3:.0f} kB")
    print(f"cached:   {cached_s * 1000:.1f} ms per pass, {words / cached_s:,.0f} words/s")
    print(f"ratio uncached/cached: {uncached_s / cached_s:.0f}x")
    print(f"projected 10-hour edition ({TEN_HOURS_WORDS:,} words): {TEN_HOURS_WORDS / words * uncached_s:.1f} s uncached")


if __name__ == "__main__":
    main()
