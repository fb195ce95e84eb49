"""ID3v2.3 tags and chapters, written with mutagen and read back by mutagen and ffprobe."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import require_tool
from mutagen.id3 import ID3

from audiobook.assemble import encode_silence, scan_frames
from audiobook.cover import generate_cover
from audiobook.tag import Chapter, ChapterGroup, Tags, date_frames, language_code, tile_chapters, toc_tree, write_tagged
from audiobook.voice import Encoding


def test_tile_chapters_exact() -> None:
    chapters = tile_chapters([120, 5000, 9000], ["A", "B", "C"], 12345)
    assert [(c.element_id, c.start_ms, c.end_ms) for c in chapters] == [
        ("ch0", 0, 5000),
        ("ch1", 5000, 9000),
        ("ch2", 9000, 12345),
    ]


def test_language_codes() -> None:
    assert language_code("en") == "eng"
    assert language_code("fr-FR") == "fre"
    assert language_code("xx") == "und"


def test_every_language_audiobook_knows_has_its_id3_code() -> None:
    from audiobook.language import KNOWN

    assert [code for code in KNOWN if language_code(code) == "und"] == []


@pytest.fixture(scope="module")
def silent_mp3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tool("ffmpeg")
    path = tmp_path_factory.mktemp("tag") / "raw.mp3"
    encode_silence(path, 6000, Encoding())
    return path


def ffprobe_chapters(path: Path) -> list[tuple[str, int, int]]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(path)], capture_output=True, check=True
    ).stdout
    return [(c["tags"]["title"], c["start"], c["end"]) for c in json.loads(out)["chapters"]]


def test_article_tags_and_chapters_read_back(silent_mp3: Path, tmp_path: Path) -> None:
    # Titles of very different lengths: mutagen would sort CHAP frames by size.
    titles = ["A much longer opening chapter title", "B", "Chapter three, medium"]
    chapters = tuple(tile_chapters([0, 2000, 4000], titles, 6000))
    tags = Tags(
        title="Lost youth",
        artists=("Frédéric Niel", "Daniel Trilling"),
        album="New Statesman 9 April 2007",
        album_artist="New Statesman",
        date="2007-04-09",
        language="en",
        track=1,
        track_total=2,
        description="Young French people are frustrated.",
        lyrics="Lost youth\n\nOne. Two.\n",
        cover_jpeg=generate_cover("T", "P", "D", size_px=1400),
        chapters=chapters,
    )
    out = tmp_path / "01-lost-youth.mp3"
    write_tagged(silent_mp3, out, tags)
    id3 = ID3(out)
    assert id3.version == (2, 3, 0)
    assert id3["TIT2"].text == ["Lost youth"]
    assert id3["TPE1"].text == ["Frédéric Niel/Daniel Trilling"]  # ID3v2.3 joins several artists with "/"
    assert id3["TALB"].text == ["New Statesman 9 April 2007"]
    assert id3["TPE2"].text == ["New Statesman"]
    assert id3["TRCK"].text == ["1/2"]
    assert str(id3["TDRC"].text[0]) == "2007-04-09"  # mutagen reads TYER + TDAT back as one date
    raw = ID3(out, translate=False)
    assert raw["TYER"].text == ["2007"] and raw["TDAT"].text == ["0904"] and "TDRC" not in raw  # v2.3 has no TDRC
    assert id3["TCON"].text == ["Speech"]
    assert id3["TLAN"].text == ["eng"]
    assert id3.getall("COMM")[0].text == ["Young French people are frustrated."]
    assert id3.getall("USLT")[0].text == "Lost youth\n\nOne. Two.\n"
    apic = id3.getall("APIC")[0]
    assert apic.mime == "image/jpeg" and apic.type == 3 and apic.data[:2] == b"\xff\xd8"
    toc = id3.getall("CTOC")[0]
    assert toc.child_element_ids == ["ch0", "ch1", "ch2"] and int(toc.flags) == 3  # TOP_LEVEL | ORDERED
    assert [(c.element_id, c.start_time, c.end_time, c.sub_frames["TIT2"].text[0]) for c in id3.getall("CHAP")] == [
        (c.element_id, c.start_ms, c.end_ms, c.title) for c in chapters
    ]
    assert ffprobe_chapters(out) == [(t, c.start_ms, c.end_ms) for t, c in zip(titles, chapters)]
    # Tagging leaves the audio frames untouched.
    assert scan_frames(out.read_bytes()).n_frames == scan_frames(silent_mp3.read_bytes()).n_frames


def test_edition_nested_toc(silent_mp3: Path, tmp_path: Path) -> None:
    groups = (
        ChapterGroup("a1", "Lost youth", (Chapter("a1c0", "Lost youth", 0, 1000), Chapter("a1c1", "Lost youth — Kamini", 1000, 3000))),
        ChapterGroup("a2", "Momentum", (Chapter("a2c0", "Momentum — 1. The Bus", 3000, 6000),)),
    )
    tags = Tags(title="Edition", artists=("P",), album="Edition", album_artist="P", date=None, language="en", groups=groups)
    out = tmp_path / "edition.mp3"
    write_tagged(silent_mp3, out, tags)
    id3 = ID3(out)
    tocs = {t.element_id: t for t in id3.getall("CTOC")}
    assert tocs["toc"].child_element_ids == ["a1", "a2"] and int(tocs["toc"].flags) == 3
    assert tocs["a1"].child_element_ids == ["a1c0", "a1c1"] and int(tocs["a1"].flags) == 1  # ordered, not top level
    assert tocs["a1"].sub_frames["TIT2"].text == ["Lost youth"]
    assert [t for t, _, _ in ffprobe_chapters(out)] == ["Lost youth", "Lost youth — Kamini", "Momentum — 1. The Bus"]
    assert "TRCK" not in id3


def test_control_characters_never_reach_the_tags(silent_mp3: Path, tmp_path: Path) -> None:
    title = '../../Évasion: 🎧 the \x07 "test"\x00'
    tags = Tags(title=title, artists=("A\x1bB",), album="E", album_artist=None, date=None, language="en",
                lyrics="line one\n\nline\ttwo\x00", chapters=(Chapter("ch0", title, 0, 6000),))  # fmt: skip
    out = tmp_path / "x.mp3"
    write_tagged(silent_mp3, out, tags)
    id3 = ID3(out)
    assert id3["TIT2"].text == ['../../Évasion: 🎧 the  "test"']
    assert id3["TPE1"].text == ["AB"]
    assert id3.getall("USLT")[0].text == "line one\n\nline\ttwo"
    assert ffprobe_chapters(out)[0][0] == '../../Évasion: 🎧 the  "test"'


def test_toc_tree_nests_runs_of_at_most_255() -> None:
    ids = [f"ch{i}" for i in range(600)]
    tocs = toc_tree("toc", 3, "Book", ids, [f"S{i}" for i in range(600)])
    assert [(t.element_id, len(t.child_element_ids), int(t.flags), t.sub_frames["TIT2"].text[0]) for t in tocs] == [
        ("toc", 3, 3, "Book"),
        ("toc.1", 255, 1, "S0 – S254"),
        ("toc.2", 255, 1, "S255 – S509"),
        ("toc.3", 90, 1, "S510 – S599"),
    ]
    assert [c for t in tocs[1:] for c in t.child_element_ids] == ids
    assert [t.element_id for t in toc_tree("toc", 3, "Book", ids[:255], ids[:255])] == ["toc"]


def test_toc_tree_nests_twice_beyond_255_runs() -> None:
    n = 255 * 255 + 1
    tocs = toc_tree("a1", 1, "Huge", [f"c{i}" for i in range(n)], [str(i) for i in range(n)])
    assert max(len(t.child_element_ids) for t in tocs) <= 255
    by_id = {t.element_id: t for t in tocs}
    assert len(by_id) == len(tocs) == 1 + 2 + 256  # top, two runs of runs, 256 runs of chapters

    def leaves(element_id: str) -> list[str]:
        if element_id not in by_id:
            return [element_id]
        return [x for child in by_id[element_id].child_element_ids for x in leaves(child)]

    assert leaves("a1") == [f"c{i}" for i in range(n)]


def test_a_thousand_chapters_read_back_by_ffprobe_and_mutagen(silent_mp3: Path, tmp_path: Path) -> None:
    n = 1000
    chapters = tuple(tile_chapters([i * 6 for i in range(n)], [f"Section {i + 1}" for i in range(n)], 6000))
    flat = Tags(title="Book", artists=(), album="Book", album_artist=None, date=None, language="en", chapters=chapters)
    grouped = replace(flat, chapters=(), groups=(ChapterGroup("a1", "Book", chapters),))
    for tags in (flat, grouped):
        out = tmp_path / "book.mp3"
        write_tagged(silent_mp3, out, tags)
        id3 = ID3(out)
        assert max(len(t.child_element_ids) for t in id3.getall("CTOC")) <= 255
        assert [c.element_id for c in id3.getall("CHAP")] == [c.element_id for c in chapters]
        probed = ffprobe_chapters(out)
        assert len(probed) == n
        assert probed == [(c.title, c.start_ms, c.end_ms) for c in chapters]  # in order, tiling [0, 6000)


def test_date_frames_for_v23() -> None:
    assert [(f.FrameID, f.text) for f in date_frames("2017-03-23")] == [("TYER", ["2017"]), ("TDAT", ["2303"])]
    assert [(f.FrameID, f.text) for f in date_frames("2017")] == [("TYER", ["2017"])]
    assert [(f.FrameID, f.text) for f in date_frames("2017-03")] == [("TYER", ["2017"])]  # TDAT needs the day
    assert date_frames("spring") == []



def test_ffprobe_reads_the_v23_date(silent_mp3: Path, tmp_path: Path) -> None:
    out = tmp_path / "dated.mp3"
    write_tagged(silent_mp3, out, Tags(title="T", artists=(), album="A", album_artist=None, date="2007-04-09", language="en"))
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_format", "-of", "json", str(out)], capture_output=True, check=True).stdout
    tags = json.loads(probe)["format"]["tags"]
    assert tags["date"] == "2007-04-09"  # ffmpeg joins TYER and TDAT, as 2.3 readers do


def test_tagged_file_has_the_exact_length_and_mp3val_reports_nothing(silent_mp3: Path, tmp_path: Path) -> None:
    mp3val = require_tool("mp3val")
    out = tmp_path / "book.mp3"
    write_tagged(silent_mp3, out, Tags(title="T", artists=("P",), album="A", album_artist=None, date="2007-04-09",
                                       language="en", chapters=tuple(tile_chapters([0, 3000], ["a", "b"], 6000))))  # fmt: skip
    n_frames = scan_frames(silent_mp3.read_bytes()).n_frames
    assert ID3(out).getall("CHAP") and scan_frames(out.read_bytes()).n_frames == n_frames
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(out)],
                           capture_output=True, check=True).stdout  # fmt: skip
    assert float(probe) == pytest.approx(n_frames * 576 / 22050, abs=0.001)
    report = subprocess.run([mp3val, str(out)], capture_output=True, text=True, check=True).stdout
    assert [line for line in report.splitlines() if not line.startswith(("Analyzing", "INFO", "Done"))] == [], report
