"""Non-manual markers over a sampled track: the DGS grammar of face and head.

Each marker of GlossToken.nonmanual holds over the run of consecutive signs that carry it (the
transitions between them included), easing in and out over nonmanual_timing.RAMP_S (smoothstep, so the head never
starts or stops with a jerk):

  question-yn      brows up, eyes wide (rig.py brows_up), head forward and a little tilted
  condition, topic brows up, head forward (the clause "Wenn ..." or the fronted object)
  question-wh      brows lowered and drawn together (brows_down), chin pushed slightly forward
  negation         head shake (the translator spreads it over the negated verb complex)
  affirmation      head nod (JA, RICHTIG ...)

A lexicon sign's own head_nod / head_shake channels (JA nods, NICHT shakes) add to these. Blinks
(blinks.py) and eye gaze (gaze.py) come last, gaze after every head rotation is known.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from signavatar.avatar.face_channels import FACE_CHANNELS
from signavatar.avatar.quaternions import quat_from_axis_angle, quat_mul
from signavatar.avatar.skeleton import Skeleton
from signavatar.gloss_to_pose.blinks import blink_curve
from signavatar.gloss_to_pose.gaze import apply_gaze
from signavatar.gloss_to_pose.nonmanual_timing import Span, envelope, marker_runs
from signavatar.typed import FloatArray

#: marker -> (brows channel, weight)
MARKER_BROWS: dict[str, tuple[str, float]] = {
    "question-yn": ("brows_up", 0.9), "condition": ("brows_up", 0.8), "topic": ("brows_up", 0.8),
    "question-wh": ("brows_down", 0.9),
}
#: marker -> degrees of (neck01 pitch, head pitch, head roll); pitch > 0 leans forward / chin down
MARKER_POSTURE: dict[str, tuple[float, float, float]] = {
    "question-yn": (6.0, 4.0, 4.0), "condition": (5.0, 3.0, 0.0), "topic": (5.0, 3.0, 0.0),
    "question-wh": (5.0, -2.0, 0.0),
}
SHAKE_DEG, SHAKE_HZ = 11.0, 2.5
NOD_DEG, NOD_HZ = 10.0, 2.0
X, Y, Z = np.eye(3)


def apply_nonmanuals(
    spans: Sequence[Span], ts: FloatArray, rot: FloatArray, face: FloatArray, skeleton: Skeleton
) -> None:
    """Write the markers of `spans` into `face` (T, C) and the neck, head and eye rotations of
    `rot` (T, J, 4) sampled at times `ts` (T,) seconds, in place."""
    c = {name: k for k, name in enumerate(FACE_CHANNELS)}
    neck, head = skeleton.index("neck01"), skeleton.index("head")
    posture = np.zeros((len(ts), 3))  # degrees: neck pitch, head pitch, head roll
    for marker in sorted({m for _, _, token in spans for m in token.nonmanual}):
        w = envelope(ts, marker_runs(spans, marker))
        if marker in MARKER_BROWS:
            channel, weight = MARKER_BROWS[marker]
            face[:, c[channel]] = np.maximum(face[:, c[channel]], weight * w)
        if marker in MARKER_POSTURE:
            # the strongest posture wins per frame (a yes/no question inside a condition leans once)
            posture = np.where((w[:, None] * MARKER_POSTURE[marker]) ** 2 > posture**2,
                               w[:, None] * np.array(MARKER_POSTURE[marker]), posture)
        if marker == "negation":
            face[:, c["head_shake"]] = np.maximum(face[:, c["head_shake"]], w)
        if marker == "affirmation":
            face[:, c["head_nod"]] = np.maximum(face[:, c["head_nod"]], w)
    shake = face[:, c["head_shake"]] * np.radians(SHAKE_DEG) * np.sin(2 * np.pi * SHAKE_HZ * ts)
    # (1 - cos) / 2: the head dips and comes back, with no kink at the top
    nod = face[:, c["head_nod"]] * np.radians(NOD_DEG) * (1 - np.cos(2 * np.pi * NOD_HZ * ts)) / 2
    pose = np.radians(posture)
    rot[:, neck] = quat_mul(quat_from_axis_angle(X, pose[:, 0]), rot[:, neck])
    q_head = quat_mul(quat_from_axis_angle(Y, shake), quat_from_axis_angle(X, nod + pose[:, 1]))
    rot[:, head] = quat_mul(quat_mul(q_head, quat_from_axis_angle(Z, pose[:, 2])), rot[:, head])
    face[:, c["eyes_closed"]] = np.maximum(face[:, c["eyes_closed"]], blink_curve(spans, ts))
    apply_gaze(spans, ts, rot, skeleton)
