"""The settings in output/audiobook.toml, overridden by flags: [publish] (the feed) and [build] (where clips are made)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError, UsageError

CONFIG_NAME = "audiobook.toml"
FEED_NAME = "feed.xml"  # beside the config, in the output folder


@dataclass(frozen=True)
class PublishConfig:
    """What the feed says about the show; None means "derive it from the editions"."""

    base_url: str | None = None
    title: str | None = None
    description: str | None = None
    author: str | None = None
    category: str = "News"  # an Apple category, "Parent/Child" for a subcategory
    explicit: bool = False
    language: str | None = None
    owner_email: str | None = None
    # Whole-edition episodes duplicate every article's audio in a subscriber's
    # download queue, so they are opt-in.
    edition_items: bool = False


_STR_KEYS = {"base_url", "title", "description", "author", "category", "language", "owner_email"}
_BOOL_KEYS = {"explicit", "edition_items"}


def check_base_url(url: str, where: str = "--base-url") -> str:
    """An absolute http(s) URL without a trailing slash, or a UsageError."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise UsageError(f"{where}: {url!r} is not an absolute http(s) URL")
    return url.strip().rstrip("/")


@dataclass(frozen=True)
class BuildConfig:
    """Where a build in this output folder makes its clips; None: here, in a local pool."""

    cluster: str | None = None  # a Dask scheduler's address, as --cluster takes it
    cluster_cache: str | None = None  # a clip cache folder every worker sees at the same path


def _read_table(output_dir: Path, name: str) -> tuple[Path, dict[str, Any]]:
    """The file's path and its [name] table (empty when the file or the table is missing)."""
    path = output_dir / CONFIG_NAME
    if not path.is_file():
        return path, {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from exc
    table: Any = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return path, table


def load_build_config(output_dir: Path) -> BuildConfig:
    """The [build] table of output/audiobook.toml; unknown keys and wrong types are errors."""
    path, table = _read_table(output_dir, "build")
    known = {f.name for f in fields(BuildConfig)}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown key build.{key} (known: {', '.join(sorted(known))})")
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{path}: build.{key} must be a non-empty string")
    return BuildConfig(**{k: v.strip() for k, v in table.items()})


def load_config(output_dir: Path) -> PublishConfig:
    """Read output/audiobook.toml if present; unknown keys and wrong types are errors."""
    path, table = _read_table(output_dir, "publish")
    known = {f.name for f in fields(PublishConfig)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown key publish.{key} (known: {', '.join(sorted(known))})")
        if key in _STR_KEYS and not isinstance(value, str):
            raise ConfigError(f"{path}: publish.{key} must be a string")
        if key in _BOOL_KEYS and not isinstance(value, bool):
            raise ConfigError(f"{path}: publish.{key} must be true or false")
        values[key] = value
    if values.get("base_url"):
        try:
            values["base_url"] = check_base_url(values["base_url"], f"{path}: publish.base_url")
        except UsageError as exc:
            raise ConfigError(str(exc)) from exc
    return PublishConfig(**values)


def with_base_url(config: PublishConfig, base_url: str | None) -> PublishConfig:
    """The flag wins over the file."""
    return replace(config, base_url=check_base_url(base_url)) if base_url else config
