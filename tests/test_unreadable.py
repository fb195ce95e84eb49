"""Text a listener could not follow is listed, not read; `plan` and `build` list the same, grouped (issue 12)."""

from __future__ import annotations

import base64
import json
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, HealthCheck, settings
from hypothesis import strategies as st

from conftest import require_tool
from audiobook.ingest.legibility import paragraph_kind, run_kind, set_aside
from audiobook.ingest.rules import load_rules
from audiobook.ingest.summary import group_not_read
from audiobook.ingest.text import parse_plain_text
from audiobook.model import NotRead

PROSE_BEFORE = "The report came in this morning, and the editors read it twice before the meeting began."
PROSE_AFTER = "That is all we know for now, the editors said, and they will write again next week."


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "audiobook", *args], capture_output=True, text=True, timeout=300)


def _plan(path: Path, *extra: str) -> dict[str, Any]:
    proc = _run("plan", "--json", str(path), *extra)
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def _spoken(data: dict[str, Any]) -> str:
    return "\n".join([a["standfirst"] or "" for a in data["articles"]] + [s["text"] for a in data["articles"] for s in a["sections"]])


def _document(tmp_path: Path, middle: str, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_text(f"A report\n\n{PROSE_BEFORE}\n\n{middle}\n\n{PROSE_AFTER}\n", encoding="utf-8")
    return path


def _hex_dump() -> str:
    rng = random.Random(3)
    data = bytes(rng.randrange(256) for _ in range(256))
    rows = []
    for at in range(0, len(data), 16):
        chunk = data[at:at + 16]
        rows.append(f"{at:08x}  " + " ".join(f"{b:02x}" for b in chunk) + "  |" + "".join(
            chr(b) if 32 < b < 127 else "." for b in chunk) + "|")
    return "\n".join(rows)


def _number_table() -> str:
    rng = random.Random(4)
    return "\n".join(" ".join(str(rng.randrange(1000)) for _ in range(6)) for _ in range(8))


BLOBS = {
    "long": "q" * 200_000,
    "base64": base64.encodebytes(random.Random(1).randbytes(600)).decode().strip(),
    "hex": _hex_dump(),
    "numbers": _number_table(),
    "symbols": "~~~~~~~~~~~~~~ ##### @@@@@@@@ ~~~~~~~~~~~~~~\n   /\\_/\\   ( o.o )   > ^ <   =^..^=",
    "code": '!function(e,t){"use strict";"object"==typeof module&&"object"==typeof module.exports?'
            'module.exports=e.document?t(e,!0):function(e){if(!e.document)throw new Error("jQuery needs a window");'
            'return t(e)}:t(e)}("undefined"!=typeof window?window:this,function(C,e){"use strict";var t=[];',
}


@pytest.mark.parametrize("kind", sorted(BLOBS))
def test_plan_lists_each_kind_and_reads_the_prose_around_it(tmp_path: Path, kind: str) -> None:
    data = _plan(_document(tmp_path, BLOBS[kind]))
    spoken = _spoken(data)
    assert PROSE_BEFORE in spoken and PROSE_AFTER in spoken
    # Nothing of the blob is left to read: the words are the prose's (the first paragraph is the standfirst).
    assert data["articles"][0]["standfirst"] == PROSE_BEFORE
    assert data["edition"]["words"] == len(PROSE_AFTER.split())
    unreadable = [n for n in data["not_read"] if n["reason"].startswith("unreadable: ")]
    assert len(unreadable) == 1, data["not_read"]
    assert unreadable[0]["line"] == 5
    # Everything set aside is in the list, whitespace aside.
    assert "".join(unreadable[0]["text"].split()) == "".join(BLOBS[kind].split())
    assert data["unreadable"].startswith("1 passage" if unreadable[0]["count"] == 1 else f"{unreadable[0]['count']} passages")


def test_a_file_of_nothing_but_a_long_run_is_one_error_line_saying_why(tmp_path: Path) -> None:
    path = tmp_path / "letters.txt"
    path.write_text("x" * 200_000 + "\n", encoding="utf-8")
    proc = _run("plan", str(path))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert "nothing to read aloud was found" in proc.stderr
    assert "200,000 characters" in proc.stderr and "a run without spaces" in proc.stderr


ORDINARY = [
    "In 2017, 45% of the 1,200 people asked paid £5.50 or more, up from 3.2% in 2015.",
    "See https://docs.python.org/3/library/importlib.resources.html#importlib.resources.files for details.",
    "Write to the.editor-in-chief@example.org.uk before 3 March, or call +44 20 7946 0958.",
    "Call importlib.resources.files() and pass it to AbstractSingletonProxyFactoryBean.getObject() first.",
    "Set CONFIG_DEBUG_INFO_BTF_MODULES=y and run make -j8 on /usr/src/linux-headers-6.1.0-13-amd64/include.",
    "The Donaudampfschifffahrtsgesellschaftskapitän said pneumonoultramicroscopicsilicovolcanoconiosis.",
    "The boot options were live-config.user-default-groups=audio,cdrom,dip,floppy,video,plugdev,netdev,powerdev,scanner.",
    "このマニュアルは Live システムプロジェクトと、特に Debian 9.0「stretch」リリースに向けてプロジェクトにより作られるソフトウェアに関連するあらゆる文書にアクセスするための一元的な起点となります。",
    "ในปีนี้โครงการได้ปล่อยรุ่นใหม่ที่มีการปรับปรุงหลายอย่างเพื่อให้ผู้ใช้ทำงานได้ง่ายขึ้นกว่าเดิมมาก",
    "Scores were 3-1, 2-2, 0-1 and 4-3 over the four weeks; the bad café added a face to the menu.",
    "She said: “Wait — what?!” and left (quickly)... The x = (a + b) / 2 rule holds for f(x) ≥ 0.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_prose_numbers_addresses_and_identifiers_are_read(text: str) -> None:
    s = load_rules().legibility
    assert paragraph_kind(text, s) is None
    assert [t for t in text.split() if run_kind(t, s)] == []


def test_runs_inside_prose_are_cut_out_and_the_sentence_kept(tmp_path: Path) -> None:
    digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    data = _plan(_document(tmp_path, f"Its checksum is {digest} and the file is {'=' * 30} safe to open."))
    assert "Its checksum is and the file is safe to open." in _spoken(data)
    listed = {n["text"]: n["reason"] for n in data["not_read"]}
    assert listed[digest] == "unreadable: hex digits"
    assert listed["=" * 30] == "unreadable: symbols"


def test_a_rules_file_reads_a_kind_or_a_pattern_anyway(tmp_path: Path) -> None:
    doc = _document(tmp_path, BLOBS["numbers"])
    by_kind = tmp_path / "kind.toml"
    by_kind.write_text('[legibility]\nread = ["numbers"]\n', encoding="utf-8")
    by_pattern = tmp_path / "pattern.toml"
    by_pattern.write_text("[[read_anyway]]\npattern = '^[\\d ]+$'\n", encoding="utf-8")
    first_row = BLOBS["numbers"].splitlines()[0]
    assert first_row not in _spoken(_plan(doc))
    for rules in (by_kind, by_pattern):
        data = _plan(doc, "--rules", str(rules))
        assert first_row in _spoken(data)
        assert not any(n["reason"].startswith("unreadable") for n in data["not_read"])
        assert "unreadable" not in data or data["unreadable"] is None


def test_a_longer_limit_in_a_rules_file_keeps_a_long_word(tmp_path: Path) -> None:
    word = "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz"  # 63 letters
    doc = _document(tmp_path, f"The {word} was repealed in 2013 after years of debate.")
    assert word not in _spoken(_plan(doc))
    rules = tmp_path / "long.toml"
    rules.write_text("[legibility]\nmax_word_chars = 70\n", encoding="utf-8")
    assert word in _spoken(_plan(doc, "--rules", str(rules)))


@pytest.mark.parametrize("body, message", [
    ('[legibility]\nread = ["everything"]\n', "[legibility] read must be a list of: long, base64, hex, symbols, numbers, code"),
    ("[legibility]\nmax_word_chars = 0\n", "[legibility] max_word_chars must be a whole number above 0"),
    ("[legibility]\nlongest = 3\n", "unknown [legibility] key 'longest'"),
    ("[[read_anyway]]\npattern = '('\n", "[[read_anyway]] 1: bad regular expression"),
])
def test_bad_legibility_rules_are_one_error_line(tmp_path: Path, body: str, message: str) -> None:
    rules = tmp_path / "bad.toml"
    rules.write_text(body, encoding="utf-8")
    proc = _run("plan", str(_document(tmp_path, "Plain words.")), "--rules", str(rules))
    assert proc.returncode == 2
    assert message in proc.stderr and proc.stderr.count("\n") == 1


def test_groups_are_one_line_per_kind_and_line_range() -> None:
    items = [NotRead("a.txt", 3, "─", "not speakable")] * 50 + [
        NotRead("a.txt", 5, "│", "not speakable"),
        NotRead("a.txt", 7, "Show Hide image", "web page control"),
        NotRead("a.txt", 9, "Show Hide image", "web page control"),
        NotRead("a.txt", 11, "Photo: AFP", "image credit"),
        NotRead("a.txt", 12, "Photo: AP", "image credit"),
        NotRead("b.txt", 12, "Photo: AP", "image credit"),
    ]
    groups = group_not_read(items)
    assert [(g["source"], g["line"], g["line_end"], g["count"], g["text"], g["reason"]) for g in groups] == [
        ("a.txt", 3, 5, 51, "─│", "not speakable"),
        ("a.txt", 7, 9, 2, "Show Hide image", "web page control"),
        # Different lines of one ordinary reason stay apart: each says something else.
        ("a.txt", 11, 11, 1, "Photo: AFP", "image credit"),
        ("a.txt", 12, 12, 1, "Photo: AP", "image credit"),
        ("b.txt", 12, 12, 1, "Photo: AP", "image credit"),
    ]


W3M_DUMP = """Market prices

The prices below were taken from the board at the market this morning, before the rain came.

┌──────────────┬──────────┬──────────┐
│ Apples       │ 2.10     │ 2.30     │
├──────────────┼──────────┼──────────┤
│ Pears        │ 3.40     │ 3.10     │
└──────────────┴──────────┴──────────┘

Traders expect prices to rise again when the season turns, as it does every autumn.

Key: {key}
"""


def _not_read_lines(text: str) -> list[str]:
    """The not-read lines of `plan` or of `build`'s notices, as "where  what"."""
    found = []
    for line in text.splitlines():
        m = re.match(r"^  (\S+:\d+(?:-\d+)?)  (.*)$", line) or re.search(r"\bnot read: (\S+:\d+(?:-\d+)?): (.*)$", line)
        if m:
            found.append(f"{m.group(1)}  {m.group(2)}")
    return found


def test_plan_plan_json_and_build_list_the_same_grouped_lines(tmp_path: Path) -> None:
    require_tool("ffmpeg")
    key = base64.b64encode(bytes(range(7, 247, 5))).decode()
    doc = tmp_path / "market.txt"
    doc.write_text(W3M_DUMP.format(key=key), encoding="utf-8")
    plan = _run("plan", str(doc), "--voice", "tone")
    assert plan.returncode == 0, plan.stderr
    listed = _not_read_lines(plan.stdout)
    data = _plan(doc, "--voice", "tone")
    assert len(listed) == len(data["not_read"]) == int(re.search(r"Not read aloud \((\d+)\)", plan.stdout).group(1))
    # Never one line per character: the drawn table is a few lines, not one per '─'.
    assert len(listed) <= 4, listed
    assert sum(g["count"] for g in data["not_read"]) > 10
    assert any("unreadable: encoded data (base64)" in line for line in listed)
    build = _run("build", str(doc), "--voice", "tone", "-o", str(tmp_path / "out"),
                 "--cache-dir", str(tmp_path / "cache"))
    assert build.returncode == 0, build.stderr
    assert _not_read_lines(build.stderr) == listed
    # One notice sums up what a listener could not follow, in both.
    summary = data["unreadable"]
    # The table's three rules and the key.
    assert summary.startswith("4 passages a listener could not follow") and "encoded data (base64) (1)" in summary
    assert summary in plan.stdout and summary in build.stderr
    transcript = json.loads(next((tmp_path / "out").rglob("01-*.transcript.json")).read_text(encoding="utf-8"))
    assert key not in json.dumps(transcript) and "Apples" in json.dumps(transcript)


# --- every word lands exactly once, blobs and all --------------------------------

WORDS = "the water rose over town and people moved their animals to higher ground before night".split()
prose = st.lists(st.sampled_from(WORDS), min_size=4, max_size=14).map(lambda w: " ".join(w).capitalize() + ".")
blob = st.sampled_from([
    "z" * 300,
    base64.b64encode(bytes(range(40, 120))).decode(),
    "0123456789abcdef" * 4,
    "=" * 20,
    _number_table(),
    _hex_dump(),
    BLOBS["code"],
])
block = st.one_of(prose, prose, blob, st.tuples(prose, blob, prose).map(" ".join), st.tuples(prose, blob).map(" ".join))
TOKEN = re.compile(r"\w+")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(block, min_size=1, max_size=12))
@example(["===================="])  # a rule alone under the first line: the article is named after the file
def test_every_word_is_read_or_listed_exactly_once(blocks: list[str]) -> None:
    text = "Title line\n\n" + "\n\n".join(blocks) + "\n"
    rules = load_rules()
    articles, listed = parse_plain_text(text, "generated.txt", rules)
    articles, unreadable = set_aside(articles, rules)
    got: Counter[str] = Counter()
    for item in [*listed, *unreadable]:
        got.update(TOKEN.findall(item.text))
    for article in articles:
        if not article.title_evidence.startswith("no title line found"):  # named after the file
            got.update(TOKEN.findall(article.title))
        got.update(TOKEN.findall(article.standfirst or ""))
        for section in article.sections:
            if section.announce_title:
                got.update(TOKEN.findall(section.title))
            for p in section.paragraphs:
                assert " ".join(p.sentences) == p.text
                assert not any(run_kind(t, rules.legibility) for t in p.text.split())
                got.update(TOKEN.findall(p.text))
    assert got == Counter(TOKEN.findall(text))
