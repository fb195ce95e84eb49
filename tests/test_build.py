"""The sample edition built once for real (espeak-ng, ffmpeg), then read back by ffprobe, mutagen and ebur128."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import EXPECTED, SAMPLE, build_root, require_tool
from filelock import FileLock
from mutagen.id3 import ID3

from audiobook.assemble import scan_frames
from audiobook.manifest import Manifest, read_manifest
from audiobook.pipeline import work_dir

SLUG = "new-statesman-23-march-2017"
EPOCH = "1700000000"
FRAME_S = 576 / 22050  # one MPEG-2 Layer III frame at 22.05 kHz


@dataclass
class Built:
    out: Path
    folder: Path
    cache: Path
    manifest: Manifest
    hashes: dict[str, str]
    stderr: str


def run_build(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env_extra or {})}
    # Every build here also packages the M4B, so rebuilds and edits are checked for it too.
    return subprocess.run([sys.executable, "-m", "audiobook", "build", *args, "--format", "mp3,m4b"], capture_output=True, text=True, env=env)


def audio_hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = build_root(tmp_path_factory, "build")
    out, cache = root / "out", root / "cache"
    proc = run_build(str(SAMPLE), "-o", str(out), "--cache-dir", str(cache), "-q")
    assert proc.returncode == 0, proc.stderr
    folder = out / SLUG
    return Built(out, folder, cache, read_manifest(folder / "edition.json"), audio_hashes(folder), proc.stderr)


def ffprobe_chapters(path: Path) -> list[dict[str, object]]:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(path)], capture_output=True, check=True).stdout
    chapters: list[dict[str, object]] = json.loads(out)["chapters"]
    return chapters


def expected_titles(article: dict[str, object]) -> list[str]:
    """Section titles a careful editor sees (optional opening chapters may be folded)."""
    out = []
    for s in article["sections"]:  # type: ignore[attr-defined]
        out.append(s.get("title") or s["title_starts"])
    return out


def test_outputs_exist_with_sizes_and_hashes(built: Built) -> None:
    m = built.manifest
    names = [a.file.path for a in m.articles]
    assert names == ["01-lost-youth.mp3", "02-losing-momentum-how-jeremy-corbyns-support-group-ran-out-of.mp3"]
    for entry in [m.edition_file, m.playlist, m.cover, *(a.file for a in m.articles)]:
        path = built.folder / entry.path
        assert path.stat().st_size == entry.size_bytes
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256
    assert m.edition_file.path == f"{SLUG}.mp3" and m.playlist.path == f"{SLUG}.m3u8" and m.cover.path == "cover.jpg"
    assert (m.publication, m.issue_date, m.build_date) == ("New Statesman", "2017-03-23", "2023-11-14T22:13:20Z")
    assert m.voice["engine"] == "pyttsx3" and m.tool_version  # the default voice: the system voice
    # No temporary or working files left where listeners look.
    assert not [p for p in built.folder.iterdir() if ".part" in p.name]


def test_article_chapters_by_ffprobe_and_mutagen(built: Built) -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))["articles"]
    for article, want in zip(built.manifest.articles, expected, strict=True):
        path = built.folder / article.file.path
        chapters = ffprobe_chapters(path)
        titles = [c["tags"]["title"] for c in chapters]  # type: ignore[index]
        wanted = expected_titles(want)
        optional_first = want["sections"][0].get("optional", False)
        if optional_first and len(titles) == len(wanted) - 1:
            wanted = wanted[1:]
        assert len(titles) == len(wanted)
        for got, w in zip(titles, wanted):
            assert got.startswith(w), (got, w)
        # mutagen reads the same chapters, in the same order, listed by a top-level ordered CTOC.
        id3 = ID3(path)
        chaps = id3.getall("CHAP")
        assert [c.sub_frames["TIT2"].text[0] for c in chaps] == titles
        toc = id3.getall("CTOC")[0]
        assert toc.child_element_ids == [c.element_id for c in chaps] and int(toc.flags) == 3
        assert len(set(toc.child_element_ids)) == len(chaps)
        # Tiling: starts at 0, each starts where the previous ended, ends at the file's end.
        starts = [int(c["start"]) for c in chapters]  # type: ignore[call-overload]
        ends = [int(c["end"]) for c in chapters]  # type: ignore[call-overload]
        assert starts[0] == 0 and starts[1:] == ends[:-1] and all(s < e for s, e in zip(starts, ends))
        duration_s = scan_frames(path.read_bytes()).duration_s
        assert abs(ends[-1] / 1000 - duration_s) <= FRAME_S
        assert abs(article.duration_s - duration_s) <= FRAME_S
        # The manifest says the same as the tags.
        assert [(s.title, round(s.start_s * 1000), round(s.end_s * 1000)) for s in article.sections] == list(zip(titles, starts, ends))


def test_edition_chapters_cover_every_section_in_order(built: Built) -> None:
    path = built.folder / built.manifest.edition_file.path
    chapters = ffprobe_chapters(path)
    want = [(a.title, s.title) for a in built.manifest.articles for s in a.sections]
    titles = [str(c["tags"]["title"]) for c in chapters]  # type: ignore[index]
    assert len(titles) == len(want)
    for got, (article, section) in zip(titles, want):
        assert got.startswith(article) and got.endswith(section)
    starts = [int(c["start"]) for c in chapters]  # type: ignore[call-overload]
    ends = [int(c["end"]) for c in chapters]  # type: ignore[call-overload]
    assert starts[0] == 0 and starts[1:] == ends[:-1]
    assert abs(ends[-1] / 1000 - scan_frames(path.read_bytes()).duration_s) <= FRAME_S
    sections = [s for a in built.manifest.articles for s in a.sections]
    assert [(round(s.edition_start_s * 1000), round(s.edition_end_s * 1000)) for s in sections] == list(zip(starts, ends))
    # Nested table of contents: top level → one per article → its chapters.
    tocs = {t.element_id: t for t in ID3(path).getall("CTOC")}
    assert tocs["toc"].child_element_ids == ["a1", "a2"]
    assert sum(len(tocs[a].child_element_ids) for a in ("a1", "a2")) == len(chapters)
    # The edition is the article files' frames plus silence: no second encode.
    runs = [scan_frames((built.folder / a.file.path).read_bytes()).n_frames for a in built.manifest.articles]
    assert scan_frames(path.read_bytes()).n_frames > sum(runs)


def test_all_tags_present(built: Built) -> None:
    n = len(built.manifest.articles)
    for article in built.manifest.articles:
        id3 = ID3(built.folder / article.file.path)
        assert id3.version == (2, 3, 0)
        assert id3["TIT2"].text == [article.title]
        assert id3["TALB"].text == [built.manifest.title]
        assert id3["TPE2"].text == ["New Statesman"]
        assert id3["TRCK"].text == [f"{article.number}/{n}"]
        assert id3["TCON"].text == ["Speech"] and id3["TLAN"].text == ["eng"]
        assert str(id3["TDRC"].text[0]) == article.issue_date
        assert id3["TPE1"].text[0] == ("Frédéric Niel" if article.number == 1 else "New Statesman")
        assert id3.getall("COMM")[0].text[0] == article.standfirst
        lyrics = id3.getall("USLT")[0].text
        assert lyrics.startswith(article.title) and article.cues[-1].text in lyrics
        apic = id3.getall("APIC")[0]
        assert apic.type == 3 and apic.data == (built.folder / "cover.jpg").read_bytes()


def test_cues_are_original_wording_in_order(built: Built) -> None:
    first = built.manifest.articles[0]
    texts = [c.text for c in first.cues]
    assert texts[:2] == ["Lost youth", "By Frédéric Niel. Translated by Daniel Trilling."]
    starts = [c.start_s for c in first.cues]
    assert starts == sorted(starts) and all(c.start_s <= c.end_s <= first.duration_s for c in first.cues)
    # Repairs (print line-break splits) reach the listener's transcript.
    assert any("accidental" in t for t in texts)


def ebur128(path: Path, peak: bool = True) -> tuple[float, float]:
    meter = "ebur128=peak=true" if peak else "ebur128=peak=sample"
    proc = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-i", str(path), "-af", meter, "-f", "null", "-"],
        capture_output=True,
    )
    stderr = proc.stderr.decode("utf-8", "replace")
    summary = stderr[stderr.rindex("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak_db = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))  # type: ignore[union-attr]
    return integrated, peak_db


def test_loudness_and_true_peak(built: Built) -> None:
    files = [built.folder / a.file.path for a in built.manifest.articles] + [built.folder / built.manifest.edition_file.path]
    # True peak on the article files (4x oversampling is slow); the edition holds
    # exactly their frames, so its integrated loudness is what is left to check.
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(ebur128, files, [True, True, False]))
    for path, (integrated, peak) in zip(files, results):
        assert abs(integrated - -16.0) <= 1.0, (path.name, integrated)
        assert peak <= -1.0, (path.name, peak)


def test_mp3val_reports_nothing_and_durations_are_exact(built: Built) -> None:
    mp3val = require_tool("mp3val")
    mp3s = sorted(built.folder.glob("*.mp3"))
    assert len(mp3s) == len(built.manifest.articles) + 1
    for path in mp3s:
        report = subprocess.run([mp3val, str(path)], capture_output=True, text=True, check=True).stdout
        assert [line for line in report.splitlines() if not line.startswith(("Analyzing", "INFO", "Done"))] == [], report
        probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
                               capture_output=True, text=True, check=True).stdout  # fmt: skip
        # ffprobe reads the Xing frame's count: the exact length, not an estimate from the size.
        assert float(probe) == pytest.approx(scan_frames(path.read_bytes()).duration_s, abs=0.001)


def test_playlist(built: Built) -> None:
    lines = (built.folder / f"{SLUG}.m3u8").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#EXTM3U"
    assert lines[2] == "01-lost-youth.mp3" and lines[1].startswith(f"#EXTINF:{round(built.manifest.articles[0].duration_s)},")
    assert all(not line.startswith("/") and ".." not in line for line in lines)


def test_the_published_tree_holds_no_work_files(built: Built) -> None:
    # A publisher uploads output/ as it is: intermediate audio stays in the cache.
    hidden = sorted(p.name for p in built.folder.iterdir() if p.name.startswith("."))
    assert hidden == [".audiobook.lock"]
    assert any(work_dir(built.folder, built.cache).glob("c-*.mp3"))
    assert work_dir(built.folder, built.cache).parent == built.cache / "builds"


def test_rebuild_is_identical_and_reencodes_nothing(built: Built) -> None:
    work = work_dir(built.folder, built.cache)
    before = {p.name: p.stat().st_mtime_ns for p in work.glob("*.mp3")}
    proc = run_build(str(SAMPLE), "-o", str(built.out), "--cache-dir", str(built.cache), "-q")
    assert proc.returncode == 0, proc.stderr
    assert audio_hashes(built.folder) == built.hashes
    assert {p.name: p.stat().st_mtime_ns for p in work.glob("*.mp3")} == before


def test_unchanged_rebuild_is_answered_from_its_record_and_a_damaged_file_is_rebuilt(built: Built) -> None:
    # Nothing changed: the build's record and a stat of each file answer, before any stage runs.
    work = work_dir(built.folder, built.cache)
    watched = [work / "outputs.json", built.folder / "edition.json", built.out / "index.html"]
    before = {p: p.stat().st_mtime_ns for p in watched}
    proc = run_build(str(SAMPLE), "-o", str(built.out), "--cache-dir", str(built.cache))
    assert proc.returncode == 0, proc.stderr
    assert {p: p.stat().st_mtime_ns for p in watched} == before  # a full rebuild rewrites all three
    assert f"{built.out / SLUG / SLUG}.mp3" in proc.stdout and "not read:" in proc.stderr  # said as a build says it
    # A published file changed behind the build's back: the record no longer answers, the build repairs it.
    article = built.folder / built.manifest.articles[0].file.path
    with open(article, "r+b") as fh:
        fh.truncate(article.stat().st_size // 2)
    proc = run_build(str(SAMPLE), "-o", str(built.out), "--cache-dir", str(built.cache), "-q")
    assert proc.returncode == 0, proc.stderr
    assert audio_hashes(built.folder) == built.hashes
    assert (work / "outputs.json").stat().st_mtime_ns != before[work / "outputs.json"]


def test_edit_one_paragraph_reencodes_one_chunk(built: Built, tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    edited = text.replace("Momentum HQ is in the TSSA", "Momentum HQ, it turns out, is in the TSSA", 1)
    assert edited != text
    source = tmp_path / SAMPLE.name
    source.write_text(edited, encoding="utf-8")
    out = tmp_path / "out"
    # Start from the built edition so only what changed is redone.
    subprocess.run(["cp", "-a", str(built.out), str(out)], check=True)
    work = work_dir(out / SLUG, built.cache)
    subprocess.run(["cp", "-a", str(work_dir(built.folder, built.cache)), str(work)], check=True)
    before = {p.name for p in work.glob("c-*.mp3")}
    proc = run_build(str(source), "-o", str(out), "--cache-dir", str(built.cache), "-q")
    assert proc.returncode == 0, proc.stderr
    after = {p.name for p in work.glob("c-*.mp3")}
    # The edited chunk is encoded again (two when the edit moves a content-defined
    # boundary); every other chunk is reused.
    assert 1 <= len(after - before) <= 2 < len(before)
    hashes = audio_hashes(out / SLUG)
    assert hashes["01-lost-youth.mp3"] == built.hashes["01-lost-youth.mp3"]
    assert hashes[f"{SLUG}.mp3"] != built.hashes[f"{SLUG}.mp3"]
    # Incremental equals clean: the edited input built from nothing gives the same bytes.
    fresh = tmp_path / "fresh"
    proc = run_build(str(source), "-o", str(fresh), "--cache-dir", str(built.cache), "-q")
    assert proc.returncode == 0, proc.stderr
    assert audio_hashes(fresh / SLUG) == hashes


def test_second_build_on_a_locked_folder_stops_clearly(built: Built) -> None:
    with FileLock(str(built.folder / ".audiobook.lock")):
        proc = run_build(str(SAMPLE), "-o", str(built.out), "--cache-dir", str(built.cache), "-q")
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1].startswith("audiobook: error: another build is writing")


def test_bad_cover_is_one_line_exit_2(built: Built, tmp_path: Path) -> None:
    bad = tmp_path / "cover.png"
    bad.write_text("not an image", encoding="utf-8")
    proc = run_build(str(SAMPLE), "-o", str(tmp_path / "o"), "--cache-dir", str(built.cache), "--cover", str(bad), "-q")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"audiobook: error: {bad}: not a readable image (UnidentifiedImageError)"]


def test_m4b_chapters_tags_and_loudness(built: Built) -> None:
    from mutagen.mp4 import MP4

    entry = built.manifest.packages["m4b"]
    path = built.folder / entry.path
    assert entry.path == f"{SLUG}.m4b" and path.stat().st_size == entry.size_bytes
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256
    probe = json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-show_chapters", "-of", "json", str(path)],
                                      capture_output=True, check=True).stdout)  # fmt: skip
    audio = [s for s in probe["streams"] if s["codec_type"] == "audio"]
    assert [(s["codec_name"], s["profile"], s["channels"]) for s in audio] == [("aac", "LC", 1)]
    # One chapter per section, the same titles and times as the edition MP3's, tiling the file within 50 ms.
    chapters = probe["chapters"]
    mp3 = ffprobe_chapters(built.folder / built.manifest.edition_file.path)
    assert len(chapters) == sum(len(a.sections) for a in built.manifest.articles) == len(mp3)
    assert [(c["tags"]["title"], c["start_time"], c["end_time"]) for c in chapters] == [
        (c["tags"]["title"], c["start_time"], c["end_time"]) for c in mp3  # type: ignore[index]
    ]
    assert float(chapters[0]["start_time"]) == 0 and all(a["end"] == b["start"] for a, b in zip(chapters, chapters[1:]))
    assert abs(float(chapters[-1]["end_time"]) - float(probe["format"]["duration"])) <= 0.05
    # mutagen reads the Nero chapters and the iTunes tags; stik 2 is the audiobook media kind.
    mp4 = MP4(path)
    assert [c.title for c in mp4.chapters] == [c["tags"]["title"] for c in chapters]
    tags = mp4.tags
    assert tags is not None
    assert (tags["\xa9nam"], tags["\xa9ART"], tags["\xa9day"], tags["stik"]) == (
        [built.manifest.title], ["New Statesman"], ["2017-03-23"], [2]
    )
    assert tags["\xa9nrt"][0].startswith("synthetic voice 'default' (pyttsx3") and tags["\xa9gen"] == ["Audiobook"]
    assert bytes(tags["covr"][0]) == (built.folder / "cover.jpg").read_bytes()
    integrated, _ = ebur128(path, peak=False)
    assert abs(integrated - -16.0) <= 1.0, integrated
    page = (built.folder / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{SLUG}.m4b" download>M4B audiobook</a>' in page
