"""What every speech engine is: the Engine protocol and the values it takes and gives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..voice import VoiceProfile

# The rate engines treat as "normal speed"; Piper's length_scale is relative to it.
NORMAL_RATE_WPM = 175


@dataclass(frozen=True)
class Pcm:
    """Mono signed 16-bit little-endian samples."""

    samples: bytes
    sample_rate_hz: int

    @property
    def n_samples(self) -> int:
        return len(self.samples) // 2


@dataclass(frozen=True)
class VoiceInfo:
    id: str  # what a profile's `voice` takes
    name: str
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Params:
    """The sound-changing settings an engine receives (from VoiceProfile.engine_params)."""

    rate_wpm: int = NORMAL_RATE_WPM
    pitch: int = 50
    volume: float = 1.0


class Engine(Protocol):
    name: str
    # How a worker keeps engine state from leaking between clips (so output never
    # depends on scheduling): "clip" = each clip in a fork of the prepared worker;
    # "block" = each block of `block_size` consecutive clips in a fresh fork that
    # prepares the engine itself; "none" = the worker calls the engine directly.
    isolation: str
    block_size: int
    threads: int  # CPU threads one worker's engine may use (the pool shares the cores out)
    max_chars: int  # longest text sent in one call; longer sentences are split at clauses
    description: str

    def version(self) -> str: ...

    def prepare(self) -> None: ...  # load models once per worker, before the first clip

    def available(self) -> tuple[bool, str]: ...

    def list_voices(self) -> list[VoiceInfo]: ...

    # A ConfigError for a profile setting this engine cannot honour (the profile's file
    # name is added by the caller); the rules that hold for every engine are voice.py's.
    def validate(self, profile: VoiceProfile) -> None: ...

    def synthesise(self, text: str, voice: str | None, params: Params) -> Pcm: ...
