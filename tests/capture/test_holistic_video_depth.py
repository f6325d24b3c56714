"""Arm depth rebuilt from bone lengths: MediaPipe's x and y kept, z from how much of each bone the
picture shows."""

from __future__ import annotations

import numpy as np

from signavatar.capture.holistic_video import HolisticFrames, arm_depth_from_lengths


def _frames(body: np.ndarray) -> HolisticFrames:
    t = len(body)
    nan = np.full((t, 21, 3), np.nan)
    return HolisticFrames(fps=25.0, body=body, left_hand=nan, right_hand=nan, face=np.full((t, 478, 3), np.nan))


def _arm(t: int, forward: np.ndarray, upper: float = 0.3, fore: float = 0.25) -> np.ndarray:
    """(t, 33, 3) bodies: shoulders 0.4 apart; the right upper arm hangs straight down in the picture
    plane, the forearm tilts toward the camera by `forward` (t,) radians from hanging down."""
    body = np.full((t, 33, 3), np.nan)
    body[:, 11] = (0.2, 0.0, 0.0)
    body[:, 12] = (-0.2, 0.0, 0.0)
    body[:, 14] = body[:, 12] + (0.0, -upper, 0.0)
    body[:, 16, 0] = body[:, 14, 0]
    body[:, 16, 1] = body[:, 14, 1] - fore * np.cos(forward)
    body[:, 16, 2] = body[:, 14, 2] + 0.01  # MediaPipe's own z only says "in front"
    return body


def test_the_forearm_depth_comes_from_its_longest_picture() -> None:
    # the clip starts at rest (forearm in the picture plane), then the forearm turns toward the camera
    angles = np.radians(np.r_[np.zeros(6), np.linspace(0, 60, 10)])
    done = arm_depth_from_lengths(_frames(_arm(16, angles)), upper=0.2, fore=0.3, shoulder_width=0.5)
    wrist, elbow = done.body[:, 16], done.body[:, 14]
    want = 0.25 * np.sin(angles)  # the true depth: the recording's own forearm length, not the avatar's
    assert np.allclose(wrist[:, 2] - elbow[:, 2], want, atol=0.01)
    assert np.allclose(done.body[:, 14, 2], done.body[:, 12, 2], atol=1e-6)  # the hanging upper arm: no depth
    assert np.array_equal(done.body[:, :, :2], _arm(16, angles)[:, :, :2], equal_nan=True)  # x, y untouched


def test_a_short_clip_falls_back_to_the_avatar_s_proportions() -> None:
    angles = np.radians(np.array([30.0, 45.0, 60.0]))
    # avatar forearm 0.25 with shoulders 0.4 apart: the recording's shoulders are 0.4 too
    done = arm_depth_from_lengths(_frames(_arm(3, angles)), upper=0.3, fore=0.25, shoulder_width=0.4)
    assert np.allclose(done.body[:, 16, 2] - done.body[:, 14, 2], 0.25 * np.sin(angles), atol=1e-6)
