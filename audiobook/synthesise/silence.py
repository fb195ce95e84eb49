"""Trimming the silence engines leave around a clip, so a profile's pauses are the pauses heard."""

from __future__ import annotations

import array
import sys

# -54 dBFS: below any speech onset measured here, above dither and rounding noise.
THRESHOLD = 64
# Kept either side of the first and last sound, so no consonant is clipped.
KEEP_MS = 10


def _samples(pcm: bytes) -> array.array[int]:
    samples = array.array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    if sys.byteorder == "big":  # WAV data is little-endian
        samples.byteswap()
    return samples


def trim_silence(pcm: bytes, sample_rate_hz: int, threshold: int = THRESHOLD, keep_ms: int = KEEP_MS) -> bytes:
    """`pcm` (mono int16 little-endian) without its leading and trailing silence, less `keep_ms` either side.

    Engines differ: pyttsx3 ends each clip with 300 ms of silence, Piper with
    about 130 ms, espeak-ng with under 20 ms. All silence gives b"".
    """
    samples = _samples(pcm)
    n = len(samples)
    first = 0
    while first < n and -threshold <= samples[first] <= threshold:
        first += 1
    if first == n:
        return b""
    last = n - 1
    while -threshold <= samples[last] <= threshold:
        last -= 1
    keep = sample_rate_hz * keep_ms // 1000
    start = max(0, first - keep)
    end = min(n, last + 1 + keep)
    return pcm[2 * start : 2 * end]
