"""One reusable offscreen renderer per process: pyrender, headless (EGL or OSMesa).

Speed (DESIGN.md): pyrender's lit PBR shader runs at ~24 fps on llvmpipe, its FLAT shader at ~80 fps.
So lighting is done per vertex on the CPU (Gouraud: smooth, a few ms of numpy) and the mesh is
drawn flat with the lit colours as vertex colours, exactly as pyrender's `RenderFlags.FLAT` draws
it (see flat_mesh.py for why we issue those few GL calls ourselves). The mesh and its GPU buffers
are built once; per frame only the vertex buffers' contents are replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from signavatar.avatar.rig import Avatar
from signavatar.errors import RenderError
from signavatar.pose_to_frames.flat_mesh import FlatMeshTarget
from signavatar.pose_to_frames.gl_platform import select_platform
from signavatar.typed import FloatArray, UInt8Array


@dataclass(frozen=True)
class Camera:
    """A perspective camera looking along -Z at `target` from `distance` metres (the signing frame)."""

    target: tuple[float, float, float] = (0.0, 0.47, 0.0)
    distance: float = 2.4
    yfov_deg: float = 21.0

    def project(self, points: FloatArray, width: int, height: int) -> FloatArray:
        """Pixel coordinates (N, 2) as (x, y from the top) of world points (N, 3)."""
        eye = np.asarray(self.target) + np.array([0.0, 0.0, self.distance])
        rel = np.asarray(points, dtype=np.float64) - eye
        depth = -rel[:, 2]
        f = (height / 2.0) / np.tan(np.radians(self.yfov_deg) / 2.0)
        x = width / 2.0 + f * rel[:, 0] / depth
        y = height / 2.0 - f * rel[:, 1] / depth
        return np.stack([x, y], axis=1)


#: (direction toward the light, intensity): soft frontal key, fill from the other side, a top light.
LIGHTS: tuple[tuple[tuple[float, float, float], float], ...] = (
    ((0.35, 0.45, 1.0), 0.62),
    ((-0.6, 0.1, 0.8), 0.25),
    ((0.0, 1.0, 0.2), 0.12),
)
AMBIENT = 0.30


def shade(albedo: FloatArray, normals: FloatArray) -> FloatArray:
    """Gouraud lighting: colours (V, 3) for albedo (V, 3) and unit normals (V, 3)."""
    light = np.full(len(normals), AMBIENT, dtype=np.float32)
    for direction, intensity in LIGHTS:
        d = np.asarray(direction, dtype=np.float32)
        d /= np.linalg.norm(d)
        light += intensity * np.clip(normals @ d, 0.0, None)
    # a gentle wrap keeps the shadow side from going black (reads as soft studio light)
    colors: FloatArray = np.clip(albedo * light[:, None], 0.0, 1.0)
    return colors


class OffscreenRenderer:
    """Draws avatar frames. Build once per process and reuse for every frame and clip of one size.

    background: (r, g, b) 0..255, or None for a transparent background; frames are then RGBA
    with alpha 0 where no avatar is (partly transparent on anti-aliased edges).
    """

    def __init__(
        self,
        avatar: Avatar,
        width: int,
        height: int,
        *,
        platform: str = "egl",
        background: tuple[int, int, int] | None = (236, 239, 243),
        camera: Camera = Camera(),
    ) -> None:
        select_platform(platform)
        try:
            import pyrender  # imported here: the platform must be chosen first
        except ImportError as exc:  # pragma: no cover - dependency missing
            raise RenderError(f"pyrender is not installed: {exc}") from exc
        self.avatar = avatar
        self.width = width
        self.height = height
        self.background = background
        cam = pyrender.PerspectiveCamera(
            yfov=np.radians(camera.yfov_deg), aspectRatio=width / height, znear=0.05, zfar=6.0
        )
        pose = np.eye(4)
        pose[:3, 3] = np.asarray(camera.target) + np.array([0.0, 0.0, camera.distance])
        # pyrender is untyped: its projection matrix is a (4, 4) float64 array
        view_projection: FloatArray = cam.get_projection_matrix(width, height) @ np.linalg.inv(pose)
        clear: tuple[float, float, float, float] = (
            (0.0, 0.0, 0.0, 0.0) if background is None
            else (background[0] / 255.0, background[1] / 255.0, background[2] / 255.0, 1.0)
        )
        self._target: FlatMeshTarget | None = FlatMeshTarget(
            platform, width, height, avatar.faces, len(avatar.vertices), view_projection,
            clear, alpha=background is None,
            open_faces=avatar.open_faces,
        )

    @property
    def channels(self) -> int:
        """3 (RGB) or 4 (RGBA, transparent background)."""
        return 4 if self.background is None else 3

    def render(self, positions: FloatArray, normals: FloatArray) -> UInt8Array:
        """One frame (H, W, 3 or 4) uint8, C-contiguous, for skinned positions and normals (V, 3)."""
        if self._target is None:
            raise RenderError("this renderer is closed")
        return self._target.draw(positions, shade(self.avatar.albedo, normals))

    def close(self) -> None:
        """Free this renderer's GL buffers (the process's GL context goes with the last renderer)."""
        if self._target is not None:
            self._target.close()
            self._target = None

    def __enter__(self) -> OffscreenRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
