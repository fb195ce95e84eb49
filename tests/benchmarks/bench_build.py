"""The sample edition built cold, warm, after a one-sentence edit and with an M4B, side by side with the plain pipeline.

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
    "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(time.perf_counter() - t, r.ru_maxrss, code, r.ru_utime + r.ru_stime)\n"
)


def measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """(wall seconds, peak RSS in MB, CPU seconds of the whole process tree) of a command."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, env=env, check=True)
    seconds, rss_kb, code, cpu_s = out.stdout.split()
    if code != "0":
        raise SystemExit(f"command failed ({code}): {' '.join(cmd)}\n{out.stderr}")
    return float(seconds), int(rss_kb) // 1024, float(cpu_s)


def plain(text: Path, out: Path, rate: int | None = None) -> list[str]:
    extra = f" -ar {rate}" if rate else ""
    script = f"espeak-ng -f '{text}' --stdout | ffmpeg -v error -y -i - -ac 1{extra} -b:a 64k '{out}'"
    return ["bash", "-o", "pipefail", "-c", script]


def build(source: Path, out: Path, cache: Path, formats: str = "mp3") -> list[str]:
    return [sys.executable, "-m", "audiobook", "build", str(source), "-o", str(out), "--cache-dir", str(cache), "--format", formats, "-q"]


def one_round(root: Path, env: dict[str, str]) -> dict[str, tuple[float, int, float]]:
    """Every measurement once, in a fresh folder, interleaved so load drift hits all rows alike."""
    out, cache = root / "out", root / "cache"
    edited = root / "edited.txt"
    edited.write_text(SAMPLE.read_text(encoding="utf-8").replace(*EDIT, 1), encoding="utf-8")
    rows: dict[str, tuple[float, int, float]] = {}
    rows["plain"] = measure(plain(SAMPLE, root / "plain.mp3"))
    rows["plain44"] = measure(plain(SAMPLE, root / "plain44.mp3", 44100))
    rows["cold"] = measure(build(SAMPLE, out, cache), env)
    rows["warm"] = measure(build(SAMPLE, out, cache), env)
    rows["edit"] = measure(build(edited, out, cache), env)
    shutil.rmtree(out)
    rows["clips"] = measure(build(SAMPLE, out, cache), env)
    # What M4B adds, measured two ways: the same warm build into an empty folder with and without it
    # (the two differ by the M4B stage alone, so the difference is not lost in a cold build's noise),
    # and a second cold build with it, minus the first (a fresh cache: nothing shared).
    rows["clips_m4b"] = measure(build(SAMPLE, root / "out-clips-m4b", cache, "mp3,m4b"), env)
    rows["cold_m4b"] = measure(build(SAMPLE, root / "out-m4b", root / "cache-m4b", "mp3,m4b"), env)
    return rows


LABELS = {
    "plain": "plain pipeline (22.05 kHz, LAME default quality)",
    "plain44": "plain pipeline at 44.1 kHz (the former output rate)",
    "cold": "build, cold (empty clip cache, empty output)",
    "warm": "build again, nothing changed",
    "edit": "build after editing one sentence",
    "clips": "build, warm clip cache, empty output",
    "clips_m4b": "build, warm clip cache, empty output, mp3,m4b",
    "cold_m4b": "build, cold, --format mp3,m4b",
}
# Issue 14's targets, as ratios of wall time to the plain pipeline's.
TARGETS = {"cold": 1.5, "warm": 0.05, "edit": 0.3, "m4b": 0.3}


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    best: dict[str, tuple[float, int, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            root = Path(tmp) / f"round{r}"
            root.mkdir()
            for key, (seconds, mb, cpu) in one_round(root, env).items():
                prev = best.get(key)
                if prev is None:
                    best[key] = (seconds, mb, cpu)
                else:
                    best[key] = (min(seconds, prev[0]), max(mb, prev[1]), min(cpu, prev[2]))
            last = root
        manifest = json.loads((last / "out" / "new-statesman-23-march-2017" / "edition.json").read_text(encoding="utf-8"))
        chunks = len(list((last / "cache" / "builds").glob("*/c-*.mp3")))
    minutes = manifest["duration_s"] / 60
    base, base_cpu = best["plain"][0], best["plain"][2]
    print(f"sample edition: {minutes:.1f} min of audio, {len(manifest['articles'])} articles; {os.cpu_count()} CPUs")
    print(f"best of {rounds} interleaved rounds (the machine is shared); peak MB = largest RSS in the command's process tree")
    print(f"{'':52} {'seconds':>8} {'x plain':>8} {'CPU s':>7} {'x plain':>8} {'peak MB':>8}")
    for key, label in LABELS.items():
        seconds, mb, cpu = best[key]
        print(f"{label:52} {seconds:8.2f} {seconds / base:8.2f} {cpu:7.2f} {cpu / base_cpu:8.2f} {mb:8d}")
    # Wall time is the target; CPU time beside it, since a shared machine's load moves wall time most.
    ratios = {
        "cold": (best["cold"][0] / base, best["cold"][2] / base_cpu),
        "warm": (best["warm"][0] / base, best["warm"][2] / base_cpu),
        "edit": (best["edit"][0] / base, best["edit"][2] / base_cpu),
        "m4b": ((best["clips_m4b"][0] - best["clips"][0]) / base, (best["clips_m4b"][2] - best["clips"][2]) / base_cpu),
    }
    names = {"cold": "cold", "warm": "nothing changed", "edit": "one sentence edited", "m4b": "M4B stage added to a build"}
    for key, limit in TARGETS.items():
        wall, cpu = ratios[key]
        verdict = "ok" if wall <= limit else "MISSED"
        print(f"target {names[key]:28} {wall:6.3f}x plain wall, {cpu:6.3f}x CPU (<= {limit:.2f}x)  {verdict}")
    cold_pair = ((best["cold_m4b"][0] - best["cold"][0]) / base, (best["cold_m4b"][2] - best["cold"][2]) / base_cpu)
    print(f"(M4B as two cold builds' difference: {cold_pair[0]:6.3f}x plain wall, {cold_pair[1]:6.3f}x CPU; "
          "a cold build's own spread on a shared machine is larger than the stage)")
    print(f"articles are encoded in {chunks} chunks; an edit re-encodes the chunks it touches, then joins frames")


if __name__ == "__main__":
    main()
