"""Progress events the core emits; the CLI decides how (and whether) to draw them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class StageStarted:
    stage: str
    total: int = 0  # units of work expected, 0 when unknown
    reused: int = 0  # of the total, units an earlier (perhaps interrupted) build already made


@dataclass(frozen=True)
class Progress:
    stage: str
    done: int
    total: int
    audio_s: float = 0.0  # audio produced so far, for synthesis


@dataclass(frozen=True)
class StageFinished:
    stage: str


@dataclass(frozen=True)
class Notice:
    """Something the user should read (a fallback taken, a skipped step)."""

    message: str


Event = StageStarted | Progress | StageFinished | Notice
EventSink = Callable[[Event], None]


def ignore(event: Event) -> None:
    """An EventSink that drops everything (library use, --quiet)."""
