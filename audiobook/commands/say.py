"""The `say` command: speak a piece of text with a voice profile, to preview a voice or a pronunciation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..synthesise.voices import voice_for_language
from ..voice import DEFAULT_PROFILE
from . import checks


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
    from ..pipeline import say_text, spoken_text, text_language

    tag = text_language(text, profile, tag)
    chosen = voice_for_language(profile, tag)
    if chosen.notice:
        typer.echo(f"audiobook: note: {chosen.notice}", err=True)
    spoken = spoken_text(text, profile, tag)
    if show_text:
        typer.echo(spoken)
    seconds = say_text(spoken, profile, output, cache_dir, chosen.voice)
    typer.echo(f"wrote {output} ({seconds:.1f} s, voice {profile.name})", err=show_text)
