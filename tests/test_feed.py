"""The podcast feed, parsed back: required tags, exact lengths, stable GUIDs, accumulation, escaping."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from audiobook.errors import ConfigError, UsageError
from audiobook.publish import publish_site
from audiobook.manifest import ArticleEntry, FileEntry, SectionEntry
from audiobook.publish.feed import PODCAST_NS, article_summary, channel_description, episode_guid, podcast_guid
from conftest import require_module
from test_publish_support import HOSTILE, file_entry, make_cover, publish_built

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PODCAST = "{" + PODCAST_NS + "}"
BASE = "https://example.org/audio"
SECOND = dict(slug="the-weekly-2024-03-08", title="The Weekly, 8 March 2024", issue_date="2024-03-08", build_date="2024-03-08T06:00:00Z")


def _items(feed: bytes) -> dict[str, bytes]:
    root = etree.fromstring(feed)
    return {item.findtext("guid"): etree.tostring(item) for item in root.iter("item")}


def test_podcast_guid_matches_the_spec_example() -> None:
    # The Podcasting 2.0 spec's worked example: podnews.net/rss.
    assert podcast_guid("https://podnews.net/rss") == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    assert podcast_guid("http://podnews.net/rss/") == "9b024349-ccf0-5f69-a609-6b82873eab3c"


def test_episode_guid_depends_on_identity_only() -> None:
    a = episode_guid("The Weekly", "the-weekly-2024-03-01", "article-1")
    assert a == episode_guid("The Weekly", "the-weekly-2024-03-01", "article-1")
    assert a.startswith("urn:uuid:")
    assert len({a, episode_guid("The Weekly", "the-weekly-2024-03-01", "article-2"),
                episode_guid("The Weekly", "the-weekly-2024-03-08", "article-1"),
                episode_guid("Other", "the-weekly-2024-03-01", "article-1"),
                episode_guid("The Weekly", "the-weekly-2024-03-01", None)}) == 5


def test_feed_has_every_required_tag_and_exact_lengths(tmp_path: Path) -> None:
    require_module("feedparser")
    import feedparser
    publish_built(tmp_path)
    assert publish_site(tmp_path, BASE + "/") == []
    data = (tmp_path / "feed.xml").read_bytes()
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "The Weekly"
    assert parsed.feed.link == BASE + "/"
    assert len(parsed.entries) == 2

    root = etree.fromstring(data)
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert root.nsmap["itunes"] == ITUNES[1:-1] and root.nsmap["podcast"] == PODCAST_NS
    channel = root.find("channel")
    for tag in ("title", "description", "link", "language", "lastBuildDate"):
        assert (channel.findtext(tag) or "").strip(), tag
    assert channel.findtext("lastBuildDate") == "Fri, 01 Mar 2024 06:00:00 +0000"
    assert channel.find(f"{ITUNES}image").get("href") == f"{BASE}/the-weekly-2024-03-01/cover.jpg"
    assert channel.find(f"{ITUNES}category").get("text") == "News"
    assert channel.findtext(f"{ITUNES}explicit") == "false"
    assert channel.findtext(f"{ITUNES}author") == "The Weekly"
    assert channel.findtext(f"{PODCAST}guid") == podcast_guid(f"{BASE}/feed.xml")

    edition = tmp_path / "the-weekly-2024-03-01"
    for number, item in enumerate(channel.iter("item"), 1):
        enclosure = item.find("enclosure")
        url = enclosure.get("url")
        name = f"{number:02d}-article-{number}"
        assert url == f"{BASE}/the-weekly-2024-03-01/{name}.mp3"
        assert int(enclosure.get("length")) == (edition / f"{name}.mp3").stat().st_size
        assert enclosure.get("type") == "audio/mpeg"
        assert item.findtext("guid") == episode_guid("The Weekly", "the-weekly-2024-03-01", f"article-{number}")
        assert item.find("guid").get("isPermaLink") == "false"
        assert item.findtext("pubDate") == f"Fri, 01 Mar 2024 00:0{number - 1}:00 +0000"
        assert item.findtext(f"{ITUNES}duration") == "8"
        assert item.findtext(f"{ITUNES}episode") == str(number)
        assert item.findtext("description")
        assert item.find(f"{ITUNES}image").get("href") == f"{BASE}/the-weekly-2024-03-01/cover.jpg"
        chapters = item.find(f"{PODCAST}chapters")
        assert chapters.get("url") == f"{BASE}/the-weekly-2024-03-01/{name}.chapters.json"
        assert chapters.get("type") == "application/json+chapters"
        transcripts = {t.get("type"): t.get("url") for t in item.iter(f"{PODCAST}transcript")}
        assert transcripts == {
            "text/vtt": f"{BASE}/the-weekly-2024-03-01/{name}.vtt",
            "application/x-subrip": f"{BASE}/the-weekly-2024-03-01/{name}.srt",
            "application/json": f"{BASE}/the-weekly-2024-03-01/{name}.transcript.json",
        }
        for t in transcripts.values():
            assert (tmp_path / t.removeprefix(BASE + "/")).is_file()


def test_markup_is_escaped_in_the_feed(tmp_path: Path) -> None:
    publish_built(tmp_path, title=f"Issue {HOSTILE}", article_titles=(HOSTILE, "Plain"))
    publish_site(tmp_path, BASE)
    data = (tmp_path / "feed.xml").read_bytes()
    assert b"<script>" not in data and b"]]>" not in data
    root = etree.fromstring(data)
    first = next(root.iter("item"))
    assert first.findtext("title") == HOSTILE
    assert HOSTILE in first.findtext("description")


def test_rebuild_keeps_guids_and_bytes_and_a_second_edition_accumulates(tmp_path: Path) -> None:
    publish_built(tmp_path)
    publish_site(tmp_path, BASE)
    first = (tmp_path / "feed.xml").read_bytes()
    publish_site(tmp_path, BASE)
    assert (tmp_path / "feed.xml").read_bytes() == first, "same manifests must give the same bytes"

    # Rebuild the same edition with different audio and a later build date: same GUIDs.
    shutil.rmtree(tmp_path / "the-weekly-2024-03-01")
    publish_built(tmp_path, section_s=3.0, build_date="2024-03-02T09:30:00Z")
    publish_site(tmp_path, BASE)
    rebuilt = (tmp_path / "feed.xml").read_bytes()
    assert list(_items(rebuilt)) == list(_items(first))
    assert rebuilt != first  # lengths and durations did change

    # A second edition adds its episodes; the first edition's items are unchanged, byte for byte.
    publish_built(tmp_path, **SECOND)
    publish_site(tmp_path, BASE)
    both = _items((tmp_path / "feed.xml").read_bytes())
    assert len(both) == 4
    for guid, item in _items(rebuilt).items():
        assert both[guid] == item
    # Newest edition first.
    assert list(both)[:2] == [episode_guid("The Weekly", SECOND["slug"], f"article-{n}") for n in (1, 2)]

    # Removing the second edition removes its episodes: back to the same bytes as before.
    shutil.rmtree(tmp_path / SECOND["slug"])
    publish_site(tmp_path, BASE)
    assert (tmp_path / "feed.xml").read_bytes() == rebuilt


def test_incomplete_files_are_never_listed(tmp_path: Path) -> None:
    publish_built(tmp_path)
    edition = tmp_path / "the-weekly-2024-03-01"
    # Same size, different bytes: only the sha256 can tell.
    mp3 = edition / "02-article-2.mp3"
    data = bytearray(mp3.read_bytes())
    data[-10] ^= 0xFF
    mp3.write_bytes(bytes(data))
    (edition / "01-article-1.srt").unlink()
    notices = publish_site(tmp_path, BASE)
    assert any("02-article-2.mp3" in n for n in notices)
    root = etree.fromstring((tmp_path / "feed.xml").read_bytes())
    items = list(root.iter("item"))
    assert len(items) == 1
    types = [t.get("type") for t in items[0].iter(f"{PODCAST}transcript")]
    assert types == ["text/vtt", "application/json"]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "#article-1" in index and "#article-2" not in index


def test_no_base_url_writes_no_feed_but_says_so(tmp_path: Path) -> None:
    publish_built(tmp_path)
    notices = publish_site(tmp_path, None)
    assert not (tmp_path / "feed.xml").exists()
    assert any("needs --base-url" in n for n in notices)
    assert (tmp_path / "index.html").is_file()
    # A feed written earlier is left as it was, not emptied.
    publish_site(tmp_path, BASE)
    before = (tmp_path / "feed.xml").read_bytes()
    publish_site(tmp_path, None)
    assert (tmp_path / "feed.xml").read_bytes() == before


def test_config_file_and_flag(tmp_path: Path) -> None:
    publish_built(tmp_path)
    (tmp_path / "audiobook.toml").write_text(
        '[publish]\nbase_url = "https://cdn.example.net/w/"\ntitle = "Weekly <Audio>"\nexplicit = true\n'
        'category = "News/Politics"\nauthor = "Desk"\nedition_items = true\n',
        encoding="utf-8",
    )
    assert publish_site(tmp_path, None) == []
    root = etree.fromstring((tmp_path / "feed.xml").read_bytes())
    channel = root.find("channel")
    assert channel.findtext("title") == "Weekly <Audio>"
    assert channel.findtext(f"{ITUNES}explicit") == "true"
    assert channel.findtext(f"{ITUNES}author") == "Desk"
    category = channel.find(f"{ITUNES}category")
    assert category.get("text") == "News" and category.find(f"{ITUNES}category").get("text") == "Politics"
    items = list(root.iter("item"))
    assert len(items) == 3
    whole = items[-1]
    assert whole.findtext(f"{ITUNES}episodeType") == "bonus"
    assert whole.find("enclosure").get("url") == "https://cdn.example.net/w/the-weekly-2024-03-01/the-weekly-2024-03-01.mp3"
    # The flag wins over the file.
    publish_site(tmp_path, BASE)
    assert etree.fromstring((tmp_path / "feed.xml").read_bytes()).find("channel").findtext("link") == BASE + "/"


@pytest.mark.parametrize(
    "text",
    ['[publish]\nbase_url = "ftp://x"\n', '[publish]\ncolour = "red"\n', "[publish]\nexplicit = 'yes'\n", "[publish\n"],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, text: str) -> None:
    (tmp_path / "audiobook.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="audiobook.toml"):
        publish_site(tmp_path, None)


def test_bad_base_url_flag(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not an absolute"):
        publish_site(tmp_path, "example.org")


def test_small_cover_gets_a_notice(tmp_path: Path) -> None:
    manifest = publish_built(tmp_path)
    folder = tmp_path / manifest.slug
    make_cover(folder / "cover.jpg", 600)
    replace(manifest, cover=file_entry(folder, "cover.jpg")).write(folder)
    notices = publish_site(tmp_path, BASE)
    assert any("600×600" in n for n in notices)


def test_empty_output_gives_an_empty_but_valid_feed(tmp_path: Path) -> None:
    publish_site(tmp_path, BASE)
    root = etree.fromstring((tmp_path / "feed.xml").read_bytes())
    assert root.find("channel").find("item") is None
    assert root.find("channel").find("lastBuildDate") is None


def test_a_copied_edition_folder_does_not_duplicate_episodes(tmp_path: Path) -> None:
    publish_built(tmp_path)
    shutil.copytree(tmp_path / "the-weekly-2024-03-01", tmp_path / "copy-of-weekly")
    notices = publish_site(tmp_path, BASE)
    # Same build date: the last folder name wins, so the result does not depend on directory order.
    assert notices == ["skipped copy-of-weekly: same edition as the-weekly-2024-03-01 (the newest build is published)"]
    guids = [g.text for g in etree.fromstring((tmp_path / "feed.xml").read_bytes()).iter("guid")]
    assert len(guids) == len(set(guids)) == 2


def test_episode_dates_keep_reading_order_and_prefer_the_article_date(tmp_path: Path) -> None:
    import datetime as dt

    from audiobook.publish.catalog import scan_editions
    from audiobook.publish.feed import episode_date

    publish_built(tmp_path, issue_date=None, build_date="2024-05-06T23:59:00Z")
    (edition,), _ = scan_editions(tmp_path)
    utc = dt.UTC
    assert episode_date(edition, 1) == dt.datetime(2024, 5, 6, 0, 0, tzinfo=utc)
    assert episode_date(edition, 3) == dt.datetime(2024, 5, 6, 0, 2, tzinfo=utc)
    assert episode_date(edition, 2, "2023-12-31") == dt.datetime(2023, 12, 31, 0, 1, tzinfo=utc)
    assert episode_date(edition, 1, "not a date") == dt.datetime(2024, 5, 6, tzinfo=utc)


def test_hash_memo_never_trusts_a_rewritten_file(tmp_path: Path) -> None:
    import os

    from audiobook.publish.catalog import MEMO_NAME

    publish_built(tmp_path)
    publish_site(tmp_path, BASE)
    assert (tmp_path / MEMO_NAME).is_file()
    assert len(list(etree.fromstring((tmp_path / "feed.xml").read_bytes()).iter("item"))) == 2
    # Rewrite in place with the same size, then even put the old mtime back: ctime still moves.
    mp3 = tmp_path / "the-weekly-2024-03-01" / "01-article-1.mp3"
    before = mp3.stat()
    data = bytearray(mp3.read_bytes())
    data[100] ^= 0xFF
    with mp3.open("r+b") as fh:
        fh.write(bytes(data))
    os.utime(mp3, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert mp3.stat().st_size == before.st_size and mp3.stat().st_mtime_ns == before.st_mtime_ns
    notices = publish_site(tmp_path, BASE)
    assert any("01-article-1.mp3 is missing or incomplete" in n for n in notices)
    assert len(list(etree.fromstring((tmp_path / "feed.xml").read_bytes()).iter("item"))) == 1
    # A damaged memo is ignored, not an error.
    (tmp_path / MEMO_NAME).write_text("{not json", encoding="utf-8")
    assert any("01-article-1.mp3" in n for n in publish_site(tmp_path, BASE))



def test_texts_never_repeat_a_title() -> None:
    assert channel_description("The Weekly") == (
        "Audio editions of The Weekly, read aloud by an offline text-to-speech voice, with chapters and transcripts."
    )
    assert channel_description("Audio editions") == (
        "Audio editions, read aloud by an offline text-to-speech voice, with chapters and transcripts."
    )  # not "Audio editions of Audio editions"
    publish_built_article = _article("Quick Start Guide", ["Quick Start Guide", "Adding books", "Reading", "Sharing",
                                                          "Converting", "Editing", "Searching", "Backing up"])  # fmt: skip
    assert article_summary(publish_built_article, "The Weekly, 1 March 2024") == "Quick Start Guide, from The Weekly, 1 March 2024."
    assert article_summary(publish_built_article, "Quick Start Guide") == (
        "Quick Start Guide, read aloud. Chapters: Adding books; Reading; Sharing; Converting; Editing; and 2 more."
    )  # not "Quick Start Guide, from Quick Start Guide."
    assert article_summary(_article("Note", ["Note"]), "note") == "Note, read aloud."


def _article(title: str, sections: list[str]) -> ArticleEntry:
    return ArticleEntry(number=1, slug="a", title=title, standfirst=None, authors=(), translators=(), language="en",
                        issue_date=None, duration_s=1.0, file=FileEntry("01-a.mp3", 1, "0" * 64),
                        sections=tuple(SectionEntry(f"c{i}", t, i, i + 1, i, i + 1) for i, t in enumerate(sections)),
                        cues=())  # fmt: skip


def test_an_unnamed_publication_keeps_its_guids_and_reads_neutrally(tmp_path: Path) -> None:
    assert episode_guid(None, "s", "a") == episode_guid("Audiobook", "s", "a")  # editions built before keep their GUIDs
    publish_built(tmp_path, publication=None, title="Quick Start Guide", article_titles=("Quick Start Guide",))
    publish_site(tmp_path, BASE)
    channel = etree.fromstring((tmp_path / "feed.xml").read_bytes()).find("channel")
    assert channel.findtext("title") == "Audio editions"
    assert "Audio editions of" not in channel.findtext("description")
    item = channel.find("item")
    assert ", from Quick Start Guide" not in item.findtext("description")
    assert "Audiobook" not in (tmp_path / "feed.xml").read_text(encoding="utf-8")
