"""Giving depth back to landmarks that lost it.

The DGS alphabet recordings shipped by spoken-to-signed were normalised so that their z is nearly
constant: they are 2D. A bone of known length L whose projection is l long has a depth extent of
sqrt(L^2 - l^2); its sign comes from anatomy: fingers flex toward the palm, whose facing we know
from the 2D winding of the knuckles, and in signing the elbow and the hand are in front of the
shoulder. Lengths are the avatar's own, scaled to the recording. Landmarks with real depth (our
own capture) are left alone.
"""

from __future__ import annotations

import numpy as np

from signavatar.avatar.skeleton import Skeleton, finger_joints
from signavatar.typed import FloatArray

#: relative depth spread under which a point set counts as flat (2D)
FLAT = 0.02
#: which way the knuckles leave the image plane (+1 toward the camera). Tuned together with
#: capture/retarget.py MIN_FORWARD on the 30 alphabet letters (benchmarks/legibility.py; no held-out set):
#: mean joint-angle error 15.2 deg at +1 vs 17.6 at 0 and 18.9 at -1 (the anatomical guess,
#: wrist extension), letters recognised 67% vs 63% and 53%.
PALM_TILT = 1.0
#: share of the rebuilt depth given to finger bones. Retargeting keeps only bone directions, so
#: compressing depth keeps every angle of the recording's picture while folded fingers lie more in
#: the picture plane instead of pointing at the camera, which reads better (to MediaPipe and to the
#: eye). Measured on the alphabet: 12.6 deg / 73 % at 0.4 vs 15.2 deg / 67 % at 1.0.
FINGER_DEPTH = 0.4
PALM_EDGES = ((0, 5), (0, 9), (0, 13), (0, 17), (5, 17))
CHAINS = ((0, 1, 2, 3, 4), (0, 5, 6, 7, 8), (0, 9, 10, 11, 12), (0, 13, 14, 15, 16), (0, 17, 18, 19, 20))


def is_flat(points: FloatArray) -> bool:
    """True when the z extent of points (N, 3) is tiny next to their x/y extent."""
    ok = points[np.isfinite(points).all(axis=1)]
    if len(ok) < 3:
        return False
    xy = np.ptp(ok[:, :2], axis=0).max()
    return bool(xy > 0 and np.ptp(ok[:, 2]) < FLAT * xy)


def rig_hand_points(skeleton: Skeleton, side: str) -> FloatArray:
    """The avatar's rest hand as the 21 MediaPipe hand points (21, 3); tips extrapolated."""
    rest = skeleton.rest
    pts = np.zeros((21, 3))
    pts[0] = rest[skeleton.index(f"wrist.{side}")]
    for f, finger in enumerate(("thumb", "index", "middle", "ring", "pinky")):
        joints = [rest[skeleton.index(n)] for n in finger_joints(side, finger)]
        chain = CHAINS[f][1:]
        for k in range(3):
            pts[chain[k]] = joints[k]
        pts[chain[3]] = joints[2] + 0.85 * (joints[2] - joints[1])
    return pts


def _depth(length: float, projected: float) -> float:
    return float(np.sqrt(max(length * length - projected * projected, 0.0)))


def palm_facing(hand: FloatArray, side: str) -> float:
    """How much a flat hand (21, 3) shows its palm to the camera: the knuckle line (5 -> 17)
    crossed with wrist -> middle knuckle in the picture plane, over the latter's length squared;
    about +-0.7 for a palm (back) facing the camera, near 0 for a hand seen edge-on, whose sign
    then flips with landmark noise from frame to frame."""
    across = hand[5, :2] - hand[17, :2]
    fingers = hand[9, :2] - hand[0, :2]
    z = float(across[0] * fingers[1] - across[1] * fingers[0])
    z = z if side == "R" else -z
    return z / max(float(fingers @ fingers), 1e-12)


def lift_hand(hand: FloatArray, rig_hand: FloatArray, side: str, toward_palm: float | None = None) -> FloatArray:
    """(21, 3) points with depth rebuilt from a flat hand (21, 3) in our axes. toward_palm: +1 when
    the palm faces the camera, -1 when it faces away (default: this frame's palm_facing sign; a
    recording should pass one decided over neighbouring frames, see capture/retarget.py Retargeter.track)."""
    p = hand.copy()
    p[:, 2] = 0.0
    rig_len = {e: float(np.linalg.norm(rig_hand[e[1]] - rig_hand[e[0]])) for e in PALM_EDGES}
    scale = max(float(np.linalg.norm(p[b, :2] - p[a, :2])) / rig_len[(a, b)] for a, b in PALM_EDGES)
    # knuckles: depth from the foreshortening of the palm
    for m in (5, 9, 13, 17):
        length = scale * float(np.linalg.norm(rig_hand[m] - rig_hand[0]))
        p[m, 2] = PALM_TILT * _depth(length, float(np.linalg.norm(p[m, :2] - p[0, :2])))
    if toward_palm is None:
        toward_palm = 1.0 if palm_facing(hand, side) >= 0 else -1.0
    for chain in CHAINS:
        start = 1 if chain[1] == 1 else 2  # the thumb's whole chain flexes; fingers from the knuckle
        for k in range(start, 5):
            a, b = chain[k - 1], chain[k]
            length = scale * float(np.linalg.norm(rig_hand[b] - rig_hand[a]))
            p[b, 2] = p[a, 2] + FINGER_DEPTH * toward_palm * _depth(length, float(np.linalg.norm(p[b, :2] - p[a, :2])))
    return p


def lift_arm(
    shoulder: FloatArray, elbow: FloatArray, wrist: FloatArray, upper: float, fore: float
) -> tuple[FloatArray, FloatArray]:
    """(upper-arm direction, forearm direction) with depth from projected lengths; `upper`/`fore`
    are the bone lengths in the recording's units. Elbow and hand are taken to be in front."""
    u = elbow - shoulder
    f = wrist - elbow
    u = np.array([u[0], u[1], _depth(upper, float(np.linalg.norm(u[:2])))])
    f = np.array([f[0], f[1], _depth(fore, float(np.linalg.norm(f[:2])))])
    return u, f
