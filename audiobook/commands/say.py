"""The `say` command: speak a piece of text with a voice profile, to preview a voice or a pronunciation."""

from __future__ import annotations

import tempfile
import wave
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..atomic import atomic_path
from ..errors import UsageError
from ..events import ignore
from ..gateway import run_ffmpeg
from ..synthesise import ClipRequest, synthesise
from ..synthesise.cache import wav_bytes
from ..voice import DEFAULT_PROFILE, voice_for_language
from . import checks


def _sentences(text: str) -> tuple[str, ...]:
    from ..ingest import split_sentences

    return tuple(s for s in split_sentences(text) if s.strip()) or (text,)


def say(
    text: Annotated[str, typer.Argument(help="The text to speak (quote it).", metavar="TEXT", show_default=False)],
    voice: Annotated[str, typer.Option("--voice", metavar="NAME|FILE", help="Voice profile name (see `audiobook voices`) or a .toml path.")] = DEFAULT_PROFILE,
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE", help="Where to write the clip: .wav or .mp3.")] = Path("say.wav"),
    show_text: Annotated[bool, typer.Option("--show-text", help="Print exactly the text the engine gets (after normalisation).")] = False,
    cache_dir: Annotated[Optional[Path], typer.Option("--cache-dir", metavar="FOLDER", help="Sentence cache folder.", show_default=checks.cache_default())] = None,  # noqa: UP007
    language: Annotated[Optional[str], typer.Option("--language", metavar="CODE", help="The language of TEXT, e.g. fr or en-US: its numbers and its voice.", show_default="detected from TEXT (5 words or more), else the profile's")] = None,  # noqa: UP007
) -> None:
    """Speak TEXT with a voice profile into a WAV or MP3 file (default say.wav), to preview a voice or a word."""
    if not text.strip():
        raise UsageError("nothing to say: TEXT is empty")
    suffix = output.suffix.lower()
    if suffix not in (".wav", ".mp3"):
        raise UsageError(f"-o must end in .wav or .mp3, not {output.name!r}")
    checks.check_output_file(output)  # before synthesis, which is the slow part
    if cache_dir is not None:
        checks.check_output_folder(cache_dir, flag="--cache-dir")
    tag = checks.check_language(language)
    profile = checks.check_voice(voice)
    from ..normalise import speak_text

    if tag is None:
        # Like an article: the language TEXT is in, when it is long enough to tell; else the profile's.
        from ..language import base_code, detect_language

        detected = detect_language(text)
        foreign = detected is not None and base_code(detected) != base_code(profile.language)
        tag = detected if foreign and detected is not None else profile.language
    chosen = voice_for_language(profile, tag)
    if chosen.notice:
        typer.echo(f"audiobook: note: {chosen.notice}", err=True)
    spoken = speak_text(text, tag, profile.lexicons)
    if show_text:
        typer.echo(spoken)
    sentences = _sentences(spoken)
    requests = [ClipRequest(s, f"sentence {i + 1} of the text", chosen.voice) for i, s in enumerate(sentences)]
    clips = synthesise(requests, profile, cache_dir=cache_dir, jobs=None, sink=ignore)
    rate = clips[0].sample_rate_hz
    gap = b"\x00\x00" * (rate * profile.pauses.sentence_ms // 1000)
    parts: list[bytes] = []
    for clip in clips:
        with wave.open(str(clip.path), "rb") as w:
            parts.append(w.readframes(w.getnframes()))
    data = wav_bytes(gap.join(parts), rate)
    with atomic_path(output) as tmp:
        if suffix == ".wav":
            tmp.write_bytes(data)
        else:
            with tempfile.TemporaryDirectory(prefix="audiobook-say-") as scratch:
                wav_in = Path(scratch) / "say.wav"
                wav_in.write_bytes(data)
                run_ffmpeg(["-i", str(wav_in), "-ac", "1", "-b:a", f"{profile.encoding.bitrate_kbps}k", "-f", "mp3", str(tmp)])
    seconds = sum(c.n_samples for c in clips) / rate
    typer.echo(f"wrote {output} ({seconds:.1f} s, voice {profile.name})", err=show_text)
