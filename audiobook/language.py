"""The languages an edition may be in: the codes `--language` accepts, and detecting one from text."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import replace
from typing import Protocol, cast

from .errors import UsageError
from .model import Edition

# ISO 639-1 code → name: what `--language` accepts and what detection chooses between. All are
# languages espeak-ng speaks; choosing among these only (not the model's 97) keeps a French
# paragraph full of English commands from being read as, say, Latin or Occitan.
KNOWN: dict[str, str] = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "sv": "Swedish", "da": "Danish",
    "nb": "Norwegian Bokmål", "fi": "Finnish", "cs": "Czech", "ru": "Russian", "el": "Greek",
    "tr": "Turkish", "ca": "Catalan", "ro": "Romanian", "hu": "Hungarian",
}

# Fewer words than this say too little: the caller's default (or the document's metadata) wins.
MIN_WORDS = 5
# Below this the model is guessing ("Alpha beta gamma. Delta." is .23 Swedish): the default
# stands. It leaves 11 of the benchmark's 2,100 paragraphs undecided (accuracy .979 -> .978).
MIN_PROBABILITY = 0.5
# The model calls Norwegian Bokmål "no".
_MODEL_CODES = {"nb": "no"}
_FROM_MODEL = {v: k for k, v in _MODEL_CODES.items()}
# Enough text to be sure of a whole article, and a bound on the time spent on a long one.
SAMPLE_CHARS = 3000


def base_code(tag: str) -> str:
    """The primary subtag of a language tag: "fr-CA" → "fr", "pt_BR" → "pt"."""
    return tag.replace("_", "-").split("-")[0].strip().lower()


def check_language(tag: str) -> str:
    """A `--language` value as a tag ("fr", "en-US"); UsageError listing the known codes otherwise."""
    cleaned = tag.strip().replace("_", "-")
    if base_code(cleaned) not in KNOWN:
        known = ", ".join(f"{code} ({name})" for code, name in KNOWN.items())
        raise UsageError(f"unknown language {tag!r}: choose one of {known}; a region may follow, as in en-US")
    parts = cleaned.split("-")
    return "-".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p for p in parts[1:])])


class Detector(Protocol):
    def classify(self, text: str) -> tuple[str, float]: ...


def build_detector() -> Detector:
    """py3langid's model (it ships in the package: nothing to download) limited to KNOWN.

    Chosen by tests/benchmarks/language/bench_language.py on 2,100 paragraphs of translated
    Debian manuals in 7 languages: .978 of paragraphs right (most misses are paragraphs the
    translators left in English), against .976 for lingua-language-detector in its high-accuracy
    mode (3 s and 500 MB to load, a 96 MB wheel), .963 in its low-accuracy mode, and .099 for the
    function-word count used before (it needs 50 words). It loads in half a second.
    """
    from py3langid.langid import _load_identifier

    detector = _load_identifier(norm_probs=True)
    detector.set_languages([_MODEL_CODES.get(code, code) for code in KNOWN])
    # set_languages keeps the 142-language model for a later reset we never make: dropping
    # it frees about 30 MB for the rest of the run (a 20 MB plan must stay under 400 MB).
    detector._full_model = (detector.nb_ptc, detector.nb_pc, detector.nb_classes)
    return cast(Detector, detector)


@functools.lru_cache(maxsize=1)
def _detector() -> Detector:
    return build_detector()


def detect_with(detector: Detector, text: str) -> str | None:
    """The ISO 639-1 code `detector` finds in `text`, or None for too little text or no clear answer."""
    sample = text[:SAMPLE_CHARS]
    if sum(1 for word in sample.split() if any(c.isalpha() for c in word)) < MIN_WORDS:
        return None
    code, probability = detector.classify(sample)
    return _FROM_MODEL.get(code, code) if probability >= MIN_PROBABILITY else None


# What detection answered, by a hash of the text it looked at: loading the model takes about
# 0.4 s, and a rebuild after an edit asks again about articles whose opening is unchanged.
# audiobook.plan_cache keeps these answers between runs (language_memo).
_answers: dict[str, str | None] = {}


def sample_key(text: str) -> str:
    """What a detection answer is remembered by: a hash of the part of `text` detection looks at."""
    return hashlib.sha256(text[:SAMPLE_CHARS].encode("utf-8", "surrogatepass")).hexdigest()[:32]


def remembered_answers() -> dict[str, str | None]:
    """The answers detection remembers (sample_key → code or None); the caller may add saved ones."""
    return _answers


def detect_language(text: str) -> str | None:
    """The language of `text` (an ISO 639-1 code of KNOWN), or None when it is too short to tell."""
    key = sample_key(text)
    if key not in _answers:
        _answers[key] = detect_with(_detector(), text)
    return _answers[key]


def language_of(paragraphs: Iterable[str], declared: str | None = None, default: str = "en") -> str:
    """An article's language: what its document declares, else what its text is in, else `default`."""
    if declared:
        return declared
    sample: list[str] = []
    size = 0
    for text in paragraphs:
        sample.append(text)
        size += len(text) + 1
        if size >= SAMPLE_CHARS:
            break
    return detect_language(" ".join(sample)) or default


def with_language(edition: Edition, tag: str | None) -> Edition:
    """The edition with every article in language `tag` (`--language`); unchanged for None."""
    if not tag:
        return edition
    return replace(edition, articles=tuple(replace(a, language=tag) for a in edition.articles))
