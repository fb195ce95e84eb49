"""The HTML reader on real pages as Debian ships them (see tests/fixtures/html/SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

from audiobook.ingest.html import read_html
from audiobook.model import Article, NotRead

from conftest import FIXTURES

HTML = FIXTURES / "html"
POLICY_SCOPE = HTML / "debian-policy-ch-scope.html"
REFERENCE = HTML / "debian-reference-ch05.en.html"
PYTHON = HTML / "python-tutorial-controlflow.html"

# Reasons a class or id name alone used to give (see html._TOKEN_REASONS).
NAME_REASONS = {"byline", "related links", "topic tags", "subscription prompt", "share buttons", "toolbar",
                "comments", "advertisement", "date", "references", "page label"}


def read(path: Path) -> tuple[list[Article], list[NotRead]]:
    return read_html(path.read_bytes(), path.name)


def spoken(articles: list[Article]) -> str:
    return "\n".join(s.text for a in articles for s in a.sections)


def test_policy_sections_named_authors_and_related_are_read() -> None:
    articles, not_read = read(POLICY_SCOPE)
    text = spoken(articles)
    assert "Originally called “Debian GNU/Linux Policy Manual”" in text  # 1.3.1 Early history
    assert "There are several other documents other than this Policy Manual" in text  # 1.4 Related documents
    # Only the Sphinx navigation bars and the footer are chrome.
    assert {n.reason for n in not_read if len(n.text.split()) > 3} <= {"related links", "navigation", "footer"}
    assert all(n.text.startswith(("Navigation", "Table of Contents", "Created using")) for n in not_read
               if len(n.text.split()) > 3)


def test_reference_sections_anchored_by_self_closed_links_are_read() -> None:
    # <a id="_network_configuration_tools"/> in XHTML: an HTML parser leaves the <a> open around
    # the section, whose name ("tools") then looked like a toolbar.
    articles, not_read = read(REFERENCE)
    text = spoken(articles)
    assert "Official documentations for NM on Debian are provided in" in text
    assert "Make desktop user, e.g. foo, belong to group" in text
    assert not {n.reason for n in not_read} & NAME_REASONS, [(n.reason, n.text[:60]) for n in not_read
                                                             if n.reason in NAME_REASONS]


# --- code, inline code, permalinks ----------------------------------------------------------------


def test_python_tutorial_code_blocks_are_listed_not_read() -> None:
    articles, not_read = read(PYTHON)
    text = spoken(articles)
    code = [n for n in not_read if n.reason == "code block"]
    assert len(code) == 56  # every <pre> of the chapter (in div.highlight)
    assert code[0].text.startswith('>>> x = int(input("Please enter an integer: "))')
    assert "Please enter an integer" not in text and ">>>" not in text
    assert "The range() Function" in [s.title for a in articles for s in a.sections][3]


def test_a_menu_with_a_heading_is_still_navigation() -> None:
    # <div class="mobile-nav"> holds a heading and a long list, but the list is all links:
    # navigation, not a part of the document.
    _, not_read = read(PYTHON)
    toc = [n.reason for n in not_read if n.text.startswith("Table of Contents 4. More Control Flow Tools")]
    assert toc == ["navigation", "navigation"]


def test_inline_code_made_of_symbols_is_said_by_name() -> None:
    articles, _ = read(PYTHON)
    text = spoken(articles)
    # <code><span class="pre">/</span></code>: the normaliser drops a bare symbol, so it is named.
    assert "If slash and asterisk are not present in the function definition" in text
    # Inline code with words stays as it is written, for the normaliser.
    assert "The for statement in Python differs a bit from what you may be used to" in text
    assert "a final formal parameter of the form **name is present" in text


def test_sphinx_permalinks_are_not_in_titles_or_headings() -> None:
    for path in (PYTHON, POLICY_SCOPE):
        articles, not_read = read(path)
        titles = [a.title for a in articles] + [s.title for a in articles for s in a.sections]
        assert not [t for t in titles if "¶" in t or "Permalink" in t], titles
        assert "¶" not in spoken(articles)
        assert not [n for n in not_read if n.text == "¶"]  # nothing to list either
    articles, _ = read(POLICY_SCOPE)
    assert articles[0].title == "1. About this manual"
    assert [s.title for s in articles[0].sections][:2] == ["1.1. Scope", "1.2. New versions of this document"]


# --- pages with nothing to read: one clear line, exit 2 -------------------------------------------


def test_a_page_with_no_body_is_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    # A real frameset page: the Python docs' own pages are whole, so the body is removed from one.
    page = PYTHON.read_text(encoding="utf-8")
    head = page[: page.index("<body")]
    cases = {
        "frames.html": (head + '<frameset cols="50%,50%"><frame src="a.html"><frame src="b.html"></frameset></html>',
                        "the page has no body to read (it is a frameset: open the framed pages instead)"),
        "empty.html": (head + "<body>\n</body></html>", "no article text found in the page"),
    }
    for name, (text, message) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "audiobook", "plan", str(path)], capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 2 and done.stdout == ""
        [line] = done.stderr.strip().splitlines()
        assert line == f"audiobook: error: {path}: {message}"


def test_explain_says_which_element_made_each_heading() -> None:
    [article], _ = read(POLICY_SCOPE)
    assert article.title_evidence == "an <h1> heading"
    evidence = {s.title: s.evidence for s in article.sections}
    assert evidence["1.1. Scope"] == "an <h2> heading"
    assert evidence["1.3. Authors and Maintainers: 1.3.1. Early history"] == (
        "an <h2> heading, joined with the <h3> right after it")
