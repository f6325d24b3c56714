"""The 21 MediaPipe hand landmarks of our rig's hands: where a MediaPipe Hands model would put its
points on the avatar (wrist, the 15 finger joints, fingertips extrapolated along the last bone).

Used by the sequencer's hand model and motion checks, by retargeting tests and by the `.pose` export
(exports/pose_file.py), so it sits below all of them.
"""

from __future__ import annotations

import numpy as np

from signavatar.avatar.skeleton import FINGERS, Skeleton, finger_joints
from signavatar.typed import FloatArray

HAND_POINTS: tuple[str, ...] = (
    "WRIST", "THUMB_CMC", "THUMB_MCP", "THUMB_IP", "THUMB_TIP", "INDEX_FINGER_MCP", "INDEX_FINGER_PIP",
    "INDEX_FINGER_DIP", "INDEX_FINGER_TIP", "MIDDLE_FINGER_MCP", "MIDDLE_FINGER_PIP", "MIDDLE_FINGER_DIP",
    "MIDDLE_FINGER_TIP", "RING_FINGER_MCP", "RING_FINGER_PIP", "RING_FINGER_DIP", "RING_FINGER_TIP",
    "PINKY_MCP", "PINKY_PIP", "PINKY_DIP", "PINKY_TIP",
)
#: MediaPipe HAND_CONNECTIONS
HAND_LIMBS: tuple[tuple[int, int], ...] = (
    (0, 1), (1, 2), (2, 3), (3, 4), (0, 5), (5, 6), (6, 7), (7, 8), (5, 9), (9, 10), (10, 11), (11, 12),
    (9, 13), (13, 14), (14, 15), (15, 16), (13, 17), (0, 17), (17, 18), (18, 19), (19, 20),
)
TIP = 0.85  # fingertip = last joint + TIP x the last bone (lift.rig_hand_points, the retarget tests)


def hand_points(skeleton: Skeleton, world_r: FloatArray, world_p: FloatArray, side: str) -> FloatArray:
    """The 21 MediaPipe hand points (T, 21, 3), metres, our axes, from world_r (T, J, 3, 3), world_p (T, J, 3)."""
    out = np.empty(world_p.shape[:1] + (21, 3))
    out[:, 0] = world_p[:, skeleton.index(f"wrist.{side}")]
    for f, finger in enumerate(FINGERS):
        joints = [skeleton.index(n) for n in finger_joints(side, finger)]
        base = 1 + 4 * f
        for k, j in enumerate(joints):
            out[:, base + k] = world_p[:, j]
        last = TIP * (skeleton.rest[joints[2]] - skeleton.rest[joints[1]])
        out[:, base + 3] = world_p[:, joints[2]] + world_r[:, joints[2]] @ last
    return out
