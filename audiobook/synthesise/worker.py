"""The worker process: runs one engine, turns jobs into verified cache entries, reports back."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import AudiobookError
from .cache import ClipCache
from .engine import Engine, Params, get_engine, silence_stdio
from .plausibility import check_duration
from .silence import trim_silence

Reply = tuple[object, ...]
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


def make_clip(engine: Engine, cache: ClipCache, msg: tuple[object, ...]) -> Reply:
    """Synthesise one job's pieces, check the result, store it; returns the reply to send."""
    _tag, job_id, key, pieces, voice, params, gap_ms = msg[:7]
    assert isinstance(pieces, tuple) and isinstance(params, dict) and isinstance(key, str)
    calls = 0
    try:
        pcms: list[bytes] = []
        rate = 0
        rate_wpm = int(params.get("rate_wpm", 175))
        for piece in pieces:
            calls += 1
            pcm = engine.synthesise(piece, voice if isinstance(voice, str) else None, Params(**params))
            if rate and pcm.sample_rate_hz != rate:
                raise AudiobookError("engine changed sample rate within a sentence")
            rate = pcm.sample_rate_hz
            samples = trim_silence(pcm.samples, rate)
            # Each piece on its own, after trimming (a clip of silence is no clip):
            # one piece lost inside a long sentence would hide in the sentence's total.
            why = check_duration(piece, rate_wpm, len(samples) / 2 / rate if rate else 0.0)
            if why is not None:
                return ("invalid", job_id, why, calls)
            pcms.append(samples)
        samples = join_pieces(pcms, rate, int(gap_ms))  # type: ignore[call-overload]
        entry = cache.put(key, samples, rate)
        return ("ok", job_id, str(entry.path), entry.sample_rate_hz, entry.n_samples, calls)
    except Exception as exc:  # the engine is untrusted: any failure is one retryable reply
        return ("error", job_id, f"{type(exc).__name__}: {exc}", calls)


def make_clip_in_fork(engine: Engine, cache: ClipCache, msg: tuple[object, ...]) -> Reply:
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
                out.write(pickle.dumps(make_clip(engine, cache, msg)))
        except BaseException:
            code = 1
        os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as inp:
        data = inp.read()
    _pid, status = os.waitpid(pid, 0)
    if data:
        reply: Reply = pickle.loads(data)
        return reply
    why = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit code {os.waitstatus_to_exitcode(status)}"
    return ("error", msg[1], f"the engine crashed ({why})", len(msg[3]))  # type: ignore[arg-type]


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

    def ask(self, msg: tuple[object, ...]) -> Reply:
        """The child's reply to one job, or an error reply if it died making it."""
        try:
            self._conn.send(msg)
            reply: Reply = self._conn.recv()
            return reply
        except (EOFError, OSError):
            _pid, status = os.waitpid(self.pid, 0)
            self.pid = 0
            why = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit code {os.waitstatus_to_exitcode(status)}"
            return ("error", msg[1], f"the engine crashed ({why})", len(msg[3]))  # type: ignore[arg-type]

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
            msg = conn.recv()
        except EOFError:  # the worker is gone
            return
        if msg is None:
            return
        signal.alarm(FORK_ALARM_S)  # a hung engine ends itself even if the worker was killed
        conn.send(make_clip(engine, cache, msg))


def run(conn: Connection, engine_name: str, cache_root: str, threads: int = 1) -> None:
    """Serve jobs until told to stop: ("job", id, key, pieces, voice, params, gap_ms, fresh) → a reply tuple.

    `fresh` starts a new block: for "block" isolation, a new engine process.
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
        conn.send(("fatal", f"{engine_name} could not start: {exc}"))
        return
    cache = ClipCache(Path(cache_root))
    server: BlockServer | None = None
    conn.send(("ready",))
    try:
        while True:
            try:
                msg = conn.recv()
            except EOFError:
                return
            if msg is None:
                return
            if isolation == "clip":
                reply = make_clip_in_fork(engine, cache, msg)
            elif isolation == "block":
                if server is not None and (msg[-1] or not server.alive):
                    server.close()
                    server = None
                if server is None:
                    server = BlockServer(engine, cache)
                reply = server.ask(msg)
            else:
                reply = make_clip(engine, cache, msg)
            conn.send(reply)
    finally:
        if server is not None:
            server.close()
