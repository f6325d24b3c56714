"""Is an uploaded video one we capture a sign from? Its type, length and picture size, read by
ffprobe from the content (never from the file's name), checked against the limits.

Accepted: MP4 and MOV/QuickTime (ffprobe's "mov,mp4,..." family) and WebM/Matroska, with a video
stream in one of VIDEO_CODECS (what phones and browsers record: Safari H.264/HEVC in MP4,
Chrome and Firefox VP8/VP9 in WebM). Browsers' MediaRecorder writes WebM without a duration in
its header, so a missing duration is read from the last video packet's time instead of refusing
the file. Every refusal says what to change.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from signavatar.errors import InvalidInputError

#: ffprobe's format_name of the containers we take -> the name a reviewer knows
CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2": "MP4/MOV", "matroska,webm": "WebM"}
VIDEO_CODECS = frozenset({"h264", "hevc", "vp8", "vp9", "av1", "mpeg4"})
#: the picture's shorter side at least (MediaPipe reads no fingers below), its longer side at most
#: (decoding 4K frames for every landmark pass only costs time: 1080p is plenty for hands)
MIN_SIDE_PX = 200
MAX_SIDE_PX = 1920
MIN_SECONDS = 0.5
PROBE_TIMEOUT_S = 30.0
TYPES_HINT = "send an MP4, WebM or MOV (QuickTime) video"


class RecordingRefused(InvalidInputError):
    """The upload is not a video we capture from; the message says what to change. `status` is
    the HTTP status a service answers with (413 for too large, 415 for the wrong type, else 400)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class RecordingInfo:
    """What ffprobe read: container ("MP4/MOV" or "WebM"), video codec, picture size in pixels,
    frames per second, duration in seconds, file size in bytes."""

    container: str
    codec: str
    width: int
    height: int
    fps: float
    duration: float
    size: int


@dataclass(frozen=True)
class RecordingLimits:
    """The most a recording may be: bytes and seconds (Settings.max_recording_bytes / _s)."""

    max_bytes: int = 30 * 1024 * 1024
    max_seconds: float = 10.0


def probe_recording(path: Path, limits: RecordingLimits, ffprobe_bin: str = "ffprobe") -> RecordingInfo:
    """The recording's RecordingInfo; RecordingRefused naming the limit it breaks."""
    path = Path(path)
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise RecordingRefused(f"the video is {_mb(size)}; the limit is {_mb(limits.max_bytes)}: "
                               "send a shorter or smaller video", 413)
    if size == 0:
        raise RecordingRefused(f"the video file is empty: {TYPES_HINT}")
    info = _ffprobe(path, ["-show_format", "-show_streams", "-select_streams", "v:0"], ffprobe_bin)
    fmt = info.get("format") or {}
    container = CONTAINERS.get(str(fmt.get("format_name", "")))
    streams = info.get("streams") or []
    if container is None or not streams:
        what = fmt.get("format_long_name") or "not a video ffmpeg can read"
        raise RecordingRefused(f"the file is {what}: {TYPES_HINT}", 415)
    stream = streams[0]
    codec = str(stream.get("codec_name", ""))
    if codec not in VIDEO_CODECS:
        raise RecordingRefused(f"the video is encoded as {codec or 'unknown'}; {TYPES_HINT} in H.264, HEVC, VP8, "
                               "VP9 or AV1 (what phones and browsers record)", 415)
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    if min(width, height) < MIN_SIDE_PX or max(width, height) > MAX_SIDE_PX:
        raise RecordingRefused(f"the picture is {width}x{height} pixels; record with sides from {MIN_SIDE_PX} to "
                               f"{MAX_SIDE_PX} pixels (720p or 1080p are right)")
    fps = _rate(stream)
    if not 5.0 <= fps <= 120.0:
        raise RecordingRefused(f"the video has {fps:g} frames per second; record with 25 to 60")
    duration = _seconds(fmt.get("duration")) or _seconds(stream.get("duration")) or _last_packet(path, ffprobe_bin)
    if duration is None:
        raise RecordingRefused(f"ffmpeg cannot tell how long the video is: {TYPES_HINT}", 415)
    if duration > limits.max_seconds:
        raise RecordingRefused(f"the video lasts {duration:.1f} s; the limit is {limits.max_seconds:g} s: "
                               "record the sign alone, from rest to rest")
    if duration < MIN_SECONDS:
        raise RecordingRefused(f"the video lasts {duration:.2f} s: record the whole sign, from rest to rest")
    return RecordingInfo(container, codec, width, height, fps, duration, size)


def _ffprobe(path: Path, args: list[str], ffprobe_bin: str) -> dict[str, Any]:
    cmd = [ffprobe_bin, "-v", "error", "-print_format", "json", *args, f"file:{path.resolve()}"]
    try:
        done = subprocess.run(cmd, capture_output=True, check=False, timeout=PROBE_TIMEOUT_S)
    except FileNotFoundError:
        raise InvalidInputError(f"{ffprobe_bin} not found; install ffmpeg") from None
    except subprocess.TimeoutExpired:
        raise RecordingRefused(f"ffmpeg could not read the video in {PROBE_TIMEOUT_S:g} s: {TYPES_HINT}", 415) from None
    if done.returncode != 0:
        return {}
    try:
        data = json.loads(done.stdout or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _last_packet(path: Path, ffprobe_bin: str) -> float | None:
    """Seconds to the end of the last video packet (pts + duration), read without decoding."""
    info = _ffprobe(path, ["-select_streams", "v:0", "-show_entries", "packet=pts_time,duration_time"], ffprobe_bin)
    ends = [(_seconds(p.get("pts_time")) or 0.0) + (_seconds(p.get("duration_time")) or 0.0)
            for p in info.get("packets") or [] if _seconds(p.get("pts_time")) is not None]
    return max(ends) if ends else None


def _seconds(value: Any) -> float | None:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if seconds == seconds and seconds >= 0 else None  # NaN is not a time


def _rate(stream: dict[str, Any]) -> float:
    for key in ("avg_frame_rate", "r_frame_rate"):
        try:
            rate = Fraction(str(stream.get(key) or "0/1"))
        except (ValueError, ZeroDivisionError):
            continue
        if rate > 0:
            return float(rate)
    return 0.0


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
