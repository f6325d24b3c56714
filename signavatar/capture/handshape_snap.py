"""Snapping captured hands to the handshape inventory (a phonological prior for capture).

DGS, like every sign language, builds its signs from a closed set of handshapes; the lexicon's
inventory (glosses/handshapes.json) names them. A single front camera reads fingers badly where
they point at the camera or hide behind each other (MediaPipe under-reads bent knuckles by ~20
degrees and loses fingers folded in front of the palm), so the raw finger angles of a capture
are a noisy picture of one of those shapes. Per frame and hand, the captured finger rotations
are compared with every inventory shape (mean angle over the 15 finger joints); where the
nearest shape is within SNAP_MAX_DEG, the hand takes that shape's rotations. The chosen shape is
steadied over time with a running mode, so a hand does not flicker between two similar shapes,
and hands too far from every shape keep what was recorded (an unusual shape stays unusual).

With the handshape bank (hand_bank.py: what MediaPipe read from the avatar's own hands) the shape is
chosen by the bank's scores instead, which match the hand's landmarks against MediaPipe's readings of
each shape: the mean score over SCORE_WINDOW seen frames decides, every seen hand snaps, and frames
where MediaPipe lost the hand take the shape of the nearest frame that saw it. Measured on renders
of 17 lexicon signs (benchmarks/capture_fingers.py): the captured fingers are 9.0 degrees from the
drawn ones with the bank, 23.8 by the finger angles alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from signavatar.avatar.quaternions import quat_angle, quat_conj, quat_mul
from signavatar.avatar.skeleton import FINGERS, Skeleton, finger_joints
from signavatar.gloss_to_pose.hand_model import HandModel
from signavatar.lexicon import Lexicon
from signavatar.types import PoseTrack

#: a captured hand further than this (mean over the finger joints, degrees) from every shape keeps
#: its recorded fingers
SNAP_MAX_DEG = 30.0
#: frames of the running mode that steadies the chosen shape (odd)
MODE_FRAMES = 5
#: a shape's score = residual / RESIDUAL_UNIT + finger-angle distance / ANGLE_UNIT, in the hand fit
#: (hand_fit.py) and the bank (hand_bank.py) alike; residuals in hand sizes, distances in degrees
RESIDUAL_UNIT = 0.1
ANGLE_UNIT = 20.0
#: with the bank, a frame's shape is the one with the least mean score over the seen frames of a window
#: this long around it (odd); one misread frame does not decide
SCORE_WINDOW = 5
#: with the bank, frames where MediaPipe lost the hand take the shape of the nearest frame that saw it,
#: up to this many frames away (a fist seen from the knuckles or an index toward the camera is lost
#: in half of a sign's frames, whose recorded fingers are then whatever the last reading was)
FILL_GAP = 12


@dataclass(frozen=True)
class SnapResult:
    """The track with snapped hands; per side, the shape chosen in each frame ("" = kept) and, with
    the bank, each frame's best score (T,) (NaN where the hand was not seen; absent without a bank)."""

    track: PoseTrack
    shapes: dict[str, tuple[str, ...]]
    scores: dict[str, np.ndarray] = field(default_factory=dict)

    def uncertain_share(self, side: str, start: int, end: int, above: float) -> float | None:
        """Share of the seen frames start..end (inclusive) of `side` whose best score is above `above`:
        where the chosen shape is a guess. None without bank scores; 0.0 when no frame was seen."""
        return share_above(self.scores[side], start, end, above) if side in self.scores else None


def share_above(scores: np.ndarray, start: int, end: int, above: float) -> float:
    """Share of the frames start..end (inclusive) with a finite score (T,) whose score is above
    `above`; 0.0 when none has one."""
    scores = scores[start:end + 1]
    seen = np.isfinite(scores)
    return float((scores[seen] > above).mean()) if seen.any() else 0.0


def running_mode(labels: list[str], window: int) -> list[str]:
    """Each label replaced by the most common one in a window of `window` frames around it."""
    half = window // 2
    out = []
    for i in range(len(labels)):
        counts = Counter(labels[max(0, i - half): i + half + 1])
        best = max(counts.values())
        # ties keep the frame's own label, so a change is not moved in time
        out.append(labels[i] if counts[labels[i]] == best else counts.most_common(1)[0][0])
    return out


@dataclass(frozen=True)
class ShapeTable:
    """The inventory on one hand as finger rotations: shape names (S,), the hand's 15 finger joint
    indices, and each shape's local rotations of those joints (S, 15, 4)."""

    names: tuple[str, ...]
    joints: list[int]
    rotations: np.ndarray

    @classmethod
    def of(cls, skeleton: Skeleton, lexicon: Lexicon, side: str) -> ShapeTable:
        model = HandModel(skeleton, side)
        names = tuple(sorted(lexicon.handshapes))
        joints = [skeleton.index(n) for f in FINGERS for n in finger_joints(side, f)]
        shapes = [model.rotations(lexicon.handshapes[name]) for name in names]
        return cls(names, joints, np.stack([np.stack([r[j] for j in joints]) for r in shapes]))

    def distances(self, fingers: np.ndarray) -> np.ndarray:
        """Mean angle (degrees) over the 15 joints from finger rotations (..., 15, 4) to every shape (..., S)."""
        diff = quat_angle(quat_mul(quat_conj(np.asarray(fingers)[..., None, :, :]), self.rotations))
        return np.degrees(diff.mean(axis=-1))


def snap_handshapes(track: PoseTrack, skeleton: Skeleton, lexicon: Lexicon, sides: tuple[str, ...],
                    max_deg: float = SNAP_MAX_DEG, bank_scores: dict[str, np.ndarray] | None = None) -> SnapResult:
    """Snap the finger rotations of the hands in `sides` ("R", "L") to the nearest inventory shape.

    bank_scores: per side (T, S) scores from HandBank.scores (NaN where the hand was not seen); where
    given, shapes are chosen by them, elsewhere by the finger angles alone."""
    rot = np.asarray(track.rotations, dtype=np.float64).copy()
    chosen: dict[str, tuple[str, ...]] = {}
    best_scores: dict[str, np.ndarray] = {}
    for side in sides:
        table = ShapeTable.of(skeleton, lexicon, side)
        dist = table.distances(rot[:, table.joints])  # (T, S)
        best = dist.argmin(axis=1)
        labels = [table.names[b] if dist[t, b] <= max_deg else "" for t, b in enumerate(best)]
        score = None if bank_scores is None else bank_scores.get(side)
        if score is not None:
            best_scores[side] = np.full(len(score), np.nan)
            seen = np.flatnonzero(np.isfinite(score).all(axis=1))
            half = SCORE_WINDOW // 2
            for t in seen:
                best_scores[side][t] = score[t].min()
                # every seen hand snaps: where no shape fits well, the recorded fingers are MediaPipe's
                # misreading, further off than the nearest shape (the "check it" line flags such hands)
                near = seen[np.abs(seen - t) <= half]
                labels[t] = table.names[int(score[near].mean(axis=0).argmin())]
            if len(seen):
                for t in np.flatnonzero(~np.isfinite(score).all(axis=1)):
                    k = seen[np.abs(seen - t).argmin()]
                    if abs(k - t) <= FILL_GAP:
                        labels[t] = labels[k]
        labels = running_mode(labels, MODE_FRAMES)
        for t, name in enumerate(labels):
            if name:
                rot[t, table.joints] = table.rotations[table.names.index(name)]
        chosen[side] = tuple(labels)
    return SnapResult(replace(track, rotations=rot.astype(np.float32)), chosen, best_scores)
