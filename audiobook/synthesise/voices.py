"""Voice profiles checked against their engines, and the engine voice that reads each language."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..language import KNOWN
from ..language import base_code as language_base
from ..voice import DEFAULT_PROFILE, VoiceProfile, read_profile
from .engine import ENGINES, VoiceInfo, get_engine


def load_profile(name_or_path: str | Path = DEFAULT_PROFILE, *, check_voices: bool = True) -> VoiceProfile:
    """Read a voice profile (audiobook.voice.read_profile) and check it against its engine.

    An unknown engine, settings the engine cannot honour and (with `check_voices`, when the
    engine is installed) unknown voice ids are ConfigErrors that say what is valid.
    """
    profile = read_profile(name_or_path)
    check_profile(profile, check_voices=check_voices)
    return profile


def check_profile(profile: VoiceProfile, *, check_voices: bool = True) -> None:
    """ConfigError unless the profile's engine exists, accepts its settings and (with
    `check_voices`) has every voice it names."""
    where = f"{profile.source}: " if profile.source else ""
    if profile.engine not in ENGINES:
        raise ConfigError(f"{where}unknown engine {profile.engine!r}: valid engines are {', '.join(ENGINES)}")
    engine = get_engine(profile.engine)
    try:
        engine.validate(profile)
    except ConfigError as exc:
        raise ConfigError(f"{where}{exc}") from None
    if not check_voices:
        return
    ok, _why = engine.available()
    if not ok:
        return  # nothing to check against; synthesis says why the engine is missing
    voices = engine.list_voices()
    accepted = {v.id.lower() for v in voices} | {lang.lower() for v in voices for lang in v.languages if lang}
    named = [(f"[voices] {code}", voice) for code, voice in profile.voices]
    for key, value in (("voice", profile.voice), ("[headings] voice", profile.headings.voice), *named):
        if value is not None and value.lower() not in accepted:
            ids = [v.id for v in voices]
            close = difflib.get_close_matches(value.lower(), sorted(accepted), n=5, cutoff=0.5)
            hint = f"close matches: {', '.join(close)}; " if close else ""
            shown = ", ".join(ids[:12]) + (f" and {len(ids) - 12} more" if len(ids) > 12 else "")
            raise ConfigError(
                f"{where}{key} {value!r} is not one of {profile.engine}'s voices here ({hint}valid: {shown}; "
                f"run `audiobook voices` for the full list)"
            )


# --- a voice for each language ---------------------------------------------------


@dataclass(frozen=True)
class LanguageVoice:
    """The voice for text in one language: an engine voice id (None: the profile's own), and why not, if not."""

    voice: str | None
    notice: str | None = None  # one line when the engine has no voice for the language


def voice_for_language(profile: VoiceProfile, language: str) -> LanguageVoice:
    """The voice that reads `language`: the profile's [voices] entry, its own voice for its own
    language, else the engine's voice for the language, else (with a notice) another engine's
    ("espeak:roa/fr", audiobook.synthesise); failing all, the profile's voice with a notice
    (an English voice reading French is poor, silence would be worse)."""
    named = profile.voice_named_for(language)
    if named is not None:
        return LanguageVoice(named)
    base = language_base(language)
    if base == language_base(profile.language):
        return LanguageVoice(None)
    tag = language.replace("_", "-").lower()
    found = _engine_voice(profile.engine, tag)
    if found is not None:
        return LanguageVoice(found)
    name = KNOWN.get(base, language)
    # Another engine that has the language reads it (espeak-ng speaks every KNOWN language),
    # with a notice; only when there is none does the profile's own voice read it.
    for other in ("espeak", "pyttsx3"):
        borrowed = _engine_voice(other, tag) if other != profile.engine else None
        if borrowed is not None:
            return LanguageVoice(f"{other}:{borrowed}", f"{profile.engine} has no {name} voice here: {name} text is read "
                                                       f"by {other}'s {borrowed}")
    own = profile.voice or "its default voice"
    return LanguageVoice(None, f"{profile.engine} has no {name} voice here: {name} text is read with {own}")


@functools.lru_cache(maxsize=64)
def _engine_voice(engine_name: str, tag: str) -> str | None:
    """The engine's voice for a language tag ("fr", "fr-be"), or None (engine missing or no such voice)."""
    engine = get_engine(engine_name)
    if not engine.available()[0]:
        return None
    voices = engine.list_voices()
    base = tag.split("-")[0]

    def tags(info: VoiceInfo) -> list[str]:
        return [lang.replace("_", "-").lower() for lang in info.languages]

    choices = (
        # A region asked for: its own voice ("fr-be" → roa/fr-be).
        [v for v in voices if "-" in tag and tag in tags(v)]
        # espeak-ng names each language's main voice family/code ("roa/fr", "gmw/de").
        + [v for v in voices if v.id.lower().rsplit("/", 1)[-1] == base]
        + [v for v in voices if tags(v)[:1] == [base]]
        + [v for v in voices if base in tags(v) or any(t.startswith(base + "-") for t in tags(v))]
    )
    return choices[0].id if choices else None


def language_notices(profile: VoiceProfile, languages: Iterable[str]) -> list[str]:
    """One line for each language of the edition the profile's engine has no voice for."""
    notices = (voice_for_language(profile, language).notice for language in dict.fromkeys(languages))
    return list(dict.fromkeys(n for n in notices if n is not None))
