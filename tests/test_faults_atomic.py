"""The atomic write gateway under faults: dead writers' leftovers, a full disk, file modes."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from audiobook import atomic
from audiobook.atomic import atomic_path, remove_orphans, write_bytes
from audiobook.errors import AudiobookError


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(proc.stdout)


def test_a_dead_writers_temp_file_goes_at_the_next_write_and_nothing_else_does(tmp_path: Path) -> None:
    final = tmp_path / "edition.mp3"
    dead = tmp_path / f".edition.mp3.{_dead_pid()}-abc123.part.mp3"
    live = tmp_path / f".edition.mp3.{os.getppid()}-def456.part.mp3"  # pytest's parent: alive
    other = tmp_path / f".other.mp3.{_dead_pid()}-abc123.part.mp3"
    legacy = tmp_path / ".edition.mp3.oldstyle.part.mp3"  # no pid: cannot tell, so kept
    for path in (dead, live, other, legacy):
        path.write_bytes(b"half")
    write_bytes(final, b"whole")
    assert final.read_bytes() == b"whole"
    assert not dead.exists()
    assert live.exists() and other.exists() and legacy.exists()
    assert remove_orphans(tmp_path / "other.mp3") == [other]


def test_full_disk_is_one_line_and_the_old_file_stays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    final = tmp_path / "feed.xml"
    final.write_bytes(b"<old/>")

    def full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "replace", full)
    with pytest.raises(AudiobookError, match=f"no space left on the device writing {final}"):
        write_bytes(final, b"<new/>")
    assert final.read_bytes() == b"<old/>"
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]


def test_other_errors_pass_through_and_leave_no_temp(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        with atomic_path(tmp_path / "x.json") as tmp:
            tmp.write_bytes(b"{")
            raise ValueError("encoder failed")
    assert list(tmp_path.iterdir()) == []


def test_outputs_are_world_readable_like_any_file(tmp_path: Path) -> None:
    write_bytes(tmp_path / "index.html", b"<html></html>")
    mode = stat.S_IMODE((tmp_path / "index.html").stat().st_mode)
    assert mode == 0o666 & ~atomic._umask()
    assert mode & stat.S_IROTH
