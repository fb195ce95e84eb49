"""A pool of engine worker processes: crashed workers are replaced, hung ones killed, failed clips retried smaller."""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
import threading
import types
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from ..errors import EngineError
from ..limits import default_jobs
from . import worker
from .cache import remove_dead_temps
from .clauses import split_clauses

START_TIMEOUT_S = 120.0  # loading a neural model on a busy machine
JOB_TIMEOUT_BASE_S = 30.0
JOB_TIMEOUT_PER_CHAR_S = 0.1
CLAUSE_GAP_MS = 120  # breath between clause pieces of one over-long sentence
# Attempt n splits at max_chars * factor: the same split once more (a crash may be
# chance), then smaller and smaller pieces.
RETRY_FACTORS = (1.0, 1.0, 1.0, 0.5, 0.25)
MAX_START_FAILURES = 3  # workers dying before they are ready: the engine cannot run here


_MAIN_LOCK = threading.Lock()


@contextlib.contextmanager
def _without_main_module() -> Iterator[None]:
    """Start workers without spawn re-running the caller's __main__ in each of them.

    Workers need nothing from it; re-running the CLI's entry script imports every
    command (0.25 s of CPU per worker measured here), and a user's unguarded script
    would run again in every worker. spawn reads sys.modules["__main__"] only while
    start() prepares the child, so a blank module stands in for that moment; the
    lock keeps two pools in different threads from restoring each other's stand-in.
    """
    with _MAIN_LOCK:
        real = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if real is not None:
                sys.modules["__main__"] = real


@contextlib.contextmanager
def _sigint_ignored_by_children() -> Iterator[None]:
    """Start workers with Ctrl-C ignored, so none can die of it while it imports.

    A terminal's Ctrl-C signals the whole group; a spawned child still unpickling and
    importing (a second or more under load) would die printing a KeyboardInterrupt
    traceback. An ignored signal stays ignored across exec, and Python then installs no
    KeyboardInterrupt handler. This process holds the signal blocked meanwhile, so a
    Ctrl-C in that moment waits (Linux keeps a blocked signal pending even while its
    action is to ignore it) and arrives once the handler is back. Only the main thread
    may change handlers: elsewhere (a cluster worker's thread) workers start as before.
    """
    handler = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or handler is None or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)


@dataclass(frozen=True)
class Job:
    key: str
    text: str
    label: str
    voice: str | None
    params: dict[str, object]  # rate_wpm, pitch, volume


@dataclass(frozen=True)
class Done:
    key: str
    path: Path
    sample_rate_hz: int
    n_samples: int


@dataclass
class PoolStats:
    engine_calls: int = 0  # texts handed to an engine (clause pieces included)
    clips_made: int = 0
    retries: int = 0
    workers_started: int = 0
    workers_lost: int = 0  # crashed or killed after a timeout


@dataclass
class _Slot:
    proc: BaseProcess
    conn: Connection
    ready: bool = False
    started_at: float = field(default_factory=time.monotonic)
    job: tuple[int, int] | None = None  # (job index, attempt)
    block: deque[tuple[int, int]] = field(default_factory=deque)  # the rest of its block
    deadline: float = 0.0


class WorkerPool:
    """Run jobs on `size` worker processes of one engine; results arrive through `on_done`."""

    def __init__(
        self,
        engine_name: str,
        max_chars: int,
        cache_root: Path,
        size: int,
        stats: PoolStats,
        block_size: int = 1,
        threads: int | None = None,
        keep_workers: bool = False,
    ) -> None:
        self.engine_name = engine_name
        self.max_chars = max_chars
        self.block_size = block_size
        self.cache_root = cache_root
        self.size = max(1, size)
        self.stats = stats
        # Engine threads per worker; None shares this machine's cores out between the pool's workers.
        self.threads = threads
        # Kept ready between runs: a cluster worker serves batch after batch, and starting
        # an engine (Piper's model) for each would cost more than its clips.
        self.keep_workers = keep_workers
        self._ctx = multiprocessing.get_context("spawn")  # no inherited engine state, same on every OS
        self._slots: list[_Slot] = []
        self._start_failures = 0

    def _spawn(self) -> _Slot:
        parent, child = self._ctx.Pipe(duplex=True)
        # Share the cores out between workers (matters for Piper's onnxruntime).
        threads = self.threads if self.threads is not None else max(1, default_jobs() // self.size)
        proc = self._ctx.Process(
            target=worker.run, args=(child, self.engine_name, str(self.cache_root), threads), daemon=True
        )
        with _without_main_module(), _sigint_ignored_by_children():
            proc.start()
        child.close()
        self.stats.workers_started += 1
        return _Slot(proc, parent)

    def _lose(self, slot: _Slot) -> None:
        self.stats.workers_lost += 1
        self._stop(slot, kill=True)

    def _stop(self, slot: _Slot, kill: bool = False) -> None:
        if slot in self._slots:
            self._slots.remove(slot)
        if kill and slot.proc.is_alive():
            slot.proc.kill()
        try:
            if not kill:
                slot.conn.send(None)
        except (OSError, ValueError):
            pass
        slot.conn.close()
        slot.proc.join(timeout=5)
        if slot.proc.is_alive():
            slot.proc.kill()
            slot.proc.join()

    def pids(self) -> list[int]:
        return [s.proc.pid for s in self._slots if s.proc.pid is not None]

    def run(self, jobs: list[Job], on_done: Callable[[Done], None]) -> None:
        """Make every job's clip or raise EngineError naming the first clip that kept failing.

        Jobs go out in blocks of `block_size` consecutive jobs, a block to one worker,
        so which clips share an engine process never depends on the number of workers.
        """
        size = max(1, self.block_size)
        blocks: deque[deque[tuple[int, int]]] = deque(
            deque((i, 0) for i in range(start, min(start + size, len(jobs)))) for start in range(0, len(jobs), size)
        )
        left = len(jobs)
        finished = False
        try:
            while left:
                want = min(self.size, len(blocks) + sum(1 for s in self._slots if s.job is not None or s.block))
                while len(self._slots) < max(1, want):
                    self._slots.append(self._spawn())
                now = time.monotonic()
                for slot in list(self._slots):
                    if not slot.ready or slot.job is not None:
                        continue
                    fresh = False
                    if not slot.block:
                        if not blocks:
                            continue
                        slot.block, fresh = blocks.popleft(), True
                    index, attempt = slot.block.popleft()
                    job = jobs[index]
                    limit = max(20, int(self.max_chars * RETRY_FACTORS[attempt]))
                    pieces = split_clauses(job.text, limit)
                    slot.job = (index, attempt)
                    slot.deadline = now + JOB_TIMEOUT_BASE_S + JOB_TIMEOUT_PER_CHAR_S * len(job.text)
                    try:
                        slot.conn.send(worker.JobRequest(index, job.key, pieces, job.voice, job.params, CLAUSE_GAP_MS, fresh))
                    except OSError:  # it died while idle: count the job as failed there
                        self._fail(slot, jobs, blocks, "the engine process died")
                # Only busy or starting workers can time out; an idle one's old deadline
                # would turn the wait into a spin.
                deadlines = [
                    s.started_at + START_TIMEOUT_S if not s.ready else s.deadline
                    for s in self._slots
                    if not s.ready or s.job is not None
                ]
                timeout = max(0.0, min(deadlines) - now) if deadlines else None
                ready = wait([s.conn for s in self._slots] + [s.proc.sentinel for s in self._slots], timeout)
                for slot in list(self._slots):
                    if slot.conn in ready:
                        try:
                            reply: worker.Reply | None = slot.conn.recv()
                        except (EOFError, OSError):
                            reply = None
                        if reply is None:
                            self._fail(slot, jobs, blocks, "the engine process died")
                            continue
                        left -= self._handle(slot, reply, jobs, on_done)
                    elif slot.proc.sentinel in ready:
                        self._fail(slot, jobs, blocks, f"the engine process died (exit code {slot.proc.exitcode})")
                now = time.monotonic()
                for slot in list(self._slots):
                    if not slot.ready and now > slot.started_at + START_TIMEOUT_S:
                        self._lose(slot)
                        raise EngineError(f"{self.engine_name} did not start within {START_TIMEOUT_S:.0f} s")
                    if slot.job is not None and now > slot.deadline:
                        self._fail(slot, jobs, blocks, "the engine hung and was stopped")
            finished = True
        except KeyboardInterrupt:
            # Ctrl-C: nothing more is wanted from any worker, so none is waited for
            # (an idle one's orderly exit can take seconds under load). One killed while
            # writing its clip leaves a temp file, in the shard of the clip it was making.
            busy = {jobs[s.job[0]].key[:2] for s in self._slots if s.job is not None}
            self.close(kill=True)
            for shard in busy:
                remove_dead_temps(self.cache_root / "clips" / shard, wait_s=0.5)
            raise
        finally:
            if not (finished and self.keep_workers):
                self.close()

    def _handle(self, slot: _Slot, reply: worker.Reply, jobs: list[Job], on_done: Callable[[Done], None]) -> int:
        """Act on one reply; returns how many jobs it finished (0 or 1)."""
        if isinstance(reply, worker.Ready):
            slot.ready = True
            return 0
        if isinstance(reply, worker.Fatal):
            self._lose(slot)
            raise EngineError(reply.message)
        assert slot.job is not None
        index, attempt = slot.job
        slot.job = None
        self.stats.engine_calls += reply.calls
        if isinstance(reply, worker.Made):
            self.stats.clips_made += 1
            on_done(Done(jobs[index].key, Path(reply.path), reply.sample_rate_hz, reply.n_samples))
            return 1
        # Retried next by the same worker, in the same block: a failure inside a block
        # does not change which clips share an engine process.
        self._retry(jobs, slot.block, index, attempt, reply.why)
        return 0

    def _fail(self, slot: _Slot, jobs: list[Job], blocks: deque[deque[tuple[int, int]]], why: str) -> None:
        job, rest = slot.job, slot.block
        self._lose(slot)
        if not slot.ready:
            self._start_failures += 1
            if self._start_failures >= MAX_START_FAILURES:
                raise EngineError(f"{self.engine_name} worker processes keep failing to start: {why}")
        if job is not None:
            self._retry(jobs, rest, job[0], job[1], why)
        if rest:
            blocks.appendleft(rest)  # what is left of the block starts afresh in another worker

    def _retry(self, jobs: list[Job], queue: deque[tuple[int, int]], index: int, attempt: int, why: str) -> None:
        if attempt + 1 >= len(RETRY_FACTORS):
            raise EngineError(f"{self.engine_name} could not speak {jobs[index].label}: {why}")
        self.stats.retries += 1
        queue.appendleft((index, attempt + 1))

    def close(self, kill: bool = False) -> None:
        """Stop every worker: busy ones (and all of them when `kill`) at once, idle ones in order."""
        for slot in list(self._slots):
            self._stop(slot, kill=kill or slot.job is not None)
