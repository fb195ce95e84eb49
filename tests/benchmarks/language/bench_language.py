"""Language detection accuracy on paragraphs of real translated manuals (issue 13): prints accuracy per language.

Sources (Debian packages, fetched with `apt-get download` into the cache, see README.md beside
this file): the Debian Reference in en, fr, de, es, it, pt and the Debian FAQ in en, nl, it, pt.
A paragraph counts when it has at least MIN_WORDS words and is not also in the English original
(translations leave paragraphs untranslated; those are English, whatever the file says).

    python tests/benchmarks/language/bench_language.py [--cache DIR] [--per-language N] [--compare]

`--compare` also scores the detectors that were considered (py3langid on all its languages,
lingua-language-detector in both modes); each is skipped when not installed. The function-word
count audiobook used before is gone; its figure is in README.md.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import html.parser
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_CACHE = Path(os.environ.get("BENCH_LANGUAGE_CACHE", HERE / ".cache"))
MIN_WORDS = 8
# package → (language, glob of its HTML pages under the extracted package)
SOURCES: dict[str, tuple[str, str]] = {
    "debian-reference-en": ("en", "usr/share/debian-reference/*.en.html"),
    "debian-reference-fr": ("fr", "usr/share/debian-reference/*.fr.html"),
    "debian-reference-de": ("de", "usr/share/debian-reference/*.de.html"),
    "debian-reference-es": ("es", "usr/share/debian-reference/*.es.html"),
    "debian-reference-it": ("it", "usr/share/debian-reference/*.it.html"),
    "debian-reference-pt": ("pt", "usr/share/debian-reference/*.pt.html"),
    "debian-faq": ("en", "usr/share/doc/debian/FAQ/*.html"),
    "debian-faq-nl": ("nl", "usr/share/doc/debian/FAQ/nl/*.html"),
    "debian-faq-it": ("it", "usr/share/doc/debian/FAQ/it/*.html"),
    "debian-faq-pt": ("pt", "usr/share/doc/debian/FAQ/pt/*.html"),
}


class _Paragraphs(html.parser.HTMLParser):
    """The text of each <p> outside <pre> and code."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._depth = 0
        self._skip = 0
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self._depth += 1
            self._buffer = []
        elif tag in ("pre", "code", "tt", "script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._depth:
            self._depth -= 1
            self.found.append(" ".join("".join(self._buffer).split()))
        elif tag in ("pre", "code", "tt", "script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._buffer.append(" " if self._skip else data)


def fetch(cache: Path) -> Path:
    """Download and unpack every source package once (apt-get download: no root needed)."""
    debs, tree = cache / "debs", cache / "tree"
    debs.mkdir(parents=True, exist_ok=True)
    for package in SOURCES:
        if (tree / package).is_dir():
            continue
        if not list(debs.glob(f"{package}_*.deb")):
            subprocess.run(["apt-get", "download", package], cwd=debs, check=True, capture_output=True)
        deb = sorted(debs.glob(f"{package}_*.deb"))[-1]
        (tree / package).mkdir(parents=True)
        subprocess.run(["dpkg-deb", "-x", str(deb), str(tree / package)], check=True)
    return tree


def paragraphs(tree: Path) -> Iterator[tuple[str, str, str]]:
    """(language, source, paragraph) for every usable paragraph, English originals excluded from the others."""
    english: set[str] = set()
    by_package: dict[str, list[tuple[str, str]]] = {}
    for package, (language, pattern) in SOURCES.items():
        found = []
        for page in sorted((tree / package).glob(pattern)):
            parser = _Paragraphs()
            parser.feed(page.read_text(encoding="utf-8", errors="replace"))
            found += [(p, f"{package}/{page.name}") for p in parser.found if len(p.split()) >= MIN_WORDS]
        by_package[package] = found
        if language == "en":
            english.update(p for p, _ in found)
    for package, (language, _pattern) in SOURCES.items():
        for text, source in by_package[package]:
            if language == "en" or text not in english:
                yield language, source, text


def sample(items: list[tuple[str, str, str]], per_language: int) -> list[tuple[str, str, str]]:
    """Up to `per_language` paragraphs a language, chosen by a hash of their text (the same every run)."""
    by_language: dict[str, list[tuple[str, str, str]]] = collections.defaultdict(list)
    for item in sorted(items, key=lambda i: hashlib.sha256(i[2].encode()).hexdigest()):
        if len(by_language[item[0]]) < per_language:
            by_language[item[0]].append(item)
    return [i for lang in sorted(by_language) for i in by_language[lang]]


def detectors(compare: bool) -> dict[str, Callable[[str], str | None]]:
    from audiobook.language import KNOWN, detect_language

    found: dict[str, Callable[[str], str | None]] = {"audiobook (py3langid, limited to its languages)": detect_language}
    if not compare:
        return found
    try:
        import py3langid

        found["py3langid, all 97 languages"] = lambda text: str(py3langid.classify(text)[0])
    except ImportError:
        pass
    try:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in KNOWN]
        for mode, builder in (("low", LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode()),
                              ("high", LanguageDetectorBuilder.from_languages(*languages))):
            detector = builder.build()

            def lingua(text: str, detector: object = detector) -> str | None:
                found = detector.detect_language_of(text)  # type: ignore[attr-defined]
                return found.iso_code_639_1.name.lower() if found is not None else None

            found[f"lingua-language-detector, {mode}-accuracy mode, limited the same"] = lingua
    except ImportError:
        pass
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--per-language", type=int, default=300)
    parser.add_argument("--compare", action="store_true", help="also score the other detectors considered")
    parser.add_argument("--errors", type=int, default=0, help="print this many misread paragraphs")
    args = parser.parse_args(argv)
    items = sample(list(paragraphs(fetch(args.cache))), args.per_language)
    counts = collections.Counter(lang for lang, _, _ in items)
    print(f"{len(items)} paragraphs of >= {MIN_WORDS} words: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for name, detect in detectors(args.compare).items():
        right: collections.Counter[str] = collections.Counter()
        wrong: list[tuple[str, str | None, str]] = []
        start = time.perf_counter()
        for language, source, text in items:
            got = detect(text)
            if got == language:
                right[language] += 1
            else:
                wrong.append((language, got, text))
        took = time.perf_counter() - start
        per = " ".join(f"{k} {right[k] / v:.3f}" for k, v in sorted(counts.items()))
        print(f"{name}: accuracy {sum(right.values()) / len(items):.3f} ({per}) in {took:.1f} s")
        for language, got, text in wrong[: args.errors]:
            print(f"   {language} read as {got}: {text[:100]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
