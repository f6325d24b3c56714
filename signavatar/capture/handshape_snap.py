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
of 17 lexicon signs (benchmarks/capture_fingers.py): the captured fingers are 5.9 degrees from the
drawn ones with the bank (three places, with the two-hand conditions below), 23.8 by the finger
angles alone; 10.3 against 23.5 on the 26 next most used signs.

In a two-handed sign the two hands are chosen together (two_hand_shapes): both take the same shapes
(symmetry) or the left holds one unmarked shape (dominance), whichever fits both hands' readings
better. Measured with the bank at three places: 7.6 -> 5.9 degrees on the 17 signs, 10.1 -> 7.4 on 16
of the next most used signs (BENCHMARKS.md, "Capture round trip").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from signavatar.avatar.quaternions import quat_angle, quat_conj, quat_mul
from signavatar.avatar.skeleton import FINGERS, Skeleton, finger_joints
from signavatar.kinematics.hand_model import HandModel
from signavatar.lexicon import Lexicon
from signavatar.typed import FloatArray
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
#: weight of MediaPipe's z against x and y in those residuals, in the hand fit and the bank alike (0.1 /
#: 0.3 / 1.0 on the round-trip signs: mean wrist orientation error of the hand fit 26 / 24 / 31 degrees
#: against the rendered truth, 29 from the palm triangle)
DEPTH_WEIGHT = 0.3
#: with the bank, a frame's shape is the one with the least mean score over the seen frames of a window
#: this long around it (odd); one misread frame does not decide
SCORE_WINDOW = 5
#: with the bank, frames where MediaPipe lost the hand take the shape of the nearest frame that saw it,
#: up to this many frames away (a fist seen from the knuckles or an index toward the camera is lost
#: in half of a sign's frames, whose recorded fingers are then whatever the last reading was)
FILL_GAP = 12
#: the unmarked shapes (Battison 1978) a non-dominant hand holds still in two-handed signs whose hands
#: differ (two_hand_shapes); B-thumb-in, B-spread and 5 are the flat hand's variants in the inventory
UNMARKED = ("B", "B-thumb-in", "B-spread", "5", "A", "S", "C", "O", "1")
#: weight (score units per nat) of how often the lexicon's still hands take a shape (passive_prior)
#: against the still hand's readings
PRIOR_WEIGHT = 1.0


@dataclass(frozen=True)
class SnapResult:
    """The track with snapped hands; per side, the shape chosen in each frame ("" = kept) and, with
    the bank, each frame's best score (T,) (NaN where the hand was not seen; absent without a bank)."""

    track: PoseTrack
    shapes: dict[str, tuple[str, ...]]
    scores: dict[str, FloatArray] = field(default_factory=dict)

    def uncertain_share(self, side: str, start: int, end: int, above: float) -> float | None:
        """Share of the seen frames start..end (inclusive) of `side` whose best score is above `above`:
        where the chosen shape is a guess. None without bank scores; 0.0 when no frame was seen."""
        return share_above(self.scores[side], start, end, above) if side in self.scores else None


def share_above(scores: FloatArray, start: int, end: int, above: float) -> float:
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
    rotations: FloatArray

    @classmethod
    def of(cls, skeleton: Skeleton, lexicon: Lexicon, side: str) -> ShapeTable:
        model = HandModel(skeleton, side)
        names = tuple(sorted(lexicon.handshapes))
        joints = [skeleton.index(n) for f in FINGERS for n in finger_joints(side, f)]
        shapes = [model.rotations(lexicon.handshapes[name]) for name in names]
        return cls(names, joints, np.stack([np.stack([r[j] for j in joints]) for r in shapes]))

    def distances(self, fingers: FloatArray) -> FloatArray:
        """Mean angle (degrees) over the 15 joints from finger rotations (..., 15, 4) to every shape (..., S)."""
        diff = quat_angle(quat_mul(quat_conj(np.asarray(fingers)[..., None, :, :]), self.rotations))
        degrees: FloatArray = np.degrees(diff.mean(axis=-1))
        return degrees


def snap_handshapes(track: PoseTrack, skeleton: Skeleton, lexicon: Lexicon, sides: tuple[str, ...],
                    max_deg: float = SNAP_MAX_DEG, bank_scores: dict[str, FloatArray] | None = None,
                    span: tuple[int, int] | None = None) -> SnapResult:
    """Snap the finger rotations of the hands in `sides` ("R", "L") to the nearest inventory shape.

    bank_scores: per side (T, S) scores from HandBank.scores (NaN where the hand was not seen); where
    given, shapes are chosen by them, elsewhere by the finger angles alone.
    span: the sign's frames (first, last); with bank scores for both hands, the left hand's shapes in
    it follow the two-hand conditions (two_hand_shapes)."""
    rot = np.asarray(track.rotations, dtype=np.float64).copy()
    chosen: dict[str, list[str]] = {}
    best_scores: dict[str, FloatArray] = {}
    tables = {side: ShapeTable.of(skeleton, lexicon, side) for side in sides}
    score = bank_scores or {}
    for side, table in tables.items():
        dist = table.distances(rot[:, table.joints])  # (T, S)
        best = dist.argmin(axis=1)
        labels = [table.names[b] if dist[t, b] <= max_deg else "" for t, b in enumerate(best)]
        if side in score:
            best_scores[side] = score[side].min(axis=1)  # NaN where the hand was not seen
            labels = bank_labels(score[side], table.names, labels)
        chosen[side] = labels
    if span is not None and {"R", "L"} <= set(sides) and {"R", "L"} <= set(score):
        a, b = span
        chosen["R"][a:b + 1], chosen["L"][a:b + 1] = two_hand_shapes(
            score["R"][a:b + 1], score["L"][a:b + 1], tables["L"].names, chosen["R"][a:b + 1], passive_prior(lexicon))
    for side, table in tables.items():
        labels = running_mode(chosen[side], MODE_FRAMES)
        for t, name in enumerate(labels):
            if name:
                rot[t, table.joints] = table.rotations[table.names.index(name)]
        chosen[side] = labels
    return SnapResult(replace(track, rotations=rot.astype(np.float32)),
                      {side: tuple(labels) for side, labels in chosen.items()}, best_scores)


def bank_labels(score: FloatArray, names: tuple[str, ...], labels: list[str]) -> list[str]:
    """Per frame, the shape with the least mean bank score (T, S) over the seen frames of a
    SCORE_WINDOW around it; frames without a reading take the nearest seen frame's shape (up to
    FILL_GAP away), else keep `labels`."""
    labels = list(labels)
    seen = np.flatnonzero(~np.isnan(score).any(axis=1))  # inf: a shape the bank holds no reading of
    half = SCORE_WINDOW // 2
    for t in seen:
        # every seen hand snaps: where no shape fits well, the recorded fingers are MediaPipe's
        # misreading, further off than the nearest shape (the "check it" line flags such hands)
        near = seen[np.abs(seen - t) <= half]
        labels[t] = names[int(score[near].mean(axis=0).argmin())]
    if len(seen):
        for t in np.flatnonzero(np.isnan(score).any(axis=1)):
            k = seen[np.abs(seen - t).argmin()]
            if abs(k - t) <= FILL_GAP:
                labels[t] = labels[k]
    return labels


def passive_prior(lexicon: Lexicon) -> dict[str, float]:
    """How often each shape is the left hand's in the lexicon's two-handed signs whose hands differ in
    shape (the still hand of the dominance condition), as a share; unmarked shapes the lexicon never
    uses there count once, so none is ruled out."""
    counts = Counter({name: 1 for name in UNMARKED})
    for entry in lexicon.entries.values():
        right = {k.right.handshape for k in entry.keyframes if k.right is not None}
        left = {k.left.handshape for k in entry.keyframes if k.left is not None}
        if entry.hands == "two" and left and right != left:
            counts.update(n for n in left if n in counts)
    total = sum(counts.values())
    return {name: n / total for name, n in counts.items()}


def two_hand_shapes(right: FloatArray, left: FloatArray, names: tuple[str, ...], right_labels: list[str],
                    prior: dict[str, float]) -> tuple[list[str], list[str]]:
    """Both hands' shapes in the frames of a two-handed sign, from their bank scores (T, S), the right
    hand's own choice (T,) and passive_prior().

    Two-handed signs obey two conditions (Battison 1978; DGS alike): both hands take the same shape
    (symmetry), or the non-dominant hand holds still in one unmarked shape (UNMARKED: the dominance
    condition). The left hand alone is what MediaPipe reads worst (small, low, often edge-on or under
    the other hand: BÜRGERAMT's palm-up B read as 3, 4 or U), so each condition is fitted to both
    hands' readings and the one that fits them better is taken:
    symmetry: per frame the shape with the least summed score of the two hands (over SCORE_WINDOW);
    dominance: the right hand keeps its own shapes, the left takes the unmarked shape with the least
        mean score over the sign plus PRIOR_WEIGHT * -log(prior) (the readings of a still, small hand
        are few and poor, and the lexicon's still hands are mostly B).
    The comparison is the mean summed score of both hands over the frames that saw both (else either).
    A left hand never seen follows the right (same shapes are the more common kind in the lexicon).
    The right hand is taken as the dominant one (a left-handed signer's two-handed signs are read as a
    right-hander's)."""
    seen_l = ~np.isnan(left).any(axis=1)
    seen_r = ~np.isnan(right).any(axis=1)
    if not seen_l.any():
        return list(right_labels), list(right_labels)
    both = np.where(seen_l[:, None], left, 0.0) + np.where(seen_r[:, None], right, 0.0)
    both[~seen_l & ~seen_r] = np.nan
    symmetric = bank_labels(both, names, list(right_labels))
    unmarked = [n for n in UNMARKED if n in names]
    cost = left[seen_l][:, [names.index(n) for n in unmarked]].mean(axis=0)
    cost = cost - PRIOR_WEIGHT * np.log([prior[n] for n in unmarked])
    still = [unmarked[int(cost.argmin())]] * len(left)
    frames = np.flatnonzero(seen_l & seen_r)
    if not len(frames):
        frames = np.flatnonzero(seen_l | seen_r)

    def fit(r_labels: list[str], l_labels: list[str]) -> float:
        return float(np.mean([(right[t, names.index(r_labels[t])] if seen_r[t] and r_labels[t] in names else 0.0)
                              + (left[t, names.index(l_labels[t])] if seen_l[t] else 0.0) for t in frames]))

    if fit(symmetric, symmetric) <= fit(right_labels, still):
        return symmetric, symmetric
    return list(right_labels), still
