"""Cover art: a generated square JPEG naming the edition, or the user's image made square."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from .errors import InputError

COVER_PX = 1400  # Apple Podcasts' minimum; 1400² JPEG stays near 100 kB
JPEG_QUALITY = 90
BACKGROUND = (23, 42, 69)  # deep blue: white text on it is legible as a thumbnail
ACCENT = (242, 176, 53)
TEXT = (255, 255, 255)
MARGIN_PX = 110
# Debian's fonts-dejavu-core; Pillow's built-in scalable font when it is absent.
FONT_FILES = {
    True: ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
    False: ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans.ttf"),
}

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def load_font(size_px: int, bold: bool = False) -> Font:
    """A TrueType font at the given size, falling back to Pillow's default font."""
    for name in FONT_FILES[bold]:
        try:
            return ImageFont.truetype(name, size_px)
        except OSError:
            continue
    return ImageFont.load_default(size=size_px)


def _width(draw: ImageDraw.ImageDraw, text: str, font: Font) -> float:
    return draw.textlength(text, font=font)


def wrap(draw: ImageDraw.ImageDraw, text: str, font: Font, max_px: int) -> list[str]:
    """Greedy word wrap to a pixel width; an over-long word is split by characters."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if _width(draw, trial, font) <= max_px:
            line = trial
            continue
        if line:
            lines.append(line)
        line = ""
        for ch in word:
            if _width(draw, line + ch, font) > max_px and line:
                lines.append(line)
                line = ""
            line += ch
    if line:
        lines.append(line)
    return lines


def _fit(draw: ImageDraw.ImageDraw, text: str, max_px: int, max_lines: int, start_px: int, bold: bool) -> tuple[Font, list[str]]:
    """The largest font size (down to a legible floor) at which the text fits the lines."""
    size = start_px
    while True:
        font = load_font(size, bold)
        lines = wrap(draw, text, font, max_px)
        if len(lines) <= max_lines or size <= 40:
            if len(lines) > max_lines:
                lines = lines[: max_lines - 1] + [lines[max_lines - 1].rstrip() + "…"]
            return font, lines
        size -= 8


def generate_cover(title: str, publication: str | None, date_text: str | None, size_px: int = COVER_PX) -> bytes:
    """A square JPEG: publication on top, the edition title large, the date below it."""
    scale = size_px / COVER_PX
    img = Image.new("RGB", (size_px, size_px), BACKGROUND)
    draw = ImageDraw.Draw(img)
    margin = int(MARGIN_PX * scale)
    width = size_px - 2 * margin
    y = margin
    if publication:
        font, lines = _fit(draw, publication.upper(), width, 2, int(84 * scale), bold=True)
        for line in lines:
            draw.text((margin, y), line, font=font, fill=ACCENT)
            y += int(font.size * 1.2) if isinstance(font, ImageFont.FreeTypeFont) else int(96 * scale)
        y += int(30 * scale)
    draw.rectangle((margin, y, margin + int(220 * scale), y + int(14 * scale)), fill=ACCENT)
    y += int(90 * scale)
    font, lines = _fit(draw, title, width, 6, int(150 * scale), bold=True)
    line_px = int(font.size * 1.15) if isinstance(font, ImageFont.FreeTypeFont) else int(160 * scale)
    for line in lines:
        draw.text((margin, y), line, font=font, fill=TEXT)
        y += line_px
    if date_text:
        small, dlines = _fit(draw, date_text, width, 2, int(72 * scale), bold=False)
        dy = size_px - margin - len(dlines) * int(72 * scale * 1.2)
        for line in dlines:
            draw.text((margin, max(dy, y + int(40 * scale))), line, font=small, fill=TEXT)
            dy += int(72 * scale * 1.2)
    return to_jpeg(img)


PLACEHOLDER_PX = 300  # a book cover smaller than this either way is a stand-in, not artwork
FLAT_SPREAD = 8  # channel values varying by no more than this: one flat colour


def is_placeholder(data: bytes) -> bool:
    """Whether a book's cover image is a stand-in (tiny, or one flat colour) rather than artwork.

    Tools put a 1×1 pixel or a blank image where a book has no cover; scaled to 1400 px it
    becomes a flat square, and the generated cover, which names the edition, is better.
    An image that cannot be read is not judged here (preparing it reports that).
    """
    try:
        with Image.open(io.BytesIO(data)) as src:
            if min(src.size) < PLACEHOLDER_PX:
                return True
            src.draft("RGB", (256, 256))  # JPEG: decode small, the question is only "is it flat?"
            img = src.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return False
    img.thumbnail((256, 256))
    extrema = img.getextrema()
    return all(high - low <= FLAT_SPREAD for low, high in extrema)  # type: ignore[misc]


def to_jpeg(img: Image.Image) -> bytes:
    """Encode RGB JPEG bytes deterministically (no EXIF, fixed quality)."""
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def prepare_cover(path: Path | bytes, min_px: int = COVER_PX, *, pad: bool = False) -> bytes:
    """An image (a file, or bytes such as a book's own cover) as a square RGB JPEG at least `min_px` wide.

    A photo is centre-cropped; with `pad` (a book cover, whose title must stay whole)
    the image is centred on a square of its own average colour instead.
    Anything Pillow cannot read is an InputError naming the file.
    """
    label = "the book's cover image" if isinstance(path, bytes) else str(path)
    try:
        with Image.open(io.BytesIO(path) if isinstance(path, bytes) else path) as src:
            src.load()
            img = src.convert("RGB")
    except FileNotFoundError:
        raise InputError(f"{label}: cover image not found") from None
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise InputError(f"{label}: not a readable image ({exc.__class__.__name__})") from None
    if pad:
        side = max(img.size)
        average = img.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
        canvas = Image.new("RGB", (side, side), average)
        canvas.paste(img, ((side - img.width) // 2, (side - img.height) // 2))
        img = canvas
    else:
        side = min(img.size)
        left = (img.width - side) // 2
        top = (img.height - side) // 2
        img = img.crop((left, top, left + side, top + side))
    target = max(side, min_px)
    if target != side:
        img = img.resize((target, target), Image.Resampling.LANCZOS)
    return to_jpeg(img)
