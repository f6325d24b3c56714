"""Stream raw RGB (or RGBA) frames into ffmpeg and publish the finished file atomically.

Frames travel as rgb24 (rgba with `alpha`) over ffmpeg's stdin (never temp images). Only WebM
(VP9, yuva420p) keeps the alpha channel; MP4 (H.264) and GIF cannot carry it. The command is an argument list
built with ffmpeg-python; no user text ever reaches a filter graph (metadata values are plain
arguments).
"""

from __future__ import annotations

import collections
import subprocess
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

import ffmpeg  # ffmpeg-python: builds the argument list only
import numpy as np

from signavatar.errors import EncodeError, InvalidInputError
from signavatar.frames_to_video.atomic import publish, temp_path_for
from signavatar.typed import UInt8Array
from signavatar.types import VIDEO_FORMATS

CONTAINER = {"mp4": "mp4", "webm": "webm", "gif": "gif"}
ALPHA_FORMATS = ("webm",)


def ffmpeg_args(
    path: Path, *, fps: int, width: int, height: int, fmt: str, metadata: Mapping[str, str] | None = None,
    alpha: bool = False,
) -> list[str]:
    """The ffmpeg argument list (without the executable) reading rgb24 (rgba with `alpha`) from stdin
    and writing `path`."""
    if fmt not in VIDEO_FORMATS:
        raise EncodeError(f"unknown video format {fmt!r}; use one of {', '.join(VIDEO_FORMATS)}")
    if alpha and fmt not in ALPHA_FORMATS:
        raise InvalidInputError(f"{fmt} cannot carry transparency: use webm (VP9 with alpha) or a png poster")
    pix_in = "rgba" if alpha else "rgb24"
    stream = ffmpeg.input("pipe:", format="rawvideo", pix_fmt=pix_in, s=f"{width}x{height}", framerate=fps)
    out_kw: dict[str, Any] = {"f": CONTAINER[fmt]}
    if fmt == "mp4":
        out = ffmpeg.output(
            stream, str(path), vcodec="libx264", pix_fmt="yuv420p", crf=20, preset="veryfast",
            movflags="+faststart", **out_kw,
        )
    elif fmt == "webm":
        out = ffmpeg.output(
            stream, str(path), vcodec="libvpx-vp9", pix_fmt="yuva420p" if alpha else "yuv420p", crf=32, **{"b:v": 0},
            deadline="realtime", **{"cpu-used": 8, "row-mt": 1}, **out_kw,
        )
    else:
        # One pass: split the input, build a palette from all frames, map every frame onto it.
        split = stream.split()
        palette = split[0].filter("palettegen", stats_mode="full")
        gif = ffmpeg.filter([split[1], palette], "paletteuse", dither="bayer", bayer_scale=3)
        out = ffmpeg.output(gif, str(path), r=fps, loop=0, **out_kw)
    args: list[str] = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", *out.get_args()]
    extra: list[str] = []
    for key, value in (metadata or {}).items():
        if not key.isidentifier():
            raise EncodeError(f"metadata key must be a plain name, got {key!r}")
        extra += ["-metadata", f"{key}={value}"]
    # ffmpeg-python puts the output file last; metadata options must come before it.
    return args[:-1] + extra + args[-1:]


class _StderrTail:
    """Drains ffmpeg's stderr on a thread (so a full pipe never blocks it), keeping the last lines."""

    def __init__(self, pipe: IO[bytes]) -> None:
        self.lines: collections.deque[str] = collections.deque(maxlen=20)
        self._thread = threading.Thread(target=self._drain, args=(pipe,), daemon=True)
        self._thread.start()

    def _drain(self, pipe: IO[bytes]) -> None:
        for raw in pipe:
            line = raw.decode("utf-8", "replace").strip()
            if line:
                self.lines.append(line)
        pipe.close()

    def last(self) -> str:
        self._thread.join(timeout=5)
        return self.lines[-1] if self.lines else "no message"


def encode_video(
    frames: Iterable[UInt8Array],
    path: Path,
    *,
    fps: int,
    width: int,
    height: int,
    fmt: str,
    metadata: Mapping[str, str] | None = None,
    ffmpeg_bin: str = "ffmpeg",
    alpha: bool = False,
) -> int:
    """Encode frames, each (height, width, 3) uint8 RGB or with `alpha` (height, width, 4) RGBA,
    into `path`; return the frame count.

    The file appears under `path` only when ffmpeg succeeded; on any error (including one raised
    by the frame iterator) ffmpeg is killed and the partial file removed.
    """
    path = Path(path)
    if fps < 1 or width < 1 or height < 1:
        raise EncodeError(f"fps, width and height must be positive, got {fps}, {width}x{height}")
    temp = temp_path_for(path)
    cmd = [ffmpeg_bin, *ffmpeg_args(temp, fps=fps, width=width, height=height, fmt=fmt, metadata=metadata, alpha=alpha)]
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise EncodeError(f"{ffmpeg_bin} not found; install ffmpeg (e.g. apt-get install ffmpeg)") from None
    assert proc.stdin is not None and proc.stderr is not None
    tail = _StderrTail(proc.stderr)
    count = 0
    try:
        try:
            for frame in frames:
                _check_frame(frame, count, width, height, 4 if alpha else 3)
                proc.stdin.write(np.ascontiguousarray(frame).data)
                count += 1
            proc.stdin.close()
        except BrokenPipeError:
            proc.wait()
            raise EncodeError(f"ffmpeg stopped after {count} frames: {tail.last()}") from None
        if proc.wait() != 0:
            raise EncodeError(f"ffmpeg failed ({fmt}, {width}x{height}): {tail.last()}")
        if count == 0:
            raise EncodeError("no frames to encode")
        publish(temp, path)
    except BaseException:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stdin and not proc.stdin.closed:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass
        temp.unlink(missing_ok=True)
        raise
    return count


def _check_frame(frame: UInt8Array, index: int, width: int, height: int, channels: int) -> None:
    if frame.shape != (height, width, channels) or frame.dtype != np.uint8:
        raise EncodeError(
            f"frame {index} is {frame.dtype} {frame.shape}, expected uint8 ({height}, {width}, {channels})"
        )
