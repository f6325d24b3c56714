"""motion_checks on synthetic tracks that must fail (a jump, a glitch, a too-fast joint, a hand inside
the chest) and pass (rest, a smooth fast movement); the body volumes against the avatar's mesh."""

import numpy as np
import pytest

from signavatar.avatar.quaternions import quat_from_axis_angle
from signavatar.avatar.rig import DEFAULT_ASSET, load_avatar
from signavatar.gloss_to_pose.motion_checks import (
    BODY_VOLUMES,
    CONTACT_TOLERANCE_M,
    JOINT_SPEED_LIMITS_DEG_S,
    angular_speeds,
    bone_length_error,
    bone_lengths_constant,
    joint_group,
    jumps,
    penetrations,
    speed_violations,
)
from signavatar.kinematics.arm_ik import ArmIK
from signavatar.types import PoseTrack

FPS = 25.0


@pytest.fixture(scope="module")
def avatar():
    return load_avatar()


def _track(sk, rotations: np.ndarray, root: np.ndarray | None = None) -> PoseTrack:
    t = rotations.shape[0]
    return PoseTrack(fps=FPS, skeleton_id=sk.skeleton_id, joint_names=sk.names, rotations=rotations,
                     root=np.zeros((t, 3)) if root is None else root, face=np.zeros((t, 0)), face_channels=(),
                     labels=tuple("" for _ in range(t)))


def _turning(sk, joint: str, angles_deg: np.ndarray, axis=(1.0, 0.0, 0.0)) -> PoseTrack:
    q = sk.identity(len(angles_deg))
    q[:, sk.index(joint)] = quat_from_axis_angle(np.asarray(axis), np.radians(angles_deg))
    return _track(sk, q)


def _eased(total_deg: float, frames: int, hold: int = 5) -> np.ndarray:
    s = np.linspace(0.0, 1.0, frames)
    return np.r_[np.zeros(hold), total_deg * (3 * s**2 - 2 * s**3), np.full(hold, total_deg)]


def test_rest_passes_every_check(avatar) -> None:
    sk = avatar.skeleton
    rest = _track(sk, sk.identity(30))
    assert speed_violations(rest, sk) == [] and jumps(rest) == [] and penetrations(rest, sk) == []
    assert bone_lengths_constant(rest, sk) and np.allclose(angular_speeds(rest), 0.0)


def test_angular_speed_is_radians_per_second_of_the_local_rotation(avatar) -> None:
    sk = avatar.skeleton
    track = _turning(sk, "lowerarm01.R", np.arange(10) * 4.0)  # 4 deg per frame = 100 deg/s
    speeds = angular_speeds(track)
    assert speeds.shape == (9, sk.num_joints)
    assert np.allclose(np.degrees(speeds[:, sk.index("lowerarm01.R")]), 100.0, atol=1e-6)
    assert np.allclose(np.delete(speeds, sk.index("lowerarm01.R"), axis=1), 0.0)


def test_a_too_fast_joint_is_named_with_frame_speed_and_limit(avatar) -> None:
    sk = avatar.skeleton
    assert joint_group("finger2-3.L") == "finger" and joint_group("wrist.R") == "hand"
    assert joint_group("upperarm02.R") == "upper arm" and joint_group("spine03") == "trunk"
    limit = JOINT_SPEED_LIMITS_DEG_S["forearm"]
    fast = _turning(sk, "lowerarm01.R", _eased(120.0, 6))  # peaks at ~ 1.5 x 120 / 5 frames = 36 deg/frame
    problems = speed_violations(fast, sk)
    assert len(problems) == 1 and problems[0].startswith("lowerarm01.R:") and f"limit {limit:.0f}" in problems[0]
    slow = _turning(sk, "lowerarm01.R", _eased(120.0, 25))
    assert speed_violations(slow, sk) == []


def test_a_pop_and_a_glitch_frame_are_jumps_but_a_fast_eased_movement_is_not(avatar) -> None:
    sk = avatar.skeleton
    pop = np.r_[np.zeros(8), np.full(8, 25.0)]  # a 25 degree step between two holds
    problems = jumps(_turning(sk, "finger2-2.R", pop))
    assert len(problems) == 1 and "finger2-2.R: pops 25.0 deg from frame 7" in problems[0]
    glitch = np.zeros(16)
    glitch[8] = 20.0  # one wrong frame
    problems = jumps(_turning(sk, "wrist.L", glitch))
    assert any("frame 8" in p and "glitch" in p for p in problems), problems
    # the sequencer's fast handshape changes: ~90 degrees eased over 6 frames, 34 degrees in the middle step
    assert jumps(_turning(sk, "finger2-2.R", _eased(90.0, 6))) == []
    tap = 15.0 * np.sin(np.linspace(0, 4 * np.pi, 40))  # tapping twice a second: slows at the turns
    assert jumps(_turning(sk, "finger2-1.R", tap)) == []


def test_bone_lengths_stay_constant_for_rotations_and_root_motion(avatar) -> None:
    sk = avatar.skeleton
    rng = np.random.default_rng(1)
    q = rng.normal(size=(12, sk.num_joints, 4))
    q /= np.linalg.norm(q, axis=-1, keepdims=True)
    track = _track(sk, q, root=rng.normal(scale=0.1, size=(12, 3)))
    assert bone_length_error(track, sk) < 1e-9 and bone_lengths_constant(track, sk)


def _reach(sk, target: np.ndarray, frames: int = 10) -> PoseTrack:
    """The right wrist moved from rest to `target` (metres) by the arm IK, fingers straight."""
    ik = ArmIK(sk, "R")
    start = sk.rest[sk.index("wrist.R")]
    q = sk.identity(frames)
    for t, s in enumerate(np.linspace(0.0, 1.0, frames)):
        for j, r in ik.solve(start + s * (target - start), np.eye(3)).items():
            q[t, j] = r
    return _track(sk, q)


def test_a_hand_inside_the_chest_is_a_penetration_and_touching_it_is_not(avatar) -> None:
    sk = avatar.skeleton
    chest = next(v for v in BODY_VOLUMES if v.name == "chest")
    front = np.array([0.0, 0.33, chest.centre[2] + chest.axes[2]])  # the chest's front surface
    through = penetrations(_reach(sk, front - np.array([0.0, 0.0, 0.06])), sk)
    assert through and {p.part for p in through} >= {"chest"}
    deepest = max(through, key=lambda p: p.depth_m)
    assert deepest.part == "chest" and deepest.depth_m > CONTACT_TOLERANCE_M and deepest.joint.endswith(".R")
    touch = penetrations(_reach(sk, front + np.array([0.0, 0.0, 0.06])), sk)
    assert touch == [], touch


def _inside_mesh(points: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """(P,) bool: inside by ray parity along the six axis directions, a majority of 4 (the mesh has
    small openings at the eyes and the mouth that single rays slip through)."""
    votes = np.zeros(len(points), dtype=int)
    a, b, c = triangles[:, 0], triangles[:, 1], triangles[:, 2]
    lo, hi = np.minimum(np.minimum(a, b), c), np.maximum(np.maximum(a, b), c)
    for axis in range(3):
        u, w = (k for k in range(3) if k != axis)
        den = (b[:, u] - a[:, u]) * (c[:, w] - a[:, w]) - (c[:, u] - a[:, u]) * (b[:, w] - a[:, w])
        for i, p in enumerate(points):
            m = (lo[:, u] <= p[u]) & (p[u] <= hi[:, u]) & (lo[:, w] <= p[w]) & (p[w] <= hi[:, w]) & (np.abs(den) > 0)
            A, B, C, D = a[m], b[m], c[m], den[m]
            s = ((p[u] - A[:, u]) * (C[:, w] - A[:, w]) - (C[:, u] - A[:, u]) * (p[w] - A[:, w])) / D
            t = ((B[:, u] - A[:, u]) * (p[w] - A[:, w]) - (p[u] - A[:, u]) * (B[:, w] - A[:, w])) / D
            hit = (s >= 0) & (t >= 0) & (s + t <= 1)
            along = A[hit, axis] + s[hit] * (B[hit, axis] - A[hit, axis]) + t[hit] * (C[hit, axis] - A[hit, axis])
            votes[i] += np.count_nonzero(along > p[axis]) % 2 + np.count_nonzero(along < p[axis]) % 2
    return votes >= 4


def _surface_points(volume, inset: float, rng: np.random.Generator, k: int = 300) -> np.ndarray:
    """k points `inset` metres inside the volume's surface (rest coordinates)."""
    c = np.asarray(volume.centre)
    u = rng.normal(size=(k, 3))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    if volume.shape == "ellipsoid":
        return c + u * (np.asarray(volume.axes) - inset)
    if volume.shape == "cylinder":
        th, y = rng.uniform(0, 2 * np.pi, k), rng.uniform(volume.y[0] + inset, volume.y[1] - inset, k)
        return np.stack([c[0] + (volume.axes[0] - inset) * np.cos(th), y,
                         c[2] + (volume.axes[2] - inset) * np.sin(th)], axis=1)
    axis = (np.asarray(volume.end) - c) / np.linalg.norm(np.asarray(volume.end) - c)
    u -= (u @ axis)[:, None] * axis
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    return c + rng.uniform(0, 1, (k, 1)) * (np.asarray(volume.end) - c) + u * (volume.radius - inset)


@pytest.mark.slow
def test_the_body_volumes_lie_just_inside_the_avatars_mesh(avatar) -> None:
    groups = np.load(DEFAULT_ASSET, allow_pickle=False)["vertex_group"]
    faces = avatar.faces[(groups[avatar.faces] != "helper-hair").all(axis=1)]  # skin, eyes, teeth, tongue
    triangles = avatar.vertices.astype(np.float64)[faces]
    vertices = avatar.vertices[groups == "body"].astype(np.float64)
    rng = np.random.default_rng(0)
    for volume in BODY_VOLUMES:
        # 1 cm under the volume's surface is inside the body: a reported penetration is real
        pts = _surface_points(volume, 0.01, rng)
        # ... except in the open mouth cavity behind the lips, which a hand cannot reach without
        # passing the lips (already inside the head or jaw volume there)
        mouth = (np.abs(pts[:, 0]) < 0.035) & (pts[:, 1] > 0.63) & (pts[:, 1] < 0.70) & (pts[:, 2] > 0.05)
        inside = _inside_mesh(pts[~mouth], triangles)
        assert inside.mean() >= 0.97, (volume.name, inside.mean(), pts[~mouth][~inside][:3])
        # and the volume fills the body: its surface is near the skin
        surface = _surface_points(volume, 0.0, rng, 200)
        gap = np.sqrt(((surface[:, None] - vertices[None]) ** 2).sum(-1).min(axis=1))
        assert np.median(gap) < 0.03, (volume.name, np.median(gap))
