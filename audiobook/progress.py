"""The CLI's drawing of core events: a rich bar on a terminal, periodic lines otherwise, nothing when quiet."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import TextIO

from .events import BatchProgress, Event, EventSink, Notice, Progress, StageFinished, StageStarted, ignore

PLAIN_INTERVAL_S = 5.0  # how often a non-terminal gets a progress line


def _audio(audio_s: float) -> str:
    return f"{audio_s / 60:.1f} min audio" if audio_s else ""


def _reusing(event: StageStarted) -> str:
    """What a resumed build reuses: 'reusing 290 of 302 clips; 12 to make'."""
    unit = "clips" if event.stage == "synthesise" else "items"
    return f"reusing {event.reused} of {event.total} {unit}; {event.total - event.reused} to make"


class PlainSink:
    """One line per stage start/finish and at most one progress line per interval (logs, CI)."""

    def __init__(self, stream: TextIO, interval_s: float = PLAIN_INTERVAL_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.interval_s = interval_s
        self.clock = clock
        self._started: dict[str, float] = {}
        self._last_line = 0.0
        self._last: dict[str, Progress] = {}
        self._first: dict[str, tuple[float, int]] = {}  # (time, done) of a stage's first progress

    def _say(self, line: str) -> None:
        print(line, file=self.stream, flush=True)

    def __call__(self, event: Event) -> None:
        now = self.clock()
        if isinstance(event, StageStarted):
            self._started[event.stage] = now
            self._last_line = now
            if event.reused:
                self._say(f"{event.stage}: started, {_reusing(event)}")
            else:
                self._say(f"{event.stage}: started" + (f", {event.total} to do" if event.total else ""))
        elif isinstance(event, Progress):
            self._last[event.stage] = event
            self._first.setdefault(event.stage, (now, event.done))
            if now - self._last_line >= self.interval_s:
                self._last_line = now
                self._say(self._progress_line(event, now))
        elif isinstance(event, StageFinished):
            took = now - self._started.pop(event.stage, now)
            self._first.pop(event.stage, None)
            last = self._last.pop(event.stage, None)
            extra = f", {_audio(last.audio_s)}" if last is not None and last.audio_s else ""
            self._say(f"{event.stage}: done in {took:.1f} s{extra}")
        elif isinstance(event, Notice):
            self._say(f"note: {event.message}")

    def _progress_line(self, event: Progress, now: float) -> str:
        parts = [f"{event.stage}: {event.done}/{event.total}"]
        if event.audio_s:
            parts.append(_audio(event.audio_s))
        # The pace since the stage's first progress: reused clips cost nothing, and
        # assembly meters every chunk before the first encode ends (a pace from the
        # stage's start said "40321 s left" on a long book).
        t0, d0 = self._first.get(event.stage, (now, event.done))
        if d0 < event.done < event.total and now > t0:
            parts.append(f"about {(now - t0) * (event.total - event.done) / (event.done - d0):.0f} s left")
        return ", ".join(parts)


@contextlib.contextmanager
def _rich_sink(stream: TextIO) -> Iterator[EventSink]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    console = Console(file=stream)
    bar = Bar(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[audio]}"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )
    tasks: dict[str, int] = {}

    def sink(event: Event) -> None:
        if isinstance(event, StageStarted):
            if event.reused:
                console.print(f"{event.stage}: {_reusing(event)}", highlight=False, markup=False)
            tasks[event.stage] = int(bar.add_task(event.stage, total=event.total or None, completed=event.reused, audio=""))
        elif isinstance(event, Progress):
            task = tasks.get(event.stage)
            if task is not None:
                bar.update(task, completed=event.done, total=event.total or None, audio=_audio(event.audio_s))  # type: ignore[arg-type]
        elif isinstance(event, StageFinished):
            task = tasks.pop(event.stage, None)
            if task is not None:
                total = bar.tasks[task].total if task < len(bar.tasks) else None
                bar.update(task, completed=total or 1, total=total or 1)  # type: ignore[arg-type]
        elif isinstance(event, Notice):
            console.print(f"note: {event.message}", highlight=False, markup=False)

    with bar:
        yield sink


@contextlib.contextmanager
def make_sink(quiet: bool = False, stream: TextIO | None = None) -> Iterator[EventSink]:
    """The sink for a command: nothing when quiet, a rich bar on a terminal, plain lines otherwise."""
    out = stream if stream is not None else sys.stderr
    if quiet:
        yield ignore
    elif out.isatty():
        with _rich_sink(out) as sink:
            yield sink
    else:
        yield PlainSink(out)


# --- a batch: editions and sentences, one ETA ------------------------------------------------


def batch_eta_s(spent_s: float, work_done: float, work_left: float) -> float | None:
    """Seconds left at the pace so far (seconds per unit of work done); None before there is a pace (pure)."""
    if work_done <= 0 or spent_s <= 0:
        return None
    return spent_s / work_done * max(0.0, work_left)


def _about(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 90:
        return f"about {seconds:.0f} s left"
    if seconds < 5400:
        return f"about {seconds / 60:.0f} min left"
    return f"about {seconds / 3600:.1f} h left"


class BatchTracker:
    """What a batch's display says, kept from the events: editions done, sentences made, time left.

    The pace is seconds per input byte over the editions built (unchanged ones
    cost nothing and are left out), the current edition counted by the share of
    its sentences made: the first ETA comes during the first edition.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last: BatchProgress | None = None
        self.spent_s = 0.0  # on editions built or failed
        self.started = 0.0  # when the current edition started
        self.sentences = 0  # made in finished editions
        self.current = (0, 0)  # the current edition's sentences: done, total
        self.stage = ""  # its stage now

    def update(self, event: Event) -> None:
        now = self.clock()
        if isinstance(event, BatchProgress):
            if not event.status:
                self.started, self.current, self.stage = now, (0, 0), ""
            else:
                if event.status != "unchanged":
                    self.spent_s += now - self.started
                self.sentences += self.current[0]
                self.current = (0, 0)
            self.last = event
        elif isinstance(event, StageStarted):
            self.stage = event.stage
        elif isinstance(event, Progress) and event.stage == "synthesise":
            self.current = (event.done, event.total)

    def eta_s(self) -> float | None:
        b = self.last
        if b is None:
            return None
        if b.status:  # between editions
            return batch_eta_s(self.spent_s, b.bytes_done, b.bytes_left)
        done, total = self.current
        part = b.current_bytes * done / total if total else 0.0
        return batch_eta_s(self.spent_s + self.clock() - self.started, b.bytes_done + part, b.bytes_left - part)

    def summary(self) -> str:
        """'editions 3/20, 1234 sentences, about 2 min left'."""
        b = self.last
        if b is None:
            return ""
        parts = [f"editions {b.done}/{b.total}", f"{self.sentences + self.current[0]} sentences"]
        eta = _about(self.eta_s())
        return ", ".join(parts + ([eta] if eta and b.done < b.total else []))


class PlainBatchSink:
    """A batch in a log: one line per edition finished (with the totals and the ETA) and the notices."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.tracker = BatchTracker(clock)

    def __call__(self, event: Event) -> None:
        self.tracker.update(event)
        if isinstance(event, BatchProgress) and event.status:
            print(f"{event.current}: {event.status}; {self.tracker.summary()}", file=self.stream, flush=True)
        elif isinstance(event, Notice):
            print(f"note: {event.message}", file=self.stream, flush=True)


@contextlib.contextmanager
def _rich_batch_sink(stream: TextIO) -> Iterator[EventSink]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
    from rich.progress import Progress as Bar

    console = Console(file=stream)
    bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[info]}"),
              console=console, transient=False)  # fmt: skip
    tracker = BatchTracker()
    editions = bar.add_task("editions", total=None, info="")
    # One row for the edition being built, reused for each: a thousand editions are not a thousand rows.
    current = bar.add_task("", total=None, info="")

    def sink(event: Event) -> None:
        tracker.update(event)
        if isinstance(event, BatchProgress):
            bar.update(editions, completed=event.done, total=event.total, info=tracker.summary().partition(", ")[2])
            label = event.current if len(event.current) <= 40 else "…" + event.current[-39:]
            # Hidden between editions: rich keeps a task's total when given None, so it cannot be blanked.
            bar.update(current, description=label, completed=0, info="", visible=not event.status)
        elif isinstance(event, (StageStarted, Progress)):
            done = event.reused if isinstance(event, StageStarted) else event.done
            unit = "sentences" if event.stage == "synthesise" else event.stage
            bar.update(current, completed=done, total=event.total or None, info=unit)
            bar.update(editions, info=tracker.summary().partition(", ")[2])
        elif isinstance(event, Notice):
            console.print(f"note: {event.message}", highlight=False, markup=False)

    with bar:
        yield sink


@contextlib.contextmanager
def make_batch_sink(quiet: bool = False, stream: TextIO | None = None) -> Iterator[EventSink]:
    """The sink for a batch: nothing when quiet, two rich rows on a terminal (editions; the current one), else a line per edition."""
    out = stream if stream is not None else sys.stderr
    if quiet:
        yield ignore
    elif out.isatty():
        with _rich_batch_sink(out) as sink:
            yield sink
    else:
        yield PlainBatchSink(out)
