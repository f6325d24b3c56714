"""What a video file holds, read with ffprobe (used by tests and checks)."""

from __future__ import annotations

import json
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

from signavatar.errors import EncodeError


def probe_video(path: Path, *, count_frames: bool = True, ffprobe_bin: str = "ffprobe") -> dict[str, Any]:
    """{codec, pix_fmt, fps, width, height, duration (s), nb_frames, tags} of the first video stream."""
    cmd = [ffprobe_bin, "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
           "-select_streams", "v:0"]
    if count_frames:
        cmd.append("-count_frames")
    cmd.append(str(path))
    try:
        done = subprocess.run(cmd, capture_output=True, check=False)
    except FileNotFoundError:
        raise EncodeError(f"{ffprobe_bin} not found; install ffmpeg") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise EncodeError(f"ffprobe could not read {path}: {lines[-1] if lines else 'no message'}")
    info = json.loads(done.stdout)
    if not info.get("streams"):
        raise EncodeError(f"{path} has no video stream")
    stream, fmt = info["streams"][0], info.get("format", {})
    rate = stream.get("avg_frame_rate") or "0/1"
    if rate in ("0/0", "0/1"):
        rate = stream.get("r_frame_rate") or "0/1"
    frames = stream.get("nb_read_frames") or stream.get("nb_frames")
    tags = {k.lower(): v for k, v in (fmt.get("tags") or {}).items()}
    return {
        "codec": stream.get("codec_name"),
        "pix_fmt": stream.get("pix_fmt"),
        "fps": float(Fraction(rate)) if rate != "0/0" else 0.0,
        "width": int(stream["width"]),
        "height": int(stream["height"]),
        "duration": float(fmt.get("duration") or stream.get("duration") or 0.0),
        "nb_frames": int(frames) if frames is not None else None,
        "tags": tags,
    }
