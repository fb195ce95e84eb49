"""More composed magazine issues for development, from dev-split pieces only (never test ones).

The benchmark's dev split holds 24 composed issues; tuning on so few lets a rule fit them. This
composes N more (`xdev-<lang>-NNN`, their own RNG seeds, the same layouts as compose_magazines)
into a separate cache, which `bench_structure.py --cache DIR --split dev` scores. They are not
part of the benchmark's figures, and no test piece is ever drawn.

    python3 tests/benchmarks/structure/compose_extra_dev.py --out /tmp/xdev   # after make bench-structure
    .venv/bin/python tests/benchmarks/bench_structure.py --cache /tmp/xdev --split dev --worst 10
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import build_corpus as bc  # noqa: E402
import compose_magazines as cm  # noqa: E402

COUNTS = {"en": 60, "fr": 20, "de": 20}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=bc.DEFAULT_CACHE, help="the benchmark's cache (pieces come from it)")
    parser.add_argument("--out", type=Path, required=True, help="where to write <out>/corpus/magazine/xdev-*")
    args = parser.parse_args(argv)
    pieces = [p for p in cm.collect_pieces(args.cache) if p.split == "dev"]
    work = args.out / "work"
    work.mkdir(parents=True, exist_ok=True)
    written = 0
    for lang, count in COUNTS.items():
        pool = sorted((p for p in pieces if p.language == lang), key=lambda p: p.uid)
        used: set[str] = set()
        for n in range(1, count + 1):
            entry_id = f"xdev-{lang}-{n:03d}"
            chosen = cm.choose_pieces(random.Random(f"magazine-pick|{entry_id}"), pool, used)
            while True:
                text, gold_part = cm.compose_issue(entry_id, lang, chosen, work)
                if len(text.encode("utf-8")) <= cm.MAX_ISSUE_BYTES or len(chosen) <= 3:
                    break
                chosen = chosen[:-1]
            used.update(p.uid for p in chosen)
            gold = {"id": f"magazine/{entry_id}", "family": "magazine", "split": "dev", "language": lang, **gold_part}
            bc.write_entry(args.out / "corpus" / "magazine" / entry_id, gold, "txt", text.encode("utf-8"))
            written += 1
    print(f"{written} extra dev issues from {len(pieces)} dev pieces in {args.out}/corpus/magazine")
    return 0


if __name__ == "__main__":
    sys.exit(main())
