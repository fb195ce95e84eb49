"""Inputs → one Edition: decoding, format detection (by content and extension), files and directories."""

from __future__ import annotations

import codecs
import importlib
import io
import re
import struct
import sys
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from ..limits import MAX_INPUT_BYTES, MAX_TEXT_BYTES, check_input_size, check_text_size
from ..model import Article, Edition, NotRead
from .legibility import merge_by_line, set_aside, summary
from .rules import Rules, load_rules

Reader = Callable[[bytes, str], tuple[list[Article], list[NotRead]]]

# Control characters that never occur in text (everything below 0x20 except tab,
# LF, VT, FF, CR, and ESC/SUB which some old files carry).
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x19\x1c-\x1f\x7f]")


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_FALLBACK_ERRORS = "audiobook-cp1252"


def _cp1252_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Decode bytes that are not UTF-8 as Windows-1252 (Latin-1 where 1252 has a hole)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(_byte_1252(b) for b in exc.object[exc.start : exc.end]), exc.end


def _byte_1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: Latin-1 is the only reading


codecs.register_error(_FALLBACK_ERRORS, _cp1252_bytes)


def decode_text(raw: bytes, source: str) -> str:
    """Bytes → text with LF line ends: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252, else Latin-1."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{source}: cannot be read: bad UTF-16 text") from None
    else:
        if b"\x00" in raw:
            raise InputError(f"{source}: looks like a binary file, not text")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            if _UTF8_MULTIBYTE.search(raw):
                # Mostly UTF-8 with a few stray Windows-1252 bytes (pasted-together dumps):
                # decoding the whole file as 1252 would garble every UTF-8 character.
                text = raw.decode("utf-8-sig", errors=_FALLBACK_ERRORS)
            else:
                try:
                    text = raw.decode("cp1252")
                except UnicodeDecodeError:
                    text = raw.decode("latin-1")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = len(_BINARY_CONTROLS.findall(text[:65536]))
    if controls > max(2, len(text[:65536]) // 1000):
        raise InputError(f"{source}: looks like a binary file, not text")
    return text


def _read_text(raw: bytes, source: str, rules: Rules) -> tuple[list[Article], list[NotRead]]:
    from .text import parse_plain_text

    return parse_plain_text(decode_text(raw, source), source, rules)


def _read_markdown(raw: bytes, source: str, rules: Rules) -> tuple[list[Article], list[NotRead]]:
    from .markdown import parse_markdown

    return parse_markdown(decode_text(raw, source), source, rules)


def _read_pdf(raw: bytes, source: str, rules: Rules) -> tuple[list[Article], list[NotRead]]:
    try:
        from .pdf import read_pdf
    except ImportError as exc:
        raise InputError(f"PDF input is not supported in this installation ({exc})") from None
    return read_pdf(raw, source, rules)


def _sniff_pdf(head: bytes) -> bool:
    """A PDF's header, at the start or after a few bytes of binary junk (readers look in the first kilobyte).

    Text that merely mentions "%PDF-" (an article about the format) is not a PDF: what
    precedes the marker there is text, and sending it to the PDF reader would lose it.
    """
    at = head.find(b"%PDF-", 0, 1024)
    if at < 0:
        return False
    before = head[:at]
    if not before.strip(b" \t\r\n\xef\xbb\xbf") or b"\0" in before:
        return True
    try:
        before.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


@dataclass(frozen=True)
class Format:
    """An input format: how to recognise it and which function reads it."""

    name: str
    extensions: tuple[str, ...]
    sniff: Callable[[bytes], bool]
    # "module:function" for readers living elsewhere (imported only when needed),
    # or a callable taking (raw, source, rules).
    reader: str | Callable[[bytes, str, Rules], tuple[list[Article], list[NotRead]]]


def _sniff_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head.lower()


_ZIP_LOCAL = b"PK\x03\x04"
_EPUB_MIMETYPE = b"application/epub+zip"
_CONTAINER = "meta-inf/container.xml"


def _zip_local_names(head: bytes) -> Iterator[tuple[str, bytes]]:
    """(name, stored data) of the zip members whose local headers lie inside `head`, in order."""
    offset = 0
    while head.startswith(_ZIP_LOCAL, offset) and offset + 30 <= len(head):
        flags, method = struct.unpack_from("<HH", head, offset + 6)
        size, = struct.unpack_from("<I", head, offset + 18)
        name_len, extra_len = struct.unpack_from("<HH", head, offset + 26)
        start = offset + 30 + name_len + extra_len
        name = head[offset + 30 : offset + 30 + name_len].decode("utf-8", "replace")
        yield name, head[start : start + size] if method == 0 else b""
        if flags & 0x08 or start + size > len(head):
            return  # sizes follow the data (or the data runs past the head): the next header cannot be found
        offset = start + size


def is_epub(raw: bytes) -> bool:
    """Whether bytes are an EPUB: a zip holding META-INF/container.xml, or whose `mimetype` says so.

    The one rule for format detection and for finding a book's cover. Member order and the
    compression of `mimetype` do not matter: many tools put container.xml first, or deflate
    `mimetype`. Given only the start of a file, the local headers it holds are looked at;
    given the whole file, the zip's central directory as well.
    """
    if not raw.startswith(_ZIP_LOCAL):
        return False
    for name, data in _zip_local_names(raw[:65536]):
        if name.casefold() == _CONTAINER or (name == "mimetype" and data.strip() == _EPUB_MIMETYPE):
            return True
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return any(name.casefold() == _CONTAINER for name in archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return False  # only the start of the file, or not a zip at all


# Front matter, an ATX heading ("# Title") or a setext heading ("Title" over "=====") first.
_MD_HINT = re.compile(rb"^(?:---\r?\n(?:[A-Za-z_-]+:.*\r?\n)+---|#{1,3} \S|[^\r\n]+\r?\n={3,}[ \t]*\r?\n)")


# reStructuredText shares the underlined title with Markdown; its directives, targets and
# roles do not (read as plain text, whose outline knows reST's heading underlines).
_RST_HINT = re.compile(rb"^\.\. (?:[\w-]+::|_[^:]+:|\[)|:(?:ref|doc|term|code|class|func|mod):`|^::\s*$", re.M)


def _sniff_markdown(head: bytes) -> bool:
    return bool(_MD_HINT.match(head.lstrip(b"\xef\xbb\xbf \t\r\n"))) and not _RST_HINT.search(head)


# A ".txt" file's name says plain text: a title underlined with "===" is as much a typist's
# habit (a newsletter, a README) as Markdown's, so only front matter or a "# " heading overrides it.
_MD_STRONG_HINT = re.compile(rb"^(?:---\r?\n(?:[A-Za-z_-]+:.*\r?\n)+---|#{1,3} \S)")
_TEXT_SUFFIXES = (".txt", ".text")


# The registry, in the order content sniffing tries it; plain text is the fallback.
FORMATS: tuple[Format, ...] = (
    Format("epub", (".epub",), is_epub, "audiobook.ingest.epub:read_epub"),
    Format("pdf", (".pdf",), _sniff_pdf, _read_pdf),
    Format("html", (".html", ".htm", ".xhtml"), _sniff_html, "audiobook.ingest.html:read_html"),
    Format("markdown", (".md", ".markdown", ".mdown", ".mkd"), _sniff_markdown, _read_markdown),
    Format("text", (".txt", ".text", ""), lambda head: False, _read_text),
)
_BY_NAME = {f.name: f for f in FORMATS}
_KNOWN_BINARY = ((b"PK\x03\x04", "zip archive"), (b"\x1f\x8b", "gzip archive"),
                 (b"\xd0\xcf\x11\xe0", "Word document"), (b"ID3", "MP3 file"), (b"RIFF", "RIFF/WAV file"))


def detect_format(raw: bytes, name: str) -> Format:
    """The format of an input: its content decides, then its extension, then plain text.

    An EPUB is judged on all the bytes given (a zip's directory is at its end); the other
    formats on the first 4 KB. A `.epub` file that is a zip always goes to the EPUB reader,
    which says what is wrong with it.
    """
    head = raw[:4096]
    suffix = Path(name).suffix.lower()
    for fmt in FORMATS:
        if fmt.sniff(raw if fmt.name == "epub" else head):
            if fmt.name == "markdown" and suffix in _TEXT_SUFFIXES \
                    and not _MD_STRONG_HINT.match(head.lstrip(b"\xef\xbb\xbf \t\r\n")):
                break
            return fmt
    if suffix == ".epub" and head.startswith(_ZIP_LOCAL):
        return _BY_NAME["epub"]
    for fmt in FORMATS:
        if suffix and suffix in fmt.extensions and fmt.name not in ("epub",):
            return fmt
    for magic, what in _KNOWN_BINARY:
        if head.startswith(magic):
            raise InputError(f"{name}: is a {what}, not a supported input (text, Markdown, HTML, EPUB, PDF)")
    return _BY_NAME["text"]


def _resolve(reader: str | Callable[[bytes, str, Rules], tuple[list[Article], list[NotRead]]],
             fmt: str, rules: Rules) -> Callable[[bytes, str], tuple[list[Article], list[NotRead]]]:
    if not isinstance(reader, str):
        fn = reader
        return lambda raw, source: fn(raw, source, rules)
    module_name, _, func_name = reader.partition(":")
    try:
        module = importlib.import_module(module_name)
        imported: Reader = getattr(module, func_name)
    except (ImportError, AttributeError) as exc:
        raise InputError(f"{fmt} input is not supported in this installation ({exc})") from None
    return imported


def read_input(stream: BinaryIO, source: str) -> bytes:
    """An input's bytes, read no further than its format's limit allows.

    An endless input (/dev/zero, `yes | audiobook plan -`) or a huge one is
    refused once past the limit, instead of filling memory first.
    """
    head = stream.read(4096)  # all detect_format looks at, except in a zip (an EPUB's directory is at its end)
    zipped = head.startswith(_ZIP_LOCAL)
    fmt = _BY_NAME["epub"] if zipped else detect_format(head, source)
    limit = MAX_TEXT_BYTES if fmt.name in ("text", "markdown") else MAX_INPUT_BYTES
    raw = head + stream.read(limit + 1 - len(head))
    check_input_size(len(raw), source, limit)
    return raw


def read_bytes(raw: bytes, source: str, rules: Rules) -> tuple[list[Article], list[NotRead]]:
    """Articles from one input's bytes, whatever its format."""
    if not raw.strip():
        raise InputError(f"{source}: is empty")
    fmt = detect_format(raw, source)
    if fmt.name in ("text", "markdown"):
        check_text_size(len(raw), source)
    articles, not_read = _resolve(fmt.reader, fmt.name, rules)(raw, source)
    if not articles and not not_read:
        raise InputError(f"{source}: holds no text to read")
    # Whatever the format, text no listener could follow is listed, not read (issue 12).
    articles, unreadable = set_aside(articles, rules)
    if unreadable:
        not_read = merge_by_line(not_read, unreadable)
    return articles, not_read


_NUMBER = re.compile(r"(\d+)")


def _natural_key(path: Path) -> tuple[list[tuple[int, str]], str]:
    """Sort "2.txt" before "10.txt"; ties broken by the exact name, so the order is stable."""
    # Numbers compare by value (zero-padded text), words as text; every part is (kind, text)
    # so that a number is never compared with a word.
    parts = _NUMBER.split(str(path).casefold())
    return [(0, p.zfill(20)) if p.isdigit() else (1, p) for p in parts], str(path)


def _known_extension(path: Path) -> bool:
    suffix = path.suffix.lower()
    return any(suffix in f.extensions for f in FORMATS if suffix)


def _saved_page_assets(root: Path, rel: Path) -> bool:
    """True inside `X_files/` when `X.html` or `X.htm` stands beside it."""
    here = root
    for part in rel.parts[:-1]:
        if part.endswith("_files"):
            stem = part[: -len("_files")]
            if (here / f"{stem}.html").is_file() or (here / f"{stem}.htm").is_file():
                return True
        here = here / part
    return False


def _expand(path: Path, not_read: list[NotRead]) -> list[Path]:
    """A directory's readable files (recursively, natural order); unreadable ones are listed."""
    files: list[Path] = []
    for child in sorted(path.rglob("*"), key=_natural_key):
        rel = child.relative_to(path)
        if any(part.startswith(".") for part in rel.parts) or not child.is_file():
            continue
        if _saved_page_assets(path, rel):
            # A browser's "Webpage, complete" folder: the page's images, scripts and frames.
            not_read.append(NotRead(str(child), 0, child.name, "file skipped: asset of a saved web page"))
            continue
        if _known_extension(child):
            files.append(child)
        else:
            not_read.append(NotRead(str(child), 0, child.name, "file skipped: not a text, Markdown, HTML, EPUB or PDF file"))
    if not files:
        raise InputError(f"{path}: directory holds no readable files (.txt, .md, .html, .epub, .pdf)")
    return files


def read_edition(paths: Sequence[Path | str], rules: Path | None = None) -> Edition:
    """Read every input (files, directories, "-" for standard input) as one edition, in order."""
    if not paths:
        raise InputError("no input given")
    loaded = load_rules(rules)
    articles: list[Article] = []
    not_read: list[NotRead] = []
    sources: list[str] = []
    for given in paths:
        if str(given) == "-":
            raw = read_input(sys.stdin.buffer, "-")
            found, skipped = read_bytes(raw, "-", loaded)
            articles.extend(found)
            not_read.extend(skipped)
            sources.append("-")
            continue
        path = Path(given)
        if not path.exists():
            raise InputError(f"{path}: no such file or directory")
        in_directory = path.is_dir()
        files = _expand(path, not_read) if in_directory else [path]
        for file in files:
            try:
                try:
                    with open(file, "rb") as fh:
                        raw = read_input(fh, str(file))
                except OSError as exc:
                    raise InputError(f"{file}: cannot be read: {exc.strerror}") from None
                found, skipped = read_bytes(raw, str(file), loaded)
            except InputError as exc:
                if not in_directory:
                    raise
                # One bad file in a folder does not sink the edition; it is listed instead.
                not_read.append(NotRead(str(file), 0, file.name, f"file skipped: {str(exc).removeprefix(f'{file}: ')}"))
                continue
            articles.extend(found)
            not_read.extend(skipped)
            sources.append(str(file))
    if not articles:
        named = ", ".join(str(p) for p in paths)
        unreadable = summary(not_read)
        raise InputError(f"{named}: nothing to read aloud was found" + (f"; {unreadable}" if unreadable else ""))
    return Edition(articles=tuple(articles), not_read=tuple(not_read), sources=tuple(sources))
