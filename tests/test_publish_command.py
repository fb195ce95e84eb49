"""`audiobook publish` and `audiobook serve` as a user runs them, in real processes."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
from pathlib import Path

from test_publish_support import make_edition

AUDIOBOOK = [sys.executable, "-m", "audiobook"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*AUDIOBOOK, *args], capture_output=True, text=True, timeout=120)


def test_publish_command_writes_pages_feed_and_updates_the_manifest(tmp_path: Path) -> None:
    make_edition(tmp_path)  # as an older build left it: no transcripts, no pages
    proc = _run("publish", str(tmp_path), "--base-url", "https://example.org/audio")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "feed.xml").is_file() and (tmp_path / "index.html").is_file()
    edition = tmp_path / "the-weekly-2024-03-01"
    assert (edition / "index.html").is_file() and (edition / "01-article-1.vtt").is_file()
    assert '"vtt"' in (edition / "edition.json").read_text(encoding="utf-8")
    assert b"01-article-1.vtt" in (tmp_path / "feed.xml").read_bytes()
    first = (tmp_path / "feed.xml").read_bytes(), (edition / "edition.json").read_bytes()
    assert _run("publish", str(tmp_path), "--base-url", "https://example.org/audio").returncode == 0
    assert ((tmp_path / "feed.xml").read_bytes(), (edition / "edition.json").read_bytes()) == first


def test_publish_command_without_base_url_explains(tmp_path: Path) -> None:
    make_edition(tmp_path)
    proc = _run("publish", str(tmp_path))
    assert proc.returncode == 0
    assert "feed.xml not written: needs --base-url" in proc.stderr
    assert not (tmp_path / "feed.xml").exists()


def test_publish_command_errors_are_one_line(tmp_path: Path) -> None:
    for args, message in (
        ([str(tmp_path / "missing")], "not a folder"),
        ([str(tmp_path), "--base-url", "example.org"], "not an absolute http(s) URL"),
    ):
        proc = _run("publish", *args)
        assert proc.returncode == 2
        assert proc.stderr.count("\n") == 1 and message in proc.stderr and "Traceback" not in proc.stderr
    (tmp_path / "audiobook.toml").write_text("[publish]\nbase_urll = 'x'\n", encoding="utf-8")
    proc = _run("publish", str(tmp_path))
    assert proc.returncode == 2 and "unknown key publish.base_urll" in proc.stderr


def test_serve_command_serves_ranges_until_stopped(tmp_path: Path) -> None:
    make_edition(tmp_path)
    proc = subprocess.Popen([*AUDIOBOOK, "serve", str(tmp_path), "--port", "0", "--quiet"], stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert "http://127.0.0.1:" in line, line
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/the-weekly-2024-03-01/01-article-1.mp3", headers={"Range": "bytes=0-3"})
        resp = conn.getresponse()
        data = (tmp_path / "the-weekly-2024-03-01" / "01-article-1.mp3").read_bytes()
        assert (resp.status, resp.read()) == (206, data[:4])
        conn.close()
    finally:
        proc.terminate()
        deadline = time.monotonic() + 10
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_serve_command_refuses_a_busy_port(tmp_path: Path) -> None:
    from audiobook.publish.serve import make_server

    server = make_server(tmp_path, 0, quiet=True)
    try:
        proc = _run("serve", str(tmp_path), "--port", str(server.server_address[1]))
        assert proc.returncode == 1
        assert "already in use" in proc.stderr and "Traceback" not in proc.stderr
    finally:
        server.server_close()


def test_publish_leaves_an_edition_alone_while_a_build_holds_it(tmp_path: Path) -> None:
    from filelock import FileLock

    from audiobook.publish import EDITION_LOCK_NAME, republish_editions

    make_edition(tmp_path)
    folder = tmp_path / "the-weekly-2024-03-01"
    with FileLock(str(folder / EDITION_LOCK_NAME)):
        notices = republish_editions(tmp_path)
    assert notices == ["skipped the-weekly-2024-03-01: a build is writing it (its own build publishes it)"]
    assert not (folder / "index.html").exists()
    assert republish_editions(tmp_path) == [] and (folder / "index.html").exists()


def test_a_manifest_cannot_make_publish_write_outside_its_folder(tmp_path: Path) -> None:
    import json

    from audiobook.publish import republish_editions

    make_edition(tmp_path / "out")
    manifest_path = tmp_path / "out" / "the-weekly-2024-03-01" / "edition.json"
    data = json.loads(manifest_path.read_text(encoding="utf-8"))
    data["articles"][0]["file"]["path"] = "../../escaped.mp3"
    manifest_path.write_text(json.dumps(data), encoding="utf-8")
    notices = republish_editions(tmp_path / "out")
    assert notices == ["skipped the-weekly-2024-03-01: article 1: unsafe file path '../../escaped.mp3' in the manifest"]
    assert not list(tmp_path.glob("escaped*"))
