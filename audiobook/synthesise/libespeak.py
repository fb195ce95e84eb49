"""A minimal ctypes binding to libespeak-ng: synchronous synthesis into memory."""

from __future__ import annotations

import ctypes
import ctypes.util
from dataclasses import dataclass
from typing import Any

from ..errors import EngineError

# espeak_AUDIO_OUTPUT: SYNCHRONOUS returns every sample through the callback
# before espeak_Synth returns, so no polling loop (pyttsx3 sleeps 10 ms a turn).
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PARAM_RATE, _PARAM_VOLUME, _PARAM_PITCH = 1, 2, 3
_EE_OK = 0

_LIB_NAMES = ("libespeak-ng.so.1", "libespeak-ng.so", "libespeak-ng.dylib", "libespeak-ng.dll")


class _Voice(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),  # raw: holds embedded NULs
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


@dataclass(frozen=True)
class EspeakVoice:
    identifier: str  # e.g. "gmw/en-us": what SetVoiceByName and profiles use
    name: str  # e.g. "English_(America)"
    languages: tuple[str, ...]


_lib: ctypes.CDLL | None = None
_load_error: str | None = None
_sample_rate_hz = 0
_buffer: list[bytes] = []


def _load() -> ctypes.CDLL:
    global _lib, _load_error
    if _lib is not None:
        return _lib
    if _load_error is not None:
        raise EngineError(_load_error)
    names = list(_LIB_NAMES)
    found = ctypes.util.find_library("espeak-ng")
    if found:
        names.insert(0, found)
    for name in names:
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_Info.argtypes = [ctypes.POINTER(ctypes.c_char_p)]
        lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
        lib.espeak_ListVoices.argtypes = [ctypes.c_void_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]
        lib.espeak_Synchronize.restype = ctypes.c_int
        _lib = lib
        return lib
    _load_error = "libespeak-ng not found: run `apt-get install espeak-ng`"
    raise EngineError(_load_error)


def available() -> tuple[bool, str]:
    """Whether the library loads here, and why not."""
    try:
        _load()
    except EngineError as exc:
        return False, str(exc)
    return True, ""


def version() -> str:
    """The library's version string, e.g. "1.51"."""
    lib = _load()
    raw = lib.espeak_Info(None)
    return raw.decode("utf-8", "replace") if raw else "unknown"


@_CALLBACK
def _on_synth(wav: Any, n: int, events: int) -> int:
    if n > 0 and wav:
        _buffer.append(ctypes.string_at(wav, n * 2))
    return 0


def _initialise() -> ctypes.CDLL:
    global _sample_rate_hz
    lib = _load()
    if _sample_rate_hz == 0:
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None, 0)
        if rate <= 0:
            raise EngineError("libespeak-ng failed to initialise (espeak-ng-data missing?)")
        _sample_rate_hz = rate
        lib.espeak_SetSynthCallback(_on_synth)
    return lib


def list_voices() -> list[EspeakVoice]:
    """Every installed espeak-ng voice, in the library's order."""
    lib = _initialise()
    out: list[EspeakVoice] = []
    arr = lib.espeak_ListVoices(None)
    i = 0
    while arr[i]:
        v = arr[i].contents
        # `languages` is a sequence of (priority byte, NUL-terminated name), ending with a 0 byte.
        langs: list[str] = []
        raw = v.languages
        if raw:
            pos = raw
            while ctypes.c_ubyte.from_address(pos).value != 0:
                name = ctypes.string_at(pos + 1)
                langs.append(name.decode("utf-8", "replace"))
                pos += 2 + len(name)
        out.append(EspeakVoice(
            identifier=(v.identifier or b"").decode("utf-8", "replace"),
            name=(v.name or b"").decode("utf-8", "replace"),
            languages=tuple(langs),
        ))
        i += 1
    return out


def synthesise(text: str, voice: str | None, rate_wpm: int, pitch: int, volume: float) -> tuple[bytes, int]:
    """Speak `text` into int16 mono PCM; returns (pcm, sample_rate_hz)."""
    lib = _initialise()
    if voice is not None and lib.espeak_SetVoiceByName(voice.encode("utf-8")) != _EE_OK:
        raise EngineError(f"espeak-ng has no voice {voice!r}")
    lib.espeak_SetParameter(_PARAM_RATE, int(rate_wpm), 0)
    lib.espeak_SetParameter(_PARAM_PITCH, int(pitch), 0)
    lib.espeak_SetParameter(_PARAM_VOLUME, int(round(volume * 100)), 0)
    data = text.encode("utf-8")
    _buffer.clear()
    err = lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
    if err != _EE_OK:
        raise EngineError(f"espeak-ng synthesis failed (error {err})")
    lib.espeak_Synchronize()
    pcm = b"".join(_buffer)
    _buffer.clear()
    return pcm, _sample_rate_hz
