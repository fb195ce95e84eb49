"""Integrated loudness (ITU-R BS.1770-4 / EBU R128) from cacheable 400 ms block loudnesses.

A programme's integrated loudness is a gated mean over 400 ms blocks stepped
by 100 ms. ffmpeg's ebur128 filter meters each stretch of audio and reports
one momentary (400 ms) value per 100 ms frame; keeping those per stretch lets
a rebuild re-measure a whole article after one paragraph changed by metering
only that paragraph's stretch. Stretches are cut in silences, so joining
their block lists equals metering the joined audio.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

from .errors import ToolError
from .gateway import run_tool

HOP_S = 0.1
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
SILENCE_LUFS = -70.0

_MOMENTARY = re.compile(r"lavfi\.r128\.M=(-?[\d.]+|-?inf|nan)")


def parse_momentary(text: str) -> list[float]:
    """The momentary loudness values printed by ffmpeg's ametadata, in order."""
    out: list[float] = []
    for value in _MOMENTARY.findall(text):
        v = float(value)
        out.append(v if math.isfinite(v) else -200.0)
    return out


def measure_blocks(path: Path, rate_hz: int) -> list[float]:
    """Block loudnesses (LUFS, one per 100 ms) of an audio file, by ffmpeg's ebur128."""
    hop = max(1, round(rate_hz * HOP_S))
    proc = run_tool(
        [
            "ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-i", str(path),
            "-af", f"asetnsamples=n={hop}:p=0,ebur128=metadata=1,ametadata=mode=print:key=lavfi.r128.M:file=-",
            "-f", "null", "-",
        ]
    )  # fmt: skip
    values = parse_momentary(proc.stdout.decode("utf-8", "replace"))
    if not values and path.stat().st_size > 4096:
        raise ToolError(f"ffmpeg ebur128 printed no loudness for {path.name}")
    return values


def _energy(lufs: float) -> float:
    return 10 ** ((lufs + 0.691) / 10)


def _lufs(energy: float) -> float:
    return -0.691 + 10 * math.log10(energy) if energy > 0 else -math.inf


def integrated_lufs(blocks: Sequence[float]) -> float:
    """Gated integrated loudness from block loudnesses: absolute gate, then relative gate."""
    kept = [b for b in blocks if b > ABSOLUTE_GATE_LUFS]
    if not kept:
        return SILENCE_LUFS
    relative = _lufs(sum(_energy(b) for b in kept) / len(kept)) + RELATIVE_GATE_LU
    final = [b for b in kept if b > relative]
    if not final:
        return SILENCE_LUFS
    return round(_lufs(sum(_energy(b) for b in final) / len(final)), 2)
