"""The poster's web copies (poster.jpg, poster.webp): decodable, close to the frame, smaller than the
PNG, alpha kept in WebP and flattened on white in JPEG; made from an older clip's PNG alone."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from signavatar.errors import InvalidInputError
from signavatar.frames_to_video.poster import (
    JPEG_BACKGROUND,
    poster_variant_bytes,
    poster_variant_from_png,
    write_poster,
    write_poster_variants,
)


def frame(alpha: bool = False) -> np.ndarray:
    """A 96x128 picture like a render: a flat background, a shaded figure, a few hard edges."""
    h, w = 96, 128
    y, x = np.mgrid[0:h, 0:w]
    rgb = np.zeros((h, w, 3), np.uint8)
    rgb[:] = (235, 238, 242)
    body = (x - 64) ** 2 / 30**2 + (y - 60) ** 2 / 40**2 < 1
    rgb[body] = np.stack([120 + y[body], 90 + x[body] // 2, 80 + (x[body] + y[body]) // 4], -1).clip(0, 255)
    rgb[20:30, 40:88] = (200, 40, 40)
    if not alpha:
        return rgb
    a = np.where(body, 255, 0).astype(np.uint8)[..., None]
    return np.concatenate([rgb, a], axis=-1)


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("kind,fmt", [("jpg", "JPEG"), ("webp", "WEBP")])
def test_copies_decode_close_to_the_frame(kind: str, fmt: str) -> None:
    f = frame()
    data = poster_variant_bytes(f, kind)  # type: ignore[arg-type]
    image = decode(data)
    assert image.format == fmt and image.size == (128, 96)
    diff = np.abs(np.asarray(image.convert("RGB"), np.int16) - f.astype(np.int16))
    assert diff.mean() < 3 and np.percentile(diff, 99) < 40, (diff.mean(), np.percentile(diff, 99))


def test_alpha_kept_in_webp_flattened_in_jpeg() -> None:
    f = frame(alpha=True)
    webp = decode(poster_variant_bytes(f, "webp"))
    assert webp.mode == "RGBA"
    a = np.asarray(webp)[..., 3]
    assert a[0, 0] == 0 and a[60, 64] == 255
    jpg = np.asarray(decode(poster_variant_bytes(f, "jpg")).convert("RGB"), np.int16)
    assert np.abs(jpg[2, 2] - JPEG_BACKGROUND).max() <= 3  # the transparent corner: white
    assert np.abs(jpg[60, 64] - f[60, 64, :3]).max() <= 12


def test_written_beside_the_png_and_smaller(tmp_path: Path) -> None:
    png = tmp_path / "poster.png"
    f = frame()
    write_poster(f, png)
    written = write_poster_variants(f, png)
    assert written == {"jpg": tmp_path / "poster.jpg", "webp": tmp_path / "poster.webp"}
    for path in written.values():
        assert 0 < path.stat().st_size < png.stat().st_size
    assert not list(tmp_path.glob(".*.part"))


def test_made_from_an_older_clips_png(tmp_path: Path) -> None:
    png = tmp_path / "poster.png"
    write_poster(frame(alpha=True), png)
    path = poster_variant_from_png(png, "webp")
    assert path == tmp_path / "poster.webp" and decode(path.read_bytes()).mode == "RGBA"
    stamp = path.stat().st_mtime_ns
    assert poster_variant_from_png(png, "webp") == path and path.stat().st_mtime_ns == stamp  # made once
    jpg = poster_variant_from_png(png, "jpg")
    assert decode(jpg.read_bytes()).format == "JPEG"
    with pytest.raises(FileNotFoundError):
        poster_variant_from_png(tmp_path / "none.png", "jpg")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG not really")
    with pytest.raises(InvalidInputError, match="broken.png"):
        poster_variant_from_png(broken, "jpg")
    assert not (tmp_path / "broken.jpg").exists()


def test_bad_input() -> None:
    with pytest.raises(ValueError):
        poster_variant_bytes(np.zeros((4, 4), np.uint8), "jpg")
    with pytest.raises(InvalidInputError):
        poster_variant_bytes(frame(), "gif")  # type: ignore[arg-type]
