"""Synthesis on a real Dask cluster (a scheduler and workers on 127.0.0.1): same bytes as a local build, killed workers cost retries."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import SAMPLE, require_module, require_tool
from test_faults_kit import BASE_URL, EPOCH, REPO, tree_hashes

from audiobook import __version__
from audiobook.errors import AudiobookError
from audiobook.synthesise.cluster import ClusterError, WorkerReport, batches, check_engine_reports, check_reports
from audiobook.synthesise.pool import Job

BIN = Path(sys.executable).parent
VOICE = "espeak"  # deterministic clip by clip (each made in a fresh fork), and fast


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _env(extra: dict[str, str] | None = None, pythonpath: Path = REPO) -> dict[str, str]:
    env = dict(os.environ)
    env.update(SOURCE_DATE_EPOCH=EPOCH, PYTHONPATH=str(pythonpath), COLUMNS="200")
    env.update(extra or {})
    return env


@dataclass
class Cluster:
    """A `dask scheduler` and `dask worker` processes, each in its own process group so one can be killed whole."""

    root: Path
    port: int = field(default_factory=_free_port)
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _start(self, args: list[str], name: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
        with open(self.root / f"{name}.log", "wb") as log:
            proc = subprocess.Popen(args, env=env, cwd=self.root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def start(self, workers: int, pythonpath: Path = REPO) -> Cluster:
        self._start(
            [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard"],
            "scheduler", _env(),
        )  # fmt: skip
        for _ in range(workers):
            self.add_worker(pythonpath)
        self.wait_for(workers)
        return self

    def add_worker(self, pythonpath: Path = REPO) -> subprocess.Popen[bytes]:
        n = len(self.workers) + 1
        # Each worker its own cache: nothing is shared with the client but the network.
        env = _env({"AUDIOBOOK_CACHE_DIR": str(self.root / f"worker{n}-cache")}, pythonpath)
        args = [str(BIN / "dask"), "worker", self.address, "--nthreads", "1", "--nworkers", "1",
                "--no-dashboard", "--host", "127.0.0.1", "--name", f"worker{n}"]  # fmt: skip
        proc = self._start(args, f"worker{n}", env)
        self.workers.append(proc)
        return proc

    def wait_for(self, n: int, timeout_s: float = 120) -> None:
        from distributed import Client

        deadline = time.monotonic() + timeout_s
        while True:  # the scheduler may not listen yet
            try:
                client = Client(self.address, timeout=5, set_as_default=False)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        try:
            client.wait_for_workers(n, timeout=timeout_s)
        finally:
            client.close()

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL the process group: the nanny, its worker and the worker's engine processes."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)

    def stop(self) -> None:
        for proc in reversed(self.procs):
            self.kill(proc)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    require_module("distributed")
    require_tool("espeak-ng")
    require_tool("ffmpeg")
    root = tmp_path / "cluster"
    root.mkdir()
    c = Cluster(root)
    try:
        yield c.start(2)
    finally:
        c.stop()


def _build_command(out: Path, cache: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "audiobook", "build", str(SAMPLE), "-o", str(out), "--cache-dir", str(cache),
            "--voice", VOICE, "--base-url", BASE_URL, *args]  # fmt: skip


def _build(out: Path, cache: Path, *args: str, timeout_s: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_build_command(out, cache, *args), env=_env(), capture_output=True, text=True, timeout=timeout_s)


@pytest.fixture(scope="module")
def local_hashes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The sample built here, with the local pool: what every cluster build must equal, file for file."""
    require_tool("espeak-ng")
    require_tool("ffmpeg")
    root = tmp_path_factory.mktemp("local")
    run = _build(root / "out", root / "cache", "-q")
    assert run.returncode == 0, run.stderr
    hashes = tree_hashes(root / "out")
    assert any(name.endswith(".mp3") for name in hashes)
    return hashes


def test_a_cluster_build_is_byte_identical_to_a_local_one(cluster: Cluster, local_hashes: dict[str, str], tmp_path: Path) -> None:
    run = _build(tmp_path / "out", tmp_path / "cache", "--cluster", cluster.address)
    assert run.returncode == 0, run.stderr
    said = run.stdout + run.stderr
    assert f"the cluster at {cluster.address} made 302 clips on 2 workers" in said, said
    assert tree_hashes(tmp_path / "out") == local_hashes
    # Both workers spoke, each into its own cache: the clips reached the client over the network.
    for n in (1, 2):
        assert list((cluster.root / f"worker{n}-cache" / "clips").rglob("*.wav"))
    print(f"\ncluster: {len(local_hashes)} files identical to the local build's (2 workers)")


def test_a_worker_killed_mid_build_costs_retries_not_the_build(
    cluster: Cluster, local_hashes: dict[str, str], tmp_path: Path
) -> None:
    victim = cluster.workers[0]
    clips = cluster.root / "worker1-cache" / "clips"
    with open(tmp_path / "build.err", "wb") as err:
        build = subprocess.Popen(
            _build_command(tmp_path / "out", tmp_path / "cache", "--cluster", cluster.address),
            env=_env(), stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
        )  # fmt: skip
    try:
        # Killed once it has made some clips: its batch in hand is lost and made again elsewhere.
        deadline = time.monotonic() + 300
        while not (clips.is_dir() and sum(1 for _ in clips.rglob("*.wav")) >= 10):
            assert build.poll() is None, "the build ended before the worker could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert build.poll() is None
        made_before_kill = sum(1 for _ in clips.rglob("*.wav"))
        cluster.kill(victim)
        assert build.wait(timeout=600) == 0, (tmp_path / "build.err").read_text()
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert made_before_kill < 302
    assert tree_hashes(tmp_path / "out") == local_hashes
    print(f"\ncluster: a worker killed after {made_before_kill} clips; output identical to the local build's")


BATCH_EDITIONS = sorted((SAMPLE.parent / "batch").glob("*.txt"))[:3]


def _batch(site: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "audiobook", "batch", *map(str, BATCH_EDITIONS), "-o", str(site), "--cache-dir", str(cache),
               "--voice", VOICE, "--base-url", BASE_URL, *args]  # fmt: skip
    return subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=600)


def test_a_batch_on_the_cluster_makes_the_same_site_as_a_local_batch(cluster: Cluster, tmp_path: Path) -> None:
    local = _batch(tmp_path / "local", tmp_path / "local-cache", "-q")
    assert local.returncode == 0, local.stderr
    run = _batch(tmp_path / "site", tmp_path / "cache", "--cluster", cluster.address)
    assert run.returncode == 0, run.stderr
    # One connection for the batch; a line per edition (not quiet) says where its clips were made.
    said = run.stdout + run.stderr
    assert said.count(f"the cluster at {cluster.address} made") == len(BATCH_EDITIONS), said
    memo = ".audiobook-hashes.json"  # absolute paths by design (see test_batch)
    want = {k: v for k, v in tree_hashes(tmp_path / "local").items() if not k.endswith(memo)}
    assert {k: v for k, v in tree_hashes(tmp_path / "site").items() if not k.endswith(memo)} == want


def test_a_batch_with_an_unreachable_cluster_writes_nothing(tmp_path: Path) -> None:
    require_module("distributed")
    run = _batch(tmp_path / "site", tmp_path / "cache", "--cluster", f"tcp://127.0.0.1:{_free_port()}", "-q")
    assert run.returncode == 1 and "cannot reach the Dask scheduler at" in run.stderr, run.stderr
    assert not (tmp_path / "site").exists()


def test_an_unreachable_cluster_is_one_line_within_10_s_and_nothing_written(tmp_path: Path) -> None:
    require_module("distributed")
    for address in (f"tcp://127.0.0.1:{_free_port()}", "nonsense://nowhere"):
        start = time.monotonic()
        run = _build(tmp_path / "out", tmp_path / "cache", "--cluster", address, "-q", timeout_s=60)
        elapsed_s = time.monotonic() - start
        assert run.returncode == 1, run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and "cannot reach the Dask scheduler at" in lines[0] and address in lines[0], run.stderr
        assert elapsed_s < 10, elapsed_s
        assert not (tmp_path / "out").exists()


def test_a_worker_of_another_version_is_refused_naming_both(tmp_path: Path) -> None:
    """A real worker running a copy of the package whose version says 9.9.9."""
    require_module("distributed")
    other = tmp_path / "other"
    shutil.copytree(REPO / "audiobook", other / "audiobook", ignore=shutil.ignore_patterns("__pycache__"))
    init = other / "audiobook" / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8").replace(f'"{__version__}"', '"9.9.9"'), encoding="utf-8")
    root = tmp_path / "cluster"
    root.mkdir()
    c = Cluster(root)
    try:
        c.start(1, pythonpath=other)
        run = _build(tmp_path / "out", tmp_path / "cache", "--cluster", c.address, "-q", timeout_s=120)
    finally:
        c.stop()
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert f"has audiobook 9.9.9, this machine {__version__}" in lines[0]
    assert not (tmp_path / "out").exists()


# --- the pieces, without a cluster -------------------------------------------------------------


class _Engine:
    name = "espeak"

    def version(self) -> str:
        return "libespeak-ng 1.51"


def test_reports_are_compared_version_engine_and_voices() -> None:
    good = WorkerReport(__version__, 2, True, "", "libespeak-ng 1.51")
    check_engine_reports({"tcp://a:1": good}, "tcp://s:8786", _Engine(), ())  # type: ignore[arg-type]
    cases = [
        (WorkerReport("0.0.1", 2), f"worker tcp://a:1 has audiobook 0.0.1, this machine {__version__}"),
        (WorkerReport(__version__, 2, False, "libespeak-ng not found"), "cannot run engine espeak: libespeak-ng not found"),
        (WorkerReport(__version__, 2, True, "", "libespeak-ng 1.52"), "has libespeak-ng 1.52 for engine espeak, this machine libespeak-ng 1.51"),
        (WorkerReport(__version__, 2, True, "", "libespeak-ng 1.51", ("fr",)), "has no espeak voice fr"),
        (ModuleNotFoundError("No module named 'audiobook'"), "cannot run audiobook"),
    ]  # fmt: skip
    for report, said in cases:
        with pytest.raises(ClusterError, match=said.replace("(", r"\(").replace(")", r"\)")):
            check_engine_reports({"tcp://b:1": good, "tcp://a:1": report}, "tcp://s:8786", _Engine(), ("fr",))  # type: ignore[arg-type]
    with pytest.raises(ClusterError, match="has no workers"):
        check_reports({}, "tcp://s:8786")


def test_batches_are_whole_engine_blocks_in_order() -> None:
    jobs = [Job(f"{i:064x}", "text", f"sentence {i}", None, {}) for i in range(100)]
    for block in (1, 16):
        cut = batches(jobs, threads=2, block_size=block)
        assert [j for b in cut for j in b] == jobs
        assert all(len(b) % block == 0 for b in cut[:-1])
        assert len(cut) >= 2
    assert batches([], 2, 1) == []


def test_without_dask_the_cluster_is_one_line_saying_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from audiobook.synthesise.executor import open_executor

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(AudiobookError, match=r"pip install 'audiobook\[cluster\]'"):
        open_executor("tcp://127.0.0.1:8786")


def test_the_cluster_is_read_from_the_output_folders_settings(tmp_path: Path) -> None:
    from audiobook.commands.checks import resolve_cluster
    from audiobook.errors import UsageError

    (tmp_path / "audiobook.toml").write_text('[build]\ncluster = "tcp://10.0.0.5:8786"\n', encoding="utf-8")
    assert resolve_cluster(None, None, tmp_path) == ("tcp://10.0.0.5:8786", None)
    assert resolve_cluster("tcp://127.0.0.1:9", None, tmp_path) == ("tcp://127.0.0.1:9", None)  # the flag wins
    assert resolve_cluster(None, None, tmp_path / "new") == (None, None)
    with pytest.raises(UsageError, match="--cluster-cache"):
        resolve_cluster(None, tmp_path, tmp_path / "new")
