"""The tone engine: a sine tone per word in place of speech; instant and exact, for tests and dry runs."""

from __future__ import annotations

import array
import functools
import math
import re
import sys
import zlib
from typing import TYPE_CHECKING

from ..errors import EngineError
from ..language import KNOWN
from .speech import Params, Pcm, VoiceInfo

if TYPE_CHECKING:
    from ..voice import VoiceProfile

# espeak-ng's rate, so a tone edition is resampled and encoded as a spoken one is.
SAMPLE_RATE_HZ = 22050
# About -12 dBFS at volume 1.0: far above silence trimming's threshold, never clipped.
AMPLITUDE = 8000
# Words as plausibility counts them, so a tone clip always passes its length check.
_WORD = re.compile(r"\w+")
SEMITONES = 12  # a word's pitch is one of the octave's steps above the voice's base


def word_samples(rate_wpm: int) -> int:
    """Samples of tone for one word: each word takes exactly its share of a minute at `rate_wpm`."""
    return SAMPLE_RATE_HZ * 60 // rate_wpm


def tone_samples(text: str, rate_wpm: int) -> int:
    """The exact length of the tone engine's clip for `text` (a word: word_samples; anything else: none)."""
    return len(_WORD.findall(text)) * word_samples(rate_wpm)


@functools.lru_cache(maxsize=1024)
def _cycle(period: int, amplitude: int) -> bytes:
    """One period of the sine, as int16 little-endian: a word's tone is this repeated, so it costs no arithmetic."""
    samples = array.array("h", (round(amplitude * math.sin(2 * math.pi * i / period)) for i in range(period)))
    if sys.byteorder == "big":
        samples.byteswap()
    return samples.tobytes()


def _period(word: str, voice: str | None, pitch: int) -> int:
    """Samples in one period of `word`'s tone: 200-600 Hz from the pitch, raised by up to an octave by a hash
    of the voice and word (crc32, not hash(): the same in every process), so words and voices differ audibly.
    At most 110 samples (5 ms), well inside the 10 ms silence trimming keeps, so no tone is ever trimmed."""
    step = zlib.crc32(f"{voice or ''}\0{word.lower()}".encode()) % SEMITONES
    frequency_hz = (200 + 4 * pitch) * 2 ** (step / SEMITONES)
    return max(2, round(SAMPLE_RATE_HZ / frequency_hz))


class ToneEngine:
    """A tone per word, no speech: a build in seconds whose durations tests can compute exactly."""

    name = "tone"
    max_chars = 600  # espeak's, so long sentences are split at clauses as they are for speech
    description = "a tone per word in place of speech, for tests and dry runs"
    isolation = "none"  # a pure function of its arguments: nothing to isolate
    block_size = 1
    threads = 1

    def version(self) -> str:
        return "tone 1"  # part of every clip's cache key: bump it when the sound changes

    def available(self) -> tuple[bool, str]:
        return True, ""

    def list_voices(self) -> list[VoiceInfo]:
        # One per language `--language` knows, so an article in any of them is read by this engine
        # (not one borrowed from espeak-ng) and the voice is heard in its pitches.
        return [VoiceInfo(code, f"{name} tone", (code,)) for code, name in KNOWN.items()]

    def prepare(self) -> None:
        pass

    def validate(self, profile: VoiceProfile) -> None:
        pass  # rate sets the length, pitch the frequency, volume the amplitude

    def synthesise(self, text: str, voice: str | None, params: Params) -> Pcm:
        if voice is not None and voice.lower() not in KNOWN:
            raise EngineError(f"tone has no voice {voice!r}; it has {', '.join(KNOWN)}")
        n = word_samples(params.rate_wpm)
        amplitude = round(AMPLITUDE * params.volume)
        parts: list[bytes] = []
        for word in _WORD.findall(text):
            cycle = _cycle(_period(word, voice, params.pitch), amplitude)
            repeats, rest = divmod(n, len(cycle) // 2)
            parts.append(cycle * repeats + cycle[: 2 * rest])
        return Pcm(b"".join(parts), SAMPLE_RATE_HZ)
