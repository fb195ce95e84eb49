"""The project's error hierarchy: every expected failure is one of these."""

from __future__ import annotations


class AudiobookError(Exception):
    """A failure the CLI reports as one line; exit code 1 (runtime)."""

    exit_code = 1


class UsageError(AudiobookError):
    """Bad input or arguments from the user; exit code 2."""

    exit_code = 2


class InputError(UsageError):
    """An input file cannot be read as articles (missing, empty, binary...)."""


class ConfigError(UsageError):
    """A voice profile, lexicon or rules file is malformed."""


class ToolError(AudiobookError):
    """An external tool (ffmpeg, espeak-ng...) failed or is missing."""


class EngineError(AudiobookError):
    """A speech engine failed to produce a valid clip after retries."""


class LockError(AudiobookError):
    """Another build holds the output folder."""
