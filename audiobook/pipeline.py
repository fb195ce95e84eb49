"""The build pipeline, the one place the stages meet: plan → synthesise → assemble → tag and package → record and publish."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import shutil
import struct
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock, Timeout

from . import __version__
from .atomic import write_bytes, write_link, write_text
from .formats import DEFAULT_FORMATS, FORMATS, EditionPackage
from .errors import AudiobookError, InputError, LockError, ToolError
from .events import Event, EventSink, Notice, Progress, StageFinished, StageStarted, ignore
from .gateway import find_tool, resume_tools, stop_tools
from .limits import default_jobs
from .manifest import EDITION_LOCK_NAME, MANIFEST_NAME, ArticleEntry, Cue, FileEntry, Manifest, SectionEntry, read_manifest, sha256_file
from .model import Article, Edition
from .script import SENTENCE, ArticleScript, Normaliser, script_article
from . import plan_cache
from .plan_cache import plan_key
from .slug import slugify, unique_slugs
from .language import with_language
from .synthesise.voices import language_notices, load_profile, voice_for_language
from .voice import DEFAULT_PROFILE, VoiceProfile

if TYPE_CHECKING:
    from .assemble import ArticleAudio, ChunkSpec, FrameRun, Workshop
    from .synthesise import Clip, SynthesisStats
    from .synthesise.executor import Executor
    from .tag import Chapter, ChapterGroup, Tags

# The stages import what they use (assembly's pydub, tagging's mutagen, the cover's
# Pillow, synthesis): an unchanged rebuild runs none of them, and those imports
# were a third of its 0.3 s.

# Per-edition work folders (encoded chunks and articles, reused by rebuilds) live in the cache,
# under this folder, not in the published tree: a publisher uploads output/ as it is.
WORK_ROOT = "builds"
OLD_WORK_DIR = ".build"  # where earlier versions kept it, inside the edition folder
LOCK_NAME = EDITION_LOCK_NAME
COVER_NAME = "cover.jpg"
# Bump when anything that shapes encoded audio changes, so stale caches are not reused.
ASSEMBLY_VERSION = 3
DEFAULT_VOICE = DEFAULT_PROFILE  # pyttsx3, the system voice: the same default as `say`


@dataclass(frozen=True)
class BuildOptions:
    output_dir: Path = Path("output")
    voice: str | Path = DEFAULT_VOICE
    title: str | None = None
    publication: str | None = None
    date: str | None = None
    cover: Path | None = None
    jobs: int | None = None
    cache_dir: Path | None = None
    base_url: str | None = None
    rules: Path | None = None
    build_date: dt.datetime | None = None  # else SOURCE_DATE_EPOCH, else now
    publish: bool = True
    # Packages of the whole edition (audiobook.formats.FORMATS). The MP3s are always built:
    # the page, the feed and the other packages (the EPUB carries them) are made from them.
    formats: tuple[str, ...] = DEFAULT_FORMATS
    language: str | None = None  # --language: every article's, over what the documents say or detection finds
    # With publish: also rewrite the site's feed and index after the edition. A batch turns it off
    # and writes them once at its end: rescanning every edition after each one is quadratic. (An
    # edition whose files change still leaves the feed at once either way: see _withdraw.)
    site: bool = True
    # --cluster: a Dask scheduler's address; the sentences are synthesised on its workers
    # (audiobook.synthesise.cluster). The output is the same bytes as a local build's.
    cluster: str | None = None
    cluster_cache: Path | None = None  # a clip cache every worker sees at the same path; else each its own


@dataclass(frozen=True)
class PlannedArticle:
    number: int
    article: Article
    script: ArticleScript
    slug: str
    file_name: str


@dataclass(frozen=True)
class BuildPlan:
    """Everything decided before any audio exists (pure given the inputs)."""

    edition: Edition
    provenance: dict[str, str]
    profile: VoiceProfile
    slug: str
    title: str
    articles: tuple[PlannedArticle, ...]


@dataclass
class _Outputs:
    """What the previous build wrote, so unchanged files are not rewritten."""

    path: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Called once, just before the first published file is overwritten (see _withdraw).
    before_overwrite: Callable[[], None] | None = None

    @classmethod
    def load(cls, path: Path) -> _Outputs:
        try:
            return cls(path, json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return cls(path, {})

    def save(self) -> None:
        write_text(self.path, json.dumps(self.entries, indent=1, sort_keys=True) + "\n")


# --- the stages' public functions, as the pipeline calls them ---


def load_voice(name: str | Path) -> VoiceProfile:
    """The named voice profile (audiobook.synthesise.voices.load_profile)."""
    return load_profile(name)


def make_normaliser(profile: VoiceProfile, language: str) -> Normaliser:
    """Text as written → text as spoken, for one language with the profile's lexicons."""
    from .normalise import speak_text

    return lambda text: speak_text(text, language, profile.lexicons)


def synthesise_clips(
    texts: Sequence[tuple[str, str, str | None]],
    profile: VoiceProfile,
    cache_dir: Path | None,
    jobs: int | None,
    sink: EventSink,
    stats: SynthesisStats | None = None,
    executor: Executor | None = None,
) -> list[Clip]:
    """Clips for (spoken text, label, voice) triples, in order (audiobook.synthesise.synthesise)."""
    from .synthesise import ClipRequest, synthesise

    requests = [ClipRequest(text=t, label=label, voice=v) for t, label, v in texts]
    return synthesise(requests, profile, cache_dir=cache_dir, jobs=jobs, sink=sink, stats=stats, executor=executor)


@contextmanager
def opened_executor(options: BuildOptions, given: Executor | None = None) -> Iterator[Executor]:
    """Where this build's clips are made: `given` (left open), else the local pool, or the cluster (reached and checked now, before anything is written)."""
    if given is not None:
        yield given
        return
    from .synthesise.executor import open_executor

    executor = open_executor(options.cluster, options.jobs, options.cluster_cache)
    try:
        yield executor
    finally:
        executor.close()


def _withdraw(edition_dir: Path, options: BuildOptions, sink: EventSink) -> None:
    """Take the edition out of the feed before its published files change.

    The feed lists each file with its length and the manifest its sha256; a
    build that replaced an article and then died would leave both describing
    a file that is no longer there. Without a manifest the edition is left out
    of the feed until this build (or the next) writes the new one.
    """
    from .manifest import MANIFEST_NAME

    manifest = edition_dir / MANIFEST_NAME
    if not manifest.exists():
        return
    manifest.unlink()
    sink(Notice(f"{edition_dir.name} is out of the feed while its files change"))
    if options.publish:
        from .publish import publish_site

        publish_site(options.output_dir, options.base_url)


# --- planning ---------------------------------------------------------------


def edition_date_text(date: dt.date | None) -> str | None:
    return f"{date.day} {date.strftime('%B %Y')}" if date else None


def list_unspeakable(edition: Edition, profile: VoiceProfile) -> Edition:
    """Add to `not_read` what the normaliser must drop (emoji, stray symbols): nothing vanishes unlisted."""
    from .normalise import with_unspeakable

    # The same function as `plan`, so both list the same.
    return with_unspeakable(edition, profile.lexicons, profile.language)


def plan_build(
    edition: Edition, provenance: dict[str, str], profile: VoiceProfile, scripts: Sequence[ArticleScript] | None = None
) -> BuildPlan:
    """Scripts, slugs and file names for an edition whose metadata is resolved (pure)."""
    title = edition.title or (edition.articles[0].title if edition.articles else "Audio edition")
    slug = slugify(title, fallback="edition")
    slugs = unique_slugs((a.title for a in edition.articles), fallback="article")
    width = max(2, len(str(len(edition.articles))))
    planned = []
    for i, (article, aslug) in enumerate(zip(edition.articles, slugs, strict=True), start=1):
        if scripts is not None:
            script = scripts[i - 1]
        else:
            language = article.language or profile.language
            voice = voice_for_language(profile, language).voice
            script = script_article(article, profile, make_normaliser(profile, language), voice)
        planned.append(PlannedArticle(i, article, script, aslug, f"{i:0{width}d}-{aslug}.mp3"))
    return BuildPlan(edition, provenance, profile, slug, title, tuple(planned))


def plan_cache_dir(options: BuildOptions) -> Path:
    """Plans are cached beside the clips (audiobook.synthesise's cache folder)."""
    from .cache_dir import resolve_cache_dir

    return resolve_cache_dir(options.cache_dir) / "plans"


def read_plan(inputs: Sequence[Path | str], options: BuildOptions) -> BuildPlan:
    """Read the inputs and decide everything about the edition before synthesis.

    Reading and normalising dominate an unchanged rebuild, so the result is
    cached under a key covering inputs, options, profile and code.
    """
    profile = load_voice(options.voice)
    rules = options.rules.read_bytes() if options.rules is not None and options.rules.is_file() else None
    key = plan_key(inputs, [rules, options.title, options.publication, options.date, options.language], profile)
    folder = plan_cache_dir(options)
    if key is not None:
        cached = plan_cache.load(folder, key)
        if isinstance(cached, tuple) and len(cached) == 3:
            edition, provenance, scripts = cached
            return plan_build(edition, provenance, profile, scripts)
    from .ingest import read_edition, resolve_edition_meta

    with plan_cache.language_memo(folder):
        edition = with_language(read_edition(inputs, options.rules), options.language)
    edition, provenance = resolve_edition_meta(edition, options.title, options.publication, options.date)
    edition = list_unspeakable(edition, profile)
    plan = plan_build(edition, provenance, profile)
    if key is not None:
        plan_cache.store(folder, key, (plan.edition, plan.provenance, tuple(pa.script for pa in plan.articles)))
    return plan


def check_space(folder: Path, need_bytes: int) -> None:
    """Fail in one line when the folder's file system cannot hold `need_bytes` more (nothing is changed yet)."""
    free = shutil.disk_usage(folder).free
    if free < need_bytes:
        raise AudiobookError(
            f"no space left on device for {folder}: the new files need about {need_bytes / 1e6:.0f} MB, "
            f"{free / 1e6:.1f} MB are free; the previous edition is kept"
        )


def usable_formats(names: Sequence[str], sink: EventSink) -> tuple[str, ...]:
    """The formats this machine can write; each one it cannot is one notice saying what to install."""
    usable = []
    for name in names:
        try:
            FORMATS[name].check()
        except ToolError as exc:
            sink(Notice(f"{name}: {exc}; the other formats are built"))
            continue
        usable.append(name)
    return tuple(usable)


def shown_publication(plan: BuildPlan) -> str | None:
    """The publication as artist, on the cover and page; None when it is only the fallback name (pure).

    `plan` shows the fallback "Audiobook" (marked fallback) so the user sees
    what was not found, but no publisher is called "Audiobook".
    """
    from .ingest.meta import FALLBACK_PUBLICATION

    publication = plan.edition.publication
    if plan.provenance.get("publication") == "fallback" or (
        publication == FALLBACK_PUBLICATION and plan.provenance.get("publication") != "flag"
    ):
        return None
    return publication


def check_tags(plan: BuildPlan) -> None:
    """Render every file's tags with the plan's chapters (times still zero) before any audio exists.

    A tag that cannot be written (too many chapters for a table of contents
    was one) must fail in a second, not after the whole synthesis.
    """
    from .tag import ChapterGroup, Tags, tile_chapters

    groups = []
    for pa in plan.articles:
        titles = [s.title for s in pa.script.sections]
        chapters = tuple(tile_chapters([0] * len(titles), titles, 0))
        article = Tags(title=pa.article.title, artists=pa.article.authors, album=plan.title, album_artist=None,
                       date=None, language=pa.article.language or plan.profile.language, chapters=chapters)  # fmt: skip
        _render(article, pa.file_name)
        ed = tuple(replace(c, element_id=f"a{pa.number}c{i}") for i, c in enumerate(chapters))
        groups.append(ChapterGroup(f"a{pa.number}", pa.article.title, ed))
    _render(Tags(title=plan.title, artists=(), album=plan.title, album_artist=None, date=None,
                 language=plan.profile.language, groups=tuple(groups)), f"{plan.slug}.mp3")  # fmt: skip


def _render(tags: Tags, name: str) -> None:
    from .tag import render_id3

    try:
        render_id3(tags)
    except (ValueError, struct.error) as exc:
        raise InputError(f"{name}: its ID3 tag cannot be written ({exc}); nothing was synthesised") from exc


# --- helpers ------------------------------------------------------------------


def build_timestamp(given: dt.datetime | None = None) -> dt.datetime:
    """The build date: given, else SOURCE_DATE_EPOCH (reproducible builds), else now; UTC."""
    if given is not None:
        return given.astimezone(dt.timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        except (ValueError, OverflowError) as exc:
            raise AudiobookError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time in seconds") from exc
    return dt.datetime.now(tz=dt.timezone.utc).replace(microsecond=0)


def _key(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:32]


def profile_data(profile: VoiceProfile) -> dict[str, Any]:
    """The profile as plain JSON data, without machine-specific absolute paths."""
    data = asdict(profile)
    del data["estimate"]  # plan's calibration: nothing in the edition depends on it
    data["lexicons"] = [p.name for p in profile.lexicons]
    data["source"] = profile.source.name if profile.source else None
    return data


def transcript(script: ArticleScript, paragraph_ms: int) -> str:
    """The article's original wording as read, paragraphs separated by blank lines."""
    out: list[str] = []
    for u in script.utterances:
        out.append(u.text)
        out.append(" " if u.kind == SENTENCE and 0 < u.pause_ms < paragraph_ms else "\n\n")
    return "".join(out).strip() + "\n"


def _s(seconds: float) -> float:
    return round(seconds, 3)


# --- assembly -------------------------------------------------------------------

CHUNK_EVERY = 8  # a chunk holds about this many paragraphs (content-defined, see chunk_starts)


def _clip_id(clip: Any) -> Any:
    return None if clip is None else [clip.path.name, clip.n_samples, clip.sample_rate_hz]


def chunk_starts(script: ArticleScript, clip_ids: Sequence[Any], paragraph_ms: int) -> list[int]:
    """Utterance indices where a new encoding chunk starts (pure).

    Chunks start at a section, or at a paragraph whose own content hashes to
    0 mod CHUNK_EVERY: boundaries depend only on nearby content, so an edit
    changes its own chunk and leaves the others (and their MP3s) as they were.
    Every boundary follows at least a paragraph's pause, where the encoder's
    few milliseconds of padding are inaudible.
    """
    starts = [0]
    i = 0
    utterances = script.utterances
    for section in script.sections:
        if i > 0 and section.utterances:
            starts.append(i)
        for k in range(len(section.utterances)):
            j = i + k
            if k > 0 and utterances[j - 1].pause_ms >= paragraph_ms:
                digest = hashlib.sha256(json.dumps([utterances[j].spoken, clip_ids[j]]).encode()).digest()
                if digest[0] % CHUNK_EVERY == 0:
                    starts.append(j)
        i += len(section.utterances)
    return sorted(set(starts))


def chunk_specs(clips: Sequence[Any], pauses: Sequence[int], starts: Sequence[int], profile: VoiceProfile) -> list[ChunkSpec]:
    """The article's chunks, each keyed by exactly what goes into its audio."""
    from .assemble import ChunkSpec, StitchItem

    bounds = list(starts) + [len(clips)]
    specs = []
    for a, b in zip(bounds, bounds[1:]):
        ids = [[_clip_id(clips[i]), pauses[i]] for i in range(a, b)]
        key = _key(ASSEMBLY_VERSION, ids, asdict(profile.encoding))
        items = tuple(StitchItem(None if clips[i] is None else clips[i].path, pauses[i]) for i in range(a, b))
        est_s = sum((c.n_samples / c.sample_rate_hz if c is not None and c.sample_rate_hz else 0.0) for c in clips[a:b])
        specs.append(ChunkSpec(key, items, est_s + sum(pauses[a:b]) / 1000))
    return specs


# --- the build ------------------------------------------------------------------


class Stopped(BaseException):
    """The build was interrupted (Ctrl-C); the message says what a rerun will reuse.

    A BaseException like KeyboardInterrupt, so no `except Exception` takes it for a
    failure, but not a KeyboardInterrupt, which typer turns into a silent exit 130.
    """


@dataclass
class _Kept:
    """How far synthesis got, for the one line a stopped build prints."""

    stats: SynthesisStats | None = None  # set when synthesis starts

    def message(self) -> str:
        if self.stats is None or not self.stats.requests:
            return "stopped before any clip was made; run the same command again to start"
        n, m = self.stats.ready, self.stats.requests
        return f"stopped; run the same command again to resume: {n} of {m} clip{'' if m == 1 else 's'} {'is' if n == 1 else 'are'} kept"


def build(
    inputs: Sequence[Path | str], options: BuildOptions, sink: EventSink = ignore, executor: Executor | None = None
) -> Manifest:
    """Build the audio edition for the inputs under options.output_dir/<edition-slug>/.

    `executor` makes the clips when given (a caller building many editions keeps one
    cluster connection for all of them); else one is opened from options.cluster and closed.

    Ctrl-C raises Stopped: workers and tools are killed at once, every temp file is
    removed (atomic writes clean up on the way out), and what is finished (clips in
    the cache, encoded chunks in the work folder) is reused by the next build.
    """
    kept = _Kept()
    try:
        return _build(inputs, options, sink, kept, executor)
    except KeyboardInterrupt:
        stop_tools()  # a tool a thread was still starting (the assembly pool kills its own)
        raise Stopped(kept.message()) from None
    finally:
        resume_tools()


def work_dir(edition_dir: Path, cache_dir: Path | None) -> Path:
    """The edition's work folder: in the cache, one per edition folder (its resolved path names it)."""
    from .cache_dir import resolve_cache_dir

    resolved = edition_dir.resolve()
    key = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:16]
    return resolve_cache_dir(cache_dir) / WORK_ROOT / f"{key}-{resolved.name}"


def _move_old_work(edition_dir: Path, work: Path) -> None:
    """Take an earlier version's .build folder out of the published tree, keeping its pieces when it can."""
    old = edition_dir / OLD_WORK_DIR
    if not old.is_dir():
        return
    if not work.exists():
        try:
            old.rename(work)  # same file system: the pieces are reused
            return
        except OSError:
            pass  # another file system: not worth copying gigabytes; the build redoes them
    shutil.rmtree(old, ignore_errors=True)


def _build(
    inputs: Sequence[Path | str], options: BuildOptions, sink: EventSink, kept: _Kept, given: Executor | None = None
) -> Manifest:
    """The stages, in order: each takes what the ones before it made and returns a frozen value.

    The same request again, with every file it wrote untouched, is answered
    from its record before any of them runs.
    """
    key = request_key(inputs, options)
    finished = find_finished(key, options)
    if finished is not None:
        with locked_edition(finished.manifest.parent):  # not while another build changes them
            if finished.intact():
                for notice in finished.notices:
                    sink(Notice(notice))
                return read_manifest(finished.manifest)
    said: list[str] = []  # the planning's notices, said again when nothing changed
    options = check_build(options, _noting(sink, said))
    # Opened before anything is written: a wrong cluster address leaves no trace.
    with opened_executor(options, given) as executor:
        plan = plan_edition(inputs, options, _noting(sink, said))
        with locked_edition(options.output_dir / plan.slug) as edition_dir:
            folder = open_work_folder(edition_dir, plan.profile, options)
            synthesised = synthesise_edition(plan, options, sink, kept, executor)
            assembled = assemble_edition(plan, synthesised, folder, options, sink)
            tagged = tag_files(plan, assembled, folder, options, sink)
            packages = package_formats(plan, tagged, folder, options, sink)
            manifest = record_edition(plan, assembled, tagged, packages, folder, options)
            if options.publish:
                manifest = publish_edition(manifest, edition_dir, options, sink)
            record_finished(key, folder, options, said)
            return manifest


def _noting(sink: EventSink, said: list[str]) -> EventSink:
    """The sink, keeping the text of each notice that passes in `said`."""

    def noting(event: Event) -> None:
        if isinstance(event, Notice):
            said.append(event.message)
        sink(event)

    return noting


# --- the stages' values -----------------------------------------------------------


@dataclass(frozen=True)
class WorkFolder:
    """The edition's folder, its work folder in the cache, and the records of what earlier builds made there."""

    edition_dir: Path
    path: Path
    outputs: _Outputs  # the published files' keys, updated as files are written
    shop: Workshop  # the encoded pieces, and which of them this build uses


@dataclass(frozen=True)
class Synthesised:
    """Each article's clips, one per utterance in script order (None where nothing is spoken)."""

    clips: tuple[tuple[Clip | None, ...], ...]


@dataclass(frozen=True)
class Assembled:
    """Each article's encoded audio, and the silence between articles in the edition file."""

    audios: tuple[ArticleAudio, ...]
    silence: Path  # encoded only when the edition has more than one article


@dataclass(frozen=True)
class ArticleLayout:
    """Where an article's sections and sentences fall, in its own file and in the edition's (pure data)."""

    cues: tuple[Cue, ...]
    chapters: tuple[Chapter, ...]  # in the article file
    sections: tuple[SectionEntry, ...]
    group: ChapterGroup  # its chapters in the edition file
    end_s: float  # where the next article starts in the edition file


@dataclass(frozen=True)
class Tagged:
    """The published, tagged MP3s (articles and edition) and the cover, with what the packages are made from."""

    cover: FileEntry
    cover_jpeg: bytes
    publication: str | None
    articles: tuple[ArticleEntry, ...]
    edition: FileEntry
    duration_s: float
    package: EditionPackage  # the edition's audio, tags and chapters, for every other format
    package_key: str


# --- the stages ---------------------------------------------------------------------


def check_build(options: BuildOptions, sink: EventSink) -> BuildOptions:
    """The options as this build runs them: tools found, formats it can write, the build date fixed.

    A missing encoder or a bad cover image fails now, before minutes of synthesis.
    """
    find_tool("ffmpeg")
    options = replace(options, formats=usable_formats(options.formats, sink), build_date=build_timestamp(options.build_date))
    if options.cover is not None:
        from .cover import prepare_cover

        prepare_cover(options.cover)
    return options


def plan_edition(inputs: Sequence[Path | str], options: BuildOptions, sink: EventSink) -> BuildPlan:
    """Stage 1, plan: read the inputs, decide everything before any audio, and list what is not read."""
    from .ingest.legibility import summary as unreadable_summary
    from .ingest.summary import describe_not_read, group_not_read

    sink(StageStarted("read"))
    plan = read_plan(inputs, options)
    check_tags(plan)
    sink(StageFinished("read"))
    for notice in language_notices(plan.profile, (pa.article.language for pa in plan.articles)):
        sink(Notice(notice))
    # The list `plan` shows, grouped the same way (one line per kind and line range).
    for group in group_not_read(plan.edition.not_read):
        where, what = describe_not_read(group)
        sink(Notice(f"not read: {where}: {what}"))
    unreadable = unreadable_summary(plan.edition.not_read)
    if unreadable:
        sink(Notice(unreadable))
    return plan


@contextmanager
def locked_folder(folder: Path, lock_name: str, holder: str) -> Iterator[Path]:
    """The folder, made if needed, held by this `holder` ("build", "batch") alone; a second one is refused at once."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / lock_name))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise LockError(f"another {holder} is writing {folder}; wait for it to finish and run again") from None
    try:
        yield folder
    finally:
        lock.release()


def locked_edition(edition_dir: Path) -> AbstractContextManager[Path]:
    """The edition folder, made if needed, held by this build alone."""
    return locked_folder(edition_dir, LOCK_NAME, "build")


def open_work_folder(edition_dir: Path, profile: VoiceProfile, options: BuildOptions) -> WorkFolder:
    """The edition's work folder in the cache (an earlier version's .build moved there) and its records."""
    from .assemble import Workshop

    work = work_dir(edition_dir, options.cache_dir)
    work.parent.mkdir(parents=True, exist_ok=True)
    _move_old_work(edition_dir, work)
    work.mkdir(exist_ok=True)
    return WorkFolder(edition_dir, work, _Outputs.load(work / "outputs.json"), Workshop(work, profile.encoding))


def synthesise_edition(
    plan: BuildPlan, options: BuildOptions, sink: EventSink, kept: _Kept, executor: Executor | None = None
) -> Synthesised:
    """Stage 2, synthesise: every speakable utterance of every article, in one batch."""
    requests: list[tuple[str, str, str | None]] = []
    where: list[list[int | None]] = []
    for pa in plan.articles:
        idx: list[int | None] = []
        for s in pa.script.sections:
            for n, u in enumerate(s.utterances, start=1):
                if u.speakable:
                    idx.append(len(requests))
                    requests.append((u.spoken, f"article {pa.number}, section {s.title!r}, {u.kind} {n}", u.voice))
                else:
                    idx.append(None)
        where.append(idx)
    from .synthesise import SynthesisStats

    kept.stats = SynthesisStats()
    clips = synthesise_clips(requests, plan.profile, options.cache_dir, options.jobs, sink, kept.stats, executor)
    line = executor.summary() if executor is not None else None
    if line:
        sink(Notice(line))
    return Synthesised(tuple(tuple(None if i is None else clips[i] for i in idx) for idx in where))


def assemble_edition(
    plan: BuildPlan, synthesised: Synthesised, folder: WorkFolder, options: BuildOptions, sink: EventSink
) -> Assembled:
    """Stage 3, assemble: stitch and meter chunks, choose each article's one gain, encode, join.

    Chunks run in parallel across articles; ffmpeg does the heavy lifting outside the GIL.
    """
    from .assemble import encode_silence

    profile, shop = plan.profile, folder.shop
    specs: list[list[ChunkSpec]] = []
    for pa, art_clips in zip(plan.articles, synthesised.clips, strict=True):
        starts = chunk_starts(pa.script, [_clip_id(c) for c in art_clips], profile.pauses.paragraph_ms)
        specs.append(chunk_specs(art_clips, [u.pause_ms for u in pa.script.utterances], starts, profile))
    flat = [spec for group in specs for spec in group]
    workers = max(1, options.jobs or default_jobs())
    sink(StageStarted("assemble", total=len(flat)))
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        # Longest chunks first, and each article moves on to its gain and its
        # encodes as soon as its own chunks are metered: no core idles at a barrier.
        metering = {s.key: pool.submit(shop.meter, s) for s in sorted(flat, key=lambda s: -s.est_s)}
        gaining = []
        for group in specs:
            group_infos = [metering[s.key].result() for s in group]
            gaining.append((group_infos, pool.submit(shop.gain, group, group_infos)))
        encoding: dict[tuple[str, float], Future[Path]] = {}
        # Identical chunks (a repeated heading, a separator) share one encode; progress
        # counts chunks, as the stage's total does, so it ends at that total.
        uses: dict[Future[Path], int] = {}
        for group, (_, gain_future) in zip(specs, gaining):
            gain = gain_future.result()
            for spec in sorted(group, key=lambda s: -s.est_s):
                if (spec.key, gain) not in encoding:
                    encoding[(spec.key, gain)] = pool.submit(shop.chunk_mp3, spec, gain)
                future = encoding[(spec.key, gain)]
                uses[future] = uses.get(future, 0) + 1
        done = 0
        for future in as_completed(encoding.values()):
            future.result()
            done += uses[future]
            sink(Progress("assemble", done, len(flat)))
        audios = [shop.article(group, infos, gain.result()) for group, (infos, gain) in zip(specs, gaining)]
    except KeyboardInterrupt:
        # Kill the encoders the threads wait on and drop queued chunks; each thread's
        # atomic write then removes its temp file. `with pool` would instead finish
        # every queued chunk first (24 s measured under load, the bar frozen).
        stop_tools()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)
    silence = folder.path / f"silence-{_key(ASSEMBLY_VERSION, profile.pauses.article_ms, asdict(profile.encoding))}.mp3"
    if not silence.exists() and len(audios) > 1:
        encode_silence(silence, profile.pauses.article_ms, profile.encoding)
    sink(StageFinished("assemble"))
    return Assembled(tuple(audios), silence)


def guard_outputs(assembled: Assembled, folder: WorkFolder, options: BuildOptions, sink: EventSink) -> None:
    """Before the first published file is replaced: check the space, take the edition out of the feed.

    The work folder is in the cache, so a full output disk shows only now, not
    halfway through replacing the files.
    """
    audio_bytes = sum(a.mp3.stat().st_size for a in assembled.audios)
    need = 2 * audio_bytes * (2 if any(n != "mp3" for n in options.formats) else 1)  # articles + edition (+ packages), generously

    def before_overwrite() -> None:
        check_space(folder.edition_dir, need)
        _withdraw(folder.edition_dir, options, sink)
        from .check import CHECK_HTML, CHECK_JSON

        # A check report speaks of the files about to change: none is better than a stale one.
        for name in (CHECK_JSON, CHECK_HTML):
            (folder.edition_dir / name).unlink(missing_ok=True)

    folder.outputs.before_overwrite = before_overwrite


def lay_out_article(pa: PlannedArticle, audio: ArticleAudio, offset_s: float, gap_s: float) -> ArticleLayout:
    """Chapters and cues of an article from its utterances' times; its place in the edition file (pure).

    Each section starts where its first utterance starts; the chapters tile the file.
    """
    from .tag import Chapter, ChapterGroup, tile_chapters

    starts_ms: list[int] = []
    k = 0
    cues: list[Cue] = []
    for sec in pa.script.sections:
        starts_ms.append(round(audio.spans_s[k][0] * 1000) if sec.utterances else (starts_ms[-1] if starts_ms else 0))
        for u in sec.utterances:
            start, end = audio.spans_s[k]
            cues.append(Cue(_s(start), _s(min(end, audio.run.duration_s)), u.text, u.spoken))
            k += 1
    titles = [s.title for s in pa.script.sections]
    chapters = tile_chapters(starts_ms, titles, round(audio.run.duration_s * 1000))
    # The same article inside the edition file: offset by everything before it.
    end_s = offset_s + audio.run.duration_s + gap_s
    sections: list[SectionEntry] = []
    ed_chapters: list[Chapter] = []
    title = pa.article.title
    for i, ch in enumerate(chapters):
        ed_start = offset_s + ch.start_ms / 1000
        ed_end = end_s if i == len(chapters) - 1 else offset_s + ch.end_ms / 1000
        sections.append(SectionEntry(ch.element_id, ch.title, _s(ch.start_ms / 1000), _s(ch.end_ms / 1000), _s(ed_start), _s(ed_end)))
        label = title if ch.title == title else f"{title} — {ch.title}"
        ed_chapters.append(Chapter(f"a{pa.number}c{i}", label, round(ed_start * 1000), round(ed_end * 1000)))
    group = ChapterGroup(f"a{pa.number}", title, tuple(ed_chapters))
    return ArticleLayout(tuple(cues), tuple(chapters), tuple(sections), group, end_s)


def tag_files(plan: BuildPlan, assembled: Assembled, folder: WorkFolder, options: BuildOptions, sink: EventSink) -> Tagged:
    """Stage 4a, tag: the cover, each article's MP3 and the edition's MP3, tagged with their chapters."""
    from .assemble import concatenate_mp3, joined_run
    from .tag import TAG_FORMAT, Tags

    guard_outputs(assembled, folder, options, sink)
    profile, outputs, edition_dir = plan.profile, folder.outputs, folder.edition_dir
    sink(StageStarted("tag", total=len(plan.articles) + 1))
    date_text = edition_date_text(plan.edition.issue_date)
    publication = shown_publication(plan)
    cover_entry, cover_bytes = _cover(
        edition_dir, outputs, options.cover, plan.title, publication, date_text, plan.edition.sources, sink
    )
    issue_iso = plan.edition.issue_date.isoformat() if plan.edition.issue_date else None
    n_articles = len(plan.articles)
    entries: list[ArticleEntry] = []
    edition_offset_s = 0.0
    group_chapters: list[ChapterGroup] = []
    lyrics: list[str] = []
    for pa, audio in zip(plan.articles, assembled.audios, strict=True):
        art = pa.article
        gap_s = folder.shop.frames(assembled.silence).duration_s if pa.number < n_articles else 0.0
        layout = lay_out_article(pa, audio, edition_offset_s, gap_s)
        text = transcript(pa.script, profile.pauses.paragraph_ms)
        lyrics.append(text)
        art_date = art.issue_date.isoformat() if art.issue_date else issue_iso
        tags = Tags(
            title=art.title,
            artists=art.authors or ((publication,) if publication else ()),
            album=plan.title,
            album_artist=publication,
            date=art_date,
            language=art.language or profile.language,
            track=pa.number,
            track_total=n_articles,
            description=art.standfirst,
            lyrics=text,
            cover_jpeg=cover_bytes,
            chapters=layout.chapters,
        )
        file_entry = _write_if_changed(
            edition_dir, pa.file_name, outputs, _key(TAG_FORMAT, audio.key, repr(tags)), _tag_writer(audio.mp3, tags, audio.run)
        )
        sink(Progress("tag", pa.number, n_articles + 1))
        group_chapters.append(layout.group)
        edition_offset_s = layout.end_s
        entries.append(
            ArticleEntry(
                number=pa.number,
                slug=pa.slug,
                title=art.title,
                standfirst=art.standfirst,
                authors=art.authors,
                translators=art.translators,
                language=art.language or profile.language,
                issue_date=art_date,
                duration_s=_s(audio.run.duration_s),
                file=file_entry,
                sections=layout.sections,
                cues=layout.cues,
            )
        )

    # The whole edition: the articles' frames joined with silence, no second encode.
    parts: list[Path] = []
    for i, audio in enumerate(assembled.audios):
        parts.append(audio.mp3)
        if i < len(assembled.audios) - 1:
            parts.append(assembled.silence)
    joined = folder.path / "edition.mp3"
    edition_key = _key([a.key for a in assembled.audios], assembled.silence.name)
    # Every part's frames are known (the workshop's record): the join and the Xing frame need no scan.
    runs = [folder.shop.frames(p) for p in parts]
    if len(parts) == 1:
        joined.unlink(missing_ok=True)  # one article: its own frames are the edition's, no copy in the cache
        outputs.entries.pop("_joined", None)
        joined = parts[0]
    elif not (joined.exists() and outputs.entries.get("_joined", {}).get("key") == edition_key):
        concatenate_mp3(parts, joined, runs)
        outputs.entries["_joined"] = {"key": edition_key}
    total_s = sum(run.duration_s for run in runs)
    # Close the last chapter exactly at the file's end (rounding drift is < 1 ms per article).
    last = group_chapters[-1]
    fixed_last = replace(last.chapters[-1], end_ms=round(total_s * 1000))
    group_chapters[-1] = replace(last, chapters=last.chapters[:-1] + (fixed_last,))
    edition_tags = Tags(
        title=plan.title,
        artists=(publication,) if publication else (),
        album=plan.title,
        album_artist=publication,
        date=issue_iso,
        language=plan.articles[0].article.language if plan.articles else profile.language,
        description="; ".join(pa.article.title for pa in plan.articles),
        lyrics="\n\n".join(lyrics),
        cover_jpeg=cover_bytes,
        groups=tuple(group_chapters),
    )
    package = EditionPackage(joined, edition_tags, profile.encoding, narrator=narrator(profile), audio_run=runs[0] if len(runs) == 1 else joined_run(runs))
    package_key = _key(TAG_FORMAT, edition_key, repr(edition_tags))
    if n_articles == 1:
        # The edition is its one article (a book): one file under both names, not its audio twice.
        source = entries[0].file
        edition_entry = _write_if_changed(
            edition_dir, f"{plan.slug}.mp3", outputs, _key("link", source), functools.partial(write_link, edition_dir / source.path),
            known=source,
        )
    else:
        edition_entry = _write_if_changed(
            edition_dir, f"{plan.slug}.mp3", outputs, package_key, lambda p: FORMATS["mp3"].write(package, p)
        )
    sink(Progress("tag", n_articles + 1, n_articles + 1))
    sink(StageFinished("tag"))
    return Tagged(cover_entry, cover_bytes, publication, tuple(entries), edition_entry, total_s, package, package_key)


def package_formats(plan: BuildPlan, tagged: Tagged, folder: WorkFolder, options: BuildOptions, sink: EventSink) -> dict[str, FileEntry]:
    """Stage 4b, package: the edition in each format asked for besides MP3 (audiobook.formats)."""
    packages: dict[str, FileEntry] = {}
    if not any(name != "mp3" for name in options.formats):
        return packages
    sink(StageStarted("package"))
    package, package_key = tagged.package, tagged.package_key
    if "epub" in options.formats:
        # The text with media overlays on the articles' MP3s, keyed by what goes in.
        book, book_key = _epub_members(plan, tagged.articles, folder.edition_dir, tagged.cover_jpeg, build_timestamp(options.build_date))
        package = replace(package, book=tuple(book))
        package_key = _key(package_key, book_key)
    for name in options.formats:
        if name != "mp3":
            fmt = FORMATS[name]
            packages[name] = _write_if_changed(
                folder.edition_dir, f"{plan.slug}{fmt.extension}", folder.outputs, _key(name, package_key, package.narrator),
                functools.partial(fmt.write, package),
            )
    sink(StageFinished("package"))
    return packages


def record_edition(
    plan: BuildPlan, assembled: Assembled, tagged: Tagged, packages: dict[str, FileEntry], folder: WorkFolder, options: BuildOptions
) -> Manifest:
    """Stage 5a, record: the playlist and the manifest; what no longer belongs to the edition goes."""
    entries = tagged.articles
    playlist = playlist_text(entries, tagged.publication)
    playlist_entry = _write_if_changed(
        folder.edition_dir, f"{plan.slug}.m3u8", folder.outputs, _key(playlist), lambda p: write_text(p, playlist)
    )
    edition_tags = tagged.package.tags
    manifest = Manifest(
        slug=plan.slug,
        title=plan.title,
        publication=tagged.publication,
        issue_date=edition_tags.date,
        language=edition_tags.language,
        build_date=build_timestamp(options.build_date).isoformat().replace("+00:00", "Z"),
        tool_version=__version__,
        voice=profile_data(plan.profile),
        duration_s=_s(tagged.duration_s),
        edition_file=tagged.edition,
        playlist=playlist_entry,
        cover=tagged.cover,
        articles=entries,
        provenance=dict(plan.provenance),
        packages=packages,
    )
    manifest.write(folder.edition_dir).chmod(0o644)
    folder.shop.used.update({assembled.silence.name, "edition.mp3", "outputs.json"})
    folder.shop.clean()  # before the manifest is published: stale pieces never outlive a finished build
    _remove_stale(folder.edition_dir, plan, folder.outputs, {f"{plan.slug}{FORMATS[n].extension}" for n in packages})
    folder.outputs.save()
    return manifest


def publish_edition(manifest: Manifest, edition_dir: Path, options: BuildOptions, sink: EventSink) -> Manifest:
    """Stage 5b, publish: transcripts, chapters JSON and pages for the edition, then the site's feed and index."""
    from .publish import publish_edition as publish_pages, publish_site

    sink(StageStarted("publish"))
    published = publish_pages(manifest, edition_dir)
    published.write(edition_dir).chmod(0o644)
    if options.site:
        for notice in publish_site(options.output_dir, options.base_url):
            sink(Notice(notice))
    sink(StageFinished("publish"))
    return published


def _epub_members(
    plan: BuildPlan,
    entries: Sequence[ArticleEntry],
    edition_dir: Path,
    cover_jpeg: bytes,
    when: dt.datetime,
) -> tuple[list[tuple[str, bytes | Path]], str]:
    """The narrated EPUB's members (the text with media overlays on the articles' MP3s) and their key."""
    from .publish import epub3

    profile = plan.profile
    documents = []
    lines_not_read = epub3.assign([pa.article for pa in plan.articles], plan.edition.not_read)
    for pa, entry, not_read in zip(plan.articles, entries, lines_not_read, strict=True):
        stem = entry.file.path.removesuffix(".mp3")
        documents.append(epub3.document(stem, pa.article, pa.script, entry.cues, f"audio/{entry.file.path}", entry.language, not_read))
    authors = list(dict.fromkeys(a for pa in plan.articles for a in pa.article.authors))
    translators = list(dict.fromkeys(t for pa in plan.articles for t in pa.article.translators))
    languages = list(dict.fromkeys(e.language for e in entries)) or [profile.language]
    package = epub3.Package(
        identifier=epub3.identifier(plan.edition.publication, plan.slug),
        title=plan.title,
        publication=plan.edition.publication,
        authors=tuple(authors),
        translators=tuple(translators),
        languages=tuple(languages),
        issue_date=plan.edition.issue_date.isoformat() if plan.edition.issue_date else None,
        modified=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        narrator=narrator(profile),
        documents=tuple(documents),
    )
    audio = {edition_dir / e.file.path: e.file.sha256 for e in entries}
    files = epub3.members(package, cover_jpeg, list(audio))
    # Keyed by what goes in (the MP3s by their known sha256): an unchanged book is not zipped again.
    return files, _key([[n, audio[d] if isinstance(d, Path) else hashlib.sha256(d).hexdigest()] for n, d in files])


def _cover(
    folder: Path,
    outputs: _Outputs,
    given: Path | None,
    title: str,
    publication: str | None,
    date_text: str | None,
    sources: Sequence[str],
    sink: EventSink,
) -> tuple[FileEntry, bytes]:
    """cover.jpg from the user's image, else an EPUB's own cover, else generated; not redrawn when unchanged."""
    from .cover import COVER_PX, generate_cover, prepare_cover

    book: bytes | None = None
    if given is not None:
        try:
            source = given.read_bytes()
        except OSError:
            source = b""  # prepare_cover reports the problem in one line
        key = _key("file", hashlib.sha256(source).hexdigest())
    else:
        from .ingest.epub import edition_cover

        book = edition_cover(sources)  # a book's own artwork is what its readers know it by
        if book is not None:
            key = _key("book", hashlib.sha256(book).hexdigest(), COVER_PX)
        else:
            key = _key("generated", title, publication, date_text, COVER_PX)
    path = folder / COVER_NAME
    prev = outputs.entries.get(COVER_NAME)
    if prev and prev.get("key") == key and path.is_file() and path.stat().st_size == prev.get("size"):
        return FileEntry(COVER_NAME, prev["size"], prev["sha256"]), path.read_bytes()
    if given is not None:
        data = prepare_cover(given)
    elif book is not None:
        try:
            data = prepare_cover(book, pad=True)
        except InputError:
            sink(Notice("the book's cover image cannot be read; a cover was generated instead"))
            data = generate_cover(title, publication, date_text)
    else:
        data = generate_cover(title, publication, date_text)
    entry = _write_if_changed(folder, COVER_NAME, outputs, key, lambda p: write_bytes(p, data))
    return entry, data


def narrator(profile: VoiceProfile) -> str:
    """Who reads the edition, for the M4B's narrator tag and the EPUB's: the profile, its engine and voice."""
    voice = f"{profile.engine}, {profile.voice}" if profile.voice else profile.engine
    return f"synthetic voice {profile.name!r} ({voice})"


def _tag_writer(audio: Path, tags: Tags, run: FrameRun) -> Callable[[Path], None]:
    from .tag import write_tagged

    return lambda dest: write_tagged(audio, dest, tags, run)


def playlist_text(entries: Sequence[ArticleEntry], publication: str | None) -> str:
    """An extended M3U playlist of the article files, relative paths, in reading order."""
    from .tag import clean

    lines = ["#EXTM3U"]
    for e in entries:
        who = ", ".join(e.authors) or publication or ""
        label = f"{who} - {e.title}" if who else e.title
        # No control characters: `cat` of a playlist would run a title's terminal escapes.
        lines.append(f"#EXTINF:{round(e.duration_s)},{' '.join(clean(label).split())}")
        lines.append(e.file.path)
    return "\n".join(lines) + "\n"


def _write_if_changed(
    folder: Path, name: str, outputs: _Outputs, key: str, write: Callable[[Path], None], known: FileEntry | None = None
) -> FileEntry:
    """Write an output unless the previous build wrote the same thing and it is intact.

    `known`: the entry of the file `write` links to (its size and sha256), so it is not hashed again.
    """
    path = folder / name
    prev = outputs.entries.get(name)
    if prev and prev.get("key") == key and path.is_file() and path.stat().st_size == prev.get("size"):
        return FileEntry(name, prev["size"], prev["sha256"])
    if outputs.before_overwrite is not None and path.exists():
        outputs.before_overwrite()
        outputs.before_overwrite = None
    write(path)
    # Temp files are created private (0600); published files must be readable by a web server.
    path.chmod(0o644)
    entry = FileEntry(name, known.size_bytes, known.sha256) if known is not None else FileEntry(name, path.stat().st_size, sha256_file(path))
    outputs.entries[name] = {"key": key, "size": entry.size_bytes, "sha256": entry.sha256}
    return entry


def _remove_stale(edition_dir: Path, plan: BuildPlan, outputs: _Outputs, packages: set[str]) -> None:
    """Drop article MP3s and packages (an M4B no longer asked for) from earlier builds that this edition no longer has."""
    current = {pa.file_name for pa in plan.articles} | packages | {f"{plan.slug}.mp3"}
    extensions = tuple(fmt.extension for fmt in FORMATS.values())
    for name in list(outputs.entries):
        if name.endswith(extensions) and name not in current:
            (edition_dir / name).unlink(missing_ok=True)
            outputs.entries.pop(name, None)


# --- nothing changed: the previous build's outputs, found before any work ---------------


@dataclass(frozen=True)
class Finished:
    """A finished build, recorded so the same build again costs a few stats (plain data)."""

    manifest: Path
    notices: tuple[str, ...]  # what its planning said (not read, formats): said again
    files: dict[str, tuple[int, int]]  # every output file: size, modification time (ns)

    def intact(self) -> bool:
        """Every file the build wrote is still there as it left it (size and time), the manifest among them."""
        if str(self.manifest) not in self.files:
            return False
        for name, (size, mtime_ns) in self.files.items():
            try:
                st = os.stat(name)
            except OSError:
                return False
            if (st.st_size, st.st_mtime_ns) != (size, mtime_ns):
                return False
        return True


def request_key(inputs: Sequence[Path | str], options: BuildOptions) -> str | None:
    """A hash of everything a build's outputs are made from; None when that is not cheap to know (stdin, folders).

    The plan's key (inputs, code, voice profile and lexicons), request_parts, and
    where the outputs and the cache are (the record lists their files).
    """
    try:
        profile = load_profile(options.voice, check_voices=False)
    except AudiobookError:
        return None
    parts = request_parts(options)
    if parts is None:
        return None
    return plan_key(inputs, [*parts, options.output_dir.resolve(), options.cache_dir], profile)


def request_parts(options: BuildOptions) -> list[Any] | None:
    """Every option an edition's files are made from (given files by their hash); None when one cannot be read.

    All but the output and cache folders and the number of workers. The build
    date counts only when it is fixed (given, or SOURCE_DATE_EPOCH): an unchanged
    rebuild keeps its files and the date they were built.
    """
    files = []
    for given in (options.rules, options.cover):
        try:
            files.append(hashlib.sha256(given.read_bytes()).hexdigest() if given is not None else None)
        except OSError:
            return None
    fixed_date = options.build_date or os.environ.get("SOURCE_DATE_EPOCH", "").strip() or None
    return [ASSEMBLY_VERSION, files, options.title, options.publication, options.date, options.base_url, fixed_date,
            options.publish, options.formats, options.site, options.language]  # fmt: skip


def _record_path(key: str, cache_dir: Path | None) -> Path:
    from .cache_dir import resolve_cache_dir

    return resolve_cache_dir(cache_dir) / WORK_ROOT / f"done-{key}.json"


def _output_files(edition_dir: Path, output_dir: Path) -> dict[str, tuple[int, int]]:
    """The edition's files and the site's (index, feed, config) with their sizes and times; locks left out."""
    paths = [p for p in edition_dir.rglob("*")] + [p for p in output_dir.iterdir() if p.is_file()]
    files = {}
    for path in paths:
        if path.is_file() and not path.name.endswith(".lock"):
            st = path.stat()
            files[str(path.resolve())] = (st.st_size, st.st_mtime_ns)
    return files


def find_finished(key: str | None, options: BuildOptions) -> Finished | None:
    """The record of this very request's last build, if any (whether its files are intact is Finished.intact)."""
    if key is None:
        return None
    try:
        data = json.loads(_record_path(key, options.cache_dir).read_text(encoding="utf-8"))
        files = {k: (int(v[0]), int(v[1])) for k, v in data["files"].items()}
        return Finished(Path(data["manifest"]), tuple(str(n) for n in data["notices"]), files)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def record_finished(key: str | None, folder: WorkFolder, options: BuildOptions, notices: Sequence[str]) -> None:
    """Record the build for find_finished; the edition's previous record goes (one per edition folder)."""
    previous = folder.outputs.entries.pop("_finished", {}).get("name")
    if previous:
        (folder.path.parent / previous).unlink(missing_ok=True)
    if key is not None:
        path = _record_path(key, options.cache_dir)
        files = _output_files(folder.edition_dir, options.output_dir)
        data = {"manifest": str((folder.edition_dir / MANIFEST_NAME).resolve()), "notices": list(notices), "files": files}
        write_text(path, json.dumps(data, sort_keys=True) + "\n")
        folder.outputs.entries["_finished"] = {"name": path.name}
    folder.outputs.save()


# --- the other commands' pipelines: `plan` and `say` -----------------------------------


def plan_view(
    inputs: Sequence[Path | str],
    rules: Path | None = None,
    title: str | None = None,
    publication: str | None = None,
    date: str | None = None,
    voice: str | Path | None = None,
    spoken: bool = False,
    language: str | None = None,
    sink: EventSink = ignore,
) -> dict[str, Any]:
    """What `plan` shows: the edition read as `build` reads it, with times at the voice's pace (plain data).

    The profile is the one `build` would use (the default one unless `voice`), at
    its measured pace: a fixed 160 words a minute was 9% long on the sample and 16%
    on a 108,000-word book; the engines' nominal rate_wpm up to 7% (voices/*.toml
    [estimate]). With `spoken`, each section's text as the engine will get it.
    `language` (a checked tag) overrides every article's; with `voice`, the line `build`
    would print for an article whose language the voice lacks goes to `sink`.
    """
    from .ingest import read_edition, resolve_edition_meta
    from .ingest.summary import plan_data
    from .language import with_language
    from .normalise import speak_text, with_unspeakable

    edition = with_language(read_edition(inputs, rules=rules), language)
    edition, provenance = resolve_edition_meta(edition, title=title, publication=publication, date=date)
    profile = load_profile(voice or DEFAULT_PROFILE, check_voices=False)
    if voice is not None:
        for notice in language_notices(profile, (a.language or profile.language for a in edition.articles)):
            sink(Notice(notice))
    lexicons = profile.lexicons
    # What the normaliser must drop is listed as `build` lists it: the same function.
    edition = with_unspeakable(edition, lexicons, profile.language)
    speak: Callable[[str, str], str] | None = None
    if spoken:

        def speak(text: str, language: str) -> str:
            return speak_text(text, language, lexicons)

    return plan_data(edition, provenance, speak=speak, wpm=profile.listening_wpm)


def text_language(text: str, profile: VoiceProfile, language: str | None = None) -> str:
    """The language to speak TEXT in: `language` if given; else, like an article, the language
    the text is in when it is long enough to tell; else the profile's."""
    if language is not None:
        return language
    from .language import base_code, detect_language

    detected = detect_language(text)
    return detected if detected is not None and base_code(detected) != base_code(profile.language) else profile.language


def spoken_text(text: str, profile: VoiceProfile, language: str | None = None) -> str:
    """The text as the voice will get it (normalised in `language`, default the profile's, with its lexicons)."""
    return make_normaliser(profile, language or profile.language)(text)


def say_text(spoken: str, profile: VoiceProfile, output: Path, cache_dir: Path | None = None,
             voice: str | None = None) -> float:
    """Speak normalised text, sentence by sentence with the profile's pauses, into a .wav or .mp3; its seconds.

    `voice` is the engine voice for the text's language (voice.voice_for_language), default the profile's.
    """
    import tempfile
    import wave

    from .atomic import atomic_path
    from .gateway import run_ffmpeg
    from .ingest import split_sentences
    from .synthesise.cache import wav_bytes

    sentences = tuple(s for s in split_sentences(spoken) if s.strip()) or (spoken,)
    clips = synthesise_clips([(s, f"sentence {i + 1} of the text", voice) for i, s in enumerate(sentences)],
                             profile, cache_dir, None, ignore)
    rate = clips[0].sample_rate_hz
    gap = b"\x00\x00" * (rate * profile.pauses.sentence_ms // 1000)
    parts: list[bytes] = []
    for clip in clips:
        with wave.open(str(clip.path), "rb") as w:
            parts.append(w.readframes(w.getnframes()))
    data = wav_bytes(gap.join(parts), rate)
    with atomic_path(output) as tmp:
        if output.suffix.lower() == ".wav":
            tmp.write_bytes(data)
        else:
            with tempfile.TemporaryDirectory(prefix="audiobook-say-") as scratch:
                wav_in = Path(scratch) / "say.wav"
                wav_in.write_bytes(data)
                run_ffmpeg(["-i", str(wav_in), "-ac", "1", "-b:a", f"{profile.encoding.bitrate_kbps}k", "-f", "mp3", str(tmp)])
    return sum(c.n_samples for c in clips) / rate
