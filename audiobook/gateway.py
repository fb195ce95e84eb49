"""The one gateway for running external tools (ffmpeg, ffprobe, espeak-ng)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence

from .errors import ToolError

# What to install when a tool is missing, by tool name (Debian package names).
INSTALL_HINTS: dict[str, str] = {
    "ffmpeg": "apt-get install ffmpeg",
    "ffprobe": "apt-get install ffmpeg",
    "espeak-ng": "apt-get install espeak-ng",
}


def find_tool(name: str) -> str:
    """Return the tool's path or raise a ToolError saying what to install."""
    path = shutil.which(name)
    if path is None:
        hint = INSTALL_HINTS.get(name, f"install {name}")
        raise ToolError(f"{name} not found on PATH: run `{hint}`")
    return path


def last_line(text: str) -> str:
    """The last non-blank line of a tool's output: usually the real error."""
    for line in reversed(text.splitlines()):
        if line.strip():
            return line.strip()
    return ""


def run_tool(
    args: Sequence[str],
    *,
    input_bytes: bytes | None = None,
    timeout_s: float | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run a tool, capturing output; raise ToolError with its last stderr line."""
    exe = find_tool(args[0])
    try:
        proc = subprocess.run(
            [exe, *args[1:]],
            input=input_bytes,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ToolError(f"{args[0]} timed out after {timeout_s} s") from exc
    except OSError as exc:
        raise ToolError(f"{args[0]} could not start: {exc.strerror}") from exc
    if proc.returncode != 0:
        why = last_line(proc.stderr.decode("utf-8", "replace")) or f"exit code {proc.returncode}"
        raise ToolError(f"{args[0]} failed: {why}")
    return proc


def run_ffmpeg(args: Sequence[str], **kw: object) -> subprocess.CompletedProcess[bytes]:
    """Run ffmpeg quietly (no banner, no prompts) through the gateway."""
    return run_tool(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args], **kw)  # type: ignore[arg-type]


def run_ffprobe(args: Sequence[str], **kw: object) -> subprocess.CompletedProcess[bytes]:
    """Run ffprobe through the gateway."""
    return run_tool(["ffprobe", "-hide_banner", "-loglevel", "error", *args], **kw)  # type: ignore[arg-type]
