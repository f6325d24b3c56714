"""The avatar's joint hierarchy and forward kinematics.

Convention: every joint's rest frame is aligned with the world axes (Y up, +X the signer's left,
+Z toward the viewer). A local rotation q_j is relative to the rest pose and expressed in those
axes, so the identity quaternion everywhere is the rest pose and bone lengths can never change.
World rotation R_j = R_parent(j) @ q_j; world position p_j = p_parent + R_parent (rest_j - rest_parent).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from signavatar.avatar.quaternions import quat_to_matrix
from signavatar.typed import FloatArray, IntArray

SKELETON_ID = "makehuman-default-upper-v1"


def _side(side: str) -> list[tuple[str, str]]:
    s = "." + side
    chain = [
        ("clavicle" + s, "spine01"),
        ("shoulder01" + s, "clavicle" + s),
        ("upperarm01" + s, "shoulder01" + s),
        ("upperarm02" + s, "upperarm01" + s),
        ("lowerarm01" + s, "upperarm02" + s),
        ("lowerarm02" + s, "lowerarm01" + s),
        ("wrist" + s, "lowerarm02" + s),
    ]
    for m in range(1, 5):
        chain.append((f"metacarpal{m}{s}", "wrist" + s))
    for f in range(1, 6):
        parent = "wrist" + s if f == 1 else f"metacarpal{f - 1}{s}"
        for k in range(1, 4):
            chain.append((f"finger{f}-{k}{s}", parent))
            parent = f"finger{f}-{k}{s}"
    chain.append(("eye" + s, "head"))
    return chain


#: (name, parent) in an order where every parent comes before its children.
JOINTS: tuple[tuple[str, str], ...] = tuple(
    [
        ("root", ""),
        ("spine05", "root"),
        ("spine04", "spine05"),
        ("spine03", "spine04"),
        ("spine02", "spine03"),
        ("spine01", "spine02"),
        ("neck01", "spine01"),
        ("neck02", "neck01"),
        ("neck03", "neck02"),
        ("head", "neck03"),
        ("jaw", "head"),
    ]
    + _side("R")
    + _side("L")
)

FINGERS = ("thumb", "index", "middle", "ring", "pinky")


def finger_joints(side: str, finger: str) -> tuple[str, str, str]:
    """Rig names of a finger's three joints, proximal first (`side` is "R" or "L")."""
    f = FINGERS.index(finger) + 1
    return (f"finger{f}-1.{side}", f"finger{f}-2.{side}", f"finger{f}-3.{side}")


@dataclass(frozen=True)
class Skeleton:
    """names: J joint names; parents: (J,) int, -1 for the root; rest: (J, 3) rest positions, metres."""

    skeleton_id: str
    names: tuple[str, ...]
    parents: IntArray
    rest: FloatArray

    def index(self, name: str) -> int:
        return self.names.index(name)

    @property
    def num_joints(self) -> int:
        return len(self.names)

    def forward(self, rotations: FloatArray, root: FloatArray | None = None) -> tuple[FloatArray, FloatArray]:
        """World rotations (T, J, 3, 3) and positions (T, J, 3) for local quaternions (T, J, 4)."""
        rotations = np.asarray(rotations, dtype=np.float64)
        single = rotations.ndim == 2
        if single:
            rotations = rotations[None]
        t = rotations.shape[0]
        local = quat_to_matrix(rotations)
        world_r = np.empty_like(local)
        world_p = np.empty((t, self.num_joints, 3))
        offsets = self.rest - np.where(self.parents[:, None] >= 0, self.rest[self.parents], 0.0)
        for j, p in enumerate(self.parents):
            if p < 0:
                world_r[:, j] = local[:, j]
                world_p[:, j] = self.rest[j] + (0.0 if root is None else np.asarray(root).reshape(-1, 3))
            else:
                world_r[:, j] = world_r[:, p] @ local[:, j]
                world_p[:, j] = world_p[:, p] + np.einsum("tab,b->ta", world_r[:, p], offsets[j])
        if single:
            return world_r[0], world_p[0]
        return world_r, world_p

    def identity(self, frames: int = 1) -> FloatArray:
        """Rest-pose local rotations (frames, J, 4)."""
        q = np.zeros((frames, self.num_joints, 4))
        q[..., 0] = 1.0
        return q
