"""Resampling a PoseTrack to another frame rate, in rotation space (slerp), so bones never stretch."""

from __future__ import annotations

import numpy as np

from signavatar.avatar.quaternions import quat_slerp
from signavatar.types import PoseTrack


def resample_track(track: PoseTrack, fps: float) -> PoseTrack:
    """The same motion sampled at `fps` (its duration is kept)."""
    if abs(track.fps - fps) < 1e-9:
        return track
    n = max(1, int(round((track.num_frames - 1) * fps / track.fps)) + 1)
    src = np.arange(n) * track.fps / fps  # fractional source frame of each new frame
    i0 = np.clip(np.floor(src).astype(int), 0, track.num_frames - 1)
    i1 = np.clip(i0 + 1, 0, track.num_frames - 1)
    u = (src - i0)[:, None]
    rot = quat_slerp(track.rotations[i0], track.rotations[i1], u)
    return PoseTrack(
        fps=float(fps),
        skeleton_id=track.skeleton_id,
        joint_names=track.joint_names,
        rotations=rot.astype(np.float32),
        root=((1 - u) * track.root[i0] + u * track.root[i1]).astype(np.float32),
        face=((1 - u) * track.face[i0] + u * track.face[i1]).astype(np.float32),
        face_channels=track.face_channels,
        labels=tuple(track.labels[k] for k in np.rint(src).astype(int).clip(0, track.num_frames - 1)),
    )
