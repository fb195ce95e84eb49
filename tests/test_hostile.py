"""Hostile input: dangerous titles, markup, engine control codes, malformed profiles and lexicons."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import require_tool
from hypothesis import given
from hypothesis import strategies as st
from test_faults_kit import Builder, Run, check_complete, visible_files

from audiobook.slug import MAX_SLUG_CHARS, slugify, unique_slugs

LONG_TITLE = " ".join(["Considerably"] * 40) + " end"  # 500 characters
MARKUP_TITLE = '<b>Bold</b> & "Quotes" ]]> --> <script>alert(1)</script>'
MARKUP_BODY = "First <script>alert('x')</script> body &amp; more ]]> and --> end. Then <!-- a comment --> here."
CONTROL_TITLE = "Red \x1b[31m alert \x07 bell"
EDITION_TITLE = '<i>Ed</i> & "co" ]]> --> ../../x'
TITLES = [
    "../../etc/passwd",
    "a/b\\c /d",
    CONTROL_TITLE,
    LONG_TITLE,
    "🎧🎧🎧",
    "مرحبا بالعالم",
    "Same title",
    "Same title",
    MARKUP_TITLE,
]


def _md_heading(title: str) -> str:
    # Markdown would read <b> as markup: escaped, the heading's text is exactly the title.
    return "# " + title.replace("\\", "\\\\").replace("<", "\\<")


def _md_body(text: str) -> str:
    return text.replace("<", "\\<").replace("&amp;", "&amp;amp;")


HOSTILE_MD = "\n\n".join(
    f"{_md_heading(t)}\n\n{_md_body(MARKUP_BODY) if t == MARKUP_TITLE else f'Body of article {i}.'}"
    for i, t in enumerate(TITLES, start=1)
) + "\n"
FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9]+)+$")
TIMING = re.compile(r"^\d\d:\d\d:\d\d[.,]\d{3} --> \d\d:\d\d:\d\d[.,]\d{3}")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


# --- file names (pure) ---------------------------------------------------------


@pytest.mark.parametrize("title", [*TITLES, "\x00\x00", "x\x00y", "..", ".", "CON", "a" * 500, "\u202eevil\u202c", ""])
def test_slug_is_one_safe_component(title: str) -> None:
    slug = slugify(title, fallback="article")
    assert FILE_NAME.match(slug + ".mp3") and len(slug) <= MAX_SLUG_CHARS, slug


@given(st.lists(st.text(), max_size=12))
def test_slugs_are_unique_safe_and_never_empty(titles: list[str]) -> None:
    slugs = unique_slugs(titles, fallback="article")
    assert len(set(slugs)) == len(slugs)
    for slug in slugs:
        assert FILE_NAME.match(slug + ".mp3"), slug


# --- one build of hostile articles ----------------------------------------------


@dataclass
class Hostile:
    root: Path
    out: Path
    folder: Path
    run: Run
    manifest: dict[str, object]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    require_tool("ffmpeg")  # the tone engine speaks (test_faults_kit.Builder): the names and markup are the point
    root = tmp_path_factory.mktemp("hostile")
    source = root / "hostile.md"
    source.write_text(HOSTILE_MD, encoding="utf-8")
    sandbox = root / "sandbox"
    sandbox.mkdir()
    run = Builder(root, source).run(sandbox / "out", None, "--title", EDITION_TITLE)
    assert run.code == 0, run.stderr
    (folder,) = [p for p in (sandbox / "out").iterdir() if p.is_dir()]
    manifest = json.loads((folder / "edition.json").read_text(encoding="utf-8"))
    return Hostile(root, sandbox / "out", folder, run, manifest)


def test_hostile_titles_give_safe_unique_readable_names_inside_the_output(hostile: Hostile) -> None:
    # Nothing escaped the output folder, and nothing in it is outside it by a link.
    assert [p.name for p in hostile.out.parent.iterdir()] == ["out"]
    for path in hostile.out.rglob("*"):
        assert path.resolve().is_relative_to(hostile.out.resolve()) and not path.is_symlink()
    assert hostile.folder.name == "i-ed-i-and-co-x"
    mp3s = sorted(p.name for p in hostile.folder.glob("*.mp3"))
    assert mp3s == [
        "01-etc-passwd.mp3",
        "02-a-b-c-d.mp3",
        "03-red-31m-alert-bell.mp3",
        "04-considerably-considerably-considerably-considerably.mp3",
        "05-article.mp3",
        "06-article-2.mp3",
        "07-same-title.mp3",
        "08-same-title-2.mp3",
        "09-b-bold-b-and-quotes-script-alert-1-script.mp3",
        "i-ed-i-and-co-x.mp3",
    ]
    for rel, path in visible_files(hostile.out).items():
        assert FILE_NAME.match(path.name), rel
        check_complete(path)
    articles = hostile.manifest["articles"]
    assert isinstance(articles, list)
    # Titles are kept as written (only control characters go) wherever they are shown.
    assert [a["title"] for a in articles] == TITLES


def _cleaned(title: str) -> str:
    return " ".join(CONTROL.sub("", title).split())


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script" and not dict(attrs).get("src")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.inline_scripts if self._in_script else self.text).append(data)


def test_markup_is_escaped_in_pages_feed_captions_json_id3_and_playlist(hostile: Hostile) -> None:
    from mutagen.id3 import ID3

    folder = hostile.folder
    # Edition page and site index: the markup is there as text, never as elements.
    for page_path in (folder / "index.html", hostile.out / "index.html"):
        page = _Page()
        page.feed(page_path.read_text(encoding="utf-8"))
        text = " ".join(" ".join(page.text).split())
        assert not any("alert" in s for s in page.inline_scripts), page_path
        assert MARKUP_TITLE in text, page_path
        if page_path.parent == folder:
            assert MARKUP_BODY in text
    # Feed: well-formed XML whose titles read back exactly.
    feed = ET.fromstring((hostile.out / "feed.xml").read_bytes())
    item_titles = [t.text for item in feed.iter("item") for t in item.iter("title")]
    assert MARKUP_TITLE in item_titles and _cleaned(CONTROL_TITLE) in item_titles
    assert not CONTROL.search((hostile.out / "feed.xml").read_text(encoding="utf-8"))
    # Captions: only timing lines carry "-->"; no tag or bare "&" in a cue; the words survive.
    markup = "09-b-bold-b-and-quotes-script-alert-1-script"
    for suffix in (".vtt", ".srt"):
        lines = (folder / f"{markup}{suffix}").read_text(encoding="utf-8").splitlines()
        assert all(TIMING.match(line) for line in lines if "-->" in line), suffix
    vtt = (folder / f"{markup}.vtt").read_text(encoding="utf-8")
    payload = [line for line in vtt.splitlines()[1:] if line and not TIMING.match(line) and not line.isdigit()]
    assert not any(re.search(r"<(?!/?[a-z]\b)|&(?!(lt|gt|amp|nbsp|lrm|rlm);)", line) for line in payload), payload
    assert "alert('x')" in html.unescape(" ".join(payload))
    # JSON: strings round-trip exactly.
    transcript = (folder / f"{markup}.transcript.json").read_text(encoding="utf-8")
    assert "<" not in transcript  # written as \u003c, safe to inline in a page
    assert MARKUP_BODY.split(". ")[0] in json.dumps(json.loads(transcript), ensure_ascii=False)
    # ID3: the exact title, control characters gone.
    assert str(ID3(folder / f"{markup}.mp3")["TIT2"]) == MARKUP_TITLE
    assert str(ID3(folder / "03-red-31m-alert-bell.mp3")["TIT2"]) == CONTROL.sub("", CONTROL_TITLE)
    # Playlist: one entry per file, no control characters that a terminal would obey.
    m3u = (folder / "i-ed-i-and-co-x.m3u8").read_text(encoding="utf-8")
    assert not CONTROL.search(m3u)
    entries = [line for line in m3u.splitlines() if not line.startswith("#")]
    assert len(entries) == len(TITLES) and all((folder / e).is_file() for e in entries), entries


# --- engine control codes --------------------------------------------------------

CONTROL_CODES = {
    "ssml break": 'Wait <break time="10s"/> now.',
    "ssml speak": "<speak>Hello</speak>",
    "espeak phonemes": "[[h@l'oU]]",
    "espeak audio tag": '<audio src="/etc/passwd"/> done',
    "prosody": '<prosody rate="x-slow">slow</prosody>',
}


def test_control_codes_are_spoken_as_text_never_obeyed(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    from audiobook.normalise import speak_text
    from audiobook.synthesise import ClipRequest, synthesise
    from audiobook.synthesise.voices import load_profile

    profile = load_profile("espeak")
    texts = {name: text for name, text in CONTROL_CODES.items()}
    texts["hello"] = "Hello"
    # Both layers: the normaliser's spoken text, and the engine given the raw markup.
    spoken = {name: speak_text(text) for name, text in texts.items()}
    assert "break" in spoken["ssml break"].lower() and "speak" in spoken["ssml speak"].lower()
    names = list(texts)
    raw = synthesise([ClipRequest(texts[n], n) for n in names], profile, cache_dir=tmp_path, jobs=1)
    said = synthesise([ClipRequest(spoken[n], n) for n in names], profile, cache_dir=tmp_path, jobs=1)
    seconds = {n: (r.duration_s, s.duration_s) for n, r, s in zip(names, raw, said, strict=True)}
    hello_s = seconds["hello"][0]
    for name in CONTROL_CODES:
        for d in seconds[name]:
            # Obeyed, "<break time=10s>" would be 10 s of silence and "[[h@l'oU]]" one word.
            assert 1.5 * hello_s < d < 6.0, (name, seconds[name])
    print(f"\ncontrol codes: {len(CONTROL_CODES)} spoken as text; seconds (raw, normalised): {seconds}")


# --- malformed configuration -------------------------------------------------------

PROFILES = {
    "toml syntax": 'engine = "espeak"\nrate_wpm = [',
    "unknown key": 'engine = "espeak"\nvoice = "en"\nspeed = 3\n',
    "wrong type": 'engine = "espeak"\nvoice = "en"\nrate_wpm = "fast"\n',
    "out of range": 'engine = "espeak"\nvoice = "en"\nrate_wpm = -5\n',
    "unknown engine": 'engine = "sapi9"\n',
    "binary": "\x00\x01\x02\xff",
    "missing lexicon": 'engine = "espeak"\nvoice = "en"\nlexicons = ["nowhere.toml"]\n',
    "bad lexicon": 'engine = "espeak"\nvoice = "en"\nlexicons = ["bad-lexicon.toml"]\n',
    "lexicon control codes": 'engine = "espeak"\nvoice = "en"\nlexicons = ["sneaky-lexicon.toml"]\n',
    "lexicon wrong shape": 'engine = "espeak"\nvoice = "en"\nlexicons = ["shape-lexicon.toml"]\n',
}


@pytest.mark.parametrize("case", list(PROFILES))
def test_malformed_profile_or_lexicon_is_exit_2_and_one_line(tmp_path: Path, case: str) -> None:
    (tmp_path / "bad-lexicon.toml").write_text("[words\nfoo = ", encoding="utf-8")
    (tmp_path / "sneaky-lexicon.toml").write_text('[words]\nhello = { say = "[[h@l\'oU]]" }\n', encoding="utf-8")
    (tmp_path / "shape-lexicon.toml").write_text("words = 3\n", encoding="utf-8")
    profile = tmp_path / "profile.toml"
    profile.write_text(PROFILES[case], encoding="utf-8", errors="surrogateescape")
    source = tmp_path / "a.md"
    source.write_text("# Title\n\nHello there.\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "audiobook", "build", str(source), "-o", str(tmp_path / "out"), "--voice", str(profile), "-q",
         "--cache-dir", str(tmp_path / "cache")],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, proc.stderr
    assert len(lines) == 1 and lines[0].startswith("audiobook: error: "), proc.stderr
    assert "Traceback" not in proc.stderr


def test_nul_bytes_in_an_input_are_refused_in_one_line(tmp_path: Path) -> None:
    source = tmp_path / "nul.txt"
    source.write_bytes(b"Title\n\nSome text\x00 with a NUL.\n")
    proc = subprocess.run(
        [sys.executable, "-m", "audiobook", "plan", str(source)], capture_output=True, text=True, check=False, timeout=60
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"audiobook: error: {source}: looks like a binary file, not text"]


@pytest.mark.parametrize("where", ["output is a file", "cache is a file", "output under /proc"])
def test_unusable_folders_are_one_line_not_a_traceback(tmp_path: Path, where: str) -> None:
    source = tmp_path / "a.md"
    source.write_text("# Title\n\nHello there.\n", encoding="utf-8")
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    if where == "output is a file":
        out = a_file
    elif where == "cache is a file":
        cache = a_file
    else:
        out = Path("/proc/audiobook-test")
    proc = subprocess.run(
        [sys.executable, "-m", "audiobook", "build", str(source), "-o", str(out), "--cache-dir", str(cache), "-q"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode in (1, 2) and len(lines) == 1 and lines[0].startswith("audiobook: error: "), proc.stderr
