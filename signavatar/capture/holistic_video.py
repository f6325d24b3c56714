"""A video of a signer -> MediaPipe Holistic landmarks (HolisticFrames), ready for the Retargeter.

The video is decoded by ffmpeg (an argument list, the path behind `file:` so no protocol or option
can hide in a file name; raw RGB frames on a pipe, one frame in memory at a time) and each frame
goes through `mediapipe.solutions.holistic` (video mode, models inside the mediapipe 0.10.21 wheel,
nothing downloaded). `.pose` files (pose-format) are read by `pose_file.read_holistic` instead.

Landmark spaces (all in our axes, see retarget.to_ours):
  hands, face: image landmarks in pixels, z scaled by the frame width as MediaPipe defines it, so
      the hands keep their depth (the Retargeter uses only their directions).
  body: `world` (default) = POSE_WORLD_LANDMARKS, metres, hip-centred, with MediaPipe's depth
      model behind z; `image` = image landmarks in pixels with z scaled like the hands.
Measured on our own renders (benchmarks/roundtrip.py, BENCHMARKS.md "Capture round trip"): world
landmarks gave 15-23 deg avatar arm rotation error against 22-36 deg for image ones, and MediaPipe's
depth is its weakest coordinate, hence arm_depth_from_lengths.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from signavatar.capture.retarget import HolisticFrames, to_ours
from signavatar.errors import InvalidInputError
from signavatar.typed import FloatArray, UInt8Array

#: which body landmarks to use for video input (world: see the module docstring and BENCHMARKS.md)
BODY_SPACE = "world"
BODY_SPACES = ("world", "image")
FACE_POINTS = 468
#: recordings longer than this are refused (a lexicon sign lasts a few seconds)
MAX_SECONDS = 60.0


class NoSignerError(InvalidInputError):
    """MediaPipe found no person with a visible hand in the recording."""


@dataclass(frozen=True)
class VideoInfo:
    """The first video stream: frame size in pixels, frames per second, duration in seconds."""

    width: int
    height: int
    fps: float
    duration: float


def probe(path: Path, ffprobe_bin: str = "ffprobe") -> VideoInfo:
    """Size and frame rate of the first video stream; InvalidInputError when there is none."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInputError(f"{path}: no such file")
    cmd = [ffprobe_bin, "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
           "-select_streams", "v:0", f"file:{path.resolve()}"]
    try:
        done = subprocess.run(cmd, capture_output=True, check=False, timeout=60)
    except FileNotFoundError:
        raise InvalidInputError(f"{ffprobe_bin} not found; install ffmpeg") from None
    info: dict[str, Any] = json.loads(done.stdout or b"{}") if done.returncode == 0 else {}
    streams = info.get("streams") or []
    if not streams or "width" not in streams[0]:
        raise InvalidInputError(f"{path}: not a video (ffmpeg finds no video stream)")
    stream = streams[0]
    rate = stream.get("avg_frame_rate") or "0/1"
    if rate in ("0/0", "0/1"):
        rate = stream.get("r_frame_rate") or "0/1"
    fps = float(Fraction(rate)) if rate != "0/0" else 0.0
    if not 1.0 <= fps <= 240.0:
        raise InvalidInputError(f"{path}: not a video with a usable frame rate ({rate})")
    duration = float(info.get("format", {}).get("duration") or stream.get("duration") or 0.0)
    return VideoInfo(int(stream["width"]), int(stream["height"]), fps, duration)


def decode_frames(path: Path, info: VideoInfo, ffmpeg_bin: str = "ffmpeg") -> Iterator[UInt8Array]:
    """The frames of `path` as RGB uint8 arrays (H, W, 3), decoded by ffmpeg one at a time."""
    cmd = [ffmpeg_bin, "-v", "error", "-nostdin", "-i", f"file:{Path(path).resolve()}", "-map", "0:v:0",
           "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
    size = info.width * info.height * 3
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    try:
        while True:
            buf = proc.stdout.read(size)
            if len(buf) < size:
                break
            yield np.frombuffer(buf, dtype=np.uint8).reshape(info.height, info.width, 3)
    finally:
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace").strip().splitlines()
        proc.stderr.close()
        code = proc.wait()
    if code != 0:
        raise InvalidInputError(f"{path}: ffmpeg could not decode it: {err[-1] if err else code}")


@contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """MediaPipe's C++ side logs (TFLite delegate, absl) straight to file descriptor 2; while
    Holistic runs, that goes to /dev/null so a CLI failure stays one line. Process-wide for that
    time, which is why only capture uses it."""
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def landmark_points(landmarks: Any, n: int, w: int, h: int) -> FloatArray:
    """(n, 3) pixels (x, y, z*w) of a MediaPipe landmark list, NaN when absent."""
    if landmarks is None:
        return np.full((n, 3), np.nan)
    return np.array([[p.x * w, p.y * h, p.z * w] for p in landmarks.landmark][:n], dtype=np.float64)


def run_holistic(frames: Iterator[UInt8Array], info: VideoInfo, body_space: str = BODY_SPACE,
                 model_complexity: int = 1) -> HolisticFrames:
    """Holistic landmarks of every frame (video mode: tracking between frames), in our axes."""
    if body_space not in BODY_SPACES:
        raise InvalidInputError(f"body_space must be one of {', '.join(BODY_SPACES)}, got {body_space!r}")
    import mediapipe as mp  # heavy, only when a video is captured

    w, h = info.width, info.height
    body, left, right, face = [], [], [], []
    with native_stderr_silenced():
        holistic = mp.solutions.holistic.Holistic(static_image_mode=False, model_complexity=model_complexity,
                                                  smooth_landmarks=True, refine_face_landmarks=False)
        try:
            for image in frames:
                r = holistic.process(np.ascontiguousarray(image))
                if body_space == "world":
                    world = r.pose_world_landmarks
                    body.append(np.full((33, 3), np.nan) if world is None else
                                np.array([[p.x, p.y, p.z] for p in world.landmark]))
                else:
                    body.append(landmark_points(r.pose_landmarks, 33, w, h))
                # Holistic's left/right are the signer's own hands, as in pose-format files
                left.append(landmark_points(r.left_hand_landmarks, 21, w, h))
                right.append(landmark_points(r.right_hand_landmarks, 21, w, h))
                face.append(landmark_points(r.face_landmarks, FACE_POINTS, w, h))
        finally:
            holistic.close()
    if len(body) < 2:
        raise InvalidInputError(f"the video has {len(body)} frame(s); a sign needs at least 2")
    return HolisticFrames(fps=info.fps, body=to_ours(np.stack(body)), left_hand=to_ours(np.stack(left)),
                          right_hand=to_ours(np.stack(right)), face=to_ours(np.stack(face)))


def read_signer(path: Path, body_space: str = BODY_SPACE, max_seconds: float = MAX_SECONDS) -> HolisticFrames:
    """Landmarks of the signer in a video file or a MediaPipe Holistic `.pose` file.

    InvalidInputError (one line naming the file) for a missing file, something that is not a video,
    an over-long recording; NoSignerError when no frame shows a body with a hand."""
    path = Path(path)
    if path.suffix.lower() == ".pose":
        from signavatar.capture.pose_file import read_holistic

        frames = read_holistic(path)
    else:
        info = probe(path)
        if info.duration > max_seconds:
            raise InvalidInputError(f"{path}: the video lasts {info.duration:.0f} s; the limit is {max_seconds:.0f} s")
        frames = run_holistic(decode_frames(path, info), info, body_space)
    shoulders = np.isfinite(frames.body[:, [11, 12]]).all(axis=(1, 2))
    hands = np.isfinite(frames.right_hand).all(axis=(1, 2)) | np.isfinite(frames.left_hand).all(axis=(1, 2))
    if not (shoulders & hands).any():
        raise NoSignerError(f"{path}: no signer found (MediaPipe sees no body with a hand in any frame)")
    return frames


#: a bone's length in a recording is this percentile of its lengths in the picture (robust to a
#: misread frame), when at least OWN_LENGTH_FRAMES frames show it
OWN_LENGTH_PERCENTILE = 98
OWN_LENGTH_FRAMES = 5


def arm_depth_from_lengths(frames: HolisticFrames, upper: float, fore: float, shoulder_width: float) -> HolisticFrames:
    """The body with each arm's depth rebuilt from bone lengths: MediaPipe's x and y are kept, and
    the elbow (wrist) is put |z| = sqrt(L^2 - l^2) in front of or behind the shoulder (elbow) on the
    side MediaPipe's own z says, l the bone's length in the picture, L its length in the recording:
    the OWN_LENGTH_PERCENTILE of l over the clip (a bone lies in the picture plane at some point,
    at rest at the latest), or for clips under OWN_LENGTH_FRAMES the avatar's length scaled by the
    shoulder widths (upper, fore, shoulder_width in the avatar's metres). MediaPipe's monocular depth
    is the least reliable coordinate (on our renders it put the hands 5-20 cm too far forward); the
    picture plane plus the bone lengths pin it down better. The avatar's proportions were a worse
    guess: MediaPipe's landmarks on our renders make the upper arm ~10 % longer and the forearm ~25 %
    shorter than the avatar's joints do, so upper arms hung in the picture plane and forearms pointed
    at the camera (round trip, twelve most used signs: arm joint angles 19.2 -> 15.5 degrees,
    BENCHMARKS.md). Frames without both shoulders are left."""
    body = frames.body.copy()
    rec_width = np.linalg.norm(body[:, 11, :2] - body[:, 12, :2], axis=1)  # (T,)
    scale = rec_width / shoulder_width
    for s_id, e_id, w_id in ((11, 13, 15), (12, 14, 16)):
        for a_id, b_id, length in ((s_id, e_id, upper), (e_id, w_id, fore)):
            d = body[:, b_id] - body[:, a_id]
            flat = np.linalg.norm(d[:, :2], axis=1)
            seen = np.isfinite(flat)
            # the bone's length in the recording: its longest projection, where it lay in the picture
            # plane (at rest, at the latest); the avatar's length scaled by the shoulders only for
            # clips too short to tell
            full = (np.percentile(flat[seen], OWN_LENGTH_PERCENTILE) if seen.sum() >= OWN_LENGTH_FRAMES
                    else length * scale)
            dz = np.sqrt(np.clip(full ** 2 - flat ** 2, 0.0, None))
            body[:, b_id, 2] = body[:, a_id, 2] + np.where(d[:, 2] < 0, -dz, dz)
    return HolisticFrames(fps=frames.fps, body=body, left_hand=frames.left_hand, right_hand=frames.right_hand,
                          face=frames.face)
