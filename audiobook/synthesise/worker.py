"""The worker process: runs one engine, turns jobs into verified cache entries, reports back."""

from __future__ import annotations

from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import AudiobookError
from .cache import ClipCache
from .engine import Params, get_engine, silence_stdio
from .plausibility import check_duration


def join_pieces(pcms: list[bytes], sample_rate_hz: int, gap_ms: int) -> bytes:
    """Clause pieces of one sentence, with a short breath between them."""
    gap = b"\x00\x00" * (sample_rate_hz * gap_ms // 1000)
    return gap.join(pcms)


def run(conn: Connection, engine_name: str, cache_root: str) -> None:
    """Serve jobs until told to stop: ("job", id, key, pieces, voice, params, gap_ms) → a reply tuple."""
    # Engines print to stdout (pyttsx3) and C libraries to stderr; the pipe is the only channel.
    silence_stdio()
    try:
        engine = get_engine(engine_name)
        engine.prepare()
    except Exception as exc:  # any failure to start is reported, then the worker ends
        conn.send(("fatal", f"{engine_name} could not start: {exc}"))
        return
    cache = ClipCache(Path(cache_root))
    conn.send(("ready",))
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        _tag, job_id, key, pieces, voice, params, gap_ms = msg
        calls = 0
        try:
            pcms: list[bytes] = []
            rate = 0
            for piece in pieces:
                calls += 1
                pcm = engine.synthesise(piece, voice, Params(**params))
                if rate and pcm.sample_rate_hz != rate:
                    raise AudiobookError("engine changed sample rate within a sentence")
                rate = pcm.sample_rate_hz
                pcms.append(pcm.samples)
            samples = join_pieces(pcms, rate, gap_ms)
            duration_s = len(samples) / 2 / rate if rate else 0.0
            why = check_duration(" ".join(pieces), int(params.get("rate_wpm", 175)), duration_s)
            if why is not None:
                conn.send(("invalid", job_id, why, calls))
                continue
            entry = cache.put(key, samples, rate)
            conn.send(("ok", job_id, str(entry.path), entry.sample_rate_hz, entry.n_samples, calls))
        except Exception as exc:  # the engine is untrusted: any failure is one retryable reply
            conn.send(("error", job_id, f"{type(exc).__name__}: {exc}", calls))
