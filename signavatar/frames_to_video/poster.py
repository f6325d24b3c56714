"""A still image of one frame: PNG written with zlib (no imaging dependency), JPEG through ffmpeg;
and the poster's smaller copies for web pages, JPEG and WebP (Pillow), from the frame or the PNG."""

from __future__ import annotations

import io
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Literal

import numpy as np

from signavatar.errors import EncodeError, InvalidInputError
from signavatar.frames_to_video.atomic import publish, temp_path_for, write_bytes_atomic
from signavatar.typed import UInt8Array


def png_bytes(frame: UInt8Array) -> bytes:
    """PNG of a (H, W, 3) uint8 RGB or (H, W, 4) RGBA frame (straight alpha)."""
    if frame.ndim != 3 or frame.shape[2] not in (3, 4) or frame.dtype != np.uint8:
        raise ValueError(f"poster frame must be uint8 (H, W, 3) or (H, W, 4), got {frame.dtype} {frame.shape}")
    h, w, c = frame.shape
    # Each scanline starts with filter type 0 (none).
    raw = np.concatenate([np.zeros((h, 1), np.uint8), np.ascontiguousarray(frame).reshape(h, w * c)], axis=1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", w, h, 8, 6 if c == 4 else 2, 0, 0, 0)  # 8-bit, truecolour (+ alpha)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw.tobytes(), 6))
        + chunk(b"IEND", b"")
    )


def write_poster(frame: UInt8Array, path: Path, *, ffmpeg_bin: str = "ffmpeg") -> None:
    """Write `frame` as .png (default) or .jpg/.jpeg, chosen by the suffix of `path`.
    An RGBA frame (transparent background) needs .png: JPEG has no alpha."""
    path = Path(path)
    if path.suffix.lower() in (".jpg", ".jpeg"):
        if frame.ndim == 3 and frame.shape[2] == 4:
            raise InvalidInputError("JPEG cannot carry transparency: write the poster as .png")
        _write_jpeg(frame, path, ffmpeg_bin)
    else:
        write_bytes_atomic(path, png_bytes(frame))


def _write_jpeg(frame: UInt8Array, path: Path, ffmpeg_bin: str) -> None:
    h, w = frame.shape[:2]
    temp = temp_path_for(path)
    cmd = [
        ffmpeg_bin, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-i", "pipe:",
        "-frames:v", "1", "-q:v", "3", "-f", "mjpeg", str(temp),
    ]
    try:
        done = subprocess.run(cmd, input=np.ascontiguousarray(frame).tobytes(), capture_output=True, check=False)
    except FileNotFoundError:
        raise EncodeError(f"{ffmpeg_bin} not found; install ffmpeg") from None
    if done.returncode != 0:
        temp.unlink(missing_ok=True)
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise EncodeError(f"ffmpeg could not write the poster: {lines[-1] if lines else 'no message'}")
    try:
        publish(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


PosterKind = Literal["jpg", "webp"]
#: the web copies of a poster: Pillow format and quality (JPEG 85 and WebP 80 look like the PNG of
#: our flat-shaded avatar at a fraction of its bytes)
POSTER_VARIANTS: dict[PosterKind, tuple[str, int]] = {"jpg": ("JPEG", 85), "webp": ("WEBP", 80)}
#: what a transparent poster is put on for JPEG (no alpha there): the embed page's background
JPEG_BACKGROUND = (255, 255, 255)


def poster_variant_bytes(frame: UInt8Array, kind: PosterKind) -> bytes:
    """A (H, W, 3) or (H, W, 4) uint8 frame as JPEG (alpha composited on JPEG_BACKGROUND) or WebP
    (alpha kept)."""
    from PIL import Image  # only the web copies need Pillow

    if frame.ndim != 3 or frame.shape[2] not in (3, 4) or frame.dtype != np.uint8:
        raise ValueError(f"poster frame must be uint8 (H, W, 3) or (H, W, 4), got {frame.dtype} {frame.shape}")
    if kind not in POSTER_VARIANTS:
        raise InvalidInputError(f"poster kind must be one of {', '.join(POSTER_VARIANTS)}; got {kind!r}")
    fmt, quality = POSTER_VARIANTS[kind]
    image = Image.fromarray(np.ascontiguousarray(frame), "RGBA" if frame.shape[2] == 4 else "RGB")
    if kind == "jpg" and image.mode == "RGBA":
        flat = Image.new("RGB", image.size, JPEG_BACKGROUND)
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    out = io.BytesIO()
    options = {"optimize": True, "progressive": True} if kind == "jpg" else {"method": 6}
    image.save(out, fmt, quality=quality, **options)
    return out.getvalue()


def variant_path(png: Path, kind: PosterKind) -> Path:
    """poster.png -> poster.jpg / poster.webp beside it."""
    return Path(png).with_suffix(f".{kind}")


def write_poster_variants(frame: UInt8Array, png: Path) -> dict[PosterKind, Path]:
    """Write the JPEG and WebP copies of the poster `png` is (or will be) beside it, atomically."""
    written: dict[PosterKind, Path] = {}
    for kind in POSTER_VARIANTS:
        path = variant_path(png, kind)
        write_bytes_atomic(path, poster_variant_bytes(frame, kind))
        written[kind] = path
    return written


def poster_variant_from_png(png: Path, kind: PosterKind) -> Path:
    """The `kind` copy of an existing poster.png (older clips have only the PNG), written atomically
    beside it when it is missing; its path. InvalidInputError when the PNG is not a readable image."""
    from PIL import Image, UnidentifiedImageError

    path = variant_path(png, kind)
    if path.is_file():
        return path
    try:
        with Image.open(png) as image:
            image.load()
            rgba = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            frame: UInt8Array = np.asarray(image.convert("RGBA" if rgba else "RGB"), dtype=np.uint8)
    except (UnidentifiedImageError, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise InvalidInputError(f"{png}: not a readable poster image ({exc})") from exc
    write_bytes_atomic(path, poster_variant_bytes(frame, kind))
    return path
