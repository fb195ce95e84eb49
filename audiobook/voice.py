"""Voice profiles: which engine and voice speaks, how fast, and where it pauses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Pauses:
    """Silence after each unit, in milliseconds."""

    sentence_ms: int = 300
    paragraph_ms: int = 700
    section_ms: int = 1500
    article_ms: int = 2500


@dataclass(frozen=True)
class Headings:
    """How section headings are read."""

    announce: bool = True
    pause_ms: int = 800  # silence after a heading before the text
    voice: str | None = None  # another voice id of the same engine, or None


@dataclass(frozen=True)
class Encoding:
    """MP3 output settings (see assemble for why these defaults)."""

    sample_rate_hz: int = 44100
    bitrate_kbps: int = 64
    loudness_lufs: float = -16.0
    true_peak_db: float = -1.0


@dataclass(frozen=True)
class VoiceProfile:
    name: str
    engine: str  # a key of audiobook.synthesise.engine.ENGINES
    voice: str | None = None  # engine-specific voice id; None = engine default
    language: str = "en"
    rate_wpm: int = 175
    pitch: int = 50  # 0-100, 50 = engine default
    volume: float = 1.0  # 0.0-1.0
    pauses: Pauses = field(default_factory=Pauses)
    headings: Headings = field(default_factory=Headings)
    encoding: Encoding = field(default_factory=Encoding)
    lexicons: tuple[Path, ...] = ()  # absolute paths, resolved at load time
    source: Path | None = None  # the TOML file it came from

    def engine_params(self) -> dict[str, object]:
        """What changes the sound of a clip: part of the sentence cache key."""
        return {
            "engine": self.engine,
            "voice": self.voice,
            "rate_wpm": self.rate_wpm,
            "pitch": self.pitch,
            "volume": self.volume,
        }
