"""Run every bench_*.py in this folder in turn (`make bench`); the structure benchmark has its own target."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    here = Path(__file__).resolve().parent
    failed = []
    for script in sorted(here.glob("bench_*.py")):
        if script.name == "bench_structure.py":
            continue  # needs its corpus built from packages: `make bench-structure`
        print(f"== {script.name}", flush=True)
        started = time.perf_counter()
        code = subprocess.run([sys.executable, str(script)]).returncode
        print(f"== {script.name}: {'ok' if code == 0 else f'exit {code}'} in {time.perf_counter() - started:.1f} s\n", flush=True)
        if code:
            failed.append(script.name)
    if failed:
        sys.exit(f"benchmarks failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
