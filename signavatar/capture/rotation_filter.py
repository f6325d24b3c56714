"""Removing single-frame glitches and frame-to-frame jitter from retargeted joint rotations.

The One-Euro filter on the landmarks (one_euro.py) lets fast changes through by design, and a
MediaPipe hand that misreads a finger for one frame is a fast change: after retargeting it is a
finger joint that turns 15-30 degrees for one frame and straight back, or a handshape that snaps
in one frame. On the rotations, per joint and per frame:

  1. a running median over MEDIAN_FRAMES frames (of hemisphere-aligned quaternion components):
     a pose seen for fewer than half the window is replaced by its neighbours' pose;
  2. a binomial low-pass (1, 2, 1)/4 applied PASSES times: a step that is left over (a snap between
     two handshapes) is spread over a few frames, the way a human hand changes shape.

Edges repeat the first and last frame, so the ends stay where they were. Both steps work on
quaternion components and renormalise, which is exact enough for the few degrees between
neighbouring frames.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from signavatar.typed import FloatArray
from signavatar.types import PoseTrack


@dataclass(frozen=True)
class RotationFilter:
    """median_frames: odd window of the running median (1: none); passes: (1, 2, 1)/4 passes."""

    median_frames: int = 5
    passes: int = 2

    def __post_init__(self) -> None:
        if self.median_frames < 1 or self.median_frames % 2 == 0 or self.passes < 0:
            raise ValueError("RotationFilter: median_frames must be odd and >= 1, passes >= 0")


def aligned(q: FloatArray) -> FloatArray:
    """q (T, J, 4) with each frame's sign chosen to agree with the previous frame (q ~ -q)."""
    out = np.array(q, dtype=np.float64)
    for t in range(1, len(out)):
        flip = (out[t] * out[t - 1]).sum(-1) < 0
        out[t, flip] *= -1.0
    return out


def _normalised(q: FloatArray) -> FloatArray:
    unit: FloatArray = q / np.linalg.norm(q, axis=-1, keepdims=True)
    return unit


def filter_rotations(q: FloatArray, settings: RotationFilter = RotationFilter()) -> FloatArray:
    """Filtered unit quaternions (T, J, 4) of q (T, J, 4); see the module docstring."""
    out = aligned(q)
    if len(out) < 3:
        return _normalised(out)
    h = settings.median_frames // 2
    if h:
        padded = np.concatenate([np.repeat(out[:1], h, 0), out, np.repeat(out[-1:], h, 0)])
        windows = np.stack([padded[k:k + len(out)] for k in range(2 * h + 1)])
        out = _normalised(np.median(windows, axis=0))
    for _ in range(settings.passes):
        padded = np.concatenate([out[:1], out, out[-1:]])
        out = _normalised(0.25 * padded[:-2] + 0.5 * padded[1:-1] + 0.25 * padded[2:])
    return out


def filter_track(track: PoseTrack, settings: RotationFilter = RotationFilter()) -> PoseTrack:
    """The track with every joint's rotations filtered (filter_rotations)."""
    rot = filter_rotations(track.rotations, settings).astype(track.rotations.dtype)
    return replace(track, rotations=rot)
