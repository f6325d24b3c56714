"""The rotation filter of capture: one-frame glitches go, snaps are eased, real motion stays."""

import numpy as np
import pytest

from signavatar.avatar.quaternions import quat_from_axis_angle
from signavatar.capture.rotation_filter import RotationFilter, aligned, filter_rotations
from signavatar.gloss_to_pose.motion_checks import jumps
from signavatar.types import PoseTrack


def _track(angles_deg: np.ndarray) -> np.ndarray:
    """(T, 1, 4) rotations about x by the given angles."""
    return np.stack([quat_from_axis_angle(np.array([1.0, 0.0, 0.0]), np.radians(a)) for a in angles_deg])[:, None]


def _angles(q: np.ndarray) -> np.ndarray:
    q = aligned(q)[:, 0]
    return np.degrees(2.0 * np.arctan2(q[:, 1], q[:, 0]))


def _as_pose_track(q: np.ndarray) -> PoseTrack:
    n = len(q)
    return PoseTrack(fps=25.0, skeleton_id="test", joint_names=("finger2-2.R",), rotations=q.astype(np.float32),
                     root=np.zeros((n, 3), np.float32), face=np.zeros((n, 0), np.float32), face_channels=(),
                     labels=tuple("" for _ in range(n)))


def test_a_one_frame_glitch_is_removed_and_two_frames_too() -> None:
    for width in (1, 2):
        a = np.full(20, 30.0)
        a[8:8 + width] = 55.0
        q = _track(a)
        assert jumps(_as_pose_track(q))  # the check sees it
        out = filter_rotations(q)
        assert np.allclose(_angles(out), 30.0, atol=1e-4), width
        assert np.allclose(np.linalg.norm(out, axis=-1), 1.0)


def test_a_snap_is_eased_and_the_end_poses_are_kept() -> None:
    a = np.where(np.arange(20) < 10, 0.0, 25.0)
    out = filter_rotations(_track(a))
    got = _angles(out)
    assert not jumps(_as_pose_track(out))
    assert got[0] == pytest.approx(0.0, abs=1e-6) and got[-1] == pytest.approx(25.0, abs=1e-6)
    assert np.all(np.diff(got) >= -1e-6)  # still monotonic: no overshoot


def test_a_smooth_movement_passes_nearly_unchanged() -> None:
    a = 40.0 * np.sin(np.linspace(0.0, np.pi, 25))  # 1 s up and back at 25 fps
    got = _angles(filter_rotations(_track(a)))
    assert np.abs(got - a).max() < 2.5


def test_sign_flips_of_the_quaternions_do_not_matter() -> None:
    q = _track(np.linspace(0.0, 20.0, 10))
    flipped = q.copy()
    flipped[1::2] *= -1.0
    assert np.allclose(aligned(filter_rotations(flipped)), aligned(filter_rotations(q)), atol=1e-9)


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError):
        RotationFilter(median_frames=4)
    with pytest.raises(ValueError):
        RotationFilter(passes=-1)
    assert np.allclose(filter_rotations(_track(np.array([0.0, 50.0])), RotationFilter()), _track(np.array([0.0, 50.0])))
