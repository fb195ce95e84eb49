"""Benchmark: `audiobook plan --json` on 2 MB and 20 MB texts; wall time, peak memory and their ratios.

Run: .venv/bin/python tests/benchmarks/bench_plan.py [--mb 20]
Each size runs in a fresh subprocess so peak RSS is that run's alone. Linear
scaling shows as a time ratio near the size ratio (10x) and memory that grows
with the text, not faster.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "new-statesman-two-articles.txt"


def make_text(path: Path, megabytes: float) -> int:
    """Write about `megabytes` of magazine text: the sample's articles, repeated with numbered titles."""
    sample = SAMPLE.read_text(encoding="utf-8")
    target = int(megabytes * 1_000_000)
    written = 0
    n = 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            n += 1
            chunk = sample.replace("Lost youth", f"Lost youth {n}").replace("Losing Momentum", f"Losing Momentum {n}")
            out.write(chunk + "\n\n")
            written += len(chunk.encode("utf-8")) + 2
    return written


def run_plan(path: Path) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, stdout bytes) of one `plan --json` run in a child process."""
    code = (
        "import resource, sys, runpy\n"
        "sys.argv = ['audiobook', 'plan', '--json', sys.argv[1]]\n"
        "try:\n"
        "    runpy.run_module('audiobook', run_name='__main__')\n"
        "finally:\n"
        "    sys.stderr.write('RSS %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(proc.stderr.decode()[-2000:])
    rss_kb = int(proc.stderr.decode().strip().rsplit("RSS ", 1)[1])
    return seconds, rss_kb / 1024, len(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=20.0, help="size of the large text (default 20)")
    args = parser.parse_args()
    sizes = [args.mb / 10, args.mb]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes:
            path = Path(tmp) / f"edition-{mb:g}mb.txt"
            size = make_text(path, mb)
            seconds, rss_mb, out = run_plan(path)
            results.append((size, seconds, rss_mb))
            print(f"{size / 1e6:6.1f} MB text: {seconds:6.2f} s, peak RSS {rss_mb:7.1f} MB, "
                  f"{size / 1e6 / seconds:5.2f} MB/s, JSON out {out / 1e6:.1f} MB")
    (s1, t1, m1), (s2, t2, m2) = results
    print(f"ratios large/small: size {s2 / s1:.1f}x, time {t2 / t1:.1f}x, peak RSS {m2 / m1:.1f}x")
    print(f"cpu count {os.cpu_count()}, python {sys.version.split()[0]}, "
          f"load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "")
    _ = resource  # imported for the child's measurement; kept for clarity


if __name__ == "__main__":
    main()
