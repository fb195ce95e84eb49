"""The check of a built edition: its files against edition.json, then every sentence heard back offline and judged."""

from __future__ import annotations

import html
import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .atomic import write_text
from .errors import AudiobookError, ConfigError, ToolError, UsageError
from .events import EventSink, Progress, StageFinished, StageStarted, ignore
from .ingest.outline import ADDRESS
from .ingest.repair import rare_word
from .intelligibility import SAMPLE_RATE_HZ, HeardWord, Run, align, runs, sound_key, spoken_words
from .language import base_code
from .manifest import MANIFEST_NAME, FileEntry, Manifest, read_manifest, sha256_file
from .phrases import plural

CHECK_JSON = "check.json"
CHECK_HTML = "check.html"
# A sentence is flagged below this score (see hear_reading). On the sample built with the
# espeak voice 4 of 302 sound sentences score below it (recogniser slips), while a dropped or
# swapped clip scores near 0 and a clip cut in half about 0.5; README, "`check`", has the figures.
DEFAULT_THRESHOLD = 0.5
# Whisper's word times drift by a few tenths of a second; words this close outside a sentence's
# span may belong to it (and are taken only when they make it score better).
TOLERANCE_S = 0.5
# Shorter sentences are scored as if this long: one slip in a two-word heading is not half of it.
SHORT_WORDS = 4
# How alike (0..1) a lexicon respelling must sound to the word it replaces to count as that word.
RESPELLING_LIKENESS = 0.5
# A mismatch this alike in sound (0..1) is the recogniser's spelling, not a wrong word,
# and costs NEAR_MISS_COST of a word.
NEAR_MISS = 0.7
NEAR_MISS_COST = 0.5
# A word rare in English (under RARE_ZIPF on wordfreq's scale: a Latin name, a coined word) is
# one the recogniser has no spelling for; it writes what it hears ("Sylvilagus" as "tilvilagas",
# "hindgut" as "high and got"). Heard this alike it is a near miss costing RARE_COST. A nonsense
# respelling still fails: "Corbyn" heard as "flan quist" is 0.25 alike.
RARE_ZIPF = 2.5
RARE_NEAR_MISS = 0.5
RARE_COST = 0.25
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
    "million billion trillion first second third fourth fifth sixth seventh eighth ninth tenth point".split()
)
# A word of at least SYSTEMATIC_LETTERS letters said SYSTEMATIC_MIN times or more and
# heard wrong in SYSTEMATIC_SHARE of them is the engine's fault (see systematic).
SYSTEMATIC_MIN = 4
SYSTEMATIC_SHARE = 0.9
SYSTEMATIC_LETTERS = 4
# A flagged sentence is heard again alone, with this much audio either side (less than the
# shortest pause between sentences, so no neighbour's word comes in).
RELISTEN_PAD_S = 0.2
# A sentence whose last CUT_WORDS words, and at least CUT_SHARE of them all, are not heard is
# flagged as cut short (bench_check: half of the half-silenced clips scored above 0.5).
CUT_WORDS = 3
CUT_SHARE = 0.3
WORST_SHOWN = 5
# The verdict. A flag the audio or the build proves (a silence, a number the engine was given
# differently, a rewritten word heard wrong everywhere) fails the edition, as does a changed
# file. The recogniser's own flags fail it when they come two in a row (a swapped or misplaced
# clip wrongs its neighbours too) or above this share of the sentences: its slips on sound
# speech are scattered and few (clean sample: 1.0-1.6% with espeak-ng, 0-0.7% with the other
# voices; README, "`check`"). One is always allowed, so a short edition is not failed by one slip.
DEFAULT_MAX_FLAGGED = 0.02
# The audio itself, apart from the recogniser: a sentence's span is judged in windows of
# SILENCE_WINDOW_S, a window silent when no sample in it reaches SILENCE_PEAK (-50 dBFS; the
# build trims each clip's edge silence at -54 dBFS, and its pauses are digital zeros).
SILENCE_WINDOW_S = 0.02
SILENCE_PEAK = 10 ** (-50 / 20)
# A span is cut by the build to its clip's sound (10 ms kept either side), so it starts and
# ends in sound: on the sample, clean, no span starts or ends with more than 0.02 s of silent
# windows, with espeak-ng, piper-joe or the default voice (pyttsx3). SILENT_EDGE_S is 20 times
# that: a clip cut short (or started late) by at least this much is flagged.
SILENT_EDGE_S = 0.4
# Inside a sentence the engine pauses at commas, dashes and colons: the longest such pause on
# the clean sample is 0.34 s with espeak-ng, 0.38 s with the default voice and 0.66 s with
# piper-joe ("says: “I d..."). A silent run inside a span of twice the longest, 1.4 s, is a
# dropout, not a pause.
SILENT_INSIDE_S = 1.4


@dataclass(frozen=True)
class Sentence:
    """One cue of the build's timeline: where it is, what it says, what the engine was given."""

    article: int  # 1-based reading order
    section: str
    index: int  # 1-based within the article
    start_s: float
    end_s: float
    text: str  # the source wording
    spoken: str  # the engine's text ("" when the edition did not record it)


@dataclass(frozen=True)
class Judgement:
    """How one sentence was heard and whether it is flagged."""

    sentence: Sentence
    heard: str
    score: float  # 0..1, 1 = every word heard as written
    words: int  # words in the reading it was judged against
    matched: int  # of those, heard as written
    flagged: bool
    reason: str
    missed: tuple[str, ...] = ()  # reading words heard as something unlike them
    reading: tuple[str, ...] = ()  # the words it was judged against
    certain: bool = False  # flagged by what the audio or the build shows, not by the hearing alone
    unjudged: bool = False  # heard wrong, but it holds a web address or an ISBN: judged by its audio only


@dataclass(frozen=True)
class ArticleAudio:
    number: int
    title: str
    path: str  # the article MP3, relative to the edition folder
    language: str


@dataclass(frozen=True)
class Summary:
    sentences: int
    flagged: int
    coverage: float  # share of all words heard as written
    threshold: float
    model: str
    seconds: float  # how long the check took
    audio_s: float  # how much audio it heard
    changed: tuple[str, ...]  # files whose size or sha256 no longer match edition.json
    certain: int = 0  # flagged sentences the audio or the build proves wrong
    unjudged: int = 0  # sentences with addresses the recogniser heard wrong, not flagged for it
    in_a_row: int = 0  # flagged sentences next to another flagged one in their article
    max_flagged: float = DEFAULT_MAX_FLAGGED  # share of sentences the recogniser may flag

    @property
    def allowed(self) -> int:
        """How many scattered recogniser flags the edition may have and pass."""
        return max(1, math.floor(self.max_flagged * self.sentences + 1e-9))

    @property
    def passed(self) -> bool:
        return not self.changed and not self.certain and not self.in_a_row and self.flagged <= self.allowed

    @property
    def verdict(self) -> str:
        """Why the edition passed or failed, in one clause."""
        share = f"{self.max_flagged * 100:g}%"
        if self.changed:
            return f"{plural(len(self.changed), 'file')} changed since the build"
        if self.certain:
            return f"{plural(self.certain, 'sentence')} wrong in the audio or the build (silence, number, a word wrong everywhere)"
        if self.in_a_row:
            return f"{self.in_a_row} flagged sentences come next to each other (a clip missing or out of place?)"
        if self.flagged > self.allowed:
            return f"{self.flagged} of {self.sentences} sentences flagged, more than the {self.allowed} ({share}) a recogniser's slips may take"
        if self.flagged:
            return f"{self.flagged} scattered flagged {'sentence' if self.flagged == 1 else 'sentences'}, within the {self.allowed} ({share}) a recogniser's slips may take: listen to them"
        return "no sentence flagged"


@dataclass(frozen=True)
class Report:
    edition: str
    summary: Summary
    articles: tuple[ArticleAudio, ...]
    judgements: tuple[Judgement, ...]

    def worst(self, count: int = WORST_SHOWN) -> tuple[Judgement, ...]:
        """The flagged sentences, lowest score first (reading order among equals)."""
        flagged = [j for j in self.judgements if j.flagged]
        return tuple(sorted(flagged, key=lambda j: (j.score, j.sentence.article, j.sentence.index))[:count])


# --- pure: the timeline, the readings, the score -------------------------------------------


def sentences_of(manifest: Manifest) -> tuple[Sentence, ...]:
    """Every cue of every article as a Sentence, under the section it is heard in."""
    out: list[Sentence] = []
    for article in manifest.articles:
        for index, cue in enumerate(article.cues, 1):
            if not any(ch.isalnum() for ch in cue.text):
                continue  # nothing was said
            # The last section starting at or before the cue, as the page lays the transcript out.
            section = next((s.title for s in reversed(article.sections) if s.start_s <= cue.start_s + 0.0005), article.title)
            out.append(Sentence(article.number, section, index, cue.start_s, cue.end_s, cue.text, cue.spoken))
    return tuple(out)


def likeness(a: str, b: str) -> float:
    """How alike two words (or phrases) sound, 0..1, by the edit distance of their sound keys."""
    ka = "".join(sound_key(w) for w in a.split())
    kb = "".join(sound_key(w) for w in b.split())
    if not ka and not kb:
        return 1.0
    edits = sum(op != "=" for op, _r, _h in align(list(ka), list(kb)))
    return 1.0 - edits / max(len(ka), len(kb))


def _respellings(sentence: Sentence) -> list[Run]:
    """The source's words against the engine's, aligned by sound; [] when the edition did not record the engine's."""
    if not sentence.spoken:
        return []
    return runs(spoken_words(sentence.text), spoken_words(sentence.spoken, normalise=False), key=sound_key)


def readings(sentence: Sentence) -> tuple[tuple[str, ...], ...]:
    """The word lists a correct hearing may match: the source wording, and the engine's text.

    The engine's text differs from the source where a lexicon respelled a name; the
    respelling is accepted only where it sounds like the word it replaces, so a lexicon
    that turns a word into nonsense is caught rather than excused.
    """
    source = tuple(spoken_words(sentence.text))
    accepted: list[str] = []
    for run in _respellings(sentence):
        plausible = (
            not run.matched
            and not NUMBER_WORDS.intersection(run.expected + run.heard)  # a number said differently is another number
            and likeness(" ".join(run.expected), " ".join(run.heard)) >= RESPELLING_LIKENESS
        )
        accepted.extend(run.heard if plausible else run.expected)
    return (source,) if not accepted or tuple(accepted) == source else (source, tuple(accepted))


def renumbered(sentence: Sentence) -> list[Run]:
    """Where the engine was given other numbers than the text's (a lexicon entry for "1982", say)."""
    return [run for run in _respellings(sentence) if not run.matched and NUMBER_WORDS.intersection(run.expected + run.heard)]


def rewritten(sentence: Sentence) -> tuple[str, ...]:
    """Source words the engine was given in another form (a lexicon's respelling, a rewritten number)."""
    return tuple(word for run in _respellings(sentence) if not run.matched for word in run.expected)


def candidates(sentence: Sentence, words: Sequence[HeardWord], tolerance_s: float = TOLERANCE_S) -> list[tuple[HeardWord, ...]]:
    """The heard word runs that may be this sentence's: those whose midpoint is in its span,
    with or without each word up to `tolerance_s` outside it on either side (contiguous to the span)."""

    def mid(w: HeardWord) -> float:
        return (w.start_s + w.end_s) / 2

    inside = tuple(w for w in words if sentence.start_s <= mid(w) <= sentence.end_s)
    before = [w for w in words if sentence.start_s - tolerance_s <= mid(w) < sentence.start_s]
    after = [w for w in words if sentence.end_s < mid(w) <= sentence.end_s + tolerance_s]
    return [tuple(before[len(before) - b :]) + inside + tuple(after[:a]) for b in range(len(before) + 1) for a in range(len(after) + 1)]


@dataclass(frozen=True)
class Hearing:
    """One reading of a sentence against one run of heard words."""

    score: float
    reading: tuple[str, ...]
    heard: tuple[str, ...]
    missed: tuple[str, ...]  # reading words heard as something that does not sound like them
    matched: int  # reading words heard as written (or as a near miss)
    reason: str
    unheard_end: tuple[str, ...] = ()  # the reading's last words, when none of them was heard


def hear_reading(reading: Sequence[str], heard: Sequence[str]) -> Hearing:
    """Score heard words against a reading: 1 - cost / words, a sentence counted at least SHORT_WORDS long.

    Every word heard wrong, missing or extra costs 1; a mismatch that sounds like what was
    written (a recogniser's spelling of a name, "said"/"sent") costs NEAR_MISS_COST, unless
    it is a number ("seven"/"eleven" sound alike, and a wrong number is what this must catch).
    """
    cost = 0.0
    missed: list[str] = []
    matched = 0
    notes: list[str] = []
    aligned = runs(reading, heard, key=sound_key)
    for run in aligned:
        if run.matched:
            matched += len(run.expected)
            continue
        expected, got = " ".join(run.expected), " ".join(run.heard)
        size = max(len(run.expected), len(run.heard))
        numbers = NUMBER_WORDS.intersection(run.expected + run.heard)
        if run.expected and run.heard and not numbers:
            alike = likeness(expected, got)
            # (digits are no name: a number heard otherwise is another number)
            rare = 2 * sum(not any(ch.isdigit() for ch in w) and rare_word(w, RARE_ZIPF) for w in run.expected) >= len(run.expected)
            if alike >= NEAR_MISS or (rare and alike >= RARE_NEAR_MISS):
                cost += (RARE_COST if rare else NEAR_MISS_COST) * size
                matched += len(run.expected)
                continue
        cost += size
        missed.extend(run.expected)
        if not run.heard:
            notes.append(f"“{expected}” not heard")
        elif not run.expected:
            notes.append(f"heard “{got}”, not in the text")
        else:
            notes.append(f"“{expected}” heard as “{got}”")
    score = max(0.0, 1.0 - cost / max(len(reading), SHORT_WORDS)) if reading else 1.0
    if not heard and reading:
        notes = ["nothing heard"]
    reason = "; ".join(notes[:3]) + (f"; {len(notes) - 3} more" if len(notes) > 3 else "")
    end = aligned[-1] if aligned else None
    unheard_end = end.expected if end is not None and set(end.ops) == {"D"} else ()
    return Hearing(score, tuple(reading), tuple(heard), tuple(missed), matched, reason, unheard_end)


# The recogniser writes a spoken "dot com" as ".com".
_DOT_WORD = re.compile(r"(?<![\w.])\.(\w)")
# A web or mail address, a domain ("Environment.gov.au") or an ISBN: spoken piece by piece
# ("books dot google dot com slash ..."), which the recogniser writes its own way (".com",
# "sash", "-co"); on a clean build of a Wikipedia article 7 of its 9 false alarms held one.
SPELLED_OUT = re.compile(
    ADDRESS.pattern + r"|\bISBN\b|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|govt|int|info|[a-z]{2})(?:/|\.?$|[.,;]?\s)",
    re.IGNORECASE,
)


def judge(sentence: Sentence, words: Sequence[HeardWord], threshold: float) -> Judgement:
    """Score the sentence against every reading and every candidate run of heard words; keep the best."""
    best: tuple[Hearing, str] | None = None
    for run in candidates(sentence, words):
        said = " ".join(" ".join(w.text for w in run).split())
        heard = tuple(spoken_words(_DOT_WORD.sub(r"dot \1", said)))
        for reading in readings(sentence):
            hearing = hear_reading(reading, heard)
            if best is None or hearing.score > best[0].score:
                best = (hearing, said)
    assert best is not None  # candidates always holds the run inside the span
    hearing, said = best
    flagged = hearing.score < threshold
    reason = hearing.reason if flagged else ""
    changed = renumbered(sentence)
    cut = hearing.unheard_end
    if not flagged and len(cut) >= max(CUT_WORDS, CUT_SHARE * len(hearing.reading)):
        # A clip cut short loses its end; the recogniser's slips seldom drop a sentence's last third.
        flagged = True
        reason = f"its end “{' '.join(cut)}” not heard: cut short?"
    unjudged = flagged and bool(SPELLED_OUT.search(sentence.text))
    if unjudged:
        flagged = False
        reason = f"holds an address the recogniser cannot spell, so it is judged by its audio only: {reason}"
    # One wrong number barely moves a long sentence's score, but it is never a slip.
    certain = bool(changed and set(changed[0].expected) & set(hearing.missed))
    if certain and not flagged:
        flagged, unjudged = True, False
        reason = f"the text's “{' '.join(changed[0].expected)}” was given to the engine as “{' '.join(changed[0].heard)}”"
    return Judgement(
        sentence=sentence,
        heard=said,
        score=round(hearing.score, 3),
        words=len(hearing.reading),
        matched=hearing.matched,
        flagged=flagged,
        reason=reason,
        missed=hearing.missed,
        reading=hearing.reading,
        certain=certain,
        unjudged=unjudged,
    )


def systematic(judgements: Sequence[Judgement]) -> dict[str, tuple[int, int]]:
    """Rewritten words heard wrong nearly every time they are said: {word: (times missed, times said)}.

    A recogniser's slips are scattered, and a plain word it always mishears ("bus" from
    espeak-ng is heard as "most") is its failing, not the edition's. A word the build
    rewrote (a lexicon that turned it into nonsense) is missed wherever it occurs, so it is
    caught even when each sentence around it scores well.
    """
    said: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for j in judgements:
        heard_wrong = {sound_key(m) for m in j.missed}
        for word in dict.fromkeys(rewritten(j.sentence)):  # each sentence counts once per word
            key = sound_key(word)
            said[key] += 1
            spelling.setdefault(key, word)
            missed[key] += key in heard_wrong
    return {
        spelling[k]: (missed[k], n)
        for k, n in said.items()
        if n >= SYSTEMATIC_MIN and missed[k] >= SYSTEMATIC_SHARE * n and len(spelling[k]) >= SYSTEMATIC_LETTERS
    }


def flag_systematic(judgements: Sequence[Judgement]) -> tuple[Judgement, ...]:
    """The judgements with every sentence that misses a systematically misheard word flagged too."""
    words = systematic(judgements)
    keys = {sound_key(w): (w, counts) for w, counts in words.items()}
    out = []
    for j in judgements:
        hits = [keys[sound_key(w)] for w in j.missed if sound_key(w) in keys]
        if hits and not j.certain:
            word, (miss, n) = hits[0]
            why = j.reason if j.flagged else f"“{word}” is heard wrong in {miss} of the {n} places it is said"
            j = replace(j, flagged=True, certain=True, reason=why)
        out.append(j)
    return tuple(out)


def in_a_row(judgements: Sequence[Judgement]) -> int:
    """Flagged sentences with a flagged neighbour in the same article (judgements in reading order)."""
    flagged = {(j.sentence.article, j.sentence.index) for j in judgements if j.flagged}
    return sum((a, i - 1) in flagged or (a, i + 1) in flagged for a, i in flagged)


def summarise(
    judgements: Sequence[Judgement],
    threshold: float,
    model: str,
    seconds: float,
    audio_s: float,
    changed: Sequence[str],
    max_flagged: float = DEFAULT_MAX_FLAGGED,
) -> Summary:
    words = sum(j.words for j in judgements)
    return Summary(
        sentences=len(judgements),
        flagged=sum(j.flagged for j in judgements),
        coverage=round(sum(j.matched for j in judgements) / words, 4) if words else 1.0,
        threshold=threshold,
        model=model,
        seconds=round(seconds, 1),
        audio_s=round(audio_s, 3),
        changed=tuple(changed),
        certain=sum(j.certain for j in judgements),  # (a certain judgement is always flagged)
        unjudged=sum(j.unjudged for j in judgements),
        in_a_row=in_a_row(judgements),
        max_flagged=max_flagged,
    )


def report_json(report: Report) -> str:
    """check.json: the summary, then one entry per sentence in reading order."""
    s = report.summary
    data = {
        "summary": {
            "edition": report.edition,
            "passed": s.passed,
            "verdict": s.verdict,
            "coverage": s.coverage,
            "sentences": s.sentences,
            "flagged": s.flagged,
            "certain": s.certain,
            "unjudged": s.unjudged,
            "in_a_row": s.in_a_row,
            "allowed": s.allowed,
            "max_flagged": s.max_flagged,
            "threshold": s.threshold,
            "changed": list(s.changed),
            "model": s.model,
            "seconds": s.seconds,
            "audio_s": s.audio_s,
        },
        "sentences": [
            {
                "article": j.sentence.article,
                "section": j.sentence.section,
                "index": j.sentence.index,
                "start": j.sentence.start_s,
                "end": j.sentence.end_s,
                "text": j.sentence.text,
                "spoken": j.sentence.spoken,
                "heard": j.heard,
                "score": j.score,
                "flagged": j.flagged,
                "certain": j.certain,
                "unjudged": j.unjudged,
                "reason": j.reason,
            }
            for j in report.judgements
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def clock(seconds: float) -> str:
    """12.3 → "0:12.3"; 3725.04 → "1:02:05.0"."""
    tenths = round(seconds * 10)
    minutes, secs = divmod(tenths / 10, 60)
    hours, minutes = divmod(int(minutes), 60)
    return (f"{hours}:{minutes:02d}:" if hours else f"{minutes}:") + f"{secs:04.1f}"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


_PLAYER_JS = """
document.querySelectorAll('button[data-audio]').forEach(function (button) {
  button.addEventListener('click', function () {
    var audio = document.getElementById(button.dataset.audio);
    var end = parseFloat(button.dataset.end);
    document.querySelectorAll('audio').forEach(function (other) { if (other !== audio) other.pause(); });
    function start() {
      audio.currentTime = parseFloat(button.dataset.start);
      audio.ontimeupdate = function () { if (audio.currentTime >= end) { audio.pause(); audio.ontimeupdate = null; } };
      audio.play();
    }
    // preload="none": the file's length must be known before a time can be sought.
    if (audio.readyState >= 1) { start(); } else { audio.addEventListener('loadedmetadata', start, { once: true }); audio.load(); }
  });
});
"""

_STYLE = """
body { font: 1.05rem/1.5 system-ui, sans-serif; max-width: 50rem; margin: 0 auto; padding: 1rem; color: #111; background: #fff; }
.passed { color: #0a5d1a; } .failed { color: #a00000; }
li { margin-bottom: 1rem; } .said, .heard { margin: .2rem 0; }
button { font: inherit; padding: .3rem .8rem; border: 2px solid #0b3d91; background: #fff; color: #0b3d91; border-radius: .3rem; cursor: pointer; }
button:focus-visible, a:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
audio { width: 100%; }
"""


def report_html(report: Report) -> str:
    """check.html: the verdict, then each flagged sentence with a button playing its span (self-contained)."""
    s = report.summary
    verdict = "passed" if s.passed else "failed"
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(report.articles[0].language if report.articles else "en")}">',
        '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Check of {_e(report.edition)}: {verdict}</title>",
        f"<style>{_STYLE}</style></head>",
        "<body><main>",
        f"<h1>Check of {_e(report.edition)}</h1>",
        f'<p class="{verdict}"><strong>{verdict.capitalize()}: {_e(s.verdict)}.</strong> '
        f"{s.sentences} sentences heard back, {s.flagged} flagged (threshold {s.threshold:g}); "
        f"{s.coverage * 100:.1f}% of words heard as written. Recogniser: {_e(s.model)}.</p>",
    ]
    if s.unjudged:
        lines.append(f"<p>Listed too, not flagged: {plural(s.unjudged, 'sentence')} holding a web address or an ISBN, "
                     "which the recogniser heard its own way (judged by their audio only).</p>")
    if s.changed:
        lines.append("<h2>Files changed since the build</h2><ul>")
        lines.extend(f"<li>{_e(p)}</li>" for p in s.changed)
        lines.append("</ul>")
    flagged = [j for j in report.judgements if j.flagged or j.unjudged]  # (the unjudged, to listen to)
    by_article = {a.number: a for a in report.articles}
    for article in report.articles:
        mine = [j for j in flagged if j.sentence.article == article.number]
        if not mine:
            continue
        player = f"audio-{article.number}"
        lines.append(f"<section aria-labelledby=\"h-{article.number}\"><h2 id=\"h-{article.number}\">{article.number}. {_e(article.title)}</h2>")
        lines.append(f'<audio id="{player}" controls preload="none" src="{_e(quote(article.path))}"></audio>')
        lines.append("<ol>")
        for j in mine:
            sen = j.sentence
            span = f"{clock(sen.start_s)} to {clock(sen.end_s)}"
            fragment = f"{quote(by_article[sen.article].path)}#t={sen.start_s:.3f},{sen.end_s:.3f}"
            lines.append(
                # The button's visible text is its whole name (no aria-label), so speech control users can say it.
                f'<li><p><button type="button" data-audio="{player}" data-start="{sen.start_s:.3f}" data-end="{sen.end_s:.3f}">'
                f"Play sentence {sen.index} ({span})</button> "
                f'<a href="{_e(fragment)}">open at its time</a>. {_e(sen.section)}; score {j.score:.2f}: {_e(j.reason)}</p>'
                f'<p class="said">Text: {_e(sen.text)}</p><p class="heard">Heard: {_e(j.heard) or "(nothing)"}</p></li>'
            )
        lines.append("</ol></section>")
    if not flagged:
        lines.append("<p>No sentence was flagged.</p>")
    lines += [f"<script>{_PLAYER_JS}</script>", "</main></body></html>", ""]
    return "\n".join(lines)


# --- pure: silence in the audio ------------------------------------------------------------


@dataclass(frozen=True)
class Silence:
    """A silent stretch of a sentence's span too long to be the engine's own."""

    start_s: float
    length_s: float
    where: str  # "all", "start", "end" or "inside"

    def __post_init__(self) -> None:  # whole windows: no float noise in the times
        object.__setattr__(self, "start_s", round(self.start_s, 3))
        object.__setattr__(self, "length_s", round(self.length_s, 3))

    @property
    def reason(self) -> str:
        said = {"all": "all of it: nothing said", "start": "at its start: begun late?", "end": "at its end: cut short?", "inside": "inside it: a dropout?"}
        return f"silent for {self.length_s:.1f} s from {clock(self.start_s)}, {said[self.where]}"


def quiet_windows(samples: Any, rate_hz: int = SAMPLE_RATE_HZ, window_s: float = SILENCE_WINDOW_S, peak: float = SILENCE_PEAK) -> list[bool]:
    """For each whole window of `window_s` from the start of `samples` (floats, full scale 1.0): is it silent?

    A window is silent when no sample in it reaches `peak` in magnitude; a last, partial window is left out.
    """
    import numpy as np

    width = max(1, round(window_s * rate_hz))
    x = np.abs(np.asarray(samples, dtype=np.float32))
    n = len(x) // width
    if n == 0:
        return []
    return [bool(q) for q in x[: n * width].reshape(n, width).max(axis=1) < peak]


def silence_in(
    quiet: Sequence[bool],
    start_s: float,
    end_s: float,
    window_s: float = SILENCE_WINDOW_S,
    edge_s: float = SILENT_EDGE_S,
    inside_s: float = SILENT_INSIDE_S,
) -> Silence | None:
    """The longest silence of the span that flags it, from the windows wholly inside it; None when there is none.

    All silent, or silent for `edge_s` or more from its start or to its end, or a silent run of
    `inside_s` or more between its sounds.
    """
    first = max(0, math.ceil(start_s / window_s - 1e-9))
    last = min(len(quiet), math.floor(end_s / window_s + 1e-9))  # exclusive
    span = list(quiet[first:last])
    if not span:
        return None
    if all(span):
        return Silence(first * window_s, len(span) * window_s, "all")
    lead = span.index(False)
    tail = span[::-1].index(False)
    found: list[Silence] = []
    if lead * window_s >= edge_s - 1e-9:
        found.append(Silence(first * window_s, lead * window_s, "start"))
    if tail * window_s >= edge_s - 1e-9:
        found.append(Silence((last - tail) * window_s, tail * window_s, "end"))
    run = 0
    for k in range(lead, len(span) - tail):
        run = run + 1 if span[k] else 0
        if run and (k + 1 == len(span) - tail or not span[k + 1]) and run * window_s >= inside_s - 1e-9:
            found.append(Silence((first + k + 1 - run) * window_s, run * window_s, "inside"))
    if not found:
        return None
    return max(found, key=lambda s: (s.length_s, -s.start_s))


def with_silence(judgement: Judgement, silence: Silence | None) -> Judgement:
    """The judgement flagged for a silence in its audio, whatever was heard; the silence named first."""
    if silence is None:
        return judgement
    reason = silence.reason + (f"; {judgement.reason}" if judgement.flagged and judgement.reason else "")
    if judgement.unjudged:
        reason = silence.reason
    return replace(judgement, flagged=True, certain=True, unjudged=False, reason=reason)


# --- I/O at the edges ---------------------------------------------------------------------


def read_edition(folder: Path) -> Manifest:
    """The edition's manifest; a UsageError (exit 2) when the folder is not an edition."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder; give an edition folder that `build` wrote (it holds {MANIFEST_NAME})")
    path = folder / MANIFEST_NAME
    if not path.is_file():
        raise UsageError(f"{folder}: not an edition (no {MANIFEST_NAME}); give the folder OUTPUT/<edition-slug> that `build` wrote")
    try:
        return read_manifest(path)
    except AudiobookError as exc:
        raise UsageError(f"{path}: not a valid edition manifest; rebuild the edition") from exc


def manifest_files(manifest: Manifest) -> tuple[FileEntry, ...]:
    """Every file the manifest records with a size and a hash, once each."""
    entries = [manifest.edition_file, manifest.playlist, manifest.cover, *manifest.packages.values()]
    for article in manifest.articles:
        entries.append(article.file)
        entries.extend(article.extras.values())
    seen: dict[str, FileEntry] = {}
    for entry in entries:
        seen.setdefault(entry.path, entry)
    return tuple(seen.values())


def changed_files(folder: Path, manifest: Manifest) -> tuple[str, ...]:
    """Files missing, or whose size or sha256 differ from edition.json, with what differs."""
    changed = []
    for entry in manifest_files(manifest):
        path = folder / entry.path
        if not path.is_file():
            changed.append(f"{entry.path} (missing)")
            continue
        if path.stat().st_size != entry.size_bytes:
            changed.append(f"{entry.path} (size {path.stat().st_size} bytes, recorded {entry.size_bytes})")
            continue
        if sha256_file(path) != entry.sha256:
            changed.append(f"{entry.path} (sha256 differs)")
    return tuple(changed)


def _samples(path: Path) -> Any:
    """The article's audio for the recogniser; an MP3 that does not decode is bad input (exit 2)."""
    import numpy as np

    from .intelligibility import decode_audio

    if not path.is_file():
        raise UsageError(f"{path}: missing; rebuild the edition")
    try:
        raw = decode_audio(path)
    except ToolError as exc:
        if "not found on PATH" in str(exc):
            raise
        raise UsageError(f"{path}: does not decode as audio ({exc}); rebuild the edition") from exc
    if not raw:
        raise UsageError(f"{path}: no audio in it; rebuild the edition")
    return np.frombuffer(raw, dtype=np.float32)


def require_recogniser() -> None:
    """The asr extra is installed (a ConfigError, exit 2, saying how to install it otherwise); loads nothing."""
    import importlib.util

    from .intelligibility import model_path

    model_path()
    if importlib.util.find_spec("faster_whisper") is None:
        raise ConfigError("faster-whisper is not installed: run `pip install -e '.[asr]'`")


def known_languages(manifest: Manifest, known: Sequence[str], model: str) -> None:
    """Every article is in a language the recogniser knows; else a UsageError naming the first that is not."""
    for article in manifest.articles:
        if base_code(article.language) not in known:
            raise UsageError(
                f"article {article.number} is in {article.language!r}, and the speech recogniser "
                f"({model}) knows only {', '.join(known)}; this edition cannot be checked"
            )


def hear_article(
    sentences: Sequence[Sentence], samples: Any, language: str, threshold: float, jobs: int, on_progress: Callable[[float], None]
) -> list[Judgement]:
    """One article heard once, whole, and each of its sentences judged; a flagged one is heard again alone.

    A sentence whose span holds a silence too long to be the engine's (see silence_in) is
    flagged whatever the recogniser made of it.
    """
    from .intelligibility import transcribe_words

    words = transcribe_words(samples, cpu_threads=jobs, language=language, on_progress=on_progress)
    quiet = quiet_windows(samples)
    judgements = []
    for sentence in sentences:
        judgement = judge(sentence, words, threshold)
        silence = silence_in(quiet, sentence.start_s, sentence.end_s)
        if silence is not None:
            judgement = with_silence(judgement, silence)  # flagged by its audio: no need to hear it again
        elif judgement.flagged:
            # The recogniser sometimes skips or garbles a stretch of a 30 s window; a fault in
            # the audio survives being heard twice, that slip mostly does not.
            lo = max(0.0, sentence.start_s - RELISTEN_PAD_S)
            clip = samples[round(lo * SAMPLE_RATE_HZ) : round((sentence.end_s + RELISTEN_PAD_S) * SAMPLE_RATE_HZ)]
            again = judge(sentence, transcribe_words(clip, cpu_threads=jobs, language=language, offset_s=lo), threshold)
            judgement = max(judgement, again, key=lambda j: j.score)
        judgements.append(judgement)
    return judgements


def check_edition(
    folder: Path,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    max_flagged: float = DEFAULT_MAX_FLAGGED,
    jobs: int = 2,
    sink: EventSink = ignore,
    clock_s: Callable[[], float] = time.monotonic,
) -> Report:
    """Check an edition and write check.json and check.html into it (nothing else is touched)."""
    from . import intelligibility
    from .gateway import find_tool

    started = clock_s()
    manifest = read_edition(folder)
    find_tool("ffmpeg")
    require_recogniser()  # no asr extra: one line before any work
    model = intelligibility.model_name()
    try:
        known_languages(manifest, intelligibility.languages(cpu_threads=jobs), model)
    except UsageError as exc:
        raise UsageError(f"{folder}: {exc}") from None
    changed = changed_files(folder, manifest)
    sentences = sentences_of(manifest)
    total = sum(a.duration_s for a in manifest.articles)
    units = max(1, round(total))  # progress counts seconds of audio heard
    sink(StageStarted("check", total=units))
    heard_s = 0.0
    judgements: list[Judgement] = []
    for article in manifest.articles:
        samples = _samples(folder / article.file.path)

        def progress(seconds: float, before: float = heard_s) -> None:
            sink(Progress("check", min(round(before + seconds), units), units, audio_s=before + seconds))

        mine = [s for s in sentences if s.article == article.number]
        judgements += hear_article(mine, samples, base_code(article.language), threshold, jobs, progress)
        heard_s += article.duration_s
    sink(StageFinished("check"))
    judgements = list(flag_systematic(judgements))
    articles = tuple(ArticleAudio(a.number, a.title, a.file.path, a.language) for a in manifest.articles)
    summary = summarise(judgements, threshold, model, clock_s() - started, total, changed, max_flagged)
    report = Report(manifest.title, summary, articles, tuple(judgements))
    write_text(folder / CHECK_JSON, report_json(report))
    write_text(folder / CHECK_HTML, report_html(report))
    return report
