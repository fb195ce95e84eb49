"""The sample edition built cold, warm and after a one-paragraph edit, side by side with the plain pipeline.

Plain pipeline = what a user would otherwise run: `espeak-ng -f text --stdout |
ffmpeg -i - -ac 1 -b:a 64k out.mp3` (one file, no chapters, no loudness, no tags).
Every figure comes from this one run, on this machine, measured side by side.
Peak memory is the largest resident set of any process in each command's tree.
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
SAMPLE = ROOT / "tests" / "fixtures" / "new-statesman-two-articles.txt"
EDIT = ("Momentum HQ is in the TSSA", "Momentum HQ, it turns out, is in the TSSA")

# Runs a command and prints its wall time and the peak RSS (kB) of its process tree.
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """(wall seconds, peak RSS in MB) of a command, in a fresh measuring process."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, env=env, check=True)
    seconds, rss_kb, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"command failed ({code}): {' '.join(cmd)}\n{out.stderr}")
    return float(seconds), int(rss_kb) // 1024


def plain(text: Path, out: Path, rate: int | None = None) -> list[str]:
    extra = f" -ar {rate}" if rate else ""
    script = f"espeak-ng -f '{text}' --stdout | ffmpeg -v error -y -i - -ac 1{extra} -b:a 64k '{out}'"
    return ["bash", "-o", "pipefail", "-c", script]


def build(source: Path, out: Path, cache: Path) -> list[str]:
    return [sys.executable, "-m", "audiobook", "build", str(source), "-o", str(out), "--cache-dir", str(cache), "-q"]


def main() -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        out, cache = root / "out", root / "cache"
        edited = root / "edited.txt"
        text = SAMPLE.read_text(encoding="utf-8")
        edited.write_text(text.replace(*EDIT, 1), encoding="utf-8")

        rows: list[tuple[str, float, int]] = []
        plain_s, plain_mb = measure(plain(SAMPLE, root / "plain.mp3"))
        rows.append(("plain pipeline (22.05 kHz, LAME default quality)", plain_s, plain_mb))
        plain44_s, plain44_mb = measure(plain(SAMPLE, root / "plain44.mp3", 44100))
        rows.append(("plain pipeline at 44.1 kHz (our output rate)", plain44_s, plain44_mb))
        cold_s, cold_mb = measure(build(SAMPLE, out, cache), env)
        rows.append(("build, cold (empty clip cache, empty output)", cold_s, cold_mb))
        warm_s, warm_mb = measure(build(SAMPLE, out, cache), env)
        rows.append(("build again, nothing changed", warm_s, warm_mb))
        edit_s, edit_mb = measure(build(edited, out, cache), env)
        rows.append(("build after editing one paragraph", edit_s, edit_mb))
        shutil.rmtree(out)
        assemble_s, assemble_mb = measure(build(SAMPLE, out, cache), env)
        rows.append(("build, warm clip cache, empty output", assemble_s, assemble_mb))
        again_s, _ = measure(plain(SAMPLE, root / "plain.mp3"))
        rows.append(("plain pipeline again (load drift check)", again_s, plain_mb))

        manifest = json.loads((out / "new-statesman-23-march-2017" / "edition.json").read_text(encoding="utf-8"))
        minutes = manifest["duration_s"] / 60
        base = (plain_s + again_s) / 2
        print(f"sample edition: {minutes:.1f} min of audio, {len(manifest['articles'])} articles; {os.cpu_count()} CPUs")
        print(f"{'':52} {'seconds':>8} {'x plain':>8} {'peak MB':>8}")
        for label, seconds, mb in rows:
            print(f"{label:52} {seconds:8.2f} {seconds / base:8.2f} {mb:8d}")
        print("targets: cold <= 1.50x, unchanged <= 0.10x, one paragraph edited <= 0.50x (x plain = / mean of both plain runs)")
        work = out / "new-statesman-23-march-2017" / ".build"
        chunks = len(list(work.glob("c-*.mp3")))
        print(f"articles are encoded in {chunks} chunks; an edit re-encodes the chunks it touches, then joins frames")


if __name__ == "__main__":
    main()
