"""Readers: plain text, Markdown, directories, encodings, standard input, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES
from audiobook.errors import InputError
from audiobook.ingest import decode_text, read_edition
from audiobook.ingest.reader import detect_format

HARBOUR = FIXTURES / "ingest" / "harbour-weekly.txt"
ONE_LINE = FIXTURES / "ingest" / "one-line-paragraphs.txt"
PROSE = (
    "The river rose slowly through the night, and by morning the lower fields were under water. "
    "Farmers moved their animals to the high ground before the roads closed.\n\n"
    "Nobody in the valley could remember a flood like it. The old bridge held, but only just, "
    "and the council closed it to traffic until the engineers could inspect it.\n"
)


def _plan(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "audiobook", "plan", *args], capture_output=True, input=stdin)


def test_text_with_no_headings_is_one_article_one_section(tmp_path: Path) -> None:
    path = tmp_path / "river-flood.txt"
    path.write_text(PROSE, encoding="utf-8")
    edition = read_edition([path])
    [article] = edition.articles
    [section] = article.sections
    assert article.title == "River flood"  # from the file name
    assert section.title == "River flood" and not section.announce_title
    assert len(section.paragraphs) == 2
    assert section.text == "\n\n".join(" ".join(p.split()) for p in PROSE.strip().split("\n\n"))
    assert edition.not_read == ()


def test_an_unseen_magazine_dump(tmp_path: Path) -> None:
    edition = read_edition([HARBOUR])
    first, second = edition.articles
    assert first.title == "The tide clock"
    assert first.standfirst == "How a small fishing town learned to live with a rising sea, one flooded street at a time."
    assert first.authors == ("Miriam Okafor",)
    assert [s.title for s in first.sections] == ["The tide clock", "The survey", "The wall"]
    assert (first.publication, first.issue_title, str(first.issue_date)) == ("Harbour Weekly", "The Sea Issue", "2022-05-12")
    assert second.title == "A winter of small repairs"
    assert not second.authors
    reasons = {n.text: n.reason for n in edition.not_read}
    assert reasons["PHOTOGRAPH: JANE WREN/HARBOUR WEEKLY"] == "image credit"
    assert reasons["Share this article"] == "share line"
    assert reasons["By Miriam Okafor"] == "credit, kept as metadata"


def test_one_paragraph_per_line_dump() -> None:
    [article] = read_edition([ONE_LINE]).articles
    assert article.title == "Night trains are back"
    assert article.standfirst and article.standfirst.startswith("Across Europe")
    assert len(article.sections[0].paragraphs) == 3


MARKDOWN = """---
title: The Quiet Harbour
author: [Jane Smith, Óscar Ruiz]
date: 2021-05-04
publication: Sea Letters
standfirst: A morning on the quay.
tags: boats
---

# The Quiet Harbour

The harbour was *quiet* that morning. Gulls wheeled over the [old pier](http://example.com), and
the fishermen had not yet come down to their boats.

## The Boats

1. Red ones came first.
2. Blue ones came later.

![a gull](gull.png)

```
print("not read")
```

### Evening

By the end of the day the har-
bour was busy again.

This article was translated by Ana Lima
"""


def test_markdown(tmp_path: Path) -> None:
    path = tmp_path / "harbour.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    edition = read_edition([path])
    [article] = edition.articles
    assert article.title == "The Quiet Harbour"
    assert article.authors == ("Jane Smith", "Óscar Ruiz")
    assert article.translators == ("Ana Lima",)
    assert (article.publication, str(article.issue_date), article.standfirst) == ("Sea Letters", "2021-05-04", "A morning on the quay.")
    assert [(s.title, s.announce_title) for s in article.sections] == [
        ("The Quiet Harbour", False), ("The Boats", True), ("Evening", True)
    ]
    assert article.sections[0].text.startswith("The harbour was quiet that morning. Gulls wheeled over the old pier, and the")
    assert [p.text for p in article.sections[1].paragraphs] == ["1. Red ones came first.", "2. Blue ones came later."]
    assert article.sections[2].text == "By the end of the day the harbour was busy again."
    assert article.sections[1].line == 15
    reasons = {n.reason for n in edition.not_read}
    assert {"image", "code block", "front matter, not used", "credit, kept as metadata"} <= reasons


def test_markdown_without_front_matter_and_several_articles(tmp_path: Path) -> None:
    path = tmp_path / "notes.markdown"
    path.write_text("# One\n\nFirst text here.\n\n# Two\n\nSecond text.\n\n## Part\n\nMore.\n", encoding="utf-8")
    one, two = read_edition([path]).articles
    assert one.title == "One" and [s.title for s in one.sections] == ["One"]
    assert two.title == "Two" and [s.title for s in two.sections] == ["Two", "Part"]


# A package README as PyPI shows it: a logo, a centred raw-HTML <h2> and a row of badges,
# "##" sections, and a change log whose "## Version" headings open straight onto "###" ones.
README = """[![Logo](https://example.org/logo.png)](https://example.org/)

<h2 align="center">The Friendly Formatter</h2>

<p align="center">
<a href="https://ci.example.org"><img alt="Build Status" src="https://ci.example.org/badge.svg"></a>
<a href="https://pypi.org/project/x/"><img alt="PyPI" src="https://img.shields.io/pypi/v/x"></a>
</p>

The formatter rewrites your files so that every one of them looks the same.

## Installation

Install it with pip and run it on a folder.

# Change Log

## Version 2.1.0

### Highlights

Faster on big files.

### Stable style

Fewer blank lines after classes.
"""


def test_a_readme_s_html_headings_badges_and_nested_headings(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text(README, encoding="utf-8")
    edition = read_edition([path])
    readme, changes = edition.articles
    assert readme.title_evidence.startswith("no title line found")
    assert [(s.title, s.announce_title) for s in readme.sections] == [
        ("The Friendly Formatter", True), ("Installation", True)]
    assert readme.sections[0].text.startswith("The formatter rewrites")
    assert changes.title == "Change Log"
    assert [s.title for s in changes.sections] == ["Version 2.1.0: Highlights", "Stable style"]
    [badges] = [n for n in edition.not_read if "Build Status" in n.text]
    assert badges.reason == "HTML block" and 'alt="PyPI"' in badges.text
    assert not [n for n in edition.not_read if "Version 2.1.0" in n.text]


def test_a_markdown_html_block_with_nothing_to_read_is_listed_once(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    path.write_text('# Tool\n\n<p align="center"><img alt="Tool logo" src="logo.png"></p>\n\n'
                    "<!-- badges -->\n\nA tool that does one thing.\n", encoding="utf-8")
    edition = read_edition([path])
    assert [a.sections[0].text for a in edition.articles] == ["A tool that does one thing."]
    listed = [n.text for n in edition.not_read]
    assert sum("Tool logo" in t for t in listed) == 1 and "<!-- badges -->" in listed


def test_markdown_detected_by_content(tmp_path: Path) -> None:
    path = tmp_path / "post"
    path.write_text("# Heading\n\nSome *text* here.\n", encoding="utf-8")
    [article] = read_edition([path]).articles
    assert article.title == "Heading" and article.sections[0].text == "Some text here."


def test_directory_is_one_edition_in_natural_order(tmp_path: Path) -> None:
    (tmp_path / "10-last.txt").write_text("Last one\n\n" + PROSE, encoding="utf-8")
    (tmp_path / "2-middle.md").write_text("# Middle one\n\n" + PROSE, encoding="utf-8")
    (tmp_path / "1-first.txt").write_text("First one\n\n" + PROSE, encoding="utf-8")
    (tmp_path / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (tmp_path / ".hidden.txt").write_text("Hidden\n\n" + PROSE, encoding="utf-8")
    edition = read_edition([tmp_path])
    assert [a.title for a in edition.articles] == ["First one", "Middle one", "Last one"]
    assert [Path(s).name for s in edition.sources] == ["1-first.txt", "2-middle.md", "10-last.txt"]
    # The skipped picture is listed, not silently ignored.
    assert [(Path(n.source).name, n.reason) for n in edition.not_read] == [
        ("cover.jpg", "file skipped: not a text, Markdown, HTML, EPUB or PDF file")
    ]


def test_several_files_keep_the_given_order(tmp_path: Path) -> None:
    a = tmp_path / "b.txt"
    b = tmp_path / "a.txt"
    a.write_text("Bee\n\n" + PROSE, encoding="utf-8")
    b.write_text("Ay\n\n" + PROSE, encoding="utf-8")
    assert [x.title for x in read_edition([a, b]).articles] == ["Bee", "Ay"]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("“Curly” café\n".encode("utf-8"), "“Curly” café\n"),
        (b"\xef\xbb\xbf\xe2\x80\x9cBOM\xe2\x80\x9d\r\nline two\r\n", "“BOM”\nline two\n"),
        ("“Curly” quotes – café…\r\n".encode("cp1252"), "“Curly” quotes – café…\n"),
        ("Ñandú déjà vu\n".encode("latin-1"), "Ñandú déjà vu\n"),
        (b"\x81Latin-1 only \x8d\n", "\x81Latin-1 only \x8d\n"),
        ("UTF-16 “text”\n".encode("utf-16"), "UTF-16 “text”\n"),
        (b"old mac\rline ends\r", "old mac\nline ends\n"),
        ("café “utf-8” ".encode() + "“1252” – naïve".encode("cp1252") + b"\x81", "café “utf-8” “1252” – naïve\x81"),
    ],
)
def test_decoding(raw: bytes, text: str) -> None:
    assert decode_text(raw, "x") == text


def test_cp1252_file_reads_correctly(tmp_path: Path) -> None:
    path = tmp_path / "win.txt"
    path.write_bytes(("A title\r\n\r\n“Quoted,” she said – it was café time. " * 3 + "\r\n").encode("cp1252"))
    [article] = read_edition([path]).articles
    assert article.title == "A title"
    assert article.sections[0].text.startswith("“Quoted,” she said – it was café time.")


def test_binary_is_refused() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_text(b"abc\x00\x01\x02", "x.bin")
    with pytest.raises(InputError, match="binary"):
        decode_text(bytes(range(1, 32)) * 10, "x.bin")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \n\t\n\r\n  ", "is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
        ("doc.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(10), "PDF"),
        ("empty-dir", "dir", "no readable files"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path: Path, name: str, content: bytes | str | None, message: str) -> None:
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
        (path / "picture.png").write_bytes(b"\x89PNG")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    before = sorted(p.name for p in tmp_path.iterdir())
    proc = _plan(str(path), "--json")
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("audiobook: error: ") and message in err, err
    assert proc.stdout == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_bad_rules_file_is_exit_2(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text("[[credit]]\npattern = '^(no name group)$'\n", encoding="utf-8")
    proc = _plan(str(HARBOUR), "--rules", str(rules))
    assert proc.returncode == 2 and "name" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()


def test_bad_date_flag_is_exit_2() -> None:
    proc = _plan(str(HARBOUR), "--date", "someday")
    assert proc.returncode == 2 and proc.stderr.decode().startswith("audiobook: error: --date")


def test_standard_input_and_json_shape() -> None:
    proc = _plan("-", "--json", "--publication", "Flag Weekly", stdin=("Flood night\n\n" + PROSE).encode("cp1252"))
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    assert data["edition"]["publication"] == "Flag Weekly"
    assert data["edition"]["provenance"] == {"publication": "flag", "issue_date": "fallback", "title": "text"}
    assert data["edition"]["title"] == "Flood night"  # a lone article names the edition
    [article] = data["articles"]
    assert article["source"] == "-" and article["title"] == "Flood night"
    assert set(article) >= {
        "title", "standfirst", "authors", "translators", "publication", "issue_date", "issue_title",
        "words", "estimated_seconds", "source", "line_start", "line_end", "sections",
    }
    assert set(article["sections"][0]) >= {"title", "words", "text", "line"}
    assert data["not_read"] == []


def test_spoken_and_human_views() -> None:
    proc = _plan(str(HARBOUR), "--json", "--spoken")
    data = json.loads(proc.stdout)
    assert all("spoken" in s and s["spoken"] for a in data["articles"] for s in a["sections"])
    human = _plan(str(HARBOUR)).stdout.decode()
    assert "The tide clock" in human and "├─ The survey" in human and "Not read aloud (" in human
    assert "Share this article" in human


def test_a_web_page_dump_without_end_lines() -> None:
    edition = read_edition([FIXTURES / "ingest" / "weekly-review-web.txt"])
    first, second = edition.articles
    assert first.title == "The quiet return of the allotment"
    assert [s.title for s in first.sections] == ["The quiet return of the allotment", "Why now?", "II. The waiting list"]
    assert second.title == "Ten books for a long train journey"
    assert second.standfirst and second.standfirst.startswith("From doorstop thrillers")
    reasons = [n.reason for n in edition.not_read]
    # The share line and copyright at the bottom are the page's footer, listed as one.
    assert reasons == ["web page control", "image credit", "subscribe or navigation line", "web page control",
                       "page footer"]
    assert "Follow us" in edition.not_read[-1].text and "©" in edition.not_read[-1].text
    spoken = " ".join(s.text for a in edition.articles for s in a.sections)
    assert "Follow us" not in spoken and "newsletter" not in spoken and "Photograph" not in spoken


def test_html_and_epub_are_dispatched_by_content(tmp_path: Path) -> None:
    page = tmp_path / "saved-page"  # no extension: the content decides
    page.write_text(
        "<!DOCTYPE html><html><head><title>Night buses</title></head><body><article><h1>Night buses</h1>"
        "<p>The night buses keep the city moving while most of it sleeps, and their drivers know it well.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    [article] = read_edition([page]).articles
    assert article.title == "Night buses"
    assert "night buses keep the city moving" in article.sections[0].text
    epub = FIXTURES / "epub" / "aesop-three-fables.epub"
    if epub.exists():
        copy = tmp_path / "book.bin"
        copy.write_bytes(epub.read_bytes())
        assert read_edition([copy]).articles


def test_a_missing_reader_module_is_a_clear_input_error() -> None:
    from audiobook.ingest.reader import _resolve
    from audiobook.ingest.rules import load_rules

    with pytest.raises(InputError, match="not supported in this installation"):
        _resolve("audiobook.ingest.no_such_reader:read", "odt", load_rules())


def test_a_bad_file_in_a_directory_is_listed_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Good one\n\n" + PROSE, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(b"\x00\x01binary")
    edition = read_edition([tmp_path])
    assert [a.title for a in edition.articles] == ["Good one"]
    assert [(Path(n.source).name, n.reason) for n in edition.not_read] == [
        ("b.txt", "file skipped: is empty"),
        ("c.txt", "file skipped: looks like a binary file, not text"),
    ]


def test_only_boilerplate_is_nothing_to_read(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_text("Show Hide image\n\n\u00a0\n\nShare this article\n", encoding="utf-8")
    with pytest.raises(InputError, match="nothing to read aloud"):
        read_edition([path])


def test_hard_wrapped_text_with_capital_headings() -> None:
    edition = read_edition([FIXTURES / "ingest" / "lighthouse-hard-wrapped.txt"])
    [article] = edition.articles
    assert article.title == "THE LAST LIGHTHOUSE KEEPER"
    assert article.standfirst == (
        "For forty years Alan Price kept the lamp burning on a rock eleven miles out to sea. "
        "Now the light is automatic, and he has come ashore."
    )
    assert article.authors == ("Helen Marsh",)
    assert [s.title for s in article.sections] == ["THE LAST LIGHTHOUSE KEEPER", "THE ROCK", "THE LAST WATCH"]
    assert "For most of his working life" in article.sections[0].text
    assert len(article.sections[1].paragraphs) == 2


def test_voice_profile_sets_the_rate(tmp_path: Path) -> None:
    profile = tmp_path / "slow.toml"
    profile.write_text('engine = "espeak"\nrate_wpm = 120\n', encoding="utf-8")
    proc = _plan(str(HARBOUR), "--json", "--voice", str(profile))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["edition"]["words_per_minute"] == 120
    article = data["articles"][0]
    assert article["estimated_seconds"] == round(article["words"] * 60 / 120)
    bad = _plan(str(HARBOUR), "--voice", "no-such-voice")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr.decode()


def test_lists_and_indented_paragraphs_without_blank_lines() -> None:
    [article] = read_edition([FIXTURES / "ingest" / "list-and-indents.txt"]).articles
    assert article.title == "Packing list" and article.standfirst is None
    assert [p.text for p in article.sections[0].paragraphs] == [
        "You will need the following:",
        "- a tent",
        "- a stove",
        "- two maps of the area.",
        "The walk starts at dawn and - weather permitting - ends at dusk.",
        "Indented new paragraph begins here. It goes on for a while.",
    ]


def test_markdown_front_matter_lists_and_thematic_breaks(tmp_path: Path) -> None:
    listed = tmp_path / "listed.md"
    listed.write_text("---\ntitle: T\ntags:\n  - a\nauthors:\n  - Ann Lee\n  - Bo Chan\n---\n\nSome text here.\n", encoding="utf-8")
    edition = read_edition([listed])
    assert edition.articles[0].authors == ("Ann Lee", "Bo Chan")
    assert [n.reason for n in edition.not_read] == ["front matter, kept as metadata"] + ["front matter, not used"] * 2 + [
        "front matter, kept as metadata"
    ] * 3
    breaks = tmp_path / "breaks.md"
    breaks.write_text("---\n\nPlain text, not metadata.\n\n---\n\nMore text.\n", encoding="utf-8")
    [article] = read_edition([breaks]).articles
    assert [p.text for p in article.sections[0].paragraphs] == ["Plain text, not metadata.", "More text."]


def test_underlined_titles_in_a_txt_file_are_read_as_plain_text_and_in_an_md_file_as_markdown(tmp_path: Path) -> None:
    # A ".txt" name says plain text: underlines are a typist's habit too (newsletters), and the
    # plain-text reader knows them as well as its contents lists, notices and advertisements.
    body = "The Title\n=========\n\nSome text here. More.\n\nA part\n------\n\nPart text.\n"
    (tmp_path / "notes.txt").write_text(body, encoding="utf-8")
    (tmp_path / "notes.md").write_text(body, encoding="utf-8")
    assert detect_format(body.encode(), "notes.txt").name == "text"
    assert detect_format(body.encode(), "notes").name == "markdown"
    assert detect_format(b"# The Title\n\nText.\n", "notes.txt").name == "markdown"
    [text] = read_edition([tmp_path / "notes.txt"]).articles
    assert (text.title, text.standfirst) == ("The Title", "Some text here. More.")
    assert [(s.title, s.text) for s in text.sections] == [("A part", "Part text.")]
    [md] = read_edition([tmp_path / "notes.md"]).articles
    assert [(s.title, s.text) for s in md.sections] == [("The Title", "Some text here. More."), ("A part", "Part text.")]


def test_markdown_boilerplate_and_end_lines(tmp_path: Path) -> None:
    path = tmp_path / "e.md"
    path.write_text(
        "# Title\n\nSome body text here, long enough.\n\nShare this article\n\n"
        "This article first appeared in the 2 May 2020 issue of the Weekly, Spring\n",
        encoding="utf-8",
    )
    edition = read_edition([path])
    [article] = edition.articles
    assert (article.publication, str(article.issue_date), article.issue_title) == ("Weekly", "2020-05-02", "Spring")
    assert [n.reason for n in edition.not_read] == ["share line", "end of article, kept as metadata"]
    assert article.sections[0].text == "Some body text here, long enough."


def test_natural_order_never_compares_numbers_with_words() -> None:
    from audiobook.ingest.reader import _natural_key

    names = ["x1.txt2.txt", "x1.txt", "10-a.txt", "2-b.txt", "B.txt", "a.txt"]
    ordered = sorted((Path(n) for n in names), key=_natural_key)
    assert [p.name for p in ordered] == ["2-b.txt", "10-a.txt", "a.txt", "B.txt", "x1.txt", "x1.txt2.txt"]


def test_saved_page_assets_folder_is_listed_not_read(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<html lang='en'><body><article><h1>Harbour news</h1><p>" + PROSE + "</p></article></body></html>",
        encoding="utf-8",
    )
    assets = tmp_path / "page_files"
    assets.mkdir()
    (assets / "frame.html").write_text("<html><body><h1>Advert frame</h1><p>Buy now, buy often, buy today.</p></body></html>")
    proc = _plan(str(tmp_path), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [a["title"] for a in data["articles"]] == ["Harbour news"]
    assert any(n["reason"] == "file skipped: asset of a saved web page" for n in data["not_read"])


def test_a_single_book_names_the_edition() -> None:
    book = Path(__file__).parent / "fixtures" / "epub" / "lincoln-two-speeches.epub"
    proc = _plan(str(book), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["edition"]["title"] == "Two Speeches"
