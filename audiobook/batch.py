"""Many editions in one run: sources expanded into editions, each built in turn into one site, resumably."""

from __future__ import annotations

import glob
import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import write_text
from .errors import AudiobookError, UsageError
from .events import BatchProgress, Event, EventSink, Notice, ignore
from .manifest import MANIFEST_NAME, read_manifest, sha256_file
from .pipeline import BuildOptions, build, locked_folder, opened_executor, read_plan, request_parts
from .synthesise.voices import load_profile
from .plan_cache import plan_key

if TYPE_CHECKING:
    from .synthesise.executor import Executor

# What the batch has finished in the site: edition key → folder and the sha256 of its edition.json.
# In the site, not the cache: it describes the site's files, and a resumed batch with another
# cache still skips what is done. Plain data without paths or times, so two sites built from the
# same sources hold the same bytes.
STATE_NAME = ".audiobook-batch.json"
BATCH_LOCK_NAME = ".audiobook-batch.lock"
LIST_SUFFIX = ".list"  # a file of sources, one a line, as `@FILE` is
GLOB_CHARS = frozenset("*?[")

BUILT, UNCHANGED, FAILED = "built", "unchanged", "failed"


@dataclass(frozen=True)
class EditionSource:
    """One edition to build: a file, or a folder whose files are its articles."""

    label: str  # how the summary names it: the path as given, found by a pattern or listed
    path: Path
    size_bytes: int  # its inputs' size: the ETA's measure of work


@dataclass(frozen=True)
class EditionResult:
    """What became of one edition: built, unchanged, or failed with a one-line reason."""

    source: str
    status: str
    folder: str = ""  # the edition's folder under the site, when it has one
    reason: str = ""


# --- sources into editions ------------------------------------------------------------


def expand_sources(sources: Sequence[str]) -> tuple[list[EditionSource], list[EditionResult]]:
    """The editions the sources name, each once, in the order given; and the listed ones that are missing.

    A file or a folder is one edition; a pattern (`texts/*.txt`, `**` for any depth)
    its matches, sorted; `@FILE` or a `.list` file one source a line (blank lines and
    `#` comments skipped, relative paths from the list's folder). A missing path or a
    pattern matching nothing on the command line is a UsageError (nothing is built);
    in a list it is one failed edition, so one stale line does not stop a catalogue.
    """
    editions: list[EditionSource] = []
    missing: list[EditionResult] = []
    seen: set[Path] = set()

    def add(path: Path, label: str) -> None:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            editions.append(EditionSource(label, path, _size(path)))

    for given in sources:
        if given.startswith("@") or (given.endswith(LIST_SUFFIX) and Path(given).is_file()):
            listing = Path(given.removeprefix("@"))
            for number, line in _list_lines(listing):
                path = Path(line) if Path(line).is_absolute() else listing.parent / line
                matches = _matches(str(path))
                if not matches:
                    missing.append(EditionResult(line, FAILED, reason=f"no such file or folder (line {number} of {listing})"))
                for match in matches:
                    add(match, str(match))
            continue
        matches = _matches(given)
        if not matches:
            what = "nothing matches the pattern" if _is_pattern(given) and not Path(given).exists() else "no such file or folder"
            raise UsageError(f"{given}: {what}; give files, folders, patterns or @LIST files")
        for match in matches:
            add(match, given if match == Path(given) else str(match))
    return editions, missing


def _is_pattern(text: str) -> bool:
    return any(c in GLOB_CHARS for c in text)


def _matches(given: str) -> list[Path]:
    """The path itself when it exists (a file may have `[` in its name), else the pattern's matches, sorted."""
    if Path(given).exists():
        return [Path(given)]
    if not _is_pattern(given):
        return []
    return [Path(m) for m in sorted(glob.glob(given, recursive=True))]


def _list_lines(listing: Path) -> Iterator[tuple[int, str]]:
    try:
        text = listing.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"@{listing}: cannot be read as a list of sources ({getattr(exc, 'strerror', None) or exc})") from None
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            yield number, line


def _size(path: Path) -> int:
    try:
        if path.is_dir():
            return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        return path.stat().st_size
    except OSError:
        return 0


def edition_files(source: EditionSource) -> list[Path]:
    """The files an edition is read from (a folder's visible files, sorted), for its key."""
    if not source.path.is_dir():
        return [source.path]
    return sorted(p for p in source.path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(source.path).parts))


def edition_key(source: EditionSource, options: BuildOptions) -> str | None:
    """A hash of everything the edition's files are made from: its inputs' names and bytes, code, voice, options.

    Not where the site or the cache are: the key is kept in the site itself. None
    when that cannot be known cheaply (an input unreadable): the edition is then built.
    """
    try:
        profile = load_profile(options.voice, check_voices=False)
    except AudiobookError:
        return None
    parts = request_parts(options)
    files = edition_files(source)
    if parts is None or not files:
        return None
    try:
        # A folder's key covers its files; its own name too, which the edition may be titled from.
        return plan_key(files, [*parts, str(source.path)], profile)
    except OSError:
        return None


# --- what is done -------------------------------------------------------------------------


@dataclass
class BatchState:
    """The editions the site holds finished, by key (STATE_NAME): what a rerun skips."""

    path: Path
    entries: dict[str, dict[str, str]]

    @classmethod
    def load(cls, site: Path) -> BatchState:
        path = site / STATE_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = {str(k): {"folder": str(v["folder"]), "manifest": str(v["manifest"])} for k, v in data["editions"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            entries = {}  # none yet, or damaged: every edition is looked at again (the build's own caches still hold)
        return cls(path, entries)

    def finished(self, key: str | None) -> str | None:
        """The edition's folder when this very edition is finished there, its files complete; else None."""
        entry = self.entries.get(key) if key is not None else None
        if entry is None:
            return None
        folder = self.path.parent / entry["folder"]
        manifest_path = folder / MANIFEST_NAME
        try:
            if sha256_file(manifest_path) != entry["manifest"]:
                return None
            manifest = read_manifest(manifest_path)
        except (OSError, ValueError, KeyError, TypeError, AudiobookError):
            return None
        listed = [manifest.edition_file, manifest.playlist, manifest.cover, *manifest.packages.values()]
        for article in manifest.articles:
            listed += [article.file, *article.extras.values()]
        for entry_file in listed:
            try:
                if (folder / entry_file.path).stat().st_size != entry_file.size_bytes:
                    return None
            except OSError:
                return None
        return entry["folder"]

    def record(self, key: str | None, folder: str) -> None:
        """The edition is finished in `folder`; an earlier edition recorded there was replaced by it."""
        for other in [k for k, v in self.entries.items() if v["folder"] == folder]:
            del self.entries[other]
        if key is not None:
            self.entries[key] = {"folder": folder, "manifest": sha256_file(self.path.parent / folder / MANIFEST_NAME)}

    def save(self) -> None:
        write_text(self.path, json.dumps({"editions": self.entries}, indent=1, sort_keys=True) + "\n")


def locked_site(site: Path) -> AbstractContextManager[Path]:
    """The site, held by this batch alone (each edition is also locked by its build)."""
    return locked_folder(site, BATCH_LOCK_NAME, "batch")


# --- the batch -----------------------------------------------------------------------------


def edition_options(options: BuildOptions, source: EditionSource) -> BuildOptions:
    """The one place each edition's BuildOptions are made from the batch's.

    The site's feed and index are left to the end of the batch (write_site); the cluster,
    if any, comes with the batch's options and is opened once by run_batch.
    """
    return replace(options, site=False)


def run_batch(
    editions: Sequence[EditionSource],
    options: BuildOptions,
    sink: EventSink = ignore,
    missing: Sequence[EditionResult] = (),
    results: list[EditionResult] | None = None,
) -> list[EditionResult]:
    """Build each edition into options.output_dir, then write the site's feed and index once.

    An edition that fails (bad input, a tool's error, even a bug) is one failed
    result and the batch moves on. One already finished with the same key is
    skipped after a hash and a few stats; the record of each is saved as it
    finishes, so a killed batch run again redoes only what was unfinished.
    Ctrl-C stops the batch; the site still gets its feed and index of what is built.
    `results`, when given, is filled as editions finish: what a stopped batch did.
    """
    from .gateway import find_tool

    find_tool("ffmpeg")  # missing, every edition would fail the same way: say it once
    site = options.output_dir
    results = [] if results is None else results
    results.extend(missing)
    total = len(editions)
    # One executor for every edition: a cluster is reached and checked once, before anything is written.
    with opened_executor(options) as executor, locked_site(site):
        state = BatchState.load(site)
        claimed: dict[str, str] = {}  # folder → the edition of this run that holds it
        bytes_done, bytes_left = 0, sum(e.size_bytes for e in editions)
        try:
            for number, source in enumerate(editions, start=1):
                sink(BatchProgress(number - 1, total, source.label, "", source.size_bytes, bytes_done, bytes_left))
                result = build_edition(source, options, state, claimed, _labelled(sink, source.label), executor)
                results.append(result)
                bytes_left -= source.size_bytes
                if result.status != UNCHANGED:
                    bytes_done += source.size_bytes
                sink(BatchProgress(number, total, source.label, result.status, source.size_bytes, bytes_done, bytes_left))
        finally:
            for notice in write_site(site, options.base_url):
                sink(Notice(notice))
    return results


def build_edition(
    source: EditionSource,
    options: BuildOptions,
    state: BatchState,
    claimed: dict[str, str],
    sink: EventSink,
    executor: Executor | None = None,
) -> EditionResult:
    """One edition of the batch: skipped when finished, else built; any failure is its result, not the batch's."""
    built_options = edition_options(options, source)
    try:
        key = edition_key(source, options)  # inside: a folder that cannot be listed is this edition's failure
        folder = state.finished(key)
        if folder is not None and claimed.get(folder, source.label) == source.label:
            claimed[folder] = source.label
            return EditionResult(source.label, UNCHANGED, folder)
        # Planned first (the build reuses the cached plan) for its folder: two editions
        # with one title would share a folder, the second replacing the first.
        folder = read_plan([source.path], built_options).slug
        if claimed.get(folder, source.label) != source.label:
            return EditionResult(source.label, FAILED, folder, f"its title gives the folder {folder}, which {claimed[folder]} has; give one of them another title")
        claimed[folder] = source.label
        manifest_path = options.output_dir / folder / MANIFEST_NAME
        before = sha256_file(manifest_path) if manifest_path.is_file() else None
        manifest = build([source.path], built_options, sink, executor)
        # Built again to the same bytes (another cache, no record yet): nothing in the site changed.
        after = sha256_file(options.output_dir / manifest.slug / MANIFEST_NAME)
        result = EditionResult(source.label, UNCHANGED if before == after else BUILT, manifest.slug)
        # The record is saved last: a Ctrl-C landing after it should find the result in the
        # summary, else the stop line would count one finished edition fewer than a rerun skips.
        state.record(key, manifest.slug)
        state.save()
        return result
    except AudiobookError as exc:
        return EditionResult(source.label, FAILED, "", _one_line(str(exc)))
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return EditionResult(source.label, FAILED, "", _one_line(f"{where}{exc.strerror or exc}"))
    except Exception as exc:  # a bug one input triggers must not stop a thousand others; it is reported
        return EditionResult(source.label, FAILED, "", _one_line(f"internal error, please report: {type(exc).__name__}: {exc}"))


def write_site(site: Path, base_url: str | None) -> list[str]:
    """The site's feed and index over every edition in it, once per batch; nothing when it holds none."""
    if not any(site.glob(f"*/{MANIFEST_NAME}")):
        return []
    from .publish import publish_site

    return publish_site(site, base_url)


def _labelled(sink: EventSink, label: str) -> EventSink:
    """The sink, with each notice saying which edition it is about."""

    def labelled(event: Event) -> None:
        sink(Notice(f"{label}: {event.message}") if isinstance(event, Notice) else event)

    return labelled


def _one_line(text: str) -> str:
    return " ".join(text.split())


def summary_lines(results: Sequence[EditionResult]) -> list[str]:
    """The summary table (edition, status, folder or reason) and a count line, as plain aligned text (pure)."""
    rows = [("EDITION", "STATUS", "FOLDER OR REASON")]
    rows += [(r.source, r.status, r.reason if r.status == FAILED else r.folder) for r in results]
    width = [max(len(row[i]) for row in rows) for i in range(2)]
    lines = [f"{a:<{width[0]}}  {b:<{width[1]}}  {c}".rstrip() for a, b, c in rows]
    counts = {s: sum(r.status == s for r in results) for s in (BUILT, UNCHANGED, FAILED)}
    n = len(results)
    lines.append(f"{n} edition{'' if n == 1 else 's'}: " + ", ".join(f"{c} {s}" for s, c in counts.items()))
    return lines
