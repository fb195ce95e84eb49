"""Pure pieces of the pipeline: chunk boundaries, transcripts, playlists, build dates (exact values)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from audiobook.errors import AudiobookError
from audiobook.manifest import ArticleEntry, FileEntry
from audiobook.model import Article, Paragraph, Section
from audiobook.pipeline import build_timestamp, chunk_starts, edition_date_text, playlist_text, transcript
from audiobook.script import script_article
from audiobook.voice import Pauses, VoiceProfile

PROFILE = VoiceProfile(name="t", engine="espeak", pauses=Pauses(sentence_ms=300, paragraph_ms=700, section_ms=1500))


def para(i: int) -> Paragraph:
    return Paragraph(f"Sentence {i}a. Sentence {i}b.", (f"Sentence {i}a.", f"Sentence {i}b."), i)


ARTICLE = Article(
    "T",
    (
        Section("T", tuple(para(i) for i in range(40)), 1, announce_title=False),
        Section("Two", tuple(para(i) for i in range(40, 44)), 50),
    ),
    "-",
    1,
    60,
)


def test_chunks_start_at_sections_and_after_paragraph_pauses_only() -> None:
    script = script_article(ARTICLE, PROFILE, str)
    utterances = script.utterances
    starts = chunk_starts(script, [None] * len(utterances), PROFILE.pauses.paragraph_ms)
    section_two = len(script.sections[0].utterances)
    assert starts[0] == 0 and section_two in starts
    for j in starts[1:]:
        assert utterances[j - 1].pause_ms >= PROFILE.pauses.paragraph_ms  # cut in a silence
    assert 2 < len(starts) < 40  # several paragraphs per chunk
    # Content-defined: editing one paragraph moves no boundary far from it.
    edited = Article(ARTICLE.title, (Section("T", (para(999),) + ARTICLE.sections[0].paragraphs[1:], 1, False), ARTICLE.sections[1]), "-", 1, 60)
    script2 = script_article(edited, PROFILE, str)
    starts2 = chunk_starts(script2, [None] * len(script2.utterances), PROFILE.pauses.paragraph_ms)
    assert [s for s in starts if s > 4] == [s for s in starts2 if s > 4]


def test_transcript_keeps_paragraphs() -> None:
    art = Article("T", (Section("T", (para(1), para(2)), 1, announce_title=False),), "-", 1, 9, authors=("Ann",))
    text = transcript(script_article(art, PROFILE, str), PROFILE.pauses.paragraph_ms)
    assert text == "T\n\nBy Ann.\n\nSentence 1a. Sentence 1b.\n\nSentence 2a. Sentence 2b.\n"


def test_playlist_exact() -> None:
    f = FileEntry("01-a.mp3", 1, "x")
    entries = [
        ArticleEntry(1, "a", "A\ntitle", None, ("Ann",), (), "en", None, 61.6, f, (), ()),
        ArticleEntry(2, "b", "B", None, (), (), "en", None, 5.2, FileEntry("02-b.mp3", 1, "y"), (), ()),
    ]
    assert playlist_text(entries, "Pub") == "#EXTM3U\n#EXTINF:62,Ann - A title\n01-a.mp3\n#EXTINF:5,Pub - B\n02-b.mp3\n"


def test_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    assert edition_date_text(dt.date(2017, 3, 23)) == "23 March 2017" and edition_date_text(None) is None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_timestamp() == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(AudiobookError, match="SOURCE_DATE_EPOCH"):
        build_timestamp()


def test_the_fallback_publication_is_never_shown() -> None:
    from audiobook.model import Edition
    from audiobook.pipeline import plan_build, shown_publication

    def shown(publication: str, how: str) -> str | None:
        return shown_publication(plan_build(Edition((), publication=publication), {"publication": how}, PROFILE, []))

    assert shown("Audiobook", "fallback") is None  # not an artist, a cover line or a byline
    assert shown("Audiobook", "text") is None  # articles naming different publications fall back to it too
    assert shown("Audiobook", "flag") == "Audiobook"  # asked for by name
    assert shown("New Statesman", "text") == "New Statesman"


def test_an_old_build_folder_leaves_the_published_tree(tmp_path: Path) -> None:
    from audiobook.pipeline import _move_old_work, work_dir

    edition = tmp_path / "out" / "weekly"
    (edition / ".build").mkdir(parents=True)
    (edition / ".build" / "c-1.mp3").write_bytes(b"piece")
    work = work_dir(edition, tmp_path / "cache")
    assert work.parent == tmp_path / "cache" / "builds" and work.name.endswith("-weekly")
    assert work != work_dir(tmp_path / "elsewhere" / "weekly", tmp_path / "cache")  # one per edition folder
    work.parent.mkdir(parents=True)
    _move_old_work(edition, work)
    assert not (edition / ".build").exists() and (work / "c-1.mp3").read_bytes() == b"piece"  # reused, not lost
    (edition / ".build").mkdir()
    _move_old_work(edition, work)  # the new folder exists already: the old one just goes
    assert not (edition / ".build").exists() and (work / "c-1.mp3").exists()


def test_check_space_says_what_is_needed(tmp_path: Path) -> None:
    from audiobook.pipeline import check_space

    check_space(tmp_path, 1)
    with pytest.raises(AudiobookError, match=r"no space left on device for .*: the new files need about 1000000000000 MB"):
        check_space(tmp_path, 10**18)


def test_the_request_key_covers_every_option_but_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from audiobook.pipeline import BuildOptions, request_key

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    source = tmp_path / "a.md"
    source.write_text("# A\n\nOne sentence.\n", encoding="utf-8")
    base = BuildOptions(output_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    key = request_key([source], base)
    assert key is not None and request_key([source], replace(base, jobs=3)) == key
    changed = [
        replace(base, title="B"), replace(base, publication="P"), replace(base, date="2024-01-02"),
        replace(base, output_dir=tmp_path / "elsewhere"), replace(base, base_url="https://example.org/a"),
        replace(base, formats=("mp3", "m4b")), replace(base, publish=False), replace(base, voice="espeak"),
        replace(base, site=False), replace(base, language="fr"),
        replace(base, build_date=dt.datetime(2024, 1, 2, tzinfo=dt.timezone.utc)),
    ]  # fmt: skip
    keys = {request_key([source], options) for options in changed}
    assert len(keys) == len(changed) and key not in keys
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert request_key([source], base) not in (key, None)  # a fixed date is part of what is built
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    source.write_text("# A\n\nAnother sentence.\n", encoding="utf-8")
    assert request_key([source], base) not in (key, None)
    assert request_key(["-"], base) is None and request_key([tmp_path], base) is None  # stdin, folders: always built
