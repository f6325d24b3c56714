"""Two-bone inverse kinematics for one arm: wrist position + hand orientation -> joint rotations.

The elbow is a hinge (flexion only, about the rest-pose hinge axis), the elbow swings out and down
(pole vector), and forearm twist is shared between the twist bone (lowerarm02) and the wrist so
the skin does not wrap like a sweet paper. Local rotations follow skeleton.py's convention.
"""

from __future__ import annotations

import numpy as np

from signavatar.avatar.quaternions import quat_between, quat_from_axis_angle, quat_from_matrix, quat_to_matrix
from signavatar.avatar.skeleton import Skeleton
from signavatar.typed import FloatArray

TWIST_SHARE = 0.6  # part of the hand's twist about the forearm carried by the forearm twist bone


def _unit(v: FloatArray) -> FloatArray:
    unit: FloatArray = v / np.linalg.norm(v)
    return unit


def _frame(a: FloatArray, b: FloatArray) -> FloatArray:
    """Orthonormal frame (3, 3) with first column a and second column b made perpendicular to a."""
    a = _unit(a)
    b = _unit(b - a * (a @ b))
    return np.stack([a, b, np.cross(a, b)], axis=1)


class ArmIK:
    def __init__(self, skeleton: Skeleton, side: str) -> None:
        self.side = side
        rest = skeleton.rest
        self.j_upper = skeleton.index(f"upperarm01.{side}")
        self.j_lower = skeleton.index(f"lowerarm01.{side}")
        self.j_twist = skeleton.index(f"lowerarm02.{side}")
        self.j_wrist = skeleton.index(f"wrist.{side}")
        self.shoulder = rest[self.j_upper]
        elbow = rest[self.j_lower]
        wrist = rest[self.j_wrist]
        self.u0 = elbow - self.shoulder
        self.f0 = wrist - elbow
        self.len_upper = float(np.linalg.norm(self.u0))
        self.len_fore = float(np.linalg.norm(self.f0))
        self.sign = -1.0 if side == "R" else 1.0  # "out" along x for this side
        # flexing the elbow brings the forearm forward and up
        self.hinge0 = _unit(np.cross(self.u0, np.array([0.0, 0.0, 1.0])))
        self.rest_bend = float(np.arccos(np.clip(_unit(self.u0) @ _unit(self.f0), -1, 1)))

    @property
    def reach(self) -> float:
        return self.len_upper + self.len_fore

    def solve(
        self, wrist_target: FloatArray, hand_rotation: FloatArray, elbow_hint: FloatArray | None = None
    ) -> dict[int, FloatArray]:
        """Local quaternions for upper arm, elbow, forearm twist and wrist.

        wrist_target (3,) world position; hand_rotation (3, 3) world rotation of the hand relative
        to its rest orientation; elbow_hint (3,) a world point the elbow should lean toward.
        """
        to_target = wrist_target - self.shoulder
        dist = float(np.clip(np.linalg.norm(to_target), abs(self.len_upper - self.len_fore) + 1e-3, self.reach - 1e-3))
        axis = _unit(to_target)
        # pole: toward an observed elbow if given, else elbows out to the side, down and a little back
        default = np.array([self.sign * 0.8, -1.0, -0.35])
        pole = default if elbow_hint is None else np.asarray(elbow_hint, dtype=np.float64) - self.shoulder
        pole = pole - axis * (pole @ axis)
        if np.linalg.norm(pole) < 1e-6:
            pole = default - axis * (default @ axis)
        pole = _unit(pole)
        a = (self.len_upper**2 - self.len_fore**2 + dist**2) / (2 * dist)
        h = np.sqrt(max(self.len_upper**2 - a**2, 0.0))
        elbow = self.shoulder + a * axis + h * pole
        wrist = self.shoulder + dist * axis
        return self.solve_directions(elbow - self.shoulder, wrist - elbow, hand_rotation, pole)

    def solve_directions(
        self, upper_dir: FloatArray, fore_dir: FloatArray, hand_rotation: FloatArray, pole: FloatArray | None = None
    ) -> dict[int, FloatArray]:
        """Local quaternions that point the upper arm along `upper_dir` and the forearm along
        `fore_dir` (world, any length: the avatar keeps its own bone lengths) with the hand at
        `hand_rotation` (3, 3). `solve` finds the directions; this turns them into rotations."""
        u1 = _unit(np.asarray(upper_dir, dtype=np.float64)) * self.len_upper
        f1 = _unit(np.asarray(fore_dir, dtype=np.float64)) * self.len_fore
        hinge1 = np.cross(u1, f1)
        if np.linalg.norm(hinge1) < 1e-6 * self.len_upper * self.len_fore:
            fallback = pole if pole is not None else np.array([self.sign * 0.8, -1.0, -0.35])
            hinge1 = np.cross(u1, fallback)
        r_upper = _frame(u1, hinge1) @ _frame(self.u0, self.hinge0).T
        bend = float(np.arccos(np.clip(_unit(u1) @ _unit(f1), -1, 1)))
        q_elbow = quat_from_axis_angle(self.hinge0, bend - self.rest_bend)
        r_lower = r_upper @ quat_to_matrix(q_elbow)
        # exact correction for the rest forearm not lying in the hinge plane
        fix = quat_to_matrix(quat_between(r_lower @ self.f0, f1))
        r_lower = fix @ r_lower
        q_upper = quat_from_matrix(r_upper)
        q_lower = quat_from_matrix(r_upper.T @ r_lower)
        # hand relative to the forearm, split into twist about the forearm and the rest
        rel = r_lower.T @ hand_rotation
        q_rel = quat_from_matrix(rel)
        f_axis = _unit(self.f0)
        proj = np.concatenate([[q_rel[0]], f_axis * (q_rel[1:] @ f_axis)])
        twist_angle = 2.0 * np.arctan2(np.linalg.norm(proj[1:]) * np.sign(q_rel[1:] @ f_axis), proj[0])
        q_twist = quat_from_axis_angle(f_axis, TWIST_SHARE * twist_angle)
        r_twist = quat_to_matrix(q_twist)
        q_wrist = quat_from_matrix(r_twist.T @ rel)
        return {self.j_upper: q_upper, self.j_lower: q_lower, self.j_twist: q_twist, self.j_wrist: q_wrist}
