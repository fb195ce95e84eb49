"""Where clips are made: the executor seam, an explicit registry of the local worker pool and a Dask cluster."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from ..limits import default_jobs
from .pool import Done, Job, PoolStats, WorkerPool
from .speech import Engine

__all__ = ["EXECUTORS", "Executor", "LocalExecutor", "open_executor"]


class Executor(Protocol):
    """Makes every job's clip into the cache at `cache_root`, reporting each through `on_done`.

    The synthesise stage hands it the jobs the cache cannot answer and never learns
    where they ran: a local pool of processes, or the workers of a cluster.
    """

    def run(
        self, engine: Engine, cache_root: Path, jobs: Sequence[Job], on_done: Callable[[Done], None], stats: PoolStats
    ) -> None: ...

    def summary(self) -> str | None:
        """One line for the user about where the clips made since the last summary were made, or None."""
        ...

    def close(self) -> None: ...


class LocalExecutor:
    """The embedded default: a pool of engine processes on this machine (audiobook.synthesise.pool)."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs

    def run(
        self, engine: Engine, cache_root: Path, jobs: Sequence[Job], on_done: Callable[[Done], None], stats: PoolStats
    ) -> None:
        size = min(self.jobs if self.jobs is not None else default_jobs(), len(jobs))
        WorkerPool(engine.name, engine.max_chars, cache_root, size, stats, engine.block_size).run(list(jobs), on_done)

    def summary(self) -> str | None:
        return None

    def close(self) -> None:
        pass


def _open_local(address: str | None, jobs: int | None, shared_cache: Path | None) -> Executor:
    return LocalExecutor(jobs)


def _open_dask(address: str | None, jobs: int | None, shared_cache: Path | None) -> Executor:
    # The cluster module imports nothing of Dask until a cluster is asked for.
    from .cluster import DaskExecutor

    assert address is not None
    return DaskExecutor(address, shared_cache=shared_cache)


# The registry: how `open_executor` makes each kind. A new kind is a module with a class
# following Executor and a line here (and the rule in open_executor that picks it).
EXECUTORS: dict[str, Callable[[str | None, int | None, Path | None], Executor]] = {
    "local": _open_local,
    "dask": _open_dask,
}


def open_executor(cluster: str | None = None, jobs: int | None = None, shared_cache: Path | None = None) -> Executor:
    """The local pool of `jobs` processes, or, given a cluster address, that cluster (connected and checked now)."""
    return EXECUTORS["dask" if cluster else "local"](cluster, jobs, shared_cache)
