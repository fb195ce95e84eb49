"""Assembly: clips and silences stitched in linear time, loudness-normalised, encoded to MP3.

Encoding choices (defaults in audiobook.voice.Encoding): mono MPEG Layer III
at 22.05 kHz (MPEG-2, ISO 13818-3, which every MP3 decoder plays), 64 kbit/s
constant bit rate. 22.05 kHz is the rate espeak-ng and Piper speak at: the
speech has nothing above 11 kHz, so 44.1 kHz (MPEG-1) only carried
interpolated samples, at 1.7 times the encoding work (4.7 s against 2.8 s of
CPU for the 31-minute sample) and no gain in fidelity (SNR against the
limited PCM 23.9 dB at both rates). A profile may still ask for 44.1 kHz.
64 kbit/s mono is transparent for speech and keeps an hour at 28 MB.
CBR makes every frame the same length, so durations and seeks are exact and
article files can be joined frame by frame into the edition without a second
encode. The encoder writes no Xing/Info frame (`-write_xing 0`): inside a
concatenated edition it would be a stray frame. Each published file gets one
Xing frame in front instead (with_info_frame), with its exact frame count, so
players that would otherwise estimate the length from the file size (eyeD3
was 3-11 s off) know the exact duration.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import os
import re
import threading
import warnings
import wave
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

with warnings.catch_warnings():
    # pydub warns on import when ffmpeg is missing; the gateway says what to install, in one line.
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment

from .atomic import atomic_path, write_text
from .errors import AudiobookError, ToolError
from .gateway import run_ffmpeg, run_tool
from .loudness import integrated_lufs, measure_blocks
from .voice import Encoding

# LAME -q 7 (no psychoacoustic noise shaping). Measured on the sample at 64 kbit/s
# mono 44.1 kHz: 2.5x faster than the default -q 3 (0.34 s against 0.88 s per
# 2 minutes), with a higher SNR (24.9 dB against 21.4 dB): TTS speech is band-
# limited to 11 kHz, so 64 kbit/s leaves plenty of bits and shaping buys little.
LAME_QUALITY = 7
SAMPLE_WIDTH = 2  # bytes: clips and stitched PCM are 16-bit mono
# Sample-peak ceiling below the true-peak target: inter-sample peaks and the MP3
# encoder added 1.1 dB on the sample edition, and the target must hold after both.
LIMITER_MARGIN_DB = 1.5
COPY_BLOCK_BYTES = 1 << 20
WAV_MAX_BYTES = 0xFFFFFFFF - 64  # a RIFF size field is 32 bits: 13.5 hours at 22.05 kHz
SILENT_LUFS = -70.0  # what ebur128 reports for silence: no gain for it
LOSS_PROBE_S = 120.0  # opening seconds on which the limiter's loudness loss is measured


@dataclass(frozen=True)
class StitchItem:
    """One clip (None for an utterance with nothing to say) and the silence after it."""

    clip: Path | None
    pause_ms: int


@dataclass(frozen=True)
class Span:
    """Where one item's speech sits in the stitched stream, in samples."""

    start: int
    end: int  # end of speech; the pause follows until the next span's start


@dataclass(frozen=True)
class Stitched:
    path: Path
    sample_rate_hz: int
    n_samples: int
    spans: tuple[Span, ...]

    @property
    def duration_s(self) -> float:
        return self.n_samples / self.sample_rate_hz

    def seconds(self, sample: int) -> float:
        return sample / self.sample_rate_hz


def _read_clip(path: Path) -> tuple[int, int, int, bytes]:
    """(rate, channels, sample width, frames) of a WAV clip; bad files are an AudiobookError."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getframerate(), w.getnchannels(), w.getsampwidth(), w.readframes(w.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        raise AudiobookError(f"clip {path} is not a readable WAV file ({exc})") from exc


def clip_rate(path: Path) -> int:
    """A WAV clip's sample rate."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getframerate()
    except (OSError, EOFError, wave.Error) as exc:
        raise AudiobookError(f"clip {path} is not a readable WAV file ({exc})") from exc


def _check_size(n_samples: int, path: Path) -> None:
    if n_samples * SAMPLE_WIDTH > WAV_MAX_BYTES:
        # Articles are stitched in chunks of minutes; only a direct caller can get here.
        raise AudiobookError(f"{path.name}: more audio than one WAV file can hold; stitch it in parts")


def stitch(items: Sequence[StitchItem], out_wav: Path, sample_rate_hz: int | None = None) -> Stitched:
    """Write clips and pauses sequentially into one mono 16-bit WAV file.

    Linear time and memory bounded by the largest clip: each clip is read,
    converted if it must be (pydub, only for clips whose format differs) and
    appended once; nothing is ever concatenated in memory (pydub #256).
    The stream keeps the clips' own rate (the first clip's, unless given), so
    the one resampling to the MP3 rate happens in the encoder's resampler.
    """
    if sample_rate_hz is None:
        first = next((i.clip for i in items if i.clip is not None), None)
        sample_rate_hz = clip_rate(first) if first is not None else 22050
    rate = sample_rate_hz
    spans: list[Span] = []
    pos = 0
    with wave.open(str(out_wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(SAMPLE_WIDTH)
        out.setframerate(rate)
        for item in items:
            start = pos
            if item.clip is not None:
                c_rate, channels, width, frames = _read_clip(item.clip)
                if (c_rate, channels, width) != (rate, 1, SAMPLE_WIDTH):
                    seg = AudioSegment(data=frames, sample_width=width, frame_rate=c_rate, channels=channels)
                    frames = seg.set_channels(1).set_sample_width(SAMPLE_WIDTH).set_frame_rate(rate).raw_data
                _check_size(pos + len(frames) // SAMPLE_WIDTH, out_wav)
                out.writeframesraw(frames)
                pos += len(frames) // SAMPLE_WIDTH
            spans.append(Span(start, pos))
            n_pause = round(item.pause_ms * rate / 1000)
            if n_pause > 0:
                _check_size(pos + n_pause, out_wav)
                out.writeframesraw(b"\x00\x00" * n_pause)
                pos += n_pause
    return Stitched(path=out_wav, sample_rate_hz=rate, n_samples=pos, spans=tuple(spans))


_INTEGRATED = re.compile(r"^\s*I:\s*(-?[\d.]+|-inf)\s*LUFS", re.MULTILINE)


def parse_integrated_lufs(ffmpeg_stderr: str) -> float:
    """The integrated loudness from ffmpeg's ebur128 summary (the last one printed)."""
    found = _INTEGRATED.findall(ffmpeg_stderr)
    if not found:
        raise ToolError("ffmpeg ebur128 printed no integrated loudness")
    value = found[-1]
    return SILENT_LUFS if value == "-inf" else float(value)


def measure_lufs(path: Path, chain: str = "", limit_s: float | None = None) -> float:
    """Integrated loudness (EBU R128 / BS.1770) of an audio file, by ffmpeg's ebur128.

    `chain` is a filter chain applied first (to measure what the encoder will
    get); `limit_s` measures only the opening seconds. Sample-peak mode only:
    true-peak metering upsamples and costs four times as much; the limiter in
    the encode pass guards the true peak instead.
    """
    head = ["-t", f"{limit_s:.3f}"] if limit_s else []
    filters = f"{chain},ebur128" if chain else "ebur128"
    proc = run_tool(
        ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", *head, "-i", str(path), "-af", filters, "-f", "null", "-"]
    )
    return parse_integrated_lufs(proc.stderr.decode("utf-8", "replace"))


def is_silent(lufs: float) -> bool:
    """True for what ebur128 reports as silence: such audio gets no gain."""
    return lufs <= SILENT_LUFS + 0.5


def limiter_chain(encoding: Encoding, gain: float) -> str:
    """The programme's one gain, then a peak limiter, at the clips' own rate."""
    limit_db = encoding.true_peak_db - LIMITER_MARGIN_DB
    limit = min(1.0, max(0.0625, 10 ** (limit_db / 20)))
    return (
        f"volume={gain:.2f}dB,"
        # level=0: no auto make-up gain; latency=1: keep the timing the cues were computed for.
        f"alimiter=limit={limit:.6f}:level=0:latency=1:attack=5:release=50"
    )


def filter_chain(encoding: Encoding, gain: float) -> str:
    """Gain and limiter, then the one resampling to the MP3's rate."""
    return f"{limiter_chain(encoding, gain)},aresample={encoding.sample_rate_hz}"


def encode_args(source: Path, dest: Path, encoding: Encoding, gain: float) -> list[str]:
    """ffmpeg arguments: one gain, a peak limiter, resampling and CBR MP3, bit-exact."""
    return [
        "-fflags", "+bitexact", "-i", str(source),
        "-map_metadata", "-1", "-af", filter_chain(encoding, gain),
        "-ac", "1", "-ar", str(encoding.sample_rate_hz),
        "-c:a", "libmp3lame", "-b:a", f"{encoding.bitrate_kbps}k", "-compression_level", str(LAME_QUALITY),
        "-flags:a", "+bitexact", "-write_xing", "0", "-id3v2_version", "0",
        "-f", "mp3", str(dest),
    ]  # fmt: skip


def encode(source: Path, dest: Path, encoding: Encoding, gain: float) -> None:
    """Encode `source` to an untagged CBR MP3 at `dest`, atomically."""
    with atomic_path(dest) as tmp:
        run_ffmpeg(encode_args(source, tmp, encoding, gain))


def secant_gain(g0: float, out0: float, g1: float, out1: float, target: float) -> float:
    """The gain where the line through (g0, out0) and (g1, out1) meets the target."""
    slope = (out1 - out0) / (g1 - g0) if g1 != g0 else 1.0
    if slope < 0.2:  # a limiter that flat cannot be steered: keep the last gain
        return g1
    return round(g1 + (target - out1) / slope, 2)


def encode_silence(dest: Path, duration_ms: int, encoding: Encoding) -> None:
    """A silent MP3 with the same parameters, to join between articles."""
    with atomic_path(dest) as tmp:
        run_ffmpeg(
            [
                "-fflags", "+bitexact", "-f", "lavfi",
                "-i", f"anullsrc=r={encoding.sample_rate_hz}:cl=mono",
                "-t", f"{duration_ms / 1000:.3f}", "-map_metadata", "-1",
                "-c:a", "libmp3lame", "-b:a", f"{encoding.bitrate_kbps}k", "-compression_level", str(LAME_QUALITY),
                "-flags:a", "+bitexact", "-write_xing", "0", "-id3v2_version", "0",
                "-f", "mp3", str(tmp),
            ]
        )  # fmt: skip


# --- MPEG audio frames -------------------------------------------------------

_BITRATES_KBPS = {
    (1, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (2, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES_HZ = {1: (44100, 48000, 32000), 2: (22050, 24000, 16000), 25: (11025, 12000, 8000)}


@dataclass(frozen=True)
class FrameRun:
    """The MPEG Layer III audio frames of a file: where they are and how many."""

    start: int  # byte offset of the first frame (after any ID3v2 tag)
    end: int  # byte offset after the last frame
    n_frames: int
    sample_rate_hz: int
    samples_per_frame: int
    bitrate_kbps: int

    @property
    def duration_s(self) -> float:
        return self.n_frames * self.samples_per_frame / self.sample_rate_hz


def id3v2_size(data: bytes | mmap.mmap) -> int:
    """Bytes taken by a leading ID3v2 tag (0 when there is none)."""
    if len(data) >= 10 and data[:3] == b"ID3":
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        footer = 10 if data[5] & 0x10 else 0
        return 10 + size + footer
    return 0


@contextlib.contextmanager
def mapped(path: Path) -> Iterator[mmap.mmap]:
    """A file mapped read-only: a long programme is scanned and copied without being read into RAM."""
    with open(path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            raise AudiobookError(f"{path.name}: empty file, no MPEG audio frames")
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            yield data


def drop_pages(data: bytes | mmap.mmap, start: int, end: int) -> int:
    """Unmap the pages of [start, end) already read from a mapped file; the new start.

    Mapped pages read once stay in the process's resident set until unmapped:
    scanning a 17-hour edition (515 MB) made the build's peak memory the file's
    size. The kernel keeps them in its page cache, and reads them again if asked.
    """
    first = start - start % mmap.PAGESIZE
    last = end - end % mmap.PAGESIZE
    if isinstance(data, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED") and last > first:
        data.madvise(mmap.MADV_DONTNEED, first, last - first)
        return last
    return start


def scan_file(path: Path) -> FrameRun:
    """scan_frames over a mapped file."""
    with mapped(path) as data:
        return scan_frames(data)


def scan_frames(data: bytes | mmap.mmap) -> FrameRun:
    """Walk the Layer III frames of an MP3 file byte by byte; they must be contiguous.

    Exact where estimates from the file size are not: durations and edition
    offsets are computed from these counts.
    """
    pos = id3v2_size(data)
    end = len(data)
    if end - pos >= 128 and data[end - 128 : end - 125] == b"TAG":
        end -= 128  # ID3v1 tag
    info = _info_frame_length(data, pos, end)
    pos += info  # an Info/Xing frame describes the audio; it is not audio
    start = pos
    n = 0
    rate = spf = kbps = 0
    released = 0
    while (frame := _frame_header(data, pos, end)) is not None:
        length, rate, spf, kbps = frame
        if pos + length > end:
            break
        pos += length
        n += 1
        if pos - released >= COPY_BLOCK_BYTES:
            released = drop_pages(data, released, pos)
    if n == 0:
        raise AudiobookError("no MPEG Layer III audio frames found")
    return FrameRun(start, pos, n, rate, spf, kbps)


def _frame_header(data: bytes | mmap.mmap, pos: int, end: int) -> tuple[int, int, int, int] | None:
    """(length, sample rate, samples per frame, kbit/s) of the Layer III frame header at `pos`, or None."""
    if pos + 4 > end:
        return None
    b1, b2 = data[pos + 1], data[pos + 2]
    if data[pos] != 0xFF or (b1 & 0xE0) != 0xE0:
        return None
    version = {3: 1, 2: 2, 0: 25}.get((b1 >> 3) & 3)
    layer = 4 - ((b1 >> 1) & 3)
    br_index, sr_index = b2 >> 4, (b2 >> 2) & 3
    if version is None or layer != 3 or br_index in (0, 15) or sr_index == 3:
        return None
    kbps = _BITRATES_KBPS[(1 if version == 1 else 2, 3)][br_index]
    rate = _RATES_HZ[version][sr_index]
    spf = 1152 if version == 1 else 576
    return (spf // 8) * kbps * 1000 // rate + ((b2 >> 1) & 1), rate, spf, kbps


def _side_info_bytes(header: bytes | mmap.mmap) -> int:
    """Bytes of Layer III side information after a 4-byte frame header (where a Xing tag starts after it)."""
    mpeg1 = (header[1] >> 3) & 3 == 3
    mono = header[3] >> 6 == 3
    return (17 if mono else 32) if mpeg1 else (9 if mono else 17)


def _info_frame_length(data: bytes | mmap.mmap, pos: int, end: int) -> int:
    """The length of an Info/Xing frame at `pos`, or 0 when the first frame is audio."""
    frame = _frame_header(data, pos, end)
    if frame is None:
        return 0
    at = pos + 4 + _side_info_bytes(data[pos : pos + 4])
    return frame[0] if data[at : at + 4] in (b"Xing", b"Info") else 0


XING_FLAGS = 0x7  # frame count, byte count and seek table present
TOC_POINTS = 100  # the seek table's entries: one per percent of the duration


def info_frame(data: bytes | mmap.mmap, run: FrameRun) -> bytes:
    """A Xing frame for the frames of `run` in `data`: their exact count, bytes and seek table (pure).

    Its header is the first audio frame's without padding, so it has the
    stream's own length and parameters; the side information is zero, so a
    player that does not know the tag plays it as 26 ms of silence. The byte
    count includes this frame, as LAME writes it. The tag is "Xing", not the
    "Info" LAME writes for CBR: eyeD3 (and players built the same way) take
    the frame count only from a "Xing" tag and otherwise estimate from the
    file size, which the frames' alternating padding makes 0.5% long. Its
    seek table is linear, as a CBR stream is. No LAME extension: its
    encoder delay would make ffmpeg trim 25 ms off the start, moving every
    chapter and cue away from the times computed here.
    """
    header = bytes(data[run.start : run.start + 4])
    header = header[:2] + bytes([header[2] & ~0x02]) + header[3:]  # no padding bit
    length = (run.samples_per_frame // 8) * run.bitrate_kbps * 1000 // run.sample_rate_hz
    side = _side_info_bytes(header)
    toc = bytes(i * 256 // TOC_POINTS for i in range(TOC_POINTS))
    body = b"Xing" + XING_FLAGS.to_bytes(4, "big") + run.n_frames.to_bytes(4, "big")
    body += (length + run.end - run.start).to_bytes(4, "big") + toc
    frame = header + bytes(side) + body
    if len(frame) > length:
        raise AudiobookError(f"{run.bitrate_kbps} kbit/s frames are too short for a Xing header")
    return frame + bytes(length - len(frame))


def with_info_frame(source: Path, dest: Path, run: FrameRun | None = None) -> FrameRun:
    """Write the audio frames of `source` to `dest` (not atomically: dest is a temp file), a Xing frame first.

    `run`: the source's frames when known (Workshop.frames), so they are not scanned again.
    """
    with mapped(source) as data, open(dest, "wb") as out:
        run = scan_frames(data) if run is None else run
        out.write(info_frame(data, run))
        for at in range(run.start, run.end, COPY_BLOCK_BYTES):  # bounded memory
            out.write(data[at : min(at + COPY_BLOCK_BYTES, run.end)])
            drop_pages(data, at, at + COPY_BLOCK_BYTES)
    return run


def joined_run(runs: Sequence[FrameRun]) -> FrameRun:
    """The frame run of the file concatenate_mp3 writes from parts with these runs (pure)."""
    first = runs[0]
    length = sum(r.end - r.start for r in runs)
    return FrameRun(0, length, sum(r.n_frames for r in runs), first.sample_rate_hz, first.samples_per_frame, first.bitrate_kbps)


def concatenate_mp3(parts: Sequence[Path], dest: Path, known: Sequence[FrameRun] | None = None) -> list[FrameRun]:
    """Join the audio frames of same-format CBR MP3s into `dest`, atomically.

    Each part starts with a fresh bit reservoir (main_data_begin = 0), so the
    join is a valid stream: no decode, no second encode. Returns each part's
    frame run, from which exact offsets in the joined file follow. `known`: the
    parts' runs when known (Workshop.frames), so they are not scanned again.
    """
    runs: list[FrameRun] = []
    with atomic_path(dest) as tmp, open(tmp, "wb") as out:
        for i, part in enumerate(parts):
            with mapped(part) as data:
                run = scan_frames(data) if known is None else known[i]
                if runs and (run.sample_rate_hz, run.bitrate_kbps) != (runs[0].sample_rate_hz, runs[0].bitrate_kbps):
                    raise AudiobookError(f"{part.name}: MP3 parameters differ, cannot join without re-encoding")
                for at in range(run.start, run.end, COPY_BLOCK_BYTES):  # bounded memory
                    out.write(data[at : min(at + COPY_BLOCK_BYTES, run.end)])
                    drop_pages(data, at, at + COPY_BLOCK_BYTES)
            runs.append(run)
    return runs


# --- articles in chunks: meter, encode and reuse each stretch on its own -------

# Where a sample of the input lands in a fresh MP3: LAME's 576-sample encoder
# delay plus the 529-sample decoder delay (measured 1104-1105 at 44.1 kHz, 1105 at 22.05 kHz).
ENCODER_DELAY_SAMPLES = 1105
# The programme gain is quantised so that editing one paragraph (a change of a
# few hundredths of a LU) keeps the gain, and with it every other chunk's MP3.
GAIN_STEP_DB = 0.5


@dataclass(frozen=True)
class ChunkSpec:
    """A run of utterances encoded on its own; it starts after a paragraph's silence."""

    key: str
    items: tuple[StitchItem, ...]
    est_s: float = 0.0  # expected duration: the longest chunks are scheduled first


@dataclass(frozen=True)
class ChunkInfo:
    rate_hz: int
    n_samples: int
    spans: tuple[tuple[int, int], ...]  # per utterance, in the chunk's samples
    blocks: tuple[float, ...]  # block loudnesses, for the article's integrated loudness


@dataclass(frozen=True)
class ArticleAudio:
    """An article's encoded audio and where each utterance sits in it."""

    key: str
    mp3: Path
    spans_s: tuple[tuple[float, float], ...]  # per utterance, seconds in the article file
    run: FrameRun
    gain_db: float


def quantise_gain(gain: float, step: float = GAIN_STEP_DB) -> float:
    return round(round(gain / step) * step, 2)


def map_spans(infos: Sequence[ChunkInfo], runs: Sequence[FrameRun]) -> list[tuple[float, float]]:
    """Utterance times in the joined file, from each chunk's real frame count (pure)."""
    out: list[tuple[float, float]] = []
    offset = 0  # output samples before this chunk
    for info, run in zip(infos, runs, strict=True):
        ratio = run.sample_rate_hz / info.rate_hz
        for start, end in info.spans:
            s = (offset + ENCODER_DELAY_SAMPLES + start * ratio) / run.sample_rate_hz
            e = (offset + ENCODER_DELAY_SAMPLES + end * ratio) / run.sample_rate_hz
            out.append((round(s, 3), round(e, 3)))
        offset += run.n_frames * run.samples_per_frame
    return out


class Workshop:
    """An edition's work folder: chunks stitched, metered and encoded once, reused by rebuilds.

    Every file is named by a hash of what went into it, so a rebuild finds
    exactly the pieces whose inputs did not change. `used` collects the names
    this build needs; everything else is stale.
    """

    def __init__(self, folder: Path, encoding: Encoding):
        self.folder = folder
        self.encoding = encoding
        self.tmp = folder  # stitched WAVs live beside the MP3s made from them, until clean()
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.used: set[str] = set()
        self._lock = threading.Lock()
        self._frames_file = folder / "frames.json"
        self._frames: dict[str, list[int]] = {}
        try:
            self._frames = json.loads(self._frames_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass

    def frames(self, path: Path) -> FrameRun:
        """The frame run of an MP3 in the work folder, remembered by name and size (scanning costs)."""
        size = path.stat().st_size
        known = self._frames.get(path.name)
        if known and len(known) == 7 and known[0] == size:
            return FrameRun(*known[1:])
        run = scan_file(path)
        self._remember(path, size, run)
        return run

    def _remember(self, path: Path, size: int, run: FrameRun) -> None:
        with self._lock:
            self._frames[path.name] = [size, run.start, run.end, run.n_frames, run.sample_rate_hz, run.samples_per_frame, run.bitrate_kbps]

    def _use(self, path: Path) -> Path:
        with self._lock:
            self.used.add(path.name)
        return path

    def _stitch(self, spec: ChunkSpec) -> Stitched:
        path = self.tmp / f"{spec.key}.wav"
        with atomic_path(path) as part:
            stitched = stitch(spec.items, part)
            if stitched.n_samples == 0:  # nothing to say and no pause: one silent 100 ms
                with wave.open(str(part), "wb") as w:
                    w.setnchannels(1)
                    w.setsampwidth(SAMPLE_WIDTH)
                    w.setframerate(stitched.sample_rate_hz)
                    w.writeframes(b"\x00\x00" * (stitched.sample_rate_hz // 10))
                stitched = replace(stitched, n_samples=stitched.sample_rate_hz // 10)
        return replace(stitched, path=path)

    def wav(self, spec: ChunkSpec) -> Path:
        """The chunk's stitched PCM (made again from the clips when not at hand)."""
        path = self.tmp / f"{spec.key}.wav"
        return path if path.exists() else self._stitch(spec).path

    def meter(self, spec: ChunkSpec) -> ChunkInfo:
        """The chunk's timing and block loudness, cached beside its encodings."""
        meta = self._use(self.folder / f"c-{spec.key}.json")
        if meta.exists():
            try:
                d = json.loads(meta.read_text(encoding="utf-8"))
                return ChunkInfo(d["rate"], d["n_samples"], tuple((s, e) for s, e in d["spans"]), tuple(d["blocks"]))
            except (OSError, ValueError, KeyError, TypeError):
                pass  # damaged: measured again below
        st = self._stitch(spec)
        blocks = measure_blocks(st.path, st.sample_rate_hz)
        info = ChunkInfo(st.sample_rate_hz, st.n_samples, tuple((x.start, x.end) for x in st.spans), tuple(blocks))
        data = {"rate": info.rate_hz, "n_samples": info.n_samples, "spans": [list(x) for x in info.spans], "blocks": blocks}
        write_text(meta, json.dumps(data, separators=(",", ":")) + "\n")
        return info

    def gain(self, specs: Sequence[ChunkSpec], infos: Sequence[ChunkInfo]) -> float:
        """The one gain for the article, quantised, allowing for the limiter's loudness loss.

        The whole article's loudness gives the plain gain g0. TTS is peaky, so
        the limiter then takes about a decibel off; that loss is a property of
        the voice, measured on the opening chunks (up to LOSS_PROBE_S) at g0
        and at g0 plus the first loss, and the gain is corrected by the secant
        through them. The opening's own loudness is taken out, so an opening
        louder or quieter than the whole does not bias the result.
        """
        target = self.encoding.loudness_lufs
        measured = integrated_lufs([b for info in infos for b in info.blocks])
        if is_silent(measured):
            return 0.0
        g0 = quantise_gain(target - measured, 0.1)
        probe_specs: list[ChunkSpec] = []
        seconds = 0.0
        for spec, info in zip(specs, infos, strict=True):
            probe_specs.append(spec)
            seconds += info.n_samples / info.rate_hz
            if seconds >= LOSS_PROBE_S:
                break
        opening = integrated_lufs([b for info in infos[: len(probe_specs)] for b in info.blocks])
        if is_silent(opening):
            return quantise_gain(g0)
        shift = measured - opening  # probe loudness → whole-article loudness
        points = self._probe(probe_specs, g0, target - shift)
        if len(points) == 2:
            gain = secant_gain(points[0][0], points[0][1] + shift, points[1][0], points[1][1] + shift, target)
        else:
            gain = g0
        return quantise_gain(gain)

    def _probe(self, specs: Sequence[ChunkSpec], g0: float, aim: float) -> list[tuple[float, float]]:
        """(gain, limited loudness) of the opening at g0 and at g0 + its loss; cached by content."""
        cache = self._use(self.folder / f"probe-{_hash([s.key for s in specs], g0, aim, repr(self.encoding))}.json")
        if cache.exists():
            try:
                return [(float(g), float(o)) for g, o in json.loads(cache.read_text(encoding="utf-8"))["points"]]
            except (OSError, ValueError, KeyError, TypeError):
                pass
        probe = self.tmp / f"probe-{cache.stem}.wav"
        points: list[tuple[float, float]] = []
        with atomic_path(probe) as part:
            join_wavs([self.wav(s) for s in specs], part)
            out0 = measure_lufs(part, limiter_chain(self.encoding, g0))
            if not is_silent(out0) and abs(out0 - aim) > 0.2:
                g1 = round(g0 + (aim - out0), 2)
                points = [(g0, out0), (g1, measure_lufs(part, limiter_chain(self.encoding, g1)))]
        probe.unlink(missing_ok=True)
        write_text(cache, json.dumps({"points": points}) + "\n")
        return points

    def chunk_mp3(self, spec: ChunkSpec, gain: float) -> Path:
        """The chunk encoded with the article's gain (encoded now unless already there)."""
        path = self._use(self.folder / f"c-{spec.key}-{gain:+.2f}.mp3")
        if not path.exists():
            encode(self.wav(spec), path, self.encoding, gain)
        return path

    def article(self, specs: Sequence[ChunkSpec], infos: Sequence[ChunkInfo], gain: float) -> ArticleAudio:
        """The article's chunks joined frame by frame (each encoded by chunk_mp3 first)."""
        key = _hash([s.key for s in specs], gain, repr(self.encoding))
        path = self._use(self.folder / f"a-{key}.mp3")
        parts = [self.chunk_mp3(s, gain) for s in specs]
        if not path.exists():
            # The join scanned every part: its runs and the joined file's are known without
            # scanning any of them again (a pass over the article's frames each, in Python).
            joined = concatenate_mp3(parts, path)
            for part, run in zip(parts, joined, strict=True):
                self._remember(part, part.stat().st_size, run)
            self._remember(path, path.stat().st_size, joined_run(joined))
        runs = [self.frames(p) for p in parts]
        whole = self.frames(path)
        return ArticleAudio(key, path, tuple(map_spans(infos, runs)), whole, gain)

    def clean(self) -> None:
        """Remove everything this build did not use (earlier versions, temp files)."""
        for path in self.folder.iterdir():
            stale = path.name[:2] in ("c-", "a-", "pr") and path.name not in self.used
            if path.is_file() and (stale or path.suffix == ".wav"):
                path.unlink(missing_ok=True)
        known = {name: v for name, v in sorted(self._frames.items()) if (self.folder / name).exists()}
        write_text(self._frames_file, json.dumps(known, separators=(",", ":")) + "\n")


def join_wavs(parts: Sequence[Path], dest: Path) -> None:
    """Concatenate same-format WAV files into one, streaming (for the loudness probe)."""
    with wave.open(str(dest), "wb") as out:
        for i, part in enumerate(parts):
            with wave.open(str(part), "rb") as w:
                if i == 0:
                    out.setparams(w.getparams())
                while frames := w.readframes(1 << 16):
                    out.writeframesraw(frames)


def _hash(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:32]
