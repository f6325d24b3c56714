"""Reading handshapes back from pictures with MediaPipe Hands, and comparing them.

Used by the legibility benchmark and its tests: a render is legible when MediaPipe finds the hand,
the finger joint angles it reads are those we meant, and the handshape is recognised as the right
letter. Angles are measured in the image plane (x, y): the DGS alphabet recordings we compare
against have no usable depth (see avatar/lift.py), so both sides are compared in 2D.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from signavatar.typed import FloatArray, UInt8Array

#: each finger as MediaPipe hand landmark ids from the wrist (0) to the tip
FINGER_CHAINS = ((0, 1, 2, 3, 4), (0, 5, 6, 7, 8), (0, 9, 10, 11, 12), (0, 13, 14, 15, 16), (0, 17, 18, 19, 20))
#: weight of the hand's direction in the image (wrist->index and wrist->pinky knuckles), in degree units
DIRECTION_WEIGHT = 60.0
#: weight of the fingertip positions (in palm lengths), in degree units
TIP_WEIGHT = 30.0


#: (before, joint, after) landmark ids of the 15 finger joints, thumb..pinky, base to tip
_BEND_TRIPLES = np.array([(chain[k - 1], chain[k], chain[k + 1]) for chain in FINGER_CHAINS for k in (1, 2, 3)])


def bend_angles(points: FloatArray) -> FloatArray:
    """(..., 15) bend angles in degrees at the 3 joints of each finger, from hands of 21 points
    (..., 21, 2 or 3): the angle between a joint's two bones, 0 = straight. Unchanged by turning,
    scaling or mirroring the hand."""
    p = np.asarray(points, dtype=np.float64)
    a = p[..., _BEND_TRIPLES[:, 1], :] - p[..., _BEND_TRIPLES[:, 0], :]
    b = p[..., _BEND_TRIPLES[:, 2], :] - p[..., _BEND_TRIPLES[:, 1], :]
    cos = (a * b).sum(-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1) + 1e-12)
    angles: FloatArray = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    return angles


def joint_angles(hand: FloatArray) -> FloatArray:
    """(15,) bend angles in degrees at the 3 joints of each finger, from 21 points (x, y[, z]).

    0 = straight; measured in the image plane."""
    return bend_angles(np.asarray(hand, dtype=np.float64)[:, :2])


def spread_angles(hand: FloatArray) -> FloatArray:
    """(4,) signed angles in degrees between neighbouring fingers' first bones (thumb-index,
    index-middle, middle-ring, ring-pinky), in the image plane: what tells V from U."""
    p = np.asarray(hand, dtype=np.float64)[:, :2]
    bones = [p[c[2]] - p[c[1]] for c in FINGER_CHAINS]
    out = []
    for a, b in zip(bones[:-1], bones[1:]):
        cross = a[0] * b[1] - a[1] * b[0]
        out.append(np.degrees(np.arctan2(cross, a @ b)))
    return np.asarray(out)


def hand_features(hand: FloatArray) -> FloatArray:
    """Joint angles, finger spreads and the hand's direction in the picture: (23,) for
    nearest-letter matching."""
    p = np.asarray(hand, dtype=np.float64)[:, :2]
    return np.concatenate([joint_angles(hand), spread_angles(hand), direction_and_tips(p)])


def direction_and_tips(points: FloatArray) -> FloatArray:
    """The hand's direction (wrist -> index and -> pinky knuckle, unit, weighted DIRECTION_WEIGHT)
    and where the five fingertips are relative to the wrist in palm lengths (weighted TIP_WEIGHT:
    separates fists that differ only by the thumb's place, S/A, M/N), for 21 points of any dimension."""
    p = np.asarray(points, dtype=np.float64)
    dirs = []
    for k in (5, 17):
        d = p[k] - p[0]
        dirs.extend(DIRECTION_WEIGHT * d / (np.linalg.norm(d) + 1e-12))
    palm = np.linalg.norm(p[9] - p[0]) + 1e-12
    tips = TIP_WEIGHT * ((p[[4, 8, 12, 16, 20]] - p[0]) / palm).ravel()
    return np.concatenate([dirs, tips])


def world_features(points: FloatArray) -> FloatArray:
    """The 3D counterpart of hand_features for 21 points (x right, y down, z away), any unit: 15 bend
    angles, 4 angles between neighbouring fingers' first bones, the directions wrist->index and
    wrist->pinky knuckle, and the fingertips relative to the wrist in palm lengths."""
    p = np.asarray(points, dtype=np.float64)
    bones = [p[c] - p[c - 1] for c in (2, 6, 10, 14, 18)]
    spread = []
    for a, b in zip(bones[:-1], bones[1:]):
        cos = a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12)
        spread.append(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))
    return np.concatenate([bend_angles(p), spread, direction_and_tips(p)])


#: MediaPipe hand landmark ids of the four knuckles: their middle is where a hand is in a picture (the
#: wrist point is not: for a still hand it can jump by a fifth of the hand's size when MediaPipe
#: reads the same hand a little differently)
KNUCKLES = (5, 9, 13, 17)


def hand_travel(hands: Sequence[FloatArray]) -> float:
    """How far a hand moves in a run of readings of it (each (21, 2 or 3), picture coordinates): the
    largest distance between two of its places (knuckle middles, each the median of itself and its
    neighbours, so one misreading does not count as a movement), over the hand's size in the picture
    (the median diagonal of its points' bounding box). 0.0 for fewer than two readings."""
    if len(hands) < 2:
        return 0.0
    pts = np.asarray(hands, dtype=np.float64)[..., :2]
    place = pts[:, KNUCKLES].mean(axis=1)
    if len(place) >= 3:
        place = np.array([np.median(place[max(k - 1, 0):k + 2], axis=0) for k in range(len(place))])
    size = float(np.median(np.linalg.norm(pts.max(axis=1) - pts.min(axis=1), axis=1)))
    far = float(np.linalg.norm(place[:, None] - place[None], axis=-1).max())
    return far / size if size > 0 else 0.0


def classify(features: FloatArray, templates: dict[str, FloatArray]) -> str:
    """The template name with the smallest mean absolute difference."""
    return min(templates, key=lambda name: float(np.abs(templates[name] - features).mean()))


@dataclass(frozen=True)
class HandReading:
    """A hand found in a picture: 21 points in pixels (x, y, z scaled like x), MediaPipe's label and
    score, and its 21 world points (metres, x right, y down, z away from the camera)."""

    points: FloatArray
    label: str
    score: float
    world: FloatArray | None = None


class HandReader:
    """MediaPipe Hands (static image mode, models inside the mediapipe 0.10.21 wheel)."""

    def __init__(self, min_detection_confidence: float = 0.3, model_complexity: int = 1) -> None:
        import mediapipe as mp  # heavy, only where pictures are read

        self._hands = mp.solutions.hands.Hands(
            static_image_mode=True, max_num_hands=2, model_complexity=model_complexity,
            min_detection_confidence=min_detection_confidence,
        )

    def read(self, image: UInt8Array) -> list[HandReading]:
        """Hands in an RGB uint8 picture (H, W, 3)."""
        h, w = image.shape[:2]
        result = self._hands.process(np.ascontiguousarray(image))
        out: list[HandReading] = []
        worlds = result.multi_hand_world_landmarks or []
        for k, (lms, handed) in enumerate(zip(result.multi_hand_landmarks or [], result.multi_handedness or [])):
            pts = np.array([[lm.x * w, lm.y * h, lm.z * w] for lm in lms.landmark])
            world = np.array([[lm.x, lm.y, lm.z] for lm in worlds[k].landmark]) if k < len(worlds) else None
            out.append(HandReading(pts, handed.classification[0].label, float(handed.classification[0].score), world))
        return out

    def nearest(self, image: UInt8Array, where: Sequence[float] | FloatArray) -> HandReading | None:
        """The hand whose wrist is closest to pixel `where` (x, y), if any hand is found."""
        hands = self.read(image)
        if not hands:
            return None
        target = np.asarray(where, dtype=np.float64)
        return min(hands, key=lambda r: float(np.linalg.norm(r.points[0, :2] - target)))

    def close(self) -> None:
        self._hands.close()
