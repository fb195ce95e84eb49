"""The CLI's drawing of core events: a rich bar on a terminal, periodic lines otherwise, nothing when quiet."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import TextIO

from .events import Event, EventSink, Notice, Progress, StageFinished, StageStarted, ignore

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
