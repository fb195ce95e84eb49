"""Limits: a 50 MB input is refused up front, in one line, in bounded memory; inputs just under the limit still read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from audiobook.errors import InputError
from audiobook.ingest.reader import read_bytes
from audiobook.ingest.rules import load_rules
from audiobook.limits import MAX_TEXT_BYTES, check_text_size

# Runs the CLI as a child and reports the child's peak RSS (ru_maxrss is in KiB on Linux).
MEASURE = """
import resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(f"{proc.returncode}\\n{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n{proc.stderr}")
"""


def _big_markdown(path: Path, size_bytes: int) -> None:
    paragraph = ("The harbour reopened on Monday after three weeks of repairs, and the boats queued at dawn. " * 8) + "\n\n"
    with open(path, "w", encoding="utf-8") as fh:
        written, n = 0, 0
        while written < size_bytes:
            n += 1
            chunk = f"# Article {n}\n\n" + paragraph * 6
            fh.write(chunk)
            written += len(chunk)


@pytest.mark.parametrize("command", ["plan", "build"])
def test_50_mb_input_is_refused_in_one_line_and_bounded_memory(tmp_path: Path, command: str) -> None:
    big = tmp_path / "big.md"
    _big_markdown(big, 50 * 2**20)
    args = [sys.executable, "-m", "audiobook", command, str(big)] + (["-o", str(tmp_path / "out"), "-q"] if command == "build" else [])
    out = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, check=True, timeout=300).stdout
    code, peak_kib, stderr = out.split("\n", 2)
    assert int(code) == 2
    assert stderr.strip().splitlines() == [
        f"audiobook: error: {big}: more than 32 MB of text, the limit for one edition; split it into several editions"
    ]
    # Read once and refused: about the file's size plus the interpreter, not a parse of it (670 MB).
    assert int(peak_kib) < 250 * 1024, f"peak RSS {int(peak_kib) // 1024} MB"
    assert not (tmp_path / "out").exists()
    print(f"\n{command} of a 50 MB input: refused, peak RSS {int(peak_kib) // 1024} MB")


def test_stdin_is_limited_too(tmp_path: Path) -> None:
    data = b"# Big\n\n" + b"word " * (MAX_TEXT_BYTES // 5 + 10)
    proc = subprocess.run(
        [sys.executable, "-m", "audiobook", "plan", "-"], input=data, capture_output=True, check=False, timeout=120
    )
    assert proc.returncode == 2
    assert b"more than 32 MB of text" in proc.stderr and proc.stderr.count(b"\n") == 1


def test_endless_input_is_refused_at_the_limit_not_read_forever(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "audiobook", "plan", "/dev/zero"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    code, peak_kib, stderr = out.split("\n", 2)
    assert int(code) == 2 and "/dev/zero: more than 32 MB of text" in stderr
    assert int(peak_kib) < 200 * 1024


def test_limit_is_exact() -> None:
    check_text_size(MAX_TEXT_BYTES, "x")
    with pytest.raises(InputError, match="x: more than 32 MB of text, the limit for one edition"):
        check_text_size(MAX_TEXT_BYTES + 1, "x")
    # HTML has its own, larger reader limit; the text limit is not applied to it.
    page = b"<html><body><article><h1>T</h1><p>" + b"word " * 10 + b"</p></article></body></html>"
    articles, _ = read_bytes(page, "page.html", load_rules(None))
    assert articles
