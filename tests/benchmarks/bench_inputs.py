"""Benchmark: reading a 20 MB web page and a long EPUB, beside the plain-text reader on the same words.

Run: .venv/bin/python tests/benchmarks/bench_inputs.py
Each reader runs in its own process so its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "epub"))

PARAGRAPH = "The quick brown fox jumps over the lazy dog by the river, and the ferry waits at the pier."
TARGET_BYTES = 20 * 2**20
PER_SECTION = 40


def _page() -> bytes:
    parts = ["<!DOCTYPE html><html lang='en'><head><title>Big</title></head><body><nav>Home News</nav>"
             "<article><h1>A very long page</h1>\n"]
    size = n = 0
    while size < TARGET_BYTES:
        if n % PER_SECTION == 0:
            parts.append(f"<h2>Part {n // PER_SECTION + 1}</h2>\n")
        chunk = f"<p>{PARAGRAPH}</p>\n"
        parts.append(chunk)
        size += len(chunk)
        n += 1
    parts.append("</article><footer>Footer</footer></body></html>\n")
    return "".join(parts).encode()


def _text(paragraphs: int) -> bytes:
    parts = ["A very long page\n\n"]
    for n in range(paragraphs):
        if n % PER_SECTION == 0:
            parts.append(f"Part {n // PER_SECTION + 1}\n\n")
        parts.append(PARAGRAPH + "\n\n")
    return "".join(parts).encode()


def _book(chapters: int, paragraphs: int) -> bytes:
    import make_fixtures

    files: dict[str, str | bytes] = {
        "META-INF/container.xml": make_fixtures.CONTAINER.format(opf="OPS/package.opf"),
    }
    items = "".join(f'<item id="c{n}" href="c{n}.xhtml" media-type="application/xhtml+xml"/>' for n in range(chapters))
    refs = "".join(f'<itemref idref="c{n}"/>' for n in range(chapters))
    files["OPS/package.opf"] = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Long</dc:title>'
        f"<dc:language>en</dc:language></metadata><manifest>{items}</manifest><spine>{refs}</spine></package>"
    )
    body = "".join(f"<p>{PARAGRAPH}</p>\n" for _ in range(paragraphs))
    for n in range(chapters):
        files[f"OPS/c{n}.xhtml"] = (f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>C{n}</title></head>'
                                    f"<body><h1>Chapter {n + 1}</h1>\n{body}</body></html>")
    data: bytes = make_fixtures.build_epub(files)
    return data


def _run(kind: str, raw: bytes, queue: multiprocessing.Queue[tuple[float, float, int]]) -> None:
    if kind == "html":
        from audiobook.ingest.html import read_html

        start = time.perf_counter()
        articles, _ = read_html(raw, "big.html")
    elif kind == "epub":
        from audiobook.ingest.epub import read_epub

        start = time.perf_counter()
        articles, _ = read_epub(raw, "big.epub")
    else:
        from audiobook.ingest.reader import read_bytes
        from audiobook.ingest.rules import load_rules

        rules = load_rules()
        start = time.perf_counter()
        articles, _ = read_bytes(raw, "big.txt", rules)
    elapsed_s = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((elapsed_s, peak_mb, sum(a.words for a in articles)))


def measure(kind: str, raw: bytes) -> tuple[float, float, int]:
    queue: multiprocessing.Queue[tuple[float, float, int]] = multiprocessing.Queue()
    process = multiprocessing.Process(target=_run, args=(kind, raw, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    page = _page()
    paragraphs = page.count(b"<p>")
    text = _text(paragraphs)
    book = _book(200, 150)
    rows = [("html page", page, "html"), ("same words as text", text, "text"), ("epub, 200 chapters", book, "epub")]
    print(f"{'input':<22}{'size MB':>9}{'words':>10}{'seconds':>9}{'kwords/s':>10}{'peak MB':>9}")
    results = {}
    for label, raw, kind in rows:
        elapsed_s, peak_mb, words = measure(kind, raw)
        results[kind] = elapsed_s
        print(f"{label:<22}{len(raw) / 2**20:>9.1f}{words:>10}{elapsed_s:>9.2f}{words / 1000 / elapsed_s:>10.0f}"
              f"{peak_mb:>9.0f}")
    print(f"html / text time ratio for the same words: {results['html'] / results['text']:.2f}")


if __name__ == "__main__":
    main()
