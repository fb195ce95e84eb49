"""A local preview server for an output folder: 127.0.0.1 only, byte ranges, right content types."""

from __future__ import annotations

import email.utils
import errno
import os
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import AudiobookError, UsageError

HOST = "127.0.0.1"
CHUNK_BYTES = 256 * 1024
CONTENT_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4b": "audio/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".m3u8": "audio/mpegurl",  # an M3U playlist of MP3s, not an HLS stream
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


class RangeNotSatisfiable(Exception):
    """The Range header asks for bytes the file does not have (HTTP 416)."""


def content_type(path: Path) -> str:
    """The Content-Type for a file in an output folder."""
    if path.name == "feed.xml":
        return "application/rss+xml; charset=utf-8"
    return CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive byte range a Range header asks for, or None to send the whole file.

    Malformed headers and multi-range requests are ignored (RFC 9110 allows
    answering with the full file); a range starting past the end raises
    RangeNotSatisfiable.
    """
    if not header:
        return None
    unit, _, spec = header.strip().partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    first, last = first.strip(), last.strip()
    if not dash or not (first.isdigit() or first == "") or not (last.isdigit() or last == ""):
        return None
    if first == "":
        if last == "":
            return None
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(0, size - suffix), size - 1
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        raise RangeNotSatisfiable
    return start, min(int(last) if last else size - 1, size - 1)


def resolve_request_path(root: Path, url: str) -> Path | None:
    """The file a request URL names inside root, or None when it would leave root.

    Refuses `..` (also percent-encoded), backslashes, NUL, dot-files (atomic
    writes' temporary files start with a dot) and symlinks pointing outside.
    """
    raw = urlsplit(url).path
    try:
        decoded = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\x00" in decoded or "\\" in decoded:
        return None
    parts = [p for p in decoded.split("/") if p not in ("", ".")]
    if any(p == ".." or p.startswith(".") for p in parts):
        return None
    real_root = root.resolve()
    try:
        target = real_root.joinpath(*parts).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    if target != real_root and real_root not in target.parents:
        return None
    return target


class OutputRequestHandler(SimpleHTTPRequestHandler):
    """GET/HEAD for files under one folder; no listings, no writes."""

    server_version = "audiobook-serve"
    quiet = False

    def __init__(self, *args: Any, root: Path, **kwargs: Any) -> None:
        self.root = root
        super().__init__(*args, directory=str(root), **kwargs)

    def do_GET(self) -> None:
        self._send(body=True)

    def do_HEAD(self) -> None:
        self._send(body=False)

    def log_message(self, format: str, *args: Any) -> None:
        if not self.quiet:
            super().log_message(format, *args)

    def _error(self, status: HTTPStatus, headers: dict[str, str] | None = None) -> None:
        body = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send(self, body: bool) -> None:
        path = resolve_request_path(self.root, self.path)
        if path is None:
            self._error(HTTPStatus.NOT_FOUND)
            return
        if path.is_dir():
            url_path = urlsplit(self.path).path
            if not url_path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", url_path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = path / "index.html"
        try:
            fh = path.open("rb")
        except OSError:
            self._error(HTTPStatus.NOT_FOUND)
            return
        with fh:
            stat = os.fstat(fh.fileno())
            size = stat.st_size
            try:
                wanted = parse_range(self.headers.get("Range"), size)
            except RangeNotSatisfiable:
                self._error(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, {"Content-Range": f"bytes */{size}"})
                return
            start, end = wanted if wanted else (0, size - 1)
            length = max(0, end - start + 1)
            self.send_response(HTTPStatus.PARTIAL_CONTENT if wanted else HTTPStatus.OK)
            self.send_header("Content-Type", content_type(path))
            self.send_header("Content-Length", str(length))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
            # A preview server: always show the latest build.
            self.send_header("Cache-Control", "no-cache")
            if wanted:
                self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            self.end_headers()
            if not body:
                return
            fh.seek(start)
            remaining = length
            try:
                while remaining > 0:
                    chunk = fh.read(min(CHUNK_BYTES, remaining))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    remaining -= len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                # Players routinely drop a connection after reading what they need.
                pass


def make_server(root: Path, port: int = 8000, *, quiet: bool = False) -> ThreadingHTTPServer:
    """A server for root on 127.0.0.1:port (0 picks a free port); call serve_forever()."""
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder; give the folder `build -o` wrote")
    handler = type("Handler", (OutputRequestHandler,), {"quiet": quiet})
    try:
        server = ThreadingHTTPServer((HOST, port), partial(handler, root=root.resolve()))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise AudiobookError(f"port {port} is already in use on {HOST}: choose another with --port") from exc
        raise AudiobookError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from exc
    server.daemon_threads = True
    return server
