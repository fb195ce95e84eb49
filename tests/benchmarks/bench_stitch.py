"""Stitching time against sentence count: 1x, 10x and 100x as many sentences should cost 1x, 10x and 100x.

Also times pydub's `AudioSegment +` in a loop (pydub #256) on the smaller sizes,
to show the quadratic cost that stitch() avoids.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pydub import AudioSegment  # noqa: E402

from audiobook.assemble import StitchItem, stitch  # noqa: E402
from audiobook.gateway import run_tool  # noqa: E402

BASE = 150  # sentences in the 1x case (8.4 minutes of speech); 100x is 14 hours
SENTENCES = [
    "The bus to the Momentum conference left at dawn.",
    "Nobody on board had slept much.",
    "Young French people are deeply frustrated by lack of opportunity.",
    "Later that day, outside the Black-E, the mood had changed.",
]


def make_clips(folder: Path) -> list[Path]:
    clips = []
    for i, text in enumerate(SENTENCES):
        path = folder / f"s{i}.wav"
        run_tool(["espeak-ng", "-w", str(path), "--", text])
        clips.append(path)
    return clips


def time_stitch(clips: list[Path], n: int, out: Path, repeats: int = 3) -> tuple[float, float]:
    """Best of a few runs (the machine is shared); returns (seconds, audio seconds)."""
    items = [StitchItem(clips[i % len(clips)], 300) for i in range(n)]
    best = float("inf")
    audio_s = 0.0
    for _ in range(repeats):
        started = time.perf_counter()
        st = stitch(items, out)
        best = min(best, time.perf_counter() - started)
        audio_s = st.duration_s
    return best, audio_s


def time_pydub_plus(clips: list[Path], n: int) -> float:
    segments = [AudioSegment.from_wav(str(c)) for c in clips]
    pause = AudioSegment.silent(duration=300, frame_rate=segments[0].frame_rate)
    started = time.perf_counter()
    out = AudioSegment.empty()
    for i in range(n):
        out = out + segments[i % len(segments)] + pause
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clips = make_clips(folder)
        # Written to /dev/null so the figure is the algorithm's, not the page cache's:
        # 100x is 14 hours of audio (2.2 GB of PCM).
        print(f"stitch(): clips and pauses written sequentially into one WAV (base = {BASE} sentences, best of 3)")
        base_s = 0.0
        for factor in (1, 10, 100):
            n = BASE * factor
            seconds, audio_s = time_stitch(clips, n, Path(os.devnull))
            base_s = base_s or seconds
            print(
                f"  {factor:>3}x  {n:>6} sentences  {audio_s / 60:7.1f} min audio  {seconds:7.3f} s"
                f"  ratio to 1x {seconds / base_s:6.1f}  ({seconds / n * 1e6:6.1f} µs per sentence)"
            )
        print("pydub `+` in a loop, for contrast (quadratic: each + copies the whole buffer)")
        plus_base = 0.0
        for factor in (1, 4):  # 10x takes minutes
            n = BASE // 2 * factor
            seconds = time_pydub_plus(clips, n)
            plus_base = plus_base or seconds
            print(f"  {factor:>3}x  {n:>6} sentences  {seconds:7.3f} s  ratio to 1x {seconds / plus_base:6.1f}")


if __name__ == "__main__":
    main()
