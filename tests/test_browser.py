"""The edition page in a real headless Chromium, served by `serve`: play, seek by chapter and sentence, follow the voice."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from audiobook.publish import publish_site
from audiobook.publish.serve import make_server
from conftest import require_module, require_tool
from test_publish_support import publish_built

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
SCREENSHOT = ARTIFACTS / "edition-page.png"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
    "--mute-audio",
]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    output = tmp_path / "output"
    manifest = publish_built(output, title="The Weekly, 1 March 2024", article_titles=("Rivers of Iron & <Steel>", "The quiet year"))
    publish_site(output, "https://example.org/audio")
    server = make_server(output, 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield output / manifest.slug, f"http://127.0.0.1:{server.server_address[1]}/{manifest.slug}/"
    finally:
        server.shutdown()
        server.server_close()


def test_edition_page_plays_seeks_and_follows(site: tuple[Path, str]) -> None:
    chromium = require_tool("chromium")
    require_module("playwright")
    from playwright.sync_api import sync_playwright

    folder, url = site
    mp3 = folder / "01-article-1.mp3"
    mp3_bytes = mp3.read_bytes()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            media_statuses: list[int] = []
            page.on("response", lambda r: media_statuses.append(r.status) if r.url.endswith("01-article-1.mp3") else None)
            page.goto(url + "index.html")
            assert page.title().startswith("The Weekly, 1 March 2024")
            assert page.locator("[aria-current]").count() == 0, "nothing is marked as heard before playing"

            # The first Tab reaches the skip link, which shows itself and leads to the players.
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.className") == "skip"
            assert page.locator("a.skip").is_visible()
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.id") == "main"

            article = page.locator("#article-1")
            audio = "document.querySelector('#article-1 audio')"
            # Play: the audio really advances.
            page.evaluate(f"{audio}.play()")
            page.wait_for_function(f"{audio}.currentTime > 0.3", timeout=10_000)

            # Click the second chapter: the time jumps to its start (4.0 s) and the chapter is marked current.
            chapter = article.locator("button.seek").nth(1)
            chapter.click()
            page.wait_for_function(f"{audio}.currentTime >= 3.95 && {audio}.currentTime < 5.5", timeout=10_000)
            assert chapter.get_attribute("aria-current") == "true"
            assert article.locator("button.seek").nth(0).get_attribute("aria-current") is None

            # The highlighted sentence follows the time.
            page.evaluate(f"{audio}.pause(); {audio}.currentTime = 6.5")
            current = article.locator(".cue[aria-current='true']")
            page.wait_for_function(
                "document.querySelector(\"#article-1 .cue[aria-current='true']\")?.dataset.start === '6.000'",
                timeout=10_000,
            )
            assert current.count() == 1
            assert current.inner_text().startswith("Sentence 4 of article 1")
            page.evaluate(f"{audio}.currentTime = 2.2")
            page.wait_for_function(
                "document.querySelector(\"#article-1 .cue[aria-current='true']\")?.dataset.start === '2.000'",
                timeout=10_000,
            )

            # Clicking a sentence seeks to it.
            article.locator(".cue").nth(2).click()
            page.wait_for_function(f"{audio}.currentTime >= 3.95 && {audio}.currentTime < 5.5", timeout=10_000)
            page.evaluate(f"{audio}.pause()")

            # Keyboard: in a transcript, arrows move and Enter plays from there.
            article.locator(".cue").nth(0).focus()
            page.keyboard.press("ArrowRight")
            assert page.evaluate("document.activeElement.dataset.start") == "2.000"
            page.keyboard.press("Enter")
            page.wait_for_function(f"{audio}.currentTime >= 1.95 && {audio}.currentTime < 3.5", timeout=10_000)
            page.evaluate(f"{audio}.pause()")
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline == "solid", "visible focus on the focused sentence"

            # Starting another player pauses this one.
            page.evaluate(f"{audio}.play()")
            page.evaluate("document.querySelector('#article-2 audio').play()")
            page.wait_for_function(f"{audio}.paused", timeout=10_000)
            page.evaluate("document.querySelector('#article-2 audio').pause()")

            # A Range request from the page gets 206 and exactly those bytes.
            got = page.evaluate(
                """async () => {
                    const r = await fetch('01-article-1.mp3', {headers: {Range: 'bytes=1000-1999'}});
                    return {status: r.status, range: r.headers.get('Content-Range'),
                            bytes: Array.from(new Uint8Array(await r.arrayBuffer()))};
                }"""
            )
            assert got["status"] == 206
            assert got["range"] == f"bytes 1000-1999/{len(mp3_bytes)}"
            assert bytes(got["bytes"]) == mp3_bytes[1000:2000]
            # The media element itself asked with a range, as browsers do to seek.
            assert 206 in media_statuses

            assert errors == []
            page.evaluate(f"{audio}.currentTime = 4.5")
            page.wait_for_function(
                "document.querySelector(\"#article-1 .cue[aria-current='true']\")?.dataset.start === '4.000'"
            )
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 10_000


def test_edition_page_works_from_file_url(site: tuple[Path, str]) -> None:
    chromium = require_tool("chromium")
    require_module("playwright")
    from playwright.sync_api import sync_playwright

    folder, _ = site
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto((folder / "index.html").as_uri())
            page.locator("#article-2 button.seek").nth(1).click()
            page.wait_for_function(
                "document.querySelector('#article-2 audio').currentTime >= 3.95", timeout=10_000
            )
            assert page.locator("#article-2 .cue[aria-current='true']").get_attribute("data-start") == "4.000"
            assert errors == []
        finally:
            browser.close()
