"""Contact sheets: labelled square tiles in a grid, one PNG (lexicon sheet, alphabet sheet).

Each tile is `size` x `size` pixels; its label sits on a dark band across the bottom of the tile,
shrunk to fit the tile's width, so the sheet is exactly (rows * size, columns * size) pixels.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from signavatar.typed import UInt8Array

BAND_COLOUR = (20, 24, 36)
LABEL_COLOUR = (255, 255, 255)
PAPER = (255, 255, 255)
MIN_FONT_PX = 8
BAND_FRACTION = 0.14  # of the tile height, covered by the label band


@functools.lru_cache(maxsize=8)
def _font(px: int) -> Any:
    from matplotlib import font_manager
    from PIL import ImageFont

    return ImageFont.truetype(font_manager.findfont("DejaVu Sans:bold"), px)


def _fitting_font(draw: Any, text: str, width: int, px: int) -> Any:
    """The largest font of at most `px` pixels whose rendering of `text` fits in `width`."""
    while px > MIN_FONT_PX:
        font = _font(px)
        left, _, right, _ = draw.textbbox((0, 0), text, font=font)
        if right - left <= width:
            return font
        px -= 1
    return _font(MIN_FONT_PX)


def grid_shape(count: int, columns: int) -> tuple[int, int]:
    """(rows, columns) of a sheet of `count` tiles at most `columns` wide (a short last row)."""
    if count < 1 or columns < 1:
        raise ValueError(f"a contact sheet needs at least one tile and one column, got {count} and {columns}")
    cols = min(count, columns)
    return math.ceil(count / cols), cols


def contact_sheet(tiles: Sequence[tuple[str, UInt8Array]], columns: int) -> UInt8Array:
    """A (rows * size, cols * size, 3) uint8 RGB sheet of labelled tiles.

    tiles: (label, image) pairs; every image (size, size, 3) uint8 RGB, all the same size.
    """
    from PIL import Image, ImageDraw

    if not tiles:
        raise ValueError("a contact sheet needs at least one tile")
    size = tiles[0][1].shape[0]
    for label, image in tiles:
        if image.shape != (size, size, 3) or image.dtype != np.uint8:
            got = f"{image.shape} {image.dtype}"
            raise ValueError(f"tile {label!r}: expected ({size}, {size}, 3) uint8, got {got}")
    rows, cols = grid_shape(len(tiles), columns)
    sheet = Image.new("RGB", (cols * size, rows * size), PAPER)
    draw = ImageDraw.Draw(sheet)
    band = max(14, round(size * BAND_FRACTION))
    pad = max(2, size // 40)
    for k, (label, image) in enumerate(tiles):
        x, y = (k % cols) * size, (k // cols) * size
        sheet.paste(Image.fromarray(image), (x, y))
        draw.rectangle([x, y + size - band, x + size - 1, y + size - 1], fill=BAND_COLOUR)
        font = _fitting_font(draw, label, size - 2 * pad, band - 2 * pad)
        # anchor "mm": centred on the band whatever the font's ascent
        draw.text((x + size / 2, y + size - band / 2), label, fill=LABEL_COLOUR, font=font, anchor="mm")
    out: UInt8Array = np.asarray(sheet)  # PIL RGB image: uint8
    return out


def write_png(image: UInt8Array, path: Path) -> None:
    """Write an (H, W, 3) uint8 RGB image as PNG, creating the folder."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(image).save(path, format="PNG", optimize=True)
