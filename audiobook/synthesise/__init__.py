"""The synthesise stage: sentences in, cached mono WAV clips out, in request order."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import EngineError, UsageError
from ..events import EventSink, Notice, Progress, StageFinished, StageStarted, ignore
from ..voice import VoiceProfile
from .cache import ClipCache, Entry, clip_key, resolve_cache_dir
from .engine import ENGINES, get_engine
from .executor import Executor, LocalExecutor
from .pool import Done, Job, PoolStats

__all__ = ["ClipRequest", "Clip", "SynthesisStats", "synthesise", "ENGINES"]

STAGE = "synthesise"
# Sample rate for a silent clip when the request list has nothing else to match.
_FALLBACK_RATE_HZ = 22050


@dataclass(frozen=True)
class ClipRequest:
    text: str  # exact text for the engine, already normalised
    label: str  # "article 2, section '3. The HQ', sentence 14" for error messages
    voice: str | None = None  # override, e.g. for headings


@dataclass(frozen=True)
class Clip:
    """One request's speech, trimmed to within 10 ms of its first and last sound
    (engines pad differently), so the profile's pauses are exactly what is heard."""

    path: Path  # a cached mono 16-bit WAV file
    sample_rate_hz: int
    n_samples: int

    @property
    def duration_s(self) -> float:
        return self.n_samples / self.sample_rate_hz if self.sample_rate_hz else 0.0


@dataclass
class SynthesisStats(PoolStats):
    """What a synthesise() call did: tests assert on these counts, not on timings."""

    requests: int = 0
    ready: int = 0  # requests whose clip is in the cache now: what an interrupted build keeps
    cache_hits: int = 0
    silent: int = 0  # whitespace-only requests: never sent to an engine


# A request's voice "espeak:roa/fr" borrows another engine's voice: how a profile whose engine has
# no voice for an article's language (Piper, English only) still reads it in that language
# (audiobook.synthesise.voices.voice_for_language).
BORROW = ":"


def borrowed_engine(voice: str | None) -> str | None:
    """The engine a voice id "espeak:roa/fr" borrows from, or None for the profile's own voices."""
    if voice is None or BORROW not in voice:
        return None
    name = voice.split(BORROW, 1)[0]
    return name if name in ENGINES else None


def synthesise(
    requests: Sequence[ClipRequest],
    profile: VoiceProfile,
    *,
    cache_dir: Path | None = None,
    jobs: int | None = None,
    sink: EventSink = ignore,
    stats: SynthesisStats | None = None,
    executor: Executor | None = None,
) -> list[Clip]:
    """Speak every request with `profile`, reusing cached clips; returns clips in request order.

    The clips the cache lacks are made by `executor` (audiobook.synthesise.executor),
    else by a local pool of `jobs` processes.

    Whitespace-only requests give a 0-sample clip and never reach an engine. A request whose
    voice borrows another engine's ("espeak:roa/fr") is spoken by that engine with the profile's
    rate and volume. Raises EngineError naming the request's label when a clip cannot be made.
    """
    stats = stats if stats is not None else SynthesisStats()
    executor = executor if executor is not None else LocalExecutor(jobs)
    groups: dict[str, list[int]] = {}
    for i, req in enumerate(requests):
        engine = borrowed_engine(req.voice)
        groups.setdefault(engine if engine is not None and engine != profile.engine else "", []).append(i)
    if list(groups) == [""]:
        return _synthesise(requests, profile, cache_dir=cache_dir, executor=executor, sink=sink, stats=stats)
    clips: list[Clip | None] = [None] * len(requests)
    for engine, indexes in groups.items():
        if engine:
            # Piper's fixed pitch does not bind another engine; its own default pitch is used.
            voice_profile = replace(profile, engine=engine, voice=None, pitch=50, headings=replace(profile.headings, voice=None))
            batch = [replace(requests[i], voice=(requests[i].voice or "").split(BORROW, 1)[1]) for i in indexes]
        else:
            voice_profile, batch = profile, [requests[i] for i in indexes]
        for i, clip in zip(indexes, _synthesise(batch, voice_profile, cache_dir=cache_dir, executor=executor, sink=sink, stats=stats), strict=True):
            clips[i] = clip
    return [clip for clip in clips if clip is not None]


def _synthesise(
    requests: Sequence[ClipRequest],
    profile: VoiceProfile,
    *,
    cache_dir: Path | None,
    executor: Executor,
    sink: EventSink,
    stats: SynthesisStats,
) -> list[Clip]:
    """synthesise() for requests that all use the profile's engine."""
    stats.requests += len(requests)
    hits_before = stats.cache_hits
    engine = get_engine(profile.engine)
    ok, why = engine.available()
    if not ok:
        raise EngineError(f"engine {profile.engine} is not available here: {why}")
    version = engine.version()
    cache = ClipCache(resolve_cache_dir(cache_dir))
    try:
        cache.clips.mkdir(parents=True, exist_ok=True)
        if not os.access(cache.clips, os.W_OK):
            raise PermissionError(13, "not writable")
    except OSError as exc:  # one clear line now, not a retried failure per clip later
        raise UsageError(f"cannot use cache folder {cache.root}: {exc.strerror or exc}") from exc
    base = {k: v for k, v in profile.engine_params().items() if k not in ("engine", "voice")}
    send_params: dict[str, object] = {"rate_wpm": profile.rate_wpm, "pitch": profile.pitch, "volume": profile.volume}

    results: dict[str, Entry] = {}
    keys: list[str | None] = []
    todo: dict[str, Job] = {}
    done = 0
    audio_s = 0.0
    for req in requests:
        if not req.text.strip():
            keys.append(None)
            stats.silent += 1
            continue
        voice = req.voice if req.voice is not None else profile.voice
        key = clip_key(req.text, engine.name, version, {**base, "voice": voice})
        keys.append(key)
        if key in results or key in todo:
            continue
        hit = cache.get(key)
        if hit is not None:
            results[key] = hit
            stats.cache_hits += 1
        else:
            todo[key] = Job(key, req.text, req.label, voice, send_params)
    for k in keys:
        if k is None or k in results:
            done += 1
            if k is not None:
                audio_s += results[k].n_samples / results[k].sample_rate_hz
    stats.ready += done
    # Started only now, so a resumed build can say what it reuses instead of "302 to do".
    sink(StageStarted(STAGE, len(requests), reused=done if stats.cache_hits > hits_before else 0))
    sink(Progress(STAGE, done, len(requests), audio_s))

    if todo:
        waiting: dict[str, int] = {}
        for k in keys:
            if k is not None and k in todo:
                waiting[k] = waiting.get(k, 0) + 1

        def on_done(d: Done) -> None:
            nonlocal done, audio_s
            results[d.key] = Entry(d.path, d.sample_rate_hz, d.n_samples)
            done += waiting[d.key]
            stats.ready += waiting[d.key]
            audio_s += waiting[d.key] * d.n_samples / d.sample_rate_hz
            sink(Progress(STAGE, done, len(requests), audio_s))

        retries_before, lost_before = stats.retries, stats.workers_lost
        executor.run(engine, cache.root, list(todo.values()), on_done, stats)
        if stats.retries > retries_before:
            lost = stats.workers_lost - lost_before
            crashed = f", {lost} engine process{'es' if lost != 1 else ''} replaced" if lost else ""
            sink(Notice(f"{engine.name}: {stats.retries - retries_before} clips redone after bad engine output{crashed}"))

    clips: list[Clip] = []
    silent: Clip | None = None
    for k in keys:
        if k is None:
            if silent is None:
                rate = next(iter(results.values())).sample_rate_hz if results else _FALLBACK_RATE_HZ
                silent_key = clip_key("", engine.name, version, {"sample_rate_hz": rate})
                entry = cache.get(silent_key) or cache.put(silent_key, b"", rate)
                silent = Clip(entry.path, entry.sample_rate_hz, 0)
            clips.append(silent)
        else:
            e = results[k]
            clips.append(Clip(e.path, e.sample_rate_hz, e.n_samples))
    sink(StageFinished(STAGE))
    return clips
