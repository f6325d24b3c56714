"""Fitting inventory handshapes to the picture of a captured hand: its shape and orientation together.

MediaPipe's hand landmarks are good across the picture (x, y) and poor in depth (z): the palm
triangle the Retargeter reads the hand's orientation from (wrist, index and pinky knuckles) tilts
with every depth error, and on our own renders it was 15-30 degrees off for most signs and ~80 for
ICH (index toward the chest). Here every candidate handshape of the inventory, as the avatar's own 21
hand points, is turned, scaled and moved to lie on the 21 landmarks under weak perspective (the
hand is small next to its distance from the camera): the whole hand's outline pins the orientation
down; MediaPipe's z counts at DEPTH_WEIGHT, enough to choose between the mirror-image solutions a
picture allows. The shape is chosen per frame by how well it fits the picture (residual) together
with how near the raw finger reading is to it (finger-angle distance): one front view cannot tell
a folded thumb from a tucked one, the finger angles cannot tell a finger that points at the camera
from a short one, and the two together are right more often (on the six round-trip signs: the
rendered shape in 74 % of the signing hands' frames, against 64 % for the angles alone). The choice is
steadied over time like the snapping's (running mode), and the orientation is the chosen shape's fit.

`signavatar capture` takes the orientation from here; the fingers still snap by their angles
(handshape_snap.py), which kept the rendered joint angles nearer the original in the round trip
(BENCHMARKS.md, "Capture round trip", where both are compared).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares
from scipy.spatial.transform import Rotation

from signavatar.avatar.skeleton import Skeleton
from signavatar.capture.handshape_snap import (
    ANGLE_UNIT,
    DEPTH_WEIGHT,
    MODE_FRAMES,
    RESIDUAL_UNIT,
    ShapeTable,
    running_mode,
    share_above,
)
from signavatar.capture.retarget import Retargeter, palm_frame
from signavatar.kinematics.hand_model import HandModel, hand_frame
from signavatar.lexicon import Lexicon
from signavatar.typed import FloatArray

# score = residual / RESIDUAL_UNIT + finger-angle distance / ANGLE_UNIT, z weighted by DEPTH_WEIGHT
# (handshape_snap.py); the residual here is the RMS distance of the fitted points from the landmarks
# in palm lengths (wrist to middle knuckle)
#: shapes fitted per frame: the nearest by finger angles (the rest are never chosen in practice)
CANDIDATES = 12
#: a hand whose best score is above this keeps its recorded fingers (still takes the fit's orientation)
MAX_SCORE = 4.0


@dataclass(frozen=True)
class HandFit:
    """Per frame of one hand: the chosen shape ("" where unseen or too far from every shape), the
    hand's world rotation relative to its rest orientation (T, 3, 3; NaN where unseen) and the score."""

    shapes: tuple[str, ...]
    rotations: FloatArray
    scores: FloatArray


def fit_orientation(model: FloatArray, seen: FloatArray, start: FloatArray) -> tuple[FloatArray, float]:
    """The rotation R (3, 3) that lays model points (21, 3) onto seen landmarks (21, 3) under weak
    perspective (with scale and shift), from `start`; and the RMS picture-plane residual in palm lengths."""
    size = float(np.linalg.norm(seen[9, :2] - seen[0, :2])) + 1e-9
    spread_seen = np.linalg.norm(seen[:, :2] - seen[0, :2], axis=1).sum()
    spread_model = np.linalg.norm((model @ start.T)[:, :2], axis=1).sum() + 1e-12
    weight = np.array([1.0, 1.0, DEPTH_WEIGHT]) / size

    def residual(x: FloatArray) -> FloatArray:
        rot: FloatArray = Rotation.from_rotvec(x[:3]).as_matrix() @ start  # scipy: untyped, (3, 3) float64
        out: FloatArray = ((np.exp(x[3]) * (model @ rot.T) + x[4:7] - seen) * weight).ravel()
        return out

    x0 = np.concatenate([np.zeros(3), [np.log(spread_seen / spread_model + 1e-12)], seen[0]])
    done = least_squares(residual, x0, method="lm")
    rot: FloatArray = Rotation.from_rotvec(done.x[:3]).as_matrix() @ start
    flat = done.fun.reshape(-1, 3)[:, :2]
    return rot, float(np.sqrt((flat ** 2).sum(axis=1).mean()))


class HandFitter:
    """The inventory of one hand (side "R" or "L") as point models and finger rotations."""

    def __init__(self, skeleton: Skeleton, lexicon: Lexicon, side: str) -> None:
        self.side = side
        self.shapes = ShapeTable.of(skeleton, lexicon, side)
        self.names = self.shapes.names
        model = HandModel(skeleton, side)
        points = np.stack([model.points(lexicon.handshapes[name]) for name in self.names])
        self.points = points - points[:, :1]  # (S, 21, 3) rest orientation, wrist at the origin
        self.rest_frame = hand_frame(skeleton, side).matrix()

    def frame(self, seen: FloatArray, fingers: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Scores (S,) (inf for shapes not fitted) and rotations (S, 3, 3) of one seen hand (21, 3)."""
        dist = self.shapes.distances(fingers)
        scores = np.full(len(self.names), np.inf)
        rotations = np.full((len(self.names), 3, 3), np.nan)
        start = palm_frame(seen, self.side) @ self.rest_frame.T
        for s in np.argsort(dist)[:CANDIDATES]:
            rotations[s], res = fit_orientation(self.points[s], seen, start)
            scores[s] = res / RESIDUAL_UNIT + dist[s] / ANGLE_UNIT
        return scores, rotations

    def fit(self, hands: FloatArray, retargeter: Retargeter) -> HandFit:
        """Fit every frame of one hand's landmarks (T, 21, 3), our axes."""
        n = len(hands)
        labels, chosen = [""] * n, np.full((n, 3, 3), np.nan)
        best = np.full(n, np.inf)
        all_rot: dict[int, FloatArray] = {}
        all_scores: dict[int, FloatArray] = {}
        for t in range(n):
            if not np.isfinite(hands[t]).all():
                continue
            raw = retargeter.fingers(hands[t], self.side)
            scores, rotations = self.frame(hands[t], np.stack([raw[j] for j in self.shapes.joints]))
            all_rot[t], all_scores[t] = rotations, scores
            labels[t] = self.names[int(scores.argmin())]
        steady = running_mode(labels, MODE_FRAMES)
        out = []
        for t, name in enumerate(steady):
            if t not in all_rot:
                out.append("")
                continue
            s = self.names.index(name) if name else -1
            if s < 0 or not np.isfinite(all_scores[t][s]):
                s = int(all_scores[t].argmin())
            chosen[t], best[t] = all_rot[t][s], all_scores[t][s]
            out.append(self.names[s] if best[t] <= MAX_SCORE else "")
        return HandFit(tuple(out), chosen, best)


def uncertain_share(fit: HandFit, start: int, end: int) -> float:
    """Share of the seen frames start..end (inclusive) whose picture no inventory shape fits well
    (best score above MAX_SCORE): where the capture's hand is a guess. 0.0 when no frame was seen."""
    return share_above(fit.scores, start, end, MAX_SCORE)


def fit_hands(frames_right: FloatArray, frames_left: FloatArray, skeleton: Skeleton, lexicon: Lexicon,
              retargeter: Retargeter) -> dict[str, HandFit]:
    """Both hands of a recording (T, 21, 3 each, our axes) fitted: {"R": ..., "L": ...}."""
    return {side: HandFitter(skeleton, lexicon, side).fit(hands, retargeter)
            for side, hands in (("R", frames_right), ("L", frames_left))}
