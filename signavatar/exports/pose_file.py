"""A PoseTrack as a MediaPipe-Holistic `.pose` file (pose-format), as if recorded from our render.

Components, in the order pose-format's holistic files use (FACE_LANDMARKS left out, see below):
  POSE_LANDMARKS (33), LEFT_HAND_LANDMARKS (21), RIGHT_HAND_LANDMARKS (21), POSE_WORLD_LANDMARKS (33),
each point "XYZC". LEFT is the signer's left, as in MediaPipe (capture/retarget.py ARM_IDS).

Where the points come from (Skeleton.forward, world metres):
  shoulders/elbows/wrists: upperarm01 / lowerarm01 / wrist joints; PINKY/INDEX/THUMB: the pinky and
  index knuckles and the thumb's middle joint; hips: the pelvis (spine05) frame; nose, eyes, ears,
  mouth: points measured on the avatar's rest mesh (models/build/avatar.npz), carried by the head
  joint. Hands: wrist + the 15 finger joints, tips extrapolated 0.85 of the last bone along it
  (kinematics/hand_points.py, as lift.rig_hand_points does). Knees, ankles, heels, feet are not in our
  upper-body rig: confidence 0 (masked). FACE_LANDMARKS (468 points) would need a correspondence
  between the avatar's face mesh and MediaPipe's face mesh that we do not have; the head's pose is
  in the body points.

Units. POSE_LANDMARKS and the hands are pixels of a virtual camera of the render's size: the render
camera (pose_to_frames.renderer.Camera) seen as a scaled-orthographic ("weak perspective") camera
whose scale is the perspective scale at SIGNING_DEPTH, the depth of the hands in signing space; x
right, y down, z away from the camera in the same pixel units (0 at SIGNING_DEPTH). Unlike a true
perspective projection this keeps every direction of the 3D motion, so retargeting the file gives
back our joint angles; the price is that points off that plane land a little away from where the
perspective video draws them (at 512x512: up to ~15 px for hands and shoulders, ~27 px for the
hips and the resting left hand beside them at the bottom edge). POSE_WORLD_LANDMARKS are
metres in MediaPipe's world axes (x right, y down, z away from the camera), origin between the hips.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from signavatar.avatar.skeleton import Skeleton
from signavatar.frames_to_video.atomic import write_bytes_atomic
from signavatar.kinematics.hand_points import HAND_LIMBS, HAND_POINTS, hand_points
from signavatar.pose_to_frames.renderer import Camera
from signavatar.typed import BoolArray, FloatArray
from signavatar.types import PoseTrack

if TYPE_CHECKING:
    from pose_format import Pose

#: MediaPipe PoseLandmark names, in index order
BODY_POINTS: tuple[str, ...] = (
    "NOSE", "LEFT_EYE_INNER", "LEFT_EYE", "LEFT_EYE_OUTER", "RIGHT_EYE_INNER", "RIGHT_EYE", "RIGHT_EYE_OUTER",
    "LEFT_EAR", "RIGHT_EAR", "MOUTH_LEFT", "MOUTH_RIGHT", "LEFT_SHOULDER", "RIGHT_SHOULDER", "LEFT_ELBOW",
    "RIGHT_ELBOW", "LEFT_WRIST", "RIGHT_WRIST", "LEFT_PINKY", "RIGHT_PINKY", "LEFT_INDEX", "RIGHT_INDEX",
    "LEFT_THUMB", "RIGHT_THUMB", "LEFT_HIP", "RIGHT_HIP", "LEFT_KNEE", "RIGHT_KNEE", "LEFT_ANKLE", "RIGHT_ANKLE",
    "LEFT_HEEL", "RIGHT_HEEL", "LEFT_FOOT_INDEX", "RIGHT_FOOT_INDEX",
)
#: MediaPipe POSE_CONNECTIONS (the same set as pose_format.utils.holistic.BODY_LIMBS)
BODY_LIMBS: tuple[tuple[int, int], ...] = (
    (0, 1), (1, 2), (2, 3), (3, 7), (0, 4), (4, 5), (5, 6), (6, 8), (9, 10), (11, 12), (11, 13), (13, 15),
    (15, 17), (15, 19), (15, 21), (17, 19), (12, 14), (14, 16), (16, 18), (16, 20), (16, 22), (18, 20),
    (11, 23), (12, 24), (23, 24), (23, 25), (24, 26), (25, 27), (26, 28), (27, 29), (28, 30), (29, 31),
    (30, 32), (27, 31), (28, 32),
)
COMPONENTS = ("POSE_LANDMARKS", "LEFT_HAND_LANDMARKS", "RIGHT_HAND_LANDMARKS", "POSE_WORLD_LANDMARKS")
#: metres in front of the body (Z) where the hands sign: the plane the pixel scale is taken at
SIGNING_DEPTH = 0.25

#: Face points at rest (metres, our axes), measured on the avatar's rest mesh: nose tip = the most
#: forward vertex of the head; ears = its widest vertices; eyes on the eyeball fronts around the eye
#: joints (0.031, 0.728, 0.125); mouth corners on the lips. They move with the head joint.
_FACE_REST: dict[str, tuple[float, float, float]] = {
    "NOSE": (0.0, 0.691, 0.168),
    "LEFT_EYE_INNER": (0.016, 0.728, 0.135), "LEFT_EYE": (0.031, 0.729, 0.138),
    "LEFT_EYE_OUTER": (0.047, 0.728, 0.128),
    "RIGHT_EYE_INNER": (-0.016, 0.728, 0.135), "RIGHT_EYE": (-0.031, 0.729, 0.138),
    "RIGHT_EYE_OUTER": (-0.047, 0.728, 0.128),
    "LEFT_EAR": (0.088, 0.724, 0.038), "RIGHT_EAR": (-0.088, 0.724, 0.038),
    "MOUTH_LEFT": (0.024, 0.656, 0.140), "MOUTH_RIGHT": (-0.024, 0.656, 0.140),
}
#: hip joints relative to the pelvis joint (spine05) at rest, metres: the width of the mesh's hips
_HIP_OFFSET = {"LEFT_HIP": (0.09, -0.02, 0.0), "RIGHT_HIP": (-0.09, -0.02, 0.0)}
_JOINT_POINTS = {
    "SHOULDER": "upperarm01", "ELBOW": "lowerarm01", "WRIST": "wrist", "PINKY": "finger5-1", "INDEX": "finger2-1",
    "THUMB": "finger1-2",
}


def body_points(skeleton: Skeleton, world_r: FloatArray, world_p: FloatArray) -> tuple[FloatArray, BoolArray]:
    """(33 MediaPipe pose points (T, 33, 3) in metres, our axes; placed (33,) bool)."""
    t = world_p.shape[0]
    out = np.zeros((t, len(BODY_POINTS), 3))
    placed = np.zeros(len(BODY_POINTS), dtype=bool)

    def carried(joint: str, rest_point: tuple[float, float, float]) -> FloatArray:
        j = skeleton.index(joint)
        point: FloatArray = world_p[:, j] + world_r[:, j] @ (np.asarray(rest_point) - skeleton.rest[j])
        return point

    def put(name: str, value: FloatArray) -> None:
        k = BODY_POINTS.index(name)
        out[:, k] = value
        placed[k] = True

    for name, point in _FACE_REST.items():
        put(name, carried("head", point))
    pelvis = skeleton.rest[skeleton.index("spine05")]
    for name, offset in _HIP_OFFSET.items():
        put(name, carried("spine05", tuple(pelvis + np.asarray(offset))))
    for part, joint in _JOINT_POINTS.items():
        for side, word in (("L", "LEFT"), ("R", "RIGHT")):
            put(f"{word}_{part}", world_p[:, skeleton.index(f"{joint}.{side}")])
    return out, placed


def pixel_scale(width: int, height: int, camera: Camera) -> float:
    """Pixels per metre of the virtual weak-perspective camera (perspective scale at SIGNING_DEPTH)."""
    focal = (height / 2.0) / np.tan(np.radians(camera.yfov_deg) / 2.0)
    return float(focal / (camera.distance - SIGNING_DEPTH))


def to_pixels(points: FloatArray, width: int, height: int, camera: Camera) -> FloatArray:
    """World points (..., 3) in metres -> MediaPipe image axes (..., 3): x right, y down, z away, pixels."""
    s = pixel_scale(width, height, camera)
    tx, ty, _ = camera.target
    p = np.asarray(points, dtype=np.float64)
    return np.stack(
        [width / 2.0 + s * (p[..., 0] - tx), height / 2.0 - s * (p[..., 1] - ty), -s * (p[..., 2] - SIGNING_DEPTH)],
        axis=-1,
    )


def track_to_pose(track: PoseTrack, skeleton: Skeleton, *, width: int = 512, height: int = 512,
                  camera: Camera | None = None) -> Pose:
    """The pose-format Pose of `track`: data (T, 1, 108, 3) float32, confidence (T, 1, 108) in {0, 1}."""
    from pose_format import Pose  # optional heavy import, only when a .pose file is written
    from pose_format.numpy import NumPyPoseBody
    from pose_format.pose_header import PoseHeader, PoseHeaderComponent, PoseHeaderDimensions

    if track.joint_names != skeleton.names:
        raise ValueError(f"track joints ({track.skeleton_id}) do not match the skeleton ({skeleton.skeleton_id})")
    if width <= 0 or height <= 0:
        raise ValueError(f"the virtual camera needs a positive size, got {width}x{height}")
    camera = camera or Camera()
    world_r, world_p = skeleton.forward(track.rotations, track.root)
    body, placed = body_points(skeleton, world_r, world_p)
    left, right = (hand_points(skeleton, world_r, world_p, s) for s in ("L", "R"))
    hips = body[:, [BODY_POINTS.index("LEFT_HIP"), BODY_POINTS.index("RIGHT_HIP")]].mean(axis=1, keepdims=True)
    world = (body - hips) * np.array([1.0, -1.0, -1.0])  # metres, MediaPipe axes, hip-centred
    points = np.concatenate([to_pixels(body, width, height, camera), to_pixels(left, width, height, camera),
                             to_pixels(right, width, height, camera), world], axis=1)
    conf = np.concatenate([placed, np.ones(42, dtype=bool), placed]).astype(np.float32)
    confidence = np.broadcast_to(conf, points.shape[:2]).copy()
    data = np.where(confidence[..., None] > 0, points, 0.0).astype(np.float32)
    if not np.isfinite(data).all():
        raise ValueError("pose export: non-finite landmark positions")
    mask = np.broadcast_to(confidence[..., None] == 0, data.shape)
    # numpy's stubs leave the MaskedArray constructor unannotated (no-untyped-call): the one ignore
    body_data: np.ma.MaskedArray[Any, np.dtype[np.float32]] = np.ma.masked_array(  # type: ignore[no-untyped-call]
        data[:, None], mask=mask[:, None].copy())
    colours = [(255, 0, 0)]
    hand_colours = [(min(255, 40 * (k % 4) + 60), (37 * (k // 4)) % 256, 200) for k in range(len(HAND_LIMBS))]
    components = [
        PoseHeaderComponent("POSE_LANDMARKS", list(BODY_POINTS), list(BODY_LIMBS), colours, "XYZC"),
        PoseHeaderComponent("LEFT_HAND_LANDMARKS", list(HAND_POINTS), list(HAND_LIMBS), hand_colours, "XYZC"),
        PoseHeaderComponent("RIGHT_HAND_LANDMARKS", list(HAND_POINTS), list(HAND_LIMBS), hand_colours, "XYZC"),
        PoseHeaderComponent("POSE_WORLD_LANDMARKS", list(BODY_POINTS), list(BODY_LIMBS), colours, "XYZC"),
    ]
    header = PoseHeader(version=0.2, dimensions=PoseHeaderDimensions(width, height, 0), components=components)
    return Pose(header, NumPyPoseBody(fps=float(track.fps), data=body_data, confidence=confidence[:, None]))


def write_pose(track: PoseTrack, skeleton: Skeleton, path: Path, *, width: int = 512, height: int = 512,
               camera: Camera | None = None) -> Path:
    """Write `track` as a MediaPipe-Holistic `.pose` file at `path` (atomically); returns the path.

    width, height: the virtual camera's image size in pixels (use the render's size).
    """
    pose = track_to_pose(track, skeleton, width=width, height=height, camera=camera)
    buffer = io.BytesIO()
    pose.write(buffer)
    path = Path(path)
    write_bytes_atomic(path, buffer.getvalue())
    return path
