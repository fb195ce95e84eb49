"""Where the caches live (clips, plans, builds): --cache-dir, else $AUDIOBOOK_CACHE_DIR, else the user cache folder."""

from __future__ import annotations

import os
from pathlib import Path

# Apart from audiobook.synthesise.cache, whose package loads the engines and the worker pool
# (about 40 ms): an unchanged rebuild needs only this folder's name to find its record.
ENV_VAR = "AUDIOBOOK_CACHE_DIR"


def default_cache_dir() -> Path:
    """$AUDIOBOOK_CACHE_DIR, else the platform's user cache dir (e.g. ~/.cache/audiobook)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("audiobook", appauthor=False))


def resolve_cache_dir(cache_dir: Path | None) -> Path:
    """The cache folder to use: the one given, else the default."""
    return Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
