"""The worker process: runs one engine, turns jobs into verified cache entries, reports back."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import AudiobookError
from .cache import ClipCache
from .engine import Engine, Params, get_engine, silence_stdio
from .plausibility import check_duration
from .silence import trim_silence



# The messages between the pool and a worker (pickled over a pipe; None asks a worker to stop).


@dataclass(frozen=True)
class JobRequest:
    """Pool → worker: make one clip from `pieces`, joined with `gap_ms` of silence."""

    job_id: int
    key: str  # the clip's cache key
    pieces: tuple[str, ...]  # the sentence, split into clauses if it is too long for the engine
    voice: str | None
    params: dict[str, object]  # Params' fields
    gap_ms: int
    fresh: bool  # starts a new block: for "block" isolation, a new engine process


@dataclass(frozen=True)
class Ready:
    """Worker → pool: the engine started; jobs may come."""


@dataclass(frozen=True)
class Fatal:
    """Worker → pool: the engine could not start; the worker has ended."""

    message: str


@dataclass(frozen=True)
class Made:
    """Worker → pool: the clip is in the cache."""

    job_id: int
    path: str
    sample_rate_hz: int
    n_samples: int
    calls: int  # texts handed to the engine


@dataclass(frozen=True)
class Failed:
    """Worker → pool: no clip (the engine failed, crashed, or said something implausible); retryable."""

    job_id: int
    why: str
    calls: int


Reply = Ready | Fatal | Made | Failed

# A forked clip that hangs ends itself; the pool's own timeout is longer.
FORK_ALARM_S = 600


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Linux: have the kernel kill this process when its parent dies.

    The pool stops a hung worker with SIGKILL, which the worker cannot pass on;
    without this, the fork making the hung clip would outlive it (until its alarm).
    """
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def join_pieces(pcms: list[bytes], sample_rate_hz: int, gap_ms: int) -> bytes:
    """Clause pieces of one sentence, with a short breath between them."""
    gap = b"\x00\x00" * (sample_rate_hz * gap_ms // 1000)
    return gap.join(pcms)


def make_clip(engine: Engine, cache: ClipCache, job: JobRequest) -> Made | Failed:
    """Synthesise one job's pieces, check the result, store it; returns the reply to send."""
    calls = 0
    try:
        pcms: list[bytes] = []
        rate = 0
        rate_wpm = int(job.params.get("rate_wpm", 175))  # type: ignore[call-overload]
        for piece in job.pieces:
            calls += 1
            pcm = engine.synthesise(piece, job.voice, Params(**job.params))  # type: ignore[arg-type]
            if rate and pcm.sample_rate_hz != rate:
                raise AudiobookError("engine changed sample rate within a sentence")
            rate = pcm.sample_rate_hz
            samples = trim_silence(pcm.samples, rate)
            # Each piece on its own, after trimming (a clip of silence is no clip):
            # one piece lost inside a long sentence would hide in the sentence's total.
            why = check_duration(piece, rate_wpm, len(samples) / 2 / rate if rate else 0.0)
            if why is not None:
                return Failed(job.job_id, why, calls)
            pcms.append(samples)
        samples = join_pieces(pcms, rate, job.gap_ms)
        entry = cache.put(job.key, samples, rate)
        return Made(job.job_id, str(entry.path), entry.sample_rate_hz, entry.n_samples, calls)
    except Exception as exc:  # the engine is untrusted: any failure is one retryable reply
        return Failed(job.job_id, f"{type(exc).__name__}: {exc}", calls)


def _crashed(job: JobRequest, status: int) -> Failed:
    """The reply for a job whose process died making it (every piece counts as handed over)."""
    why = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit code {os.waitstatus_to_exitcode(status)}"
    return Failed(job.job_id, f"the engine crashed ({why})", len(job.pieces))


def make_clip_in_fork(engine: Engine, cache: ClipCache, job: JobRequest) -> Made | Failed:
    """make_clip in a child process forked from this prepared worker (see EspeakEngine)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            die_with_parent()
            os.close(read_fd)
            signal.alarm(FORK_ALARM_S)
            with os.fdopen(write_fd, "wb") as out:
                out.write(pickle.dumps(make_clip(engine, cache, job)))
        except BaseException:
            code = 1
        os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as inp:
        data = inp.read()
    _pid, status = os.waitpid(pid, 0)
    if data:
        reply: Made | Failed = pickle.loads(data)
        return reply
    return _crashed(job, status)


# Spoken and thrown away by each new block server: pyttsx3's first clip after it
# starts comes back empty (seen every time), so the block's real first clip never is.
WARM_UP_TEXT = "Ready."


class BlockServer:
    """A child forked from the unprepared worker: it starts the engine and serves one block of clips."""

    def __init__(self, engine: Engine, cache: ClipCache) -> None:
        self._conn, child_conn = multiprocessing.Pipe(duplex=True)
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            code = 0
            try:
                die_with_parent()
                self._conn.close()
                _serve_block(engine, cache, child_conn)
            except BaseException:
                code = 1
            os._exit(code)
        child_conn.close()  # so the child's death reads as EOF here

    def ask(self, job: JobRequest) -> Made | Failed:
        """The child's reply to one job, or a Failed reply if it died making it."""
        try:
            self._conn.send(job)
            reply: Made | Failed = self._conn.recv()
            return reply
        except (EOFError, OSError):
            _pid, status = os.waitpid(self.pid, 0)
            self.pid = 0
            return _crashed(job, status)

    @property
    def alive(self) -> bool:
        return self.pid != 0

    def close(self) -> None:
        if self.pid:
            with contextlib.suppress(OSError):
                self._conn.send(None)
            self._conn.close()
            os.waitpid(self.pid, 0)
            self.pid = 0


def _serve_block(engine: Engine, cache: ClipCache, conn: Connection) -> None:
    engine.prepare()
    with contextlib.suppress(Exception):
        engine.synthesise(WARM_UP_TEXT, None, Params())
    while True:
        signal.alarm(0)
        try:
            job: JobRequest | None = conn.recv()
        except EOFError:  # the worker is gone
            return
        if job is None:
            return
        signal.alarm(FORK_ALARM_S)  # a hung engine ends itself even if the worker was killed
        conn.send(make_clip(engine, cache, job))


def run(conn: Connection, engine_name: str, cache_root: str, threads: int = 1) -> None:
    """Serve jobs until told to stop: Ready (or Fatal) first, then a Made or Failed for each JobRequest.

    A request's `fresh` starts a new block: for "block" isolation, a new engine process.
    """
    # Engines print to stdout (pyttsx3) and C libraries to stderr; the pipe is the only channel.
    silence_stdio()
    die_with_parent()
    # Ctrl-C in a terminal signals the whole process group. Stopping is the parent's
    # decision (it kills its workers at once): a worker that died of its own
    # KeyboardInterrupt would race the parent and read as a crashed engine.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        engine = get_engine(engine_name)
        engine.threads = threads
        isolation = engine.isolation if hasattr(os, "fork") else "none"
        if isolation != "block":  # a block server prepares the engine in its own process
            engine.prepare()
    except Exception as exc:  # any failure to start is reported, then the worker ends
        conn.send(Fatal(f"{engine_name} could not start: {exc}"))
        return
    cache = ClipCache(Path(cache_root))
    server: BlockServer | None = None
    conn.send(Ready())
    try:
        while True:
            try:
                job: JobRequest | None = conn.recv()
            except EOFError:
                return
            if job is None:
                return
            if isolation == "clip":
                reply = make_clip_in_fork(engine, cache, job)
            elif isolation == "block":
                if server is not None and (job.fresh or not server.alive):
                    server.close()
                    server = None
                if server is None:
                    server = BlockServer(engine, cache)
                reply = server.ask(job)
            else:
                reply = make_clip(engine, cache, job)
            conn.send(reply)
    finally:
        if server is not None:
            server.close()
