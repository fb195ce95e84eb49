"""The Dask executor: jobs go to a cluster's workers in batches, clips come back as bytes into the local cache."""

from __future__ import annotations

import contextlib
import logging
import math
import socket
import multiprocessing
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import AudiobookError
from ..limits import default_jobs
from .cache import HEADER_BYTES, ClipCache, resolve_cache_dir
from .pool import Done, Job, PoolStats, WorkerPool
from .speech import Engine

# An unreachable address must fail within 10 s, Python's start and the handshake included.
CONNECT_TIMEOUT_S = 5.0
# A batch is 1/(BATCH_SHARE x worker threads) of the jobs still to send, within these bounds.
BATCH_SHARE = 2
MIN_BATCH_JOBS = 1
MAX_BATCH_JOBS = 64
# A batch that raised (a worker's disk full, say) is tried once more; a dead worker's batches
# are rescheduled by Dask itself (distributed.scheduler.allowed-failures).
BATCH_RETRIES = 1
INSTALL_HINT = "pip install 'audiobook[cluster]'"


class ClusterError(AudiobookError):
    """The cluster cannot be reached, or its workers cannot make this build's clips."""


def _mismatch(worker: str, theirs: str, mine: str) -> ClusterError:
    """'worker W has audiobook 9.9.9, this machine 0.4.0: …', for the package or an engine."""
    return ClusterError(f"worker {worker} has {theirs}, this machine {mine}: install the same version on every worker")


@dataclass(frozen=True)
class WorkerReport:
    """What a worker says about itself before any work is sent (made on the worker by `report_worker`)."""

    version: str  # the audiobook package
    cores: int
    engine_ok: bool = True
    engine_why: str = ""
    engine_version: str = ""
    missing_voices: tuple[str, ...] = ()


def report_worker(engine_name: str | None = None, voices: tuple[str, ...] = ()) -> WorkerReport:
    """Run on each worker: its package version, cores and, for an engine, whether it can speak `voices`."""
    if engine_name is None:
        return WorkerReport(__version__, default_jobs())
    from .engine import get_engine

    engine = get_engine(engine_name)
    ok, why = engine.available()
    if not ok:
        return WorkerReport(__version__, default_jobs(), False, why)
    known = {v.id.lower() for v in engine.list_voices()} | {
        lang.lower() for v in engine.list_voices() for lang in v.languages if lang
    }
    missing = tuple(v for v in voices if v.lower() not in known)
    return WorkerReport(__version__, default_jobs(), True, "", engine.version(), missing)


def check_reports(reports: dict[str, WorkerReport | BaseException], address: str) -> None:
    """ClusterError, one line, unless every worker runs this package's version (and, when asked, the engine)."""
    if not reports:
        raise ClusterError(f"the Dask cluster at {address} has no workers: start some with `dask worker {address}`")
    for worker, report in sorted(reports.items()):
        if isinstance(report, BaseException):
            raise ClusterError(
                f"worker {worker} cannot run audiobook ({type(report).__name__}: {report}); "
                f"install it there: {INSTALL_HINT}"
            )
        if report.version != __version__:
            raise _mismatch(worker, f"audiobook {report.version}", __version__)


def check_engine_reports(
    reports: dict[str, WorkerReport | BaseException], address: str, engine: Engine, voices: tuple[str, ...]
) -> None:
    """ClusterError, one line, unless every worker has the engine, at this machine's version, with every voice."""
    check_reports(reports, address)
    mine = engine.version()
    for worker, report in sorted(reports.items()):
        assert isinstance(report, WorkerReport)
        if not report.engine_ok:
            raise ClusterError(f"worker {worker} cannot run engine {engine.name}: {report.engine_why}")
        if report.engine_version != mine:
            # A clip's cache key names this machine's engine version: another version's
            # sound under it would be a wrong clip kept for ever.
            raise _mismatch(worker, f"{report.engine_version} for engine {engine.name}", mine)
        if report.missing_voices:
            raise ClusterError(f"worker {worker} has no {engine.name} voice {', '.join(report.missing_voices)}")


# --- on the workers -----------------------------------------------------------------------


@dataclass(frozen=True)
class BatchSpec:
    """How a worker makes a batch's clips: the engine, where its own cache is, how many threads it gets."""

    engine_name: str
    max_chars: int
    block_size: int
    cache_root: str | None  # a shared cache folder; None: the worker's own default cache
    threads: int
    # Checked again by each batch: a worker that joined after the check at the start was never asked.
    version: str = __version__
    engine_version: str = ""


@dataclass
class BatchResult:
    """A batch's clips as (key, samples, sample rate) and what making them took."""

    worker: str
    clips: list[tuple[str, bytes, int]] = field(default_factory=list)
    stats: PoolStats = field(default_factory=PoolStats)


_local = threading.local()  # each worker thread keeps its own engine processes


@contextlib.contextmanager
def _children_allowed() -> Iterator[None]:
    """Let a Dask worker process (daemonic by default) start the engine processes.

    multiprocessing refuses children to a daemonic process, lest they outlive it; ours
    die with it anyway (worker.die_with_parent), so the flag is lifted while they start.
    """
    config: dict[str, Any] = multiprocessing.current_process()._config  # type: ignore[attr-defined]
    daemon = config.get("daemon")
    config["daemon"] = False
    try:
        yield
    finally:
        if daemon is not None:
            config["daemon"] = daemon


def _pool(spec: BatchSpec, root: Path) -> WorkerPool:
    """This thread's engine process, kept for the next batch of the same engine and cache.

    One per thread: a batch for another engine or cache ends the one before, so a
    long-lived worker serving many builds holds one engine process per thread, not one per build.
    """
    key = (spec.engine_name, root, spec.threads)
    held: tuple[tuple[str, Path, int], WorkerPool] | None = getattr(_local, "pool", None)
    if held is not None and held[0] == key:
        return held[1]
    if held is not None:
        held[1].close()
    pool = WorkerPool(
        spec.engine_name, spec.max_chars, root, 1, PoolStats(), spec.block_size, threads=spec.threads, keep_workers=True
    )
    _local.pool = (key, pool)
    return pool


def make_batch(spec: BatchSpec, jobs: list[Job]) -> BatchResult:
    """Run on a worker: make a batch of clips with the same code as the local pool, return their bytes."""
    from distributed import get_worker

    worker = get_worker().address
    if spec.version != __version__:
        raise _mismatch(worker, f"audiobook {__version__}", spec.version)
    if spec.engine_version:
        from .engine import get_engine

        theirs = get_engine(spec.engine_name).version()
        if theirs != spec.engine_version:
            raise _mismatch(worker, f"{theirs} for engine {spec.engine_name}", spec.engine_version)
    root = Path(spec.cache_root) if spec.cache_root else resolve_cache_dir(None)
    cache = ClipCache(root)
    result = BatchResult(worker)
    todo: list[Job] = []
    for job in jobs:
        # An engine with blocks of clips sharing a process makes each block whole, as locally.
        hit = cache.get(job.key) if spec.block_size == 1 else None
        if hit is None:
            todo.append(job)
        else:
            result.clips.append((job.key, hit.path.read_bytes()[HEADER_BYTES:], hit.sample_rate_hz))
    if todo:
        pool = _pool(spec, root)
        pool.stats = result.stats

        def on_done(done: Done) -> None:
            result.clips.append((done.key, done.path.read_bytes()[HEADER_BYTES:], done.sample_rate_hz))

        with _children_allowed():
            pool.run(todo, on_done)
    return result


# --- on this machine -----------------------------------------------------------------------


def _distributed() -> Any:
    """The dask.distributed module, or one line saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise ClusterError(f"--cluster needs Dask's distributed scheduler, which is not installed: {INSTALL_HINT}") from None
    return distributed


def batches(jobs: Sequence[Job], threads: int, block_size: int) -> list[list[Job]]:
    """The jobs cut into consecutive batches of whole engine blocks (blocks start at job 0, as in the pool).

    Guided sizes: each batch is a share of what is left, so the first ones are large (Dask's
    per-task cost counts beside espeak's few-millisecond clips) and the last ones small, so
    the workers finish together where equal batches would leave one working alone at the end.
    """
    block = max(1, block_size)
    out: list[list[Job]] = []
    start = 0
    while start < len(jobs):
        left = len(jobs) - start
        size = min(MAX_BATCH_JOBS, max(MIN_BATCH_JOBS, math.ceil(left / (BATCH_SHARE * max(1, threads)))))
        size = max(block, size // block * block)
        out.append(list(jobs[start : start + size]))
        start += size
    return out


def _unreachable(address: str, why: str) -> ClusterError:
    return ClusterError(
        f"cannot reach the Dask scheduler at {address} ({why}); "
        "start it with `dask scheduler`, or give its address as tcp://HOST:8786"
    )


def _connect(distributed: Any, address: str) -> Any:
    """A Client of the scheduler at `address`, or one ClusterError line within CONNECT_TIMEOUT_S."""
    try:
        scheme, location = distributed.comm.parse_address(address)
        if scheme in ("tcp", "tls"):
            # A refused or unroutable port fails here at once; Dask would retry it until its timeout.
            host, port = distributed.comm.parse_host_port(location)
            socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S).close()
    except (OSError, ValueError, TypeError) as exc:
        raise _unreachable(address, str(exc) or type(exc).__name__) from None
    client = distributed.Client.__new__(distributed.Client)
    try:
        client.__init__(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except Exception as exc:  # TimeoutError, a peer that is no scheduler, ...
        # Marked closed, or its __del__ would wait twice the timeout to close what never opened.
        client.status = "closed"
        with contextlib.suppress(Exception):
            client._loop_runner.stop()
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if not isinstance(exc, (OSError, TimeoutError)):  # it answered, but not as a scheduler does
            why = f"what answers there is no Dask scheduler: {type(exc).__name__}"
        raise _unreachable(address, why) from None
    return client


class DaskExecutor:
    """Sentences synthesised on a Dask cluster's workers; the clips land in this machine's cache as if made here."""

    def __init__(self, address: str, shared_cache: Path | None = None) -> None:
        distributed = _distributed()
        # Dask logs its retries and lost connections; the user gets one line from us instead.
        logging.getLogger("distributed").setLevel(logging.CRITICAL)
        self.address = address
        self.shared_cache = shared_cache
        self.client = _connect(distributed, address)
        self.clips_made = 0
        self.workers_used: set[str] = set()
        self._checked: set[str] = set()
        try:
            self.reports = self._reports()
            check_reports(self.reports, address)
        except BaseException:
            self.close()
            raise

    def _reports(self, engine_name: str | None = None, voices: tuple[str, ...] = ()) -> dict[str, WorkerReport | BaseException]:
        result: dict[str, WorkerReport | BaseException] = self.client.run(
            report_worker, engine_name, voices, on_error="return"
        )
        return result

    def _threads_per_engine(self, info: dict[str, dict[str, Any]]) -> dict[str, int]:
        """Each worker's engine threads: its host's cores shared out between the worker threads on that host."""
        per_host: dict[str, int] = {}
        for w in info.values():
            per_host[w["host"]] = per_host.get(w["host"], 0) + int(w["nthreads"])
        threads: dict[str, int] = {}
        for address, w in info.items():
            report = self.reports.get(address)
            cores = report.cores if isinstance(report, WorkerReport) else 1
            threads[address] = max(1, cores // max(1, per_host[w["host"]]))
        return threads

    def run(
        self, engine: Engine, cache_root: Path, jobs: Sequence[Job], on_done: Callable[[Done], None], stats: PoolStats
    ) -> None:
        if engine.name not in self._checked:
            voices = tuple(sorted({j.voice for j in jobs if j.voice}))
            self.reports = self._reports(engine.name, voices)
            check_engine_reports(self.reports, self.address, engine, voices)
            self._checked.add(engine.name)
        info = self.client.scheduler_info(n_workers=-1)["workers"]
        threads = self._threads_per_engine(info)
        total = sum(int(w["nthreads"]) for w in info.values())
        # One engine thread count for every batch: workers are alike in the common case,
        # and a batch may move to another worker when its own dies.
        spec = BatchSpec(
            engine.name,
            engine.max_chars,
            engine.block_size,
            str(self.shared_cache) if self.shared_cache else None,
            min(threads.values()) if threads else 1,
            engine_version=engine.version(),
        )
        distributed = _distributed()
        cache = ClipCache(cache_root)
        futures = [
            self.client.submit(make_batch, spec, batch, pure=False, retries=BATCH_RETRIES)
            for batch in batches(jobs, total, engine.block_size)
        ]
        try:
            for future in distributed.as_completed(futures, loop=self.client.loop):
                try:
                    result: BatchResult = future.result()
                except distributed.KilledWorker as exc:
                    raise ClusterError(
                        f"the cluster at {self.address} kept losing the workers making clips ({exc}); see the workers' logs"
                    ) from None
                self.workers_used.add(result.worker)
                for f in fields(PoolStats):  # the workers' counts, as if their pools were ours
                    setattr(stats, f.name, getattr(stats, f.name) + getattr(result.stats, f.name))
                for key, samples, rate in result.clips:
                    entry = cache.put(key, samples, rate)
                    self.clips_made += 1
                    on_done(Done(key, entry.path, entry.sample_rate_hz, entry.n_samples))
        finally:
            self.client.cancel(futures)

    def summary(self) -> str | None:
        """The clips made since the last summary (one build's, when several share the connection)."""
        if not self.clips_made:
            return None
        n = len(self.workers_used)
        line = f"the cluster at {self.address} made {self.clips_made} clips on {n} worker{'s' if n != 1 else ''}"
        self.clips_made, self.workers_used = 0, set()
        return line

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close(timeout=2)
