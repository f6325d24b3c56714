"""A hand pose of the lexicon (handshape, location, palm, fingers) -> skeleton joint rotations."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from signavatar.avatar.skeleton import Skeleton
from signavatar.errors import LexiconError
from signavatar.gloss_to_pose.body_space import direction, location_point, side_sign
from signavatar.kinematics.arm_ik import ArmIK
from signavatar.kinematics.hand_model import HandModel
from signavatar.lexicon import HandPose, Handshape, Lexicon
from signavatar.lexicon.model import Angles
from signavatar.typed import FloatArray

#: the relaxed rest pose: hands loosely in front of the lower belly, fingers toward the midline
REST = HandPose(handshape="B", location="stomach", offset=(0.07, -0.15, -0.04), palm="back", fingers="in")
#: the non-dominant hand when it is not signing (start, end, one-handed signs): the arm hangs
#: relaxed by the side, the elbow a little bent, the hand beside the hip, palm toward the thigh and
#: fingers softly curled, as a signer's idle hand drops out of the way instead of waiting on the belly
LEFT_REST = HandPose(handshape="B", location="side", offset=(-0.09, -0.17, 0.01), palm="in", fingers="down",
                     bend=(10.0, 16.0, 22.0, 28.0))


def _unit(v: FloatArray) -> FloatArray:
    out: FloatArray = v / np.linalg.norm(v)
    return out


def _rotate(v: FloatArray, axis: FloatArray, angle: float) -> FloatArray:
    """Rodrigues: v turned by `angle` radians about the unit `axis`."""
    turned: FloatArray = v * np.cos(angle) + np.cross(axis, v) * np.sin(angle) + axis * (axis @ v) * (1 - np.cos(angle))
    return turned


def bent(shape: Handshape, bend: tuple[float, float, float, float]) -> Handshape:
    """The handshape with extra MCP and PIP flexion (deg) of index..pinky, kept in range."""
    if not any(bend):
        return shape

    def flexed(angles: Angles, extra: float) -> Angles:
        spread, mcp, pip, dip = angles
        return (spread, min(mcp + extra, 100.0), min(pip + extra * 0.6, 110.0), dip)

    return replace(
        shape, index=flexed(shape.index, bend[0]), middle=flexed(shape.middle, bend[1]),
        ring=flexed(shape.ring, bend[2]), pinky=flexed(shape.pinky, bend[3]),
    )


class Poser:
    """Turns HandPose values into local joint quaternions for one skeleton (cached per pose)."""

    def __init__(self, skeleton: Skeleton, lexicon: Lexicon) -> None:
        self.skeleton = skeleton
        self.lexicon = lexicon
        self.arms = {s: ArmIK(skeleton, s) for s in ("R", "L")}
        self.hands = {s: HandModel(skeleton, s) for s in ("R", "L")}
        self._cache: dict[tuple[str, HandPose], dict[int, FloatArray]] = {}

    def hand_rotation(self, pose: HandPose, side: str) -> FloatArray:
        """World rotation (3, 3) of the hand relative to its rest orientation."""
        fingers = direction(pose.fingers, side)
        palm = direction(pose.palm, side)
        # the fingers of a relaxed hand point a little outward and down rather than straight:
        # tilt 'up' fingers slightly out so the palm reads toward the camera
        palm = _unit(palm - fingers * (palm @ fingers))
        if pose.twist:
            # about the finger direction, right-hand rule, mirrored for the left hand: for fingers
            # up, positive twist turns the palm outward on both sides
            palm = _rotate(palm, fingers, np.radians(pose.twist) * -side_sign(side))
        target = np.stack([fingers, palm, np.cross(fingers, palm)], axis=1)
        rotation: FloatArray = target @ self.hands[side].frame.matrix().T
        return rotation

    def rest_rotations(self) -> FloatArray:
        """(J, 4) local quaternions of the whole avatar at rest: the right hand at REST, the left at LEFT_REST."""
        q: FloatArray = self.skeleton.identity(1)[0]
        for side, rest in (("R", REST), ("L", LEFT_REST)):
            for j, r in self.pose(rest, side).items():
                q[j] = r
        return q

    def pose(self, pose: HandPose, side: str) -> dict[int, FloatArray]:
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
        out.update(self.hands[side].rotations(bent(shape, pose.bend)))
        self._cache[key] = out
        return out
