"""A cache of build plans, so a rebuild of unchanged inputs skips reading and normalising them.

The key covers everything a plan is made from: the input files' bytes, the
options that shape it, the voice profile and its lexicons, and the source of
this package itself (any code change invalidates every plan). Plans are stored
as tagged JSON rebuilt only into the known dataclasses below, never pickle: the
cache folder is not trusted to hold code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from .atomic import write_text
from .model import Article, Edition, NotRead, Paragraph, Section
from .script import ArticleScript, ScriptSection, Utterance
from .voice import Encoding, Estimate, Headings, Pauses, VoiceProfile

PACKAGE = Path(__file__).resolve().parent
KEEP_PLANS = 16  # most recent plans kept per cache folder
LANGUAGES_NAME = "languages.json"  # detection's answers (audiobook.language), beside the plans
KEEP_ANSWERS = 4096  # about 50 bytes each
_CLASSES: dict[str, type] = {
    c.__name__: c
    for c in (Edition, Article, Section, Paragraph, NotRead, ArticleScript, ScriptSection, Utterance, VoiceProfile, Pauses, Headings, Encoding, Estimate)
}


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of every file in the package: the plan depends on all of ingest, normalise and script."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(PACKAGE)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def plan_key(inputs: Sequence[Path | str], options: Sequence[object], profile: VoiceProfile) -> str | None:
    """The cache key, or None when an input is not a plain file (stdin, folders: not cached)."""
    h = hashlib.sha256(code_fingerprint().encode())
    for given in inputs:
        path = Path(given)
        if str(given) == "-" or not path.is_file():
            return None
        h.update(str(given).encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(json.dumps([str(o) for o in options]).encode())
    h.update(json.dumps(to_data(profile), sort_keys=True).encode())
    for lexicon in profile.lexicons:
        try:
            h.update(lexicon.read_bytes())
        except OSError:
            return None
    return h.hexdigest()[:40]


def to_data(obj: Any) -> Any:
    """Tagged JSON data for the plan's dataclasses, tuples, dates and paths."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {"~": type(obj).__name__, **{f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj)}}
    if isinstance(obj, tuple):
        return {"~t": [to_data(x) for x in obj]}
    if isinstance(obj, list):
        return [to_data(x) for x in obj]
    if isinstance(obj, dict):
        return {"~m": [[k, to_data(v)] for k, v in obj.items()]}
    if isinstance(obj, dt.date):
        return {"~d": obj.isoformat()}
    if isinstance(obj, Path):
        return {"~p": str(obj)}
    return obj


def from_data(data: Any) -> Any:
    """The inverse of to_data; an unknown class name is a ValueError."""
    if isinstance(data, list):
        return [from_data(x) for x in data]
    if not isinstance(data, dict):
        return data
    if "~" in data:
        cls = _CLASSES.get(data["~"])
        if cls is None:
            raise ValueError(f"unknown class {data['~']!r} in plan cache")
        return cls(**{k: from_data(v) for k, v in data.items() if k != "~"})
    if "~t" in data:
        return tuple(from_data(x) for x in data["~t"])
    if "~m" in data:
        return {k: from_data(v) for k, v in data["~m"]}
    if "~d" in data:
        return dt.date.fromisoformat(data["~d"])
    if "~p" in data:
        return Path(data["~p"])
    raise ValueError("untagged object in plan cache")


def load(folder: Path, key: str) -> Any | None:
    """The cached value for a key, or None (missing or damaged entries are simply rebuilt)."""
    try:
        return from_data(json.loads((folder / f"{key}.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def store(folder: Path, key: str, value: Any) -> None:
    """Store a value atomically and keep only the most recent plans."""
    folder.mkdir(parents=True, exist_ok=True)
    write_text(folder / f"{key}.json", json.dumps(to_data(value), ensure_ascii=False, separators=(",", ":")))
    # Another build sharing the cache may be writing its plan (a ".<key>.json.<pid>-….part.json"
    # temp file) or replacing one: its temp file is not a plan, and a file gone meanwhile is no error.
    stamped = []
    for plan in folder.glob("*.json"):
        if plan.name.startswith(".") or plan.name == LANGUAGES_NAME:
            continue
        try:
            stamped.append((plan.stat().st_mtime_ns, plan))
        except FileNotFoundError:
            continue
    for _mtime, old in sorted(stamped, reverse=True)[KEEP_PLANS:]:
        old.unlink(missing_ok=True)


def _detector_fingerprint() -> str:
    """What detection's answers depend on: this package's code (its thresholds, KNOWN) and py3langid's model."""
    from importlib import metadata

    try:
        model = metadata.version("py3langid")
    except metadata.PackageNotFoundError:
        model = "unknown"
    return f"{code_fingerprint()}-{model}"


@contextmanager
def language_memo(folder: Path) -> Iterator[None]:
    """Within the block, detection answers from what it answered in earlier runs, and new answers are kept.

    A rebuild after an edit reads the inputs again, and detection's model
    takes about 0.4 s to load for articles whose opening has not changed:
    the answers are kept by a hash of the text sampled (audiobook.language).
    """
    from .language import remembered_answers

    answers = remembered_answers()
    path = folder / LANGUAGES_NAME
    fingerprint = _detector_fingerprint()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("fingerprint") == fingerprint:
            for key, code in data["answers"].items():
                answers.setdefault(str(key), None if code is None else str(code))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass  # missing or damaged: detection answers afresh
    before = dict(answers)
    yield
    if answers != before:
        kept = dict(list(answers.items())[-KEEP_ANSWERS:])
        folder.mkdir(parents=True, exist_ok=True)
        write_text(path, json.dumps({"fingerprint": fingerprint, "answers": kept}, sort_keys=True) + "\n")
