"""Synthesis on a Dask cluster of two local workers against the local pool of two processes, side by side, espeak and Piper."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from audiobook.synthesise import ClipRequest, SynthesisStats, synthesise  # noqa: E402
from audiobook.synthesise.executor import Executor, LocalExecutor  # noqa: E402
from audiobook.voice import VoiceProfile  # noqa: E402

sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
from bench_synthesis import sample_sentences  # noqa: E402

BIN = Path(sys.executable).parent
WORKERS = 2


def start_cluster(scratch: Path) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A `dask scheduler` and WORKERS `dask worker`s (one thread each) on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = []
    commands = [[str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]]
    commands += [
        [str(BIN / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard", "--host", "127.0.0.1"]
        for _ in range(WORKERS)
    ]
    for i, command in enumerate(commands):
        log = open(scratch / f"dask-{i}.log", "wb")  # noqa: SIM115 - open while the process runs
        worker_env = {**env, "AUDIOBOOK_CACHE_DIR": str(scratch / f"worker{i}-cache")}
        procs.append(subprocess.Popen(command, env=worker_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        if i == 0:
            time.sleep(2)
    from distributed import Client

    client = Client(address, timeout=30, set_as_default=False)
    client.wait_for_workers(WORKERS, timeout=120)
    client.close()
    return address, procs


def timed(sentences: list[str], engine: str, executor: Executor, cache: Path) -> tuple[float, float]:
    """(wall s, audio s) of synthesising every sentence into an empty cache."""
    profile = VoiceProfile(name=f"bench-{engine}", engine=engine)
    requests = [ClipRequest(s, f"sentence {i + 1}") for i, s in enumerate(sentences)]
    stats = SynthesisStats()
    start = time.perf_counter()
    clips = synthesise(requests, profile, cache_dir=cache, stats=stats, executor=executor)
    wall = time.perf_counter() - start
    assert stats.clips_made == len(set(sentences)), stats
    return wall, sum(c.duration_s for c in clips)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2, help="runs of each, interleaved; the best is kept")
    parser.add_argument("--piper-sentences", type=int, default=80, help="Piper gets the sample's first N sentences")
    parser.add_argument("--engines", default="espeak,piper", help="comma-separated: espeak, piper")
    args = parser.parse_args()
    sentences = sample_sentences()
    from audiobook.synthesise.cluster import DaskExecutor

    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        scratch = Path(tmp)
        address, procs = start_cluster(scratch)
        try:
            cluster = DaskExecutor(address)
            local = LocalExecutor(jobs=WORKERS)
            print(f"{os.cpu_count()} cores; local pool of {WORKERS} processes vs Dask, {WORKERS} workers x 1 thread, same machine")
            print(f"{'engine':<8} {'sentences':>9} {'audio s':>8} {'local s':>8} {'cluster s':>9} {'cluster/local':>13}")
            n = 0
            wanted = args.engines.split(",")
            for engine, subset in (("espeak", sentences), ("piper", sentences[: args.piper_sentences])):
                if engine not in wanted:
                    continue
                best = {"local": float("inf"), "cluster": float("inf")}
                audio = 0.0
                for _ in range(args.rounds):
                    for name, executor in (("local", local), ("cluster", cluster)):
                        n += 1
                        # A fresh cache each run, the workers' included (given as the shared cache).
                        cluster.shared_cache = scratch / f"shared-{n}"
                        wall, audio = timed(subset, engine, executor, scratch / f"cache-{n}")
                        best[name] = min(best[name], wall)
                ratio = best["cluster"] / best["local"]
                print(f"{engine:<8} {len(subset):>9} {audio:>8.0f} {best['local']:>8.2f} {best['cluster']:>9.2f} {ratio:>12.2f}x")
            print(cluster.summary())
            cluster.close()
        finally:
            for proc in reversed(procs):
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()


if __name__ == "__main__":
    main()
