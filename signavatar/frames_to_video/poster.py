"""A still image of one frame: PNG written with zlib (no imaging dependency), JPEG through ffmpeg."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

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
