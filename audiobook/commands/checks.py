"""Argument checks the commands run before any work, so a mistake costs a second, not a build."""

from __future__ import annotations

import functools
import os
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

from ..errors import UsageError
from ..voice import VoiceProfile


@functools.cache  # every command's --cache-dir help shows it, computed as the CLI starts
def cache_default() -> str:
    """How `--cache-dir` is chosen when not given, for help texts."""
    from ..cache_dir import ENV_VAR

    try:
        import platformdirs

        folder = platformdirs.user_cache_dir("audiobook", appauthor=False)
        home = str(Path.home())
        folder = "~" + folder[len(home):] if folder.startswith(home + os.sep) else folder
    except ImportError:
        folder = "the user cache folder"
    return f"${ENV_VAR}, else {folder}"


def invocation() -> str:
    """How the user ran audiobook, so a printed command can be pasted as it is."""
    argv0 = sys.argv[0] if sys.argv else ""
    if Path(argv0).name == "audiobook":
        on_path = shutil.which("audiobook")
        same = on_path is not None and Path(on_path).resolve() == Path(argv0).resolve()
        return "audiobook" if same else shlex.quote(argv0)
    # `python -m audiobook`, or a test runner: the venv's script beside this interpreter.
    script = Path(sys.executable).with_name("audiobook")
    if not script.is_file():
        return f"{shlex.quote(sys.executable)} -m audiobook"
    try:
        return shlex.quote(str(script.relative_to(Path.cwd())))
    except ValueError:
        return shlex.quote(str(script))


def _nearest_existing(path: Path) -> Path:
    """The path itself or the closest ancestor that exists (what a mkdir -p would create in)."""
    current = path.absolute()
    while not current.exists() and current != current.parent:
        current = current.parent
    return current


def _probe_writable(folder: Path) -> str | None:
    """Why nothing can be created in folder, or None; tried for real, since root passes os.access."""
    try:
        with tempfile.TemporaryDirectory(prefix=".audiobook-probe-", dir=folder):
            return None
    except OSError as exc:
        return exc.strerror or str(exc)


def check_inputs(inputs: list[str]) -> None:
    """Every input exists (- is standard input); whether it can be read as articles the readers decide."""
    for item in inputs:
        if item != "-" and not Path(item).exists():
            raise UsageError(f"{item}: no such file or folder; give text, Markdown, HTML, EPUB or PDF files, folders, or - for standard input")


def check_output_folder(path: Path, flag: str = "-o") -> None:
    """path is a folder that exists or can be created, and can be written in; else a UsageError saying what to do."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{flag} {path}: is a file, not a folder; give a folder (it is created if missing)")
    base = _nearest_existing(path)
    if not base.is_dir():
        raise UsageError(f"{flag} {path}: {base} is a file, not a folder; give a folder you can write to")
    why = _probe_writable(base)
    if why is not None:
        raise UsageError(f"{flag} {path}: cannot create files in {base} ({why}); give a folder you can write to")


def check_output_file(path: Path, flag: str = "-o") -> None:
    """path can be written as a file: not a folder, in a folder that exists and can be written in."""
    if path.is_dir():
        raise UsageError(f"{flag} {path}: is a folder; give a file name such as {path / 'say.wav'}")
    parent = path.absolute().parent
    if not parent.is_dir():
        raise UsageError(f"{flag} {path}: folder {parent} does not exist; create it or write elsewhere")
    why = _probe_writable(parent)
    if why is not None:
        raise UsageError(f"{flag} {path}: cannot write in {parent} ({why}); give a path you can write to")


def check_base_url(url: str | None) -> str | None:
    """The URL without its trailing slash, or None; a UsageError that shows the address to give instead."""
    if url is None:
        return None
    from ..publish.config import check_base_url as check

    try:
        return check(url)
    except UsageError:
        example = url.strip() if "://" not in url else url.split("://", 1)[1]
        raise UsageError(
            f"--base-url {url!r} is not an absolute http(s) URL: give the full address, e.g. https://{example or 'example.org/audio'}"
        ) from None


def check_publish_config(output: Path) -> None:
    """A malformed OUTPUT/audiobook.toml fails now rather than after the build."""
    from ..publish.config import load_config

    if output.is_dir():
        load_config(output)


def resolve_cluster(cluster: str | None, cluster_cache: Path | None, output: Path) -> tuple[str | None, Path | None]:
    """The Dask scheduler's address and shared cache folder: the flags, else [build] in OUTPUT/audiobook.toml.

    Only the address's form is checked here; whether a scheduler answers there the build
    finds out before it writes anything (audiobook.synthesise.cluster).
    """
    from ..publish.config import load_build_config

    config = load_build_config(output) if output.is_dir() else None
    if cluster is None and config is not None:
        cluster = config.cluster
    if cluster_cache is None and config is not None and config.cluster_cache:
        cluster_cache = Path(config.cluster_cache)
    if cluster is not None and (not cluster.strip() or any(c.isspace() for c in cluster.strip())):
        raise UsageError(f"--cluster {cluster!r} is not an address: give the Dask scheduler's, e.g. tcp://10.0.0.5:8786")
    if cluster_cache is not None and cluster is None:
        raise UsageError("--cluster-cache is the workers' shared cache folder: give --cluster ADDRESS too")
    return (cluster.strip() if cluster else None), cluster_cache


def check_voice(voice: str | Path, *, check_voices: bool = True) -> VoiceProfile:
    """The voice profile, with its lexicons read and validated (ConfigError otherwise)."""
    from ..synthesise.voices import load_profile

    profile = load_profile(voice, check_voices=check_voices)
    if profile.lexicons:
        from ..normalise.lexicon import load_lexicon  # the normaliser's imports cost; most profiles have none

        for lexicon in profile.lexicons:
            load_lexicon(lexicon)
    return profile


def check_rules(rules: Path | None) -> None:
    """A rules file that exists and parses (ConfigError otherwise)."""
    if rules is None:
        return
    if not rules.is_file():
        raise UsageError(f"--rules {rules}: no such file; give a rules TOML file (see audiobook/data/rules/default.toml)")
    from ..ingest.rules import load_rules

    load_rules(rules)


def check_date(date: str | None) -> None:
    """A --date the readers understand (UsageError otherwise), checked before reading anything."""
    if date is None or not date.strip():
        return
    from ..ingest.meta import parse_date

    if parse_date(date) is None:
        raise UsageError(f"--date {date!r} is not a date (use 2017-03-23 or '23 March 2017')")


def check_cover(cover: Path | None) -> None:
    """The cover image exists as a file (whether it is a readable image the build checks next)."""
    if cover is not None and not cover.is_file():
        raise UsageError(f"--cover {cover}: no such image file; give a JPEG or PNG, or leave --cover out to generate one")


def check_language(language: str | None) -> str | None:
    """`--language` as a tidy tag ("en-US"), or None when not given; unknown codes list the known ones."""
    if language is None:
        return None
    from ..language import check_language as checked

    return checked(language)
