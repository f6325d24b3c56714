"""Reading the rendered face back with MediaPipe Face Mesh: head crop, landmarks, lip gap.

Shared by the face benchmarks (benchmarks/mouth_readback.py; brows and head turn can use the same
crop and reader). The face is small in a 512x512 upper-body frame (the mouth is about 25 px wide), too
small for Face Mesh, so each frame is cropped to a square around the head and upscaled first:

- `head_box`: the square centred on the projection of the skeleton's `head` joint (it follows nods
  and shakes), `side_m` metres wide at the head's depth, through the pipeline's camera
  (`Camera()`, the one `Pipeline.frames` draws with).
- `head_crop`: that square cut out (padded with the frame's corner colour where it leaves the frame)
  and resized to `upscale` x `upscale` with Lanczos.
- `FaceReader`: Face Mesh (`refine_landmarks=True`, 478 points, static-image mode so every frame is
  read on its own, no tracking between frames), landmarks in crop pixels.
- `lip_gap`: the inner-lip opening over the mouth width, both from those landmarks, so the figure does
  not depend on the crop or upscale: 0 with the lips together, about 0.6 with the jaw wide open.

usage (a library; run benchmarks/mouth_readback.py)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from signavatar.avatar.skeleton import Skeleton
from signavatar.pose_to_frames.renderer import Camera
from signavatar.typed import FloatArray, UInt8Array
from signavatar.types import PoseTrack

LIP_PAIRS: dict[str, tuple[tuple[int, int], ...]] = {
    "centre": ((13, 14),),                          # inner upper / lower lip on the midline
    "three": ((13, 14), (82, 87), (312, 317)),      # the midline and one pair either side of it
}
"""Face Mesh landmark pairs (inner upper lip, inner lower lip) whose mean distance is the opening."""

MOUTH_CORNERS: dict[str, tuple[int, int]] = {
    "inner": (78, 308),   # where the inner lip contour meets at the corners
    "outer": (61, 291),   # the outer lip corners
}
"""Face Mesh landmark pairs whose distance is the mouth width (the gap's scale)."""


@dataclass(frozen=True)
class CropMethod:
    """How a frame becomes Face Mesh's input: `side_m` metres around the head, resized to `upscale` px."""

    side_m: float = 0.22
    upscale: int = 384

    @property
    def name(self) -> str:
        return f"crop {self.side_m:.2f} m -> {self.upscale} px"


@dataclass(frozen=True)
class GapMethod:
    """Which landmarks measure the gap: a LIP_PAIRS key over a MOUTH_CORNERS key."""

    pairs: str = "three"
    corners: str = "inner"

    @property
    def name(self) -> str:
        return f"{self.pairs}/{self.corners}"


def head_points(track: PoseTrack, skeleton: Skeleton) -> FloatArray:
    """World positions (T, 3) of the `head` joint in every frame of `track`, in metres."""
    _, positions = skeleton.forward(track.rotations, track.root)  # (T, J, 3)
    points: FloatArray = positions[:, skeleton.index("head")]
    return points


PIPELINE_CAMERA = Camera()
"""The camera `Pipeline.frames` draws with (the renderer's default)."""


def head_box(
    head: FloatArray, width: int, height: int, side_m: float, camera: Camera = PIPELINE_CAMERA
) -> tuple[int, int, int]:
    """(left, top, side) in pixels of the square around world point `head` (3,), `side_m` metres wide
    at its depth, in a `width` x `height` frame drawn through `camera`."""
    edge = np.asarray(head, dtype=np.float64) + np.array([side_m / 2.0, 0.0, 0.0])
    centre, right = camera.project(np.stack([head, edge]), width, height)
    half = float(right[0] - centre[0])
    return round(centre[0] - half), round(centre[1] - half), max(8, round(2 * half))


def head_crop(frame: UInt8Array, box: tuple[int, int, int], upscale: int) -> UInt8Array:
    """The square `box` (left, top, side) of an (H, W, 3) RGB frame, as (upscale, upscale, 3) uint8;
    outside the frame it is filled with the frame's top-left colour (the background)."""
    from PIL import Image

    left, top, side = box
    canvas = np.empty((side, side, 3), np.uint8)
    canvas[:] = frame[0, 0, :3]
    h, w = frame.shape[:2]
    x0, y0, x1, y1 = max(left, 0), max(top, 0), min(left + side, w), min(top + side, h)
    if x1 > x0 and y1 > y0:
        canvas[y0 - top:y1 - top, x0 - left:x1 - left] = frame[y0:y1, x0:x1, :3]
    image = Image.fromarray(canvas).resize((upscale, upscale), Image.Resampling.LANCZOS)
    out: UInt8Array = np.asarray(image)
    return out


class FaceReader:
    """MediaPipe Face Mesh on one image at a time; build once, use for many frames, then `close()`."""

    def __init__(self, min_detection_confidence: float = 0.5) -> None:
        import mediapipe as mp

        self._mesh: Any = mp.solutions.face_mesh.FaceMesh(
            static_image_mode=True, max_num_faces=1, refine_landmarks=True,
            min_detection_confidence=min_detection_confidence,
        )

    def landmarks(self, image: UInt8Array) -> FloatArray | None:
        """(478, 2) landmark positions in pixels of the (S, S, 3) RGB `image`, or None without a face."""
        result = self._mesh.process(np.ascontiguousarray(image[..., :3]))
        if not result.multi_face_landmarks:
            return None
        h, w = image.shape[:2]
        points: FloatArray = np.array([[p.x * w, p.y * h] for p in result.multi_face_landmarks[0].landmark])
        return points

    def close(self) -> None:
        self._mesh.close()

    def __enter__(self) -> FaceReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def lip_gap(landmarks: FloatArray, method: GapMethod = GapMethod()) -> float:
    """The mean distance of `method`'s inner-lip pairs over the mouth width (scale-free)."""
    pairs = LIP_PAIRS[method.pairs]
    a, b = MOUTH_CORNERS[method.corners]
    width = float(np.linalg.norm(landmarks[a] - landmarks[b]))
    opening = float(np.mean([np.linalg.norm(landmarks[i] - landmarks[j]) for i, j in pairs]))
    return opening / width if width > 0 else float("nan")
