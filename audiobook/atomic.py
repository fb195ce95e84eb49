"""Atomic file output: write a temp file in the same folder, then os.replace."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import AudiobookError


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# mkstemp makes files 0600; outputs are read by web servers and other users, so
# they get the mode an ordinary open() would give (0644 under the usual umask).
FILE_MODE = 0o666 & ~_umask()
# Errors that mean the disk, not the program, failed: reported as one line.
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


@contextlib.contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temp path beside `final`; on success fsync and move it into place.

    On any exception the temp file is removed, so no partial file is ever
    visible under the final name.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_orphans(final)
    # The writer's pid in the name lets a later writer tell a dead writer's leftovers from live work.
    fd, name = tempfile.mkstemp(prefix=f".{final.name}.{os.getpid()}-", suffix=".part" + final.suffix, dir=final.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        os.chmod(tmp, FILE_MODE)
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
            raise AudiobookError(f"no space left on the device writing {final}: free some space and run again") from exc
        raise


def write_link(source: Path, final: Path) -> None:
    """Name `source`'s file also `final` (a hard link; a copy where links cannot be made), atomically.

    Every writer here replaces a file through a new temp file (atomic_path), never
    writing into it, so a later write under either name leaves the other's bytes alone.
    """
    with atomic_path(final) as tmp:
        tmp.unlink()
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)


def writer_alive(pid: int) -> bool:
    """Whether the process that named a temp file after itself may still write to it."""
    if pid == os.getpid():
        return True  # another thread of this process may be writing the same name
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    # A killed writer whose parent died too is a zombie until init reaps it, and some
    # containers' init never does: it writes nothing more, so it counts as dead.
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rpartition(b")")[2].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def remove_orphans(final: Path) -> list[Path]:
    """Delete temp files for `final` left by writers that died (SIGKILL, power cut); returns them.

    Without this every interrupted build would leave its half-written files
    beside the outputs for ever.
    """
    prefix, suffix = f".{final.name}.", ".part" + final.suffix
    removed: list[Path] = []
    try:
        names = os.listdir(final.parent)
    except OSError:
        return removed
    for name in names:
        if not (name.startswith(prefix) and name.endswith(suffix)):
            continue
        pid_text, dash, _rest = name[len(prefix) :].partition("-")
        if dash and pid_text.isdigit() and not writer_alive(int(pid_text)):
            with contextlib.suppress(FileNotFoundError):
                (final.parent / name).unlink()
                removed.append(final.parent / name)
    return removed


def write_bytes(final: Path, data: bytes) -> None:
    """Write bytes to `final` atomically."""
    with atomic_path(final) as tmp:
        tmp.write_bytes(data)


def write_text(final: Path, text: str) -> None:
    """Write UTF-8 text to `final` atomically (newlines as given)."""
    write_bytes(final, text.encode("utf-8"))
