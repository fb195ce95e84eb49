"""The build pipeline, the one place the stages meet: ingest → normalise → synthesise → assemble → tag → publish."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import struct
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock, Timeout

from . import __version__
from .assemble import (
    ChunkSpec,
    FrameRun,
    StitchItem,
    Workshop,
    concatenate_mp3,
    encode_silence,
)
from .atomic import write_bytes, write_text
from .cover import COVER_PX, generate_cover, prepare_cover
from .formats import DEFAULT_FORMATS, FORMATS, EditionPackage
from .errors import AudiobookError, InputError, LockError, ToolError
from .events import EventSink, Notice, Progress, StageFinished, StageStarted, ignore
from .gateway import find_tool, resume_tools, stop_tools
from .ingest.legibility import summary as unreadable_summary
from .ingest.summary import describe_not_read, group_not_read
from .manifest import ArticleEntry, Cue, FileEntry, Manifest, SectionEntry
from .model import Article, Edition
from .script import SENTENCE, ArticleScript, Normaliser, script_article
from . import plan_cache
from .plan_cache import plan_key
from .slug import slugify, unique_slugs
from .tag import TAG_FORMAT, Chapter, ChapterGroup, Tags, clean, render_id3, tile_chapters, write_tagged
from .language import with_language
from .voice import DEFAULT_PROFILE, VoiceProfile, language_notices, load_profile, voice_for_language

if TYPE_CHECKING:
    from .synthesise import Clip, SynthesisStats

# Per-edition work folders (encoded chunks and articles, reused by rebuilds) live in the cache,
# under this folder, not in the published tree: a publisher uploads output/ as it is.
WORK_ROOT = "builds"
OLD_WORK_DIR = ".build"  # where earlier versions kept it, inside the edition folder
LOCK_NAME = ".audiobook.lock"
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


# --- the stages other engineers own, reached through their public functions ---


def load_voice(name: str | Path) -> VoiceProfile:
    """The named voice profile (audiobook.voice.load_profile)."""
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
) -> list[Clip]:
    """Clips for (spoken text, label, voice) triples, in order (audiobook.synthesise.synthesise)."""
    from .synthesise import ClipRequest, synthesise

    requests = [ClipRequest(text=t, label=label, voice=v) for t, label, v in texts]
    return synthesise(requests, profile, cache_dir=cache_dir, jobs=jobs, sink=sink, stats=stats)


def _publish(manifest: Manifest, edition_dir: Path, options: BuildOptions, sink: EventSink) -> Manifest:
    """Transcripts, chapters JSON and pages for the edition, then the site's feed and index."""
    from .publish import publish_edition, publish_site

    published = publish_edition(manifest, edition_dir)
    published.write(edition_dir).chmod(0o644)
    for notice in publish_site(options.output_dir, options.base_url):
        sink(Notice(notice))
    return published


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
    try:
        from .synthesise.cache import resolve_cache_dir

        return resolve_cache_dir(options.cache_dir) / "plans"
    except ImportError:
        return (options.cache_dir or Path.home() / ".cache" / "audiobook") / "plans"


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


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


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


def build(inputs: Sequence[Path | str], options: BuildOptions, sink: EventSink = ignore) -> Manifest:
    """Build the audio edition for the inputs under options.output_dir/<edition-slug>/.

    Ctrl-C raises Stopped: workers and tools are killed at once, every temp file is
    removed (atomic writes clean up on the way out), and what is finished (clips in
    the cache, encoded chunks in the work folder) is reused by the next build.
    """
    kept = _Kept()
    try:
        return _build(inputs, options, sink, kept)
    except KeyboardInterrupt:
        stop_tools()  # a tool a thread was still starting (the assembly pool kills its own)
        raise Stopped(kept.message()) from None
    finally:
        resume_tools()


def _build(inputs: Sequence[Path | str], options: BuildOptions, sink: EventSink, kept: _Kept) -> Manifest:
    # Fail before minutes of synthesis, not after, when the encoder is missing.
    find_tool("ffmpeg")
    options = replace(options, formats=usable_formats(options.formats, sink))
    if options.cover is not None:
        prepare_cover(options.cover)  # a bad image fails now, not after minutes of synthesis
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
    edition_dir = options.output_dir / plan.slug
    edition_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(edition_dir / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise LockError(f"another build is writing {edition_dir}; wait for it to finish and run again") from None
    try:
        return _build_locked(plan, edition_dir, options, sink, kept)
    finally:
        lock.release()


def work_dir(edition_dir: Path, cache_dir: Path | None) -> Path:
    """The edition's work folder: in the cache, one per edition folder (its resolved path names it)."""
    from .synthesise.cache import resolve_cache_dir

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


def _build_locked(plan: BuildPlan, edition_dir: Path, options: BuildOptions, sink: EventSink, kept: _Kept) -> Manifest:
    profile = plan.profile
    work = work_dir(edition_dir, options.cache_dir)
    work.parent.mkdir(parents=True, exist_ok=True)
    _move_old_work(edition_dir, work)
    work.mkdir(exist_ok=True)
    outputs = _Outputs.load(work / "outputs.json")
    when = build_timestamp(options.build_date)

    # Synthesis: every speakable utterance of every article in one batch.
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
    clips = synthesise_clips(requests, profile, options.cache_dir, options.jobs, sink, kept.stats)

    # Assembly in chunks: stitch and meter, choose each article's one gain, encode, join.
    # Chunks run in parallel across articles; ffmpeg does the heavy lifting outside the GIL.
    shop = Workshop(work, profile.encoding)
    specs: list[list[ChunkSpec]] = []
    for k, pa in enumerate(plan.articles):
        art_clips = [None if i is None else clips[i] for i in where[k]]
        starts = chunk_starts(pa.script, [_clip_id(c) for c in art_clips], profile.pauses.paragraph_ms)
        specs.append(chunk_specs(art_clips, [u.pause_ms for u in pa.script.utterances], starts, profile))
    flat = [spec for group in specs for spec in group]
    workers = max(1, options.jobs or os.cpu_count() or 1)
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
    silence = work / f"silence-{_key(ASSEMBLY_VERSION, profile.pauses.article_ms, asdict(profile.encoding))}.mp3"
    if not silence.exists() and len(audios) > 1:
        encode_silence(silence, profile.pauses.article_ms, profile.encoding)
    sink(StageFinished("assemble"))

    # The work folder is in the cache, so a full output disk shows only now: check before the
    # first published file is replaced (and the edition withdrawn from the feed), not halfway.
    audio_bytes = sum(a.mp3.stat().st_size for a in audios)
    need = 2 * audio_bytes * (2 if any(n != "mp3" for n in options.formats) else 1)  # articles + edition (+ packages), generously

    def before_overwrite() -> None:
        check_space(edition_dir, need)
        _withdraw(edition_dir, options, sink)

    outputs.before_overwrite = before_overwrite

    # Cover.
    sink(StageStarted("tag", total=len(plan.articles) + 1))
    date_text = edition_date_text(plan.edition.issue_date)
    publication = shown_publication(plan)
    cover_entry, cover_bytes = _cover(
        edition_dir, outputs, options.cover, plan.title, publication, date_text, plan.edition.sources, sink
    )

    # Article files.
    issue_iso = plan.edition.issue_date.isoformat() if plan.edition.issue_date else None
    n_articles = len(plan.articles)
    entries: list[ArticleEntry] = []
    edition_runs: list[FrameRun] = []
    edition_offset_s = 0.0
    group_chapters: list[ChapterGroup] = []
    lyrics: list[str] = []
    for pa, audio in zip(plan.articles, audios, strict=True):
        art = pa.article
        duration_s = audio.run.duration_s
        duration_ms = round(duration_s * 1000)
        # Each section starts where its first utterance starts; the rest tiles.
        starts_ms: list[int] = []
        k = 0
        cues: list[Cue] = []
        for sec in pa.script.sections:
            starts_ms.append(round(audio.spans_s[k][0] * 1000) if sec.utterances else (starts_ms[-1] if starts_ms else 0))
            for u in sec.utterances:
                start, end = audio.spans_s[k]
                cues.append(Cue(_s(start), _s(min(end, audio.run.duration_s)), u.text))
                k += 1
        titles = [s.title for s in pa.script.sections]
        chapters = tile_chapters(starts_ms, titles, duration_ms)
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
            chapters=tuple(chapters),
        )
        file_entry = _write_if_changed(
            edition_dir, pa.file_name, outputs, _key(TAG_FORMAT, audio.key, repr(tags)), _tag_writer(audio.mp3, tags)
        )
        sink(Progress("tag", pa.number, n_articles + 1))
        # The same article inside the edition file: offset by everything before it.
        gap_s = 0.0
        if pa.number < n_articles:
            gap_s = shop.frames(silence).duration_s
        art_end_s = edition_offset_s + duration_s + gap_s
        sections: list[SectionEntry] = []
        ed_chapters: list[Chapter] = []
        for i, ch in enumerate(chapters):
            ed_start = edition_offset_s + ch.start_ms / 1000
            ed_end = art_end_s if i == len(chapters) - 1 else edition_offset_s + ch.end_ms / 1000
            sections.append(SectionEntry(ch.element_id, ch.title, _s(ch.start_ms / 1000), _s(ch.end_ms / 1000), _s(ed_start), _s(ed_end)))
            label = art.title if ch.title == art.title else f"{art.title} — {ch.title}"
            ed_chapters.append(Chapter(f"a{pa.number}c{i}", label, round(ed_start * 1000), round(ed_end * 1000)))
        group_chapters.append(ChapterGroup(f"a{pa.number}", art.title, tuple(ed_chapters)))
        edition_offset_s = art_end_s
        edition_runs.append(audio.run)
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
                duration_s=_s(duration_s),
                file=file_entry,
                sections=tuple(sections),
                cues=tuple(cues),
            )
        )

    # The whole edition: the articles' frames joined with silence, no second encode.
    parts: list[Path] = []
    for i, audio in enumerate(audios):
        parts.append(audio.mp3)
        if i < len(audios) - 1:
            parts.append(silence)
    edition_name = f"{plan.slug}.mp3"
    joined = work / "edition.mp3"
    edition_key = _key([a.key for a in audios], silence.name)
    if not (joined.exists() and outputs.entries.get("_joined", {}).get("key") == edition_key):
        concatenate_mp3(parts, joined)
        outputs.entries["_joined"] = {"key": edition_key}
    total_s = sum(shop.frames(p).duration_s for p in parts)
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
    package = EditionPackage(joined, edition_tags, profile.encoding, narrator=narrator(profile))
    package_key = _key(TAG_FORMAT, edition_key, repr(edition_tags))
    edition_entry = _write_if_changed(edition_dir, edition_name, outputs, package_key, lambda p: FORMATS["mp3"].write(package, p))
    sink(Progress("tag", n_articles + 1, n_articles + 1))
    sink(StageFinished("tag"))
    packages: dict[str, FileEntry] = {}
    if any(name != "mp3" for name in options.formats):
        sink(StageStarted("package"))
        if "epub" in options.formats:
            # The text with media overlays on the articles' MP3s, keyed by what goes in.
            book, book_key = _epub_members(plan, entries, edition_dir, cover_bytes, when)
            package = replace(package, book=tuple(book))
            package_key = _key(package_key, book_key)
        for name in options.formats:
            if name != "mp3":
                fmt = FORMATS[name]
                packages[name] = _write_if_changed(
                    edition_dir, f"{plan.slug}{fmt.extension}", outputs, _key(name, package_key, package.narrator),
                    lambda p: fmt.write(package, p),
                )
        sink(StageFinished("package"))

    playlist_name = f"{plan.slug}.m3u8"
    playlist = playlist_text(entries, publication)
    playlist_entry = _write_if_changed(edition_dir, playlist_name, outputs, _key(playlist), lambda p: write_text(p, playlist))

    manifest = Manifest(
        slug=plan.slug,
        title=plan.title,
        publication=publication,
        issue_date=issue_iso,
        language=edition_tags.language,
        build_date=when.isoformat().replace("+00:00", "Z"),
        tool_version=__version__,
        voice=profile_data(profile),
        duration_s=_s(total_s),
        edition_file=edition_entry,
        playlist=playlist_entry,
        cover=cover_entry,
        articles=tuple(entries),
        provenance=dict(plan.provenance),
        packages=packages,
    )
    manifest.write(edition_dir).chmod(0o644)
    shop.used.update({silence.name, "edition.mp3", "outputs.json"})
    shop.clean()  # before the manifest is published: stale pieces never outlive a finished build
    _remove_stale(edition_dir, plan, outputs, {f"{plan.slug}{FORMATS[n].extension}" for n in packages})
    outputs.save()
    if options.publish:
        sink(StageStarted("publish"))
        manifest = _publish(manifest, edition_dir, options, sink)
        sink(StageFinished("publish"))
    return manifest


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
    book: bytes | None = None
    if given is not None:
        try:
            source = given.read_bytes()
        except OSError:
            source = b""  # prepare_cover reports the problem in one line
        key = _key("file", hashlib.sha256(source).hexdigest())
    else:
        try:
            from .ingest.epub import edition_cover  # the EPUB reader's extra may be absent
        except ImportError:
            book = None
        else:
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


def _tag_writer(audio: Path, tags: Tags) -> Callable[[Path], None]:
    return lambda dest: write_tagged(audio, dest, tags)


def playlist_text(entries: Sequence[ArticleEntry], publication: str | None) -> str:
    """An extended M3U playlist of the article files, relative paths, in reading order."""
    lines = ["#EXTM3U"]
    for e in entries:
        who = ", ".join(e.authors) or publication or ""
        label = f"{who} - {e.title}" if who else e.title
        # No control characters: `cat` of a playlist would run a title's terminal escapes.
        lines.append(f"#EXTINF:{round(e.duration_s)},{' '.join(clean(label).split())}")
        lines.append(e.file.path)
    return "\n".join(lines) + "\n"


def _write_if_changed(
    folder: Path, name: str, outputs: _Outputs, key: str, write: Callable[[Path], None]
) -> FileEntry:
    """Write an output unless the previous build wrote the same thing and it is intact."""
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
    entry = FileEntry(name, path.stat().st_size, sha256_file(path))
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
