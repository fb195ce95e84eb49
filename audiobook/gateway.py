"""The one gateway for running external tools (ffmpeg, ffprobe, espeak-ng)."""

from __future__ import annotations

import shutil
import subprocess
import threading
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


# Tools running now, from any thread. Ctrl-C reaches only the main thread: stop_tools()
# kills these, so assembly threads waiting on an encode return at once instead of
# holding the process for the rest of their work (24 s measured under load).
_RUNNING: set[subprocess.Popen[bytes]] = set()
_RUNNING_LOCK = threading.Lock()
_STOPPING = threading.Event()


def stop_tools() -> None:
    """Kill every tool started through the gateway and refuse new ones (the build is stopping).

    Each caller then raises KeyboardInterrupt, so no thread reports a killed tool
    as a failure and every atomic write removes its temp file.
    """
    _STOPPING.set()
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for proc in running:
        try:
            proc.kill()
        except OSError:  # already gone
            pass


def resume_tools() -> None:
    """Allow tools again after stop_tools (a library caller that goes on after an interrupt)."""
    _STOPPING.clear()


def run_tool(
    args: Sequence[str],
    *,
    input_bytes: bytes | None = None,
    timeout_s: float | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run a tool, capturing output; raise ToolError with its last stderr line.

    Raises KeyboardInterrupt instead when the build is stopping (see stop_tools).
    """
    exe = find_tool(args[0])
    if _STOPPING.is_set():
        raise KeyboardInterrupt
    cmd = [exe, *args[1:]]
    try:
        popen = subprocess.Popen(
            cmd, stdin=subprocess.PIPE if input_bytes is not None else None, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    except OSError as exc:
        raise ToolError(f"{args[0]} could not start: {exc.strerror}") from exc
    with _RUNNING_LOCK:
        _RUNNING.add(popen)
    try:
        with popen:
            try:
                out, err = popen.communicate(input_bytes, timeout=timeout_s)
            except subprocess.TimeoutExpired as exc:
                popen.kill()
                popen.communicate()
                raise ToolError(f"{args[0]} timed out after {timeout_s} s") from exc
            except BaseException:  # Ctrl-C in the main thread: the tool must not outlive the wait
                popen.kill()
                raise
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(popen)
    if _STOPPING.is_set():
        raise KeyboardInterrupt
    proc = subprocess.CompletedProcess(cmd, popen.returncode, out, err)
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
