"""The preview server over real sockets: byte ranges, content types, nothing outside the folder."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from audiobook.errors import AudiobookError
from audiobook.publish.serve import RangeNotSatisfiable, make_server, parse_range, resolve_request_path
from test_publish_support import publish_built


def test_parse_range() -> None:
    assert parse_range(None, 100) is None
    assert parse_range("bytes=0-9", 100) == (0, 9)
    assert parse_range("bytes=90-", 100) == (90, 99)
    assert parse_range("bytes=-10", 100) == (90, 99)
    assert parse_range("bytes=-1000", 100) == (0, 99)
    assert parse_range("bytes=50-1000", 100) == (50, 99)
    assert parse_range("bytes= 5 - 6 ", 100) == (5, 6)
    # Ignored, whole file: other units, malformed, reversed, several ranges.
    for header in ("items=0-1", "bytes=a-b", "bytes=5-2", "bytes=0-1,5-6", "bytes=-", "bytes"):
        assert parse_range(header, 100) is None, header
    for header in ("bytes=100-", "bytes=100-200", "bytes=-0"):
        with pytest.raises(RangeNotSatisfiable):
            parse_range(header, 100)
    with pytest.raises(RangeNotSatisfiable):
        parse_range("bytes=0-", 0)


def test_resolve_request_path_refuses_escapes(tmp_path: Path) -> None:
    root = tmp_path / "out"
    (root / "ed").mkdir(parents=True)
    (root / "ed" / "a.mp3").write_bytes(b"x")
    assert resolve_request_path(root, "/ed/a.mp3?x=1") == (root / "ed" / "a.mp3").resolve()
    assert resolve_request_path(root, "/ed/%61.mp3") == (root / "ed" / "a.mp3").resolve()
    assert resolve_request_path(root, "/") == root.resolve()
    for bad in ("/../x", "/ed/../../x", "/%2e%2e/x", "/ed/%2E%2E/%2e%2e/x", "/..%2fx", "/%2e%2e%5cx",
                "/ed\\..\\..\\x", "/ed/%00a.mp3", "/.hidden", "/ed/.a.mp3.part.mp3", "/%ff"):
        assert resolve_request_path(root, bad) is None, bad


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    output = tmp_path / "output"
    publish_built(output)
    (tmp_path / "secret.txt").write_text("do not serve", encoding="utf-8")
    (output / "escape.txt").symlink_to(tmp_path / "secret.txt")
    (output / ".feed.xml.tmp").write_text("half written", encoding="utf-8")
    from audiobook.publish import publish_site

    publish_site(output, "https://example.org")
    server = make_server(output, 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield output, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _get(port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_range_requests(served: tuple[Path, int]) -> None:
    output, port = served
    data = (output / "the-weekly-2024-03-01" / "01-article-1.mp3").read_bytes()
    size = len(data)
    path = "/the-weekly-2024-03-01/01-article-1.mp3"

    status, headers, body = _get(port, path)
    assert status == 200 and body == data
    assert headers["accept-ranges"] == "bytes" and headers["content-type"] == "audio/mpeg"

    status, headers, body = _get(port, path, {"Range": "bytes=100-1123"})
    assert status == 206 and body == data[100:1124]
    assert headers["content-range"] == f"bytes 100-1123/{size}" and headers["content-length"] == "1024"

    status, headers, body = _get(port, path, {"Range": "bytes=-500"})
    assert status == 206 and body == data[-500:]
    assert headers["content-range"] == f"bytes {size - 500}-{size - 1}/{size}"

    status, headers, body = _get(port, path, {"Range": f"bytes={size - 3}-"})
    assert status == 206 and body == data[-3:]

    status, headers, body = _get(port, path, {"Range": f"bytes={size}-"})
    assert status == 416 and headers["content-range"] == f"bytes */{size}"

    status, headers, body = _get(port, path, {"Range": "bytes=0-9"}, method="HEAD")
    assert status == 206 and body == b"" and headers["content-length"] == "10"


def test_content_types(served: tuple[Path, int]) -> None:
    _, port = served
    expected = {
        "/the-weekly-2024-03-01/01-article-1.mp3": "audio/mpeg",
        "/the-weekly-2024-03-01/01-article-1.vtt": "text/vtt; charset=utf-8",
        "/the-weekly-2024-03-01/01-article-1.srt": "application/x-subrip; charset=utf-8",
        "/the-weekly-2024-03-01/01-article-1.transcript.json": "application/json",
        "/the-weekly-2024-03-01/01-article-1.chapters.json": "application/json",
        "/the-weekly-2024-03-01/index.html": "text/html; charset=utf-8",
        "/the-weekly-2024-03-01/cover.jpg": "image/jpeg",
        "/feed.xml": "application/rss+xml; charset=utf-8",
        "/": "text/html; charset=utf-8",
    }
    for path, mime in expected.items():
        status, headers, _ = _get(port, path)
        assert (status, headers["content-type"]) == (200, mime), path


def test_nothing_outside_the_folder(served: tuple[Path, int]) -> None:
    _, port = served
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/the-weekly-2024-03-01/%2e%2e/%2e%2e/secret.txt",
                 "/..%2fsecret.txt", "/escape.txt", "/.feed.xml.tmp", "/nope.mp3"):
        status, _, body = _get(port, path)
        assert status == 404, path
        assert b"do not serve" not in body and b"half written" not in body


def test_folders_redirect_then_serve_their_page(served: tuple[Path, int]) -> None:
    _, port = served
    status, headers, _ = _get(port, "/the-weekly-2024-03-01")
    assert status == 301 and headers["location"] == "/the-weekly-2024-03-01/"
    status, _, body = _get(port, "/the-weekly-2024-03-01/")
    assert status == 200 and b"<audio" in body


def test_listens_on_loopback_only_and_reports_a_busy_port(tmp_path: Path) -> None:
    server = make_server(tmp_path, 0, quiet=True)
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        with pytest.raises(AudiobookError, match="already in use"):
            make_server(tmp_path, port)
    finally:
        server.server_close()
