"""The `voices` command: each engine, whether it works here (or why not), and its voices."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..synthesise.engine import ENGINES, get_engine
from ..synthesise.voices import load_profile
from ..voice import profile_names


def voices(
    engine: Annotated[Optional[str], typer.Option("--engine", metavar="ENGINE", help=f"Only this engine ({', '.join(ENGINES)}).", show_default="every engine")] = None,  # noqa: UP007
    language: Annotated[Optional[str], typer.Option("--language", metavar="CODE", help="Only voices for this language code, e.g. en or en-gb.", show_default="every language")] = None,  # noqa: UP007
) -> None:
    """List the speech engines, whether each is available here (or why not), their voices, and the voice profiles."""
    names = list(ENGINES)
    if engine is not None:
        if engine not in ENGINES:
            raise UsageError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
        names = [engine]
    for name in names:
        eng = get_engine(name)
        ok, why = eng.available()
        if not ok:
            typer.echo(f"{name}: not available here: {why}")
            continue
        found = eng.list_voices()
        if language is not None:
            want = language.lower()
            found = [v for v in found if any(lang.lower() == want or lang.lower().startswith(want + "-") for lang in v.languages)]
        typer.echo(f"{name}: available ({eng.version()}), {len(found)} voice{'' if len(found) == 1 else 's'} — {eng.description}")
        for v in found:
            langs = f"  [{', '.join(v.languages)}]" if v.languages else ""
            typer.echo(f"  {v.id:<28} {v.name}{langs}")
    if engine is None:
        typer.echo("profiles (--voice NAME):")
        for prof in profile_names():
            p = load_profile(prof, check_voices=False)
            typer.echo(f"  {prof:<28} engine {p.engine}, voice {p.voice or 'default'}, {p.rate_wpm} wpm  ({p.source})")
