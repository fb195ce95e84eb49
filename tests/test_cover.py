"""Cover art: generated covers and user images become square RGB JPEGs of at least 1400 px."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

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
