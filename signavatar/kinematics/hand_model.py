"""Handshapes -> finger joint rotations, from the hand geometry of the avatar's rest pose.

Axes are measured on the rest skeleton, so they are exact for our rig: for each hand the frame
(across = pinky->index knuckles, fingers = wrist->middle knuckle, palm = the palm normal, pointing
out of the palm). Flexion rotates a finger bone toward the palm; spread rotates it about the palm
normal away from the middle finger. Rotations are local, relative to rest, in rest axes (skeleton.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from signavatar.avatar.quaternions import quat_between, quat_from_axis_angle, quat_mul
from signavatar.avatar.skeleton import FINGERS, Skeleton, finger_joints
from signavatar.kinematics.hand_points import hand_points
from signavatar.lexicon import Handshape
from signavatar.typed import FloatArray


def _unit(v: FloatArray) -> FloatArray:
    unit: FloatArray = v / np.linalg.norm(v)
    return unit


@dataclass(frozen=True)
class HandFrame:
    """Rest-pose frame of one hand: unit vectors (3,) and the wrist position (3,)."""

    wrist: FloatArray
    fingers: FloatArray
    palm: FloatArray
    across: FloatArray

    def matrix(self) -> FloatArray:
        """Columns: fingers, palm, fingers x palm (3, 3)."""
        return np.stack([self.fingers, self.palm, np.cross(self.fingers, self.palm)], axis=1)


def hand_frame(skeleton: Skeleton, side: str) -> HandFrame:
    rest = skeleton.rest
    wrist = rest[skeleton.index(f"wrist.{side}")]
    index_base = rest[skeleton.index(f"finger2-1.{side}")]
    middle_base = rest[skeleton.index(f"finger3-1.{side}")]
    pinky_base = rest[skeleton.index(f"finger5-1.{side}")]
    fingers = _unit(middle_base - wrist)
    across = index_base - pinky_base
    across = _unit(across - fingers * (across @ fingers))
    # right hand: palm = across x fingers; the left hand is its mirror image
    palm = np.cross(across, fingers) if side == "R" else np.cross(fingers, across)
    return HandFrame(wrist=wrist, fingers=fingers, palm=_unit(palm), across=across)


class HandModel:
    """Computes finger rotations for a named handshape on one side ("R" or "L")."""

    def __init__(self, skeleton: Skeleton, side: str) -> None:
        self.skeleton = skeleton
        self.side = side
        self.frame = hand_frame(skeleton, side)
        rest = skeleton.rest
        middle_base = rest[skeleton.index(f"finger3-1.{side}")]
        self._axes: dict[str, list[tuple[int, FloatArray, FloatArray]]] = {}
        for finger in FINGERS:
            names = finger_joints(side, finger)
            idx = [skeleton.index(n) for n in names]
            entries = []
            for k, j in enumerate(idx):
                nxt = rest[idx[k + 1]] if k < 2 else rest[j] + (rest[j] - rest[idx[k - 1]])
                d = _unit(nxt - rest[j])
                flex = _unit(np.cross(d, self.frame.palm))
                base = rest[idx[0]]
                away = base - middle_base
                if finger == "middle" or np.linalg.norm(away) < 1e-6:
                    away = self.frame.across  # middle finger: positive spread toward the thumb side
                away = away - d * (away @ d)
                spread = _unit(np.cross(d, _unit(away)))
                entries.append((j, flex, spread))
            self._axes[finger] = entries
        t0 = rest[skeleton.index(f"finger1-1.{side}")]
        t1 = rest[skeleton.index(f"finger1-2.{side}")]
        self._thumb_dir = _unit(t1 - t0)
        self._roll_sign = -1.0 if side == "R" else 1.0  # the left hand is its mirror image
        # the radial side (toward the thumb) in the palm plane
        radial = self.frame.across - self.frame.fingers * (self.frame.across @ self.frame.fingers)
        self._radial = _unit(radial - self.frame.palm * (radial @ self.frame.palm))

    def rotations(self, shape: Handshape) -> dict[int, FloatArray]:
        """Local quaternions (4,) keyed by joint index for every finger joint of this hand."""
        out: dict[int, FloatArray] = {}
        for finger in FINGERS[1:]:
            spread, mcp, pip, dip = getattr(shape, finger)
            (j1, f1, s1), (j2, f2, _), (j3, f3, _) = self._axes[finger]
            q_spread = quat_from_axis_angle(s1, np.radians(spread))
            q_flex = quat_from_axis_angle(f1, np.radians(mcp))
            out[j1] = quat_mul(q_spread, q_flex)
            out[j2] = quat_from_axis_angle(f2, np.radians(pip))
            out[j3] = quat_from_axis_angle(f3, np.radians(dip))
        opposition, abduction, mcp_t, ip_t = shape.thumb
        (t1, tf1, _), (t2, tf2, _), (t3, tf3, _) = self._axes["thumb"]
        direction = self.thumb_direction(opposition, abduction)
        # opposition also turns the thumb about its own axis (the metacarpal pronates, so the thumb's
        # pad comes to face the fingers): its flexion then curls it across the palm and the fingers
        roll = quat_from_axis_angle(direction, np.radians(THUMB_OPPOSITION_ROLL * opposition) * self._roll_sign)
        out[t1] = quat_mul(roll, quat_between(self._thumb_dir, direction))
        out[t2] = quat_from_axis_angle(tf2, np.radians(mcp_t))
        out[t3] = quat_from_axis_angle(tf3, np.radians(ip_t))
        return out


    def points(self, shape: Handshape) -> FloatArray:
        """The 21 MediaPipe hand points (21, 3) of this hand holding `shape`, the skeleton otherwise
        at rest: metres, our axes, the wrist at the rest wrist."""
        q = self.skeleton.identity(1)[0]
        for j, r in self.rotations(shape).items():
            q[j] = r
        world_r, world_p = self.skeleton.forward(q)
        points: FloatArray = hand_points(self.skeleton, world_r[None], world_p[None], self.side)[0]
        return points

    def thumb_direction(self, opposition: float, abduction: float) -> FloatArray:
        """Unit direction (3,) of the thumb's first bone for the schema's opposition and abduction
        (degrees): abduction opens it from alongside the index (0) sideways inside the palm plane
        (70..80 as in L); opposition lifts it in front of the palm and swings it toward the
        little finger (90: across the palm)."""
        spread = np.radians((THUMB_ALONG_INDEX + THUMB_ABDUCTION_GAIN * abduction) * (1.0 - opposition / 100.0)
                            - THUMB_OPPOSITION_SWING * opposition)
        lift = np.radians(THUMB_PALMAR_REST + THUMB_OPPOSITION_GAIN * opposition)
        in_plane = np.cos(spread) * self.frame.fingers + np.sin(spread) * self._radial
        return _unit(np.cos(lift) * in_plane + np.sin(lift) * self.frame.palm)


#: The thumb's first bone in degrees from the finger direction, inside the palm plane, when it lies
#: along the index (abduction 0), and how fast abduction opens it; the MakeHuman rest thumb sits
#: at ~45 deg in the plane and ~19 deg in front of it (measured on the rig).
THUMB_ALONG_INDEX, THUMB_ABDUCTION_GAIN = 10.0, 0.8
#: degrees in front of the palm plane at opposition 0 and per degree of opposition; opposition
#: also swings the thumb from the radial side toward the little finger (deg per deg), so the
#: opposed thumb lies across the palm instead of sticking out sideways
THUMB_PALMAR_REST, THUMB_OPPOSITION_GAIN, THUMB_OPPOSITION_SWING = 8.0, 0.55, 0.35
#: degrees the opposed thumb turns about its own axis per degree of opposition (the metacarpal
#: pronates with opposition, so the thumb's pad comes to face the fingers). Without it an opposed
#: thumb flexed away from the palm and stuck out of the hand (a fist seen from the side or from
#: the back: S, 1, I, M). With 0.7 the thumb tip of S lies 6.0 cm from the middle finger's middle
#: joint instead of 8.8 and stands 5.7 cm out of the palm instead of 8.6 (tests/gloss_to_pose/
#: test_thumb.py); O's tip comes 0.7 cm nearer the index tip, but the circles of O and F are still
#: ~5.7 cm open. 0.5-0.8 all look better (back, side, palm and three-quarter views); 0.7 keeps every
#: shape's MediaPipe read-back under 20 deg (0.6: S 20.1; 0.8: 1, I and M over 20).
THUMB_OPPOSITION_ROLL = 0.7
