"""Publish stage benchmark: transcripts/pages, feed with file verification, and the preview server.

Run: .venv/bin/python tests/benchmarks/bench_publish.py [--hours 2]
Makes a synthetic edition (6 articles per hour, a sentence every 6 s, MP3-sized
random files at 64 kb/s: publish never decodes audio, it hashes and describes it)
and prints each figure beside a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import random
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from audiobook.manifest import ArticleEntry, Cue, FileEntry, Manifest, SectionEntry  # noqa: E402
from audiobook.publish import publish_edition, publish_site  # noqa: E402
from audiobook.publish.catalog import MEMO_NAME, scan_editions  # noqa: E402
from audiobook.publish.config import PublishConfig  # noqa: E402
from audiobook.publish.feed import build_feed  # noqa: E402
from audiobook.publish.serve import make_server  # noqa: E402

T = TypeVar("T")
BYTES_PER_S = 64_000 // 8
ARTICLE_S = 600.0
SENTENCE_S = 6.0


def _write(folder: Path, rel: str, size: int) -> FileEntry:
    digest = hashlib.sha256()
    with (folder / rel).open("wb") as fh:
        left = size
        while left:
            chunk = os.urandom(min(left, 1 << 20))
            fh.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
    return FileEntry(rel, size, digest.hexdigest())


def make_edition(output: Path, hours: float) -> Manifest:
    folder = output / "bench-edition"
    folder.mkdir(parents=True)
    n_articles = max(1, round(hours * 3600 / ARTICLE_S))
    articles = []
    for n in range(1, n_articles + 1):
        offset_s = (n - 1) * ARTICLE_S
        sections = tuple(
            SectionEntry(f"ch{k}", f"Section {k + 1} <of> article {n}", k * ARTICLE_S / 4, (k + 1) * ARTICLE_S / 4,
                         offset_s + k * ARTICLE_S / 4, offset_s + (k + 1) * ARTICLE_S / 4)
            for k in range(4)
        )
        cues = tuple(
            Cue(i * SENTENCE_S, (i + 1) * SENTENCE_S - 0.3, f"Sentence {i + 1} of article {n}, about twenty words long, "
                "with a comma, an ampersand & a <tag> that must be escaped everywhere it goes.")
            for i in range(int(ARTICLE_S / SENTENCE_S))
        )
        articles.append(ArticleEntry(n, f"article-{n}", f"Article {n}", "A standfirst.", ("A. Writer",), (), "en",
                                     "2024-03-01", ARTICLE_S, _write(folder, f"{n:02d}-article-{n}.mp3", int(ARTICLE_S * BYTES_PER_S)),
                                     sections, cues))
    total_s = n_articles * ARTICLE_S
    manifest = Manifest("bench-edition", "Bench edition", "Bench", "2024-03-01", "en", "2024-03-01T06:00:00Z", "bench",
                        {"pauses": {"sentence_ms": 300, "paragraph_ms": 700}}, total_s,
                        _write(folder, "bench-edition.mp3", int(total_s * BYTES_PER_S)),
                        _write(folder, "bench-edition.m3u8", 200), _write(folder, "cover.jpg", 50_000), tuple(articles))
    manifest.write(folder)
    return manifest


def timed(fn: Callable[..., T], *args: Any) -> tuple[T, float, int]:
    """(result, seconds, peak traced bytes): timed on a plain run, memory on a second, traced run."""
    start = time.perf_counter()
    result = fn(*args)
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    fn(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=2.0, help="edition length (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp)
        manifest = make_edition(output, args.hours)
        folder = output / manifest.slug
        n_cues = sum(len(a.cues) for a in manifest.articles)
        audio_bytes = sum(p.stat().st_size for p in folder.glob("*.mp3"))
        print(f"edition: {args.hours:g} h, {len(manifest.articles)} articles, {n_cues} sentences, {audio_bytes / 1e6:.0f} MB of audio files")

        published, t_edition, peak_edition = timed(publish_edition, manifest, folder)
        published.write(folder)
        page_bytes = (folder / "index.html").stat().st_size
        extras_bytes = sum((folder / e.path).stat().st_size for a in published.articles for e in a.extras.values())
        print(f"publish_edition: {t_edition:.2f} s ({n_cues / t_edition:,.0f} sentences/s), peak Python memory {peak_edition / 1e6:.1f} MB")
        print(f"  edition page {page_bytes / 1e6:.2f} MB ({page_bytes / n_cues:.0f} B/sentence); transcripts+chapters {extras_bytes / 1e6:.2f} MB")

        # Baseline: hashing every audio file once with nothing else around it.
        start = time.perf_counter()
        for p in folder.glob("*.mp3"):
            digest = hashlib.sha256()
            with p.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
        t_read = time.perf_counter() - start
        memo = output / MEMO_NAME
        memo.unlink(missing_ok=True)
        _, t_site, peak_site = timed(publish_site, output, "https://example.org/audio")  # 2nd (traced) run uses the memo
        start = time.perf_counter()
        publish_site(output, "https://example.org/audio")
        t_memo = time.perf_counter() - start
        editions, _ = scan_editions(output)
        _, t_feed, _ = timed(build_feed, editions, PublishConfig(base_url="https://example.org/audio"))
        print(f"publish_site, first run: {t_site:.2f} s; bare sha256 of all audio {t_read:.2f} s "
              f"→ {t_site / t_read:.2f}× the bare hashing ({audio_bytes / 1e6 / t_site:.0f} MB/s verified)")
        print(f"publish_site, files unchanged (hash memo): {t_memo:.3f} s → {t_site / t_memo:.0f}× faster; "
              f"feed XML alone {t_feed * 1000:.0f} ms; peak Python memory {peak_site / 1e6:.1f} MB")

        server = make_server(output, 0, quiet=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        rel = f"/{manifest.slug}/{manifest.articles[0].file.path}"
        size = manifest.articles[0].file.size_bytes
        conn = http.client.HTTPConnection("127.0.0.1", port)
        rng = random.Random(1)
        latencies = []
        for _ in range(200):
            start_b = rng.randrange(0, size - 65536)
            t0 = time.perf_counter()
            conn.request("GET", rel, headers={"Range": f"bytes={start_b}-{start_b + 65535}"})
            resp = conn.getresponse()
            body = resp.read()
            latencies.append(time.perf_counter() - t0)
            assert resp.status == 206 and len(body) == 65536
        t0 = time.perf_counter()
        conn.request("GET", rel)
        full = conn.getresponse().read()
        t_full = time.perf_counter() - t0
        conn.close()
        server.shutdown()
        server.server_close()
        latencies.sort()
        print(f"serve: 200 × 64 KiB ranges, median {latencies[100] * 1000:.2f} ms, p95 {latencies[190] * 1000:.2f} ms; "
              f"full {len(full) / 1e6:.1f} MB file at {len(full) / 1e6 / t_full:.0f} MB/s "
              f"(a 64 kb/s listener needs {BYTES_PER_S / 1e6:.3f} MB/s: {len(full) / t_full / BYTES_PER_S:,.0f}× headroom)")


if __name__ == "__main__":
    main()
