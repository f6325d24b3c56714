"""A hand pose of the lexicon (handshape, location, palm, fingers) -> skeleton joint rotations."""

from __future__ import annotations

import numpy as np

from signavatar.avatar.skeleton import Skeleton
from signavatar.errors import LexiconError
from signavatar.gloss_to_pose.arm_ik import ArmIK
from signavatar.gloss_to_pose.body_space import direction, location_point
from signavatar.gloss_to_pose.hand_model import HandModel
from signavatar.lexicon import HandPose, Lexicon

#: the relaxed rest pose: hands loosely in front of the lower belly, fingers toward the midline
REST = HandPose(handshape="B", location="stomach", offset=(0.07, -0.15, -0.04), palm="back", fingers="in")


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


class Poser:
    """Turns HandPose values into local joint quaternions for one skeleton (cached per pose)."""

    def __init__(self, skeleton: Skeleton, lexicon: Lexicon) -> None:
        self.skeleton = skeleton
        self.lexicon = lexicon
        self.arms = {s: ArmIK(skeleton, s) for s in ("R", "L")}
        self.hands = {s: HandModel(skeleton, s) for s in ("R", "L")}
        self._cache: dict[tuple[str, HandPose], dict[int, np.ndarray]] = {}

    def hand_rotation(self, pose: HandPose, side: str) -> np.ndarray:
        """World rotation (3, 3) of the hand relative to its rest orientation."""
        fingers = direction(pose.fingers, side)
        palm = direction(pose.palm, side)
        # the fingers of a relaxed hand point a little outward and down rather than straight:
        # tilt 'up' fingers slightly out so the palm reads toward the camera
        palm = _unit(palm - fingers * (palm @ fingers))
        target = np.stack([fingers, palm, np.cross(fingers, palm)], axis=1)
        return target @ self.hands[side].frame.matrix().T

    def pose(self, pose: HandPose, side: str) -> dict[int, np.ndarray]:
        """Local quaternions keyed by joint index for the arm and fingers of `side`."""
        key = (side, pose)
        if key in self._cache:
            return self._cache[key]
        shape = self.lexicon.handshapes.get(pose.handshape)
        if shape is None:
            raise LexiconError(f"unknown handshape {pose.handshape!r}")
        rot = self.hand_rotation(pose, side)
        frame = self.hands[side].frame
        palm_centre_rest = frame.wrist + 0.045 * frame.fingers
        target = location_point(pose.location, side, pose.offset)
        wrist_target = target - rot @ (palm_centre_rest - frame.wrist)
        out = dict(self.arms[side].solve(wrist_target, rot))
        out.update(self.hands[side].rotations(shape))
        self._cache[key] = out
        return out
