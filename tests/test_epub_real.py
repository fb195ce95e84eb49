"""The EPUB reader on real books as Debian ships them (see tests/fixtures/epub/SOURCES.md)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from audiobook.errors import InputError
from audiobook.ingest.epub import read_epub
from audiobook.ingest.reader import detect_format, is_epub, read_input

from conftest import FIXTURES

EPUB = FIXTURES / "epub"
QUICK_START = EPUB / "calibre-quick-start-eng.epub"
QUICK_START_FR = EPUB / "calibre-quick-start-fra.epub"
POLICY = EPUB / "debian-policy-4.6.2.0.epub"
REAL = [QUICK_START, QUICK_START_FR, POLICY]


def plan(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "audiobook", "plan", "--json", *args],
                          capture_output=True, input=stdin, timeout=120)


def plan_json(*args: str, stdin: bytes | None = None) -> dict[str, Any]:
    done = plan(*args, stdin=stdin)
    assert done.returncode == 0, done.stderr.decode()
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# --- recognised by the container, whatever the member order -------------------------------------


@pytest.mark.parametrize("book", REAL, ids=lambda p: p.name)
def test_debian_epubs_list_the_container_before_mimetype_and_are_still_epubs(book: Path) -> None:
    raw = book.read_bytes()
    names = zipfile.ZipFile(book).namelist()
    assert names.index("META-INF/container.xml") < names.index("mimetype")  # why the old sniffing failed
    assert is_epub(raw) and is_epub(raw[:4096])
    assert detect_format(raw, "book").name == "epub"  # no extension: by content
    assert read_input(io.BytesIO(raw), "-") == raw


def test_a_container_past_the_first_4_kb_is_found_in_the_zip_directory(tmp_path: Path) -> None:
    # The Quick Start guide with its members reversed: container.xml is now the last of them.
    out = io.BytesIO()
    with zipfile.ZipFile(QUICK_START) as src, zipfile.ZipFile(out, "w") as dst:
        for info in reversed(src.infolist()):
            dst.writestr(info, src.read(info), compress_type=zipfile.ZIP_DEFLATED)
    raw = out.getvalue()
    assert raw.find(b"META-INF/container.xml") > 4096
    assert not is_epub(raw[:4096])  # the start alone cannot tell
    assert is_epub(raw) and detect_format(raw, "-").name == "epub"
    assert read_input(io.BytesIO(raw), "-") == raw
    path = tmp_path / "reversed"  # no extension
    path.write_bytes(raw)
    done = plan_json(str(path))
    assert done["articles"][0]["title"] == "Quick Start Guide"
    assert plan_json("-", stdin=raw)["articles"][0]["title"] == "Quick Start Guide"


def test_a_zip_that_is_not_a_book_is_still_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "x" * 5000)
        archive.writestr("mimetype", "application/zip")
    path = tmp_path / "notes"
    path.write_bytes(out.getvalue())
    assert not is_epub(out.getvalue())
    done = plan(str(path))
    assert done.returncode == 2 and b"is a zip archive, not a supported input" in done.stderr


def test_the_cli_reads_the_quick_start_guide_and_the_policy_manual() -> None:
    guide = plan_json(str(QUICK_START))["articles"][0]
    assert guide["title"] == "Quick Start Guide" and guide["authors"] == ["John Schember"]
    assert "Introduction" in [s["title"] for s in guide["sections"]]
    policy = plan_json(str(POLICY))["articles"][0]
    assert policy["title"] == "Debian Policy Manual"
    assert policy["words"] > 50_000


def test_french_quick_start_is_french() -> None:
    [book], _ = read_epub(QUICK_START_FR.read_bytes(), QUICK_START_FR.name)
    assert book.language == "fr"
    assert len(book.sections) > 10


def test_a_non_zip_named_epub_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "x.epub"
    path.write_bytes(QUICK_START.read_bytes()[:3000])
    done = plan(str(path))
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode().strip().count("\n") == 0
    with pytest.raises(InputError):
        read_epub(path.read_bytes(), str(path))


# --- no section is dropped for its name -----------------------------------------------------------

# Sections of the Policy Manual whose ids hold a word that names chrome elsewhere
# (authors, related, tags, registration, sharing, tools): about 2,100 words used to be dropped.
POLICY_NAMED_SECTIONS = {
    "authors-and-maintainers": "Originally called “Debian GNU/Linux Policy Manual”",
    "related-documents": "There are several other documents other than this Policy Manual",
    "definition-of-the-keywords": "The keywords have the format",
    "provided-keywords": "The following keywords are defined",
    "registration-of-media-type-handlers-with-desktop-entries": "Packages shipping an application able to view",
    "registration-of-media-type-handlers-with-mailcap-entries": "Packages that are not using desktop entries",
    "sharing-configuration-files": "If two or more packages use the same configuration file",
    "tools-for-processing-source-packages": "Various tools are provided for manipulating source packages",
    "other-tags": "All Policy bugs are additionally categorized by class of bug",
}
NAME_REASONS = {"byline", "related links", "topic tags", "subscription prompt", "share buttons", "toolbar",
                "comments", "advertisement", "date", "references", "page label"}


def test_policy_sections_whose_ids_name_chrome_are_read() -> None:
    [book], not_read = read_epub(POLICY.read_bytes(), POLICY.name)
    text = "\n".join(s.text for s in book.sections)
    missing = [key for key, words in POLICY_NAMED_SECTIONS.items() if words not in text]
    assert missing == []
    assert not {n.reason for n in not_read} & NAME_REASONS


# --- title and copyright pages known by their text ------------------------------------------------


@pytest.mark.parametrize("book", [QUICK_START, QUICK_START_FR], ids=lambda p: p.name)
def test_quick_start_title_and_copyright_page_is_listed_not_read(book: Path) -> None:
    # internal_titlepage.xhtml is the first entry of the book's own table of contents and marks
    # nothing (no epub:type, no guide entry): only its text says what it is.
    [guide], not_read = read_epub(book.read_bytes(), book.name)
    text = "\n".join(s.text for s in guide.sections)
    assert "Copyright ©" not in text and "John Schember" not in text
    assert "Schember" not in " ".join(s.title for s in guide.sections)
    [page] = [n for n in not_read if "internal_titlepage" in n.reason]
    assert page.reason == "copyright page (text/internal_titlepage.xhtml)"
    assert "Copyright © 2010-2014 John Schember" in page.text
    assert guide.sections[0].title == "Introduction"


def test_a_copyright_line_in_a_real_chapter_does_not_make_it_front_matter() -> None:
    # The Policy Manual's chapters mention copyright throughout; its licence appendix is listed by name.
    [book], not_read = read_epub(POLICY.read_bytes(), POLICY.name)
    assert "Copyright considerations" in [s.title for s in book.sections]
    assert not [n for n in not_read if n.reason.startswith(("copyright page", "title page", "dedication"))]


def test_calibre_no_date_is_no_date() -> None:
    [book], _ = read_epub(QUICK_START_FR.read_bytes(), QUICK_START_FR.name)
    assert book.issue_date is None or book.issue_date.year > 1000


def test_policy_code_is_listed_and_no_permalink_mark_is_read() -> None:
    [book], not_read = read_epub(POLICY.read_bytes(), POLICY.name)
    assert not [s.title for s in book.sections if "¶" in s.title]
    assert "¶" not in "\n".join(s.text for s in book.sections)
    code = [n for n in not_read if n.reason == "code block"]
    assert len(code) > 100 and any(n.text.startswith("readelf -d /usr/lib/libz.so.1.2.3.4") for n in code)
    assert "readelf -d" not in "\n".join(s.text for s in book.sections)
    # A chapter's numbered heading ("1. About this manual") is its title, announced once.
    assert not book.sections[0].text.startswith("1. About this manual")


# --- malformed books: one clear line, exit 2, nothing written -------------------------------------


def _broken_quick_start(path: Path, change: dict[str, Any] | None = None, drop: tuple[str, ...] = ()) -> Path:
    """The real Quick Start guide with one member damaged or removed (order and compression kept)."""
    with zipfile.ZipFile(QUICK_START) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            data = src.read(info)
            if change and info.filename in change:
                data = change[info.filename](data)
            dst.writestr(info, data, compress_type=info.compress_type)
    return path


def _one_line_exit_2(tmp_path: Path, path: Path) -> str:
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "audiobook", "build", str(path), "-o", str(out), "--voice", "tone",
                           "-q", "--cache-dir", str(tmp_path / "cache")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"audiobook: error: {path}: "), done.stderr
    assert not out.exists()  # nothing written
    assert plan(str(path)).returncode == 2
    return lines[0].removeprefix(f"audiobook: error: {path}: ")


def test_broken_container_is_one_line(tmp_path: Path) -> None:
    book = _broken_quick_start(tmp_path / "b.epub", {"META-INF/container.xml": lambda d: d[:100]})
    assert _one_line_exit_2(tmp_path, book).startswith("META-INF/container.xml is not well-formed XML")


def test_missing_package_document_is_one_line(tmp_path: Path) -> None:
    book = _broken_quick_start(tmp_path / "b.epub", drop=("content.opf",))
    assert _one_line_exit_2(tmp_path, book) == ("malformed EPUB: the package document 'content.opf' named by "
                                                "META-INF/container.xml is not in the archive")


def test_contents_pointing_nowhere_is_one_line(tmp_path: Path) -> None:
    book = _broken_quick_start(tmp_path / "b.epub", {"toc.ncx": lambda d: d.replace(b'src="text/', b'src="gone/')})
    assert _one_line_exit_2(tmp_path, book) == (
        "malformed EPUB: the table of contents (toc.ncx) points to no document in the archive "
        "(the first entry is 'gone/internal_titlepage.xhtml')")


def test_explain_says_why_each_chapter_and_the_title() -> None:
    [book], _ = read_epub(POLICY.read_bytes(), POLICY.name)
    assert book.title_evidence == "the book's package metadata (dc:title)"
    assert book.sections[1].evidence == "an entry of the book's table of contents"
    # "About this manual" has no text before "Scope": one chapter, and the evidence says so.
    assert book.sections[0].title == "About this manual: Scope"
    assert book.sections[0].evidence.endswith("joined with the next one (no text between)")
    assert all(s.evidence for s in book.sections)
