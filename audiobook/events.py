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


@dataclass(frozen=True)
class BatchProgress:
    """Where a batch is: sent as each edition starts (status "") and as it ends (its status).

    Input bytes stand in for the work left: an edition's sentences are known only
    once it is read. Editions found unchanged drop out of both byte counts.
    """

    done: int  # editions finished (built, unchanged or failed)
    total: int
    current: str  # the edition starting or just finished
    status: str = ""  # "" as it starts; then built, unchanged or failed
    current_bytes: int = 0  # its input bytes
    bytes_done: int = 0  # input bytes of the editions built or failed so far in this run
    bytes_left: int = 0  # input bytes of the editions not finished, the current one included


Event = StageStarted | Progress | StageFinished | Notice | BatchProgress
EventSink = Callable[[Event], None]


def ignore(event: Event) -> None:
    """An EventSink that drops everything (library use, --quiet)."""
