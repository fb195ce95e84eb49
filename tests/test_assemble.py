"""Stitching, loudness, encoding and frame-level joining, on the tone engine's clips and real ffmpeg."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from conftest import require_tool

from audiobook.assemble import (
    ENCODER_DELAY_SAMPLES,
    ChunkInfo,
    FrameRun,
    StitchItem,
    concatenate_mp3,
    encode,
    encode_silence,
    id3v2_size,
    joined_run,
    map_spans,
    measure_lufs,
    parse_integrated_lufs,
    quantise_gain,
    scan_frames,
    with_info_frame,
    secant_gain,
    stitch,
)
from audiobook.gateway import run_tool
from audiobook.loudness import integrated_lufs, parse_momentary
from audiobook.synthesise.cache import wav_bytes
from audiobook.synthesise.engine import Params
from audiobook.synthesise.tone import ToneEngine
from audiobook.voice import Encoding


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    # The tone engine's clips (as a build caches them): assembly is about samples and frames, not speech.
    folder = tmp_path_factory.mktemp("clips")
    out = []
    for i, text in enumerate(["The bus to the Momentum conference.", "It was late.", "Everyone was tired."]):
        pcm = ToneEngine().synthesise(text, None, Params())
        path = folder / f"c{i}.wav"
        path.write_bytes(wav_bytes(pcm.samples, pcm.sample_rate_hz))
        out.append(path)
    return out


def frames_of(path: Path) -> int:
    with wave.open(str(path), "rb") as w:
        return w.getnframes()


def test_stitch_spans_are_exact_sample_counts(clips: list[Path], tmp_path: Path) -> None:
    rate = 22050
    items = [StitchItem(clips[0], 300), StitchItem(None, 700), StitchItem(clips[1], 0), StitchItem(clips[2], 1500)]
    st = stitch(items, tmp_path / "s.wav")
    n0, n1, n2 = (frames_of(c) for c in clips)
    p300, p700, p1500 = (round(ms * rate / 1000) for ms in (300, 700, 1500))
    assert st.sample_rate_hz == rate
    assert [(s.start, s.end) for s in st.spans] == [
        (0, n0),
        (n0 + p300, n0 + p300),  # nothing to say: zero length, its pause still follows
        (n0 + p300 + p700, n0 + p300 + p700 + n1),
        (n0 + p300 + p700 + n1, n0 + p300 + p700 + n1 + n2),
    ]
    assert st.n_samples == frames_of(tmp_path / "s.wav") == n0 + p300 + p700 + n1 + n2 + p1500


def test_stitch_converts_a_clip_of_another_rate(clips: list[Path], tmp_path: Path) -> None:
    # A 44.1 kHz stereo copy of a clip is converted once, to the stream's rate.
    other = tmp_path / "other.wav"
    run_tool(["ffmpeg", "-v", "error", "-y", "-i", str(clips[1]), "-ar", "44100", "-ac", "2", str(other)])
    st = stitch([StitchItem(clips[0], 0), StitchItem(other, 0)], tmp_path / "s.wav")
    n1 = frames_of(clips[1])
    assert st.sample_rate_hz == 22050
    assert abs((st.spans[1].end - st.spans[1].start) - n1) <= 2


def test_parsers_exact() -> None:
    summary = "[Parsed_ebur128_0] Summary:\n\n  Integrated loudness:\n    I:         -20.4 LUFS\n    Threshold: -30.6 LUFS\n"
    assert parse_integrated_lufs(summary) == -20.4
    assert parse_momentary("frame:0\nlavfi.r128.M=-120.691\nframe:1\nlavfi.r128.M=-20.5\nlavfi.r128.M=-inf\n") == [-120.691, -20.5, -200.0]
    assert quantise_gain(6.74) == 6.5 and quantise_gain(6.76) == 7.0 and quantise_gain(-0.2) == 0.0
    assert secant_gain(4.0, -17.5, 5.5, -16.4, -16.0) == pytest.approx(6.05, abs=0.01)


def test_gating_ignores_silence() -> None:
    speech = [-20.0] * 100
    assert integrated_lufs(speech) == pytest.approx(-20.0, abs=0.01)
    # Silence and very quiet blocks are gated out: the loudness of speech is unchanged.
    assert integrated_lufs(speech + [-120.0] * 300 + [-45.0] * 50) == pytest.approx(-20.0, abs=0.01)
    assert integrated_lufs([-120.0] * 10) == -70.0


def test_map_spans_offsets_by_real_frames() -> None:
    run = FrameRun(0, 0, n_frames=10, sample_rate_hz=44100, samples_per_frame=1152, bitrate_kbps=64)
    infos = [ChunkInfo(22050, 5000, ((0, 2000), (2500, 5000)), ()), ChunkInfo(22050, 100, ((0, 100),), ())]
    spans = map_spans(infos, [run, run])
    d = ENCODER_DELAY_SAMPLES
    assert spans == [
        (round(d / 44100, 3), round((d + 4000) / 44100, 3)),
        (round((d + 5000) / 44100, 3), round((d + 10000) / 44100, 3)),
        (round((11520 + d) / 44100, 3), round((11520 + d + 200) / 44100, 3)),
    ]


def test_encode_hits_loudness_and_frames_join_without_reencoding(clips: list[Path], tmp_path: Path) -> None:
    require_tool("ffmpeg")
    enc = Encoding()
    items = [StitchItem(c, 400) for c in clips * 4]
    st = stitch(items, tmp_path / "s.wav")
    a, b, sil = tmp_path / "a.mp3", tmp_path / "b.mp3", tmp_path / "sil.mp3"
    gain = round(enc.loudness_lufs - measure_lufs(st.path), 2)
    encode(st.path, a, enc, gain)
    encode(st.path, b, enc, gain)
    assert a.read_bytes() == b.read_bytes()  # deterministic, bit-exact
    run = scan_frames(a.read_bytes())
    assert (run.sample_rate_hz, run.samples_per_frame, run.bitrate_kbps, run.start) == (22050, 576, 64, 0)
    assert run.end == a.stat().st_size  # nothing but audio frames: no Xing frame, no tags
    assert abs(run.duration_s - st.duration_s) < 3 * 576 / 22050
    encode_silence(sil, 2500, enc)
    joined = tmp_path / "joined.mp3"
    runs = concatenate_mp3([a, sil, b], joined)
    whole = scan_frames(joined.read_bytes())
    assert whole.n_frames == sum(r.n_frames for r in runs)
    assert joined_run(runs) == whole  # what the work folder records without scanning the join
    assert joined.read_bytes() == a.read_bytes() + sil.read_bytes() + b.read_bytes()
    # ffmpeg decodes the joined stream cleanly and agrees on its length.
    out = run_tool(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(joined)])
    assert float(out.stdout) == pytest.approx(whole.duration_s, abs=0.05)


def test_scan_frames_skips_id3v2() -> None:
    header = b"ID3\x03\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10
    assert id3v2_size(header) == 20


def test_xing_frame_gives_the_exact_length_and_is_dropped_when_joined(tmp_path: Path) -> None:
    require_tool("ffmpeg")
    mp3val = require_tool("mp3val")
    raw, tagged = tmp_path / "raw.mp3", tmp_path / "xing.mp3"
    encode_silence(raw, 60_000, Encoding())
    run = with_info_frame(raw, tagged)
    data = tagged.read_bytes()
    assert data[4 + 9 : 4 + 9 + 16] == b"Xing" + bytes([0, 0, 0, 7]) + run.n_frames.to_bytes(4, "big") + len(data).to_bytes(4, "big")
    assert data[208:] == raw.read_bytes()  # one 208-byte frame in front; the audio untouched
    again = scan_frames(data)
    assert (again.start, again.n_frames) == (208, run.n_frames)  # the Xing frame describes the audio, it is not audio
    exact_s = run.n_frames * 576 / 22050
    probe = ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0"]
    assert float(run_tool([*probe, str(tagged)]).stdout) == pytest.approx(exact_s, abs=0.001)
    report = run_tool([mp3val, str(tagged)]).stdout.decode()
    problems = [line for line in report.splitlines() if line.startswith(("WARNING", "PROBLEM", "ERROR"))]
    assert problems == [f'WARNING: "{tagged}": No supported tags in the file'], report  # untagged here: tags come later
    joined = tmp_path / "joined.mp3"
    concatenate_mp3([tagged, tagged], joined)
    assert joined.read_bytes() == raw.read_bytes() * 2  # no stray Xing frame inside an edition


def test_a_long_mp3_is_scanned_copied_and_joined_in_bounded_memory(tmp_path: Path) -> None:
    import subprocess
    import sys

    require_tool("ffmpeg")
    minute, long = tmp_path / "minute.mp3", tmp_path / "long.mp3"
    encode_silence(minute, 60_000, Encoding())
    frames = minute.read_bytes()
    with open(long, "wb") as out:
        for _ in range(250):  # 250 min, 120 MB: a memory that grows with the file shows
            out.write(frames)
    # A fresh process, so its peak resident set is this work's alone.
    script = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from audiobook.assemble import concatenate_mp3, scan_file, with_info_frame\n"
        "src, tmp = Path(sys.argv[1]), Path(sys.argv[2])\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "run = scan_file(src)\n"
        "with_info_frame(src, tmp / 'xing.mp3')\n"
        "concatenate_mp3([src, src], tmp / 'joined.mp3')\n"
        "print(run.n_frames, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(long), str(tmp_path)], capture_output=True, text=True, check=True).stdout
    n_frames, grew_mb = map(int, out.split())
    assert n_frames == 250 * scan_frames(frames).n_frames
    assert grew_mb < 40, f"{grew_mb} MB for a {long.stat().st_size // 2**20} MB file"
    assert (tmp_path / "joined.mp3").stat().st_size == 2 * long.stat().st_size
