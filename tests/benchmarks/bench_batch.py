"""A batch of the 21 real test editions, then of 42, cold: wall time, and the client's peak memory as the batch grows.

The client's own peak is VmHWM of its process (Linux /proc), sampled as it runs, with how many
editions were finished at each sample: bounded memory means the peak after the first few
editions is the peak at the end, and a batch twice as long peaks the same. The tree's peak
(client and its synthesis workers, from wait4) is printed beside it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EDITIONS = sorted((ROOT / "tests" / "fixtures" / "batch").glob("*.txt"))
STATE = ".audiobook-batch.json"


def _hwm_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _finished(site: Path) -> int:
    try:
        return len(json.loads((site / STATE).read_text(encoding="utf-8"))["editions"])
    except (OSError, ValueError, KeyError):
        return 0


def run_batch(sources: list[Path], site: Path, cache: Path) -> dict[str, float]:
    """One batch to its end: seconds, the client's peak RSS (MB) after 5 editions and at the end, the tree's."""
    cmd = [sys.executable, "-m", "audiobook", "batch", *map(str, sources), "-o", str(site), "--cache-dir", str(cache), "-q"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    log = site.parent / f"{site.name}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    at_five = peak = 0
    while True:
        hwm = _hwm_kb(proc.pid)
        if hwm is not None:
            peak = max(peak, hwm)
            if _finished(site) <= 5:
                at_five = peak
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.1)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"batch failed ({code}):\n{log.read_text(encoding='utf-8')[-3000:]}")
    return {"seconds": time.monotonic() - started, "client_mb_after_5": at_five / 1024, "client_mb": peak / 1024, "tree_mb": usage.ru_maxrss / 1024}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        # 42 editions: the 21, and each again under another title (one title, one folder).
        second = work / "second"
        second.mkdir()
        doubled = list(EDITIONS)
        for path in EDITIONS:
            title, _, rest = path.read_text(encoding="utf-8").partition("\n")
            copy = second / path.name
            copy.write_text(f"Second printing: {title}\n{rest}", encoding="utf-8")  # a suffix may fall past the slug's length
            doubled.append(copy)
        print(f"{'editions':>8}  {'seconds':>7}  {'rerun s':>7}  {'client MB after 5':>17}  {'client MB peak':>14}  {'tree MB peak':>12}")
        for n, sources in ((len(EDITIONS), EDITIONS), (len(doubled), doubled)):
            site, cache = work / f"site{n}", work / f"cache{n}"
            cold = run_batch(sources, site, cache)
            warm = run_batch(sources, site, cache)  # every edition unchanged
            print(f"{n:>8}  {cold['seconds']:>7.1f}  {warm['seconds']:>7.1f}  {cold['client_mb_after_5']:>17.0f}  "
                  f"{cold['client_mb']:>14.0f}  {cold['tree_mb']:>12.0f}")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
