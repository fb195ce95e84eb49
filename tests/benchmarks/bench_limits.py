"""Peak memory of reading text inputs near and over the size limit, each in its own process, side by side."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES_MB = (8, 16, 31, 50)  # 31 MB: just under audiobook.limits.MAX_TEXT_BYTES; 50 MB: refused
MEASURE = """
import resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], capture_output=True)
print(proc.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def write_markdown(path: Path, size_mb: int) -> None:
    paragraph = ("The harbour reopened on Monday after three weeks of repairs, and the boats queued at dawn. " * 8) + "\n\n"
    with open(path, "w", encoding="utf-8") as fh:
        written, n = 0, 0
        while written < size_mb * 2**20:
            n += 1
            chunk = f"# Article {n}\n\n" + paragraph * 6
            fh.write(chunk)
            written += len(chunk)


def main() -> None:
    print(f"{'input':>8} {'exit':>5} {'peak RSS':>10} {'RSS/input':>10} {'seconds':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for size_mb in SIZES_MB:
            path = Path(tmp) / f"{size_mb}.md"
            write_markdown(path, size_mb)
            started = time.monotonic()
            out = subprocess.run(
                [sys.executable, "-c", MEASURE, sys.executable, "-m", "audiobook", "plan", "--json", str(path)],
                capture_output=True, text=True, check=True,
            ).stdout.split()  # fmt: skip
            seconds = time.monotonic() - started
            code, peak_kib = int(out[0]), int(out[1])
            print(f"{size_mb:>6}MB {code:>5} {peak_kib / 1024:>8.0f}MB {peak_kib / 1024 / size_mb:>9.1f}x {seconds:>8.1f}")
            path.unlink()


if __name__ == "__main__":
    main()
