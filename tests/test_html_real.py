"""The HTML reader on real pages as Debian ships them (see tests/fixtures/html/SOURCES.md)."""

from __future__ import annotations

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


def read(path: object) -> tuple[list[Article], list[NotRead]]:
    from pathlib import Path

    assert isinstance(path, Path)
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
