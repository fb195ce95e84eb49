"""Cover art: generated covers and user images become square RGB JPEGs of at least 1400 px."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from audiobook.cover import COVER_PX, generate_cover, prepare_cover
from audiobook.errors import InputError


def open_jpeg(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def test_generated_cover_is_square_jpeg_and_deterministic() -> None:
    data = generate_cover("Losing Momentum: how Jeremy Corbyn’s support group ran out of steam " * 3, "New Statesman", "23 March 2017")
    img = open_jpeg(data)
    assert img.format == "JPEG" and img.mode == "RGB" and img.size == (COVER_PX, COVER_PX)
    assert data == generate_cover("Losing Momentum: how Jeremy Corbyn’s support group ran out of steam " * 3, "New Statesman", "23 March 2017")
    # Text was drawn: the picture is not one flat colour.
    assert len(img.resize((64, 64)).getcolors(4096) or ()) > 4


def test_user_image_is_cropped_square_and_enlarged(tmp_path: Path) -> None:
    src = tmp_path / "wide.png"
    Image.new("RGBA", (900, 500), (10, 200, 30, 128)).save(src)
    img = open_jpeg(prepare_cover(src))
    assert img.size == (COVER_PX, COVER_PX) and img.mode == "RGB"


def test_bad_cover_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "cover.jpg"
    bad.write_bytes(b"not an image at all")
    with pytest.raises(InputError, match="not a readable image"):
        prepare_cover(bad)
    with pytest.raises(InputError, match="not found"):
        prepare_cover(tmp_path / "missing.png")


def test_book_cover_is_padded_square_not_cropped() -> None:
    tall = Image.new("RGB", (600, 900), (200, 30, 30))
    raw = io.BytesIO()
    tall.save(raw, format="PNG")
    img = Image.open(io.BytesIO(prepare_cover(raw.getvalue(), pad=True)))
    assert img.size == (COVER_PX, COVER_PX)
    # The whole height is kept: the top and bottom rows are the book's red, not cut off.
    assert img.getpixel((COVER_PX // 2, 2))[0] > 150  # type: ignore[index]
    assert img.getpixel((COVER_PX // 2, COVER_PX - 3))[0] > 150  # type: ignore[index]


def test_an_epub_build_uses_the_books_own_cover(tmp_path: Path) -> None:
    from conftest import FIXTURES, require_tool

    require_tool("ffmpeg")
    import subprocess
    import sys

    from audiobook.ingest.epub import edition_cover

    book = FIXTURES / "epub" / "lincoln-two-speeches.epub"
    own = edition_cover([str(book)])
    assert own is not None
    proc = subprocess.run(
        [sys.executable, "-m", "audiobook", "build", str(book), "-o", str(tmp_path), "--voice", "tone", "-q",
         "--cache-dir", str(tmp_path / "cache")],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "two-speeches" / "cover.jpg").read_bytes() == prepare_cover(own, pad=True)


def _png(size: tuple[int, int], colour: tuple[int, int, int], *, mark: bool = False) -> bytes:
    img = Image.new("RGB", size, colour)
    if mark:
        ImageDraw.Draw(img).rectangle((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill=(250, 250, 250))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def test_placeholder_covers_are_tiny_or_one_flat_colour() -> None:
    from audiobook.cover import is_placeholder

    assert is_placeholder(_png((1, 1), (130, 41, 45)))
    assert is_placeholder(_png((200, 900), (10, 10, 10), mark=True))  # under 300 px one way
    assert is_placeholder(_png((1400, 1400), (200, 30, 30)))  # one flat colour
    assert not is_placeholder(_png((600, 900), (200, 30, 30), mark=True))
    assert not is_placeholder(b"not an image")  # judged when it is prepared, which reports it


def test_the_quick_start_guides_one_pixel_cover_gives_way_to_the_generated_one() -> None:
    from conftest import FIXTURES

    from audiobook.cover import is_placeholder
    from audiobook.ingest.epub import edition_cover, epub_cover

    guide = FIXTURES / "epub" / "calibre-quick-start-eng.epub"
    lincoln = FIXTURES / "epub" / "lincoln-two-speeches.epub"
    own = epub_cover(guide.read_bytes())
    assert own is not None and Image.open(io.BytesIO(own)).size == (1, 1) and is_placeholder(own)
    assert edition_cover([str(guide)]) is None  # so the build generates its cover
    assert edition_cover([str(guide), str(lincoln)]) == epub_cover(lincoln.read_bytes())
