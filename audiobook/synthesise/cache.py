"""The sentence cache: content-addressed mono 16-bit WAV clips, written atomically, verified on read."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import struct
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
import tempfile
from pathlib import Path

from ..atomic import writer_alive
# Re-exported: where the clips live is where every cache lives.
from ..cache_dir import ENV_VAR as ENV_VAR, default_cache_dir as default_cache_dir, resolve_cache_dir as resolve_cache_dir

# Bump when anything that shapes a clip changes outside the key (splitting, gaps).
FORMAT_VERSION = 2  # 2: clips trimmed of edge silence
_HEADER = struct.Struct("<4sI4s4sIHHIIHH4sI")
HEADER_BYTES = _HEADER.size  # 44


def clip_key(text: str, engine: str, engine_version: str, params: Mapping[str, object]) -> str:
    """sha256 over everything that changes the sound of a clip."""
    blob = json.dumps(
        {"format": FORMAT_VERSION, "text": text, "engine": engine, "version": engine_version, "params": dict(params)},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def wav_bytes(pcm: bytes, sample_rate_hz: int) -> bytes:
    """A canonical 44-byte-header mono 16-bit PCM WAV file."""
    n = len(pcm)
    header = _HEADER.pack(
        b"RIFF", 36 + n, b"WAVE", b"fmt ", 16, 1, 1, sample_rate_hz, sample_rate_hz * 2, 2, 16, b"data", n
    )
    return header + pcm


def _write_atomic(final: Path, data: bytes) -> None:
    """Temp file beside `final`, then os.replace: readers see the whole clip or none.

    Unlike audiobook.atomic this skips fsync (7 ms a clip here, more than making
    it): a clip lost or torn by a power cut fails verification on read and is
    simply made again.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    _remove_orphans(final)
    # The writer's pid in the name tells a dead writer's leftovers from live work.
    fd, name = tempfile.mkstemp(prefix=f".{final.name}.{os.getpid()}-", suffix=".part", dir=final.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(name, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def _remove_orphans(final: Path) -> None:
    """Delete temp files for `final` left by a writer that died mid-write.

    Ctrl-C kills busy engine workers at once (see WorkerPool.run); one killed while
    writing leaves its temp file, and the rerun makes that very clip again, so it
    goes then. Clips are named by content, so nothing else would ever reach it.
    """
    prefix = f".{final.name}."
    try:
        names = os.listdir(final.parent)
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".part")):
            continue
        pid, dash, _rest = name[len(prefix) :].partition("-")
        if dash and pid.isdigit() and not writer_alive(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(final.parent / name)


def remove_dead_temps(folder: Path, wait_s: float = 0.0) -> None:
    """Delete temp clip files in `folder` whose writer is dead (see WorkerPool.run on Ctrl-C).

    A writer just killed through its parent's death (PDEATHSIG) takes a moment to
    die: its temp file is waited for up to `wait_s`, then left for the rerun.
    """
    deadline = time.monotonic() + wait_s
    while True:
        try:
            names = os.listdir(folder)
        except OSError:
            return
        live = False
        for name in names:
            if name.startswith(".") and name.endswith(".part"):
                pid, dash, _rest = name.rpartition(".wav.")[2].partition("-")
                if not (dash and pid.isdigit()):
                    continue
                if writer_alive(int(pid)):
                    live = True
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(folder / name)
        if not live or time.monotonic() >= deadline:
            return
        time.sleep(0.02)




@dataclass(frozen=True)
class Entry:
    path: Path
    sample_rate_hz: int
    n_samples: int


def _parse(data: bytes) -> tuple[int, int] | None:
    """(sample_rate_hz, n_samples) when `data` is one of our WAV files and whole, else None."""
    if len(data) < HEADER_BYTES:
        return None
    riff, riff_size, wave, fmt, fmt_size, codec, channels, rate, byte_rate, align, bits, tag, n = _HEADER.unpack_from(data)
    sane = (
        riff == b"RIFF" and wave == b"WAVE" and fmt == b"fmt " and tag == b"data" and fmt_size == 16
        and codec == 1 and channels == 1 and bits == 16 and align == 2 and 0 < rate <= 192000
        and byte_rate == 2 * rate and riff_size == 36 + n and len(data) == HEADER_BYTES + n and n % 2 == 0
    )
    return (rate, n // 2) if sane else None


class ClipCache:
    """Clips under <root>/clips/<2 hex>/<key>-<crc32>.wav; the crc32 of the samples lives in the name."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.clips = root / "clips"
        self._listing: dict[str, list[str]] = {}

    def _dir(self, key: str) -> Path:
        return self.clips / key[:2]

    def _names(self, key: str) -> list[str]:
        # One listdir per shard and call: a warm lookup of a whole edition stays cheap.
        shard = key[:2]
        if shard not in self._listing:
            try:
                self._listing[shard] = sorted(os.listdir(self.clips / shard))
            except FileNotFoundError:
                self._listing[shard] = []
        prefix = key + "-"
        return [n for n in self._listing[shard] if n.startswith(prefix) and n.endswith(".wav")]

    def get(self, key: str) -> Entry | None:
        """The verified entry for `key`; a corrupt one is deleted and reported as a miss."""
        for name in self._names(key):
            path = self._dir(key) / name
            try:
                data = path.read_bytes()
            except OSError:
                continue
            parsed = _parse(data)
            want = name[len(key) + 1 : -len(".wav")]
            if parsed is not None and f"{zlib.crc32(data, 0) & 0xFFFFFFFF:08x}" == want:
                return Entry(path, parsed[0], parsed[1])
            # Never used: removed so the clip is made again (a racing writer's
            # entry has a different temp name until its atomic rename).
            with contextlib.suppress(OSError):
                path.unlink()
        return None

    def put(self, key: str, pcm: bytes, sample_rate_hz: int) -> Entry:
        """Store a clip atomically and return its entry (safe when builds race: same key, same bytes)."""
        data = wav_bytes(pcm, sample_rate_hz)
        path = self._dir(key) / f"{key}-{zlib.crc32(data, 0) & 0xFFFFFFFF:08x}.wav"
        _write_atomic(path, data)
        self._listing.pop(key[:2], None)
        return Entry(path, sample_rate_hz, len(pcm) // 2)

    def info(self) -> tuple[int, int]:
        """(number of clips, total bytes)."""
        count = size = 0
        if self.clips.is_dir():
            for dirpath, _dirs, files in os.walk(self.clips):
                for f in files:
                    if f.endswith(".wav") and not f.startswith("."):
                        count += 1
                        with contextlib.suppress(OSError):
                            size += os.path.getsize(os.path.join(dirpath, f))
        return count, size

    def clear(self) -> int:
        """Delete every clip; returns how many there were."""
        count, _ = self.info()
        if self.clips.is_dir():
            shutil.rmtree(self.clips)
        return count
