"""Reading MediaPipe Holistic `.pose` files (pose-format) into HolisticFrames."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from signavatar.capture.retarget import HolisticFrames, to_ours
from signavatar.errors import InvalidInputError
from signavatar.typed import FloatArray

REQUIRED = ("POSE_LANDMARKS", "LEFT_HAND_LANDMARKS", "RIGHT_HAND_LANDMARKS")


def read_holistic(path: Path) -> HolisticFrames:
    """Landmarks of the first person in a .pose file; InvalidInputError names what is wrong."""
    from pose_format import Pose  # optional heavy import, only when a .pose file is used

    try:
        pose = Pose.read(Path(path).read_bytes())
    except FileNotFoundError:
        raise InvalidInputError(f"{path}: no such .pose file") from None
    except Exception as exc:  # pose-format raises assorted errors for foreign bytes
        raise InvalidInputError(f"{path}: not a readable .pose file ({type(exc).__name__})") from None
    offsets: dict[str, tuple[int, int]] = {}
    start = 0
    for comp in pose.header.components:
        offsets[comp.name] = (start, start + len(comp.points))
        start += len(comp.points)
    missing = [c for c in REQUIRED if c not in offsets]
    if missing:
        raise InvalidInputError(f"{path}: not a MediaPipe Holistic pose (missing {', '.join(missing)})")
    # isinstance is what np.ma.isMaskedArray does (that one has no types in numpy's stubs); kept in a
    # flag so that `raw` stays Any: MaskedArray.filled has no types either
    raw = pose.body.data  # pose-format: a masked (T, people, points, dims) array, or a plain one
    masked = isinstance(raw, np.ma.MaskedArray)
    data = np.asarray(raw.filled(np.nan) if masked else raw)
    conf = np.asarray(pose.body.confidence)
    if data.shape[0] == 0:
        raise InvalidInputError(f"{path}: the pose has no frames")
    pts = np.where(conf[:, 0, :, None] > 0, data[:, 0].astype(np.float64), np.nan)

    def part(name: str) -> FloatArray:
        a, b = offsets[name]
        return to_ours(pts[:, a:b])

    # image-space body landmarks: the hands are in image space too, and the positions of hands
    # relative to shoulders must come from one space (world landmarks are metric but hip-centred
    # and, in normalised files, rescaled on their own)
    body = part("POSE_LANDMARKS")
    face = part("FACE_LANDMARKS") if "FACE_LANDMARKS" in offsets else None
    return HolisticFrames(
        fps=float(pose.body.fps),
        body=body,
        left_hand=part("LEFT_HAND_LANDMARKS"),
        right_hand=part("RIGHT_HAND_LANDMARKS"),
        face=face,
    )
