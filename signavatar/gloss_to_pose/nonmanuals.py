"""Non-manual markers over a sampled track: brows for questions, head shake for negation, nods,
and a natural blink.

Each token's markers (GlossToken.nonmanual) are spread over its span (start, end, token) with a
0.15 s ramp in and out, written into the face channels (brows) and the head rotation (shake, nod).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from signavatar.avatar.face_channels import FACE_CHANNELS
from signavatar.avatar.quaternions import quat_from_axis_angle, quat_mul
from signavatar.typed import FloatArray
from signavatar.types import GlossToken

NONMANUAL_BROWS = {"question-yn": "brows_up", "question-wh": "brows_down"}
SHAKE_DEG, SHAKE_HZ = 11.0, 2.5
RAMP_S = 0.15


def apply_nonmanuals(
    spans: Sequence[tuple[float, float, GlossToken]], ts: FloatArray, rot: FloatArray, face: FloatArray, head: int
) -> None:
    """Write the markers of `spans` into `face` (T, C) and the head joint's rotations `rot[:, head]`
    (T, J, 4) sampled at times `ts` (T,), in place."""
    c = {name: k for k, name in enumerate(FACE_CHANNELS)}
    for start, end, token in spans:
        # ramp in/out around the token so markers do not switch on abruptly
        w = np.clip(np.minimum(ts - (start - RAMP_S), (end + RAMP_S) - ts) / RAMP_S, 0.0, 1.0)
        for marker in token.nonmanual:
            if marker in NONMANUAL_BROWS:
                ch = c[NONMANUAL_BROWS[marker]]
                face[:, ch] = np.maximum(face[:, ch], 0.85 * w)
            if marker == "negation":
                face[:, c["head_shake"]] = np.maximum(face[:, c["head_shake"]], w)
    shake = face[:, c["head_shake"]] * np.radians(SHAKE_DEG) * np.sin(2 * np.pi * SHAKE_HZ * ts)
    nod = face[:, c["head_nod"]] * np.radians(12.0) * np.maximum(0.0, np.sin(2 * np.pi * 2.0 * ts))
    q_shake = quat_from_axis_angle(np.array([0.0, 1.0, 0.0]), shake)
    q_nod = quat_from_axis_angle(np.array([1.0, 0.0, 0.0]), nod)
    rot[:, head] = quat_mul(quat_mul(q_shake, q_nod), rot[:, head])
    # a natural blink every ~3.2 s keeps the face alive
    blink = np.clip(1.0 - np.abs(((ts + 1.1) % 3.2) - 0.1) / 0.1, 0.0, 1.0)
    face[:, c["eyes_closed"]] = np.maximum(face[:, c["eyes_closed"]], blink)
