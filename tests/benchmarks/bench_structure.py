"""Benchmark: document structure on real documents (issue 11).

Scores the project's readers (`audiobook.ingest.read_edition`) on an auto-labelled corpus
(built by `tests/benchmarks/structure/build_corpus.py` from Debian and PyPI packages; gold
structure comes from the markup, never from audiobook) plus an optional hand-checked corpus
(`tests/benchmarks/structure/hand/`, filled by `fetch_hand.py` when it exists).

Each entry is a folder `<root>/<family>/<entry-id>/` holding `input.<ext>` and `gold.json`
(`id`, `family`, `split`, `language`, `source`, `licence`, `renderer`, `headings`
[{text, level}], `sections` [{title, first_words}], `not_read` [str]).

Metrics, per family x split (micro: summed TP/FP/FN), overall, and a macro doc average:
- heading precision / recall / F1. Predicted headings: each article's title, then each of its
  sections' titles where `announce_title` is true. Matched in order against the gold headings
  (normalised text: equal, token-set Jaccard >= 0.8, or one contained in the other when both
  have >= 2 tokens). Gold levels 1-3 are required; deeper ones are optional (matching one is
  neither a TP nor an FP; missing one is not an FN).
- content recall: share of gold `sections[].first_words` found in the spoken text (titles,
  standfirsts, paragraphs).
- leakage: share of gold `not_read` strings found in the spoken body (standfirsts and
  paragraphs; titles are scored by precision instead).

Run: .venv/bin/python tests/benchmarks/bench_structure.py [--split dev|test|all] [--family F]
     [--worst N] [--json out.json] [--jobs 2] [--build]
`make bench-structure` builds the corpus when missing, then scores both splits.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import json
import os
import re
import signal
import sys
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
STRUCTURE = HERE / "structure"
DEFAULT_CACHE = Path(os.environ.get("BENCH_STRUCTURE_CACHE", STRUCTURE / ".cache"))
HAND_ROOT = STRUCTURE / "hand"
FAMILIES = ("magazine", "books", "technical", "web", "epub", "pdf")
REQUIRED_LEVEL = 3  # gold headings at levels 1..3 count for recall; deeper ones are optional
SPLITS = ("dev", "test")

# --------------------------------------------------------------------------- normalisation

_PERMALINK = "¶§#"  # Sphinx/Docutils/Markdown permalink marks
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_TOKEN = re.compile(r"[^\W_]+")


def norm_heading(text: str) -> str:
    """Casefold, any Unicode space -> space, no permalink marks or edge punctuation, one space."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("link to this heading", " ")
    for mark in _PERMALINK:
        text = text.replace(mark, " ")
    text = _SPACES.sub(" ", text).strip()
    return _EDGE_PUNCT.sub("", text).strip()


_SPACED = re.compile(r"(?<!\S)\w(?: \w){2,}(?!\S)")


def tokens(text: str) -> list[str]:
    """Word tokens (letters and digits) of normalised text; punctuation and `_` are separators."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def solid(heading: str) -> str:
    """A letter-spaced heading set solid ("P R E F A C E" = "PREFACE"): the gold keeps the print."""
    return " ".join(_SPACED.sub(lambda m: m.group(0).replace(" ", ""), part) for part in re.split(r"\s{2,}", heading))


def token_text(text: str) -> str:
    return " ".join(tokens(text))


def headings_match(a: str, b: str) -> bool:
    """Equal after normalisation, token-set Jaccard >= 0.8, or containment with >= 2 tokens each."""
    na, nb = norm_heading(solid(a)), norm_heading(solid(b))
    if not na or not nb:
        return False
    if na == nb:
        return True
    ta, tb = tokens(na), tokens(nb)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    sa, sb = set(ta), set(tb)
    if len(sa & sb) / len(sa | sb) >= 0.8:
        return True
    if len(ta) >= 2 and len(tb) >= 2:
        ja, jb = " ".join(ta), " ".join(tb)
        return f" {ja} " in f" {jb} " or f" {jb} " in f" {ja} "
    return False


@dataclass
class Match:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    optional: int = 0  # predictions that matched an optional (deep) gold heading
    missing: list[str] = field(default_factory=list)  # required gold headings not predicted
    extra: list[str] = field(default_factory=list)  # predictions matching no gold heading


def match_headings(predicted: Sequence[str], gold: Sequence[dict[str, object]],
                   required_level: int = REQUIRED_LEVEL) -> Match:
    """Order-aware greedy matching: each prediction takes the first unmatched gold heading at or
    after the last match; failing that, any unmatched gold heading before it (out of order)."""
    used = [False] * len(gold)
    texts = [str(g["text"]) for g in gold]
    levels = [int(g.get("level", 1)) for g in gold]  # type: ignore[call-overload]
    result = Match()
    pointer = 0

    def find(text: str) -> int:
        for j in range(pointer, len(gold)):
            if not used[j] and headings_match(text, texts[j]):
                return j
        for j in range(0, min(pointer, len(gold))):
            if not used[j] and headings_match(text, texts[j]):
                return j
        return -1

    for whole in predicted:
        # Headings with no text between them are announced as one chapter ("Part One: The
        # Bus"); each part that matches a gold heading counts as found.
        parts = [whole]
        if ": " in whole:
            pieces = whole.split(": ")
            taken: set[int] = set()
            for piece in pieces:  # distinct gold headings the pieces would take, in turn
                j = find(piece)
                while j >= 0 and j in taken:
                    used[j] = True
                    j = find(piece)
                if j >= 0:
                    taken.add(j)
            for j in taken:
                used[j] = False
            # Only when every piece is a heading of its own ("Part One: The Bus"); a title
            # with a colon in it ("July 2009: Steve Greenland died") stays whole.
            if len(taken) == len(pieces) and find(whole) < 0 or len(taken) == len(pieces) >= 2:
                parts = pieces
        for pred in parts:
            hit = find(pred)
            if hit < 0:
                result.fp += 1
                result.extra.append(pred)
                continue
            used[hit] = True
            if hit >= pointer:
                pointer = hit + 1
            if levels[hit] <= required_level:
                result.tp += 1
            else:
                result.optional += 1
    for j, g in enumerate(gold):
        if not used[j] and levels[j] <= required_level:
            result.fn += 1
            result.missing.append(texts[j])
    return result


# --------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Entry:
    folder: Path
    input: Path
    gold: dict[str, object]

    @property
    def id(self) -> str:
        return str(self.gold.get("id", self.folder.name))

    @property
    def family(self) -> str:
        return str(self.gold.get("family", self.folder.parts[-2] if len(self.folder.parts) > 1 else "?"))

    @property
    def split(self) -> str:
        given = self.gold.get("split")
        if given in SPLITS:
            return str(given)
        return split_of(str(self.gold.get("source_id") or self.gold.get("source") or self.id))


def split_of(source_id: str) -> str:
    """Deterministic dev/test split by a hash of the source document's id (about 50/50)."""
    digest = hashlib.sha256(source_id.encode("utf-8")).digest()
    return "dev" if digest[0] < 128 else "test"


def corpus_roots(cache: Path = DEFAULT_CACHE) -> list[Path]:
    """Where entries live: the auto-labelled corpus and the hand-checked one(s)."""
    return [cache / "corpus", HAND_ROOT, cache / "hand"]


def fetch_hand(cache: Path = DEFAULT_CACHE) -> None:
    """Run `structure/fetch_hand.py`'s `fetch(cache)` when that module exists."""
    script = STRUCTURE / "fetch_hand.py"
    if not script.is_file():
        return
    spec = importlib.util.spec_from_file_location("fetch_hand", script)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses in the module look themselves up there
    spec.loader.exec_module(module)
    fetch = getattr(module, "fetch", None)
    if callable(fetch):
        fetch(cache)


def load_entries(roots: Iterable[Path]) -> list[Entry]:
    entries: list[Entry] = []
    seen: set[Path] = set()
    for root in roots:
        if not root.is_dir():
            continue
        for gold_path in sorted(root.rglob("gold.json")):
            folder = gold_path.parent
            if folder.resolve() in seen:
                continue
            inputs = sorted(p for p in folder.iterdir() if p.is_file() and p.name.startswith("input."))
            if not inputs:
                continue
            seen.add(folder.resolve())
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            entries.append(Entry(folder, inputs[0], gold))
    return entries


# --------------------------------------------------------------------------- scoring


@dataclass
class DocScore:
    id: str
    family: str
    split: str
    language: str
    renderer: str
    input: str
    error: str | None
    tp: int
    fp: int
    fn: int
    optional: int
    gold_required: int
    predicted: int
    content_found: int
    content_total: int
    leaked: int
    not_read_total: int
    missing: list[str]
    extra: list[str]
    missed_content: list[str]
    leaked_strings: list[str]
    seconds: float

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.tp, self.fp, self.fn)


def _ratio(a: int, b: int, empty: float = 1.0) -> float:
    return a / b if b else empty


def _f1(tp: int, fp: int, fn: int) -> float:
    if tp + fp + fn == 0:
        return 1.0
    return 2 * tp / (2 * tp + fp + fn)


def read_document(path: Path) -> tuple[list[str], str, str]:
    """(predicted headings, spoken text, spoken body) from the project's reader."""
    from audiobook.ingest import read_edition

    edition = read_edition([path])
    predicted: list[str] = []
    spoken: list[str] = []
    body: list[str] = []
    for article in edition.articles:
        # A title made up from the file name ("Input") is no heading found in the text.
        if not article.title_evidence.startswith("no title line found"):
            predicted.append(article.title)
        spoken.append(article.title)
        if article.standfirst:
            spoken.append(article.standfirst)
            body.append(article.standfirst)
        for section in article.sections:
            if section.announce_title:
                predicted.append(section.title)
                spoken.append(section.title)
            for paragraph in section.paragraphs:
                spoken.append(paragraph.text)
                body.append(paragraph.text)
    return predicted, "\n".join(spoken), "\n".join(body)


class ReadTimeout(Exception):
    """A document the reader did not finish within DOC_TIMEOUT seconds (scored as a failure)."""


DOC_TIMEOUT = float(os.environ.get("BENCH_STRUCTURE_TIMEOUT", "60"))


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise ReadTimeout in this (main) thread after `seconds` (POSIX; no-op elsewhere)."""
    if seconds <= 0 or not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expired(signum: int, frame: object) -> None:
        raise ReadTimeout(f"reader still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def score_entry(entry: Entry, timeout: float = DOC_TIMEOUT) -> DocScore:
    gold = entry.gold
    gold_headings = list(gold.get("headings", []))  # type: ignore[call-overload]
    sections = list(gold.get("sections", []))  # type: ignore[call-overload]
    not_read = [s for s in gold.get("not_read", []) if token_text(s)]  # type: ignore[union-attr]
    required = sum(1 for g in gold_headings if int(g.get("level", 1)) <= REQUIRED_LEVEL)
    started = time.perf_counter()
    error: str | None = None
    try:
        with _deadline(timeout):
            predicted, spoken, body = read_document(entry.input)
    except Exception as exc:  # a reader that rejects or crashes on a real document scores 0
        error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        predicted, spoken, body = [], "", ""
    seconds = time.perf_counter() - started
    # Gold that names the document's title outside its headings (the hand-checked books:
    # "The Adventures of Sherlock Holmes") neither rewards nor penalises finding it.
    titles = [str(a.get("title", "")) for a in gold.get("articles", []) if isinstance(a, dict)]  # type: ignore[union-attr]
    if titles and not any(headings_match(t, str(g["text"])) for t in titles for g in gold_headings):
        predicted = [p for p in predicted if not any(headings_match(p, t) for t in titles)]
    match = match_headings(predicted, gold_headings)
    spoken_tokens = f" {token_text(spoken)} "
    body_tokens = f" {token_text(body)} "
    missed = [str(s.get("first_words", "")) for s in sections
              if f" {token_text(str(s.get('first_words', '')))} " not in spoken_tokens]
    leaked = [s for s in not_read if f" {token_text(s)} " in body_tokens]
    return DocScore(
        id=entry.id, family=entry.family, split=entry.split, language=str(gold.get("language", "?")),
        renderer=str(gold.get("renderer") or "-"), input=str(entry.input), error=error,
        tp=match.tp, fp=match.fp, fn=match.fn if error is None else required, optional=match.optional,
        gold_required=required, predicted=len(predicted),
        content_found=len(sections) - len(missed), content_total=len(sections),
        leaked=len(leaked), not_read_total=len(not_read),
        missing=match.missing, extra=match.extra, missed_content=missed, leaked_strings=leaked,
        seconds=round(seconds, 3),
    )


def score_all(entries: Sequence[Entry], jobs: int = 2, timeout: float = DOC_TIMEOUT) -> list[DocScore]:
    if jobs <= 1 or len(entries) < 4:
        return [score_entry(e, timeout) for e in entries]
    import functools
    import multiprocessing

    # Largest first so one slow document does not finish alone at the end.
    order = sorted(range(len(entries)), key=lambda i: -entries[i].input.stat().st_size)
    with multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork").Pool(jobs) as pool:
        scored = pool.map(functools.partial(score_entry, timeout=timeout), [entries[i] for i in order], chunksize=1)
    out: list[DocScore | None] = [None] * len(entries)
    for i, s in zip(order, scored):
        out[i] = s
    return [s for s in out if s is not None]


@dataclass
class Aggregate:
    docs: int = 0
    failed: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    content_found: int = 0
    content_total: int = 0
    leaked: int = 0
    not_read_total: int = 0
    macro_f1_sum: float = 0.0

    def add(self, s: DocScore) -> None:
        self.docs += 1
        self.failed += s.error is not None
        self.tp += s.tp
        self.fp += s.fp
        self.fn += s.fn
        self.content_found += s.content_found
        self.content_total += s.content_total
        self.leaked += s.leaked
        self.not_read_total += s.not_read_total
        self.macro_f1_sum += s.f1

    def figures(self) -> dict[str, float | int]:
        return {
            "docs": self.docs,
            "failed": self.failed,
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "precision": round(_ratio(self.tp, self.tp + self.fp), 4),
            "recall": round(_ratio(self.tp, self.tp + self.fn), 4),
            "f1": round(_f1(self.tp, self.fp, self.fn), 4),
            "macro_f1": round(self.macro_f1_sum / self.docs, 4) if self.docs else 0.0,
            "content_recall": round(_ratio(self.content_found, self.content_total), 4),
            "leakage": round(_ratio(self.leaked, self.not_read_total, empty=0.0), 4),
        }


def aggregate(scores: Sequence[DocScore]) -> dict[str, dict[str, dict[str, float | int]]]:
    """{split: {family or 'ALL': figures}}; split 'all' too."""
    table: dict[str, dict[str, Aggregate]] = {}
    for s in scores:
        for split in (s.split, "all"):
            for fam in (s.family, "ALL"):
                table.setdefault(split, {}).setdefault(fam, Aggregate()).add(s)
    return {split: {fam: agg.figures() for fam, agg in sorted(fams.items(), key=_family_order)}
            for split, fams in table.items()}


def _family_order(item: tuple[str, Aggregate]) -> tuple[int, str]:
    fam = item[0]
    if fam == "ALL":
        return (99, fam)
    return (FAMILIES.index(fam) if fam in FAMILIES else 50, fam)


def print_table(agg: dict[str, dict[str, dict[str, float | int]]], splits: Sequence[str]) -> None:
    head = f"{'split':<5} {'family':<10} {'docs':>5} {'fail':>4} {'P':>6} {'R':>6} {'F1':>6} {'macroF1':>7} {'content':>7} {'leak':>6}"
    print(head)
    print("-" * len(head))
    for split in splits:
        for fam, f in agg.get(split, {}).items():
            print(f"{split:<5} {fam:<10} {f['docs']:>5} {f['failed']:>4} {f['precision']:>6.3f} {f['recall']:>6.3f} "
                  f"{f['f1']:>6.3f} {f['macro_f1']:>7.3f} {f['content_recall']:>7.3f} {f['leakage']:>6.3f}")
        print()


def _short(items: Sequence[str], n: int = 6) -> str:
    shown = [repr(x if len(x) <= 60 else x[:57] + "...") for x in items[:n]]
    more = f" (+{len(items) - n})" if len(items) > n else ""
    return ", ".join(shown) + more


def print_worst(scores: Sequence[DocScore], n: int) -> None:
    worst = sorted(scores, key=lambda s: (round(s.f1, 2), -(s.fp + s.fn), _ratio(s.content_found, s.content_total), s.id))[:n]
    print(f"{n} worst documents (by heading F1, then most heading errors, then content recall):")
    for s in worst:
        print(f"- {s.id} [{s.family}/{s.split}/{s.language}, {s.renderer}] F1 {s.f1:.2f} "
              f"(P {s.precision:.2f} R {s.recall:.2f}; {s.predicted} predicted, {s.gold_required} gold) "
              f"content {s.content_found}/{s.content_total} leak {s.leaked}/{s.not_read_total}")
        print(f"    input: {s.input}")
        if s.error:
            print(f"    error: {s.error}")
        if s.missing:
            print(f"    missing: {_short(s.missing)}")
        if s.extra:
            print(f"    extra:   {_short(s.extra)}")
        if s.missed_content:
            print(f"    content not spoken: {_short(s.missed_content, 3)}")
        if s.leaked_strings:
            print(f"    leaked: {_short(s.leaked_strings, 3)}")


def print_stats(entries: Sequence[Entry]) -> None:
    from collections import Counter

    print(f"{len(entries)} entries from {len({str(e.gold.get('source_id') or e.id) for e in entries})} source documents")
    for title, key in (("family x split", lambda e: f"{e.family}/{e.split}"),
                       ("language", lambda e: str(e.gold.get("language", "?"))),
                       ("renderer", lambda e: re.sub(r"\b\d+\b", "N", str(e.gold.get("renderer") or f"original .{e.input.suffix.lstrip('.')}")
                                                     .split(";")[0].split(",")[0])[:48])):
        counts = Counter(key(e) for e in entries)
        print(f"{title}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))))


def build_corpus(cache: Path) -> None:
    script = STRUCTURE / "build_corpus.py"
    import subprocess

    python = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable
    subprocess.run([python, str(script), "--cache", str(cache)], check=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all",
                        help="which split to score (default: all, reported per split)")
    parser.add_argument("--family", action="append", help="only this family (repeatable)")
    parser.add_argument("--id", dest="ids", action="append", help="only entries whose id contains this (repeatable)")
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="list the N worst documents")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write per-document scores and aggregates")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="corpus cache (default %(default)s)")
    parser.add_argument("--build", action="store_true", help="build the corpus first when missing")
    parser.add_argument("--no-hand", action="store_true", help="skip the hand-checked corpus")
    parser.add_argument("--stats", action="store_true", help="only count the entries (family, language, split, renderer)")
    parser.add_argument("--timeout", type=float, default=DOC_TIMEOUT,
                        help="seconds a reader may take on one document before it counts as failed (default %(default)s)")
    args = parser.parse_args(argv)

    if args.build and not (args.cache / "corpus").is_dir():
        build_corpus(args.cache)
    roots = corpus_roots(args.cache)
    if args.no_hand:
        roots = roots[:1]
    else:
        try:
            fetch_hand(args.cache)
        except Exception as exc:  # the hand corpus is someone else's; do not let it sink the run
            print(f"warning: fetch_hand failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    entries = load_entries(roots)
    if args.family:
        entries = [e for e in entries if e.family in args.family]
    if args.ids:
        entries = [e for e in entries if any(i in e.id for i in args.ids)]
    if args.split != "all":
        entries = [e for e in entries if e.split == args.split]
    if not entries:
        print(f"no corpus entries under {', '.join(map(str, roots))}; "
              "run `make bench-structure` (or this script with --build) to build it")
        return 0
    if args.stats:
        print_stats(entries)
        return 0
    started = time.perf_counter()
    scores = score_all(entries, jobs=args.jobs, timeout=args.timeout)
    agg = aggregate(scores)
    splits = [s for s in (*SPLITS, "all") if s in agg] if args.split == "all" else [args.split]
    print(f"structure benchmark: {len(scores)} documents in {time.perf_counter() - started:.1f} s\n")
    print_table(agg, splits)
    if args.worst:
        print_worst(scores, args.worst)
    if args.json:
        args.json.write_text(json.dumps({"aggregate": agg, "documents": [asdict(s) for s in scores]},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
