"""Voice profiles: which engine and voice speaks, how fast, and where it pauses."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError
from .language import KNOWN
from .language import base_code as language_base


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
class Estimate:
    """How fast finished audio goes through the text, for `plan`'s listening times.

    Measured on built editions, not taken from rate_wpm: the engine's real pace
    differs from its nominal rate, and the profile's pauses add to it. Each shipped
    profile says in a comment how its number was measured.
    """

    words_per_minute: int | None = None  # words of text per minute of built audio, pauses included


@dataclass(frozen=True)
class Encoding:
    """MP3 output settings (see assemble for why these defaults)."""

    sample_rate_hz: int = 22050
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
    estimate: Estimate = field(default_factory=Estimate)
    lexicons: tuple[Path, ...] = ()  # absolute paths, resolved at load time
    source: Path | None = None  # the TOML file it came from
    # [voices]: the engine voice for articles in other languages, as (language code, voice id).
    voices: tuple[tuple[str, str], ...] = ()

    @property
    def listening_wpm(self) -> int:
        """Words a minute for estimates: the calibrated pace, else (an uncalibrated profile) rate_wpm."""
        return self.estimate.words_per_minute or self.rate_wpm

    def engine_params(self) -> dict[str, object]:
        """What changes the sound of a clip: part of the sentence cache key."""
        return {
            "engine": self.engine,
            "voice": self.voice,
            "rate_wpm": self.rate_wpm,
            "pitch": self.pitch,
            "volume": self.volume,
        }

    def voice_named_for(self, language: str) -> str | None:
        """The voice [voices] names for `language` ("fr", "fr-CA": its primary subtag), or None."""
        base = language_base(language)
        return next((voice for code, voice in self.voices if code == base), None)


# --- loading profiles from TOML -------------------------------------------------

# Profiles shipped with the package (a copy of the repo's voices/, checked identical
# by a test) so `--voice NAME` works from a non-editable install too.
PACKAGE_VOICES = Path(__file__).parent / "data" / "voices"
REPO_VOICES = Path(__file__).parent.parent / "voices"
DEFAULT_PROFILE = "default"

# Key → (accepted types, description for errors, (min, max) or None).
_Spec = tuple[tuple[type, ...], str, "tuple[float, float] | None"]
_TOP: dict[str, _Spec] = {
    "engine": ((str,), "a string", None),
    "voice": ((str,), "a string", None),
    "language": ((str,), "a string", None),
    "rate_wpm": ((int,), "a whole number of words per minute", (80, 450)),
    "pitch": ((int,), "a whole number", (0, 100)),
    "volume": ((int, float), "a number", (0.0, 1.0)),
    "lexicons": ((list,), "a list of file paths", None),
}
_PAUSE_RANGE = (0, 60_000)
_TABLES: dict[str, tuple[type, dict[str, _Spec]]] = {
    "pauses": (Pauses, {k: ((int,), "a whole number of milliseconds", _PAUSE_RANGE) for k in (
        "sentence_ms", "paragraph_ms", "section_ms", "article_ms")}),
    "headings": (Headings, {
        "announce": ((bool,), "true or false", None),
        "pause_ms": ((int,), "a whole number of milliseconds", _PAUSE_RANGE),
        "voice": ((str,), "a string", None),
    }),
    "encoding": (Encoding, {
        "sample_rate_hz": ((int,), "a whole number", (8000, 48000)),
        "bitrate_kbps": ((int,), "a whole number", (16, 320)),
        "loudness_lufs": ((int, float), "a number", (-40.0, -5.0)),
        "true_peak_db": ((int, float), "a number", (-9.0, 0.0)),
    }),
    "estimate": (Estimate, {
        "words_per_minute": ((int,), "a whole number of words per minute", (40, 600)),
    }),
}


def profile_dirs() -> list[Path]:
    """Where `--voice NAME` looks, first match wins: the repo's voices/, then the package copy."""
    return [d for d in (REPO_VOICES, PACKAGE_VOICES) if d.is_dir()]


def profile_names() -> list[str]:
    """Every profile name `--voice` accepts: TOML files in the voice folders with an `engine` key.

    (voices/ also holds lexicons, which are TOML files too.)
    """
    names: set[str] = set()
    for folder in profile_dirs():
        for path in folder.glob("*.toml"):
            try:
                if "engine" in tomllib.loads(path.read_text(encoding="utf-8")):
                    names.add(path.stem)
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
    return sorted(names)


def find_profile(name_or_path: str | Path) -> Path:
    """The TOML file for a profile name or path; ConfigError listing the names otherwise."""
    text = str(name_or_path)
    as_path = Path(text).expanduser()
    looks_like_path = isinstance(name_or_path, Path) or text.endswith(".toml") or "/" in text or "\\" in text
    if looks_like_path:
        if as_path.is_file():
            return as_path
        raise ConfigError(f"voice profile {text} not found")
    for folder in profile_dirs():
        candidate = folder / f"{text}.toml"
        if candidate.is_file():
            return candidate
    names = ", ".join(profile_names()) or "none installed"
    raise ConfigError(f"unknown voice profile {text!r}: choose one of {names}, or give a .toml path")


def read_profile(name_or_path: str | Path = DEFAULT_PROFILE) -> VoiceProfile:
    """Read a voice profile (a name in voices/ or a path to a TOML file) and check its keys.

    Unknown keys, wrong types and out-of-range numbers are ConfigErrors that say what is
    valid. Whether its engine and voices exist is the engines' to say
    (audiobook.synthesise.voices.load_profile reads and checks both).
    """
    path = find_profile(name_or_path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read voice profile: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    return profile_from_dict(data, name=path.stem, source=path)


def _check(where: str, key: str, value: object, spec: _Spec) -> None:
    types, described, bounds = spec
    # bool is an int in Python, but `rate_wpm = true` is a mistake, not 1 wpm.
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        raise ConfigError(f"{where}{key} must be {described}, not {value!r}")
    if bounds is not None and not bounds[0] <= value <= bounds[1]:  # type: ignore[operator]
        raise ConfigError(f"{where}{key} must be between {bounds[0]:g} and {bounds[1]:g}, not {value!r}")


def _unknown(where: str, data: dict[str, object], valid: list[str]) -> None:
    extra = sorted(set(data) - set(valid))
    if extra:
        raise ConfigError(f"{where}unknown key {', '.join(extra)}: valid keys are {', '.join(valid)}")


def profile_from_dict(data: dict[str, object], *, name: str, source: Path | None = None) -> VoiceProfile:
    """Build a VoiceProfile from parsed TOML, validating every key (see read_profile)."""
    where = f"{source}: " if source else ""
    _unknown(where, data, [*_TOP, *_TABLES, "voices"])
    for key, spec in _TOP.items():
        if key in data:
            _check(where, key, data[key], spec)
    if "engine" not in data:
        raise ConfigError(f"{where}engine is required")
    kwargs: dict[str, object] = {k: v for k, v in data.items() if k in _TOP and k != "lexicons"}
    if "volume" in kwargs:
        kwargs["volume"] = float(kwargs["volume"])  # type: ignore[arg-type]
    for table, (cls, specs) in _TABLES.items():
        if table not in data:
            continue
        sub = data[table]
        if not isinstance(sub, dict):
            raise ConfigError(f"{where}{table} must be a table ([{table}])")
        _unknown(f"{where}[{table}] ", sub, list(specs))
        for key, value in sub.items():
            _check(f"{where}[{table}] ", key, value, specs[key])
        kwargs[table] = cls(**sub)
    kwargs["lexicons"] = _lexicons(where, data.get("lexicons", []), source)
    kwargs["voices"] = _voices(where, data.get("voices", {}))
    return VoiceProfile(name=name, source=source, **kwargs)  # type: ignore[arg-type]


def _lexicons(where: str, raw: object, source: Path | None) -> tuple[Path, ...]:
    assert isinstance(raw, list)
    base = source.parent if source else Path.cwd()
    out: list[Path] = []
    for item in raw:
        if not isinstance(item, str):
            raise ConfigError(f"{where}lexicons must be a list of file paths, not {item!r}")
        path = (base / Path(item).expanduser()).resolve()
        if not path.is_file():
            raise ConfigError(f"{where}lexicon {item} not found (looked for {path})")
        out.append(path)
    return tuple(out)


def _voices(where: str, raw: object) -> tuple[tuple[str, str], ...]:
    """[voices] as (language code, voice id) pairs; its keys are languages `--language` knows."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}voices must be a table ([voices], e.g. fr = \"roa/fr\")")
    out = []
    for code, voice in raw.items():
        if language_base(code) not in KNOWN or language_base(code) != code.lower():
            raise ConfigError(f"{where}[voices] {code}: not a language code; valid: {', '.join(KNOWN)}")
        if not isinstance(voice, str):
            raise ConfigError(f"{where}[voices] {code} must be a string (a voice id), not {voice!r}")
        out.append((code.lower(), voice))
    return tuple(out)
