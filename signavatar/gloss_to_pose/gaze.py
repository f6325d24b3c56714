"""Eye gaze: at the viewer by default, following the dominant hand on signs that place something.

The eyes (joints eye.R / eye.L, children of head; the eyeballs are meshes skinned to them) look at
VIEWER, the product camera, through whatever the head does. On a sign that points at or names a
place in signing space (POINTING_GLOSSES, and signs moved forward by the translator's rule
place-after-time) the gaze moves to the tip of the right index finger and back, eased over
GAZE_RAMP_S, so the eyes turn smoothly (a few degrees per frame at most). Angles are
held inside what eyes do comfortably (MAX_YAW_DEG, MAX_DOWN_DEG, MAX_UP_DEG).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from signavatar.avatar.quaternions import quat_from_axis_angle, quat_mul
from signavatar.avatar.skeleton import Skeleton
from signavatar.gloss_to_pose.nonmanual_timing import Span, envelope, runs
from signavatar.typed import FloatArray
from signavatar.types import GlossToken

#: the product camera's eye in world metres (pose_to_frames.renderer.Camera(): its target
#: (0, 0.47, 0) seen from 2.4 m along +Z); tests/gloss_to_pose/test_gaze.py keeps the two equal
VIEWER = np.array([0.0, 0.47, 2.4])
POINTING_GLOSSES = frozenset({"DORT", "HIER"})
PLACE_RULES = frozenset({"place-after-time"})
HAND_POINT = "finger2-3.R"  # the last joint of the right index finger
MAX_YAW_DEG, MAX_DOWN_DEG, MAX_UP_DEG = 25.0, 20.0, 15.0
SMOOTH_S = 0.08  # the eyes follow the hand low-passed by a Gaussian this wide (seconds, sigma)
GAZE_RAMP_S = 0.3  # seconds the eyes take to reach the hand and to come back (about 5 degrees a frame)


def looks_at_hand(token: GlossToken) -> bool:
    """True for a sign the eyes follow: a pointing sign or a place the translator set in space."""
    return token.gloss in POINTING_GLOSSES or token.rule in PLACE_RULES


def eye_angles(direction: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(yaw, pitch) radians that turn the eye's rest direction +Z to `direction` (..., 3), in the
    head's axes: yaw about +Y (toward the signer's left, +X), pitch about +X (down), clamped."""
    d = direction / np.linalg.norm(direction, axis=-1, keepdims=True)
    yaw = np.arctan2(d[..., 0], d[..., 2])
    pitch = np.arcsin(np.clip(-d[..., 1], -1.0, 1.0))
    yaw = np.clip(yaw, -np.radians(MAX_YAW_DEG), np.radians(MAX_YAW_DEG))
    return yaw, np.clip(pitch, -np.radians(MAX_UP_DEG), np.radians(MAX_DOWN_DEG))


def apply_gaze(spans: Sequence[Span], ts: FloatArray, rot: FloatArray, skeleton: Skeleton) -> None:
    """Set the eye joints' rotations in `rot` (T, J, 4) in place, after every other joint is final."""
    follow = envelope(ts, runs(spans, looks_at_hand), GAZE_RAMP_S)[:, None]  # (T, 1)
    world_r, world_p = skeleton.forward(rot)  # (T, J, 3, 3), (T, J, 3)
    head_r = world_r[:, skeleton.index("head")]
    hand = world_p[:, skeleton.index(HAND_POINT)]
    for name in ("eye.R", "eye.L"):
        eye = world_p[:, skeleton.index(name)]
        to_viewer = VIEWER - eye
        to_hand = _smoothed(_unit(hand - eye), ts)  # eyes track a hand's path, not each jolt of it
        # blend unit directions, not points: the viewer is 2.4 m away, the hand 0.4 m
        direction = (1 - follow) * _unit(to_viewer) + follow * _unit(to_hand)
        local = np.einsum("tji,tj->ti", head_r, direction)  # into the head's axes: R^T d
        yaw, pitch = eye_angles(local)
        rot[:, skeleton.index(name)] = quat_mul(
            quat_from_axis_angle(np.array([0.0, 1.0, 0.0]), yaw), quat_from_axis_angle(np.array([1.0, 0.0, 0.0]), pitch)
        )


def _smoothed(v: FloatArray, ts: FloatArray) -> FloatArray:
    """(T, 3) `v` low-passed over time by a Gaussian of SMOOTH_S seconds (edges held)."""
    if len(ts) < 2:
        return v
    sigma = SMOOTH_S / float(ts[1] - ts[0])
    k = np.arange(-int(3 * sigma), int(3 * sigma) + 1)
    kernel = np.exp(-0.5 * (k / sigma) ** 2)
    kernel /= kernel.sum()
    padded = np.pad(v, ((len(k) // 2, len(k) // 2), (0, 0)), mode="edge")
    out: FloatArray = np.stack([np.convolve(padded[:, d], kernel, mode="valid") for d in range(v.shape[1])], axis=1)
    return out


def _unit(v: FloatArray) -> FloatArray:
    out: FloatArray = v / np.linalg.norm(v, axis=-1, keepdims=True)
    return out
