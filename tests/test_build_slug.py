"""Slugs: safe, readable, unique file names from hostile titles."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from audiobook.slug import MAX_SLUG_CHARS, slugify, unique_slugs


def test_readable_ascii() -> None:
    assert slugify("Losing Momentum: how Jeremy Corbyn’s support group ran out of steam") == (
        "losing-momentum-how-jeremy-corbyns-support-group-ran-out-of"
    )
    assert slugify("Aurélie Filippetti — Straße & Œuvre") == "aurelie-filippetti-strasse-and-oeuvre"


def test_hostile_titles() -> None:
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("a/b\x00c\x07d") == "a-b-c-d"
    assert slugify("🎧🎧") == "untitled"
    assert slugify("שלום עולם", fallback="article") == "article"
    assert len(slugify("word " * 200)) <= MAX_SLUG_CHARS


def test_unique_by_suffix_and_deterministic() -> None:
    assert unique_slugs(["News", "News", "news!", "🎧"]) == ["news", "news-2", "news-3", "untitled"]
    assert unique_slugs(["A", "B"]) == unique_slugs(["A", "B"])


@given(st.text())
def test_always_one_safe_component(title: str) -> None:
    slug = slugify(title)
    assert slug and len(slug) <= MAX_SLUG_CHARS
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert not slug.startswith("-") and not slug.endswith("-") and slug not in {".", ".."}
